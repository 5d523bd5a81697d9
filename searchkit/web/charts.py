"""Charts drawn on the server as SVG: a date histogram whose bars are links, a timeline of
articles per day (days without articles drawn as such), a story's timeline and a graph of
who credits whom. Each chart comes with its data as a table on the page (screen readers and
copying); the SVG only draws it. Presentation attributes only: the pages' CSP forbids
inline styles. Every label is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence

from markupsafe import Markup

from ..sanitize import one_line


def _e(text: object) -> str:
    return html.escape(one_line(str(text)), quote=True)


def _short(text: str, n: int) -> str:
    text = one_line(text)
    return text if len(text) <= n else text[: n - 1] + "…"


#: About how wide an axis label ("2024-04-07") is drawn, in the chart's units.
AXIS_LABEL_WIDTH = 72


def every_day(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def histogram(bars: Sequence[tuple[str, int]], link: Callable[[str], str] | None = None, *,
              label: str, width: int = 280, height: int = 70) -> Markup:
    """Vertical bars, one per (key, count), left to right; each a link when ``link`` gives
    its URL. Bars of zero are drawn as a thin baseline mark (a day without articles)."""
    if not bars:
        return Markup("")
    top = max(count for _, count in bars) or 1
    step = min(width / len(bars), 28)  # a few bars stay bars, not blocks
    bar = max(step - (1 if step > 3 else 0), 0.5)
    # Drawn at its own size (shrunk on a narrow screen by CSS), so a few bars stay narrow.
    parts = [f'<svg class="chart histogram" viewBox="0 0 {width} {height + 16}" width="{width}" '
             f'role="figure" aria-label="{_e(label)}"><title>{_e(label)}</title>']
    for i, (key, count) in enumerate(bars):
        x = i * step
        h = max(height * count / top, 1.5 if count else 0)
        shape = (f'<rect class="bar{" empty" if not count else ""}" x="{x:.2f}" y="{height - h:.2f}" '
                 f'width="{bar:.2f}" height="{h:.2f}"><title>{_e(key)}: {count}</title></rect>')
        if not count:
            shape = (f'<rect class="bar empty" x="{x:.2f}" y="{height - 1:.2f}" width="{bar:.2f}" height="1">'
                     f'<title>{_e(key)}: none</title></rect>')
        if link is not None and count:
            shape = f'<a href="{_e(link(key))}">{shape}</a>'
        parts.append(shape)
    right = min(width, step * len(bars))
    first, last = _e(bars[0][0]), _e(bars[-1][0])
    if len(bars) > 1 and right < AXIS_LABEL_WIDTH:  # a few narrow bars: two labels would overlap
        parts.append(f'<text class="axis" x="0" y="{height + 13}">{first} – {last}</text>')
    else:
        parts.append(f'<text class="axis" x="0" y="{height + 13}">{first}</text>')
        if len(bars) > 1:
            anchor = "end" if right > width / 2 else "start"
            x = right if anchor == "end" else right + 4
            parts.append(f'<text class="axis" x="{x:.1f}" y="{height + 13}" text-anchor="{anchor}">{last}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def date_bars(dates: dict[str, int], *, max_bars: int = 120) -> tuple[list[tuple[str, int]], str]:
    """Bars for a date facet: every day from the first to the last (empty days kept), or every
    month when that would be more than ``max_bars`` days; the unit chosen is returned too."""
    if not dates:
        return [], "day"
    days = sorted(dates)
    first, last = dt.date.fromisoformat(days[0][:10]), dt.date.fromisoformat(days[-1][:10])
    if (last - first).days + 1 <= max_bars:
        return [(d.isoformat(), dates.get(d.isoformat(), 0)) for d in every_day(first, last)], "day"
    months: dict[str, int] = {}
    for key, count in dates.items():
        months[key[:7]] = months.get(key[:7], 0) + count
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        key = f"{y:04d}-{m:02d}"
        out.append((key, months.get(key, 0)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out, "month"


def story_timeline(points: Sequence[tuple[dt.date, str, str]], link: Callable[[str], str], *,
                   label: str, width: int = 640) -> Markup:
    """A story's dated articles on a date axis: one row per article (date, outlet, doc id),
    the earliest first, each dot a link to the article."""
    if not points:
        return Markup("")
    row, pad_left, pad_right = 22, 150, 20
    first = min(p[0] for p in points)
    last = max(p[0] for p in points)
    span = max((last - first).days, 1)
    height = row * len(points) + 24
    inner = width - pad_left - pad_right
    parts = [f'<svg class="chart timeline" viewBox="0 0 {width} {height}" width="100%" role="figure" '
             f'aria-label="{_e(label)}"><title>{_e(label)}</title>',
             f'<line class="axis-line" x1="{pad_left}" y1="{height - 18}" x2="{width - pad_right}" y2="{height - 18}"/>']
    for i, (day, outlet, doc_id) in enumerate(sorted(points)):
        y = 14 + i * row
        x = pad_left + inner * (day - first).days / span
        parts.append(f'<text class="label" x="{pad_left - 8}" y="{y + 4}" text-anchor="end">{_e(_short(outlet, 22))}</text>')
        parts.append(f'<line class="guide" x1="{pad_left}" y1="{y}" x2="{x:.1f}" y2="{y}"/>')
        parts.append(f'<a href="{_e(link(doc_id))}"><circle class="dot" cx="{x:.1f}" cy="{y}" r="6">'
                     f'<title>{_e(outlet)}, {day.isoformat()}</title></circle></a>')
    parts.append(f'<text class="axis" x="{pad_left}" y="{height - 4}">{first.isoformat()}</text>')
    if last != first:
        parts.append(f'<text class="axis" x="{width - pad_right}" y="{height - 4}" text-anchor="end">{last.isoformat()}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def credit_graph(edges: dict[tuple[str, str], int], *, label: str, width: int = 640) -> Markup:
    """Who credits whom: crediting outlets on the left, credited sources on the right, an
    arrow per pair, thicker for more articles. An outlet that is both is drawn on each side."""
    if not edges:
        return Markup("")
    left = sorted({a for a, _ in edges})
    right = sorted({b for _, b in edges})
    row = 26
    height = max(len(left), len(right)) * row + 16
    lx, rx = 190, width - 190
    ly = {name: 14 + i * row + (height - 16 - len(left) * row) / 2 for i, name in enumerate(left)}
    ry = {name: 14 + i * row + (height - 16 - len(right) * row) / 2 for i, name in enumerate(right)}
    top = max(edges.values())
    parts = [f'<svg class="chart graph" viewBox="0 0 {width} {height}" width="100%" role="figure" '
             f'aria-label="{_e(label)}"><title>{_e(label)}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
             'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path class="arrowhead" d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>']
    for (a, b), n in sorted(edges.items()):
        stroke = 1 + 3 * n / top
        parts.append(f'<line class="edge" x1="{lx + 6}" y1="{ly[a]:.1f}" x2="{rx - 8}" y2="{ry[b]:.1f}" '
                     f'stroke-width="{stroke:.1f}" marker-end="url(#arrow)"><title>{_e(a)} credits {_e(b)}: '
                     f'{n} article{"s" if n != 1 else ""}</title></line>')
    for name, y in ly.items():
        parts.append(f'<circle class="node" cx="{lx}" cy="{y:.1f}" r="5"/>'
                     f'<text class="label" x="{lx - 10}" y="{y + 4:.1f}" text-anchor="end">{_e(_short(name, 26))}</text>')
    for name, y in ry.items():
        parts.append(f'<circle class="node source" cx="{rx}" cy="{y:.1f}" r="5"/>'
                     f'<text class="label" x="{rx + 10}" y="{y + 4:.1f}">{_e(_short(name, 26))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars(rows: Sequence[tuple[str, int]], link: Callable[[str], str] | None = None, *, label: str,
          width: int = 640) -> Markup:
    """Horizontal bars, one per (name, count), with the name and the count beside each."""
    if not rows:
        return Markup("")
    row, pad = 22, 200
    top = max(n for _, n in rows) or 1
    height = row * len(rows) + 4
    parts = [f'<svg class="chart hbars" viewBox="0 0 {width} {height}" width="100%" role="figure" '
             f'aria-label="{_e(label)}"><title>{_e(label)}</title>']
    for i, (name, n) in enumerate(rows):
        y = 2 + i * row
        w = (width - pad - 50) * n / top
        bar = f'<rect class="bar" x="{pad}" y="{y}" width="{max(w, 1):.1f}" height="{row - 6}"><title>{_e(name)}: {n}</title></rect>'
        if link is not None:
            bar = f'<a href="{_e(link(name))}">{bar}</a>'
        parts.append(f'<text class="label" x="{pad - 8}" y="{y + row / 2 + 1}" text-anchor="end">{_e(_short(name, 28))}</text>'
                     f'{bar}<text class="count" x="{pad + w + 6:.1f}" y="{y + row / 2 + 1}">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
