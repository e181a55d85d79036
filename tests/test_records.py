"""The question log and feedback (records/), the same tests on SQLite and on a real PostgreSQL server started
from Debian's packages: migrations, the background log, feedback and its reasons, retention, 32 sessions at once,
hostile input, a database that is corrupt, read-only or down, reviews and the harvest into the gold schema."""
from __future__ import annotations

import json
import os
import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from assistant import answer
from eval.gold import load_gold
from eval.harvest import check_correction, gold_item
from records.schema import QUESTION_CHARS, TOKEN_CHARS, Asked, Feedback
from records.store import CUT, REASONS, now, open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path / 'records.sqlite3'}")
    else:
        server = request.getfixturevalue("postgres")
        opened = open_store(server.url)
        with DbSession(opened.engine) as db, db.begin():  # each test starts from empty tables
            for table in ("review", "feedback", "asked"):
                db.execute(__import__("sqlalchemy").text(f"DELETE FROM {table}"))
    assert opened.ready, opened.problem
    return opened


@pytest.fixture(scope="module")
def replies():
    return [answer("辅助人员可以单独送达法律文书吗？"), answer("岗前培训几天？"), answer("明天天气怎么样")]


def test_the_schema_is_migrated_and_migrating_again_changes_nothing(store):
    from records.db import migrate

    migrate(store.engine)
    assert store.totals() == {"asked": 0, "declined": 0, "up": 0, "down": 0, "reviewed": 0}


def test_a_start_skips_alembic_only_when_the_schema_is_at_the_newest_revision(store, tmp_path):
    """HEAD names the newest migration (a new one that forgets to move it fails here); a database at it is not
    handed to alembic again, and one behind it is."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from records.db import HEAD, MIGRATIONS, at_head, migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD
    assert at_head(store.engine)
    fresh = create_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert not at_head(fresh)
    migrate(fresh)
    assert at_head(fresh)


def test_the_log_is_written_in_the_background(store, replies):
    for reply in replies:
        store.log(reply, measure="taixing", session="s1", user="officer")
    assert store.flush()
    totals = store.totals()
    assert totals["asked"] == 3 and totals["declined"] == 1
    cited = Counter(ref for _, refs in store.asked_questions(days=1) for ref in refs)
    assert cited.get("taixing:9") == 1 and cited.get("taixing:21") == 1
    day = store.daily(1)[-1]
    assert day["asked"] == 3 and abs(day["declined_rate"] - 1 / 3) < 1e-9


def test_questions_logged_at_once_start_one_writer_and_each_row_is_written_once(store, replies):
    """Questions released together (the app's first questions wait for its warm-up) log at the same moment: one
    writer thread takes them, never two popping the same rows."""
    start = threading.Barrier(16)
    before = threading.enumerate()

    def log(number: int) -> None:
        start.wait()
        for _ in range(5):
            store.log(replies[number % 3], session=f"s{number}")

    threads = [threading.Thread(target=log, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.flush()
    assert store.totals()["asked"] == 80
    writers = [t for t in threading.enumerate() if t.name == "records-log" and t not in before]
    assert len(writers) <= 1, writers


def test_the_log_can_be_turned_off(store, replies):
    store.logging = False
    store.log(replies[0], session="s")
    assert store.flush() and store.totals()["asked"] == 0


def test_old_questions_are_dropped_after_the_retention(store, replies):
    store.log(replies[0], session="old")
    assert store.flush()
    with DbSession(store.engine) as db, db.begin():
        db.execute(update(Asked).values(asked_at=now() - timedelta(days=store.days + 1)))
    store._last_pruned = None
    store.log(replies[1], session="new")
    assert store.flush() and store.totals()["asked"] == 1


def test_feedback_keeps_the_answer_and_its_reason(store, replies):
    shown = replies[0].to_json()
    stored, message = store.feedback(shown, -1, token="s1:0:-1", measure="taixing", user="officer")
    assert stored and "谢谢" in message
    assert store.feedback(shown, -1, token="s1:0:-1")[0]  # the same click again: stored once
    assert store.amend("s1:0:-1", "wrong_verdict", "应当是可以")[0]
    assert not store.amend("s1:0:-1", "astrology", "")[0]
    [(feedback, review)] = store.dislikes()
    assert review is None and feedback.reason == "wrong_verdict" and feedback.comment == "应当是可以"
    assert feedback.question == shown["question"] and feedback.verdict == shown["verdict"]
    assert feedback.citations == [{"ref": c["ref"], "quote": c["quote"]} for c in shown["citations"]]
    assert feedback.measure == "taixing" and feedback.user == "officer" and feedback.app_version and feedback.corpus_hash
    assert store.feedback(replies[1].to_json(), 1, token="s1:1:1")[0]
    assert store.totals()["up"] == 1 and store.totals()["down"] == 1


def test_a_huge_comment_is_cut_and_html_is_kept_as_text(store, replies):
    store.feedback(replies[0].to_json(), -1, token="huge")
    store.amend("huge", "unclear", "长" * 100_000)
    store.feedback(replies[1].to_json(), -1, token="html")
    store.amend("html", "unclear", "<script>alert(1)</script><b>bold</b>")
    rows = {f.token: f for f, _ in store.dislikes()}
    assert len(rows["huge"].comment) == QUESTION_CHARS and rows["huge"].comment.endswith(CUT)
    assert rows["html"].comment == "<script>alert(1)</script><b>bold</b>"  # stored as given, escaped when shown

    from web.review import dislike_table

    table = dislike_table(store)
    assert "<script>" not in table and "&lt;script&gt;" in table and "<b>bold" not in table


def test_32_sessions_giving_feedback_at_once_lose_nothing_and_mix_nothing(store, replies):
    errors = []

    def session(number: int) -> None:
        try:
            for turn in range(5):
                shown = dict(replies[turn % 2].to_json(), question=f"会话{number}的第{turn}个问题")
                stored, _ = store.feedback(shown, -1 if turn % 2 else 1, token=f"session{number}:{turn}")
                assert stored
                if turn % 2:
                    assert store.amend(f"session{number}:{turn}", "missing", f"会话{number}-{turn}")[0]
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    totals = store.totals()
    assert totals["up"] + totals["down"] == 160 and totals["down"] == 64
    for feedback, _ in store.dislikes(limit=1000):
        number, turn = feedback.token.removeprefix("session").split(":")
        assert feedback.question == f"会话{number}的第{turn}个问题" and feedback.comment == f"会话{number}-{turn}"


def test_reviews_are_harvested_as_gold_items(store, replies, tmp_path):
    store.feedback(replies[0].to_json(), -1, token="r1")
    [(feedback, _)] = store.dislikes()
    assert check_correction("conditional", ["taixing:99"], []) and check_correction("yes", ["taixing:9"], ["不存在的话"])
    assert not check_correction("conditional", ["taixing:9"], ["送达相关法律文书"])
    store.review(feedback.id, "conditional", ["taixing:9"], ["送达相关法律文书"], "可以协助", "trainer")
    store.review(feedback.id, "conditional", ["taixing:9", "hebei:14"], ["送达相关法律文书"], "可以协助", "trainer")
    [(_, review)] = store.reviewed()
    assert review.expected_refs == ["taixing:9", "hebei:14"]  # a second review replaces the first
    item = gold_item(feedback, review)
    path = tmp_path / "candidates.jsonl"
    path.write_text(json.dumps(item, ensure_ascii=False) + "\n", encoding="utf-8")
    [loaded] = load_gold(path)
    assert loaded.verdict == "conditional" and loaded.measure == "both" and loaded.type == "yesno_duty"


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b""])
def test_a_corrupt_database_file_turns_the_records_off_with_a_clear_message(tmp_path, replies, capsys, content):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(content or b"SQLite format 3\x00" + b"\xff" * 4000)
    broken = open_store(f"sqlite:///{path}")
    assert not broken.ready and broken.problem
    assert "records: off" in capsys.readouterr().err
    broken.log(replies[0])  # nothing happens, nothing fails
    stored, message = broken.feedback(replies[0].to_json(), -1, token="x")
    assert not stored and "回答不受影响" in message


def test_a_read_only_database_is_said_once_and_answers_go_on(tmp_path, replies, capsys):
    path = tmp_path / "ro.sqlite3"
    open_store(f"sqlite:///{path}").engine.dispose()  # a database at the head revision
    read_only = open_store(f"sqlite:///file:{path}?mode=ro&uri=true")  # as a read-only mount gives it
    assert read_only.ready, read_only.problem
    for _ in range(3):
        read_only.log(replies[0])
    assert not read_only.flush(1.0)  # the rows wait in memory for a database that can be written
    assert read_only.waiting == 3
    assert capsys.readouterr().err.count("the database is unavailable") == 1
    stored, message = read_only.feedback(replies[0].to_json(), -1, token="ro")
    assert not stored and "回答不受影响" in message


def test_a_database_that_is_down_at_start_is_an_outage_and_costs_nothing_but_a_line(replies, capsys):
    down = open_store("postgresql://fagui:secret@127.0.0.1:1/none")
    assert down.down is not None
    err = capsys.readouterr().err
    assert err.count("the database is unavailable") == 1 and "secret" not in err  # the password is not printed
    assert not down.feedback(replies[0].to_json(), 1, token="d")[0]
    down.log(replies[0])
    assert down.waiting == 1 and capsys.readouterr().err == ""  # said once, not once per question


def test_a_full_queue_counts_what_it_drops_and_says_so_once(replies, capsys, monkeypatch):
    monkeypatch.setenv("FAGUI_LOG_QUEUE", "5")
    monkeypatch.setattr("records.store.RETRY_SECONDS", (30.0, 30.0))
    down = open_store("postgresql://fagui@127.0.0.1:1/none")
    assert down.limit == 5
    for _ in range(12):
        down.log(replies[0])
    assert down.waiting == 5 and down.dropped == 7 and down.down.dropped == 7
    err = capsys.readouterr().err
    assert err.count("queue is full") == 1
    assert "7 条因队列已满未能记录" in down.outage_notes()[0]


# --- a real PostgreSQL stopped and frozen: the log waits, feedback is refused within seconds ---------------------

OUTAGE_SECONDS = 20.0


@pytest.fixture
def pg_store(postgres):
    import uuid

    opened = open_store(postgres.database(f"outage_{uuid.uuid4().hex[:8]}"))
    assert opened.ready and opened.down is None, opened.problem
    yield opened
    postgres.thaw()
    if not __import__("subprocess").run(["pg_isready", "-h", "127.0.0.1", "-p", str(postgres.port)],
                                        capture_output=True).returncode == 0:
        postgres.up()
    opened.engine.dispose()


def _asked(store) -> list[str]:
    with DbSession(store.engine) as db:
        return list(db.scalars(select(Asked.session).order_by(Asked.id)))


@pytest.mark.soak  # 20 s of database downtime
def test_every_question_asked_during_a_stopped_database_is_logged_after_it_returns(pg_store, postgres, replies, capsys):
    """Two outages in one process: each said once when it begins and once when it ends; every question asked
    during them is in the log afterwards, in order."""
    import time

    sessions = []
    for outage in range(2):
        postgres.down()
        began, slowest = time.monotonic(), 0.0
        while time.monotonic() - began < (OUTAGE_SECONDS if outage == 0 else 3.0):
            sessions.append(f"o{outage}-{len(sessions)}")
            start = time.monotonic()
            pg_store.log(replies[len(sessions) % 3], session=sessions[-1])
            slowest = max(slowest, time.monotonic() - start)
            time.sleep(0.25)
        start = time.monotonic()
        assert not pg_store.feedback(replies[0].to_json(), 1, token=f"down-{outage}")[0]
        assert time.monotonic() - start < 5.0
        assert slowest < 0.05  # logging never waits for the database
        postgres.up()
        assert pg_store.flush(30.0)
        assert pg_store.feedback(replies[0].to_json(), 1, token=f"up-{outage}")[0]
    assert _asked(pg_store) == sessions  # every one, in order, none twice
    err = capsys.readouterr().err
    assert err.count("the database is unavailable") == 2 and err.count("the database is back") == 2
    assert pg_store.down is None and len(pg_store.outages) == 2
    print(f"rows logged during a {OUTAGE_SECONDS:.0f} s outage and recovered: "
          f"{sum(s.startswith('o0') for s in sessions)}", file=__import__("sys").__stderr__)


def test_a_frozen_database_blocks_no_request_more_than_5_s(pg_store, postgres, replies, monkeypatch, capsys):
    """SIGSTOP: connections stay open and nothing answers. Feedback, reasons and the Review tab each give up within
    seconds; the log returns at once and everything is written after SIGCONT."""
    import time

    from web import review

    monkeypatch.setattr("records.store._STORE", pg_store)
    pg_store.log(replies[0], session="before")
    assert pg_store.flush(10.0)
    postgres.freeze()
    try:
        timings = {}
        for name, call in [("feedback", lambda: pg_store.feedback(replies[0].to_json(), -1, token="frozen")),
                           ("amend", lambda: pg_store.amend("frozen", "unclear", "")),
                           ("review", lambda: review.overview(30, None)),
                           ("log", lambda: [pg_store.log(replies[1], session=f"frozen-{i}") for i in range(20)])]:
            start = time.monotonic()
            result = call()
            timings[name] = time.monotonic() - start
            if name in ("feedback", "amend"):
                assert not result[0] and "回答不受影响" in result[1]
            if name == "review":
                assert "暂时无法访问" in result[0] and "记录数据库中断" in result[0]
        assert max(timings.values()) < 5.0, timings
        assert timings["log"] < 0.5, timings
    finally:
        postgres.thaw()
    assert pg_store.flush(30.0)
    assert _asked(pg_store) == ["before"] + [f"frozen-{i}" for i in range(20)]
    assert "frozen" not in {row for row in _feedback_tokens(pg_store)}  # refused, so not written late
    assert capsys.readouterr().err.count("the database is unavailable") == 1
    print(f"frozen database: longest request {max(timings.values()):.2f} s ({timings})", file=__import__("sys").__stderr__)


def _feedback_tokens(store) -> list[str]:
    with DbSession(store.engine) as db:
        return list(db.scalars(select(Feedback.token)))


def test_reasons_are_the_ones_the_chat_offers():
    assert set(REASONS) == {"wrong_verdict", "wrong_article", "missing", "unclear", "outdated"}


# --- the chat's 👍/👎, the API, the review tab and harvest, on the process's own store (a temporary SQLite) ------

class Like:
    def __init__(self, index, liked):
        self.index, self.liked = index, liked


class Request:
    def __init__(self, session_hash="browser-1", username=None):
        self.session_hash, self.username = session_hash, username


def test_a_dislike_then_its_reason_from_the_chat_and_the_review_of_it(monkeypatch, tmp_path):
    from web import chat, review

    _, history, session, shown = chat.chat("协管员能自己开罚单吗？", [], None, "all", [], Request())
    open_store().flush()
    form, target, note = chat.on_like(shown, "all", Like(1, False), Request())
    assert form.visible and target == shown[0]["id"] and "谢谢" in note
    form, note = chat.submit_reason(target, "wrong_article", "<i>第十条</i>")
    assert not form.visible and "已记录原因" in note
    summary, chart, top, table = review.overview(30, Request())
    assert "差评" in summary and "&lt;i&gt;第十条" in table and "<i>" not in table
    number = int(table.split('data-id="')[1].split('"')[0])
    view, verdict, refs, facts, _ = review.open_item(number, Request())
    assert "协管员能自己开罚单吗" in view and "taixing:10" in refs
    assert "没有这一条" in review.save_correction(number, "no", "taixing:99", "", "", Request())
    assert "逐字" in review.save_correction(number, "no", "taixing:10", "随便写的", "", Request())
    assert "已保存" in review.save_correction(number, "no", "taixing:10", "作出行政执法决定", "核对过", Request())
    monkeypatch.setenv("FAGUI_EXPORT_DIR", str(tmp_path))
    paths, message = review.export_reviews(Request())
    candidates = [p for p in paths if p.endswith(".jsonl")][0]
    assert any(item.id == f"fb{number}" and item.verdict == "no" for item in load_gold(candidates))
    rows = list(__import__("csv").DictReader(open([p for p in paths if p.endswith(".csv")][0], encoding="utf-8-sig")))
    mine = next(row for row in rows if row["id"] == str(number))
    assert mine["reason"] == "引用的条文不对"  # the words the user chose, not the key wrong_article
    harvested = __import__("subprocess").run([__import__("sys").executable, "-m", "eval", "harvest"],
                                             capture_output=True, text=True)
    assert harvested.returncode == 0 and f'"fb{number}"' in harvested.stdout


def test_the_review_tab_is_for_reviewers_when_there_is_a_login(monkeypatch):
    from web import review

    monkeypatch.setenv("FAGUI_REVIEWERS", "trainer")
    assert "仅对评审人员开放" in review.overview(30, Request(username="officer"))[0]
    assert "仅对评审人员开放" not in review.overview(30, Request(username="trainer"))[0]
    assert "仅对评审人员开放" not in review.overview(30, Request(username=None))[0]  # no login: this machine only


def test_feedback_through_the_api(replies):
    from web.chat import api_feedback

    shown = replies[1].to_json()
    assert api_feedback(shown, 1, "click-1")["stored"] and api_feedback(shown, 1, "click-1")["stored"]
    assert not api_feedback(shown, 5, "click-2")["stored"] and not api_feedback("nonsense", 1, "x")["stored"]
    assert not api_feedback(shown, -1, "")["stored"]


def test_the_review_chart_shows_a_single_day_in_words():
    """One day of records is a chart with that day's bars (a line plot drew an empty grid), labelled in the words
    a reviewer reads, not the data's column names."""
    from web import review

    one_day = [{"day": "2026-12-06", "asked": 4, "down": 1, "declined_rate": 0.25, "down_rate": 0.25}]
    chart = review.daily_chart(one_day, 30)
    assert 'data-day="2026-12-06"' in chart and chart.count('class="bar ') == 2 and "width:25%" in chart
    words = re.sub(r"<[^>]+>", " ", chart)
    assert "拒答率" in words and "差评率" in words and "日期" in words
    assert not re.search(r"\b(rate|day|series|declined_rate|down_rate)\b", words), words
    assert "还没有记录" in review.daily_chart([], 7)
# --- feedback identity: a click is one row, on the answer it was given to -----------------------------------------

def test_four_clicks_across_cleared_conversations_are_four_rows_with_their_own_reasons(store, monkeypatch):
    """The browser's sequence: ask, 👍, 新对话, ask, 👍, 新对话, ask, 👎 看不懂, 新对话, ask, 👎 结论不对. Each answer
    on screen is the first after a clear, so a position never tells them apart."""
    from web import chat

    monkeypatch.setattr("records.store._STORE", store)
    questions = ["岗前培训几天", "辅助人员可以单独送达法律文书吗", "协管员能自己开罚单吗", "辅助人员能不能查封场所"]
    clicks = [(True, None), (True, None), (False, "unclear"), (False, "wrong_verdict")]
    session = None
    for question, (liked, reason) in zip(questions, clicks):
        _, _, session, shown = chat.chat(question, [], session, "all", [], Request())
        form, target, note = chat.on_like(shown, "all", Like(1, liked), Request())
        assert "已记录" in note, note
        if reason:
            assert form.visible and chat.submit_reason(target, reason, f"理由：{reason}")[1].count("已记录原因")
        _, session, shown = chat.clear_chat(session, "all")
    with DbSession(store.engine) as db:
        rows = {row.question: (row.rating, row.reason, row.comment)
                for row in db.scalars(select(Feedback))}
    assert rows == {questions[0]: (1, None, None), questions[1]: (1, None, None),
                    questions[2]: (-1, "unclear", "理由：unclear"), questions[3]: (-1, "wrong_verdict", "理由：wrong_verdict")}


def test_a_token_too_long_is_refused_never_cut(store, replies):
    shown = replies[0].to_json()
    first, second = "x" * 60 + "a" * 18, "x" * 60 + "b" * 18  # 78 characters, different after the 60th
    assert not store.feedback(shown, 1, token=first)[0] and not store.feedback(shown, 1, token=second)[0]
    assert store.feedback(shown, 1, token="y" * (TOKEN_CHARS - 1) + "a")[0]
    assert store.feedback(shown, 1, token="y" * (TOKEN_CHARS - 1) + "b")[0]  # the longest allowed: two rows
    assert not store.amend("z" * (TOKEN_CHARS + 1), "unclear", "")[0]
    assert store.totals()["up"] == 2


def test_a_token_used_again_for_another_answer_is_refused(store, replies):
    assert store.feedback(replies[0].to_json(), 1, token="click")[0]
    assert store.feedback(replies[0].to_json(), 1, token="click")[0]  # the same click, retried
    stored, message = store.feedback(replies[1].to_json(), 1, token="click")
    assert not stored and "另一条回答" in message
    assert not store.feedback(replies[0].to_json(), -1, token="click")[0]  # nor another rating
    assert store.totals()["up"] == 1 and store.totals()["down"] == 0


def test_a_reason_amends_only_a_dislike(store, replies):
    assert store.feedback(replies[0].to_json(), 1, token="liked")[0]
    assert not store.amend("liked", "unclear", "不该改到好评上")[0]


def test_long_api_tokens_are_refused_with_the_limit(store, replies, monkeypatch):
    from web.chat import API_TOKEN_CHARS, api_feedback

    monkeypatch.setattr("records.store._STORE", store)
    shown = replies[1].to_json()
    for token in ("t" * 60 + "a" * 18, "t" * 60 + "b" * 18):
        refused = api_feedback(shown, 1, token)
        assert not refused["stored"] and f"at most {API_TOKEN_CHARS}" in refused["message"]
    assert api_feedback(shown, 1, "u" * (API_TOKEN_CHARS - 1) + "a")["stored"]
    assert api_feedback(shown, 1, "u" * (API_TOKEN_CHARS - 1) + "b")["stored"]
    assert store.totals()["up"] == 2
