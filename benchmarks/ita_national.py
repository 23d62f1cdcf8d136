"""A national ITA round in the database, scored by Prongsai's own path and by one reference query.

Generates 8,317 agencies (the 2568 round), each with about 40 IIT respondents × the IIT items, about
120 EIT respondents × the EIT items and the 43 OIT items; then scores every agency through
``prongsai.ita.survey_scores.score_rounds`` (one GROUP BY, Python combining per-item sums) plus the
total of each agency, and through one SQL statement that does the whole computation in the database.
Prints the seconds of each, their ratio and the peak memory of this process; checks that both agree.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench .venv/bin/python benchmarks/ita_national.py
    .venv/bin/python benchmarks/ita_national.py                 # SQLite in var/ita-national.sqlite3
    .venv/bin/python benchmarks/ita_national.py --agencies 500  # a smaller round
    .venv/bin/python benchmarks/ita_national.py --reuse         # score the round generated last time

The database must be a scratch one: the ITA tables are emptied before generating.
Not a test: the figures go into docs/decisions/0004-ita-scoring.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_PREFIX = "bench-"
DEFAULT_SQLITE = Path(__file__).resolve().parents[1] / "var" / "ita-national.sqlite3"
YEAR = 2568
MODEL = "ita-2562"


def setup(sqlite_path: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["PRONGSAI_SQLITE_PATH"] = sqlite_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _values(rows: list[tuple[Any, ...]]) -> str:
    def literal(value: Any) -> str:
        return f"'{value}'" if isinstance(value, str) else str(value)

    return ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)


def layout_rows() -> tuple[list[tuple[str, str, str, int]], list[tuple[str, str, int]], dict[str, Decimal]]:
    """(item, question, part, options) of the IIT/EIT items; (item, part, part size) of the OIT items; weights."""
    from prongsai.ita import catalog

    model = catalog.load_model(MODEL)
    questionnaires = catalog.questionnaires_of(model)
    items = [
        (item.key, item.question_key, item.part_key, len(item.options))
        for tool in ("IIT", "EIT")
        for item in questionnaires[tool].items
    ]
    checklist = questionnaires["OIT"].checklist
    sizes = {
        part: sum(1 for c in checklist if c.part_key == part) for part in {c.part_key for c in checklist}
    }
    oit = [(c.key, c.part_key, sizes[c.part_key]) for c in checklist]
    return items, oit, {part.key: part.weight for part in model.parts}


# --- Generating the round ----------------------------------------------------------------------------


def generate(agencies: int) -> None:
    from django.db import connection, transaction

    vendor = connection.vendor
    items, oit, _weights = layout_rows()
    tables = [
        "ita_answer",
        "ita_usedticket",
        "ita_linkbudget",
        "ita_surveyresponse",
        "ita_oitentry",
        "ita_surveylink",
        "ita_assessmentscore",
        "ita_assessment",
        "ita_surveyround",
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        cursor.execute("DELETE FROM organizations_organization WHERE slug LIKE %s", [BENCH_PREFIX + "%"])
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    series = (
        "generate_series(1, %(n)s) AS g(x)"
        if vendor == "postgresql"
        else "(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < %(n)s) SELECT x FROM s) AS g"
    )
    rand = "random()" if vendor == "postgresql" else "((random() / 18446744073709551616.0) + 0.5)"
    now = "now()" if vendor == "postgresql" else "datetime('now')"
    # Responses and answers have random UUID keys (no order to tell when anyone answered); Django keeps a
    # UUID as 32 hex digits on SQLite.
    new_uuid = "gen_random_uuid()" if vendor == "postgresql" else "lower(hex(randomblob(16)))"
    item_values = _values([(item, n) for item, _q, _p, n in items])
    tool_of = "CASE WHEN substr(i.item, 1, 1) = 'I' THEN 'IIT' ELSE 'EIT' END"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO organizations_organization
                (slug, name_th, name_en, kind, district_th, province_th, district_en, province_en, created_at)
                SELECT '{BENCH_PREFIX}' || g.x, 'หน่วยงาน ' || g.x, '', 'sao', '-', '-', '', '', {now}
                FROM {series % {"n": agencies}}"""  # noqa: S608 - generated from constants
        )
        cursor.execute(
            f"""INSERT INTO ita_surveyround (organization_id, year, model_key, title, status, opened_at)
                SELECT id, {YEAR}, '{MODEL}', 'national benchmark', 'open', {now}
                FROM organizations_organization WHERE slug LIKE '{BENCH_PREFIX}%'"""  # noqa: S608
        )
        # About 40 IIT respondents (30–50) and about 120 EIT respondents (100–140) per agency.
        for tool, low, spread in (("IIT", 30, 21), ("EIT", 100, 41)):
            cursor.execute(
                f"""INSERT INTO ita_surveyresponse (id, round_id, tool, via)
                    SELECT {new_uuid}, r.id, '{tool}', 'import' FROM ita_surveyround r
                    JOIN {series % {"n": low + spread - 1}} ON g.x <= {low} + (r.id * 7919) % {spread}"""  # noqa: S608
            )
        # Answers lean positive: each option index with weights 1:2:3:4 on four-level items.
        cursor.execute(
            f"""WITH i(item, n) AS (VALUES {item_values})
                INSERT INTO ita_answer (id, round_id, response_id, item, points)
                SELECT {new_uuid}, round_id, response_id, item,
                  CASE WHEN n = 2 THEN CASE WHEN v < 0.7 THEN 100 ELSE 0 END
                       ELSE CASE WHEN v < 0.1 THEN 0 WHEN v < 0.3 THEN 33 WHEN v < 0.6 THEN 67 ELSE 100 END END
                FROM (SELECT s.round_id, s.id AS response_id, i.item, i.n, {rand} AS v
                      FROM ita_surveyresponse s JOIN i ON {tool_of} = s.tool) AS x"""  # noqa: S608
        )
        cursor.execute(
            f"""WITH o(item, z) AS (VALUES {_values([(item, 0) for item, _p, _s in oit])})
                INSERT INTO ita_oitentry (round_id, item, url, complete, updated_at)
                SELECT r.id, o.item, 'https://example.org/' || o.item, true, {now}
                FROM ita_surveyround r JOIN o ON ({rand}) < 0.8"""  # noqa: S608
        )
    with connection.cursor() as cursor:
        # After a bulk load: statistics, and (PostgreSQL) the visibility map that index-only scans use.
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
        cursor.execute("SELECT COUNT(*) FROM ita_answer")
        answers = cursor.fetchone()[0]
        cursor.execute("SELECT tool, COUNT(*) FROM ita_surveyresponse GROUP BY tool ORDER BY tool")
        respondents = dict(cursor.fetchall())
    print(
        f"generated {agencies:,} agencies, {respondents.get('IIT', 0):,} IIT and {respondents.get('EIT', 0):,} EIT "
        f"respondents, {answers:,} answers in {time.perf_counter() - started:.1f} s"
    )


# --- The two ways of scoring -------------------------------------------------------------------------


def prongsai_path() -> dict[int, Decimal]:
    """Prongsai's own scoring of every round: indicator scores set-based, then each agency's total."""
    from prongsai.ita import catalog, scoring, survey_scores
    from prongsai.ita.models import SurveyRound

    model = catalog.load_model(MODEL)
    rounds = SurveyRound.objects.filter(organization__slug__startswith=BENCH_PREFIX)
    return {
        round_id: scoring.compute(model, scores).total
        for round_id, scores in survey_scores.score_rounds(rounds).items()
    }


def reference_query() -> dict[int, Decimal]:
    """The same totals from one SQL statement (item means → question means → indicators → weighted sum)."""
    from django.db import connection

    items, oit, weights = layout_rows()
    rounds = f"SELECT r.id FROM ita_surveyround r JOIN organizations_organization o ON o.id = r.organization_id WHERE o.slug LIKE '{BENCH_PREFIX}%'"  # noqa: S608
    sql = f"""
    WITH items(item, question, part) AS (VALUES {_values([(i, q, p) for i, q, p, _n in items])}),
    oit_items(item, part, size) AS (VALUES {_values(oit)}),
    weights(part, weight) AS (VALUES {", ".join(f"('{k}', {w})" for k, w in weights.items())}),
    item_means AS (
        SELECT a.round_id, a.item, AVG(a.points) AS m FROM ita_answer a
        WHERE a.round_id IN ({rounds}) GROUP BY a.round_id, a.item),
    question_means AS (
        SELECT im.round_id, i.part, i.question, AVG(im.m) AS m
        FROM item_means im JOIN items i ON i.item = im.item GROUP BY im.round_id, i.part, i.question),
    parts AS (
        SELECT round_id, part, AVG(m) AS score FROM question_means GROUP BY round_id, part
        UNION ALL
        SELECT e.round_id, o.part, 100.0 * SUM(CASE WHEN e.complete THEN 1 ELSE 0 END) / MAX(o.size)
        FROM ita_oitentry e JOIN oit_items o ON o.item = e.item
        WHERE e.round_id IN ({rounds}) GROUP BY e.round_id, o.part)
    SELECT p.round_id, SUM(p.score * w.weight / 100) FROM parts p JOIN weights w ON w.part = p.part
    GROUP BY p.round_id
    """  # noqa: S608 - built from the questionnaire data files
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {round_id: Decimal(str(total)) for round_id, total in cursor.fetchall()}


def timed(label: str, function: Any) -> tuple[float, dict[int, Decimal]]:
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s for {len(result):,} agencies")
    return seconds, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--agencies", type=int, default=8317)
    parser.add_argument("--reuse", action="store_true", help="score the round already in the database")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each path (the best is reported)"
    )
    parser.add_argument("--sqlite-path", default=str(DEFAULT_SQLITE))
    args = parser.parse_args(argv)
    setup(args.sqlite_path)
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not args.reuse:
        generate(args.agencies)
    rss_before = peak_rss_mb()
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.repeat):
        seconds, mine = timed("prongsai path (score_rounds + totals)", prongsai_path)
        ours.append(seconds)
        seconds, reference = timed("reference query (one SQL statement)", reference_query)
        theirs.append(seconds)
    worst = max(abs(mine[key] - reference[key].quantize(Decimal("0.01"))) for key in reference)
    if set(mine) != set(reference) or worst > Decimal("0.01"):
        print(f"MISMATCH: {len(mine)} vs {len(reference)} agencies, largest difference {worst}")
        return 1
    best_ours, best_theirs = min(ours), min(theirs)
    print(f"agree: {len(mine):,} totals within 0.01 (largest difference {worst})")
    print(
        f"best of {args.repeat}: prongsai {best_ours:.2f} s, reference {best_theirs:.2f} s, "
        f"ratio {best_ours / best_theirs:.2f}"
    )
    print(f"peak memory of this process: {peak_rss_mb():.0f} MB (before scoring {rss_before:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
