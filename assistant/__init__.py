"""The assistant: routed, cited answers over the two measures.

    from assistant import answer, Session
    reply = answer("辅助人员可以单独送达法律文书吗？")
    reply.text, reply.verdict, reply.citations

`answer()` never raises on bad input: empty, huge or binary questions get a clear message as a declined
Answer. It raises ValueError only for an unknown `measure` argument.
"""
from assistant.pipeline import answer, article_index, preload
from assistant.session import Session
from assistant.types import Answer, Citation

__all__ = ["Answer", "Citation", "Session", "answer", "article_index", "preload"]
