#!/usr/bin/python3
"""pandas.read_sql + DataFrame.to_parquet on the odbc benchmark table.

The Python side of `odbc/arrowrows/testdata/bench.sh`. Debian packages no
Parquet engine for pandas (no python3-pyarrow, no python3-fastparquet in
bookworm), so without one this writes CSV (DataFrame.to_csv) and says so;
with pyarrow or fastparquet importable it writes Parquet (snappy).

    apt-get install -y python3-pandas python3-sqlalchemy python3-psycopg2
    /usr/bin/python3 odbc/arrowrows/testdata/pandas_to_file.py --runs 3 --output /tmp/pandas.out

Reads VAP_TEST_POSTGRES_DSN (default postgres://root@127.0.0.1:5432/test).
Prints one line per run: "pandas <writer> <seconds> <rows>".
"""
import argparse
import os
import time

import pandas as pd
import sqlalchemy

QUERY = "SELECT id, name, score, at, amount, flag FROM odbc_bench_1m"


def parquet_engine():
    for mod in ("pyarrow", "fastparquet"):
        try:
            __import__(mod)
            return mod
        except ImportError:
            pass
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--output", default="/tmp/vap-bench-pandas.out")
    args = ap.parse_args()
    dsn = os.environ.get("VAP_TEST_POSTGRES_DSN", "postgres://root@127.0.0.1:5432/test?sslmode=disable")
    engine = sqlalchemy.create_engine(dsn.replace("postgres://", "postgresql+psycopg2://", 1))
    writer = parquet_engine()
    for _ in range(args.runs):
        start = time.perf_counter()
        with engine.connect() as conn:
            df = pd.read_sql(sqlalchemy.text(QUERY), conn)
        if writer:
            df.to_parquet(args.output, engine=writer, compression="snappy")
        else:
            df.to_csv(args.output, index=False)
        took = time.perf_counter() - start
        print(f"pandas {'to_parquet(' + writer + ')' if writer else 'to_csv'} {took:.3f} {len(df)}", flush=True)


if __name__ == "__main__":
    main()
