"""The process-wide index and learned reading, opened on first use, once per process: every stage that needs
them asks here, so that none of them has to reach back into the pipeline."""
from __future__ import annotations

import threading

# Set once the index and the reading are loaded. A process that loads them in the background (the app, which serves
# its page meanwhile) clears it first; what needs them waits on it, saying so.
warmed = threading.Event()
warmed.set()
_lock = threading.Lock()
_indexes: dict[str | None, object] = {}


def article_index(model: str | None = None):
    """The index for a model (the configured one by default); a thread asking while another opens it waits."""
    with _lock:
        if model not in _indexes:
            from index.search import ArticleIndex

            _indexes[model] = ArticleIndex.open(model, progress=True)
        return _indexes[model]


def reader():
    """The learned reading for the index (reading.runtime), loaded once per process."""
    from reading.runtime import reader_for

    return reader_for(article_index())
