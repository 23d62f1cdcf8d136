"""The public survey under load: the app under gunicorn (2 workers) on 127.0.0.1, a bounded load, ratios.

Prepares a scratch database (SQLite in var/survey-load/, or the PostgreSQL database of DATABASE_URL, which
must be a scratch one) with one organisation and two open rounds, starts gunicorn, and measures with
threads and http.client, each phase bounded in time:

1. the cheapest page, ``/healthz`` (no database);
2. the survey page (GET), alternating between the two rounds' links;
3. answers to the two rounds at once: each client opens the form, solves its proof of work, posts every
   answer; requests/s and p50/p99 of the POSTs;
4. a flood: junk POSTs (no ticket, forged tickets, missing or wrong proofs, replayed tickets) at full
   speed while a few genuine respondents answer, with the protections at production strength
   except a lower proof difficulty. Prints junk sent against genuine answers accepted.

    .venv/bin/python benchmarks/survey_load.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/prongsai_survey .venv/bin/python benchmarks/survey_load.py
    .venv/bin/python benchmarks/survey_load.py --clients 20 --seconds 8

Not a test: the figures go into docs/decisions/0005-anonymous-survey-abuse.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable

from loadkit import ROOT, Server, Tally, pct, phase_pages, request, run_for

SCRATCH = ROOT / "var" / "survey-load"


def prepare(env: dict[str, str]) -> list[str]:
    """A migrated scratch database with three open rounds (two for the load, one for the flood); returns
    the EIT link token of each."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from prongsai.ita import actions
    from prongsai.organizations.access import SystemActor
    from prongsai.organizations.models import Organization, OrganizationKind

    call_command("migrate", interactive=False, verbosity=0)
    from prongsai.ita.models import SurveyRound

    SurveyRound.objects.filter(organization__slug__startswith="load-").delete()
    tokens = []
    for n in (1, 2, 3):
        org, _created = Organization.objects.get_or_create(
            slug=f"load-{n}",
            defaults={
                "name_th": f"หน่วยงานทดสอบ {n}",
                "name_en": f"Load {n}",
                "kind": OrganizationKind.SUBDISTRICT_MUNICIPALITY,
                "district": "8601",
            },
        )
        survey_round = actions.open_round(SystemActor("benchmark"), org, year=2568, title=f"load {n}")
        tokens.append(survey_round.links.get(tool="EIT").token)
    from django.db import connections

    connections.close_all()
    return tokens


def answer_form(page: str, solve: Callable[[str, int], str]) -> dict[str, str]:
    """Every question answered, the CSRF token, the ticket and the proof the page's script would find."""
    ticket = re.search(r'name="ticket" value="([^"]+)"', page)
    bits = re.search(r'data-proof-bits="(\d+)"', page)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not (ticket and bits and csrf):
        raise RuntimeError("not a survey form")
    data = {"csrfmiddlewaretoken": csrf.group(1), "ticket": ticket.group(1)}
    data["proof"] = solve(ticket.group(1), int(bits.group(1)))
    for name in dict.fromkeys(re.findall(r'type="radio" name="([^"]+)"', page)):
        data[name] = "0"
    return data


def wrong_proof(ticket: str) -> str:
    from prongsai.lib.tickets import proof_is_good

    return next(str(n) for n in range(100_000) if not proof_is_good(ticket, str(n), 12))


def phase_answers(
    port: int, tokens: tuple[str, str], clients: int, seconds: float, solve: Callable[[str, int], str]
) -> tuple[float, Tally]:
    """Clients alternate between the two rounds; only the POSTs are timed."""
    tally = Tally()

    def work(client: int, deadline: float) -> None:
        path = f"/s/{tokens[client % 2]}/"
        while time.monotonic() < deadline:
            status, page, cookie = request(port, "GET", path)
            data = answer_form(page, solve)
            t0 = time.perf_counter()
            status, _body, _cookie = request(port, "POST", path, data, cookie)
            tally.add(status, time.perf_counter() - t0)

    elapsed = run_for(seconds, clients, work)
    return len(tally.latencies) / elapsed, tally


def phase_flood(
    port: int,
    token: str,
    junk_clients: int,
    genuine_clients: int,
    seconds: float,
    min_age: int,
    solve: Callable[[str, int], str],
) -> dict[str, int]:
    counts = {"junk sent": 0, "junk accepted": 0, "genuine sent": 0, "genuine accepted": 0, "genuine busy": 0}
    lock = threading.Lock()
    path = f"/s/{token}/"
    _status, page, cookie = request(port, "GET", path)
    spent = answer_form(page, solve)
    time.sleep(min_age)
    if request(port, "POST", path, spent, cookie)[0] != 302:  # accepted once: the replays below reuse it
        raise RuntimeError("the answer to be replayed was not accepted")

    def junk(client: int, deadline: float) -> None:
        _status, page, cookie = request(port, "GET", path)
        real = answer_form(page, solve)
        kinds = [
            ({}, ""),  # no ticket, no CSRF cookie
            (real | {"ticket": "1.1.12.forged:AAAAAAAAAAAAAAAAAAAAAAAAAAA"}, cookie),
            (real | {"proof": ""}, cookie),
            (real | {"proof": wrong_proof(real["ticket"])}, cookie),
            (spent | {"csrfmiddlewaretoken": real["csrfmiddlewaretoken"]}, cookie),  # a replayed ticket
        ]
        i = client
        while time.monotonic() < deadline:
            data, jar = kinds[i % len(kinds)]
            status, _body, _c = request(port, "POST", path, data, jar)
            with lock:
                counts["junk sent"] += 1
                counts["junk accepted"] += status == 302
            i += 1

    def genuine(client: int, deadline: float) -> None:
        while time.monotonic() < deadline:
            _status, page, cookie = request(port, "GET", path)
            data = answer_form(page, solve)
            time.sleep(min_age + 0.2)  # a person takes minutes; the ticket must be min_age old
            if time.monotonic() >= deadline:
                return
            status, _body, _c = request(port, "POST", path, data, cookie)
            with lock:
                counts["genuine sent"] += 1
                counts["genuine accepted"] += status == 302
                counts["genuine busy"] += status == 429

    def work(client: int, deadline: float) -> None:
        (genuine if client < genuine_clients else junk)(client, deadline)

    run_for(seconds, junk_clients + genuine_clients, work)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients per phase (default 20)")
    parser.add_argument(
        "--seconds", type=float, default=8, help="length of each phase, at most 20 (default 8)"
    )
    parser.add_argument("--bits", type=int, default=8, help="proof-of-work difficulty during the load phases")
    args = parser.parse_args()
    seconds = min(args.seconds, 20)

    env = {"SECURE_COOKIES": "0", "LOG_LEVEL": "ERROR", "DJANGO_SETTINGS_MODULE": "prongsai.settings"}
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    if not os.environ.get("DATABASE_URL"):
        env["PRONGSAI_SQLITE_PATH"] = str(SCRATCH / "survey-load.sqlite3")
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    tokens = prepare(env)
    from prongsai.lib.tickets import solve_proof

    load_env = env | {
        "SURVEY_PROOF_BITS": str(args.bits),
        "SURVEY_TICKET_MIN_SECONDS": "0",
        "SURVEY_POSTS_PER_MINUTE": "1000000",
    }
    print(
        f"{database}, gunicorn 2 workers, {args.clients} clients, {seconds:g} s per phase, proof {args.bits} bits"
    )
    server = Server(load_env, SCRATCH)
    try:
        rows = []
        cheap, tally = phase_pages(server.port, ["/healthz"], args.clients, seconds)
        rows.append(("cheapest page GET /healthz", cheap, tally))
        survey = [f"/s/{token}/" for token in tokens[:2]]
        rps, tally = phase_pages(server.port, survey, args.clients, seconds)
        rows.append(("survey page GET", rps, tally))
        rps, tally = phase_answers(server.port, (tokens[0], tokens[1]), args.clients, seconds, solve_proof)
        rows.append(("answers, 2 rounds (POST p50/p99)", rps, tally))
    finally:
        server.stop()
    print(f"{'':34} {'req/s':>8} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for name, rps, tally in rows:
        print(
            f"{name:34} {rps:8.1f} {rps / cheap:6.2f} {pct(tally.latencies, 0.5):8.1f} "
            f"{pct(tally.latencies, 0.99):8.1f}  {dict(sorted(tally.statuses.items()))}"
        )

    min_age, flood_bits = 2, 12
    flood_env = env | {
        "SURVEY_PROOF_BITS": str(flood_bits),
        "SURVEY_TICKET_MIN_SECONDS": str(min_age),
        "SURVEY_POSTS_PER_MINUTE": "120",
    }
    server = Server(flood_env, SCRATCH)
    try:
        genuine = 4
        counts = phase_flood(server.port, tokens[2], args.clients, genuine, seconds, min_age, solve_proof)
    finally:
        server.stop()
    print(
        f"flood ({args.clients} junk clients at full speed, {genuine} genuine respondents, one link, "
        f"ticket ≥ {min_age} s, proof {flood_bits} bits, budget 120 answers/min): "
        + ", ".join(f"{key} {value}" for key, value in counts.items())
    )
    print(
        f"flood junk req/s {counts['junk sent'] / seconds:.1f} ({counts['junk sent'] / seconds / cheap:.2f} of the cheapest page)"
    )


if __name__ == "__main__":
    main()
