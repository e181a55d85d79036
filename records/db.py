"""Where the records live and how the database is opened: FAGUI_DATABASE_URL (postgresql://… for several app
processes), or SQLite in the data folder (FAGUI_DATA_DIR, default data/ in the project); Alembic brings the schema
to the head revision on open."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_NAME = "fagui.sqlite3"


def data_dir() -> Path:
    return Path(os.environ.get("FAGUI_DATA_DIR") or ROOT / "data")


def database_url() -> str:
    url = (os.environ.get("FAGUI_DATABASE_URL") or "").strip()
    if not url:
        return f"sqlite:///{data_dir() / SQLITE_NAME}"
    if url.startswith(("postgresql://", "postgres://")):  # the driver installed is psycopg 3
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine; SQLite in WAL mode with a busy timeout, so that many sessions' writes queue instead of failing."""
    if url.startswith("sqlite"):
        path = make_url(url).database or ""
        if path and path != ":memory:" and not path.startswith("file:"):  # a file: URI names an existing database
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args={"connect_timeout": 5})


HEAD = "0001"  # the newest revision in records/migrations/versions (a test holds the two equal)


def at_head(engine: Engine) -> bool:
    """Is the schema already at HEAD? Asked with one query, so that a start does not load alembic for nothing."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    except SQLAlchemyError:
        return False


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (records/migrations/versions)."""
    if at_head(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
