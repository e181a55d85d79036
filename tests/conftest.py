"""Every test process keeps its records (question log, feedback) in a temporary folder, never in the project's
data folder; app processes the tests start inherit it. `postgres` is one real PostgreSQL server for the session
(tests/pg_server.py), shared by the tests that need one; each takes its own database from it."""
import os
import tempfile

import pytest

os.environ.setdefault("FAGUI_DATA_DIR", tempfile.mkdtemp(prefix="fagui-test-data-"))


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
