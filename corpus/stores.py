"""Which store a location names: `postgresql://…` (or `postgres://…`) is PostgreSQL, anything
else a SQLite file path. Settings give the location (`ZHIBIAO_DATABASE_URL`, else
`<ZHIBIAO_HOME>/corpus.sqlite3`)."""

from __future__ import annotations

from pathlib import Path

from corpus.store_protocol import Store

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(location: str | Path) -> bool:
    return str(location).startswith(POSTGRES_SCHEMES)


def make_store(location: str | Path) -> Store:
    """The store at `location`, not yet opened."""
    if is_postgres(location):
        from corpus.store_postgres import PostgresStore
        return PostgresStore(str(location))
    from corpus.store import CorpusStore
    return CorpusStore(location)


def store_exists(location: str | Path) -> bool:
    """Is there a store to read (a database server always counts; a file must exist)?"""
    return is_postgres(location) or Path(location).exists()
