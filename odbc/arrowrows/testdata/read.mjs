// read.mjs FORMAT FILE: reads a Parquet file with DuckDB, or an Arrow IPC
// file or stream with apache-arrow (the JavaScript implementation), and
// prints {"columns": [{"name", "type"}], "rows": [[value|null…]…]} as JSON,
// every value as canonical text so that a test can compare exactly:
// integers, decimals (all scale digits) and floats as their decimal text,
// binary as lower-case hex, booleans true/false, dates as days since
// 1970-01-01, times as microseconds since midnight, timestamps as
// microseconds since 1970-01-01 00:00 (UTC for a zoned one).
import { readFileSync } from 'node:fs';

const [format, file] = process.argv.slice(2);

function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

// decimalText formats a two's-complement little-endian integer (32-bit
// words) with scale digits after the point.
function decimalText(words, scale) {
  let n = 0n;
  for (let k = words.length - 1; k >= 0; k--) n = (n << 32n) | BigInt(words[k] >>> 0);
  const bits = BigInt(words.length * 32);
  if (words[words.length - 1] & 0x80000000) n -= 1n << bits;
  const neg = n < 0n;
  let s = (neg ? -n : n).toString().padStart(scale + 1, '0');
  if (scale > 0) s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  return (neg ? '-' : '') + s;
}

async function readParquet() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const src = `read_parquet('${file.replaceAll("'", "''")}')`;
  const desc = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJson();
  const exprs = desc.map(({ column_name: name, column_type: type }) => {
    const c = '"' + name.replaceAll('"', '""') + '"';
    if (type === 'BLOB') return `lower(hex(${c}))`;
    if (type.startsWith('TIMESTAMP')) return `CAST(epoch_us(${c}) AS VARCHAR)`;
    if (type === 'DATE') return `CAST(${c} - DATE '1970-01-01' AS VARCHAR)`;
    if (type === 'TIME') return `CAST(EXTRACT(hour FROM ${c}) * 3600000000 + EXTRACT(minute FROM ${c}) * 60000000 + EXTRACT(microseconds FROM ${c}) AS VARCHAR)`;
    return `CAST(${c} AS VARCHAR)`;
  });
  const rows = (await con.runAndReadAll(`SELECT ${exprs.join(', ')} FROM ${src}`)).getRows();
  return { columns: desc.map((d) => ({ name: d.column_name, type: d.column_type })), rows };
}

async function readIPC() {
  const arrow = await import('apache-arrow');
  const T = arrow.Type;
  const table = arrow.tableFromIPC(readFileSync(file));
  const columns = table.schema.fields.map((f) => {
    const t = f.type;
    let type;
    switch (t.typeId) {
      case T.Null: type = 'null'; break;
      case T.Int: type = `${t.isSigned ? 'int' : 'uint'}${t.bitWidth}`; break;
      case T.Float: type = ['float16', 'float32', 'float64'][t.precision]; break;
      case T.Decimal: type = `decimal${t.bitWidth}(${t.precision},${t.scale})`; break;
      case T.Utf8: type = 'utf8'; break;
      case T.Binary: type = 'binary'; break;
      case T.Bool: type = 'bool'; break;
      case T.Date: type = t.unit === arrow.DateUnit.DAY ? 'date32' : 'date64'; break;
      case T.Time: type = `time${t.bitWidth}[${['s', 'ms', 'us', 'ns'][t.unit]}]`; break;
      case T.Timestamp: type = `timestamp[${['s', 'ms', 'us', 'ns'][t.unit]}${t.timezone ? ', ' + t.timezone : ''}]`; break;
      default: type = String(t);
    }
    return { name: f.name, type, metadata: Object.fromEntries(f.metadata) };
  });
  const rows = [];
  for (let i = 0; i < table.numRows; i++) rows.push([]);
  table.schema.fields.forEach((f, j) => {
    const t = f.type;
    let i = 0;
    for (const data of table.getChildAt(j).data) {
      const vec = arrow.makeVector(data);
      for (let k = 0; k < data.length; k++, i++) {
        if (!vec.isValid(k)) { rows[i].push(null); continue; }
        const at = data.offset + k;
        let v;
        switch (t.typeId) {
          case T.Decimal: {
            const w = t.bitWidth / 32;
            v = decimalText(data.values.subarray(at * w, at * w + w), t.scale);
            break;
          }
          case T.Int: case T.Timestamp: case T.Time: case T.Date:
            v = String(data.values[at]); // int64, int32 days, int64 µs
            break;
          case T.Binary: v = hex(vec.get(k)); break;
          default: v = String(vec.get(k));
        }
        rows[i].push(v);
      }
    }
  });
  return { columns, rows };
}

const out = format === 'parquet' ? await readParquet() : await readIPC();
process.stdout.write(JSON.stringify(out));
