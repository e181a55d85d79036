"""The provision model: the table derived from the texts equals the reviewed one in tests/data, row by row;
every norm and override quote stands verbatim in its provision; links point at what exists; the overrides
reader names what is wrong with a bad entry."""
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from corpus import Ref, load
from corpus.provisions import (DEONTIC, MODALITIES, SUBJECTS, build, norms_of, provisions, read_overrides,
                               read_overrides_file, thresholds_of)

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = [json.loads(line) for line in (ROOT / "tests/data/provisions_expected.jsonl").read_text("utf-8").splitlines()]
TABLE = provisions()


def summary(p) -> dict:
    return {"ref": str(p.ref), "kind": p.kind, "subject": p.subject, "modality": p.modality, "catch_all": p.catch_all,
            "exceptions": list(p.exceptions), "refers_to": [str(r) for r in p.refers_to],
            "sanctioned_by": [str(r) for r in p.sanctioned_by],
            "thresholds": [[t.unit, t.min, t.max] for t in p.thresholds],
            "norms": [[n.subject, n.modality, n.negative] for n in p.norms]}


def test_the_table_has_the_reviewed_rows_in_text_order():
    reviewed = {row["ref"].split(":")[0] for row in EXPECTED}
    assert [str(p.ref) for p in TABLE.all if p.ref.measure in reviewed] == [row["ref"] for row in EXPECTED]


@pytest.mark.parametrize("expected", EXPECTED, ids=[row["ref"] for row in EXPECTED])
def test_each_provision_is_derived_as_reviewed(expected):
    assert summary(TABLE.get(expected["ref"])) == expected


def test_every_article_paragraph_item_of_every_measure_is_a_provision():
    corpus = load()
    for article in corpus.articles():
        assert article.ref in TABLE.by_ref
        for item in article.items:
            assert Ref(article.ref.measure, article.ref.article, item.number) in TABLE.by_ref
        if len(article.paragraphs) > 1:
            for paragraph in article.paragraphs:
                assert Ref(article.ref.measure, article.ref.article, paragraph=paragraph.number) in TABLE.by_ref


@pytest.mark.parametrize("p", TABLE.all, ids=[str(p.ref) for p in TABLE.all])
def test_norms_are_verbatim_and_values_known(p):
    text = load().text(p.ref).replace("\n", "")
    assert p.subject in SUBJECTS and p.modality in MODALITIES
    for n in p.norms:
        assert n.text in text and n.subject in SUBJECTS and n.modality in MODALITIES
    for clause in p.exceptions:
        assert clause in text
    for t in p.thresholds:
        assert t.clause in text
    for ref in p.refers_to + p.sanctioned_by + p.children:
        assert load().exists(ref)
    if p.lead:
        assert p.lead in load().text(p.parent).replace("\n", "")


def test_items_inherit_their_lead_and_a_bar_on_doing_it_alone_is_not_a_bar():
    assert TABLE.get("taixing:11(4)").modality == "must_not"
    assert TABLE.get("taixing:11(4)").lead == "行政执法辅助人员不得有下列行为："
    assert TABLE.get("taixing:10(2)").modality == "must_not_alone"  # 独立从事… in a 不得 list
    assert TABLE.get("taixing:10(1)").modality == "must_not"
    assert {TABLE.get(f"hebei:14({n})").modality for n in range(1, 6)} == {"must_not_alone"}
    assert TABLE.get("taixing:9(4)").modality == "with_officer" and TABLE.get("taixing:8(5)").modality == "may_alone"
    assert TABLE.get("taixing:20(2)").side == "agency" and TABLE.get("taixing:15(1)").subject == "candidate"


def test_sanctions_link_to_what_they_enforce():
    assert TABLE.get("taixing:28.1").refers_to == (Ref("taixing", 11),)
    assert TABLE.get("taixing:11(2)").sanctioned_by == (Ref("taixing", 28, paragraph=1),)
    assert TABLE.get("taixing:20(1)").sanctioned_by == (Ref("taixing", 29),)
    # "违反本办法规定的" enforces every duty of its subject: the auxiliary's (hebei 21), the agency's (hebei 20)
    assert Ref("hebei", 21) in TABLE.get("hebei:14(3)").sanctioned_by
    assert Ref("hebei", 20) in TABLE.get("hebei:17").sanctioned_by
    assert not TABLE.get("hebei:10(1)").sanctioned_by  # a bar to hire is no duty


def test_exceptions_cross_references_and_thresholds_are_read_off_the_text():
    assert TABLE.get("taixing:8(4)").exceptions == ("但作为行政执法证据的除外",)
    assert TABLE.get("hebei:9.2").refers_to == (Ref("hebei", 9, paragraph=1),)  # 前款
    ages = {(t.min, t.max) for t in TABLE.get("hebei:9(2)").thresholds}
    assert ages == {(18, None), (None, 35)}
    assert [(t.unit, t.min) for t in TABLE.get("taixing:22.1").thresholds] == [("day", 10)]
    assert [t.clause for t in thresholds_of("培训时间不少于两个工作日，年满二十周岁")] == ["年满二十周岁", "不少于两个工作日"]


def test_a_sentence_is_cut_where_a_new_modal_word_starts_a_clause():
    norms = norms_of("行政执法辅助人员不具有独立的执法资格，应当在行政执法机关的指挥和监督下开展工作。")
    assert [(n.subject, n.modality, n.negative) for n in norms] == [("auxiliary", "statement", True),
                                                                    ("auxiliary", "must", False)]
    # a bare condition is not cut from its consequence
    assert [n.modality for n in norms_of("培训不合格的，不得从事行政执法辅助工作。")] == ["must_not"]


def test_overrides_are_data_with_their_clause():
    overrides, problems = read_overrides(read_overrides_file())
    assert not problems and overrides
    for o in overrides:
        row = TABLE.get(o.ref)
        assert any(o.quote in n.text for n in row.norms)
        assert o.note.strip()


@pytest.mark.parametrize("entry, problem", [
    ({"ref": "taixing:99", "quote": "x", "note": "n", "subject": "auxiliary"}, "is not a provision"),
    ({"ref": "taixing:21.1", "quote": "no such words", "note": "n", "subject": "auxiliary"}, "no clause contains"),
    ({"ref": "taixing:21.1", "quote": "培训不合格", "note": "n", "subject": "alien"}, "subject must be one of"),
    ({"ref": "taixing:21.1", "quote": "培训不合格", "note": ""}, "needs the quoted clause and a note"),
    ({"ref": "not a ref", "quote": "x", "note": "n"}, "not a reference"),
    ("just text", "expected a mapping"),
])
def test_a_bad_override_is_named(entry, problem):
    _, problems = build(load(), [entry])
    assert any(problem in p for p in problems), problems


def test_an_override_for_a_measure_not_in_the_corpus_is_unused():
    """A corpus copy without one of the measures (eval --scoped) still loads."""
    table, problems = build(load(), [{"ref": "nowhere:3", "quote": "x", "note": "n", "subject": "auxiliary"}])
    assert not problems and table.all


def test_every_deontic_leaf_has_a_subject_it_binds():
    for p in TABLE.leaves():
        if p.modality in DEONTIC:
            assert p.side in ("auxiliary", "agency", "candidate"), p.ref


def test_cli_prints_the_table_as_json():
    run = subprocess.run([sys.executable, "-m", "corpus", "provisions", "--measure", "taixing", "--json"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    rows = json.loads(run.stdout)
    assert [r["ref"] for r in rows] == [str(p.ref) for p in TABLE.of("taixing")]
    assert next(r for r in rows if r["ref"] == "taixing:11(4)")["modality"] == "must_not"
    bad = subprocess.run([sys.executable, "-m", "corpus", "provisions", "--measure", "nowhere"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "unknown measure" in bad.stderr


def test_cli_table_fits_100_columns_with_a_header_and_a_legend():
    """Readable in a terminal: no line wider than 100 columns (a Chinese character takes two), a header naming
    the columns, every provision on a line of its own, and every mark explained (it printed lines of up to 205
    columns, with no header and "⚖" unexplained)."""
    run = subprocess.run([sys.executable, "-m", "corpus", "provisions"], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    lines = run.stdout.splitlines()
    wide = [line for line in lines if sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) > 100]
    assert not wide, wide[:3]
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["ref"])
    assert lines[header].split() == ["ref", "subject", "modality", "marks", "text"]
    legend, rows = "\n".join(lines[:header]), lines[header + 1:]
    assert [row.split()[0] for row in rows] == [str(p.ref) for p in TABLE.all]
    for mark in ("⚖", "→", "其他", "但书", "数值"):
        assert re.search(f"{mark} (a|an|the) ", legend), mark  # explained where the legend lists it
    sanctioned = next(row for row in rows if row.startswith("taixing:11(4) "))
    assert "⚖ 28.1" in sanctioned and "must_not" in sanctioned

