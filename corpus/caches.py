"""Cache files: what a process derives once from a library's data (jieba's tables, wordfreq's common words, the
encoder's graph) and keeps for the next one. Each is written whole or not at all, and one that cannot be read or
written only costs the next process the work it would have saved."""
from __future__ import annotations

import marshal
import os
from pathlib import Path


def read_marshalled(path: Path):
    """The data a cache file holds (marshal), or None when it is missing or unreadable."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache file through a temporary file of this process, moved into place (two processes writing the
    same cache never interleave)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:
        pass


__all__ = ["read_marshalled", "write_cache"]
