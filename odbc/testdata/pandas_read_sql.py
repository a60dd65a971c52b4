#!/usr/bin/python3
"""pandas.read_sql on the benchmark table: time and peak RSS.

The Python side of the comparison with `go test -bench 'PG1M|MySQL1M' ./odbc`
and `go run ./odbc/testdata/peakrss`. Run with Debian's interpreter:

    apt-get install -y python3-pandas python3-sqlalchemy python3-psycopg2 python3-mysqldb
    /usr/bin/python3 odbc/testdata/pandas_read_sql.py [--db mysql] [--runs 5]

--db postgresql (the default) reads over psycopg2, from
VAP_TEST_POSTGRES_DSN (default postgres://root@127.0.0.1:5432/test);
--db mysql over MySQLdb (mysqlclient), from VAP_TEST_MYSQL_DSN, a
go-sql-driver/mysql DSN (default root@tcp(127.0.0.1:3306)/test). The table
odbc_bench_1m is created by the Go benchmark of that server. Peak RSS is the
process's ru_maxrss after the reads (pandas and the interpreter included, as
the Go figure includes the Go runtime).
"""
import argparse
import os
import re
import resource
import statistics
import time

import pandas as pd
import sqlalchemy

QUERY = "SELECT id, name, score, at, amount, flag FROM odbc_bench_1m"


def mysql_url(dsn):
    """The SQLAlchemy URL of a go-sql-driver/mysql DSN user[:pass]@tcp(host:port)/db."""
    m = re.match(r"^(?:([^:@]*)(?::(.*))?@)?tcp\(([^)]*)\)/([^?]*)", dsn)
    if not m:
        raise SystemExit("VAP_TEST_MYSQL_DSN is not a user@tcp(host:port)/db DSN")
    user, pw, addr, db = m.groups()
    url = sqlalchemy.engine.URL.create("mysql+mysqldb", username=user or None, password=pw or None,
                                       host=addr.rsplit(":", 1)[0],
                                       port=int(addr.rsplit(":", 1)[1]) if ":" in addr else None, database=db)
    return url


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--query", default=QUERY)
    ap.add_argument("--db", choices=["postgresql", "mysql"], default="postgresql")
    args = ap.parse_args()
    if args.db == "mysql":
        engine = sqlalchemy.create_engine(mysql_url(os.environ.get("VAP_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/test")))
    else:
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
    print("db=%s mode=pandas rows=%d seconds_min=%.3f seconds_median=%.3f peak_rss_mb=%.1f runs=%d"
          % (args.db, rows, min(times), statistics.median(times), peak, args.runs))


if __name__ == "__main__":
    main()
