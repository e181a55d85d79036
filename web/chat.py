"""The Chat tab's handlers: a question answered in its session's context, the measure switch, a fresh
conversation, the example questions, and /ask for API clients.

They take and return plain values (text, history, a Session), so tests call them without a browser; an
error in the assistant becomes a message in the chat, never a broken page.
"""
from __future__ import annotations

import sys
import traceback
from datetime import datetime

import gradio as gr

from assistant import Session, answer
from corpus import load
from web.files import write_export
from web.render import ALL, error_message, measure_key, plain_text, render_answer, render_question, validity_banner


# ─── chat handlers ───────────────────────────────────────────────────────────────────────────────────────
def ensure_session(session: object, measure: str | None = None) -> Session:
    if not isinstance(session, Session):
        session = Session(measure=measure)
    return session


def chat(question: str, history: list | None, session: Session | None, measure: str | None):
    """Answer a question in the session's context; returns (cleared input, history, session)."""
    session = ensure_session(session)
    session.measure = measure_key(measure)
    history = list(history or [])
    if not isinstance(question, str) or not question.strip():
        return "", history, session
    try:
        reply = answer(question, session=session)
        message = render_answer(reply)
    except Exception as error:  # never take the page down; log for the operator
        traceback.print_exc(file=sys.stderr)
        message = error_message(error)
    history += [{"role": "user", "content": render_question(question)},
                {"role": "assistant", "content": message}]
    return "", history, session


def switch_measure(measure: str | None, session: Session | None):
    """Remember the measure the user picked; returns (session, validity banner)."""
    session = ensure_session(session)
    session.measure = measure_key(measure)
    return session, validity_banner(session.measure)


def clear_chat(session: Session | None, measure: str | None):
    """A fresh conversation that keeps the chosen measure."""
    return [], Session(measure=measure_key(measure)), ""


def conversation_markdown(session: Session, when: datetime | None = None) -> str:
    """The conversation as Markdown for an officer's report or a trainer's notes: each question, its answer as
    clean text with every citation's label and verbatim quote, and the validity notes."""
    when = when or datetime.now()
    measures = load().measures
    scope = measures[session.measure].title if session.measure in measures else "全部办法"
    lines = ["# 法规助手 · 对话记录", "", f"导出时间：{when.strftime('%Y-%m-%d %H:%M')}　适用办法：{scope}", ""]
    for number, turn in enumerate(session.turns, start=1):
        lines += [f"## {number}. {turn.answer.question}", "", plain_text(turn.answer), ""]
    lines += ["---", "以上回答均依据条文原文；引用以办法正式文本为准。", ""]
    return "\n".join(lines)


def export_chat(session: Session | None):
    """The conversation as a Markdown file to download; hidden while there is nothing to export."""
    if not isinstance(session, Session) or not session.turns:
        return gr.File(value=None, visible=False)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return gr.File(value=write_export(f"chat-{stamp}", {"md": conversation_markdown(session)})[0], visible=True)


def api_ask(question: str, measure: str = ALL) -> dict:
    """Ask one question without history; returns the answer as JSON (text, verdict, citations, notes)."""
    reply = answer(question, measure=measure_key(measure))
    return reply.to_json()


GENERAL_EXAMPLES = [
    "辅助人员可以单独送达法律文书吗？",
    "协管员能自己开罚单吗？",
    "岗前培训不少于几个工作日？",
    "聘用辅助人员需要什么条件？",
]


def examples() -> list[str]:
    """The example questions under the chat: general ones, then a comparison and a validity question named
    after the measures in the corpus, then one in English."""
    places = [m.short_name.removesuffix("办法") or m.short_name for m in load().measures.values()]
    named = []
    if len(places) >= 2:
        named.append(f"{places[0]}和{places[1]}对年龄的要求有什么不同？")
    if places:
        named.append(f"{places[0]}办法现在还有效吗？")
    return GENERAL_EXAMPLES + named + ["Can an auxiliary officer seize goods on their own?"]


def pick_example(position: int | list | None) -> str:
    if isinstance(position, list):  # a Dataset of type "values" passes the sample
        return str(position[0]) if position else ""
    try:
        return examples()[int(position)]
    except (TypeError, ValueError, IndexError):
        return ""
