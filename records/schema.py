"""The tables: every answered question (the log), every 👍/👎 with what was answered, and a reviewer's
correction of an item (what a right answer would be), from which gold candidates are harvested."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

QUESTION_CHARS = 2000  # what a question or a comment may hold in the database; longer is cut, with a mark
ANSWER_CHARS = 20000
USER_CHARS = 128  # a login name as stored
TOKEN_CHARS = 64  # a feedback token's length; a longer one is refused, never cut (two would become one)


class Base(DeclarativeBase):
    pass


class Asked(Base):
    """One answered question: what came back, not who asked (no IP address; the login name only when auth is on)."""

    __tablename__ = "asked"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    session: Mapped[str] = mapped_column(String(32), index=True)
    question: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    measure: Mapped[str | None] = mapped_column(String(64))  # the measure filter chosen, if any
    route: Mapped[str] = mapped_column(String(32))
    verdict: Mapped[str | None] = mapped_column(String(32))
    declined: Mapped[bool] = mapped_column(Boolean)
    cited: Mapped[list] = mapped_column(JSON)  # article references, in citing order
    latency_ms: Mapped[float] = mapped_column(Float)
    app_version: Mapped[str] = mapped_column(String(64))
    corpus_hash: Mapped[str] = mapped_column(String(64))
    user: Mapped[str | None] = mapped_column(String(USER_CHARS))


class Feedback(Base):
    """A 👍 or 👎 on an answer, with the reason and comment of a 👎, and the answer as it was shown."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    rating: Mapped[int] = mapped_column(Integer)  # +1 or -1
    reason: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str | None] = mapped_column(String(32))
    route: Mapped[str] = mapped_column(String(32))
    citations: Mapped[list] = mapped_column(JSON)  # [{"ref", "quote"}]
    measure: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    app_version: Mapped[str] = mapped_column(String(64))
    corpus_hash: Mapped[str] = mapped_column(String(64))
    user: Mapped[str | None] = mapped_column(String(USER_CHARS))
    token: Mapped[str] = mapped_column(String(TOKEN_CHARS), unique=True)  # one per click: a retry is stored once


class Review(Base):
    """A reviewer's correction of a feedback item: the expected verdict, articles and key facts."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), unique=True)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    reviewer: Mapped[str | None] = mapped_column(String(128))
    expected_verdict: Mapped[str | None] = mapped_column(String(32))
    expected_refs: Mapped[list] = mapped_column(JSON)
    key_facts: Mapped[list] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
