"""Dates in queries and filters: ``2024``, ``2024-04``, ``2024-04-07``, with ``>=``, ``>``,
``<=``, ``<``, and ranges ``[a TO b]`` / ``{a TO b}`` with ``*`` for an open end.

One grammar for ``date:`` in a query and for ``--since``/``--until``.
"""

from __future__ import annotations

import datetime as dt
import re

from ..errors import QueryError
from .ast import DayRange
from .lexer import Tok, show

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_CMP_RE = re.compile(r"^(>=|<=|>|<)?(.*)$", re.S)


def date_bounds(value: str, pos: int) -> tuple[int, int]:
    """First and last day (YYYYMMDD ints) of a year, month or day."""
    m = _DATE_RE.match(value)
    if m is None:
        raise QueryError("date:%s: expected a date like 2024, 2024-04 or 2024-04-07"
                         % show(value), pos)
    year = int(m.group(1))
    if year < 1:
        raise QueryError("date:%s: year must be 1..9999" % show(value), pos)
    if m.group(2) is None:
        return year * 10000 + 101, year * 10000 + 1231
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise QueryError("date:%s: month must be 1..12" % show(value), pos)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    base = year * 10000 + month * 100
    if m.group(3) is None:
        return base + 1, base + last
    day = int(m.group(3))
    if not 1 <= day <= last:
        raise QueryError("date:%s: day must be 1..%d in %04d-%02d"
                         % (show(value), last, year, month), pos)
    return base + day, base + day


def _day_range(lo: int | None, hi: int | None, text: str, pos: int) -> DayRange:
    if lo is not None and hi is not None and lo > hi:
        raise QueryError("date:%s: the range is empty (it ends before it starts)"
                         % show(text), pos)
    return DayRange(lo, hi)


def date_value(value: str, pos: int) -> DayRange:
    """``2024``, ``2024-04``, ``2024-04-07``, optionally after >=, <=, > or <."""
    m = _CMP_RE.match(value)
    assert m is not None  # the pattern matches any string
    op, rest = m.group(1), m.group(2)
    if op and not rest:
        raise QueryError("date:%s: a date must follow '%s'" % (show(value), op), pos)
    first, last = date_bounds(rest, pos + len(op or ""))
    if op == ">=":
        return _day_range(first, None, value, pos)
    if op == ">":
        return _day_range(last + 1, None, value, pos)
    if op == "<=":
        return _day_range(None, last, value, pos)
    if op == "<":
        return _day_range(None, first - 1, value, pos)
    return _day_range(first, last, value, pos)


def date_range(tok: Tok) -> DayRange:
    """``[a TO b]`` inclusive, ``{a TO b}`` exclusive (ends may mix), ``*`` for open."""
    text = tok.text
    opening, closing, inner = text[0], text[-1], text[1:-1]
    parts = inner.split()
    if len(parts) != 3 or parts[1].upper() != "TO":
        raise QueryError("date:%s: a range is two dates with TO between them, as in "
                         "date:[2024-04-01 TO 2024-04-08]" % show(text), tok.pos)
    start_at = tok.pos + 1 + inner.find(parts[0])
    end_at = tok.pos + 1 + inner.rfind(parts[2])
    lo = hi = None
    if parts[0] != "*":
        first, last = date_bounds(parts[0], start_at)
        lo = first if opening == "[" else last + 1
    if parts[2] != "*":
        first, last = date_bounds(parts[2], end_at)
        hi = last if closing == "]" else first - 1
    return _day_range(lo, hi, text, tok.pos)


def date_bound(value: str, *, end: bool) -> dt.date:
    """A ``--since``/``--until`` value (``2024``, ``2024-04``, ``2024-04-07``) as a day: the
    first day of a year or month, or its last day if ``end``. Same grammar as ``date:``."""
    text = value.strip()
    try:
        first, last = date_bounds(text, 0)
    except QueryError as exc:
        reason = str(exc).split(": ", 1)[-1]
        raise QueryError(f"not a date: {value!r} ({reason})") from None
    day = last if end else first
    return dt.date(day // 10000, day // 100 % 100, day % 100)
