"""The batch contract: one {"id", "question"} JSON object per input line in, one answer object per line
out, in the same order. A malformed line, or one the assistant fails on, yields a line with an `error` field, and
the batch goes on."""
from __future__ import annotations

import json
from typing import BinaryIO, Callable, TextIO

from assistant.types import Answer


def parse_line(raw: bytes, number: int) -> tuple[object, str | None, str | None]:
    """(id, question, error) for one input line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, None, f"line {number}: not valid UTF-8"
    if "\x00" in text:
        return None, None, f"line {number}: contains NUL bytes"
    try:
        row = json.loads(text)
    except json.JSONDecodeError as error:
        return None, None, f"line {number}: not JSON ({error.msg})"
    if not isinstance(row, dict):
        return None, None, f"line {number}: expected an object with id and question"
    question = row.get("question")
    if not isinstance(question, str):
        return row.get("id"), None, f"line {number}: missing or non-text \"question\""
    return row.get("id"), question, None


def run(lines: BinaryIO, out: TextIO, ask: Callable[[str], Answer]) -> tuple[int, int]:
    """Answer every line; returns (answered, errors). Blank lines are skipped."""
    answered = errors = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        id_, question, error = parse_line(raw.rstrip(b"\r\n"), number)
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
