"""The outlet's name as a saved page states it, chosen among the page's own statements.

A page names its publisher in several places, each sometimes wrong in its own way: JSON-LD
``publisher`` names a wire service or a parent company on syndicated stories, ``og:site_name``
a section ("World") or a host name ("www.example.org"), ``application-name`` the web
designer's app, ``<meta name=publisher>`` the publishing company, the ``<title>`` a section
beside the site. So a name is taken only as the page states it, and chosen by these rules:

1. Candidates, strongest element first: JSON-LD ``publisher.name`` of the article,
   ``og:site_name``, a JSON-LD ``WebSite`` or ``Organization`` name, ``application-name`` (and
   Apple's ``apple-mobile-web-app-title``), ``DC.publisher``, ``<meta name=publisher>``, the
   part of ``<title>`` that is not the headline, ``<meta name=copyright>``. Taglines are cut
   ("Boxen – Alle News ..." -> "Boxen"), trademark signs dropped, a trailing legal form cut
   ("The Philadelphia Inquirer, LLC"); a company name ("... GmbH", "Ltd. & Co. KG") in a
   publisher or copyright tag is the company, not the outlet, and is no candidate.
2. A candidate is *supported* when another statement of the page names the same outlet (the
   same letters and digits, one inside the other, or one the initials of the other), or when
   the page's registered domain or its ``twitter:site`` handle spells it. The strongest
   supported candidate wins; with none supported, the strongest candidate (the page names
   itself once), except a part of the title that could as well be a section.
3. Its spelling, from the statements naming the same outlet: a name ("Gala", "COMPUTER
   BILD") beats a host name ("gala.fr", "computerbild.de") and an abbreviation the full name
   it stands for ("paz.de" -> "Preußische Allgemeine Zeitung"); a name in capitals or in
   lower case takes the mixed-case spelling another statement gives it ("PCMAG" -> "PCMag",
   "mirror" -> "Mirror"), never one made up here ("WIRED" stays when nothing else spells it).
   A host name no statement names otherwise is kept as written ("aero.de", "News.az").

Nothing here invents a name from a domain: :func:`choose` returns None when the page names
itself nowhere, and the reader then falls back to the registered domain, marked ``url``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from ..models import ArticleMeta

#: (key in the reader's meta dict, element named in provenance), strongest first.
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("ld_publisher", "JSON-LD publisher"),
    ("ldpage_publisher", "JSON-LD publisher"),
    ("og:site_name", "og:site_name"),
    ("ld_site", "JSON-LD WebSite"),
    ("ld_org", "JSON-LD Organization"),
    ("application-name", "application-name"),
    ("apple-mobile-web-app-title", "apple-mobile-web-app-title"),
    ("dc.publisher", "DC.publisher"),
    ("publisher", "meta publisher"),
)
TITLE_ELEMENT = "<title>"
COPYRIGHT_ELEMENT = "meta copyright"
#: Elements where a company (a name with a legal form) stands for the publisher's owner.
_COMPANY_ELEMENTS = frozenset({"DC.publisher", "meta publisher", COPYRIGHT_ELEMENT, "JSON-LD Organization"})

_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\u00b7\u2022:>/-]\s+|\s*[|\u00bb]\s*|\s+[\u2013\u2014-]{2}\s+")
_TRADEMARKS = re.compile(r"\s*(?:[\u2122\u00ae\u2120]|\((?:tm|r)\))", re.IGNORECASE)
_TRAILING_LEGAL = re.compile(r",\s*(?:llc|l\.l\.c\.|inc\.?|ltd\.?|limited|corp\.?|gmbh|s\.a\.|plc)\s*$", re.IGNORECASE)
_LEGAL_FORM = re.compile(
    r"(?:^|[\s,])(?:gmbh|ag|kg|kgaa|ltd|llc|inc|corp|plc|s\.?a\.?|s\.?l\.?|s\.?r\.?l\.?|spa|co\.|"
    r"sas|sarl|bv|nv|oy|ab|as|pty)(?:\.|\s|,|$)",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:https?://)?(?:www\d?\.)?((?:[\w-]+\.)+[a-z]{2,})/?$", re.IGNORECASE)
_COPYRIGHT_LEAD = re.compile(r"^(?:copyright\s*)?(?:\u00a9|\(c\))?\s*(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?\s*)?", re.IGNORECASE)
_RIGHTS = re.compile(r"[.,]?\s*(?:all rights reserved|alle rechte vorbehalten|tous droits r\u00e9serv\u00e9s|todos los derechos reservados).*$", re.IGNORECASE)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_CONNECTORS = frozenset("of the and for on de la le du des der die das und für fur di del y et".split())
MAX_NAME_CHARS = 60
MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Statement:
    """A name the page gives itself, and where (``element``); ``strength`` orders elements."""

    name: str
    element: str
    strength: int
    #: A part of the title that might be a section rather than the site: needs support.
    needs_support: bool = False


@dataclass(frozen=True)
class SiteName:
    name: str
    #: The element the name was read from ("og:site_name", "JSON-LD publisher", "<title>").
    element: str


# --------------------------------------------------------------------------------------------
# Comparing names


def key(name: str) -> str:
    """Letters and digits, case and accents folded: "Junín 24" and "junin24" are one key."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if c.isalnum())


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-\u2010./]+", name) if w]
    return "".join(key(w)[:1] for w in words if key(w))


def is_host(name: str) -> bool:
    """"example.org", "www.example.org", "https://www.example.org/": a host, not a name."""
    return bool(_HOST.match(name.strip()))


def host_of(name: str) -> str:
    m = _HOST.match(name.strip())
    return m.group(1) if m else name


def _host_label(name: str) -> str:
    """The part of a host name before its suffix ("teslamag" for "Teslamag.de")."""
    return host_of(name).split(".")[0]


def same_outlet(a: str, b: str) -> bool:
    """Whether two statements name one outlet: one key inside the other (at least three
    characters, or the whole of it), or one the initials of the other."""
    ka, kb = key(_host_label(a) if is_host(a) else a), key(_host_label(b) if is_host(b) else b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    short, long_ = sorted((ka, kb), key=len)
    if len(short) >= 3 and short in long_:
        return True
    for abbrev, full in ((ka, b), (kb, a)):
        letters = initials(full)
        if len(abbrev) >= 2 and len(letters) >= 2 and abbrev in (letters, key(initials_without_connectors(full))):
            return True
    return False


def initials_without_connectors(name: str) -> str:
    words = [w for w in re.split(r"[\s\-\u2010./]+", name) if w and w.casefold() not in _CONNECTORS]
    return "".join(key(w)[:1] for w in words if key(w))


def _spells(label: str, name: str) -> bool:
    """Whether a domain label or a social handle spells ``name`` (or its initials)."""
    k, n = key(label), key(_host_label(name) if is_host(name) else name)
    if len(k) < 2 or not n:
        return False
    if k == n or (len(k) >= 4 and (k in n or (len(n) >= 4 and n in k))):
        return True
    return len(k) >= 2 and k in (initials(name), initials_without_connectors(name))


# --------------------------------------------------------------------------------------------
# Cleaning one statement


def clean_statement(value: str, element: str) -> str | None:
    """A declared site name as a name, or None: tagline cut, trademark signs and a trailing
    legal form dropped; a company (a legal form left) in a publisher tag is None."""
    value = " ".join(value.translate(_QUOTES).split())
    if element == COPYRIGHT_ELEMENT:
        value = _RIGHTS.sub("", _COPYRIGHT_LEAD.sub("", value)).strip(" .,;")
    value = _TRADEMARKS.sub("", value).strip()
    if not value or value.lower().startswith(("http://", "https://")) and not is_host(value):
        return None
    parts = [p.strip() for p in _SEPARATORS.split(value) if p.strip()]
    if len(parts) > 1 and len(parts[0]) >= 2:
        value = parts[0]  # "Boxen – Alle News, Tickets ...", "scinexx | Das Wissensmagazin"
    value = _TRAILING_LEGAL.sub("", value).strip(" ,")
    if element in _COMPANY_ELEMENTS and _LEGAL_FORM.search(value):
        return None
    if is_host(value):
        return host_of(value)
    if len(value) > MAX_NAME_CHARS or len(value.split()) > MAX_NAME_WORDS:
        return None
    if not any(c.isalpha() for c in value) or any(c in value for c in "@{}<>[]\"|"):
        return None
    return value


# --------------------------------------------------------------------------------------------
# The title's site part


def _plain(s: str) -> str:
    return s.translate(_QUOTES).lower()


def title_parts(title: str, headlines: list[tuple[str, bool]]) -> list[Statement]:
    """The parts of ``title`` beside the headline. ``headlines`` are (headline, declared):
    declared ones (JSON-LD headline, og:title) say exactly what the headline is; an <h1> is
    a guess. Beside a declared headline, the outermost part is taken as the site; any other
    part (a section, a place) counts only with support."""
    t = _plain(title)
    for headline, declared in headlines:
        h = _plain(headline)
        if len(h) < 8 or h == t:
            continue
        if t.startswith(h):
            rest, sure = title[len(h):], declared
        elif t.endswith(h):
            rest, sure = title[: len(title) - len(h)], declared
        else:
            continue
        parts = [p.strip() for p in _SEPARATORS.split(" " + rest.strip() + " ") if p.strip()]
        parts = [p.strip(" -|:\u2013\u2014\u00b7") for p in parts]
        parts = [p for p in parts if p]
        if not parts:
            continue
        # "Headline - Section - Site", "Site | Section | Headline": the outermost part is the
        # site, the others may be sections.
        outer = len(parts) - 1 if t.startswith(h) else 0
        return [Statement(p, TITLE_ELEMENT, 90, needs_support=not (sure and i == outer))
                for i, p in enumerate(parts)]
    parts = [p.strip() for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return []
    # No headline to cut: the first and the last part, beside the longest (the headline).
    longest = max(range(len(parts)), key=lambda i: len(parts[i]))
    ends = {i for i in (0, len(parts) - 1) if i != longest}
    return [Statement(parts[i], TITLE_ELEMENT, 90, needs_support=True) for i in sorted(ends)]


# --------------------------------------------------------------------------------------------
# Choosing


def statements(meta: dict[str, str], headlines: list[tuple[str, bool]]) -> list[Statement]:
    """Every name the page gives itself, cleaned, strongest element first."""
    out: list[Statement] = []
    for strength, (meta_key, element) in enumerate(ELEMENTS):
        value = meta.get(meta_key)
        if value:
            name = clean_statement(value, element)
            if name:
                out.append(Statement(name, element, strength))
    title = meta.get("html_title")
    if title:
        for part in title_parts(" ".join(title.split()), headlines):
            name = clean_statement(part.name, TITLE_ELEMENT)
            if name:
                out.append(Statement(name, part.element, part.strength, part.needs_support))
    copyright_ = meta.get("copyright")
    if copyright_:
        name = clean_statement(copyright_, COPYRIGHT_ELEMENT)
        if name:
            out.append(Statement(name, COPYRIGHT_ELEMENT, 100))
    return out


def choose(meta: dict[str, str], headlines: list[tuple[str, bool]], domain_label: str | None) -> SiteName | None:
    """The outlet's name by the rules of this module's docstring, or None."""
    found = statements(meta, headlines)
    if not found:
        return None
    handle = (meta.get("twitter:site") or "").strip().lstrip("@")

    def support(s: Statement) -> int:
        n = sum(1 for o in found if o.element != s.element and same_outlet(o.name, s.name))
        n += bool(domain_label and _spells(domain_label, s.name))
        n += bool(handle and _spells(handle, s.name))
        return n

    supported = [s for s in found if support(s) > 0]
    if supported:
        best = min(supported, key=lambda s: s.strength)
    else:
        unsure = [s for s in found if not s.needs_support]
        if not unsure:
            return None
        best = min(unsure, key=lambda s: s.strength)
    family = [s for s in found if s is best or same_outlet(s.name, best.name)]
    chosen = _best_form(best, family)
    return SiteName(_spelling(chosen.name, family, handle), chosen.element)


def _best_form(best: Statement, family: list[Statement]) -> Statement:
    """A name over a host name or an abbreviation of it (the strongest such statement)."""
    def is_abbreviation_of(short: Statement, full: Statement) -> bool:
        k = key(_host_label(short.name) if is_host(short.name) else short.name)
        return (len(k) >= 2 and len(full.name.split()) >= 2
                and k in (initials(full.name), initials_without_connectors(full.name)))

    names = [s for s in family if not is_host(s.name)]
    if is_host(best.name) and names:
        best = min(names, key=lambda s: s.strength)
    fuller = [s for s in family if is_abbreviation_of(best, s)]
    if fuller:
        best = min(fuller, key=lambda s: s.strength)
    return best


def _shouting_or_lower(name: str) -> bool:
    cased = [c for c in name if c.isupper() or c.islower()]
    return bool(cased) and (all(c.isupper() for c in cased) or all(c.islower() for c in cased))


def _spelling(name: str, family: list[Statement], handle: str) -> str:
    """``name`` in the mixed-case spelling another statement gives it, when it is written in
    capitals or in lower case and one does."""
    if not _shouting_or_lower(name) or is_host(name):
        return name
    wanted = name.casefold()
    for s in family:
        other = s.name
        if key(other) == key(name) and not _shouting_or_lower(other) and not is_host(other):
            return other  # "pcgamer" -> "PC Gamer", "PCMAG" -> "PCMag"
        if not _shouting_or_lower(other):
            m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", other, re.IGNORECASE)
            if m:
                return m.group(0)
    if handle and handle.casefold() == wanted.replace(" ", "") and " " not in name and not _shouting_or_lower(handle):
        return handle
    return name


# --------------------------------------------------------------------------------------------
# One name per outlet across a corpus


class DomainNames:
    """One outlet's pages get one name: the first name a page of a registered domain gave
    itself (in the corpus's sorted order) names every later page of that domain whose
    outlet also came from the page (``markup``) or its URL (``url``); the user's metadata
    and names read from text are left alone. A name from the markup replaces one read from
    the URL. Kept beside the index generation, so incremental runs name new pages alike."""

    def __init__(self, names: dict[str, tuple[str, str]] | None = None) -> None:
        #: registered domain -> (name, provenance of the page that gave it)
        self.names: dict[str, tuple[str, str]] = dict(names or {})

    def apply(self, meta: ArticleMeta) -> ArticleMeta:
        source = meta.outlet_source or ""
        if not meta.outlet or not meta.url or not (source == "url" or source.startswith("markup")):
            return meta
        from .domains import registered_domain

        domain = registered_domain(meta.url)
        if not domain:
            return meta
        known = self.names.get(domain)
        if known is None or (known[1] == "url" and source != "url"):
            self.names[domain] = (meta.outlet, source.split(" (")[0])
            return meta
        if known[0] == meta.outlet:
            return meta
        return replace(meta, outlet=known[0], outlet_source=f"{known[1]} ({domain})")

    @classmethod
    def load(cls, path: Path) -> DomainNames:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls({str(d): (str(v[0]), str(v[1])) for d, v in data.items()})
        except (OSError, ValueError, TypeError, AttributeError, IndexError, KeyError):
            return cls()  # none yet, or unreadable: a cache of names, rebuilt as pages come

    def save(self, path: Path) -> None:
        from ..atomic import write_atomically

        write_atomically(path, json.dumps({d: list(v) for d, v in sorted(self.names.items())}, ensure_ascii=False),
                         durable=False)  # a cache of names, rebuilt as pages come
