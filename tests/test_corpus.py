"""The corpus: article counts, numbering, items, cleanliness, references and validity."""
import json
import subprocess
import sys
from datetime import date

import pytest

from corpus import EXPIRED, IN_FORCE, NOT_IN_FORCE, Ref, UnknownRef, from_chinese, load, to_chinese


@pytest.fixture(scope="module")
def corpus():
    return load()


def test_article_counts(corpus):
    assert {k: len(corpus.documents[k].articles) for k in ("hebei", "taixing")} == {"hebei": 22, "taixing": 32}


def test_numbers_match_positions(corpus):
    for key, doc in corpus.documents.items():
        for position, article in enumerate(doc.articles, start=1):
            assert article.ref == Ref(key, position)
            assert from_chinese(article.number_as_printed) == position


@pytest.mark.parametrize("ref,count", [("taixing:8", 6), ("taixing:9", 8), ("taixing:10", 6),
                                        ("taixing:11", 9), ("taixing:20", 6), ("hebei:14", 5),
                                        ("hebei:9", 5), ("hebei:13", 5), ("taixing:32", 0)])
def test_item_counts(corpus, ref, count):
    article = corpus.article(ref)
    assert len(article.items) == count
    assert [item.number for item in article.items] == list(range(1, count + 1))


def test_items_are_verbatim_parts_of_their_article(corpus):
    for article in corpus.articles():
        for item in article.items:
            assert any(f"{left}{to_chinese(item.number)}{right}{item.text}" in article.text
                       for left, right in (("（", "）"), ("(", ")"))), item.ref


def test_no_article_carries_headings_footer_or_bookmark(corpus):
    for article in corpus.articles():
        for debris in ("[bookmark", "_GoBack", "抄送", "日印发", "──", "第一章", "第二章", "总则\n", "附则"):
            assert debris not in article.text, (article.ref, debris)
        assert not article.text.startswith(("第", " ", "\u3000"))
        assert article.text == article.text.strip()


def test_last_articles_end_where_the_text_ends(corpus):
    assert corpus.text("taixing:32") == "本办法自2023年1月1日起施行，有效期5年。"
    assert corpus.text("hebei:22") == "本办法自2018年1月1日起试行，暂定期限2年。"
    assert corpus.text("hebei:8").startswith("招聘行政执法辅助人员")


def test_chapters(corpus):
    assert corpus.article("taixing:1").chapter == "第一章 总则"
    assert corpus.article("taixing:9").chapter == "第二章 行为规范"
    assert corpus.article("taixing:30").chapter == "第四章 监督管理"
    assert corpus.article("taixing:31").chapter == "第五章 附则"
    assert all(a.chapter is None for a in corpus.articles("hebei"))


def test_preamble_and_footer_keep_their_facts(corpus):
    hebei, taixing = corpus.documents["hebei"], corpus.documents["taixing"]
    assert "河北省人民政府办公厅" in hebei.preamble and "2017-12-31" in hebei.dates
    assert "抄送" in taixing.footer and "2022-11-30" in taixing.dates
    assert "[bookmark" not in hebei.preamble
    assert corpus.measures["hebei"].issued.isoformat() in hebei.dates
    assert corpus.measures["taixing"].issued.isoformat() in taixing.dates


@pytest.mark.parametrize("text", ["taixing:9", "taixing:9(4)", "hebei:14(5)", "hebei:22"])
def test_reference_round_trip(text):
    assert str(Ref.parse(text)) == text
    assert Ref.parse(str(Ref.parse(text))) == Ref.parse(text)


def test_reference_labels(corpus):
    assert corpus.label("taixing:9(4)") == "《泰兴市行政执法辅助人员管理办法》第九条第（四）项"
    assert corpus.label("hebei:22") == "《河北省行政执法辅助人员管理办法（试行）》第二十二条"
    assert Ref.parse("taixing：9（4）") == Ref("taixing", 9, 4)


@pytest.mark.parametrize("bad", ["hebei:23", "taixing:0", "taixing:9(9)", "beijing:1", "hebei:8(1)"])
def test_unknown_references_raise(corpus, bad):
    with pytest.raises(UnknownRef):
        corpus.article(bad)
    assert not corpus.exists(bad)


@pytest.mark.parametrize("bad", ["", "taixing", "9", "taixing:nine", "taixing:9(4"])
def test_malformed_references_raise(bad):
    with pytest.raises(ValueError):
        Ref.parse(bad)


def test_chinese_numerals_round_trip():
    for n in range(1, 100):
        assert from_chinese(to_chinese(n)) == n
    assert [to_chinese(n) for n in (1, 10, 14, 20, 22, 32)] == ["一", "十", "十四", "二十", "二十二", "三十二"]
    for bad in ("", "十十", "二二", "百"):
        with pytest.raises(ValueError):
            from_chinese(bad)


def test_status_on_2026_11_22(corpus):
    day = date(2026, 11, 22)
    assert corpus.measures["hebei"].status(day).state == EXPIRED
    assert corpus.measures["taixing"].status(day).state == IN_FORCE
    assert corpus.measures["hebei"].expires == date(2019, 12, 31)
    assert corpus.measures["taixing"].expires == date(2027, 12, 31)


def test_status_at_the_edges(corpus):
    taixing, hebei = corpus.measures["taixing"], corpus.measures["hebei"]
    assert taixing.status(date(2022, 12, 15)).state == NOT_IN_FORCE
    assert taixing.status(date(2023, 1, 1)).state == IN_FORCE
    assert taixing.status(date(2027, 12, 31)).state == IN_FORCE
    assert taixing.status(date(2028, 1, 1)).state == EXPIRED
    assert hebei.status(date(2019, 12, 31)).state == IN_FORCE
    assert hebei.status(date(2020, 1, 1)).state == EXPIRED


def test_term_clauses_are_verbatim(corpus):
    for measure in corpus.measures.values():
        assert corpus.quote_is_verbatim(measure.term.ref, measure.term.clause)


def test_quote_check_rejects_tampering(corpus):
    assert corpus.quote_is_verbatim("taixing:9(4)", "送达相关法律文书")
    assert not corpus.quote_is_verbatim("taixing:9(4)", "单独送达相关法律文书")
    assert not corpus.quote_is_verbatim("taixing:9(4)", "")
    assert not corpus.quote_is_verbatim("taixing:99", "送达")


def cli(*args):
    return subprocess.run([sys.executable, "-m", "corpus", *args], capture_output=True, text=True)


def test_cli_stats_json():
    result = cli("stats", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {key: len(d.articles) for key, d in load().documents.items()}


def test_cli_show_article_and_item():
    article = cli("show", "hebei:14")
    assert article.returncode == 0
    assert [line[:3] for line in article.stdout.splitlines() if line.startswith("（")] == [
        "（一）", "（二）", "（三）", "（四）", "（五）"]
    item = cli("show", "taixing:9(4)")
    assert item.returncode == 0 and "（四）送达相关法律文书" in item.stdout
    assert "第九条第（四）项" in item.stdout


def test_cli_unknown_reference_is_one_line_and_exit_2():
    result = cli("show", "taixing:99")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_cli_status_json():
    result = cli("status", "--as-of", "2026-11-22", "--json")
    states = {row["measure"]: row["status"] for row in json.loads(result.stdout)}
    assert states["hebei"] == EXPIRED and states["taixing"] == IN_FORCE and set(states) == set(load().measures)
