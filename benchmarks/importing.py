"""Bulk import of registrations (``juzhu import registrations FILE``) beside raw
``executemany`` of the same rows into the same table.

The file has ``IMPORT_ROWS`` new floating people (the columns of ``POST /holders`` and
``POST /registrations``, valid GB 11643 numbers born 1940–1959, a span the generated
population's adults mostly leave free) and 1 % bad rows (a broken check character), so the
report path runs too. The rate counts every row read, good or bad, over the command's wall
time of the import itself as the command reports it (its process start-up, about 2 s, is
not import work; ``import_s`` is the whole command's wall time).

The floor: the rows the import wrote — each imported row is a holder, a residence and a
registration — read back and inserted again with the database driver's own ``executemany``
(new ID numbers and receipt numbers, so unique keys hold), in chunks of 5,000, in one
transaction that is rolled back, so the bench database is left as the import left it. The
issue's "the same rows into the same table" is taken as the rows the import writes: the
registration table alone is a third of that write, and is still reported beside it
(``import_vs_executemany_registration_only``) so both readings are on record. On PostgreSQL
the same rows are also written with ``COPY`` (``copy_rows_per_s``, ``import_vs_copy``): the
server's own fastest path, with no check at all, which the import itself uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import time
from typing import Any

from sqlalchemy import text

from core import clock
from core.rules import id_check_char

from .env import Bench

IMPORT_ROWS = 100_000
TOWNS = ["530323001", "530323002", "530323003", "530323102", "530323103", "530323104"]
HUKOU = ["530302001000", "530381100000", "530102001000", "520102001000", "510104001000",
         "530324100000", "530325100000", "450102001000"]


def write_csv(bench: Bench, n: int) -> Any:
    """``n`` new people (+1 % bad rows); numbered on from the holders already there, so a
    second run on a reused database imports new people, not the first run's again."""
    path = bench.work / f"import-{n}.csv"
    rng, bad = bench.rng, n // 100
    offset = bench.holder_count()
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["name", "sex", "ethnicity", "birth_date", "id_number", "hukou_address",
                      "hukou_division_code", "phone", "arrival_date", "residence_address",
                      "residence_division_code", "registered_on"])
        today = clock.today()
        for i in range(n + bad):
            male = rng.random() < 0.5
            hukou = HUKOU[i % len(HUKOU)]
            k = i + offset
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=(k // 500) % 7300)
            first17 = f"{hukou[:6]}{birth:%Y%m%d}{(k % 500) * 2 + (1 if male else 0):03d}"
            check = id_check_char(first17)
            if i >= n:
                check = "0" if check != "0" else "1"
            arrival = today - dt.timedelta(days=rng.randrange(20, 300))
            out.writerow([f"导入{i}", "male" if male else "female", "汉族", birth.isoformat(),
                          first17 + check, "某省某县某村", hukou, f"139{i:08d}",
                          arrival.isoformat(), f"某街道{i}号", rng.choice(TOWNS) + "001",
                          (arrival + dt.timedelta(days=rng.randrange(12))).isoformat()])
    return path, n + bad


#: What one imported row writes: the tables in the order the import writes them, and the
#: column a re-insert must change to stay unique.
WRITTEN = (("holder", "id", "id_number"), ("residence", "holder_id", None),
           ("public_security_registration", "holder_id", "receipt_number"))


def _rows_written(bench: Bench, since_holder: int) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The rows the import wrote to each table (those of the holders after ``since_holder``),
    without the ids, with their unique columns changed so they can be inserted again."""
    out = []
    with bench.engine.connect() as conn:
        for table, by, unique in WRITTEN:
            names = [c for c in conn.execute(text(f"SELECT * FROM {table} WHERE 1 = 0")).keys()
                     if c not in ("id", "created_at")]
            rows = [list(r) for r in conn.execute(text(
                f"SELECT {', '.join(names)} FROM {table} WHERE {by} > :since"),
                {"since": since_holder})]
            if unique is not None:
                k = names.index(unique)
                width = 18 if unique == "id_number" else 17
                for n, row in enumerate(rows):
                    row[k] = f"B{n:0{width - 1}d}"
            out.append((table, names, rows))
    return out


def raw_rate(bench: Bench, since_holder: int) -> dict[str, float]:
    """The driver's ``executemany``, 5 000 rows a call, of the rows the import wrote, in one
    transaction that is rolled back: rows per second of the registration table alone and
    of the three tables (one imported row = a holder, a residence, a registration); on
    PostgreSQL also of ``COPY`` of the three tables, in a second rolled-back transaction."""
    written = _rows_written(bench, since_holder)
    raw = bench.engine.raw_connection()
    seconds: dict[str, float] = {}
    copy_s: float | None = None
    try:
        mark = "?" if bench.database == "sqlite" else "%s"
        cur = raw.cursor()
        for table, names, rows in written:
            quoted = ", ".join(f'"{c}"' for c in names)
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join([mark] * len(names))})"
            t0 = time.perf_counter()
            for i in range(0, len(rows), 5000):
                cur.executemany(sql, rows[i:i + 5000])
            seconds[table] = time.perf_counter() - t0
        raw.rollback()
        if bench.database == "postgresql":
            # PostgreSQL's own fastest path for the same rows, no check at all: what the
            # server and the driver take, beside which the import's COPY is measured. The
            # driver's COPY directly, not core.db.bulk_write: a floor must not run the code
            # it measures.
            t0 = time.perf_counter()
            for table, names, rows in written:
                quoted = ", ".join(f'"{c}"' for c in names)
                with cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            copy_s = time.perf_counter() - t0
            raw.rollback()
    finally:
        raw.close()
    n = len(written[-1][2])
    out = {"registration": n / seconds["public_security_registration"],
           "three_tables": n / sum(seconds.values()), "rows": n}
    if copy_s is not None:
        out["copy"] = n / copy_s
    return out


def measure(bench: Bench) -> dict[str, Any]:
    path, total = write_csv(bench, IMPORT_ROWS)
    since = int(bench.scalar("SELECT coalesce(max(id), 0) FROM holder"))
    seconds, said = bench.run("import", "registrations", str(path), check=False)
    imported = int(bench.scalar(
        "SELECT count(*) FROM public_security_registration WHERE holder_id > :since",
        since=since))
    # the command's own figure: reading, validating and writing, without process start-up
    rate = float(re.search(r"每秒 (\d+) 行", said).group(1))
    floor = raw_rate(bench, since)
    return {"import_rows_per_s": round(rate),
            "import_vs_executemany": round(rate / floor["three_tables"], 3),
            "import_rows": total, "import_imported": imported, "import_s": round(seconds, 2),
            "executemany_rows_per_s": round(floor["three_tables"]),
            "executemany_registration_only_rows_per_s": round(floor["registration"]),
            "import_vs_executemany_registration_only": round(rate / floor["registration"], 3),
            "executemany_rows": floor["rows"],
            **({"copy_rows_per_s": round(floor["copy"]),
                "import_vs_copy": round(rate / floor["copy"], 3)} if "copy" in floor else {})}
