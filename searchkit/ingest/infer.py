"""Title, outlet and publication date of an article, and where each came from.

Two sources, in this order of authority:

* the corpus's ``metadata.toml`` (one table per file, written by the user), and
* the article's own text: a headline, a byline naming a newsroom, a dateline, a date standing
  on its own line under the headline, an outlet footer or copyright line.

Inference is deliberately conservative: it reads only the first and last ~30 non-empty lines,
accepts only the forms that *state* a value, and returns None otherwise. A date merely
mentioned in a sentence ("on 5 and 6 April", "in 2023") is never the publication date: a wrong
date is worse than "date unknown". Everything is precompiled regular expressions, because it
runs on every article of corpora with hundreds of thousands of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import chain
from typing import TYPE_CHECKING, Any

from ..models import SOURCE_METADATA, SOURCE_NONE, SOURCE_TEXT, ArticleMeta

if TYPE_CHECKING:
    from .article import Article


#: Keys a table of metadata.toml may hold.

# How much of an article inference reads: non-empty lines at the top and at the bottom.
HEAD_LINES = 30
TAIL_LINES = 30
# A date standing alone on a line counts as the publication date only this near the top.
DATE_LINE_WINDOW = 12
# Lines longer than this are prose, not bylines, date lines or footers (and are not scanned).
_SHORT_LINE = 160

# A heading followed directly by text: at most this long.
TITLE_MAX_WORDS = 25
TITLE_MAX_CHARS = 200
# A heading standing alone (blank line after it, as in "title, blank line, text"): a little
# longer is still a title (some Cranfield titles run to 41 words / 249 characters).
STANDALONE_TITLE_MAX_WORDS = 45
STANDALONE_TITLE_MAX_CHARS = 250
# Headlines rarely end with a full stop; a line that does is a title only when short.
_SENTENCE_TITLE_MAX_WORDS = 12

_EARLIEST_YEAR = 1900
_LATEST_YEAR = 2100


# --------------------------------------------------------------------------------------------
# Reading the top and the bottom of a text


def _head_lines(text: str) -> list[str]:
    """Stripped lines from the top, blanks included, until HEAD_LINES non-empty ones."""
    lines: list[str] = []
    nonempty = 0
    pos = 0
    end_of_text = len(text)
    while nonempty < HEAD_LINES and len(lines) < 8 * HEAD_LINES:
        end = text.find("\n", pos)
        if end < 0:
            end = end_of_text
        line = text[pos:end].strip()
        lines.append(line)
        if line:
            nonempty += 1
        if end >= end_of_text:
            break
        pos = end + 1
    return lines


def _tail_lines(text: str) -> list[str]:
    """The last TAIL_LINES non-empty lines (stripped), in text order."""
    lines: list[str] = []
    end = len(text)
    scanned = 0
    while len(lines) < TAIL_LINES and scanned < 8 * TAIL_LINES and end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line:
            lines.append(line)
        scanned += 1
        end = start - 1
    lines.reverse()
    return lines


# --------------------------------------------------------------------------------------------
# Dates

# Month names and their usual abbreviations in the languages news is most often written in
# here (English, French, German, Spanish, Italian, Portuguese, Dutch, Russian, Ukrainian,
# Polish), the genitive where a date uses it ("8 апреля 2024", "8 kwietnia 2024").
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "januar", "j\u00e4nner", "j\u00e4n", "enero", "ene", "gennaio", "genn",
        "janeiro", "januari", "\u044f\u043d\u0432\u0430\u0440\u044f", "\u044f\u043d\u0432\u0430\u0440\u044c", "\u044f\u043d\u0432", "\u0441\u0456\u0447\u043d\u044f", "stycznia"),
    2: ("february", "feb", "f\u00e9vrier", "fevrier", "f\u00e9vr", "fevr", "f\u00e9v", "februar", "febr", "febrero", "febbraio",
        "fevereiro", "fev", "februari", "\u0444\u0435\u0432\u0440\u0430\u043b\u044f", "\u0444\u0435\u0432\u0440\u0430\u043b\u044c", "\u0444\u0435\u0432", "\u043b\u044e\u0442\u043e\u0433\u043e", "lutego"),
    3: ("march", "mar", "mars", "m\u00e4rz", "maerz", "m\u00e4r", "marzo", "mar\u00e7o", "marco", "maart", "\u043c\u0430\u0440\u0442\u0430",
        "\u043c\u0430\u0440\u0442", "\u043c\u0430\u0440", "\u0431\u0435\u0440\u0435\u0437\u043d\u044f", "marca"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "\u0430\u043f\u0440\u0435\u043b\u044f", "\u0430\u043f\u0440\u0435\u043b\u044c", "\u0430\u043f\u0440",
        "\u043a\u0432\u0456\u0442\u043d\u044f", "kwietnia"),
    5: ("may", "mai", "mayo", "maggio", "mag", "maio", "mei", "\u043c\u0430\u044f", "\u043c\u0430\u0439", "\u0442\u0440\u0430\u0432\u043d\u044f", "maja"),
    6: ("june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho", "\u0438\u044e\u043d\u044f", "\u0438\u044e\u043d\u044c", "\u0438\u044e\u043d",
        "\u0447\u0435\u0440\u0432\u043d\u044f", "czerwca"),
    7: ("july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho", "\u0438\u044e\u043b\u044f", "\u0438\u044e\u043b\u044c", "\u0438\u044e\u043b",
        "\u043b\u0438\u043f\u043d\u044f", "lipca"),
    8: ("august", "aug", "ao\u00fbt", "aout", "agosto", "ago", "augustus", "\u0430\u0432\u0433\u0443\u0441\u0442\u0430", "\u0430\u0432\u0433\u0443\u0441\u0442",
        "\u0430\u0432\u0433", "\u0441\u0435\u0440\u043f\u043d\u044f", "sierpnia"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "settembre", "set", "setembro",
        "\u0441\u0435\u043d\u0442\u044f\u0431\u0440\u044f", "\u0441\u0435\u043d\u0442\u044f\u0431\u0440\u044c", "\u0441\u0435\u043d", "\u0432\u0435\u0440\u0435\u0441\u043d\u044f", "wrze\u015bnia"),
    10: ("october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro", "out",
         "\u043e\u043a\u0442\u044f\u0431\u0440\u044f", "\u043e\u043a\u0442\u044f\u0431\u0440\u044c", "\u043e\u043a\u0442", "\u0436\u043e\u0432\u0442\u043d\u044f", "pa\u017adziernika"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "\u043d\u043e\u044f\u0431\u0440\u044f", "\u043d\u043e\u044f\u0431\u0440\u044c", "\u043d\u043e\u044f",
         "\u043b\u0438\u0441\u0442\u043e\u043f\u0430\u0434\u0430", "listopada"),
    12: ("december", "dec", "d\u00e9cembre", "decembre", "d\u00e9c", "dezember", "dez", "diciembre", "dic", "dicembre",
         "dezembro", "\u0434\u0435\u043a\u0430\u0431\u0440\u044f", "\u0434\u0435\u043a\u0430\u0431\u0440\u044c", "\u0434\u0435\u043a", "\u0433\u0440\u0443\u0434\u043d\u044f", "grudnia"),
}
_MONTH_NUMBERS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH = "(?P<mon>" + "|".join(sorted(map(re.escape, _MONTH_NUMBERS), key=len, reverse=True)) + r")(?![^\W\d_])\.?"
_ORDINAL = r"(?:st|nd|rd|th|er|\.|\u00ba|\u00b0)?"

# Each form matches at the start of a string; the caller checks what follows.
_DATE_FORMS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)",  # 2024-04-07
        r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)",  # 2024/04/07
        r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)",  # 07.04.2024 (always day first)
        # 7 April 2024, 8. April 2024, 8 de abril de 2024, 1er avril 2024, 8 апреля 2024 г.
        rf"(?P<d>\d{{1,2}}){_ORDINAL}(?:\s+(?:of\s+|de\s+)?|-){_MONTH}(?:\s*,?\s+(?:de\s+|del\s+)?|-)(?P<y>\d{{4}})"
        r"(?!\d)(?:\s*(?:\u0433\.|\u0433\u043e\u0434\u0430|r\.))?",
        rf"{_MONTH}\s*(?P<d>\d{{1,2}}){_ORDINAL}(?:\s*,\s*|\s+)(?P<y>\d{{4}})(?!\d)",  # April 7, 2024
        rf"{_MONTH}\s*(?P<d>\d{{1,2}})\s*['\u2019\u2018]\s*(?P<yy>\d{{2}})(?!\d)",  # Apr08’24
    )
)

# What may precede a date on a date line: a label and a weekday.
_DATE_LABEL = re.compile(
    r"(?:(?P<label>first\s+published|originally\s+published|published|last\s+updated|updated"
    r"|last\s+modified|modified|posted|publication\s+date|release\s+date|released|dated|date"
    r"|publi\u00e9|mis\s+\u00e0\s+jour|ver\u00f6ffentlicht|aktualisiert|publicado|actualizado|atualizado"
    r"|pubblicato|aggiornato|\u043e\u043f\u0443\u0431\u043b\u0438\u043a\u043e\u0432\u0430\u043d\u043e|\u043e\u0431\u043d\u043e\u0432\u043b\u0435\u043d\u043e)"
    r"(?:\s+(?:on|at|le|am|el|em|il|\u00e0))?\s*[:\-\u2013\u2014]?\s*)?"
    r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+"
    r"|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag"
    r"|samstag|sonntag|lunes|martes|mi\u00e9rcoles|jueves|viernes|s\u00e1bado|domingo|luned\u00ec|marted\u00ec"
    r"|mercoled\u00ec|gioved\u00ec|venerd\u00ec|sabato|domenica),?\s+)?",
    re.IGNORECASE,
)
_UPDATE_LABELS = ("updated", "last updated", "modified", "last modified", "mis \u00e0 jour", "aktualisiert",
                  "actualizado", "atualizado", "aggiornato", "\u043e\u0431\u043d\u043e\u0432\u043b\u0435\u043d\u043e")

# What may follow a date on a date line: a time and zone, then "| 3 min read" or "by ...".
_DATE_TAIL = re.compile(
    r"(?:\s*(?:[,|@\u2022\u00b7\u2013\u2014-]|\bat\b|\u00e0|\bum\b|\ba\s+las\b|\balle\b|\u00e0s|\b\u0432\b)?"
    r"\s*T?\d{1,2}[:.h]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?"
    r"\s*(?:[AaPp]\.?\s?[Mm]\.?|Uhr|h)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|\(?(?:UTC|GMT|[A-Z]{2,5})(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)?)?"
    r"(?:\s*[|\u2022\u00b7]\s*\S.{0,80}|\s+[Bb]y\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4})?"
    r"\s*$"
)


_DIGIT = re.compile(r"\d")
_ALNUM = re.compile(r"[^\W_]")


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    if not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:  # Feb 30, month 13, ...
        return None


def _date_at(s: str, pos: int) -> tuple[dt.date, int] | None:
    """A date starting exactly at ``s[pos]``, and where it ends."""
    for form in _DATE_FORMS:
        m = form.match(s, pos)
        if m is None:
            continue
        groups = m.groupdict()
        if groups.get("mon"):
            month = _MONTH_NUMBERS[groups["mon"].lower().rstrip(".")]
        else:
            month = int(groups["m"])
        if groups.get("yy"):
            year = 2000 + int(groups["yy"])
            if year > dt.date.today().year + 1:
                year -= 100
        else:
            year = int(groups["y"])
        date = _valid_date(year, month, int(groups["d"]))
        return (date, m.end()) if date else None
    return None


def _parse_date_line(line: str, *, anything_after: bool = False) -> tuple[dt.date, bool] | None:
    """The date of a line that is only a date (with optional label, weekday, time), or,
    with ``anything_after``, a line that starts with one ("02.02.2022 10:16 Uhr - Bundesliga").

    Returns the date and whether its label says "updated" (a weaker claim than "published").
    """
    if len(line) > _SHORT_LINE or not _DIGIT.search(line):
        return None
    m = _DATE_LABEL.match(line)
    if m is None:  # the label is optional: the pattern matches any line
        return None
    found = _date_at(line, m.end())
    if found is None:
        return None
    date, end = found
    if not anything_after and _DATE_TAIL.match(line, end) is None:
        return None
    if anything_after and end < len(line) and line[end].isalnum():
        return None  # "2024-04-071" is no date
    label = " ".join((m.group("label") or "").lower().split())
    return date, label in _UPDATE_LABELS


def leading_date(line: str) -> tuple[dt.date, bool] | None:
    """A date a short line of a page starts with (after a label or a weekday), and whether
    the label says "updated": the date lines printed beside a headline."""
    return _parse_date_line(" ".join(line.split()).strip("()[] "), anything_after=True)


def _parse_date_text(s: str) -> dt.date | None:
    """A string that is exactly one date (optionally with time), as in datelines."""
    found = _parse_date_line(s.strip())
    return found[0] if found else None


# --------------------------------------------------------------------------------------------
# Outlet names

_OUTLET_WORDS = frozenset(
    """news review today press post times journal herald daily tribune gazette report reporter
    wire agency radio tv television media insider observer monitor guardian telegraph
    independent express mail standard chronicle inquirer dispatch star mirror sun weekly
    magazine online network channel broadcasting bulletin courier ledger register record
    digest examiner globe world pravda info""".split()
)
_WIRE_AGENCIES = frozenset(
    """reuters ap afp bloomberg tass xinhua unian ukrinform interfax ani pti ians dpa efe ansa
    kyodo yonhap anadolu ria""".split()
)
_NAME_CONNECTORS = frozenset("of the and & for on de la le du al el des der die in".split())
_DOMAIN_RE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[\w-]+\.)+[A-Za-z]{2,}(?::\d+)?(?:/\S*)?$")
_GENERIC_TLDS = frozenset(
    "com net org info biz co gov edu ac int mil news media online site press tv io me asia".split()
)
_CAMEL_LOWER_UPPER = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CAMEL_ACRONYM_WORD = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")
_MC_PREFIX = re.compile(r"\b(Ma?c) (?=[A-Z])")


def _split_camel(word: str) -> str:
    """EUToday -> EU Today, TibetanReview -> Tibetan Review (iNews, BBC, McClatchy unchanged)."""
    if not word[:1].isupper():
        return word
    spaced = _CAMEL_ACRONYM_WORD.sub(" ", _CAMEL_LOWER_UPPER.sub(" ", word))
    return _MC_PREFIX.sub(r"\1", spaced)


def _site_to_name(site: str) -> str:
    """A host name or URL -> the outlet's name: the words its writer marked with capitals
    ("www.TibetanReview.net" -> "Tibetan Review", "EUToday.com" -> "EU Today"), else its
    registered domain as written ("www.lemonde.fr" -> "lemonde.fr", "news.bbc.co.uk" ->
    "bbc.co.uk", "News.az", "AK-Kurier.de"). Never a name made up from a domain's letters:
    "lemonde" or "kyiv-post" says neither where its words begin nor how they are spelled
    ("Lemonde"; "Pravda" for pravda.com.ua, Ukrainska Pravda), as saved pages are named
    (sitename.py)."""
    from .domains import registered_domain

    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", site.strip(), flags=re.IGNORECASE)
    host = re.split(r"[/:?#]", host, maxsplit=1)[0]
    labels = [label for label in host.split(".") if label]
    while labels and labels[0].lower() in ("www", "m", "amp", "mobile"):
        labels.pop(0)
    while len(labels) > 1 and (labels[-1].lower() in _GENERIC_TLDS or (len(labels[-1]) == 2 and labels[-1].isalpha())):
        labels.pop()
    if not labels:
        return ""
    name = _split_camel(labels[-1])
    if " " in name and not re.search(r"[\W_]", labels[-1]):  # "TibetanReview", not "AK-Kurier"
        return name
    host = ".".join(label for label in host.split(".") if label)
    domain = registered_domain(host)
    return domain if domain and "." in domain else re.sub(r"^(?:(?:www|m|amp|mobile)\.)+", "", host, flags=re.IGNORECASE)


def clean_outlet_name(name: str) -> str | None:
    """A site or outlet name as written in an article -> a display name, or None if unusable.

    Splits CamelCase ("TibetanReview.net" -> "Tibetan Review", "EUToday" -> "EU Today"); a
    host name whose words are not marked so is its registered domain as written
    ("www.lemonde.fr" -> "lemonde.fr", :func:`_site_to_name`).
    """
    name = " ".join(name.split()).strip(" \"'\u201c\u201d\u2018\u2019*_.,;:|-")
    if not name:
        return None
    if _DOMAIN_RE.match(name) and " " not in name:
        name = _site_to_name(name)
        if _DOMAIN_RE.match(name):  # a domain as written
            return name
    else:
        name = " ".join(_split_camel(w) for w in name.split())
    name = " ".join(name.split())
    return name if _name_like(name) else None


def _name_like(name: str) -> bool:
    """Reads as a proper name: 1-6 words, capitalised (connectors aside), no clause punctuation."""
    if not name or len(name) > 60 or not any(c.isalpha() for c in name):
        return False
    if any(c in name for c in ",;:|/!?\u201c\u201d\"()[]"):
        return False
    words = name.split()
    if len(words) > 6 or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_CONNECTORS for w in words)


def _outlet_key(name: str) -> str:
    """For agreement between spellings: 'EUToday' and 'EU Today' are the same outlet."""
    return "".join(c for c in name.casefold() if c.isalnum())


def _looks_like_outlet(name: str) -> bool:
    """Whether a "(Name, date) —" dateline names an outlet rather than a place."""
    raw = name.strip()
    if _DOMAIN_RE.match(raw) and " " not in raw:
        return True
    words = raw.split()
    if len(words) == 1:
        word = words[0]
        return (
            word.lower() in _WIRE_AGENCIES
            or (word.isupper() and 2 <= len(word) <= 6)
            or _split_camel(word) != word
            or word.lower() in _OUTLET_WORDS
        )
    return any(w.lower().strip(".") in _OUTLET_WORDS or w.lower() in _WIRE_AGENCIES for w in words)


# --------------------------------------------------------------------------------------------
# Patterns that state an outlet or a date

# "(TibetanReview.net, Apr08’24) — China and Ukraine ..."
_SITE_DATELINE = re.compile(r"^\((?P<site>[^(),]{2,60}),\s*(?P<date>[^()]{3,40})\)\s*[\u2014\u2013-]")
# "KYIV, Ukraine, April 7, 2024 (AP) — ..." / "WASHINGTON (Reuters) - ..."
_WIRE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,3})(?P<rest>,[^()\u2014\u2013]{2,60}?)?"
    r"\s*\((?P<agency>[A-Za-z][\w&.' -]{0,38}[\w.])\)\s*[\u2014\u2013-]\s*\S.{20}"
)
# "MOSCOW, April 10, 2024 – ..." / "PARIS, 10 avril 2024 — ..." (no agency named).
_PLACE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,3})(?P<rest>(?:,[^()\u2014\u2013,]{2,40}?){1,3}?)"
    r"\s*(?:\s-\s|[\u2014\u2013]|--)\s*\S"
)
# "(TASS) — ...", "(AP) - ...": an agency credit opening the text.
_AGENCY_CREDIT = re.compile(r"^\((?P<agency>[A-Za-z][\w&.' -]{0,38}[\w.])\)\s*(?:\s-\s|[\u2014\u2013:-]|--)\s*\S")
# "MOSCOW, June 29. /TASS/. ..." (TASS's own style; also "/Xinhua/").
_SLASH_CREDIT = re.compile(r"^[A-Z][A-Z'. -]{1,40},[^/]{2,40}?[./]\s*/(?P<agency>[A-Za-z][\w&.' -]{0,30})/")
# "By Jane Doe, Associated Press" / "By Jane Doe and John Roe | Reuters" / "By Jane Doe".
_PERSON_CREDIT = re.compile(
    r"^[Bb][Yy]\s+(?P<people>[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*|de|van|von|der|da|di|la|le|al|bin|and|&))"
    r"{0,8}?)(?:\s*(?:,|\||\u2022|\u00b7|\s-\s|\u2013|\u2014|\bfor\b|\bof\b)\s*(?P<org>[^,|]{2,60}?))?\s*$"
)
_COLLECTIVE = (
    r"(?:(?:foreign|political|business|sports?|world|international|online|digital|web|editorial)\s+)?"
    r"(?:news\s*desk|web\s*desk|newsroom|staff\s+(?:writers?|reporters?|correspondents?)"
    r"|editorial\s+(?:staff|team|board|desk)|correspondents?|staff|desk|reporters?|editors?"
    r"|editorial|team|bureau|writers)"
)
# "by EUToday Correspondents", "By the Kyiv Post Staff" -- never "by John Smith".
_BYLINE_COLLECTIVE = re.compile(rf"^by\s+(?P<name>.+?)\s+{_COLLECTIVE}\.?$", re.IGNORECASE)
# "By Jane Doe, April 7, 2024" / "By Staff | Apr 7, 2024 - 16:10" (the date part only).
_BYLINE_SEPARATOR = re.compile(r"\s*(?:[,|\u2022\u00b7\u2013\u2014]|\s-\s|\bon\b)\s*", re.IGNORECASE)
_BYLINE_START = re.compile(r"^by\s+\S", re.IGNORECASE)
# "by John Smith" (a person): not a title either.
_PERSON_BYLINE = re.compile(r"^[Bb][Yy]\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}$")
# Footers: "Click here for more News & Current Affairs at EU Today",
# "EU Today brings you the latest news ...", "© 2024 EU Today. All rights reserved."
_CLICK_FOR_MORE = re.compile(
    r"^(?:click|tap)\s+here\s+for\s+more\b.*\s(?:at|on|from)\s+(?P<name>.{2,60}?)\s*[.!]?$", re.IGNORECASE
)
_BRINGS_YOU = re.compile(r"^(?P<name>[^.!?]{2,60}?)\s+(?:brings|gives|delivers)\s+you\b", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"^(?:copyright\b\s*(?:\u00a9|\(c\))?|\u00a9|\(c\))\s*"
    r"(?:(?P<year>\d{4})(?:\s*[-\u2013]\s*\d{4})?\s*,?\s*)?(?P<rest>\S.{1,100})$",
    re.IGNORECASE,
)
_NAME_END = re.compile(r"\.\s|\s[|\u2013\u2014-]\s|\||,|\s+all\s+rights\b|\s+\d{4}\b", re.IGNORECASE)


def _byline_outlet(line: str) -> str | None:
    if len(line) > 100:
        return None
    m = _BYLINE_COLLECTIVE.match(line)
    if m is None:
        return None
    name = m.group("name")
    if any(c in name for c in ",|;/"):  # "by John Smith, Staff Writer": a person
        return None
    if name.startswith("the "):  # "by the Kyiv Post staff"
        name = name[4:]
    if not name.split() or name.split()[0].lower() in ("our", "a", "an", "staff"):
        return None
    return clean_outlet_name(name)


def _credit_dateline(line: str) -> tuple[str | None, dt.date | None] | None:
    """Datelines without "(Agency)" after the place: "MOSCOW, April 10, 2024 – ...", and
    agency credits "(TASS) — ...", "MOSCOW, June 29. /TASS/. ..."."""
    if len(line) < 8:
        return None
    m = _AGENCY_CREDIT.match(line)
    if m:
        agency = m.group("agency")
        return (clean_outlet_name(agency), None) if _looks_like_outlet(agency) else None
    m = _SLASH_CREDIT.match(line)
    if m:
        agency = m.group("agency").strip()
        outlet = clean_outlet_name(agency) if _looks_like_outlet(agency) else None
        rest = line[line.find(",") + 1 : m.start("agency")].strip(" ./")
        return (outlet, _parse_date_text(rest)) if outlet or _parse_date_text(rest) else None
    m = _PLACE_DATELINE.match(line)
    if m:
        rest = m.group("rest")
        for comma in re.finditer(",", rest):
            date = _parse_date_text(rest[comma.end():])
            if date:
                return None, date
    return None


def _person_credit(line: str) -> tuple[str | None, str | None] | None:
    """(author, outlet) of a credit line "By Jane Doe, Associated Press"."""
    if len(line) > 120 or not _BYLINE_START.match(line):
        return None
    m = _PERSON_CREDIT.match(line)
    if m is None:
        # "By Jane Doe, April 7, 2024" / "By Jane Doe | Apr 7, 2024 - 16:10": a person, then a date.
        for sep in _BYLINE_SEPARATOR.finditer(line, 3):
            if _parse_date_text(line[sep.end():]):
                head = _PERSON_CREDIT.match(line[: sep.start()])
                if head and not head.group("org"):
                    m = head
                break
        if m is None:
            return None
    people = m.group("people").strip()
    words = people.split()
    if not 2 <= len(words) <= 9 or words[-1].lower() in ("and", "&"):
        return None
    if people.lower().split()[0] in ("the", "our", "staff"):
        return None
    org = (m.group("org") or "").strip()
    outlet = None
    if org and _parse_date_text(org) is None and not _DIGIT.search(org):
        if _looks_like_outlet(org) or _DOMAIN_RE.match(org):
            outlet = clean_outlet_name(org)
    elif org:
        org = ""
    return people, outlet


def _wire_dateline(line: str) -> tuple[str | None, dt.date | None] | None:
    m = _WIRE_DATELINE.match(line)
    if m is None:
        return None
    agency = m.group("agency")
    outlet = clean_outlet_name(agency) if _looks_like_outlet(agency) else None
    date = None
    rest = m.group("rest") or ""
    # The date is the part after one of the commas: "KYIV, Ukraine, April 7, 2024".
    for comma in re.finditer(",", rest):
        date = _parse_date_text(rest[comma.end():])
        if date:
            break
    return outlet, date


def _site_dateline(line: str) -> tuple[str | None, dt.date | None] | None:
    m = _SITE_DATELINE.match(line)
    if m is None:
        return None
    date = _parse_date_text(m.group("date"))
    site = m.group("site")
    outlet = clean_outlet_name(site) if _looks_like_outlet(site) else None
    if date is None and outlet is None:
        return None
    return outlet, date


def _footer_outlet(line: str) -> str | None:
    if len(line) > _SHORT_LINE:
        return None
    for pattern in (_CLICK_FOR_MORE, _BRINGS_YOU):
        m = pattern.match(line)
        if m:
            return clean_outlet_name(m.group("name"))
    return None


def _copyright_outlet(line: str) -> str | None:
    if len(line) > _SHORT_LINE:
        return None
    m = _COPYRIGHT.match(line)
    if m is None:
        return None
    rest = m.group("rest")
    end = _NAME_END.search(rest)
    name = rest[: end.start()] if end else rest
    return clean_outlet_name(name)


def _byline_date(line: str) -> dt.date | None:
    if len(line) > _SHORT_LINE or not _BYLINE_START.match(line):
        return None
    for sep in _BYLINE_SEPARATOR.finditer(line, 3):
        date = _parse_date_text(line[sep.end():])
        if date:
            return date
    return None


# --------------------------------------------------------------------------------------------
# Front matter (Markdown files from static-site generators)

_FRONT_MATTER_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
_FM_TITLE_KEYS = ("title",)
_FM_DATE_KEYS = ("date", "published", "publish_date", "pubdate", "published_at", "date_published")
_FM_OUTLET_KEYS = ("outlet", "publisher", "publication", "site_name", "source", "site")
_FM_URL_KEYS = ("url", "canonical_url", "link", "source_url")


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """YAML-style ``---`` front matter: its simple ``key: value`` pairs and the first line after."""
    if not lines or lines[0] != "---":
        return {}, 0
    values: dict[str, str] = {}
    for i in range(1, min(len(lines), 60)):
        if lines[i] in ("---", "..."):
            return (values, i + 1) if values else ({}, 0)
        m = _FRONT_MATTER_KEY.match(lines[i])
        if m:
            value = m.group("value")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            values.setdefault(m.group("key").lower(), value.strip())
    return {}, 0  # no closing line: not front matter


def _first_value(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if values.get(key):
            return values[key]
    return None


# --------------------------------------------------------------------------------------------
# Titles

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.*?)(?:\s+#+)?$")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(?P<text>.+)\1$")
_SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)$")
# A sentence boundary inside a line: "... attacked. Ukraine ..." (not "U.S. Says", "Mr. Smith").
_SENTENCE_BREAK = re.compile(
    r"(?<![A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSr)(?<!\bvs)(?<!\bNo)(?<!\bMrs)"
    r"(?<!\bGen)(?<!\bSen)(?<!\bRep)(?<!\bGov)(?<!\bCol)(?<!\bInc)(?<!\bLtd)(?<!\bProf)"
    r"(?<=\w)[.!?][\"'\u201d\u2019]?\s+[\"'\u201c\u2018]?[A-Z]"
)
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St|etc)\.$")
_WRAP_WORDS = frozenset("the a an of and or to in for with on at by from that as is was".split())
_BOILERPLATE_LINES = frozenset(
    ("home", "menu", "skip to content", "skip to main content", "search", "advertisement",
     "share", "print", "close", "main menu", "toggle navigation", "sign in", "log in")
)  # fmt: skip


def _clean_heading(line: str) -> str:
    m = _MARKDOWN_HEADING.match(line)
    if m:
        line = m.group("text")
    m = _EMPHASIS.match(line)
    if m:
        line = m.group("text")
    return " ".join(line.split())


def _is_dateline_start(line: str) -> bool:
    return bool(_SITE_DATELINE.match(line) or _WIRE_DATELINE.match(line) or _credit_dateline(line))


def _heading_like(line: str, *, standalone: bool, next_line: str) -> bool:
    """Whether ``line`` reads as a headline rather than prose, a byline or a date."""
    if standalone:
        max_chars, max_words = STANDALONE_TITLE_MAX_CHARS, STANDALONE_TITLE_MAX_WORDS
    else:
        max_chars, max_words = TITLE_MAX_CHARS, TITLE_MAX_WORDS
    if len(line) > max_chars or not any(c.isalpha() for c in line):
        return False
    words = line.split()
    if len(words) > max_words:
        return False
    if _is_dateline_start(line) or _parse_date_line(line) or _byline_outlet(line) or _PERSON_BYLINE.match(line):
        return False
    if line[-1] in ",;:-\u2013\u2014\u2026" or line.endswith(".."):
        return False
    if _SENTENCE_BREAK.search(line):
        return False
    ends_sentence = line[-1] == "." and not line.endswith(" .") and not _ABBREVIATION_END.search(line)
    if ends_sentence and not (standalone and (len(words) <= _SENTENCE_TITLE_MAX_WORDS or line[0].islower())):
        # A one-sentence lede paragraph, not a headline. (All-lowercase text is normalised
        # data, such as Cranfield's titles, not prose.)
        return False
    if not standalone:
        if next_line[:1].islower():  # the paragraph goes on: a hard-wrapped line
            return False
        if words[-1].lower() in _WRAP_WORDS:
            return False
    return True


def _title_from_lines(lines: list[str]) -> str | None:
    """The headline among the top lines (front matter already removed)."""
    content = [i for i, line in enumerate(lines) if line and _ALNUM.search(line)]
    # Skip navigation boilerplate ("Skip to content") before the headline.
    while content and lines[content[0]].lower().rstrip(".") in _BOILERPLATE_LINES:
        content.pop(0)
    if not content:
        return None
    first_index = content[0]
    if len(lines[first_index]) > 2 * STANDALONE_TITLE_MAX_CHARS:
        return None  # a paragraph, and too long to be a breadcrumb
    first = _clean_heading(lines[first_index])

    def standalone_at(i: int) -> tuple[bool, str]:
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _SETEXT_UNDERLINE.match(following):
            return True, ""
        return following == "", following

    # A breadcrumb ("Home SECURITY & DEFENCE <title>") repeats the real title a few lines on.
    if len(first) <= 2 * STANDALONE_TITLE_MAX_CHARS:
        for i in content[1:11]:
            if len(lines[i]) >= len(first) + 8:  # (room for a Markdown "# ")
                continue
            candidate = _clean_heading(lines[i])
            if (
                len(candidate) >= 15
                and len(candidate.split()) >= 3
                and len(candidate) < len(first)
                and first.endswith(" " + candidate)
            ):
                standalone, following = standalone_at(i)
                if _heading_like(candidate, standalone=standalone, next_line=following):
                    return candidate
    standalone, following = standalone_at(first_index)
    if _heading_like(first, standalone=standalone, next_line=following):
        return first
    return None


# --------------------------------------------------------------------------------------------
# Inference


@dataclass(frozen=True)
class _Lines:
    """The parts of an article inference reads."""

    front: dict[str, str]
    head: list[str]  # top lines after any front matter, blanks included
    head_nonempty: list[str]
    tail: list[str]  # last non-empty lines
    #: (outlet, date) of the first dateline ("(Outlet, Apr08'24) —", "KYIV (AP) —") near the top.
    dateline: tuple[str | None, dt.date | None]

    @classmethod
    def of(cls, text: str) -> _Lines:
        head = _head_lines(text)
        front, body_start = _front_matter(head)
        head = head[body_start:]
        nonempty = [line for line in head if line]
        dateline: tuple[str | None, dt.date | None] = (None, None)
        for line in nonempty[:DATE_LINE_WINDOW]:
            found = _site_dateline(line) or _wire_dateline(line) or _credit_dateline(line)
            if found:
                dateline = found
                break
        return cls(front, head, nonempty, _tail_lines(text), dateline)


_TITLE_PARTS = re.compile(r"\s+\|\s+|\s+[\u2013\u2014]\s+|\s+-\s+")


def _split_title_line(title: str) -> tuple[str, str | None]:
    """"Headline | The Guardian | World news" -> ("Headline", "The Guardian"): a title line
    that names its outlet in one of its parts."""
    parts = [p.strip() for p in _TITLE_PARTS.split(title) if p.strip()]
    if len(parts) < 2:
        return title, None
    for i, part in enumerate(parts[1:], 1):
        if len(part.split()) <= 5 and _looks_like_outlet(part):
            name = clean_outlet_name(part)
            if name:
                rest = [p for j, p in enumerate(parts) if j != i]
                headline = max(rest, key=len) if " | " in title else parts[0]
                if len(headline.split()) >= 3:
                    return headline, name
    return title, None


def _title(lines: _Lines) -> str | None:
    fm_title = _first_value(lines.front, _FM_TITLE_KEYS)
    if fm_title:
        return " ".join(fm_title.split())
    title = _title_from_lines(lines.head)
    return _split_title_line(title)[0] if title else None


def _author(lines: _Lines) -> str | None:
    fm_author = _first_value(lines.front, ("author", "byline", "authors"))
    if fm_author:
        return " ".join(fm_author.split())
    for line in lines.head_nonempty[:DATE_LINE_WINDOW]:
        found = _person_credit(line)
        if found:
            return found[0]
    return None


def _outlet_candidates(lines: _Lines) -> Iterator[str]:
    """Outlet names the text states, strongest first: front matter, dateline, bylines, a
    person's credit line, the title's "| Outlet" part, the copyright line, the footer."""
    front = _first_value(lines.front, _FM_OUTLET_KEYS)
    title = _title_from_lines(lines.head)
    credits = (_person_credit(line) for line in lines.head_nonempty[:DATE_LINE_WINDOW])
    names = chain(
        (clean_outlet_name(front) if front else None, lines.dateline[0]),
        map(_byline_outlet, lines.head_nonempty),
        (credit[1] if credit else None for credit in credits),
        (_split_title_line(title)[1] if title else None,),
        map(_copyright_outlet, lines.tail),
        map(_footer_outlet, lines.tail),
    )
    return (name for name in names if name)


def _outlet(lines: _Lines) -> str | None:
    candidates = _outlet_candidates(lines)
    first = next(candidates, None)
    if first is None:
        return None
    # Another spelling of the same outlet with more spaces is the readable one:
    # byline "EUTODAY Correspondents" + footer "EU Today" -> "EU Today".
    best = first
    key = _outlet_key(first)
    for other in candidates:
        if _outlet_key(other) == key and other.count(" ") > best.count(" "):
            best = other
    return best


def _date(lines: _Lines) -> dt.date | None:
    fm_date = _first_value(lines.front, _FM_DATE_KEYS)
    if fm_date:
        date = _parse_date_text(fm_date)
        if date:
            return date
    if lines.dateline[1]:
        return lines.dateline[1]
    head = lines.head_nonempty
    updated: dt.date | None = None
    for index, line in enumerate(head):
        parsed = _parse_date_line(line)
        if parsed is not None:
            date, is_update = parsed
            label = _DATE_LABEL.match(line)
            labelled = bool(label and label.group("label"))
            if index >= DATE_LINE_WINDOW and not labelled:
                continue  # a bare date far down is a list of related stories, not this one's
            if is_update:
                updated = updated or date
                continue
            return date
        date = _byline_date(line) if index < DATE_LINE_WINDOW else None
        if date:
            return date
    for line in lines.tail:  # only labelled dates at the bottom: "Published: 7 April 2024"
        label = _DATE_LABEL.match(line)
        if label is None or not label.group("label"):
            continue
        parsed = _parse_date_line(line)
        if parsed is not None:
            if not parsed[1]:
                return parsed[0]
            updated = updated or parsed[0]
    return updated


_COMPACT_DATE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T?\d{2,6}Z?)?$")  # GDELT 20240407T123000Z


# "04/05/2024", "4-5-24 10:00": day and month in an order only the data's author knows.
_NUMERIC_DATE = re.compile(r"^(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<y>\d{4}|\d{2})(?:[ T,].*)?$")
#: date_format shorthands for numeric dates (a strftime pattern such as "%d/%m/%Y" works too).
DATE_ORDERS = ("DMY", "MDY")


def check_date_format(date_format: str) -> str | None:
    """Why ``date_format`` (metadata.toml's [formats.*]) is unusable, or None."""
    if date_format.upper() in DATE_ORDERS:
        return None
    if "%" in date_format and all(c in date_format for c in ("%d", "%m")) and ("%Y" in date_format or "%y" in date_format):
        try:
            dt.datetime.strptime(dt.date(2024, 4, 5).strftime(date_format), date_format)
        except ValueError:
            return f"date_format '{date_format}' is not a date pattern"
        return None
    return f'date_format is "DMY", "MDY" or a pattern like "%d/%m/%Y", not \'{date_format}\''


def date_readings(value: str) -> list[dt.date]:
    """The dates a numeric date could be: one for "13/05/2024" or "05/05/2024", two for
    "04/05/2024" (4 May or April 5), none for anything else. Years of two digits are 20xx."""
    m = _NUMERIC_DATE.match(" ".join(value.split()))
    if m is None:
        return []
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    year += 2000 if year < 100 else 0
    readings = {_valid_date(year, month, day) for day, month in ((a, b), (b, a))}
    return sorted(d for d in readings if d is not None)


def ambiguous_date(value: Any) -> bool:
    """Whether a field holds a numeric date whose day and month could be either way round."""
    return isinstance(value, str) and len(date_readings(value)) == 2


def _numeric_date(s: str, date_format: str | None) -> dt.date | None:
    """"25/12/2024", "12/25/2024": the one reading that is a date; "04/05/2024" only with a
    date_format saying which ("DMY", "MDY" or a strftime pattern)."""
    if date_format and "%" in date_format:
        for candidate in (s, s.split(" ")[0].split("T")[0]):
            try:
                return dt.datetime.strptime(candidate, date_format).date()
            except ValueError:
                continue
        return None
    m = _NUMERIC_DATE.match(s)
    if not m:
        return None
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    year += 2000 if year < 100 else 0
    order = (date_format or "").upper()
    if order == "DMY":
        return _valid_date(year, b, a)
    if order == "MDY":
        return _valid_date(year, a, b)
    readings = date_readings(s)
    return readings[0] if len(readings) == 1 else None  # two readings: the caller says so


def parse_date_value(value: Any, date_format: str | None = None) -> dt.date | None:
    """A publication date given as a record's field: ISO ("2024-04-07T10:00:00Z", written
    day kept as is), compact ("20240407T123000Z"), an e-mail style date, a Unix time in
    seconds or milliseconds, a written date ("April 7, 2024"), or a numeric one ("25/12/2024";
    "04/05/2024" only with ``date_format``, see :func:`ambiguous_date`)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        try:
            date = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
        return date if _EARLIEST_YEAR <= date.year <= _LATEST_YEAR else None
    if isinstance(value, Mapping):
        for key in ("$date", "date", "value"):
            if key in value:
                return parse_date_value(value[key], date_format)
        return None
    s = " ".join(str(value).split())
    if not s or len(s) > 80:
        return None
    if date_format or _NUMERIC_DATE.match(s):
        numeric = _numeric_date(s, date_format)
        if numeric is not None or _NUMERIC_DATE.match(s):
            return numeric
    if s.isdigit() and len(s) in (10, 13):
        return parse_date_value(int(s))
    m = _COMPACT_DATE.match(s)
    if m:
        return _valid_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    found = _date_at(s, 0)
    if found is not None:
        return found[0]
    parsed = _parse_date_text(s)
    if parsed:
        return parsed
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    return when.date() if when and _EARLIEST_YEAR <= when.year <= _LATEST_YEAR else None


def infer_title(text: str) -> str | None:
    """The headline: a heading-like first line (or the title a breadcrumb line repeats)."""
    return _title(_Lines.of(text))


def infer_outlet(text: str) -> str | None:
    """The outlet the text names in a dateline, a newsroom byline, a copyright line or footer."""
    return _outlet(_Lines.of(text))


def infer_date(text: str) -> dt.date | None:
    """The publication date the text states in a dateline or a date line near the top."""
    return _date(_Lines.of(text))


def infer(text: str) -> ArticleMeta:
    """Everything the text supports, each value marked as coming from the text."""
    lines = _Lines.of(text)
    title = _title(lines)
    outlet = _outlet(lines)
    date = _date(lines)
    url = _first_value(lines.front, _FM_URL_KEYS)
    author = _author(lines)
    return ArticleMeta(
        title=title,
        title_source=SOURCE_TEXT if title else SOURCE_NONE,
        outlet=outlet,
        outlet_source=SOURCE_TEXT if outlet else SOURCE_NONE,
        date=date,
        date_source=SOURCE_TEXT if date else SOURCE_NONE,
        url=url or None,
        url_source=SOURCE_TEXT if url else SOURCE_NONE,
        author=author,
        author_source=SOURCE_TEXT if author else SOURCE_NONE,
    )


def merge(inferred: ArticleMeta, entry: Mapping[str, Any] | None) -> ArticleMeta:
    """Values from metadata.toml override inference; an empty string there clears a value."""
    if not entry:
        return inferred
    changes: dict[str, Any] = {}
    for key in ("title", "outlet", "date", "url", "author", "lang"):
        if key in entry:
            value = entry[key]
            changes[key] = value
            changes[f"{key}_source"] = SOURCE_METADATA if value is not None else SOURCE_NONE
    return replace(inferred, **changes)


def describe(article: Article, entry: Mapping[str, Any] | None,
             outlets: Mapping[str, str] | None = None) -> ArticleMeta:
    """The metadata of one document: the user's ``entry`` (metadata.toml) wins, then the
    user's ``outlets`` map (registered domain of the document's URL -> outlet name), then
    what the reader found in the file (markup, headers, record fields), then inference
    from the text."""
    inferred = infer(article.text) if article.infer else ArticleMeta()
    found: dict[str, Any] = {}
    for key in ("title", "outlet", "date", "url", "author"):
        hint = getattr(article, key)
        if hint is not None and hint.value:
            found[key] = hint.value
            found[f"{key}_source"] = hint.source
    if article.page_starts:
        found["page_starts"] = tuple(article.page_starts)
    if article.captured:
        found["captured"] = article.captured
    meta = replace(inferred, **found) if found else inferred
    if not (entry and "lang" in entry):
        from .language import choose

        declared = article.lang
        lang, lang_source = choose(declared.value if declared else None, declared.source if declared else "",
                                   article.text)
        meta = replace(meta, lang=lang, lang_source=lang_source)
    if outlets and meta.url:
        outlet = next((outlets[d] for d in _domains_of(meta.url) if d in outlets), None)
        if outlet:
            meta = replace(meta, outlet=outlet, outlet_source=SOURCE_METADATA)
    return merge(meta, entry)


def _domains_of(url: str) -> list[str]:
    """The URL's host without "www." and every parent down to its registered domain
    ("news.bbc.co.uk", "bbc.co.uk"): the user's [outlets] map may name any of them."""
    from .domains import registered_domain

    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.IGNORECASE).split("/")[0].split(":")[0].lower()
    host = host.removeprefix("www.")
    registered = registered_domain(url)
    out = []
    while host and "." in host:
        out.append(host)
        if host == registered:
            break
        host = host.split(".", 1)[1]
    return out
