"""Rendering hits for a terminal: wrapping keeps every word and every highlight."""

from __future__ import annotations

import re

from searchkit.models import Hit
from searchkit.render import Style, hit_lines, safe

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SNIPPET = ("… China has supplied Russia with satellite imagery for military purposes, as well as "
           "microelectronics and machine tools for tanks, and an extraordinarilylongwordthatdoesnotfitanywhere …")


def _hit() -> Hit:
    spans = tuple((m.start(), m.end()) for m in re.finditer(r"satellite|imagery|microelectronics", SNIPPET))
    return Hit(rank=1, doc_id="a.txt", path=None, title="Title", outlet=None, date=None,  # type: ignore[arg-type]
               score=1.0, snippet=SNIPPET, highlights=spans)


def test_wrapped_snippet_fits_the_width_and_keeps_words_and_highlights() -> None:
    lines = hit_lines(_hit(), Style(True), width=50)[2:]
    plain = [ANSI.sub("", line) for line in lines]
    assert len(lines) > 3
    assert all(line.startswith("    ") for line in plain)
    assert all(len(line) <= 50 for line in plain if "extraordinarily" not in line)
    assert " ".join(p.strip() for p in plain) == SNIPPET
    marked = [m for line in lines for m in re.findall(r"\x1b\[1;31m(.*?)\x1b\[0m", line)]
    assert marked == ["satellite", "imagery", "microelectronics"]


def test_without_a_width_the_snippet_is_one_line() -> None:
    lines = hit_lines(_hit(), Style(False))
    assert len(lines) == 3 and lines[2] == "    " + SNIPPET


def test_safe_replaces_every_control_character() -> None:
    assert safe("a\x1b[31mb\x07c\x9bd\u202ee") == "a [31mb c d e"
