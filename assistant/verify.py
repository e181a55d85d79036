"""The citation verifier. Every answer passes through it before it is returned: each cited reference must
exist and each quote must be a verbatim substring of what it cites, and the quote must stand in the text the
user sees; an answer that cites nothing states only the measures' metadata. An answer that fails is never shown."""
from __future__ import annotations

from corpus import load
from assistant.types import Answer


class UnverifiedAnswer(ValueError):
    """An answer whose citations do not check out against the corpus."""


def problems(answer: Answer) -> list[str]:
    """What is wrong with an answer's citations; empty when it is sound."""
    corpus, found = load(), []
    if not answer.declined and not answer.citations and not answer.from_metadata:
        found.append("an answer that is not declined cites nothing")
    for citation in answer.citations:
        if not corpus.exists(citation.ref):
            found.append(f"{citation.ref} does not exist")
        elif not corpus.quote_is_verbatim(citation.ref, citation.quote):
            found.append(f"the quote for {citation.ref} is not verbatim: {citation.quote[:40]!r}")
        elif citation.quote not in answer.text:
            found.append(f"the quote for {citation.ref} is not shown in the answer")
    return found


def verify(answer: Answer) -> Answer:
    """Return the answer unchanged if sound, else raise UnverifiedAnswer."""
    found = problems(answer)
    if found:
        raise UnverifiedAnswer("; ".join(found))
    return answer
