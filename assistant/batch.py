"""The batch contract: one {"id", "question"} JSON object per input line in, one answer object per line
out, in the same order. A malformed line, or one the assistant fails on, yields a line with an `error` field, and
the batch goes on: a line that is not UTF-8, has NUL bytes, is not JSON, nests too deeply, holds a number Python
will not read, a lone surrogate or a byte-order mark past the first line, or is longer than LINE_BYTES (read no
further than that: a 100 MB line costs 1 MB of memory)."""
from __future__ import annotations

import json
import math
import re
from typing import BinaryIO, Callable, TextIO

from assistant.types import Answer

LINE_BYTES = 1 << 20  # a line longer than this is refused unread; a question is at most a few thousand characters
BOM = b"\xef\xbb\xbf"
SURROGATE = re.compile(r"[\ud800-\udfff]")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:20]}{'…' if len(text) > 20 else ''} is out of range")
    return number


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def parse_line(raw: bytes, number: int) -> tuple[object, str | None, str | None]:
    """(id, question, error) for one input line."""
    if raw.startswith(BOM):
        if number != 1:
            return None, None, f"line {number}: starts with a byte-order mark (U+FEFF); only the file's first line may"
        raw = raw[len(BOM):]  # the file's encoding mark, as Notepad and Excel write it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, None, f"line {number}: not valid UTF-8"
    if "\x00" in text:
        return None, None, f"line {number}: contains NUL bytes"
    try:
        row = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        return None, None, f"line {number}: not JSON ({error.msg})"
    except RecursionError:
        return None, None, f"line {number}: nested too deeply"
    except ValueError as error:  # an integer of more than 4,300 digits, 1e999, NaN
        return None, None, f"line {number}: a number that cannot be read ({str(error).split(';')[0]})"
    if not isinstance(row, dict):
        return None, None, f"line {number}: expected an object with id and question"
    id_, question = row.get("id"), row.get("question")
    if not isinstance(id_, (str, int, float, type(None))):
        return None, None, f"line {number}: \"id\" must be a string or a number"
    if any(isinstance(v, str) and SURROGATE.search(v) for v in (id_, question)):
        return None, None, f"line {number}: contains a lone surrogate (\\ud800-\\udfff), which is not text"
    if not isinstance(question, str):
        return id_, None, f"line {number}: missing or non-text \"question\""
    return id_, question, None


def lines_of(stream: BinaryIO, limit: int = LINE_BYTES):
    """(line without its end, too long) for each line of the stream; a line over `limit` bytes is skipped to its
    end in pieces, never held whole."""
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(limit)
            yield b"", True
            continue
        yield raw.rstrip(b"\r\n"), False


def run(lines: BinaryIO, out: TextIO, ask: Callable[[str], Answer]) -> tuple[int, int]:
    """Answer every line; returns (answered, errors). Blank lines are skipped."""
    answered = errors = 0
    for number, (raw, too_long) in enumerate(lines_of(lines), start=1):
        if not too_long and not raw.strip():
            continue
        if too_long:
            id_, question, error = None, None, f"line {number}: longer than {LINE_BYTES // (1 << 20)} MB; not read"
        else:
            id_, question, error = parse_line(raw, number)
        if error:
            row = {"id": id_, "question": question, "error": error}
            errors += 1
        else:
            try:
                row = ask(question).to_json(id="" if id_ is None else str(id_))
                answered += 1
            except Exception as failure:  # noqa: BLE001 - one line's failure must not stop the batch
                row = {"id": id_, "question": question,
                       "error": f"line {number}: could not answer ({type(failure).__name__}: {failure})"}
                errors += 1
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    return answered, errors
