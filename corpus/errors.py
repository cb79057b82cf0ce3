"""Errors of the corpus package. Each message names the file (or field) and what was expected."""


class CorpusError(Exception):
    """Base class: anything the corpus package refuses."""


class InputError(CorpusError):
    """A file that cannot be used as a declaration source (exit status 2 in the CLI)."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreError(CorpusError):
    """The SQLite store is missing, unreadable or of another format version."""
