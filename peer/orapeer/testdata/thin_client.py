"""An independent Oracle client for the peer: python-oracledb in thin mode.

Reads ORA_DSN, ORA_USER and ORA_PASSWORD from the environment (never the
command line), runs a few statements and prints one JSON object per check.
"""
import datetime
import json
import os
import sys

import oracledb

dsn, user, password = os.environ["ORA_DSN"], os.environ["ORA_USER"], os.environ["ORA_PASSWORD"]


def out(**kw):
    print(json.dumps(kw, default=str), flush=True)


conn = oracledb.connect(user=user, password=password, dsn=dsn)
out(check="connect", thin=conn.thin, version=conn.version)
cur = conn.cursor()
cur.execute("CREATE TABLE py_t (id NUMBER(10) PRIMARY KEY, n NUMBER, d BINARY_DOUBLE, s VARCHAR2(20), dt DATE, r RAW(8))")
cur.execute("INSERT INTO py_t VALUES (:1, :2, :3, :4, :5, :6)",
            [1, 12.5, 0.25, "héllo", datetime.datetime(2024, 1, 2, 3, 4, 5), b"\x01\x02"])
cur.execute("INSERT INTO py_t (id) VALUES (:id)", id=2)
conn.commit()
cur.execute("SELECT id, n, d, s, dt, r FROM py_t WHERE id >= :lo ORDER BY id", lo=1)
rows = cur.fetchall()
out(check="select",
    rows=[[r[0], r[1], r[2], r[3], r[4].isoformat() if r[4] else None, r[5].hex() if r[5] else None] for r in rows],
    types=[type(v).__name__ for v in rows[0]])
cur.execute("SELECT LEVEL FROM DUAL CONNECT BY LEVEL <= :n", n=500)
out(check="levels", count=len(cur.fetchall()))
try:
    cur.execute("SELECT 1 / 0 FROM DUAL")
    cur.fetchall()
    out(check="divide", error=None)
except oracledb.DatabaseError as e:
    out(check="divide", error=str(e))
cur.execute("SELECT :1 || 'x' FROM DUAL", ["w"])
out(check="after_error", value=cur.fetchone()[0])
try:
    oracledb.connect(user=user, password=password + "-wrong", dsn=dsn)
    out(check="wrong_password", error=None)
except oracledb.DatabaseError as e:
    out(check="wrong_password", error=str(e))
conn.close()
sys.exit(0)
