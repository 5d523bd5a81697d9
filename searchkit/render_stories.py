"""How stories, comparisons, credits and timelines look: text for people, JSON for programs.

Shared by ``searchkit stories|compare|credits|timeline`` and the shell's commands. All
document text goes through :func:`~searchkit.sanitize.safe`, all JSON through
:func:`~searchkit.sanitize.json_line`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .render import Style
from .sanitize import json_line, one_line, safe

if TYPE_CHECKING:
    from .models import Document
    from .stories import Comparison, Credit, CreditedSource, Story

#: Terminal width from which ``compare`` shows the two articles side by side.
SIDE_BY_SIDE_WIDTH = 110

DocumentOf = Callable[[str], "Document"]
CreditsOf = Callable[[str], "list[Credit]"]


def _date(doc: Document) -> str | None:
    return doc.meta.date.isoformat() if doc.meta.date else None


def story_json(story: Story, document: DocumentOf, credits_of: CreditsOf) -> dict[str, Any]:
    """One story as ``searchkit stories --json`` prints it (the documented shape, exactly)."""
    docs = []
    for doc_id in story.doc_ids:
        doc = document(doc_id)
        docs.append({
            "doc_id": doc_id,
            "outlet": doc.meta.outlet,
            "date": _date(doc),
            "credits": [{"source": c.source, "start": c.start, "end": c.end} for c in credits_of(doc_id)],
        })
    return {"story": story.story_id, "title": story.title, "docs": docs, "earliest": story.earliest}


def stories_json_lines(stories: list[Story], document: DocumentOf, credits_of: CreditsOf) -> str:
    return "".join(json_line(story_json(s, document, credits_of)) + "\n" for s in stories)


def _credited(credits: list[Credit]) -> str:
    names = list(dict.fromkeys(c.source for c in credits))
    return "credits " + ", ".join(safe(n) for n in names) if names else "credits nobody"


def stories_text(stories: list[Story], document: DocumentOf, credits_of: CreditsOf, style: Style) -> str:
    """The stories, biggest first: headline, then the articles by date (undated ones last,
    shown as such), each with its outlet and whom it credits."""
    if not stories:
        return "No stories: no two articles tell the same story.\n"
    lines: list[str] = []
    for number, story in enumerate(stories, 1):
        title = safe(story.title) or "(no headline)"
        lines.append(f"{style.rank(f'{number:>2}.')} {style.title(title)}")
        facts = [f"story:{safe(story.story_id)}", f"{len(story.doc_ids)} articles"]
        if story.earliest:
            first = document(story.earliest)
            facts.append(f"earliest dated: {safe(first.meta.outlet) or 'outlet unknown'}, {_date(first)}")
        else:
            facts.append("no member is dated")
        lines.append("    " + style.dim(" · ".join(facts)))
        for doc_id in story.doc_ids:
            doc = document(doc_id)
            when = _date(doc) or "undated   "
            outlet = safe(doc.meta.outlet) if doc.meta.outlet else style.dim("outlet unknown")
            lines.append(f"    {when}  {outlet}  {style.dim(safe(doc_id))}  {_credited(credits_of(doc_id))}")
        lines.append("")
    return "\n".join(lines)


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "doc_a": comparison.doc_a,
        "doc_b": comparison.doc_b,
        "same_story": comparison.same_story,
        "shared": [{"kind": p.kind, "a": [p.a_start, p.a_end], "b": [p.b_start, p.b_end], "score": p.score,
                    "identical": [{"a": [a0, a1], "b": [b0, b1]} for a0, a1, b0, b1 in p.identical]}
                   for p in comparison.shared],
        "only_a": [list(span) for span in comparison.only_a],
        "only_b": [list(span) for span in comparison.only_b],
    }


_MARKS = {"verbatim": "=", "reworded": "~"}


def comparison_text(comparison: Comparison, a: Document, b: Document, style: Style, *, width: int) -> str:
    """The passages two articles share (``=`` verbatim, ``~`` reworded) and what each has
    alone (``+``); side by side on a wide terminal, one after the other on a narrow one."""
    head = [
        style.title(f"A  {safe(a.meta.title) or safe(a.doc_id)}"),
        "   " + style.dim(f"{safe(a.meta.outlet) or 'outlet unknown'} · {_date(a) or 'date unknown'} · {safe(a.doc_id)}"),
        style.title(f"B  {safe(b.meta.title) or safe(b.doc_id)}"),
        "   " + style.dim(f"{safe(b.meta.outlet) or 'outlet unknown'} · {_date(b) or 'date unknown'} · {safe(b.doc_id)}"),
        style.dim(f"{'same story' if comparison.same_story else 'not the same story'} · "
                  f"{sum(p.kind == 'verbatim' for p in comparison.shared)} verbatim, "
                  f"{sum(p.kind == 'reworded' for p in comparison.shared)} reworded passages shared · "
                  "= verbatim (same words up to case, punctuation, quotes, number style)  ~ reworded  + only here"),
        "",
    ]
    pairs = [(_MARKS.get(p.kind, "~"), one_line(a.text[p.a_start:p.a_end]), one_line(b.text[p.b_start:p.b_end]),
              _identical_words(p, a.text))
             for p in comparison.shared]
    only_a = [one_line(a.text[s:e]) for s, e in comparison.only_a]
    only_b = [one_line(b.text[s:e]) for s, e in comparison.only_b]
    body: list[str] = []
    if width >= SIDE_BY_SIDE_WIDTH:
        column = (width - 7) // 2
        body.append(style.title(f"{'   A':<{column + 3}}  B"))
        for mark, left, right, same in pairs:
            body.extend(_side_by_side(mark, left, right, column))
            if same:
                body.extend(style.dim(line) for line in textwrap.wrap(same, width - 6, initial_indent="     ",
                                                                       subsequent_indent="     "))
        for text in only_a:
            body.extend(_side_by_side("+", text, "", column))
        for text in only_b:
            body.extend(_side_by_side("+", "", text, column))
    else:
        wrap = max(width - 4, 20)
        body.append(style.title("Shared"))
        for mark, left, right, same in pairs:
            body.extend(textwrap.wrap(left, wrap, initial_indent=f" {mark} A ", subsequent_indent="     "))
            body.extend(textwrap.wrap(right, wrap, initial_indent="   B ", subsequent_indent="     "))
            if same:
                body.extend(style.dim(line) for line in textwrap.wrap(same, wrap, initial_indent="     ",
                                                                       subsequent_indent="     "))
        for label, texts in (("Only in A", only_a), ("Only in B", only_b)):
            body.append(style.title(label))
            for text in texts:
                body.extend(textwrap.wrap(text, wrap, initial_indent=" + ", subsequent_indent="   "))
    return "\n".join(head + body) + "\n"


def _identical_words(passage: Any, text_a: str) -> str:
    """A reworded passage's identical words, quoted from A: what was copied inside it."""
    if passage.kind == "verbatim" or not passage.identical:
        return ""
    return "identical words: " + " · ".join(f'"{one_line(text_a[a0:a1])}"' for a0, a1, _, _ in passage.identical)


def _side_by_side(mark: str, left: str, right: str, column: int) -> list[str]:
    a = textwrap.wrap(left, column) or [""]
    b = textwrap.wrap(right, column) or [""]
    rows = []
    for i in range(max(len(a), len(b))):
        lead = mark if i == 0 else " "
        rows.append(f" {lead} {a[i] if i < len(a) else '':<{column}}  {b[i] if i < len(b) else ''}".rstrip())
    return rows


def credits_text(sources: list[CreditedSource], style: Style) -> str:
    """Sources credited, most credited first, with the outlets that credit each; when copies
    with identical text are among them, how many distinct texts that is."""
    if not sources:
        return "No credits: no article credits another outlet or agency.\n"
    lines = []
    for src in sources:
        outlets = ", ".join(f"{safe(o) if o else 'outlet unknown'} {len(ids)}" for o, ids in src.by)
        same = f" ({src.texts} distinct texts)" if src.texts < len(src.doc_ids) else ""
        lines.append(f"{len(src.doc_ids):>5}  {style.title(safe(src.source))}{style.dim(same)}  {style.dim('by ' + outlets)}")
    return "\n".join(lines) + "\n"


def credits_json_lines(sources: list[CreditedSource]) -> str:
    """One line per source: ``articles`` (all that credit it), ``texts`` (identical copies
    counted once) and, per crediting outlet, the ids of its articles."""
    return "".join(
        json_line({"source": src.source, "articles": len(src.doc_ids), "texts": src.texts,
                   "by": [{"outlet": outlet, "articles": len(ids), "doc_ids": list(ids)} for outlet, ids in src.by]}) + "\n"
        for src in sources)


def timeline_text(timeline: dict[str, dict[str | None, int]], style: Style, *, width: int = 80) -> str:
    """Articles per day, a bar each, with the outlets of the day: how a story spread."""
    if not timeline:
        return "No articles.\n"
    totals = {day: sum(by.values()) for day, by in timeline.items()}
    most = max(totals.values()) or 1
    bar_room = max(min(width - 40, 40), 10)
    lines = []
    empty: list[str] = []  # a run of days without articles, drawn when it ends

    def end_of_run() -> None:
        if len(empty) > EMPTY_DAYS_SHOWN:
            lines.append(style.dim(f"{empty[0]} to {empty[-1]}  0  ({len(empty)} days without articles)"))
        else:
            lines.extend(style.dim(f"{day}  0") for day in empty)
        empty.clear()

    for day, by_outlet in timeline.items():
        if not totals[day]:
            empty.append(day)
            continue
        end_of_run()
        bar = "\u2588" * max(1, round(bar_room * totals[day] / most))
        outlets = ", ".join(f"{safe(o) if o else 'outlet unknown'} {n}" for o, n in by_outlet.items())
        label = "undated   " if day == "undated" else day
        lines.append(f"{label}  {style.match(bar)} {totals[day]}  {style.dim(outlets)}")
    end_of_run()
    return "\n".join(lines) + "\n"


#: Days without articles drawn one per line; a longer run is one line saying how many.
EMPTY_DAYS_SHOWN = 7


def timeline_json_lines(timeline: dict[str, dict[str | None, int]]) -> str:
    return "".join(
        json_line({"date": None if day == "undated" else day, "articles": sum(by.values()),
                   "outlets": [{"outlet": o, "articles": n} for o, n in by.items()]}) + "\n"
        for day, by in timeline.items())
