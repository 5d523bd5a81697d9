"""Making untrusted document text safe to print.

Control characters (ESC among them, and the C1 set that some terminals also obey) and the
invisible or direction-changing Unicode marks become spaces, so nothing from an article can
move the cursor, change colours, set a terminal's title or reorder what is shown.
"""

from __future__ import annotations

import re

# Tab and newline are left to the callers: one keeps line structure, the other folds it.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def safe(text: str | None, *, keep_newlines: bool = False) -> str:
    """Document text with every unsafe character replaced by a space (tabs and newlines
    too, unless ``keep_newlines``)."""
    if not text:
        return ""
    text = _UNSAFE.sub(" ", text)
    if not keep_newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    return text


def one_line(text: str) -> str:
    """Safe text on one line, with every run of white space made a single space."""
    return _SPACES.sub(" ", _UNSAFE.sub(" ", text))
