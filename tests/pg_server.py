"""A real PostgreSQL server for the tests, from Debian's packages (`make postgres` installs them): initdb in a
temporary folder, started on a free loopback port, a database created, stopped afterwards. No mock. The outage
tests take it down (`down()`, `up()`) and freeze it (`freeze()`, `thaw()`: SIGSTOP and SIGCONT to every process
of the server)."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """initdb, pg_ctl start, a database; .url for SQLAlchemy; .stop() removes everything."""

    def __init__(self, durable: bool = False) -> None:
        """durable: with fsync, as a real server runs (the benchmark); without, for fast tests."""
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (make postgres)")
        self.folder = Path(tempfile.mkdtemp(prefix="fagui-pg-"))
        self.data, self.port = self.folder / "data", free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root: run it as Debian's postgres user
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.pg_ctl = str(bin_dir / "pg_ctl")
        self._run(str(bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "fagui", "-E", "UTF8",
                  "--locale=C", *([] if durable else ["--no-sync"]))
        self.options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync={'on' if durable else 'off'}"
        self.up()
        self.url = self.database("fagui")

    def up(self) -> None:
        """Start the server (again, after down())."""
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60", "-o",
                  self.options, "start")

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def database(self, name: str) -> str:
        """A new, empty database on the server; its SQLAlchemy URL."""
        import psycopg

        deadline = time.time() + 30
        while True:
            try:
                with psycopg.connect(f"host=127.0.0.1 port={self.port} user=fagui dbname=postgres",
                                     autocommit=True) as connection:
                    connection.execute(f'CREATE DATABASE "{name}"')
                return f"postgresql+psycopg://fagui@127.0.0.1:{self.port}/{name}"
            except psycopg.OperationalError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)

    def down(self) -> None:
        """Stop the server (fast shutdown: connections are closed); up() starts it again."""
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def _processes(self) -> list[int]:
        """The postmaster and every process it started."""
        with open(self.data / "postmaster.pid") as pid_file:
            postmaster = int(pid_file.readline())
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
        return [postmaster, *map(int, children)]

    def freeze(self) -> None:
        """SIGSTOP every process of the server: connections stay open, and nothing answers."""
        for pid in self._processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._processes():
            os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        subprocess.run([*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
