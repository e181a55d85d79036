"""What every command line of the project does at its edge: a corpus error, a closed pipe (`… | head`), a full
disk, a standard stream closed at start (`<&-`, `>&-`, `2>&-`) or an interrupt ends the command with one line and
an exit status, never a traceback."""
from __future__ import annotations

import os
import sys
from typing import Callable

from corpus.catalogue import CorpusError


STREAMS = ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w"))
CLOSED: set[str] = set()  # the standard streams that were closed when the process started


def reopen_closed_streams() -> set[str]:
    """A stream closed at start leaves Python's sys.stdin/stdout/stderr None (input() says "lost sys.stdin", isatty()
    and flush() fail). Put /dev/null in its place: a closed stdin reads as empty, a closed stderr swallows messages.
    The descriptor itself gets /dev/null too, unless a file opened since holds it (then it is never written)."""
    for fd, name, mode in STREAMS:
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            stream = open(fd, mode, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own stream
        else:
            stream = open(os.devnull, mode, encoding="utf-8")  # noqa: SIM115
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
        CLOSED.add(name)
    return CLOSED


reopen_closed_streams()  # on import: every command imports this module before it reads or writes anything


def guarded(main: Callable[[], int], name: str) -> int:
    """Run a command's main and turn the failures a user meets into one line on stderr and a status. A command whose
    standard output was closed has nowhere to put its result: it says so and does no work (status 1)."""
    if "stdout" in reopen_closed_streams():
        print(f"{name}: error: cannot write the output: standard output is closed", file=sys.stderr)
        return 1
    try:
        status = main()
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as other tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except CorpusError as error:
        print(f"{name}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except OSError as error:  # writing the output failed (a full disk, /dev/full)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"{name}: error: cannot write the output: {error.strerror or error}", file=sys.stderr)
        return 1


__all__ = ["guarded"]
