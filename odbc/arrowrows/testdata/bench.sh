#!/usr/bin/env bash
# Side-by-side comparison on the odbc benchmark's 1M-row PostgreSQL table
# (odbc_bench_1m; created by the Go benchmark if missing), in interleaved
# rounds so that all readers see the same machine load:
#
#   go     BenchmarkPG1MFiles: OdbcToRows alone, then the Go API streaming
#          the same query into Parquet / Arrow / Arrow stream files
#   cli    vap query pg "$Q" --format parquet --output FILE (the real
#          binary, process start included), wall and CPU (user+sys)
#   pandas pandas.read_sql + DataFrame.to_parquet (to_csv when Debian has
#          no Parquet engine: testdata/pandas_to_file.py says which)
#
# Usage: odbc/arrowrows/testdata/bench.sh [ROUNDS]   (from the repository root)
# Needs PostgreSQL (VAP_TEST_POSTGRES_DSN, default root@127.0.0.1:5432/test)
# and /usr/bin/python3 with python3-pandas, -sqlalchemy, -psycopg2.
set -euo pipefail
rounds=${1:-3}
cd "$(dirname "$0")/../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/vap" ./cmd/vap
go test -c -o "$tmp/arrowrows.test" ./odbc/arrowrows
dsn=${VAP_TEST_POSTGRES_DSN:-postgres://root@127.0.0.1:5432/test?sslmode=disable}
host=$(sed -E 's|^[a-z]+://([^@]*@)?([^:/?]+).*|\2|' <<<"$dsn")
port=$(sed -nE 's|^[a-z]+://([^@]*@)?[^:/?]+:([0-9]+).*|\2|p' <<<"$dsn")
user=$(sed -nE 's|^[a-z]+://([^:@]+)(:[^@]*)?@.*|\1|p' <<<"$dsn")
db=$(sed -E 's|^[^/]*//[^/]*/([^?]*).*|\1|' <<<"$dsn")
export VAP_HOME="$tmp/home"
"$tmp/vap" conn create pg --type postgresql --set host="$host" --set port="${port:-5432}" \
  --set user_name="${user:-root}" --set dbname="$db" --set options.sslmode=disable >/dev/null
q="SELECT id, name, score, at, amount, flag FROM odbc_bench_1m"
(cd odbc/arrowrows && "$tmp/arrowrows.test" -test.run '^$' -test.bench 'PG1MFiles/OdbcToRows' -test.benchtime 1x >/dev/null) # creates the table
for r in $(seq 1 "$rounds"); do
  echo "== round $r (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  (cd odbc/arrowrows && "$tmp/arrowrows.test" -test.run '^$' -test.bench 'PG1MFiles' -test.benchtime 1x | grep '^Benchmark')
  /usr/bin/time -f "cli vap query --format parquet: %e s wall, %U s user, %S s sys, %M kB max RSS" \
    "$tmp/vap" query pg "$q" --format parquet --output "$tmp/cli.parquet" 2>&1 | grep -v 'rows written'
  /usr/bin/python3 odbc/arrowrows/testdata/pandas_to_file.py --output "$tmp/pandas.out"
done
