"""``prongsai ita score``: score published figures or raw survey responses, JSON on standard output.

Bad input (unknown model, missing or extra keys, a score that is not a number from 0 to 100, a
response file with any problem) exits with code 2 and a message in Thai naming the problem.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _pairs(values: list[str]) -> dict[str, str]:
    given: dict[str, str] = {}
    problems: list[str] = []
    for value in values:
        key, sep, number = value.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(
                _("ต้องเขียนคะแนนเป็น KEY=VALUE เช่น transparency=80.06 แต่ได้ %(value)s") % {"value": value}
            )
        elif key in given:
            problems.append(_("ให้คะแนนของ %(key)s ซ้ำ") % {"key": key})
        else:
            given[key] = number
    if problems:
        raise BadInput(problems)
    return given


def _scores_from_responses(model: Any, paths: list[str]) -> tuple[dict[str, str], dict[str, int]]:
    """Part scores from raw IIT/EIT response files and OIT checklist files, scored as rounds are."""
    from prongsai.ita import survey_scores, tabular
    from prongsai.ita.catalog import CHECKLIST_TOOL

    if not model.has_surveys:
        raise BadInput([_("แบบ %(model)s ไม่มีแบบสำรวจ จึงคิดคะแนนจากคำตอบไม่ได้") % {"model": model.key}])
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    complete: set[str] = set()
    respondents: dict[str, int] = defaultdict(int)
    tools: set[str] = set()
    problems: list[str] = []
    for path in paths:
        try:
            content = Path(path).read_bytes()
        except OSError as error:
            problems.append(_("อ่านไฟล์ %(file)s ไม่ได้: %(error)s") % {"file": path, "error": error.strerror})
            continue
        try:
            table = tabular.read_table(content)
            questionnaire = tabular.detect_questionnaire(model, table)
            if questionnaire.tool == CHECKLIST_TOOL:
                complete |= tabular.parse_checklist(questionnaire, table)
            else:
                rows = tabular.parse_responses(questionnaire, table)
                for answers in rows:
                    for key, points in answers.items():
                        sums[key][0] += points
                        sums[key][1] += 1
                respondents[questionnaire.tool] += len(rows)
            tools.add(questionnaire.tool)
        except tabular.ImportRefused as refused:
            problems.extend(f"{path}: {problem}" for problem in refused.problems)
    if problems:
        raise BadInput(problems)
    scores = survey_scores.combine(model.key, {k: (v[0], v[1]) for k, v in sums.items()}, complete)
    # Only the parts whose tool had a file: the others may come from --scores.
    given = {key: str(value) for key, value in scores.items() if model.part(key).tool in tools}
    return given, dict(respondents)


def score_command(args: argparse.Namespace) -> int:
    from prongsai.ita import catalog, scoring

    try:
        try:
            model = catalog.load_model(args.model)
        except LookupError:
            raise BadInput(
                [
                    _("ไม่พบแบบการประเมิน %(model)s (มี %(models)s)")
                    % {"model": args.model, "models": ", ".join(catalog.model_keys())}
                ]
            ) from None
        if not args.scores and not args.responses:
            raise BadInput([_("ให้ --scores หรือ --responses อย่างน้อยหนึ่งอย่าง")])
        given: dict[str, str] = {}
        respondents: dict[str, int] = {}
        if args.responses:
            given, respondents = _scores_from_responses(model, args.responses)
        typed = _pairs(args.scores or [])
        both = sorted(set(typed) & set(given))
        if both:
            raise BadInput([_("คะแนนของ %(keys)s ได้ทั้งจากไฟล์คำตอบและ --scores") % {"keys": ", ".join(both)}])
        given.update(typed)
        try:
            scores = scoring.check_scores(model, given)
        except scoring.ScoreProblems as problems:
            raise BadInput(problems.problems) from None
    except BadInput as bad:
        for problem in bad.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    output = scoring.compute(model, scores).as_json()
    if respondents:
        output["respondents"] = respondents
    sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
    return 0


def check_tallies_command(args: argparse.Namespace) -> int:
    """Recount every round's running sums from its answers; name each (round, item) that differs."""
    from prongsai.ita import tallies
    from prongsai.ita.models import SurveyRound

    rounds = SurveyRound.objects.all()
    if args.org:
        rounds = rounds.filter(organization__slug=args.org)
    started = time.perf_counter()
    drifts = tallies.drift(rounds)
    elapsed = time.perf_counter() - started
    for drift in drifts:
        print(f"  ✗ {drift}", file=sys.stderr)
    if drifts:
        print(
            _("ไม่ผ่าน: ยอดสะสมของคำตอบไม่ตรงกับคำตอบที่เก็บไว้ %(count)s ข้อ (%(seconds).1f วินาที)")
            % {"count": len(drifts), "seconds": elapsed}
        )
        return 1
    print(
        _("ผ่าน: ยอดสะสมของคำตอบทุกข้อตรงกับคำตอบที่เก็บไว้ (%(rounds)s รอบ, %(seconds).1f วินาที)")
        % {"rounds": rounds.count(), "seconds": elapsed}
    )
    return 0


def register(subparsers: Any) -> None:
    ita = subparsers.add_parser("ita", help="Integrity & Transparency Assessment (ITA) tools")
    commands = ita.add_subparsers(dest="ita_command", required=True)
    score = commands.add_parser(
        "score",
        help="score an ITA result from index/indicator scores or raw survey responses; prints JSON",
        description=(
            "Examples: prongsai ita score --model ita-2560 --scores transparency=80.06 accountability=85.72 "
            "corruption_free=89.77 integrity_culture=72.83 work_integrity=60.48 | "
            "prongsai ita score --model ita-2562 --responses iit.csv eit.xlsx oit.csv"
        ),
    )
    score.add_argument("--model", required=True, help="model key, e.g. ita-2560 or ita-2562")
    score.add_argument(
        "--scores", nargs="+", metavar="KEY=VALUE", help="score (per cent, 0-100) of each index"
    )
    score.add_argument(
        "--responses",
        nargs="+",
        metavar="FILE",
        help="CSV/XLSX files: IIT or EIT responses (one row per respondent) or an OIT checklist (one row)",
    )
    score.set_defaults(handler=score_command)
    check = commands.add_parser(
        "check-tallies",
        help="recount the survey rounds' running sums from the stored answers; exit 1 naming each difference",
    )
    check.add_argument("--org", help="only this organisation's rounds (its slug)")
    check.set_defaults(handler=check_tallies_command)
