"""Exceptions with user-facing messages.

Only the CLI and the shell turn these into a one-line ``searchkit: error: ...`` and an exit
status; library callers catch :class:`SearchkitError`.
"""

from __future__ import annotations


class SearchkitError(Exception):
    """Base class: ``str(err)`` is a complete sentence fit to show a user."""


class QueryError(SearchkitError, ValueError):
    """A query string that cannot be read; the message says what and where."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class OutletError(QueryError):
    """An outlet name that names no outlet of the index, or several (the message lists them)."""


class MetadataError(SearchkitError):
    """The corpus's metadata.toml is malformed or names a file that is not there."""


class IndexMissingError(SearchkitError):
    """No index at the given location."""


class IndexDamagedError(SearchkitError):
    """The index exists but cannot be read."""


class IndexLockedError(SearchkitError):
    """Another indexer holds the index."""


class SchemaMismatchError(SearchkitError):
    """The index was written by a version of searchkit with another schema."""


class CorpusError(SearchkitError):
    """The corpus folder itself cannot be read."""


class IndexWriteError(SearchkitError):
    """An indexing run could not write (disk full, a size limit, permissions); it stopped
    and left the previous index as it was."""
