"""Input hygiene: a question is text a person typed. Empty, huge and binary input get a clear message."""
from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 1000
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def clean(question: str) -> str:
    """Normalise width and spacing; drop control characters. Meaning is kept: nothing is truncated."""
    text = unicodedata.normalize("NFKC", question)
    return re.sub(r"\s+", " ", CONTROL.sub(" ", text)).strip()


RAW_LIMIT = MAX_CHARS * 4  # characters before any normalisation: a longer input is refused at once, unread


def problem(question: object) -> str | None:
    """Why a question cannot be answered as given, or None. The message names the problem. The raw length is
    checked first, so a huge input costs nothing (NFKC can expand a character eighteenfold)."""
    if not isinstance(question, str):
        return "binary"
    if len(question) > RAW_LIMIT:
        return "too_long"
    raw_controls = len(CONTROL.findall(question))
    if question and raw_controls > max(3, len(question) // 10):
        return "binary"
    text = clean(question)
    if not text:
        return "empty"
    if len(text) > MAX_CHARS:
        return "too_long"
    if not re.search(r"[\w\u4e00-\u9fff]", text):
        return "empty"
    return None


MESSAGES = {
    "empty": ("请输入一个问题，例如：辅助人员可以单独送达法律文书吗？",
              "Please type a question, for example: can an auxiliary serve documents alone?"),
    "too_long": (f"问题太长（超过{MAX_CHARS}字）。请把问题缩短到一两句话再问。",
                 f"The question is too long (over {MAX_CHARS} characters). Please ask it in a sentence or two."),
    "binary": ("无法识别输入的内容（含有不可读字符）。请用文字输入问题。",
               "The input could not be read as text (it contains unreadable characters). Please type your question."),
}
