"""The rounds' running sums: kept with every answer, never losing one, checked against the answers, and
giving exactly the scores the answers give."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from prongsai.cli import main as prongsai_main
from prongsai.conftest import log_problems
from prongsai.ita import actions, catalog, survey_scores, tabular, tallies
from prongsai.ita.models import Answer, ItemTally, OitEntry, SurveyResponse, SurveyRound, Via
from prongsai.ita.tests.helpers import csv_for, link, open_round, spendable_ticket


def _tallies(survey_round: SurveyRound) -> dict[str, tuple[int, int]]:
    return {
        item: (answers, points)
        for item, answers, points in ItemTally.objects.filter(round=survey_round).values_list(
            "item", "answers", "points"
        )
    }


def _answer_randomly(survey_link: Any, rng: random.Random) -> None:
    choices = {item.key: rng.randrange(len(item.options)) for item in survey_link.questionnaire.items}
    actions.submit_answers(survey_link, spendable_ticket(survey_link), choices)


def test_every_answer_is_counted_in_its_rounds_tallies_in_the_same_transaction(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit, eit = link(survey_round, "IIT"), link(survey_round, "EIT")
    rng = random.Random(7)
    for _ in range(3):
        _answer_randomly(iit, rng)
    codes = [[str(rng.randint(1, 4)) if len(i.options) == 4 else "1" for i in eit.questionnaire.items]]
    actions.import_responses(people["alice"], survey_round, "EIT", csv_for(eit, codes * 4), "eit.csv")
    counted = tallies.answer_sums(SurveyRound.objects.filter(pk=survey_round.pk))
    assert _tallies(survey_round) == {item: sums for (_round, item), sums in counted.items()}
    assert {answers for answers, _points in _tallies(survey_round).values()} == {3, 4}
    assert tallies.drift() == []


def test_answers_refused_or_rolled_back_leave_the_tallies_as_they_were(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit = link(survey_round, "IIT")
    _answer_randomly(iit, random.Random(1))
    before = _tallies(survey_round)
    bad = [["9"] * len(iit.questionnaire.items)]
    with pytest.raises(tabular.ImportRefused):
        actions.import_responses(people["alice"], survey_round, "IIT", csv_for(iit, bad), "bad.csv")
    with pytest.raises(ValidationError):
        actions.submit_answers(iit, spendable_ticket(iit), {"I1": 0})  # not every item answered
    with pytest.raises(RuntimeError), transaction.atomic():
        _answer_randomly(iit, random.Random(2))
        raise RuntimeError("the transaction around the answer fails after it")
    assert _tallies(survey_round) == before
    assert SurveyResponse.objects.count() == 1


# --- Concurrency: two writers at once ---------------------------------------------------------------


def _waiting_as_sqlite_does(write: Callable[[], None]) -> None:
    """Retry while the other thread holds SQLite's shared in-memory test database (a file database's busy
    timeout waits instead); PostgreSQL writers run at once and meet only on the tally rows."""
    for _attempt in range(400):
        try:
            write()
            return
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("the other writer never finished")


def _at_once(*writers: Callable[[], None]) -> None:
    start = threading.Barrier(len(writers))
    errors: list[BaseException] = []

    def run(write: Callable[[], None]) -> None:
        try:
            start.wait(timeout=10)
            _waiting_as_sqlite_does(write)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(write,)) for write in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_rows_another_writer_makes_after_the_update_found_none_still_get_this_add(people, org_a, monkeypatch):
    """The interleaving that lost an add on PostgreSQL: this writer's UPDATE finds no rows; another writer
    then makes them and commits; this writer must still add to them (it once found them, thought they
    had been counted by its UPDATE, and added nothing)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time in: the other writer cannot run in between")
    survey_round = open_round(people["alice"], org_a)
    real_update = tallies._update
    calls: list[int] = []

    def update_then_the_other_writer_commits(round_id: int, counts: Any) -> int:
        touched = real_update(round_id, counts)
        calls.append(touched)
        if len(calls) == 1:

            def other() -> None:
                try:
                    with transaction.atomic():
                        real_add(round_id, {"I1": (1, 40), "I2": (1, 60)})
                finally:
                    connection.close()

            thread = threading.Thread(target=other)
            thread.start()
            thread.join(timeout=30)
        return touched

    real_add = tallies.add
    monkeypatch.setattr(tallies, "_update", update_then_the_other_writer_commits)
    with transaction.atomic():
        tallies.add(survey_round.pk, {"I1": (1, 100), "I2": (1, 0)})
    assert calls[0] == 0  # the rows were not there when this writer's first UPDATE ran
    assert _tallies(survey_round) == {"I1": (2, 140), "I2": (2, 60)}


@pytest.mark.django_db(transaction=True)
def test_two_writers_adding_to_the_same_tallies_at_once_lose_nothing(people, org_a):
    """``tallies.add`` on its own, without the round's lock around it, from the very first row (both
    writers find no tally and insert) through many adds."""
    survey_round = open_round(people["alice"], org_a)
    adds = 40

    def writer(points: int) -> Callable[[], None]:
        def write() -> None:
            for _ in range(adds):
                _waiting_as_sqlite_does(lambda: _add_once(points))

        return write

    def _add_once(points: int) -> None:
        with transaction.atomic():
            tallies.add(survey_round.pk, {"I1": (1, points), "I2": (1, 100 - points)})

    _at_once(writer(33), writer(67))
    assert _tallies(survey_round) == {"I1": (2 * adds, 100 * adds), "I2": (2 * adds, 100 * adds)}


@pytest.mark.django_db(transaction=True)
def test_two_respondents_answering_one_round_at_once_are_both_counted(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit = link(survey_round, "IIT")
    each = 5

    def respondent(seed: int) -> Callable[[], None]:
        def answer() -> None:
            for k in range(each):
                rng = random.Random(seed * 100 + k)
                _waiting_as_sqlite_does(lambda: _answer_randomly(iit, rng))  # noqa: B023 - called at once

        return answer

    _at_once(respondent(1), respondent(2))
    assert SurveyResponse.objects.count() == 2 * each
    assert {answers for answers, _points in _tallies(survey_round).values()} == {2 * each}
    assert tallies.drift() == []


# --- Same scores from the tallies as from the answers, exactly --------------------------------------


def _exact_rule(
    model_key: str, item_sums: dict[str, tuple[int, int]], complete: set[str]
) -> dict[str, Decimal]:
    """The NACC rule written out in exact fractions, rounded once at the end: mean of the answered items'
    means per question, mean of the answered questions per indicator; OIT the share complete."""
    model = catalog.load_model(model_key)
    scores: dict[str, Decimal] = {}
    for tool, questionnaire in catalog.questionnaires_of(model).items():
        if tool == catalog.CHECKLIST_TOOL:
            for part in questionnaire.part_keys:
                keys = [entry.key for entry in questionnaire.checklist if entry.part_key == part]
                scores[part] = Decimal(sum(1 for k in keys if k in complete)) * 100 / len(keys)
            continue
        for part in questionnaire.part_keys:
            questions = []
            for question in questionnaire.questions:
                if question.part_key != part:
                    continue
                means = [
                    Fraction(item_sums[i.key][0], item_sums[i.key][1])
                    for i in question.items
                    if item_sums.get(i.key, (0, 0))[1]
                ]
                if means:
                    questions.append(sum(means, Fraction(0)) / len(means))
            if questions:
                exact = sum(questions, Fraction(0)) / len(questions)
                scores[part] = Decimal(exact.numerator) / Decimal(exact.denominator)
    return scores


def _generated_rounds(people: dict[str, Any], orgs: list[Any]) -> list[SurveyRound]:
    """Rounds with random answers through the web path and the import, and the edge cases: a round nobody
    answered, one with only IIT answers, one with items nobody answered (a bulk load of part of the
    questionnaire) and one with different numbers of answers per item."""
    rng = random.Random(2568)
    made = []
    for index, org in enumerate(orgs):
        actor = people["alice"] if index == 0 else people["erin"]
        full = actions.open_round(actor, org, year=2568, title="สุ่มคำตอบ")
        for _ in range(rng.randint(1, 6)):
            _answer_randomly(link(full, "IIT"), rng)
        for _ in range(rng.randint(1, 6)):
            _answer_randomly(link(full, "EIT"), rng)
        eit = link(full, "EIT")
        rows = [
            [
                str(rng.randint(1, 4)) if len(i.options) == 4 else str(rng.randint(0, 1))
                for i in eit.questionnaire.items
            ]
            for _ in range(rng.randint(1, 5))
        ]
        actions.import_responses(actor, full, "EIT", csv_for(eit, rows), "eit.csv")
        oit = {
            f"O{n}": actions.OitChange(f"https://example.org/{n}", True) for n in rng.sample(range(1, 44), 17)
        }
        actions.update_oit_checklist(actor, full, oit)
        made.append(full)
        made.append(actions.open_round(actor, org, year=2567, title="ยังไม่มีใครตอบ"))
        only_iit = actions.open_round(actor, org, year=2566, title="ตอบแต่ IIT")
        _answer_randomly(link(only_iit, "IIT"), rng)
        made.append(only_iit)
    # Items nobody answered, and items answered different numbers of times: as a bulk load would store them.
    gaps = actions.open_round(people["alice"], orgs[0], year=2565, title="บางข้อไม่มีคำตอบ")
    iit = link(gaps, "IIT").questionnaire
    respondents = []
    for k in range(4):
        keep = [item for n, item in enumerate(iit.items) if n % 7 != 5 and ((n + k) % 3 != 0 or n < 2)]
        respondents.append({item.key: item.points_of(rng.randrange(len(item.options))) for item in keep})
    with transaction.atomic():
        for answers in respondents:
            response = SurveyResponse.objects.create(round=gaps, tool="IIT", via=Via.IMPORT)
            Answer.objects.bulk_create(
                Answer(round=gaps, response=response, item=key, points=value)
                for key, value in answers.items()
            )
        tallies.add_answers(gaps.pk, respondents)
    made.append(gaps)
    return made


def test_scores_from_the_tallies_are_the_scores_from_the_answers_exactly(people, org_a, org_b):
    made = _generated_rounds(people, [org_a, org_b])
    iit = catalog.load_questionnaire("iit-2564")
    assert any(item.reversed for item in iit.items)  # reversed items are among those scored
    rounds = SurveyRound.objects.all()
    from_tallies = survey_scores.score_rounds(rounds)
    from_answers = survey_scores.score_rounds_from_answers(rounds)
    assert set(from_tallies) == {r.pk for r in made}
    assert from_tallies == from_answers  # the same Decimal, digit for digit
    sums = tallies.answer_sums(rounds)
    for survey_round in made:
        item_sums = {item: (p, n) for (r, item), (n, p) in sums.items() if r == survey_round.pk}
        complete = set(
            OitEntry.objects.filter(round=survey_round, complete=True).values_list("item", flat=True)
        )
        assert from_tallies[survey_round.pk] == _exact_rule("ita-2562", item_sums, complete)
        assert from_tallies[survey_round.pk] == survey_scores.score_round(survey_round)
    nobody, only_iit, gaps = made[1], made[2], made[-1]
    assert set(from_tallies[nobody.pk]) == {"i9", "i10"}  # OIT only, nothing disclosed yet: 0
    assert from_tallies[nobody.pk] == {"i9": 0, "i10": 0}
    assert {"i1", "i5"} <= set(from_tallies[only_iit.pk]) and "i6" not in from_tallies[only_iit.pk]
    counts = {n for (r, _i), (n, _p) in sums.items() if r == gaps.pk}
    assert len(counts) > 1  # items answered different numbers of times
    assert len([1 for (r, _i) in sums if r == gaps.pk]) < len(iit.items)  # and items nobody answered


def test_an_indicator_whose_items_were_not_all_answered_is_scored_over_those_answered(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    # i2 = questions I7..I12; only I7 (100 twice) and I8 (0, then 100) are answered.
    with transaction.atomic():
        tallies.add(survey_round.pk, {"I7": (2, 200), "I8": (2, 100)})
    scores = survey_scores.score_round(survey_round)
    assert scores["i2"] == Decimal(75)  # (100 + 50) / 2: the four questions nobody answered left out
    assert "i1" not in scores
    assert scores == survey_scores.combine("ita-2562", {"I7": (200, 2), "I8": (100, 2)}, [])


# --- Nothing drifts unseen --------------------------------------------------------------------------


def _round_with_answers(actor: Any, org: Any) -> SurveyRound:
    survey_round = open_round(actor, org)
    rng = random.Random(3)
    for _ in range(2):
        _answer_randomly(link(survey_round, "IIT"), rng)
    return survey_round


def test_check_tallies_passes_when_they_match_the_answers(people, org_a, capsys):
    _round_with_answers(people["alice"], org_a)
    assert prongsai_main(["ita", "check-tallies"]) == 0
    assert "ผ่าน" in capsys.readouterr().out


def test_a_tally_edited_by_sql_is_named_by_check_tallies_and_audit_verify(people, org_a, org_b, capsys):
    edited = _round_with_answers(people["alice"], org_a)
    _round_with_answers(people["erin"], org_b)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ita_itemtally SET points = points + 33 WHERE round_id = %s AND item = %s",
            [edited.pk, "I3"],
        )
        cursor.execute("DELETE FROM ita_itemtally WHERE round_id = %s AND item = %s", [edited.pk, "I4"])
    assert prongsai_main(["ita", "check-tallies"]) == 1
    err = capsys.readouterr().err
    named = [line for line in err.splitlines() if "✗" in line]
    assert len(named) == 2
    assert f"รอบ {edited.pk} ({org_a.slug}) ข้อ I3" in err and f"รอบ {edited.pk} ({org_a.slug}) ข้อ I4" in err
    # The same check inside the log's verification, under the organisation whose round it is.
    problems = log_problems()
    assert len(problems) == 2
    assert all(org_a.slug in p and ("ข้อ I3" in p or "ข้อ I4" in p) for p in problems)
    assert prongsai_main(["audit", "verify"]) == 1
    assert "ข้อ I3" in capsys.readouterr().err
    assert prongsai_main(["ita", "check-tallies", "--org", org_b.slug]) == 0


def test_a_tally_without_answers_is_named_too(people, org_a, capsys):
    survey_round = open_round(people["alice"], org_a)
    with transaction.atomic():
        tallies.add(survey_round.pk, {"I1": (1, 100)})
    drifts = tallies.drift()
    assert [(d.round_id, d.item, d.tally, d.answers) for d in drifts] == [
        (survey_round.pk, "I1", (1, 100), (0, 0))
    ]
