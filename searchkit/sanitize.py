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
    if text.isascii() and text.isprintable() and "  " not in text:
        return text  # nothing to change (the common case, 10x faster than the regexes)
    return _SPACES.sub(" ", _UNSAFE.sub(" ", text))


#: Characters that start inline Markdown anywhere (emphasis, code, links, HTML, tables,
#: strikethrough); CommonMark lets any ASCII punctuation be backslash-escaped.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
#: "&" only where it would begin an entity ("&amp;", "&#169;").
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What starts a block at the beginning of a line: heading, quote, list item, rule.
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")


def markdown_inline(text: str) -> str:
    """Safe text as inert inline Markdown, escaped no more than needed: "U.S." and "AT&T"
    stay as they are; "*", "[", "<", "`" do not make markup."""
    return _MD_ENTITY.sub("&amp;", _MD_INLINE.sub(r"\\\1", text))


def markdown_line_start(text: str) -> str:
    """``text`` with what would start a block at the beginning of a line (a leading "#",
    ">", "-", "1.") escaped."""
    return _MD_BLOCK_START.sub(
        lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"), text)


# C0 and C1 controls, DEL, zero-width marks, the line/paragraph separators and every bidi
# control: escaped in JSON so that a consumer printing a value raw cannot be attacked.
_JSON_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def json_line(value: object, *, ascii: bool | None = None) -> str:
    """``value`` as one line of JSON: UTF-8 text kept readable, but every control, bidi and
    invisible character written as a ``\\uXXXX`` escape. The one JSON encoder of the CLI
    and the shell.

    ``ascii`` escapes every non-ASCII character too; by default it does so when standard
    output cannot encode all of Unicode (``PYTHONIOENCODING=ascii``, a Latin-1 locale), so
    that the output stays exact JSON instead of crashing or losing characters.
    """
    import json

    if ascii is None:
        ascii = not _stdout_is_unicode()
    text = json.dumps(value, ensure_ascii=ascii)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _stdout_is_unicode() -> bool:
    import codecs
    import sys

    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-16", "utf-32", "utf-8-sig", "gb18030")
    except LookupError:
        return False
