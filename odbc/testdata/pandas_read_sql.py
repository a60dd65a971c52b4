#!/usr/bin/python3
"""pandas.read_sql over psycopg2 on the benchmark table: time and peak RSS.

The Python side of the comparison with `go test -bench PG1M ./odbc` and
`go run ./odbc/testdata/peakrss`. Run with Debian's interpreter:

    apt-get install -y python3-pandas python3-sqlalchemy python3-psycopg2
    /usr/bin/python3 odbc/testdata/pandas_read_sql.py [--runs 5]

The table odbc_bench_1m is created by the Go benchmark. The server comes
from VAP_TEST_POSTGRES_DSN (default postgres://root@127.0.0.1:5432/test).
Peak RSS is the process's ru_maxrss after the reads (pandas and the
interpreter included, as the Go figure includes the Go runtime).
"""
import argparse
import os
import resource
import statistics
import time

import pandas as pd
import sqlalchemy

QUERY = "SELECT id, name, score, at, amount, flag FROM odbc_bench_1m"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--query", default=QUERY)
    args = ap.parse_args()
    dsn = os.environ.get("VAP_TEST_POSTGRES_DSN", "postgres://root@127.0.0.1:5432/test?sslmode=disable")
    engine = sqlalchemy.create_engine(dsn.replace("postgres://", "postgresql+psycopg2://", 1))
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        with engine.connect() as conn:
            df = pd.read_sql(sqlalchemy.text(args.query), conn)
        times.append(time.perf_counter() - start)
        rows = len(df)
        del df
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("mode=pandas rows=%d seconds_min=%.3f seconds_median=%.3f peak_rss_mb=%.1f runs=%d"
          % (rows, min(times), statistics.median(times), peak, args.runs))


if __name__ == "__main__":
    main()
