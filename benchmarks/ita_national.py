"""A national ITA round in the database, scored four ways side by side.

Generates 8,317 agencies (the 2568 round), each with about 40 IIT respondents × the IIT items, about
120 EIT respondents × the EIT items and the 43 OIT items, and their per-item running sums (``ItemTally``,
filled in the same transaction as the answers, as the bulk path does). Then scores every agency and
totals it:

- **prongsai**: ``survey_scores.score_rounds``, from the tallies, combined per indicator in SQL;
- **before**: ``survey_scores.score_rounds_from_answers``, the path before the tallies (one GROUP BY over
  every answer, Python combining the per-item sums);
- **reference**: one SQL statement doing the whole computation over the answers, on the same database;
- **duckdb**: the same statement in DuckDB (in memory), over the same rows exported to CSV files.

Prints the seconds of each (best of ``--repeat``), their ratios, that prongsai and "before" give the same
``Decimal`` scores, that the totals agree with the statement's within 0.01, and the time one answer
submission takes with and without the tally update.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench .venv/bin/python benchmarks/ita_national.py
    .venv/bin/python benchmarks/ita_national.py                 # SQLite in var/ita-national.sqlite3
    .venv/bin/python benchmarks/ita_national.py --agencies 832  # a tenth of the country
    .venv/bin/python benchmarks/ita_national.py --reuse         # score the round generated last time

The database must be a scratch one: the ITA tables are emptied before generating. DuckDB comes from the
dev extras (``pip install -e .[dev]``). Not a test: the figures go into docs/decisions/0004-ita-scoring.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import sys
import tempfile
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
        "ita_itemtally",
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
                (slug, name_th, name_en, kind, size, district_id, one_person_office, created_at)
                SELECT '{BENCH_PREFIX}' || g.x, 'หน่วยงาน ' || g.x, '', 'sao', '',
                  (SELECT MIN(code) FROM geography_district), false, {now}
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
        # The running sums, in the same transaction as the answers they count (the bulk path).
        cursor.execute(
            """INSERT INTO ita_itemtally (round_id, item, answers, points)
               SELECT round_id, item, COUNT(*), SUM(points) FROM ita_answer GROUP BY round_id, item"""
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


# --- The ways of scoring ----------------------------------------------------------------------------


def _bench_rounds() -> Any:
    from prongsai.ita.models import SurveyRound

    return SurveyRound.objects.filter(organization__slug__startswith=BENCH_PREFIX)


def _totals(scores_of: dict[int, dict[str, Decimal]]) -> dict[int, Decimal]:
    from prongsai.ita import catalog, scoring

    model = catalog.load_model(MODEL)
    return {round_id: scoring.compute(model, scores).total for round_id, scores in scores_of.items()}


LAST_SCORES: dict[str, dict[int, dict[str, Decimal]]] = {}


def prongsai_path() -> dict[int, Decimal]:
    """Prongsai's scoring of every round from the tallies (combined per indicator in SQL), then each total."""
    from prongsai.ita import survey_scores

    LAST_SCORES["prongsai"] = survey_scores.score_rounds(_bench_rounds())
    return _totals(LAST_SCORES["prongsai"])


def before_path() -> dict[int, Decimal]:
    """The path before the tallies: one GROUP BY over every answer, Python combining per-item sums."""
    from prongsai.ita import survey_scores

    LAST_SCORES["before"] = survey_scores.score_rounds_from_answers(_bench_rounds())
    return _totals(LAST_SCORES["before"])


def reference_sql() -> str:
    """One statement doing the whole computation (item means → question means → indicators → weighted sum)."""
    items, oit, weights = layout_rows()
    rounds = f"SELECT r.id FROM ita_surveyround r JOIN organizations_organization o ON o.id = r.organization_id WHERE o.slug LIKE '{BENCH_PREFIX}%'"  # noqa: S608
    return f"""
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


def reference_query() -> dict[int, Decimal]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(reference_sql())
        return {round_id: Decimal(str(total)) for round_id, total in cursor.fetchall()}


# --- DuckDB over the same rows -----------------------------------------------------------------------

# The columns the statement reads, table by table; exported as CSV (no network: DuckDB's PostgreSQL and
# SQLite scanners are extensions it would download).
EXPORTED = {
    "ita_answer": "round_id INTEGER, item VARCHAR, points SMALLINT",
    "ita_oitentry": "round_id INTEGER, item VARCHAR, complete BOOLEAN",
    "ita_surveyround": "id INTEGER, organization_id INTEGER",
    "organizations_organization": "id INTEGER, slug VARCHAR",
}


def export_to_duckdb(folder: Path) -> Any:
    """An in-memory DuckDB holding the rows the statement reads, copied through CSV files in ``folder``."""
    import duckdb
    from django.db import connection

    started = time.perf_counter()
    duck = duckdb.connect()
    for table, columns in EXPORTED.items():
        names = ", ".join(column.split()[0] for column in columns.split(", "))
        path = folder / f"{table}.csv"
        select = f"SELECT {names} FROM {table}"  # noqa: S608 - fixed names
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                path.open("wb") as out,
                cursor.cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as copy,
            ):
                for data in copy:
                    out.write(data)
        else:
            with connection.cursor() as cursor, path.open("w", newline="") as out:
                cursor.execute(select)
                writer = csv.writer(out)
                for chunk in iter(lambda: cursor.fetchmany(100_000), []):
                    if table == "ita_oitentry":  # SQLite keeps booleans as 0/1
                        chunk = [(r[0], r[1], "true" if r[2] else "false") for r in chunk]
                    writer.writerows(chunk)
        types = ", ".join(f"'{c.split()[0]}': '{c.split()[1]}'" for c in columns.split(", "))
        duck.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = false, columns = {{{types}}})"  # noqa: S608 - fixed names
        )
        path.unlink()
    print(f"exported the rows to DuckDB {duckdb.__version__} in {time.perf_counter() - started:.1f} s")
    return duck


def duckdb_query(duck: Any) -> dict[int, Decimal]:
    return {round_id: Decimal(str(total)) for round_id, total in duck.execute(reference_sql()).fetchall()}


# --- One answer, with and without its tally update ---------------------------------------------------


def submission_cost(times: int) -> tuple[float, float]:
    """Median seconds of one ``submit_answers`` (an EIT respondent, committed) with the tally update and
    with it replaced by nothing, alternating; the round's tallies are recounted afterwards."""
    from django.db import connection, transaction

    from prongsai.ita import actions, catalog, tallies
    from prongsai.ita.models import SurveyLink

    survey_round = _bench_rounds().order_by("pk").first()
    assert survey_round is not None
    questionnaire = catalog.questionnaires_of(catalog.load_model(MODEL))["EIT"]
    link, _created = SurveyLink.objects.get_or_create(
        round=survey_round,
        tool="EIT",
        defaults={"questionnaire_key": questionnaire.key, "token": "bench-eit"},
    )
    choices = {item.key: (k % len(item.options)) for k, item in enumerate(questionnaire.items)}
    real_add = tallies.add_answers

    def skip(_round_id: int, _points: Any) -> None:
        return None

    with_tally: list[float] = []
    without: list[float] = []
    for k in range(2 * times):
        ticket = actions.Ticket(
            purpose=actions.TICKET_PURPOSE,
            subject=str(link.pk),
            issued=0,
            bits=0,
            digest=os.urandom(32).hex(),
        )
        tallies.add_answers = real_add if k % 2 == 0 else skip  # type: ignore[assignment]
        started = time.perf_counter()
        actions.submit_answers(link, ticket, choices)
        (with_tally if k % 2 == 0 else without).append(time.perf_counter() - started)
    tallies.add_answers = real_add
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ita_itemtally WHERE round_id = %s", [survey_round.pk])
        cursor.execute(
            """INSERT INTO ita_itemtally (round_id, item, answers, points)
               SELECT round_id, item, COUNT(*), SUM(points) FROM ita_answer WHERE round_id = %s
               GROUP BY round_id, item""",
            [survey_round.pk],
        )
    return statistics.median(with_tally), statistics.median(without)


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
    parser.add_argument("--submissions", type=int, default=100, help="answers timed each way")
    parser.add_argument("--sqlite-path", default=str(DEFAULT_SQLITE))
    args = parser.parse_args(argv)
    setup(args.sqlite_path)
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not args.reuse:
        generate(args.agencies)
    with tempfile.TemporaryDirectory(dir=Path(args.sqlite_path).parent) as folder:
        duck = export_to_duckdb(Path(folder))
    rss_before = peak_rss_mb()
    ways = {
        "prongsai (tallies, combined in SQL)": prongsai_path,
        "before (GROUP BY over the answers)": before_path,
        f"reference statement on {connection.vendor}": reference_query,
        "duckdb, the same statement": lambda: duckdb_query(duck),
    }
    seconds: dict[str, list[float]] = {label: [] for label in ways}
    results: dict[str, dict[int, Decimal]] = {}
    for _ in range(args.repeat):
        for label, function in ways.items():
            took, results[label] = timed(label, function)
            seconds[label].append(took)
    mine = results["prongsai (tallies, combined in SQL)"]
    if LAST_SCORES["prongsai"] != LAST_SCORES["before"]:
        differing = [
            k for k in LAST_SCORES["before"] if LAST_SCORES["prongsai"].get(k) != LAST_SCORES["before"][k]
        ]
        print(f"MISMATCH: tallies and answers give different scores for {len(differing)} rounds")
        return 1
    print(f"same Decimal scores from the tallies and from the answers: {len(mine):,} rounds × indicators")
    for label, reference in results.items():
        worst = max(abs(mine[key] - reference[key].quantize(Decimal("0.01"))) for key in reference)
        if set(mine) != set(reference) or worst > Decimal("0.01"):
            print(
                f"MISMATCH with {label}: {len(mine)} vs {len(reference)} agencies, largest difference {worst}"
            )
            return 1
    print(f"totals agree within 0.01 with every other way ({len(mine):,} agencies)")
    best = {label: min(runs) for label, runs in seconds.items()}
    duck_best = best["duckdb, the same statement"]
    print(f"\nbest of {args.repeat}, {len(mine):,} agencies on {connection.vendor}:")
    for label, took in best.items():
        print(f"  {label:<40} {took:7.3f} s   × duckdb {took / duck_best:6.2f}")
    ours = best["prongsai (tallies, combined in SQL)"]
    print(f"  prongsai ÷ before {ours / best['before (GROUP BY over the answers)']:.3f}")
    print(f"peak memory of this process: {peak_rss_mb():.0f} MB (before scoring {rss_before:.0f} MB)")
    if args.submissions:
        with_tally, without = submission_cost(args.submissions)
        print(
            f"one answer submission (median of {args.submissions} each, committed): "
            f"{with_tally * 1000:.2f} ms with the tally update, {without * 1000:.2f} ms without, "
            f"ratio {with_tally / without:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
