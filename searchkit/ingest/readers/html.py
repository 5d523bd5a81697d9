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
    import trafilatura
    from trafilatura.core import bare_extraction

    saved_from = False
    if isinstance(data, bytes):
        saved = _SAVED_FROM.search(data[:4096])
        if saved and url is None:
            url = saved.group(1).decode("ascii", "replace")
            saved_from = True
        if len(data) > MAX_HTML_CHARS:
            data = data[:MAX_HTML_CHARS]
    elif len(data) > MAX_HTML_CHARS:
        data = data[:MAX_HTML_CHARS]
    if not (data.strip() if isinstance(data, str) else data.strip()):
        raise UnusableFile("empty")
    try:
        tree = trafilatura.load_html(data)
    except Exception:  # noqa: BLE001 - lxml and trafilatura raise many kinds on garbage
        tree = None
    if tree is None:
        raise UnusableFile("not an HTML page (cannot parse it)")

    meta = _page_meta(tree)
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
    page_url = declared_url or url
    url_source = "markup" if declared_url or saved_from else "record"
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

    title = _choose_title(meta, getattr(doc, "title", None), tree)
    date_hint = _choose_date(meta, getattr(doc, "date", None), page_url, capture_date)
    outlet_hint = _choose_outlet(meta, getattr(doc, "sitename", None), page_url, title)
    author = meta.get("ld_author") or meta.get("author") or getattr(doc, "author", None)
    author = _clean(author) if author and not re.match(r"^https?://", author) else None
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


def _choose_title(meta: dict[str, str], extracted: str | None, tree: Any) -> str | None:
    """The headline: the page's own <h1> when the declared title is that headline with the
    outlet's name around it; otherwise the declared title (JSON-LD headline, og:title,
    <title>) as trafilatura picks it."""
    sites = {_norm(meta[k]) for k in ("og:site_name", "ld_publisher", "ld_org", "application-name") if meta.get(k)}
    # The first declared title that is more than the site's name (trafilatura may take a
    # logo heading for the title).
    candidates = [meta.get("ld_headline"), extracted, meta.get("og:title"), meta.get("html_title")]
    declared = next((c for c in candidates if c and _norm(_strip_site_from_title(_clean(c), meta)) not in sites), None)
    h1s = meta.get("h1", "").split("\x1f") if meta.get("h1") else []
    if not declared:
        return next((h for h in h1s if _norm(h) not in sites), None)
    declared = _clean(declared)
    norm_declared = _norm(declared)
    for h1 in h1s:
        norm_h1 = _norm(h1)
        if len(norm_h1) < 12 or len(norm_h1.split()) < 3 or norm_h1 in sites:
            continue  # too short to be sure of, or the site's name in a logo heading
        if norm_h1 == norm_declared:
            return h1
        # "Headline | Outlet", "Outlet - Headline": the h1 is the declared title, decorated.
        if norm_h1 in norm_declared and len(norm_h1) >= 0.5 * len(norm_declared):
            return h1
        # A declared title cut short ("... for Hong Kong leader..."): the h1 is the whole of it.
        if declared.rstrip().endswith(("...", "\u2026")) and len(norm_declared) >= 12 and norm_h1.startswith(norm_declared):
            return h1
    return _strip_site_from_title(declared, meta)


def _strip_site_from_title(title: str, meta: dict[str, str]) -> str:
    """"Headline | Outlet" -> "Headline" when the part cut off names the site."""
    site = meta.get("og:site_name") or meta.get("ld_publisher") or meta.get("ld_org")
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2 or not site:
        return title
    site_norm = _norm(site)
    kept = [p for p in parts if _norm(p) != site_norm]
    if len(kept) == len(parts) or not kept:
        return title
    return " | ".join(kept) if len(kept) > 1 else kept[0]


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


def _choose_date(meta: dict[str, str], found: str | None, url: str | None,
                 capture_date: dt.date | None) -> DateHint | None:
    """htmldate's publication date, marked ``url`` when it is only the URL's; with no
    answer from htmldate, the page's declared publication date or the URL's."""
    limit = capture_date or dt.date.today()
    from_url = url_date(url)
    declared = None
    for key in ("ld_published", "article:published_time", "ldpage_published", "datepublished",
                "og:published_time", "article:published", "pubdate", "publishdate", "date",
                "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date"):
        declared = _iso_date(meta.get(key))
        if declared:
            break
    if from_url is not None and from_url > limit:
        from_url = None
    if declared is not None and declared > limit:
        declared = None
    date = _iso_date(found)
    if date is not None and date > limit:
        date = None
    # Two independent statements that agree beat a third: the page's declared publication
    # date and the date its URL was given.
    if declared is not None and declared == from_url:
        return DateHint(declared, "markup")
    # With nothing declared, a URL's full date (assigned once, at publication) beats a date
    # found in the visible text, which may be a "today" stamp or a related story's.
    if declared is None and from_url is not None:
        return DateHint(from_url, "url")
    if date is not None:
        if from_url == date and declared != date:
            return DateHint(date, "url")
        return DateHint(date, "markup")
    if declared is not None:
        return DateHint(declared, "markup")
    return None


def _choose_outlet(meta: dict[str, str], sitename: str | None, url: str | None,
                   title: str | None) -> Hint | None:
    from ..infer import clean_outlet_name

    for key in ("og:site_name", "ld_publisher", "ldpage_publisher", "application-name", "ld_org"):
        value = meta.get(key)
        if value:
            name = _site_name(value)
            if name:
                return Hint(name, "markup")
    page_title = meta.get("html_title") or meta.get("og:title") or title
    handle = (meta.get("twitter:site") or "").strip().lstrip("@")
    if handle and page_title:
        # The site's own account name spelled out in its title: "@Farodevigo" + "... - Faro de Vigo".
        name = _title_part_spelling(page_title, handle)
        if name:
            return Hint(name, "markup")
    name = outlet_from_url(url, page_title)
    if name:
        return Hint(name, "url")
    if sitename and len(sitename) <= 80 and not sitename.startswith("http"):
        name = clean_outlet_name(sitename)
        if name:
            return Hint(name, "markup")
    return None


def _site_name(value: str) -> str | None:
    """A declared site name without its tagline ("Boxen – Alle News, Tickets ..." -> "Boxen",
    "ingenieur.de - Jobbörse ..." -> "ingenieur.de" -> "Ingenieur")."""
    from ..infer import clean_outlet_name

    value = _clean(value)
    parts = [p for p in _TITLE_SEPARATORS.split(value) if p.strip()]
    if len(parts) > 1 and len(parts[0]) >= 2:
        value = parts[0].strip()
    if "." in value and " " not in value:
        return clean_outlet_name(value)
    return value if 0 < len(value) <= 80 else None


def outlet_from_url(url: str | None, title: str | None = None) -> str | None:
    """The outlet a URL names: its registered domain, written as the page's title writes it
    when a part of the title spells the domain ("theguardian.com" + "... | The Guardian"
    -> "The Guardian"), else made readable from the domain ("pravda.com.ua" -> "Pravda")."""
    if not url:
        return None
    label = registered_label(url)
    if not label:
        return None
    if title:
        name = _title_part_spelling(title, label)
        if name:
            return name
    from ..infer import clean_outlet_name

    return clean_outlet_name(registered_domain(url) or label)


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


