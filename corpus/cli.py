"""What every command line of the project does at its edge: a corpus error, a closed pipe (`… | head`), a full
disk or an interrupt ends the command with one line and an exit status, never a traceback."""
from __future__ import annotations

import os
import sys
from typing import Callable

from corpus.catalogue import CorpusError


def guarded(main: Callable[[], int], name: str) -> int:
    """Run a command's main and turn the failures a user meets into one line on stderr and a status."""
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
