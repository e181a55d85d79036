"""The store: the question log written in the background (an answer never waits for the database, and a
database that is down costs one line in the log), feedback written when it is given, and the queries the review
tab and `eval harvest` ask."""
from __future__ import annotations

import atexit
import hashlib
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session as DbSession

from records.db import ROOT, database_url, make_engine, migrate
from records.schema import ANSWER_CHARS, QUESTION_CHARS, TOKEN_CHARS, Asked, Feedback, Review

REASONS = {  # why an answer was 👎, in the chat's words
    "wrong_verdict": ("结论不对", "Wrong verdict"),
    "wrong_article": ("引用的条文不对", "Wrong article"),
    "missing": ("缺少信息", "Missing information"),
    "unclear": ("看不懂", "Unclear"),
    "outdated": ("内容已过时", "Outdated"),
}
DEFAULT_LOG_DAYS = 180
QUEUE_LIMIT = 10000  # questions waiting to be logged; beyond it the log drops (and says so once)
CUT = "…［已截断］"


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


def log_days() -> int:
    try:
        return max(1, int(os.environ.get("FAGUI_LOG_DAYS", DEFAULT_LOG_DAYS)))
    except ValueError:
        return DEFAULT_LOG_DAYS


@dataclass
class Store:
    """Records in one database. `problem` says why it is off (a database that cannot be opened); then nothing is
    written and the app answers as before."""

    engine: Engine | None
    url: str
    problem: str | None = None
    logging: bool = True
    days: int = DEFAULT_LOG_DAYS
    _queue: queue.Queue = field(default_factory=lambda: queue.Queue(QUEUE_LIMIT), repr=False)
    _writer: threading.Thread | None = field(default=None, repr=False)
    _complained: set = field(default_factory=set, repr=False)
    _last_pruned: datetime | None = field(default=None, repr=False)

    @property
    def ready(self) -> bool:
        return self.engine is not None and self.problem is None

    def say_once(self, what: str, error: BaseException) -> None:
        """A failure is logged once per kind, not once per question."""
        if what not in self._complained:
            self._complained.add(what)
            print(f"records: {what}: {type(error).__name__}: {str(error).splitlines()[0][:200]}", file=sys.stderr, flush=True)

    # ── the question log ──────────────────────────────────────────────────────────────────────────────────
    def log(self, reply, measure: str | None = None, session: str = "", user: str | None = None) -> None:
        """Queue an answered question for the log; returns at once."""
        if not (self.ready and self.logging):
            return
        row = dict(asked_at=now(), session=(session or "")[:32], question=cut(reply.question, QUESTION_CHARS) or "",
                   lang=reply.lang, measure=measure, route=reply.route, verdict=reply.verdict,
                   declined=bool(reply.declined), cited=list(dict.fromkeys(str(c.ref.article_ref) for c in reply.citations)),
                   latency_ms=float(reply.latency_ms or 0.0), app_version=app_version(), corpus_hash=corpus_hash(),
                   user=(user or None))
        try:
            self._queue.put_nowait(row)
        except queue.Full as error:
            self.say_once("the question log is behind; questions are being dropped", error)
            return
        if self._writer is None or not self._writer.is_alive():
            self._writer = threading.Thread(target=self._write_log, name="records-log", daemon=True)
            self._writer.start()

    def _write_log(self) -> None:
        while True:
            rows = [self._queue.get()]
            while len(rows) < 200:
                try:
                    rows.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                with DbSession(self.engine) as db, db.begin():
                    db.add_all(Asked(**row) for row in rows)
                self._prune()
            except SQLAlchemyError as error:
                self.say_once("could not write the question log", error)
            finally:
                for _ in rows:
                    self._queue.task_done()

    def _prune(self) -> None:
        """Drop questions older than FAGUI_LOG_DAYS (checked at most hourly)."""
        if self._last_pruned and now() - self._last_pruned < timedelta(hours=1):
            return
        self._last_pruned = now()
        with DbSession(self.engine) as db, db.begin():
            db.execute(delete(Asked).where(Asked.asked_at < now() - timedelta(days=self.days)))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until the queued questions are written (tests, shutdown); False on timeout."""
        deadline = now() + timedelta(seconds=timeout)
        while self._queue.unfinished_tasks:
            if now() > deadline:
                return False
            threading.Event().wait(0.02)
        return True

    # ── feedback ──────────────────────────────────────────────────────────────────────────────────────────
    def feedback(self, answer: dict, rating: int, token: str, reason: str | None = None, comment: str | None = None,
                 measure: str | None = None, user: str | None = None) -> tuple[bool, str]:
        """Store a 👍/👎 on an answer (its batch-contract JSON) under the click's token: the same click sent again
        is stored once, a token already used for another answer or rating is refused. Returns (stored, message
        for the person)."""
        if not self.ready:
            return False, "反馈暂时无法保存（记录数据库不可用），回答不受影响。"
        if rating not in (1, -1) or (reason is not None and reason not in REASONS):
            return False, "无效的反馈。"
        if not token or len(token) > TOKEN_CHARS:
            return False, f"无效的反馈标识（应为 1 至 {TOKEN_CHARS} 个字符）。"
        row = Feedback(created_at=now(), rating=rating, reason=reason if rating < 0 else None,
                       comment=cut(comment, QUESTION_CHARS) if comment and comment.strip() else None,
                       question=cut(answer.get("question", ""), QUESTION_CHARS) or "",
                       answer=cut(answer.get("answer", ""), ANSWER_CHARS) or "", verdict=answer.get("verdict"),
                       route=answer.get("route", ""), lang=answer.get("lang", "zh"), measure=measure,
                       citations=[{"ref": c["ref"], "quote": c["quote"]} for c in answer.get("citations", [])],
                       app_version=app_version(), corpus_hash=corpus_hash(), user=user or None, token=token)
        try:
            with DbSession(self.engine) as db, db.begin():
                db.add(row)
        except IntegrityError:  # the token is taken: the same click sent twice, or a token used again
            try:
                with DbSession(self.engine) as db:
                    first = db.scalar(select(Feedback).where(Feedback.token == token))
            except SQLAlchemyError as error:
                self.say_once("could not store feedback", error)
                return False, "反馈暂时无法保存（记录数据库不可用），回答不受影响。"
            if first is not None and (first.rating, first.question, first.answer) == (row.rating, row.question, row.answer):
                return True, "已记录。"
            return False, "这个反馈标识已用于另一条回答，未保存。"
        except SQLAlchemyError as error:
            self.say_once("could not store feedback", error)
            return False, "反馈暂时无法保存（记录数据库不可用），回答不受影响。"
        return True, "已记录，谢谢。" if rating > 0 else "已记录，谢谢指正；评审人员会据此核对。"

    def amend(self, token: str, reason: str | None, comment: str | None) -> tuple[bool, str]:
        """Add the reason and comment to the 👎 stored under this token, and to no other."""
        if not self.ready:
            return False, "反馈暂时无法保存（记录数据库不可用），回答不受影响。"
        if reason is not None and reason not in REASONS:
            return False, "请选择一个原因。"
        if not token or len(token) > TOKEN_CHARS:
            return False, "没有找到这条反馈，请重新点 👎。"
        try:
            with DbSession(self.engine) as db, db.begin():
                row = db.scalar(select(Feedback).where(Feedback.token == token, Feedback.rating < 0))
                if row is None:
                    return False, "没有找到这条反馈，请重新点 👎。"
                row.reason = reason
                row.comment = cut(comment, QUESTION_CHARS) if comment and comment.strip() else None
        except SQLAlchemyError as error:
            self.say_once("could not store feedback", error)
            return False, "反馈暂时无法保存（记录数据库不可用），回答不受影响。"
        return True, "已记录原因，谢谢指正。"

    # ── what the review tab and harvest ask ───────────────────────────────────────────────────────────────
    def daily(self, days: int = 30) -> list[dict]:
        """Per day: questions asked, the share declined, 👎 given and their share of the questions."""
        since = now() - timedelta(days=days)
        with DbSession(self.engine) as db:
            asked = db.execute(select(Asked.asked_at, Asked.declined).where(Asked.asked_at >= since)).all()
            votes = db.execute(select(Feedback.created_at, Feedback.rating).where(Feedback.created_at >= since)).all()
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
        with DbSession(self.engine) as db:
            return [(q, list(c or [])) for q, c in db.execute(
                select(Asked.question, Asked.cited).where(Asked.asked_at >= now() - timedelta(days=days))
                .order_by(Asked.id.desc()).limit(limit)).all()]

    def totals(self) -> dict:
        with DbSession(self.engine) as db:
            asked = db.scalar(select(func.count()).select_from(Asked)) or 0
            declined = db.scalar(select(func.count()).select_from(Asked).where(Asked.declined.is_(True))) or 0
            up = db.scalar(select(func.count()).select_from(Feedback).where(Feedback.rating > 0)) or 0
            down = db.scalar(select(func.count()).select_from(Feedback).where(Feedback.rating < 0)) or 0
            reviewed = db.scalar(select(func.count()).select_from(Review)) or 0
        return {"asked": asked, "declined": declined, "up": up, "down": down, "reviewed": reviewed}

    def dislikes(self, limit: int = 200) -> list[tuple[Feedback, Review | None]]:
        """The 👎 items, newest first, each with its review if it has one."""
        with DbSession(self.engine, expire_on_commit=False) as db:
            rows = db.execute(select(Feedback, Review).outerjoin(Review, Review.feedback_id == Feedback.id)
                              .where(Feedback.rating < 0).order_by(Feedback.id.desc()).limit(limit)).all()
            return [(f, r) for f, r in rows]

    def item(self, feedback_id: int) -> tuple[Feedback, Review | None] | None:
        with DbSession(self.engine, expire_on_commit=False) as db:
            row = db.execute(select(Feedback, Review).outerjoin(Review, Review.feedback_id == Feedback.id)
                             .where(Feedback.id == feedback_id)).first()
            return (row[0], row[1]) if row else None

    def review(self, feedback_id: int, verdict: str | None, refs: list[str], facts: list[str], note: str | None,
               reviewer: str | None = None) -> None:
        """Save (or replace) the correction of a feedback item."""
        with DbSession(self.engine) as db, db.begin():
            existing = db.scalar(select(Review).where(Review.feedback_id == feedback_id))
            row = existing or Review(feedback_id=feedback_id)
            row.reviewed_at, row.reviewer, row.expected_verdict = now(), reviewer, verdict
            row.expected_refs, row.key_facts, row.note = list(refs), list(facts), cut(note, QUESTION_CHARS)
            db.add(row)

    def reviewed(self, since: datetime | None = None) -> list[tuple[Feedback, Review]]:
        """Reviewed items (oldest first), for `eval harvest`."""
        with DbSession(self.engine, expire_on_commit=False) as db:
            query = select(Feedback, Review).join(Review, Review.feedback_id == Feedback.id).order_by(Review.id)
            if since is not None:
                query = query.where(Review.reviewed_at >= since)
            return [(f, r) for f, r in db.execute(query).all()]


def _day(at: datetime) -> date:
    return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone().date()


_STORE: Store | None = None
_LOCK = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The process's store (opened and migrated once). A database that cannot be opened gives a store that is
    off, with the reason said once; nothing else fails."""
    global _STORE
    with _LOCK:
        if _STORE is not None and url is None:
            return _STORE
        target = url or database_url()
        try:
            engine = make_engine(target)
            migrate(engine)
            store = Store(engine, target, logging=logging_on(), days=log_days())
        except Exception as error:  # noqa: BLE001 - whatever stops the database, the app answers without it
            store = Store(None, target, problem=f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
            print(f"records: off ({_safe(target)}): {store.problem}", file=sys.stderr, flush=True)
        if url is None:
            _STORE = store
            atexit.register(store.flush, 2.0)
        return store


def _safe(url: str) -> str:
    """A URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return url


__all__ = ["REASONS", "Store", "open_store"]
