"""Every test process keeps its records (question log, feedback) in a temporary folder, never in the project's
data folder, and removes it when it exits; app processes the tests start inherit it.

The tests hold the measures the project ships (their article counts, verdicts, the gold set written on them). A
user who adds a measure of their own to corpus/data with `python -m corpus add` must not break `make test`: when
the corpus holds measures beyond the shipped ones, every test, and every process a test starts, runs on a copy of
the corpus with only the shipped measures and an index of its own beside it (kept in the system's temporary
folder, so it is built once). The copy is made here, before any test reads the corpus. `postgres` is one real
PostgreSQL server for the session (tests/pg_server.py), shared by the tests that need one; each takes its own
database from it."""
import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from corpus.catalogue import MEASURES_FILE, data_dir
import pytest

from eval.scoped import scoped_corpus

if os.environ.get("PYTEST_XDIST_WORKER") or "FAGUI_DATA_DIR" not in os.environ:  # each worker its own records
    os.environ["FAGUI_DATA_DIR"] = tempfile.mkdtemp(prefix="fagui-test-data-")
    atexit.register(shutil.rmtree, os.environ["FAGUI_DATA_DIR"], ignore_errors=True)  # removed by its own process

SHIPPED = {"hebei", "taixing"}  # the measures in the repository's corpus/data; a shipped measure is added here


def _pin_shipped_corpus() -> set[str]:
    """Point FAGUI_CORPUS_DIR and FAGUI_INDEX_DIR at a copy of the corpus without the measures a user added;
    returns the measures left out (none: the corpus is used as it is)."""
    source = data_dir()
    entries = yaml.safe_load((source / MEASURES_FILE).read_text(encoding="utf-8")) or {}
    added = set(entries) - SHIPPED
    if added:
        name = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
        folder = Path(tempfile.gettempdir()) / f"fagui-tests-shipped-{name}"
        os.environ["FAGUI_CORPUS_DIR"] = str(scoped_corpus(SHIPPED, folder / "corpus"))
        os.environ["FAGUI_INDEX_DIR"] = str(folder / "index")
    return added


LEFT_OUT = _pin_shipped_corpus()


def pytest_report_header(config):
    if LEFT_OUT:
        return (f"corpus: the shipped measures only ({', '.join(sorted(SHIPPED))}), copied to "
                f"{os.environ['FAGUI_CORPUS_DIR']}; left out: {', '.join(sorted(LEFT_OUT))}")
    return f"corpus: {data_dir()}"

@pytest.fixture(scope="session")
def postgres():
    from pg_server import PostgresServer, binaries

    if binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; `make test` installs it (make postgres)")
        pytest.skip("POSTGRESQL TESTS SKIPPED: not installed; run `make postgres`")
    server = PostgresServer()
    yield server
    server.stop()
