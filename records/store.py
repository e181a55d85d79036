"""The store: the question log written in the background, feedback written when it is given, and the queries the
review tab and `eval harvest` ask.

Through an outage: log rows wait in a bounded queue in memory (FAGUI_LOG_QUEUE, default 10,000) and are written
when the database answers again; what does not fit is counted. Each outage and each recovery is said once on
stderr and listed in the Review tab. No request waits for the database longer than DB_SECONDS: every call a request
makes runs on a worker thread and is given up after that; the log's writer, which no request waits for, keeps
trying."""
from __future__ import annotations

import atexit
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import (
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session as DbSession

from records.db import ROOT, database_url, make_engine, migrate
from records.schema import (
    ANSWER_CHARS,
    QUESTION_CHARS,
    TOKEN_CHARS,
    USER_CHARS,
    Asked,
    Feedback,
    Review,
)

REASONS = {  # why an answer was 👎, in the chat's words
    "wrong_verdict": ("结论不对", "Wrong verdict"),
    "wrong_article": ("引用的条文不对", "Wrong article"),
    "missing": ("缺少信息", "Missing information"),
    "unclear": ("看不懂", "Unclear"),
    "outdated": ("内容已过时", "Outdated"),
}
DEFAULT_LOG_DAYS = 180
DEFAULT_QUEUE = 10000  # questions that may wait for the database; beyond it they are counted and dropped
DB_SECONDS = 3.0  # the longest a request waits for the database
OPEN_SECONDS = 15.0  # the longest opening (and migrating) waits, when the app starts
RETRY_SECONDS = (0.5, 5.0)  # the log's writer tries again after the first, doubling up to the second
BATCH = 200  # log rows written in one transaction
CUT = "…［已截断］"
UNAVAILABLE = "反馈暂时无法保存（记录数据库不可用），回答不受影响。"


def now() -> datetime:
    return datetime.now(timezone.utc)


def cut(text: str | None, limit: int) -> str | None:
    """Text as stored: at most `limit` characters, marked when cut (a 100k-character comment is not refused)."""
    if text is None:
        return None
    text = str(text).replace("\x00", "")
    return text if len(text) <= limit else text[: limit - len(CUT)] + CUT


@cache
def app_version() -> str:
    """The git revision the app runs from (unknown outside a checkout)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=5)
        return done.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@cache
def corpus_hash() -> str:
    """A hash of the measures' metadata and texts: which law an answer was given from."""
    from corpus.catalogue import MEASURES_FILE, data_dir

    digest = hashlib.sha256()
    folder = data_dir()
    for path in [folder / MEASURES_FILE, *sorted((folder / "texts").glob("*.txt"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def logging_on() -> bool:
    return os.environ.get("FAGUI_LOG", "on").strip().lower() not in ("off", "0", "false", "no")


def _positive(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def log_days() -> int:
    return _positive("FAGUI_LOG_DAYS", DEFAULT_LOG_DAYS)


def queue_limit() -> int:
    return _positive("FAGUI_LOG_QUEUE", DEFAULT_QUEUE)


class Unanswered(OperationalError):
    """The database did not answer within the time a request may wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s", None, TimeoutError())

    def __str__(self) -> str:
        return str(self.statement)


def unreachable(error: BaseException) -> bool:
    """A failure of the database rather than of what was written: down, frozen, unreachable, read-only, locked.
    What is waiting is kept for later; anything else is a row the database refuses."""
    return isinstance(error, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)) or bool(
        getattr(error, "connection_invalidated", False))


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


@dataclass
class Outage:
    """A time the database could not be reached: when, why, how many questions waited and how many were dropped."""

    began: datetime
    reason: str
    ended: datetime | None = None
    waited: int = 0  # questions that waited for the database (written when it answers again)
    dropped: int = 0  # questions that did not fit in the queue


@dataclass
class Store:
    """Records in one database. `problem` says why it is off (a database that cannot be used at all: a bad URL, a
    file that is no database); then nothing is written and the app answers as before. A database that is only
    unreachable is an outage (`down`): the log waits for it and feedback is refused until it answers."""

    engine: Engine | None
    url: str
    problem: str | None = None
    logging: bool = True
    days: int = DEFAULT_LOG_DAYS
    limit: int = DEFAULT_QUEUE
    outages: list[Outage] = field(default_factory=list)  # newest last
    dropped: int = 0  # questions dropped because the queue was full, since the process started
    _waiting: deque = field(default_factory=deque, repr=False)  # log rows not yet written, oldest first
    _wake: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _writer: threading.Thread | None = field(default=None, repr=False)
    _writing_since: float | None = field(default=None, repr=False)
    _workers: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(4, "records"), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _schema: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _migrated: bool = field(default=False, repr=False)
    _complained: set = field(default_factory=set, repr=False)
    _last_pruned: datetime | None = field(default=None, repr=False)

    @property
    def ready(self) -> bool:
        return self.engine is not None and self.problem is None

    @property
    def down(self) -> Outage | None:
        """The outage under way, if any."""
        return self.outages[-1] if self.outages and self.outages[-1].ended is None else None

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def say_once(self, what: str, error: BaseException) -> None:
        """A failure that is not an outage is logged once per kind, not once per question."""
        if what not in self._complained:
            self._complained.add(what)
            print(f"records: {what}: {type(error).__name__}: {_first_line(error)}", file=sys.stderr, flush=True)

    # ── outages: each said once when it begins and once when it ends ───────────────────────────────────────
    def _went_down(self, error: BaseException) -> None:
        with self._lock:
            if self.down is not None:
                return
            self.outages = [*self.outages[-19:], Outage(now(), f"{type(error).__name__}: {_first_line(error)}",
                                                           waited=len(self._waiting))]
            reason = self.outages[-1].reason
        print(f"records: the database is unavailable ({reason}); questions wait in memory (up to {self.limit:,}) "
              f"and feedback is refused until it answers", file=sys.stderr, flush=True)

    def _came_back(self) -> None:
        with self._lock:
            outage = self.down
            if outage is None:
                return
            outage.ended = now()
        seconds = (outage.ended - outage.began).total_seconds()
        dropped = f"; {outage.dropped:,} dropped (the queue was full)" if outage.dropped else ""
        print(f"records: the database is back after {seconds:.0f} s; {outage.waited:,} questions that waited go to "
              f"the log now{dropped}", file=sys.stderr, flush=True)

    def outage_notes(self) -> list[str]:
        """The outages of this process, newest first, in the Review tab's words."""
        notes = []
        for outage in reversed(self.outages):
            when = outage.began.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            lasted = (f"持续 {(outage.ended - outage.began).total_seconds():.0f} 秒" if outage.ended else "尚未恢复")
            lost = f"，{outage.dropped} 条因队列已满未能记录" if outage.dropped else ""
            notes.append(f"{when} 起记录数据库不可用（{lasted}）：期间 {outage.waited} 条提问在内存中等待写入{lost}。"
                         f"原因：{outage.reason}")
        return notes

    def _call(self, work, seconds: float = DB_SECONDS):
        """work(db) on a worker thread, given up after `seconds` (the thread finishes on its own, or when a
        frozen server resumes). An unreachable database is an outage; a call that succeeds ends one."""
        deadline = time.monotonic() + seconds

        def run():
            self._ensure_schema()
            with self.engine.connect() as connection:
                if time.monotonic() > deadline:  # the person was told it failed: a late connection writes nothing
                    raise Unanswered(seconds)
                with DbSession(bind=connection, expire_on_commit=False) as db:
                    return work(db)

        future = self._workers.submit(run)
        try:
            result = future.result(timeout=seconds)
        except Late:
            future.cancel()
            error = Unanswered(seconds)
            self._went_down(error)
            raise error from None
        except SQLAlchemyError as error:
            if unreachable(error):
                self._went_down(error)
            raise
        self._came_back()
        return result

    def _ensure_schema(self) -> None:
        """Migrate once, on the first call that reaches the database (the app may start during an outage)."""
        with self._schema:
            if not self._migrated:
                migrate(self.engine)
                self._migrated = True

    # ── the question log ──────────────────────────────────────────────────────────────────────────────────
    def log(self, reply, measure: str | None = None, session: str = "", user: str | None = None) -> None:
        """Queue an answered question for the log; returns at once, whatever the database is doing."""
        if not (self.ready and self.logging):
            return
        row = dict(asked_at=now(), session=(session or "")[:32], question=cut(reply.question, QUESTION_CHARS) or "",
                   lang=reply.lang, measure=measure, route=reply.route, verdict=reply.verdict,
                   declined=bool(reply.declined), cited=list(dict.fromkeys(str(c.ref.article_ref) for c in reply.citations)),
                   latency_ms=float(reply.latency_ms or 0.0), app_version=app_version(), corpus_hash=corpus_hash(),
                   user=(user or "")[:USER_CHARS] or None)
        stuck = self._writing_since is not None and time.monotonic() - self._writing_since > DB_SECONDS
        if stuck:  # a write has waited too long: the server is frozen, or the network gone
            self._went_down(Unanswered(DB_SECONDS))
        with self._wake:
            if len(self._waiting) >= self.limit:
                self._overflow()
                return
            self._waiting.append(row)
            outage = self.down
            if outage is not None:
                outage.waited += 1
            self._wake.notify()
            # under the lock: two questions logged at once start one writer, never two popping the same rows
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write_log, name="records-log", daemon=True)
                self._writer.start()

    def _overflow(self) -> None:
        self.dropped += 1
        outage = self.down
        if outage is not None:
            outage.dropped += 1
        if outage is None or outage.dropped == 1:
            print(f"records: the question log's queue is full ({self.limit:,} waiting); further questions are counted "
                  "and dropped until the database catches up", file=sys.stderr, flush=True)

    def _write_log(self) -> None:
        """Write what waits, oldest first, in batches; a batch leaves the queue only once it is written. While the
        database cannot be reached, try again (0.5 s, doubling to 5 s)."""
        pause = RETRY_SECONDS[0]
        while True:
            with self._wake:
                while not self._waiting:
                    self._wake.wait()
                rows = [self._waiting[i] for i in range(min(BATCH, len(self._waiting)))]
            self._writing_since = time.monotonic()
            try:
                self._ensure_schema()
                with DbSession(self.engine) as db, db.begin():
                    db.add_all(Asked(**row) for row in rows)
            except SQLAlchemyError as error:
                self._writing_since = None
                if unreachable(error):
                    self._went_down(error)
                    time.sleep(pause)
                    pause = min(pause * 2, RETRY_SECONDS[1])
                    continue
                rows = self._write_one_by_one(rows, error)
            self._writing_since = None
            pause = RETRY_SECONDS[0]
            with self._wake:
                for _ in rows:
                    self._waiting.popleft()
            self._came_back()
            self._prune()

    def _write_one_by_one(self, rows: list[dict], error: BaseException) -> list[dict]:
        """A batch the database refuses (not an outage): write its rows one by one, and drop only those it refuses.
        Returns the rows handled."""
        self.say_once("the database refused a question for the log; it is dropped", error)
        for row in rows:
            try:
                with DbSession(self.engine) as db, db.begin():
                    db.add(Asked(**row))
            except SQLAlchemyError as refused:
                if unreachable(refused):
                    return rows[: rows.index(row)]
        return rows

    def _prune(self) -> None:
        """Drop questions older than FAGUI_LOG_DAYS (checked at most hourly)."""
        if self._last_pruned and now() - self._last_pruned < timedelta(hours=1):
            return
        self._last_pruned = now()
        try:
            with DbSession(self.engine) as db, db.begin():
                db.execute(delete(Asked).where(Asked.asked_at < now() - timedelta(days=self.days)))
        except SQLAlchemyError as error:
            self._last_pruned = None
            if not unreachable(error):
                self.say_once("could not remove old questions from the log", error)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until the queued questions are written (tests, shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        while self._waiting:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self, timeout: float = 2.0) -> None:
        """At exit: write what waits, and say what could not be (the queue is in memory)."""
        if not self.flush(timeout) and self._waiting:
            print(f"records: {len(self._waiting):,} questions could not be written to the log before exit "
                  f"({'the database is unreachable' if self.down else 'the database is slow'}); they are lost",
                  file=sys.stderr, flush=True)
            self._waiting.clear()

    # ── feedback ──────────────────────────────────────────────────────────────────────────────────────────
    def feedback(self, answer: dict, rating: int, token: str, reason: str | None = None, comment: str | None = None,
                 measure: str | None = None, user: str | None = None) -> tuple[bool, str]:
        """Store a 👍/👎 on an answer (its batch-contract JSON) under the click's token: the same click sent again
        is stored once, a token already used for another answer or rating is refused. Returns (stored, message
        for the person)."""
        if not self.ready:
            return False, UNAVAILABLE
        if rating not in (1, -1) or (reason is not None and reason not in REASONS):
            return False, "无效的反馈。"
        if not token or len(token) > TOKEN_CHARS:
            return False, f"无效的反馈标识（应为 1 至 {TOKEN_CHARS} 个字符）。"
        values = dict(created_at=now(), rating=rating, reason=reason if rating < 0 else None,
                      comment=cut(comment, QUESTION_CHARS) if comment and comment.strip() else None,
                      question=cut(answer.get("question", ""), QUESTION_CHARS) or "",
                      answer=cut(answer.get("answer", ""), ANSWER_CHARS) or "", verdict=answer.get("verdict"),
                      route=answer.get("route", ""), lang=answer.get("lang", "zh"), measure=measure,
                      citations=[{"ref": c["ref"], "quote": c["quote"]} for c in answer.get("citations", [])],
                      app_version=app_version(), corpus_hash=corpus_hash(), user=(user or "")[:USER_CHARS] or None,
                      token=token)

        def store(db) -> bool:
            """True when stored now or before by the same click, False when the token is another click's."""
            try:
                with db.begin():
                    db.add(Feedback(**values))
                return True
            except IntegrityError:  # the token is taken: the same click sent twice, or a token used again
                first = db.scalar(select(Feedback).where(Feedback.token == token))
                return first is not None and (first.rating, first.question, first.answer) == (
                    rating, values["question"], values["answer"])

        try:
            if not self._call(store):
                return False, "这个反馈标识已用于另一条回答，未保存。"
        except SQLAlchemyError as error:
            if not unreachable(error):
                self.say_once("could not store feedback", error)
            return False, UNAVAILABLE
        return True, "已记录，谢谢。" if rating > 0 else "已记录，谢谢指正；评审人员会据此核对。"

    def amend(self, token: str, reason: str | None, comment: str | None) -> tuple[bool, str]:
        """Add the reason and comment to the 👎 stored under this token, and to no other."""
        if not self.ready:
            return False, UNAVAILABLE
        if reason is not None and reason not in REASONS:
            return False, "请选择一个原因。"
        if not token or len(token) > TOKEN_CHARS:
            return False, "没有找到这条反馈，请重新点 👎。"

        def add(db) -> bool:
            with db.begin():
                row = db.scalar(select(Feedback).where(Feedback.token == token, Feedback.rating < 0))
                if row is None:
                    return False
                row.reason = reason
                row.comment = cut(comment, QUESTION_CHARS) if comment and comment.strip() else None
                return True

        try:
            if not self._call(add):
                return False, "没有找到这条反馈，请重新点 👎。"
        except SQLAlchemyError as error:
            if not unreachable(error):
                self.say_once("could not store feedback", error)
            return False, UNAVAILABLE
        return True, "已记录原因，谢谢指正。"

    # ── what the review tab and harvest ask (each within DB_SECONDS; an outage raises) ────────────────────────
    def daily(self, days: int = 30) -> list[dict]:
        """Per day: questions asked, the share declined, 👎 given and their share of the questions."""
        since = now() - timedelta(days=days)

        def read(db):
            return (db.execute(select(Asked.asked_at, Asked.declined).where(Asked.asked_at >= since)).all(),
                    db.execute(select(Feedback.created_at, Feedback.rating).where(Feedback.created_at >= since)).all())

        asked, votes = self._call(read)
        per: dict[date, dict] = {}
        for at, declined in asked:
            day = per.setdefault(_day(at), {"asked": 0, "declined": 0, "down": 0})
            day["asked"] += 1
            day["declined"] += bool(declined)
        for at, rating in votes:
            per.setdefault(_day(at), {"asked": 0, "declined": 0, "down": 0})["down"] += rating < 0
        return [{"day": day.isoformat(), "asked": v["asked"], "down": v["down"],
                 "declined_rate": v["declined"] / v["asked"] if v["asked"] else 0.0,
                 "down_rate": v["down"] / v["asked"] if v["asked"] else 0.0} for day, v in sorted(per.items())]

    def asked_questions(self, days: int = 30, limit: int = 50000) -> list[tuple[str, list]]:
        """(question, cited articles) of the questions asked in the last days, newest first."""
        return self._call(lambda db: [(q, list(c or [])) for q, c in db.execute(
            select(Asked.question, Asked.cited).where(Asked.asked_at >= now() - timedelta(days=days))
            .order_by(Asked.id.desc()).limit(limit)).all()])

    def totals(self) -> dict:
        def count(db, table, *where) -> int:
            return db.scalar(select(func.count()).select_from(table).where(*where)) or 0

        return self._call(lambda db: {
            "asked": count(db, Asked), "declined": count(db, Asked, Asked.declined.is_(True)),
            "up": count(db, Feedback, Feedback.rating > 0), "down": count(db, Feedback, Feedback.rating < 0),
            "reviewed": count(db, Review)})

    def dislikes(self, limit: int = 200) -> list[tuple[Feedback, Review | None]]:
        """The 👎 items, newest first, each with its review if it has one."""
        return self._call(lambda db: [(f, r) for f, r in db.execute(
            select(Feedback, Review).outerjoin(Review, Review.feedback_id == Feedback.id)
            .where(Feedback.rating < 0).order_by(Feedback.id.desc()).limit(limit)).all()])

    def item(self, feedback_id: int) -> tuple[Feedback, Review | None] | None:
        def read(db):
            row = db.execute(select(Feedback, Review).outerjoin(Review, Review.feedback_id == Feedback.id)
                             .where(Feedback.id == feedback_id)).first()
            return (row[0], row[1]) if row else None

        return self._call(read)

    def review(self, feedback_id: int, verdict: str | None, refs: list[str], facts: list[str], note: str | None,
               reviewer: str | None = None) -> None:
        """Save (or replace) the correction of a feedback item."""
        def save(db) -> None:
            with db.begin():
                existing = db.scalar(select(Review).where(Review.feedback_id == feedback_id))
                row = existing or Review(feedback_id=feedback_id)
                row.reviewed_at, row.reviewer, row.expected_verdict = now(), reviewer, verdict
                row.expected_refs, row.key_facts, row.note = list(refs), list(facts), cut(note, QUESTION_CHARS)
                db.add(row)

        self._call(save)

    def reviewed(self, since: datetime | None = None) -> list[tuple[Feedback, Review]]:
        """Reviewed items (oldest first), for `eval harvest`."""
        query = select(Feedback, Review).join(Review, Review.feedback_id == Feedback.id).order_by(Review.id)
        if since is not None:
            query = query.where(Review.reviewed_at >= since)
        return self._call(lambda db: [(f, r) for f, r in db.execute(query).all()])


def _day(at: datetime) -> date:
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone().date()


_STORE: Store | None = None
_LOCK = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The process's store (opened and migrated once). A database that cannot be used gives a store that is off,
    with the reason said once; one that cannot be reached is an outage from the start, and the log waits for it.
    Nothing else fails."""
    global _STORE
    with _LOCK:
        if _STORE is not None and url is None:
            return _STORE
        target = url or database_url()
        try:
            store = Store(make_engine(target), target, logging=logging_on(), days=log_days(), limit=queue_limit())
            store._call(lambda db: None, OPEN_SECONDS)  # migrates
        except SQLAlchemyError as error:
            if not unreachable(error):
                store = _off(target, error)
        except Exception as error:  # noqa: BLE001 - a bad URL, a missing driver: the app answers without records
            store = _off(target, error)
        if url is None:
            _STORE = store
            atexit.register(store.close)
        return store


def _off(target: str, error: BaseException) -> Store:
    store = Store(None, target, problem=f"{type(error).__name__}: {_first_line(error)}")
    print(f"records: off ({_safe(target)}): {store.problem}", file=sys.stderr, flush=True)
    return store


def _safe(url: str) -> str:
    """A URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return url


__all__ = ["REASONS", "Store", "open_store"]
