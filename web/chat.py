"""The Chat tab's handlers: a question answered in its session's context, the measure switch, a fresh
conversation, the example questions, and /ask for API clients.

They take and return plain values (text, history, a Session), so tests call them without a browser; an
error in the assistant becomes a message in the chat, never a broken page.
"""
from __future__ import annotations

import secrets
import sys
import traceback
from datetime import datetime

import gradio as gr

from assistant import Session, answer
from assistant.resources import warmed
from corpus import load
from records import open_store
from records.schema import TOKEN_CHARS
from web.files import write_export
from web.guard import answering
from web.render import ALL, error_message, esc, measure_key, plain_text, render_answer, render_question, validity_banner


MAX_HISTORY = 200  # messages kept on screen: the conversation's context is the session, not what a client sends
LOADING = "正在加载…（首次启动需要几秒钟，加载完即回答）"  # a question asked while the app loads (resources.warmed)

# ─── chat handlers ───────────────────────────────────────────────────────────────────────────────────────
def ensure_session(session: object, measure: str | None = None) -> Session:
    if not isinstance(session, Session):
        session = Session(measure=measure)
    return session


def chat(question: str, history: list | None, session: Session | None, measure: str | None,
         shown: list | None = None, request: gr.Request | None = None):
    """Answer a question in the session's context and log it; returns (cleared input, history, session, shown:
    the answers on screen, one per assistant message, each {"id": a random id given when it is shown, "answer": its
    JSON}, for feedback on them)."""
    session = ensure_session(session)
    session.measure = measure_key(measure)
    history = [m for m in (history if isinstance(history, list) else []) if isinstance(m, dict)][-MAX_HISTORY:]
    shown = list(shown or [])[-MAX_HISTORY // 2:]
    if not isinstance(question, str) or not question.strip():
        return "", history, session, shown
    try:
        with answering():
            reply = answer(question, session=session)
        message = render_answer(reply)
        record(reply, session.measure, request)
        shown.append({"id": secrets.token_urlsafe(12), "answer": reply.to_json()})
    except Exception as error:  # never take the page down; log for the operator
        traceback.print_exc(file=sys.stderr)
        message = error_message(error)
        shown.append(None)
    history += [{"role": "user", "content": render_question(question)},
                {"role": "assistant", "content": message}]
    return "", history, session, shown


def ask_in_chat(question: str, history: list | None, session: Session | None, measure: str | None,
        shown: list | None = None, request: gr.Request | None = None):
    """The chat as the page runs it: a question asked while the app is still loading shows 正在加载… under it
    at once, and its answer when loading is done."""
    if not warmed.is_set() and isinstance(question, str) and question.strip():
        waiting = [m for m in (history if isinstance(history, list) else []) if isinstance(m, dict)]
        yield "", waiting + [{"role": "user", "content": render_question(question)},
                                   {"role": "assistant", "content": LOADING}], session, shown
        warmed.wait()
    yield chat(question, history, session, measure, shown, request)


def who(request: gr.Request | None) -> tuple[str, str | None]:
    """(the browser session's id, the login name when the app has a login): what the records keep of a person."""
    if request is None:
        return "", None
    return str(getattr(request, "session_hash", "") or ""), getattr(request, "username", None) or None


def record(reply, measure: str | None, request: gr.Request | None) -> None:
    """Put an answered question in the log (in the background; off with FAGUI_LOG=off)."""
    session_id, user = who(request)
    open_store().log(reply, measure=measure, session=session_id, user=user)


# ─── feedback ────────────────────────────────────────────────────────────────────────────────────────────
def on_like(shown: list | None, measure: str | None, data: gr.LikeData, request: gr.Request | None = None):
    """👍 is stored at once; 👎 is stored at once and opens the reason form for that answer. A click's token is
    the answer's id and the rating: never the same for two answers, whatever was cleared in between. Returns
    (form visibility, the id of the answer the form is about, message)."""
    position = answer_position(data.index)
    entry = shown[position] if shown and position is not None and position < len(shown) else None
    if not isinstance(entry, dict):
        return gr.Group(visible=False), None, '<div class="feedback-note">这条消息无法评价。</div>'
    if data.liked not in (True, False, "Like", "Dislike"):  # a 👍/👎 taken back: nothing to store
        return gr.Group(visible=False), None, ""
    liked = data.liked in (True, "Like")
    _, user = who(request)
    rating = 1 if liked else -1
    stored, message = open_store().feedback(entry["answer"], rating, token=f"{entry['id']}:{rating}",
                                            measure=measure_key(measure), user=user)
    note = f'<div class="feedback-note">{esc(message)}</div>'
    if liked or not stored:
        return gr.Group(visible=False), None, note
    return gr.Group(visible=True), entry["id"], note


def submit_reason(answer_id: str | None, reason: str | None, comment: str | None):
    """The reason and comment of a 👎, added to that answer's row and no other; returns (form visibility,
    message)."""
    if not answer_id:
        return gr.Group(visible=False), ""
    stored, message = open_store().amend(f"{answer_id}:-1", reason, comment)
    return gr.Group(visible=not stored), f'<div class="feedback-note">{esc(message)}</div>'


def answer_position(index) -> int | None:
    """The answer's place among the answers on screen, from the chat message's index (every other message)."""
    if isinstance(index, (list, tuple)):
        index = index[0]
    try:
        return int(index) // 2
    except (TypeError, ValueError):
        return None


def switch_measure(measure: str | None, session: Session | None):
    """Remember the measure the user picked; returns (session, validity banner)."""
    session = ensure_session(session)
    session.measure = measure_key(measure)
    return session, validity_banner(session.measure)


def clear_chat(session: Session | None, measure: str | None):
    """A fresh conversation that keeps the chosen measure; returns (history, session, shown answers)."""
    return [], Session(measure=measure_key(measure)), []


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


def api_ask(question: str, measure: str = ALL, request: gr.Request | None = None) -> dict:
    """Ask one question without history; returns the answer as JSON (text, verdict, citations, notes)."""
    key = measure_key(measure)
    if measure not in (None, "", ALL) and key is None:
        return {"error": f"unknown measure {str(measure)[:40]!r}: use all or one of {', '.join(load().measures)}"}
    warmed.wait()
    with answering():
        reply = answer(question, measure=key)
    record(reply, key, request)
    return reply.to_json()


API_PREFIX = "api:"  # an API client's tokens are its own: they never meet the chat's
API_TOKEN_CHARS = TOKEN_CHARS - len(API_PREFIX)


def api_feedback(shown: dict, rating: int, token: str, reason: str = "", comment: str = "", measure: str = ALL,
                 request: gr.Request | None = None) -> dict:
    """Feedback from an API client on an answer /ask returned: rating 1 or -1, a reason of records.REASONS for -1,
    a comment, and a token unique to the click, at most API_TOKEN_CHARS characters (sent again with the same
    answer, it is stored once; with another answer, it is refused). Returns {stored, message}."""
    if not isinstance(shown, dict) or not isinstance(token, str) or not token.strip():
        return {"stored": False, "message": "feedback needs the answer as /ask returned it and a token"}
    if len(token.strip()) > API_TOKEN_CHARS:
        return {"stored": False, "message": f"the token is {len(token.strip())} characters; at most {API_TOKEN_CHARS}"}
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        return {"stored": False, "message": "rating must be 1 or -1"}
    _, user = who(request)
    stored, message = open_store().feedback(shown, rating, token=API_PREFIX + token.strip(), reason=reason or None,
                                            comment=comment, measure=measure_key(measure), user=user)
    return {"stored": stored, "message": message}


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
