"""The process-wide index and learned reading, opened on first use, once per process: every stage that needs
them asks here, so that none of them has to reach back into the pipeline."""
from __future__ import annotations

import threading

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
