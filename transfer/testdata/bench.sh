#!/usr/bin/env bash
# vap copy against the best native pipe of the servers' own tools, 1,000,000
# rows, PostgreSQL → MariaDB and MariaDB → PostgreSQL, side by side in one run.
#
#   transfer/testdata/bench.sh            # from the repository root; RUNS=3 for three rounds
#
# The source is odbc's benchmark table odbc_bench_1m (bigint, md5 text,
# float8, timestamptz, numeric(12,2), boolean; created here if missing, as
# odbc's benchmark creates it). Each round, for each direction, loads the same
# rows into two identical, empty tables: one with the native pipe, one with
# vap copy (a vap binary built from this checkout, connections given as
# VAP_CONN_* variables), then checks both hold the same rows.
#
# Servers: PGHOST/PGPORT/PGUSER/PGDATABASE (default 127.0.0.1:5432 root test)
# and MYHOST/MYPORT/MYUSER/MYDB (default 127.0.0.1:3306 root test), no
# passwords (trust), MariaDB with local_infile ON.
set -euo pipefail

RUNS=${RUNS:-1}
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-root} PGDATABASE=${PGDATABASE:-test}
MYHOST=${MYHOST:-127.0.0.1} MYPORT=${MYPORT:-3306} MYUSER=${MYUSER:-root} MYDB=${MYDB:-test}
export PGHOST PGPORT PGUSER PGDATABASE

tmp=$(mktemp -d)
go build -o "$tmp/vap" ./cmd/vap

psql_() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
my_() { mariadb -h"$MYHOST" -P"$MYPORT" -u"$MYUSER" "$MYDB" "$@"; }

export VAP_HOME=$tmp/home
export VAP_CONN_BENCH_PG="{\"connection_type\":\"postgresql\",\"host\":\"$PGHOST\",\"port\":$PGPORT,\"user_name\":\"$PGUSER\",\"dbname\":\"$PGDATABASE\",\"options\":{\"sslmode\":\"disable\"}}"
export VAP_CONN_BENCH_MY="{\"connection_type\":\"mysql\",\"host\":\"$MYHOST\",\"port\":$MYPORT,\"user_name\":\"$MYUSER\",\"dbname\":\"$MYDB\",\"options\":{\"tls\":\"false\"}}"

# The source table, as odbc's BenchmarkPG1M makes it.
psql_ <<'SQL'
SELECT pg_advisory_lock(4004);
DO $$ BEGIN
  IF (SELECT count(*) FROM pg_tables WHERE tablename = 'odbc_bench_1m') = 0 THEN
    CREATE TABLE odbc_bench_1m AS
      SELECT i::bigint AS id, md5(i::text) AS name, i * 1.5::float8 / 7 AS score,
             timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' AS at,
             ((i::bigint * 7919) % 100000000 / 100.0)::numeric(12,2) AS amount,
             i % 3 = 0 AS flag
      FROM generate_series(1, 1000000) AS i;
  END IF;
END $$;
SELECT pg_advisory_unlock(4004);
SQL
psql_ -c "VACUUM ANALYZE odbc_bench_1m"

MYCOLS="id BIGINT, name LONGTEXT, score DOUBLE, at DATETIME(6), amount DECIMAL(12,2), flag BOOLEAN"
PGCOLS="id bigint, name text, score float8, at timestamp, amount numeric(12,2), flag boolean"
sfx=$$
cleanup() {
  my_ -e "DROP TABLE IF EXISTS copy_bench_native_$sfx, copy_bench_vap_$sfx" || true
  psql_ -c "DROP TABLE IF EXISTS copy_bench_native_$sfx, copy_bench_vap_$sfx" || true
  rm -rf "$tmp"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

# Best native pipes. PostgreSQL → MariaDB: psql's \copy in text format
# (the query turns the timestamptz into its UTC wall clock and the boolean
# into 0/1, which LOAD DATA reads), into LOAD DATA LOCAL INFILE from the
# pipe. MariaDB → PostgreSQL: the mariadb client's batch output (--quick:
# streamed, not buffered; tab-separated with \t \n \\ escaped, as COPY's text
# format) into psql's \copy FROM STDIN.
PG2MY_NATIVE="psql -X -q -c \"\\copy (SELECT id, name, score, at AT TIME ZONE 'UTC', amount, flag::int FROM odbc_bench_1m) TO STDOUT\" | mariadb --local-infile=1 -h$MYHOST -P$MYPORT -u$MYUSER $MYDB -e \"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE copy_bench_native_$sfx\""
PG2MY_VAP="$tmp/vap copy bench_pg bench_my --query 'SELECT id, name, score, at, amount, flag FROM odbc_bench_1m' --table copy_bench_vap_$sfx"
MY2PG_NATIVE="mariadb --batch --quick --skip-column-names -h$MYHOST -P$MYPORT -u$MYUSER $MYDB -e 'SELECT id, name, score, at, amount, flag FROM copy_bench_native_$sfx' | psql -X -q -c '\\copy copy_bench_native_$sfx FROM STDIN'"
MY2PG_VAP="$tmp/vap copy bench_my bench_pg --query 'SELECT id, name, score, at, amount, flag FROM copy_bench_native_$sfx' --table copy_bench_vap_$sfx"

echo "PostgreSQL → MariaDB native: $PG2MY_NATIVE"
echo "PostgreSQL → MariaDB vap:    $PG2MY_VAP"
echo "MariaDB → PostgreSQL native: $MY2PG_NATIVE"
echo "MariaDB → PostgreSQL vap:    $MY2PG_VAP"
echo

# timed CMD: runs CMD with bash, prints wall seconds and the peak RSS (kB)
# of its largest process.
timed() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%M" -o "$tmp/rss" bash -c "$1" >/dev/null
  t1=$(now)
  printf '%.2f s' "$(secs "$t0" "$t1")"
}

for run in $(seq 1 "$RUNS"); do
  my_ -e "DROP TABLE IF EXISTS copy_bench_native_$sfx, copy_bench_vap_$sfx;
          CREATE TABLE copy_bench_native_$sfx ($MYCOLS) ENGINE=InnoDB;
          CREATE TABLE copy_bench_vap_$sfx ($MYCOLS) ENGINE=InnoDB"
  n=$(timed "$PG2MY_NATIVE"); v=$(timed "$PG2MY_VAP"); vr=$(cat "$tmp/rss")
  a=$(my_ -N -e "SET SESSION group_concat_max_len = 1 << 30; SELECT COUNT(*), SUM(id), SUM(amount), SUM(flag), MAX(at), MD5(GROUP_CONCAT(name ORDER BY id)) FROM copy_bench_native_$sfx")
  b=$(my_ -N -e "SET SESSION group_concat_max_len = 1 << 30; SELECT COUNT(*), SUM(id), SUM(amount), SUM(flag), MAX(at), MD5(GROUP_CONCAT(name ORDER BY id)) FROM copy_bench_vap_$sfx")
  [ "$a" = "$b" ] || { echo "PostgreSQL → MariaDB: the tables differ: $a / $b"; exit 1; }
  echo "run $run PostgreSQL → MariaDB: native $n, vap $v (vap peak RSS ${vr} kB), ratio $(echo "scale=2; ${v% s} / ${n% s}" | bc)"

  psql_ -c "DROP TABLE IF EXISTS copy_bench_native_$sfx, copy_bench_vap_$sfx;
            CREATE TABLE copy_bench_native_$sfx ($PGCOLS); CREATE TABLE copy_bench_vap_$sfx ($PGCOLS)"
  n=$(timed "$MY2PG_NATIVE"); v=$(timed "$MY2PG_VAP"); vr=$(cat "$tmp/rss")
  q="SELECT count(*), sum(id), sum(amount), sum(flag::int), max(at), md5(string_agg(name, ',' ORDER BY id)) FROM"
  a=$(psql_ -At -c "$q copy_bench_native_$sfx"); b=$(psql_ -At -c "$q copy_bench_vap_$sfx")
  [ "$a" = "$b" ] || { echo "MariaDB → PostgreSQL: the tables differ: $a / $b"; exit 1; }
  echo "run $run MariaDB → PostgreSQL: native $n, vap $v (vap peak RSS ${vr} kB), ratio $(echo "scale=2; ${v% s} / ${n% s}" | bc)"
done
