"""``prongsai ita score``: JSON out, exit code 2 with a Thai message naming the problem on bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from prongsai.cli import main
from prongsai.ita import catalog, survey_scores
from prongsai.ita.models import SurveyRound
from prongsai.ita.tests.helpers import answer_all, answer_best, link, open_round

SOURCE = [
    "transparency=80.06",
    "accountability=85.72",
    "corruption_free=89.77",
    "integrity_culture=72.83",
    "work_integrity=60.48",
]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["ita", "score", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_source_row_as_json(capsys):
    code, out, err = run(capsys, "--model", "ita-2560", "--scores", *SOURCE)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["model"] == "ita-2560"
    assert [(i["key"], i["points"]) for i in data["indices"]] == [
        ("transparency", 20.82),
        ("accountability", 15.43),
        ("corruption_free", 19.75),
        ("integrity_culture", 11.65),
        ("work_integrity", 10.89),
    ]
    first = data["indices"][0]
    assert first == first | {"name_th": "ความโปร่งใส", "score": 80.06, "weight": 26}
    assert data["total"] == 78.53
    assert data["total_exact"] == "78.5338"
    assert data["grade"] == "สูง"
    assert data["passed"] is None and data["pass_mark"] is None
    assert data["weakest"] == "work_integrity"


def test_the_2562_model_gives_the_grade_and_pass(capsys):
    scores = [f"i{n}=80" for n in range(1, 9)] + ["i9=70.5", "i10=95"]
    code, out, _err = run(capsys, "--model", "ita-2562", "--scores", *scores)
    data = json.loads(out)
    assert code == 0
    assert len(data["indices"]) == 10
    # IIT and EIT weigh 60 in all: 60×0.8 + 20×0.705 + 20×0.95 = 48 + 14.1 + 19 = 81.1
    assert data["total"] == 81.1
    assert data["grade"] == "B"
    assert data["passed"] is False and data["pass_mark"] == 85
    assert data["weakest"] == "i9"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "ita-2599", "--scores", *SOURCE], "ไม่พบแบบการประเมิน ita-2599 (มี ita-2560, ita-2562)"),
        (["--model", "ita-2560", "--scores", *SOURCE[:4]], "ขาดคะแนนของ work_integrity"),
        (["--model", "ita-2560", "--scores", *SOURCE, "i1=50"], "ไม่มีดัชนีหรือตัวชี้วัด i1 ในแบบ ita-2560"),
        (
            ["--model", "ita-2560", "--scores", *SOURCE[:4], "work_integrity=100.5"],
            "ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100 แต่ได้ 100.5",
        ),
        (["--model", "ita-2560", "--scores", *SOURCE[:4], "work_integrity=-1"], "แต่ได้ -1"),
        (["--model", "ita-2560", "--scores", *SOURCE[:4], "work_integrity=หกสิบ"], "แต่ได้ หกสิบ"),
        (["--model", "ita-2560", "--scores", *SOURCE[:4], "work_integrity"], "ต้องเขียนคะแนนเป็น KEY=VALUE"),
        (["--model", "ita-2560", "--scores", *SOURCE, "transparency=1"], "ให้คะแนนของ transparency ซ้ำ"),
        (["--model", "ita-2560"], "ให้ --scores หรือ --responses"),
        (["--model", "ita-2560", "--responses", "x.csv"], "แบบ ita-2560 ไม่มีแบบสำรวจ"),
    ],
)
def test_bad_input_exits_with_2_and_names_the_problem(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_a_missing_model_argument_is_a_usage_error_with_code_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["ita", "score", "--scores", *SOURCE])
    assert exit_.value.code == 2


def _write(path, header, rows):
    path.write_text("\n".join([",".join(header), *(",".join(row) for row in rows)]) + "\n", encoding="utf-8")
    return str(path)


def test_raw_responses_are_scored_the_same_way_as_a_round(capsys, tmp_path, people, org_a):
    model = catalog.load_model("ita-2562")
    questionnaires = catalog.questionnaires_of(model)
    iit, eit = questionnaires["IIT"], questionnaires["EIT"]
    best = {
        tool: [
            str(
                next(i for i in range(len(item.options)) if item.points_of(i) == 100)
                + (1 if len(item.options) == 4 else 0)
            )
            for item in q.items
        ]
        for tool, q in (("IIT", iit), ("EIT", eit))
    }
    first_options = ["1" if len(item.options) == 4 else "0" for item in iit.items]  # option 0 on every item
    files = [
        _write(tmp_path / "iit.csv", iit.item_keys, [best["IIT"], first_options]),
        _write(tmp_path / "eit.csv", eit.item_keys, [best["EIT"]]),
        _write(tmp_path / "oit.csv", questionnaires["OIT"].item_keys, [["1"] * 33 + ["0"] * 10]),
    ]
    code, out, err = run(capsys, "--model", "ita-2562", "--responses", *files)
    assert code == 0, err
    data = json.loads(out)
    assert data["respondents"] == {"IIT": 2, "EIT": 1}
    by_key = {i["key"]: i for i in data["indices"]}
    assert by_key["i6"]["score"] == 100 and by_key["i9"]["score"] == 100 and by_key["i10"]["score"] == 0

    # The same answers through a round, scored by the database, give the same indicator scores.
    survey_round = open_round(people["alice"], org_a)
    answer_best(link(survey_round, "IIT"))
    answer_all(link(survey_round, "IIT"), 0)
    answer_best(link(survey_round, "EIT"))
    db_scores = survey_scores.score_rounds(SurveyRound.objects.filter(pk=survey_round.pk))[survey_round.pk]
    for key in ("i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8"):
        assert Decimal(str(by_key[key]["score"])) == db_scores[key].quantize(Decimal("0.01")), key


def test_responses_and_typed_scores_combine_but_may_not_overlap(capsys, tmp_path):
    questionnaires = catalog.questionnaires_of(catalog.load_model("ita-2562"))
    iit = questionnaires["IIT"]
    eit = questionnaires["EIT"]
    files = [
        _write(
            tmp_path / "iit.csv", iit.item_keys, [["2" if len(i.options) == 4 else "0" for i in iit.items]]
        ),
        _write(
            tmp_path / "eit.csv", eit.item_keys, [["3" if len(i.options) == 4 else "1" for i in eit.items]]
        ),
    ]
    code, out, err = run(
        capsys, "--model", "ita-2562", "--responses", *files, "--scores", "i9=100", "i10=100"
    )
    assert code == 0, err
    assert json.loads(out)["respondents"] == {"IIT": 1, "EIT": 1}
    code, _out, err = run(
        capsys, "--model", "ita-2562", "--responses", *files, "--scores", "i1=1", "i9=1", "i10=1"
    )
    assert code == 2 and "i1" in err and "ทั้งจากไฟล์คำตอบและ --scores" in err
    code, _out, err = run(capsys, "--model", "ita-2562", "--responses", files[0])
    assert code == 2 and "ขาดคะแนนของ i6" in err and "ขาดคะแนนของ i10" in err


def test_a_bad_response_file_exits_with_2_and_row_level_messages(capsys, tmp_path):
    iit = catalog.questionnaires_of(catalog.load_model("ita-2562"))["IIT"]
    row = ["3" if len(i.options) == 4 else "1" for i in iit.items]
    row[0] = "9"
    path = _write(tmp_path / "iit.csv", iit.item_keys, [row])
    code, out, err = run(capsys, "--model", "ita-2562", "--responses", path, str(tmp_path / "missing.csv"))
    assert code == 2 and out == ""
    assert f"{path}: แถว 2 คอลัมน์ I1 ค่า “9”" in err
    assert "missing.csv ไม่ได้" in err
    unknown = _write(tmp_path / "other.csv", ["X1", "X2"], [["1", "2"]])
    code, _out, err = run(capsys, "--model", "ita-2562", "--responses", unknown)
    assert code == 2 and "หัวตารางไม่ตรงกับแบบสำรวจใดของแบบ ita-2562" in err
