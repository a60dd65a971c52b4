#!/usr/bin/env bash
# Before/after comparison of writing the odbc benchmark's 1M-row PostgreSQL
# table (odbc_bench_1m) to Parquet: the working tree against commit BASE,
# both built here, in interleaved rounds so that both see the same load.
# Per round: OdbcToRows alone (the baseline), the Go API into a Parquet
# file (BenchmarkPG1MFiles/parquet) at BASE and now, and
# `vap query --format parquet` at BASE and now; wall and CPU of each
# process from /usr/bin/time.
#
# Usage: odbc/arrowrows/testdata/compare.sh BASE [ROUNDS]   (from the repository root)
# Needs PostgreSQL as bench.sh does (VAP_TEST_POSTGRES_DSN, default
# root@127.0.0.1:5432/test); run bench.sh once first to create the table.
set -euo pipefail
base=${1:?usage: compare.sh BASE [ROUNDS]}
rounds=${2:-3}
cd "$(dirname "$0")/../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src"
git archive "$base" | tar -x -C "$tmp/src"
(cd "$tmp/src" && go build -o "$tmp/vap.base" ./cmd/vap && go test -c -o "$tmp/base.test" ./odbc/arrowrows)
go build -o "$tmp/vap.new" ./cmd/vap
go test -c -o "$tmp/new.test" ./odbc/arrowrows
dsn=${VAP_TEST_POSTGRES_DSN:-postgres://root@127.0.0.1:5432/test?sslmode=disable}
host=$(sed -E 's|^[a-z]+://([^@]*@)?([^:/?]+).*|\2|' <<<"$dsn")
port=$(sed -nE 's|^[a-z]+://([^@]*@)?[^:/?]+:([0-9]+).*|\2|p' <<<"$dsn")
user=$(sed -nE 's|^[a-z]+://([^:@]+)(:[^@]*)?@.*|\1|p' <<<"$dsn")
db=$(sed -E 's|^[^/]*//[^/]*/([^?]*).*|\1|' <<<"$dsn")
export VAP_HOME="$tmp/home"
"$tmp/vap.new" conn create pg --type postgresql --set host="$host" --set port="${port:-5432}" \
  --set user_name="${user:-root}" --set dbname="$db" --set options.sslmode=disable >/dev/null
q="SELECT id, name, score, at, amount, flag FROM odbc_bench_1m"
cd odbc/arrowrows
for r in $(seq 1 "$rounds"); do
  echo "== round $r (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  /usr/bin/time -f "  OdbcToRows    %e s wall, %U s user, %S s sys" "$tmp/new.test" -test.run '^$' \
    -test.bench 'PG1MFiles/OdbcToRows$' -test.benchtime 1x 2>&1 | grep -E '^Bench|wall'
  for v in base new; do
    /usr/bin/time -f "  parquet $v  %e s wall, %U s user, %S s sys" "$tmp/$v.test" -test.run '^$' \
      -test.bench 'PG1MFiles/parquet$' -test.benchtime 1x 2>&1 | grep -E '^Bench|wall'
  done
  for v in base new; do
    /usr/bin/time -f "  cli $v      %e s wall, %U s user, %S s sys, %M kB max RSS" \
      "$tmp/vap.$v" query pg "$q" --format parquet --output "$tmp/cli.$v.parquet" 2>&1 | grep -v 'rows written'
  done
done
