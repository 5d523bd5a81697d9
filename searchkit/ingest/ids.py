"""Document ids, the one place that makes them.

A file that is one document has its path as its id (``reuters/2024-04-07.txt``); each
document of a file that holds many is ``path#key`` (``export.jsonl#17``,
``mail.eml#report.pdf``), where the key is the record's own id or its number. Which file a
document came from is stored with it (``FileState.file``), never parsed back out of the id:
a file name may itself contain ``#``.
"""

from __future__ import annotations


def doc_id(rel_path: str, key: str | None) -> str:
    """The id of the document ``key`` of the file at ``rel_path`` (None: the whole file)."""
    return rel_path if key is None else f"{rel_path}#{key}"
