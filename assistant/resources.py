"""The process-wide index and learned reading, opened on first use, once per process: every stage that needs
them asks here, so that none of them has to reach back into the pipeline."""
from __future__ import annotations

from functools import cache


@cache
def article_index(model: str | None = None):
    from index.search import ArticleIndex

    return ArticleIndex.open(model, progress=True)


def reader():
    """The learned reading for the index (reading.runtime), loaded once per process."""
    from reading.runtime import reader_for

    return reader_for(article_index())
