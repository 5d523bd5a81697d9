"""Saved web pages (``.html .htm .xhtml``): the article's main text and what the page says
about itself.

The main text comes from trafilatura (navigation, footers, comments and "read also" blocks
left out). The metadata combines several statements a page makes about itself rather than
trusting one:

* title: the JSON-LD ``headline``, ``og:title`` or ``<title>`` (trafilatura's choice), but the
  page's own ``<h1>`` headline when one of those merely decorates it ("Headline | Outlet");
* date: htmldate with ``original_date=True`` (it weighs JSON-LD, ``article:published_time``,
  the URL and the visible text, and prefers the original publication over updates), checked
  against the JSON-LD ``datePublished`` and a date in the URL;
* outlet: ``og:site_name``, else the JSON-LD publisher, else the registered domain of the
  page's URL (tldextract's bundled suffix list, no network), named the way the page's title
  names it when it does ("... | The Guardian");
* URL: the canonical link, ``og:url``, the JSON-LD url, or the "saved from" comment a
  browser writes into a saved page.

Everything found in the page is marked ``markup``, a date or outlet read from the URL ``url``.
Libraries are imported on first use: a query never pays for them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from ..article import Article, DateHint, Hint
from ..decode import UnusableFile
from ..domains import registered_domain, registered_label
from . import Source

# Pages larger than this are cut before parsing (a 50 MB "page" is a data dump, not an article).
MAX_HTML_CHARS = 20_000_000

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)"
    r"|[/_-](?P<y2>(?:19|20)\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)
_ARTICLE_TYPES = frozenset(
    "newsarticle article reportagenewsarticle analysisnewsarticle opinionnewsarticle "
    "reviewnewsarticle backgroundnewsarticle blogposting liveblogposting report "
    "scholarlyarticle techarticle socialmediaposting webpage".split()
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\u00b7\u2022:-]\s+|\s+[|]\s*|\s*[|]\s+")


def read(source: Source) -> Iterator[Article]:
    yield page_article(source.data)


def page_article(data: bytes | str, *, url: str | None = None, encoding: str = "html",
                 capture_date: dt.date | None = None) -> Article:
    """One saved page as an Article (the HTML reader's work, shared with e-mail, MHTML and
    WARC readers). ``url`` is where the page was fetched, when the container knows it.
    ``capture_date`` is when it was fetched: never taken as the publication date, only as
    its upper bound."""
    from trafilatura.core import bare_extraction

    saved_from = None
    if isinstance(data, bytes):
        saved = _SAVED_FROM.search(data[:4096])
        saved_from = saved.group(1).decode("ascii", "replace") if saved and url is None else None
    tree = _load_page(data)
    meta = _page_meta(tree)
    visible_dates = _headline_dates(tree)  # before the extractor prunes the tree
    stated = _stated_days(tree)
    page_url, url_source = _page_url(meta, saved_from or url, saved_from is not None)
    date_params: dict[str, Any] = {"original_date": True, "extensive_search": True}
    if capture_date is not None:
        date_params["max_date"] = capture_date.isoformat()
    try:
        doc = bare_extraction(tree, url=page_url, with_metadata=True, include_comments=False,
                              include_tables=True, date_extraction_params=date_params)
    except Exception:  # noqa: BLE001 - a crash inside the extractor: fall back below
        doc = None

    text = (getattr(doc, "text", None) or "").strip()
    if not text:
        text = _fallback_text(tree)
    if not text:
        raise UnusableFile("no text in the page")

    title = _choose_title(meta, getattr(doc, "title", None), page_url)
    date_hint = _choose_date(meta, getattr(doc, "date", None), page_url, capture_date,
                             _headline_date_lines(visible_dates, title), stated)
    outlet_hint = _choose_outlet(meta, getattr(doc, "sitename", None), page_url, title)
    author = meta.get("ld_author") or meta.get("author") or getattr(doc, "author", None)
    author = _clean(author) if author and not re.match(r"^https?://", author) else None
    from ..infer import is_date_label

    if author and is_date_label(author):  # "Published 7 April 2024" less its date is no author
        author = None
    from ..language import page_statement

    lang = page_statement(tree)
    return Article(
        text=text,
        title=Hint(title, "markup") if title else None,
        outlet=outlet_hint,
        date=date_hint,
        url=Hint(page_url, url_source) if page_url else None,
        author=Hint(author, "markup") if author else None,
        lang=Hint(lang, "markup") if lang else None,
        encoding=encoding,
        # The extracted text is only the article: its first lines are not a headline or
        # byline of their own, but what the page's markup lacks may still be in them.
        infer=True,
    )


def _load_page(data: bytes | str) -> Any:
    """The page's tree (its first MAX_HTML_CHARS); UnusableFile when empty or not HTML."""
    import trafilatura

    data = data[:MAX_HTML_CHARS]
    if not data.strip():
        raise UnusableFile("empty")
    try:
        tree = trafilatura.load_html(data)
    except Exception:  # noqa: BLE001 - lxml and trafilatura raise many kinds on garbage
        tree = None
    if tree is None:
        raise UnusableFile("not an HTML page (cannot parse it)")
    return tree


def _page_url(meta: dict[str, str], url: str | None, saved_from: bool) -> tuple[str | None, str]:
    """The page's address and where it came from: the markup's canonical, og:url or JSON-LD
    url (a relative canonical resolved against what is known), else ``url`` (the container's,
    or a "saved from" comment's: markup too)."""
    if url and not re.match(r"^https?://", url, re.IGNORECASE):
        url = None
    absolute = [u for u in (meta.get("canonical"), meta.get("og:url"), meta.get("ld_url"))
                if u and re.match(r"^https?://", u, re.IGNORECASE)]
    declared_url = absolute[0] if absolute else None
    canonical = meta.get("canonical")
    if canonical and canonical.startswith("/") and not canonical.startswith("//"):
        # A relative canonical link ("/news/x"), resolved against the page's known address.
        base = declared_url or url or meta.get("base")
        if base:
            from urllib.parse import urljoin

            declared_url = urljoin(base, canonical)
    return declared_url or url, "markup" if declared_url or saved_from else "record"


# --------------------------------------------------------------------------------------------
# What the page says about itself


def _clean(value: Any) -> str:
    return " ".join(str(value).split())


def _page_meta(tree: Any) -> dict[str, str]:
    """Meta tags, canonical link, <h1> and JSON-LD article fields of the page."""
    out: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and content.strip() and key not in out:
            out[key] = _clean(content)
    for el in tree.iterfind(".//base"):
        href = (el.get("href") or "").strip()
        if href.lower().startswith(("http://", "https://")):
            out.setdefault("base", href)
    for el in tree.iterfind(".//link"):
        rel = (el.get("rel") or "").lower().split()
        href = (el.get("href") or "").strip()
        if "canonical" in rel and href and "canonical" not in out:
            out["canonical"] = href
    for el in tree.iterfind(".//title"):
        if el.text and el.text.strip():
            out.setdefault("html_title", _clean(el.text_content()))
            break
    h1s = [_clean(h.text_content()) for h in tree.iterfind(".//h1")]
    h1s = [h for h in h1s if h and len(h) <= 300]
    if h1s:
        out["h1"] = "\x1f".join(h1s[:5])
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        for obj in _ld_objects(data):
            _take_ld(obj, out)
    return out


def _ld_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _ld_objects(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _ld_objects(main, depth + 1)


def _ld_types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value[:5]) if n]
        return ", ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return _clean(value)
    return None


def _take_ld(obj: dict[str, Any], out: dict[str, str]) -> None:
    kinds = _ld_types(obj)
    if not kinds & _ARTICLE_TYPES:
        if "website" in kinds and "ld_site" not in out:
            name = _ld_name(obj)
            if name:
                out["ld_site"] = name
        if kinds & {"organization", "newsmediaorganization"} and "ld_org" not in out:
            name = _ld_name(obj)
            if name:
                out["ld_org"] = name
        return
    rank = "ld_" if kinds - {"webpage"} else "ldpage_"  # an article beats a WebPage
    for key, field in (("headline", "headline"), ("name", "name"), ("datePublished", "published"),
                       ("dateCreated", "created"), ("dateModified", "modified")):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            out.setdefault(rank + field, _clean(value))
    publisher = _ld_name(obj.get("publisher"))
    if publisher:
        out.setdefault(rank + "publisher", publisher)
    author = _ld_name(obj.get("author"))
    if author and rank == "ld_":
        out.setdefault("ld_author", author)
    url = obj.get("url") or obj.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    if isinstance(url, str) and url.startswith("http") and rank == "ld_":
        out.setdefault("ld_url", url.strip())


def _fallback_text(tree: Any) -> str:
    """Visible text of the body, for a page trafilatura finds no article in (a short note,
    a press release in a table)."""
    try:
        import trafilatura

        _body, text, _length = trafilatura.baseline(tree)
    except Exception:  # noqa: BLE001
        return ""
    return (text or "").strip()


# --------------------------------------------------------------------------------------------
# Choosing among the page's statements


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", s.casefold()).split())


def _choose_title(meta: dict[str, str], extracted: str | None, url: str | None) -> str | None:
    """The headline the reader sees: the page's own <h1> when it is the headline (it shares
    its words with a title the page declares: a social-media title or a <title> written for
    search engines may differ from it), else the declared title (JSON-LD headline, og:title,
    <title>, then trafilatura's), without the site's name around it."""
    site = _SiteTest(meta, url)
    # The first declared title that is more than the site's name (trafilatura may take a
    # logo heading for the title).
    # trafilatura's own title comes last: it cuts a <title> at its first " - " ("Biden - Trump
    # debate ..." -> "Biden"), as if the rest were the site's name.
    candidates = [meta.get("ld_headline"), meta.get("og:title"), meta.get("html_title"), extracted]
    declared = next((c for c in candidates if c and not site.names(_strip_site_from_title(_clean(c), site))), None)
    h1s = [h for h in (meta.get("h1", "").split("\x1f") if meta.get("h1") else []) if not site.names(h)]
    if not declared:
        return h1s[0] if h1s else None
    declared = _clean(declared)
    titles = [_clean(t) for t in (meta.get("ld_headline"), meta.get("og:title"), meta.get("twitter:title"),
                                  meta.get("html_title"), extracted) if t]
    for h1 in h1s:
        norm_h1 = _norm(h1)
        if len(norm_h1) < 12 or len(norm_h1.split()) < 3:
            continue  # too short to be sure of
        # An <h1> that is a declared title with a kicker before it ("Preps | Headline"):
        # the title, without the kicker.
        inner = next((t for t in titles if _norm(t) != norm_h1 and len(_norm(t)) >= 0.6 * len(norm_h1)
                      and norm_h1.endswith(_norm(t))), None)
        if inner:
            return inner
        if any(_same_headline(h1, t) for t in titles):
            return h1
        # A declared title cut short ("... for Hong Kong leader..."): the h1 is the whole of it.
        norm_declared = _norm(declared)
        if declared.rstrip().endswith(("...", "\u2026")) and len(norm_declared) >= 12 and norm_h1.startswith(norm_declared):
            return h1
    return _strip_site_from_title(declared, site)


def _words(s: str) -> set[str]:
    return {w for w in _norm(s).split() if len(w) >= 3 or not w.isascii()}


def _same_headline(h1: str, title: str) -> bool:
    """Whether an <h1> and a declared title are one story's headline: the same words
    decorated ("Headline | Outlet"), or two wordings sharing most of the h1's words."""
    norm_h1, norm_title = _norm(h1), _norm(title)
    if norm_h1 == norm_title or (norm_h1 in norm_title and len(norm_h1) >= 0.5 * len(norm_title)):
        return True
    a, b = _words(h1), _words(title)
    return len(a) >= 3 and len(a & b) >= 0.6 * len(a) and len(a & b) >= 0.4 * len(b)


class _SiteTest:
    """Whether a part of a title is the site's name: the same letters as a name the page
    gives itself (og:site_name, JSON-LD publisher, ...: "Example.DE" for "Example"), with a
    trailing "Online"/"News"/".com" allowed, or what its domain or social handle spells."""

    _GENERIC = frozenset("online news digital com net org de fr uk es it co www".split())

    def __init__(self, meta: dict[str, str], url: str | None) -> None:
        from ..sitename import ELEMENTS, clean_statement

        names = [clean_statement(meta[k], element) for k, element in ELEMENTS if meta.get(k)]
        self.keys = {self._key(n) for n in names if n}  # taglines cut: "Boxen – Alle News ..." -> "Boxen"
        label = registered_label(url) if url else None
        handle = (meta.get("twitter:site") or "").strip().lstrip("@")
        self.keys |= {self._key(x) for x in (label, handle) if x}
        self.keys.discard("")

    def _key(self, name: str) -> str:
        from ..sitename import host_of, is_host, key

        name = _clean(name)
        if is_host(name):
            return key(host_of(name).split(".")[0])
        words = re.split(r"[\s.]+", name)
        while len(words) > 1 and words[-1].casefold() in self._GENERIC:
            words.pop()
        return key(" ".join(words))

    def names(self, part: str) -> bool:
        from ..sitename import initials

        k = self._key(part)
        return bool(k) and (k in self.keys or (len(part.split()) >= 2 and initials(part) in self.keys))


# Separators of a title's parts: " | ", " - ", " – ", " — ", " · ", " :: ", and "|" alone.
_TITLE_PART_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\u00b7\u2022-]\s+|\s*[|]\s*|\s+::\s+|:\s+")


def _strip_site_from_title(title: str, site: _SiteTest) -> str:
    """"Headline | Outlet" -> "Headline", "Outlet - Headline" -> "Headline": the first or
    the last part cut when it names the site; the headline's own dashes and colons are kept
    ("Dortmund - Gladbach: live")."""
    separators = list(_TITLE_PART_SEPARATORS.finditer(title))
    if not separators:
        return title
    last = separators[-1]
    if site.names(title[last.end():].strip()) and len(title[: last.start()].strip()) >= 3:
        return title[: last.start()].strip()
    first = separators[0]
    if not first.group().lstrip().startswith(":") and site.names(title[: first.start()].strip()) \
            and len(title[first.end():].strip()) >= 3:
        return title[first.end():].strip()
    return title


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    m = _ISO_DAY.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def url_date(url: str | None) -> dt.date | None:
    """A full date written in a URL's path (``/2024/04/07/``, ``-20240407-``), or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", url, flags=re.IGNORECASE)
    m = _URL_DATE.search(path)
    if not m:
        return None
    y, mo, d = (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else (m.group("y2"), m.group("m2"), m.group("d2"))
    try:
        date = dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    return date if date <= dt.date.today() else None


#: Meta keys that state the publication (first found wins), with the element named in provenance.
_PUBLISHED_KEYS = (
    ("ld_published", "JSON-LD datePublished"), ("article:published_time", "article:published_time"),
    ("ldpage_published", "JSON-LD datePublished"), ("datepublished", "itemprop datePublished"),
    ("og:published_time", "og:published_time"), ("article:published", "article:published"),
    ("pubdate", "meta pubdate"), ("publishdate", "meta publishdate"), ("date", "meta date"),
    ("dc.date.issued", "DC.date.issued"), ("dc.date", "DC.date"), ("sailthru.date", "sailthru.date"),
    ("parsely-pub-date", "parsely-pub-date"),
)
#: Meta keys of a later change: never a publication date, but they may tell the page's offset.
_MODIFIED_KEYS = ("ld_modified", "article:modified_time", "og:updated_time", "ldpage_modified", "datemodified")
#: Text nodes looked at around the first <h1> for a visible date line.
_BEFORE_HEADLINE, _AFTER_HEADLINE = 6, 30


def _timestamp(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time with its offset ("2020-07-09T10:04:04Z"), or None (a bare day too)."""
    if not value or "T" not in value[:11]:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None


def _headline_dates(tree: Any) -> list[tuple[str, list[dt.date]]]:
    """For each of the page's first <h1>s, its text and the dates printed as a date line
    beside it (in its own block just before it, or in the lines after it), "updated" lines
    left out: what the reader sees as the article's date, in the page's own time zone."""
    from ..infer import leading_date

    out: list[tuple[str, list[dt.date]]] = []
    for h1 in tree.iter("h1"):
        # Before the headline only its own block's lines (a kicker "02.02.2022 - Sport"),
        # never the page header's "today" stamp.
        before = [t for sib in list(h1.itersiblings(preceding=True))[:3][::-1] for t in _texts(sib)]
        lines = before[-_BEFORE_HEADLINE:] + list(itertools.islice(_texts_after(h1), _AFTER_HEADLINE))
        dates = []
        for text in lines:
            found = leading_date(text) if len(text) <= 160 else None
            if found and not found[1]:
                dates.append(found[0])
        out.append((_clean(h1.text_content()), dates))
        if len(out) >= 5:
            break
    return out


def _texts(element: Any) -> Iterator[str]:
    """The non-blank text pieces of ``element`` and its tail, in document order (scripts
    and styles left out)."""
    from lxml import etree

    for event, el in etree.iterwalk(element, events=("start", "end")):
        piece = (el.text if isinstance(el.tag, str) and el.tag not in ("script", "style") else None) \
            if event == "start" else el.tail
        if piece and piece.strip():
            yield piece.strip()


def _texts_after(element: Any) -> Iterator[str]:
    """The text pieces of ``element``, then of everything after it in the document."""
    yield from _texts(element)
    node = element
    while node is not None:
        for sibling in node.itersiblings():
            yield from _texts(sibling)
        node = node.getparent()


def _stated_days(tree: Any) -> dict[dt.date, str]:
    """The days the page states as a date of its own, and the element that states each:
    a ``<time datetime>``, or a short text that is a date (:func:`..infer.short_text_days`:
    "7 April 2024", "am 25.01.2022"), "updated" stamps left out. A copyright year, a year or
    a month alone, or a date inside a sentence ("the referendum of 12 March 2023") is none."""
    from ..infer import short_text_days

    days: dict[dt.date, str] = {}
    for element in tree.iter("time"):
        day = _iso_date(element.get("datetime"))
        if day is not None:
            days.setdefault(day, "<time datetime>")
    for text in _texts(tree):
        for day in short_text_days(text):
            days.setdefault(day, "date text")
    return days


def _headline_date_lines(headlines: list[tuple[str, list[dt.date]]], title: str | None) -> list[dt.date]:
    """The date lines beside the <h1> that is the headline (not a logo heading)."""
    if title:
        wanted = _norm(title)
        for text, dates in headlines:
            if _norm(text) and (_norm(text) == wanted or _norm(text) in wanted or wanted in _norm(text)):
                return dates
    return next((dates for _text, dates in headlines if dates), [])


def _choose_date(meta: dict[str, str], found: str | None, url: str | None,
                 capture_date: dt.date | None, visible: list[dt.date],
                 stated: dict[dt.date, str] | None = None) -> DateHint | None:
    """The publication date, in the page's own time zone, and the element it came from.

    Each statement of the publication day is a vote: every declared publication date
    (JSON-LD ``datePublished``, ``article:published_time``, ... one each), the first date
    line beside the headline, a full date in the URL, and htmldate's reading of the page.
    A time written in UTC ("...T02:10:00Z") counts for the page's local day when a date line
    or the URL says the day before or after it, or another time on the page gives the local
    offset. The day with most votes wins; a tie goes to the strongest statement (declared,
    then date line, URL, htmldate). A modification date (``dateModified``,
    ``article:modified_time``) is never a vote, nor htmldate's answer when it is only that.
    htmldate's answer counts only when the page states that day itself (``stated``: a
    ``<time datetime>`` or a date line anywhere, :func:`_stated_days`), labelled with that
    element: its last resorts (a copyright footer's "\u00a9 2025" read as 2025-01-01, a year or
    month alone, a date quoted in the body, an "Updated" stamp) are no publication date.
    """
    limit = capture_date or dt.date.today()

    def usable(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= limit else None

    line = next((d for d in visible if usable(d)), None)
    from_url = usable(url_date(url))
    local_days = {d for d in (line, from_url) if d is not None}
    offsets = [s.utcoffset() for s in (_timestamp(meta.get(k)) for k in _MODIFIED_KEYS + tuple(k for k, _ in _PUBLISHED_KEYS))
               if s is not None and s.utcoffset() not in (None, dt.timedelta(0))]
    votes: list[tuple[dt.date, str]] = []
    seen_values: set[str] = set()
    for key, element in _PUBLISHED_KEYS:
        value = meta.get(key)
        declared = usable(_iso_date(value))
        if value is None or declared is None or value in seen_values:
            continue
        seen_values.add(value)  # one statement repeated under two names is one vote
        stamp = _timestamp(value)
        if stamp is not None and stamp.utcoffset() == dt.timedelta(0) and declared not in local_days:
            near = [d for d in local_days if abs((d - declared).days) == 1]
            if near:
                votes.append((near[0], f"markup: {element}, local day"))
                continue
            if offsets:
                local = usable((stamp + offsets[0]).date())  # type: ignore[operator]
                if local is not None:
                    votes.append((local, f"markup: {element}, local time"))
                    continue
        votes.append((declared, f"markup: {element}"))
    if line is not None:
        votes.append((line, "markup: date line"))
    if from_url is not None:
        votes.append((from_url, "url"))
    date = usable(_iso_date(found))
    modified = {_iso_date(meta.get(k)) for k in _MODIFIED_KEYS} - {None}
    # htmldate falls back on any date of the page: its answer counts unless it is only the
    # page's modification date.
    corroborated = date is not None and (date in (stated or {}) or any(day == date for day, _ in votes))
    if date is not None and corroborated and (date not in modified or any(day == date for day, _ in votes)):
        votes.append((date, f"markup: {(stated or {}).get(date, 'htmldate')}"))
    if not votes:
        return None
    counts: dict[dt.date, int] = {}
    for day, _source in votes:
        counts[day] = counts.get(day, 0) + 1
    best = max(counts.values())
    day, source = next(v for v in votes if counts[v[0]] == best)
    return DateHint(day, source)


def _choose_outlet(meta: dict[str, str], sitename: str | None, url: str | None,
                   title: str | None) -> Hint | None:
    """The name the page gives itself (:mod:`..sitename`), its provenance naming the element
    ("markup: og:site_name"); a page that names itself nowhere gets its URL's registered
    domain as written ("chemie.de"), or the part of its title that spells it."""
    from ..sitename import choose

    headlines = [(h, True) for h in (meta.get("ld_headline"), meta.get("og:title"), meta.get("twitter:title")) if h]
    headlines += [(h, False) for h in (meta.get("h1", "").split("\x1f") if meta.get("h1") else [])]
    if title:
        headlines.append((title, False))
    found = choose(meta, headlines, registered_label(url) if url else None)
    if found:
        return Hint(found.name, f"markup: {found.element}")
    page_title = meta.get("html_title") or meta.get("og:title") or title
    name = outlet_from_url(url, page_title)
    if name:
        return Hint(name, "url")
    if sitename:  # trafilatura's reading of the page (a link, a footer), as it writes it
        from ..sitename import clean_statement

        name = clean_statement(sitename, "trafilatura")
        if name:
            return Hint(name, "markup")
    return None


def outlet_from_url(url: str | None, title: str | None = None) -> str | None:
    """The outlet a URL names: the part of the page's title that spells its registered
    domain ("theguardian.com" + "... | The Guardian" -> "The Guardian"), else the registered
    domain itself as written ("pravda.com.ua"): never a name made up from it."""
    if not url:
        return None
    label = registered_label(url)
    if not label:
        return None
    if title:
        name = _title_part_spelling(title, label)
        if name:
            return name
    return registered_domain(url) or label


def _title_part_spelling(title: str, key: str) -> str | None:
    """The part of a title ("Headline | The Guardian") that spells ``key`` ("theguardian")."""
    key = re.sub(r"[^a-z0-9]", "", key.lower())
    if len(key) < 2:
        return None
    for part in _TITLE_SEPARATORS.split(title):
        part = part.strip()
        if 2 <= len(part) <= 60 and re.sub(r"[^a-z0-9]", "", part.casefold()) == key:
            return part
    return None


