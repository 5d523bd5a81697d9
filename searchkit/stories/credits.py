"""Outlet/agency credits: who an article says its information comes from.

A credit is a mention of a news outlet or agency in a *credit context* ("according to X",
"citing X", "X reported", "told X", "as per X", "X's sources", ": X Report", "CITY (X) -",
coordinations "told the AP and Bloomberg", anaphora "the outlets", "the Journal", "this report").
Never a credit: the article's own outlet (byline, dateline, footer, self-promotion), persons,
officials, "reports said". Mentions are found from a built-in lexicon of outlets with aliases,
the outlets publishing in the corpus, domain names and outlet-shaped names ("... Herald").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# canonical name -> aliases (case-sensitive as written in text; domains matched lower-case)
_LEXICON: dict[str, tuple[str, ...]] = {
    "Associated Press": ("AP", "Associated Press", "The Associated Press", "AP News", "apnews.com"),
    "Reuters": ("Reuters", "reuters.com", "Thomson Reuters"),
    "Agence France-Presse": ("AFP", "Agence France-Presse", "Agence France Presse", "France-Presse", "France Presse"),
    "Bloomberg": ("Bloomberg", "Bloomberg News", "bloomberg.com"),
    "Financial Times": ("Financial Times", "FT", "ft.com"),
    "The Wall Street Journal": ("Wall Street Journal", "WSJ", "wsj.com"),
    "The New York Times": ("New York Times", "NYT", "nytimes.com", "NY Times"),
    "The Washington Post": ("Washington Post", "washingtonpost.com"),
    "BBC": ("BBC", "BBC News", "bbc.com", "bbc.co.uk"),
    "CNN": ("CNN", "cnn.com"),
    "The Guardian": ("Guardian", "theguardian.com"),
    "The Telegraph": ("Telegraph", "Daily Telegraph", "telegraph.co.uk"),
    "The Times": ("The Times of London", "thetimes.co.uk"),
    "The Economist": ("Economist", "economist.com"),
    "The Independent": ("independent.co.uk",),
    "Politico": ("Politico", "POLITICO", "politico.com", "politico.eu"),
    "Axios": ("Axios", "axios.com"),
    "Al Jazeera": ("Al Jazeera", "aljazeera.com"),
    "Al Arabiya": ("Al Arabiya",),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "TASS": ("TASS", "Tass", "tass.com", "tass.ru"),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "Interfax": ("Interfax", "Interfax-Ukraine"),
    "Ukrainska Pravda": ("Ukrainska Pravda", "pravda.com.ua", "Ukrainian Pravda"),
    "Kyiv Independent": ("Kyiv Independent", "kyivindependent.com"),
    "Kyiv Post": ("Kyiv Post", "kyivpost.com"),
    "Ukrinform": ("Ukrinform",),
    "Meduza": ("Meduza",),
    "Nikkei": ("Nikkei", "Nikkei Asia"),
    "South China Morning Post": ("South China Morning Post", "SCMP", "scmp.com"),
    "Le Monde": ("Le Monde",),
    "Der Spiegel": ("Der Spiegel", "Spiegel"),
    "Deutsche Welle": ("Deutsche Welle", "DW"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Kyodo News": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "NHK": ("NHK",),
    "CNBC": ("CNBC",),
    "Fox News": ("Fox News",),
    "NBC News": ("NBC News", "NBC"),
    "ABC News": ("ABC News",),
    "CBS News": ("CBS News", "CBS"),
    "NPR": ("NPR",),
    "Sky News": ("Sky News",),
    "Forbes": ("Forbes", "forbes.com"),
    "Business Insider": ("Business Insider", "Insider"),
    "Newsweek": ("Newsweek",),
    "The Hill": ("The Hill",),
    "USA Today": ("USA Today",),
    "Los Angeles Times": ("Los Angeles Times", "LA Times"),
    "Euronews": ("Euronews",),
    "Radio Free Europe/Radio Liberty": ("Radio Free Europe", "RFE/RL", "Radio Liberty"),
    "Voice of America": ("Voice of America", "VOA"),
    "Global Times": ("Global Times",),
    "China Daily": ("China Daily",),
    "Sputnik": ("Sputnik",),
    "Kommersant": ("Kommersant",),
    "Vedomosti": ("Vedomosti",),
    "Izvestia": ("Izvestia",),
    "Le Figaro": ("Le Figaro",),
    "El País": ("El País", "El Pais"),
    "Haaretz": ("Haaretz",),
    "Times of India": ("Times of India",),
    "Anadolu Agency": ("Anadolu Agency", "Anadolu"),
    "Press Trust of India": ("Press Trust of India", "PTI"),
    "Caixin": ("Caixin",),
    "Semafor": ("Semafor",),
    "Radio Free Asia": ("Radio Free Asia", "RFA"),
    "Tibetan Review": ("Tibetan Review", "tibetanreview.net", "TibetanReview.net"),
    "Euromaidan Press": ("Euromaidan Press", "euromaidanpress.com"),
    "EU Today": ("EU Today", "EUToday", "eutoday.net"),
}

_HEAD_NOUNS = (
    "News|Times|Post|Journal|Herald|Press|Gazette|Tribune|Telegraph|Guardian|Chronicle|Observer|"
    "Review|Daily|Weekly|Monitor|Reporter|Wire|Agency|Radio|Television|TV|Network|Media|Insider|"
    "Today|Courier|Dispatch|Bulletin|Examiner|Inquirer|Register|Sentinel|Standard|Mercury|Ledger|"
    "Leader|Express|Mirror|Star|Record|Digest|Report|Newswire|Broadcasting|Online"
)
_GENERIC = re.compile(
    r"(?<![\w.])(?:(?:The|the)\s+)?((?:[A-Z][\w&'’.-]*\s+){1,3}(?:" + _HEAD_NOUNS + r"))(?![\w-])"
)
_DOMAIN = re.compile(
    r"(?<![\w.@/])([A-Za-z0-9][A-Za-z0-9-]{1,40}(?:\.[A-Za-z0-9-]{2,40})*\."
    r"(?:com|net|org|co\.uk|org\.uk|com\.ua|ua|ru|de|fr|in|info|news|io|eu|ca|au|it|es|pl|jp|cn|kr))(?![\w.-]*\w)"
)
_WORD = re.compile(r"[^\W_](?:[\w&/-]|['’.](?=[^\W_]))*")
_ANAPHORA = re.compile(
    r"(?<![\w-])(?:the|The|both|Both|these|These)\s+(outlets|outlet|newspapers|newspaper|papers|paper|agencies|agency|"
    r"news agency|broadcaster|publications|publication|daily|wire service|Journal|Times|Post|Telegraph|Guardian|Herald)(?![\w-])"
    r"|(?<![\w-])(?:this|This|that|That)\s+(report)(?![\w-])"
)
_PLURAL = {"outlets", "newspapers", "papers", "agencies", "publications"}

_CUE_VERBS = (
    r"reported|reports|report|reporting|said|says|wrote|writes|revealed|reveals|highlighted|highlights|"
    r"noted|notes|found|finds|learned|learnt|cited|cites|quoted|quotes|claimed|claims|stated|states|"
    r"confirmed|confirms|published|publishes|added|adds|obtained|reviewed|disclosed|discloses|described|"
    r"sources?|calculated|estimated|estimates|analysis|investigation|article|story|citing|quoting|"
    r"reporters?|journalists?|correspondents?|broke|breaks|exclusive|understands|has learned|first reported"
)
_POST_CUE = re.compile(
    r"^(?:['’]s)?\s*(?:\([^)]{0,40}\)\s*)?(?:,\s*(?:citing|quoting)\s[^,.;]{0,80},\s*)?"
    r"(?:(?:has|have|had|was|were|is|are|first|also|later|previously|earlier|exclusively|then|separately|"
    r"initially|on\s+\w+|on\s+\w+\s+\d+|in\s+\w+|\w+ly)\s+){0,3}(?:" + _CUE_VERBS + r")\b",
    re.IGNORECASE,
)
_PRE_CUE = re.compile(
    r"(?:\baccording\s+to|\bciting|\bcited|\bcites|\bquoted\s+by|\breported\s+by|\bas\s+per|\bper|"
    r"\btold|\btelling|\btells|\btell|\bsaid\s+to|\bsuggested\s+to|\bconfirmed\s+to|\bspeaking\s+to|\bspoke\s+to|"
    r"\bspeaking\s+with|\binterview\s+with|\binterviews\s+with|\bwrote\s+in|\bwriting\s+in|\bpublished\s+(?:in|by)|"
    r"\bappeared\s+in|\breports?\s+by|\breported|\breports|\bquoting|\bvia|\bin\s+an?\s+(?:report|article|story|interview)\s+(?:by|in|with|for)|"
    r"\bby|\bin|\bfrom|\bof)\s+(?:the\s+|a\s+|an\s+|The\s+)?(?:US\s+|U\.S\.\s+|British\s+|American\s+|German\s+|French\s+|Russian\s+|Chinese\s+|"
    r"Ukrainian\s+|Japanese\s+|Indian\s+|business\s+|news\s+|financial\s+|wire\s+|state\s+|state-run\s+|state-owned\s+|"
    r"daily\s+|weekly\s+|newspaper\s+|outlet\s+|agency\s+|broadcaster\s+|magazine\s+)*$",
    re.IGNORECASE,
)
# "by/in/from/of" alone are too common: they count only with a report-noun after the mention
_WEAK_PRE = re.compile(r"(?:\bby|\bin|\bfrom|\bof)\s+(?:the\s+|a\s+|an\s+)?[\w\s.-]*$", re.IGNORECASE)
_REPORT_NOUN_AFTER = re.compile(r"^(?:['’]s)?\s+(?:report|reporting|article|story|analysis|investigation|interview|sources?)\b", re.IGNORECASE)
_PRE_LIST = re.compile(
    r"(?:\bciting|\baccording\s+to|\btold|\bcited|\bquoting)\s+[^.;:!?]{0,60}?(?:\s+and|,|\s*&)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CONJ = re.compile(r"^\s*(?:,\s*)?(?:and|&|or|,)\s+(?:the\s+)?$", re.IGNORECASE)
_DATELINE = re.compile(r"(?:^|[A-Z][A-Za-z .'-]{1,40}\s?)\(\s*$")
_DATELINE_AFTER = re.compile(r"^\s*\)\s*[-—–:]")
_HEADLINE_SUFFIX_PRE = re.compile(r"[:|–—-]\s*$")
# An outlet naming itself: byline, dateline with a date, footer, self-promotion.
_SELF_PRE = re.compile(
    r"(?:\bby|\bBy|©|\(c\)|\bcopyright|\bCopyright|\bmore\s+(?:\w+\s+){0,6}at|\bat|\bon|\bfrom\s+the\s+team\s+at|\bsubscribe\s+to|"
    r"\bfollow|\bjoin|\bsupport|\bwelcome\s+to|\bRead\s+more\s+on|\bthanks\s+for\s+reading)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SELF_POST = re.compile(
    r"^\s*(?:staff|correspondents?|reporters?|editors?|editorial|team|newsroom|desk|wires?\s+staff|"
    r"brings\s+you|is\s+an?\s+independent|is\s+a\s+reader|all\s+rights|,\s*[A-Z][a-z]{2}\s*\d|,\s*\d|\s*\d{4})",
    re.IGNORECASE,
)


_THE = re.compile(r"^the\s+")
_TLD = re.compile(r"\.(?:com|net|org|co\.uk|org\.uk|com\.ua|ua|ru|de|fr|in|info|news|io|eu|ca|au|it|es|pl|jp|cn|kr)$")
_WWW = re.compile(r"^www\.")
_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65536)
def squash(name: str) -> str:
    """Comparison key of an outlet name: letters/digits only, lower-case, no 'the', no TLD."""
    n = name.casefold().strip()
    n = _THE.sub("", n)
    n = _TLD.sub("", n)
    n = _WWW.sub("", n)
    return _NOT_WORD.sub("", n)


@dataclass(frozen=True, slots=True)
class Credit:
    """One outlet credited by an article: canonical source name, char span of the mention."""
    source: str
    start: int
    end: int


class Lexicon:
    """Outlet names: built-in aliases plus the corpus's own outlets (and caller extras)."""

    def __init__(self, extra: dict[str, tuple[str, ...]] | None = None, outlets=()):
        self.canon_by_key: dict[str, str] = {}
        self.aliases: dict[str, str] = {}  # alias text as written -> canonical
        for canon, al in _LEXICON.items():
            self._add(canon, al)
        for canon, al in (extra or {}).items():
            self._add(canon, tuple(al))
        for o in outlets:
            if o:
                self.add_outlet(o)

    def _add(self, canon: str, aliases) -> None:
        self.canon_by_key.setdefault(squash(canon), canon)
        self.aliases.setdefault(canon, canon)
        for a in aliases:
            self.aliases.setdefault(a, canon)
            k = squash(a)
            if len(k) >= 4 or a.isupper():
                self.canon_by_key.setdefault(k, canon)
        self._rx = None
        self._first: dict[str, int] | None = None

    def add_outlet(self, name: str) -> str:
        """A publishing outlet of the corpus: known by its name as given (and without 'The')."""
        n = name.strip()
        if not n:
            return n
        if n in self.aliases:
            return self.aliases[n]
        c = self.canon_by_key.get(squash(n))
        if c is None:
            self._add(n, (n, re.sub(r"^(?:the|The)\s+", "", n)))
            return n
        self.aliases.setdefault(n, c)
        self._rx = None
        self._first = None
        return c

    def canonical(self, name: str) -> str:
        n = name.strip()
        if n in self.aliases:
            return self.aliases[n]
        n2 = re.sub(r"^(?:the|The)\s+", "", n)
        if n2 in self.aliases:
            return self.aliases[n2]
        return self.canon_by_key.get(squash(n), n)

    def known(self, name: str) -> bool:
        n = re.sub(r"^(?:the|The)\s+", "", name.strip())
        return n in self.aliases or squash(n) in self.canon_by_key

    def first_words(self) -> dict[str, int]:
        """First word of every alias -> the most words an alias starting with it has."""
        if self._first is None:
            fw: dict[str, int] = {}
            for a in self.aliases:
                ws = a.split()
                if ws:
                    fw[ws[0]] = max(fw.get(ws[0], 0), len(ws))
            self._first = fw
        return self._first

    def regex(self):
        if self._rx is None:
            names = sorted(self.aliases, key=lambda s: (-len(s), s))
            self._rx = re.compile(
                r"(?<![\w.@/-])(?:(?:the|The)\s+)?(" + "|".join(re.escape(n) for n in names) + r")(?![\w-]|\.\w)"
            )
        return self._rx

    def to_data(self):
        return {c: a for c, a in self._extra_data()}

    def _extra_data(self):
        by: dict[str, list[str]] = {}
        for a, c in self.aliases.items():
            by.setdefault(c, []).append(a)
        return [(c, sorted(v)) for c, v in sorted(by.items())]


def _mentions(text: str, lex: Lexicon):
    """[(start, end, canonical, kind)] non-overlapping; lexicon first, then domains, generic names."""
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    # lexicon names: word n-grams looked up by their first word (a regex alternation of
    # hundreds of names is far slower)
    first = lex.first_words()
    aliases = lex.aliases
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    i, nw = 0, len(words)
    while i < nw:
        s0, e0, w0 = words[i]
        base = w0[:-2] if w0.endswith(("’s", "'s")) else w0
        maxn = max(first.get(w0, 0), first.get(base, 0))
        hit = None
        for n in range(min(maxn, nw - i), 0, -1):
            e = words[i + n - 1][1]
            seg = text[s0:e]
            key = " ".join(seg.split()) if n > 1 else w0
            if "\n\n" in seg:
                continue
            if key in aliases:
                hit = (s0, e, aliases[key], n)
                break
            if key.endswith(("’s", "'s")) and key[:-2] in aliases:
                hit = (s0, e - 2, aliases[key[:-2]], n)
                break
        if hit:
            found.append((hit[0], hit[1], hit[2], "lex"))
            taken.append((hit[0], hit[1]))
            i += hit[3]
        else:
            i += 1
    for m in _DOMAIN.finditer(text):
        s, e = m.span(1)
        if free(s, e):
            found.append((s, e, lex.canonical(m.group(1)), "domain"))
            taken.append((s, e))
    for m in _GENERIC.finditer(text):
        s, e = m.span()
        name = m.group(1)
        if not free(s, e):
            continue
        first_word = name.split()[0]
        if first_word in ("The", "A", "An", "This", "That", "In", "On", "At", "By", "For", "According", "Citing", "As", "Of"):
            continue
        found.append((s, e, lex.canonical(name), "generic"))
        taken.append((s, e))
    found.sort()
    return found


def extract_credits(text: str, own_outlet: str | None, lex: Lexicon, sentences: list[tuple[int, int]]) -> list[Credit]:
    """Credits of one article; offsets into `text`."""
    own = squash(own_outlet) if own_outlet else None
    own_canon = squash(lex.canonical(own_outlet)) if own_outlet else None
    mentions = _mentions(text, lex)
    if not mentions and not _ANAPHORA.search(text):
        return []
    # sentence index of a char offset
    starts = [s for s, _ in sentences]

    def sent_of(pos):
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] <= pos:
                lo = mid + 1
            else:
                hi = mid
        i = max(0, lo - 1)
        return i

    def bounds(i):
        if not sentences:
            return 0, len(text)
        return sentences[i]

    out: list[tuple[int, int, str, int, int]] = []  # start, end, source, sentence, group
    # group coordinated mentions ("the AP and Bloomberg")
    groups: list[list[int]] = []
    for k, (s, e, canon, kind) in enumerate(mentions):
        if groups and _CONJ.match(text[mentions[groups[-1][-1]][1]:s]) and sent_of(s) == sent_of(mentions[groups[-1][-1]][0]):
            groups[-1].append(k)
        else:
            groups.append([k])

    def is_self(s, e, canon):
        k = squash(canon)
        if own and (k == own or k == own_canon or squash(text[s:e]) in (own, own_canon)):
            return True
        ss, _ = bounds(sent_of(s))
        pre = text[max(ss, s - 40):s]
        post = text[e:e + 40]
        if _SELF_PRE.search(pre) and (own is None or kind_self_context(pre, post)):
            return True
        if _SELF_POST.match(post) and not _POST_CUE.match(post):
            return True
        return False

    def kind_self_context(pre, post):
        # with a known own outlet, "by/at X" about another outlet is not self-reference,
        # unless it is a byline/footer form
        return bool(re.search(r"(?:\bby|©|copyright)\s+(?:the\s+)?$", pre, re.IGNORECASE)) and bool(
            _SELF_POST.match(post) or not post.strip() or post.lstrip()[:1] in ("\n", "|", "-")
        )

    for gi, grp in enumerate(groups):
        first_s = mentions[grp[0]][0]
        last_e = mentions[grp[-1]][1]
        si = sent_of(first_s)
        ss, se = bounds(si)
        pre = text[max(ss, first_s - 90):first_s]
        post = text[last_e:min(se, last_e + 120)] if se > last_e else text[last_e:last_e + 120]
        cue = bool(_POST_CUE.match(post)) or bool(_PRE_LIST.search(pre))
        if not cue and _PRE_CUE.search(pre):
            strong = not _WEAK_PRE.search(pre[-30:]) or re.search(
                r"(?:according\s+to|citing|cited|told|per|reported|reports|quoting|via|said\s+to|suggested\s+to|confirmed\s+to|"
                r"speaking\s+(?:to|with)|spoke\s+to|interviews?\s+with|wrote\s+in|writing\s+in|published\s+(?:in|by)|appeared\s+in|"
                r"(?:report|article|story|interview)\s+(?:by|in|with|for))\s+(?:the\s+|a\s+|an\s+)?[\w\s.-]*$",
                pre[-60:], re.IGNORECASE)
            cue = bool(strong) or bool(_REPORT_NOUN_AFTER.match(post))
        if not cue and _REPORT_NOUN_AFTER.match(post):
            cue = True
        # wire dateline "KYIV (AP) —"
        if not cue and _DATELINE.search(text[max(ss, first_s - 45):first_s]) and _DATELINE_AFTER.match(text[last_e:last_e + 6]):
            cue = True
        if not cue:
            continue
        for k in grp:
            s, e, canon, kind = mentions[k]
            if kind == "generic" and not lex.known(canon):
                # an outlet-shaped name needs a strong cue of its own kind
                pass
            if is_self(s, e, canon):
                continue
            out.append((s, e, canon, si, gi))
    # anaphora: resolve to the nearest preceding credited source(s)
    for m in _ANAPHORA.finditer(text):
        word = m.group(1) or m.group(2)
        s, e = m.span()
        if any(not (e <= a or s >= b) for a, b, *_ in out):
            continue
        prev = [c for c in out if c[1] <= s]
        if not prev:
            continue
        si = sent_of(s)
        ss, se = bounds(si)
        post = text[e:min(se, e + 120)]
        pre = text[max(ss, s - 90):s]
        targets: list[tuple[str, ...]] = []
        if word in ("Journal", "Times", "Post", "Telegraph", "Guardian", "Herald"):
            for c in reversed(prev):
                if word.casefold() in c[2].casefold():
                    targets = [(c[2],)]
                    break
            if not targets:
                continue
            cue = bool(_POST_CUE.match(post)) or bool(_PRE_CUE.search(pre))
        elif word == "report":
            if si - prev[-1][3] > 5:
                continue
            targets = [(prev[-1][2],)]
            cue = True
        else:
            if si - prev[-1][3] > 4:
                continue
            cue = bool(_POST_CUE.match(post)) or bool(_PRE_CUE.search(pre))
            if word in _PLURAL:
                last_group = [c for c in prev if c[4] == prev[-1][4]]
                names = []
                for c in last_group:
                    if c[2] not in names:
                        names.append(c[2])
                if len(names) < 2:
                    for c in reversed(prev):
                        if c[2] not in names:
                            names.append(c[2])
                        if len(names) >= 2:
                            break
                targets = [tuple(names)]
            else:
                targets = [(prev[-1][2],)]
        if not cue:
            continue
        for t in targets:
            for name in t:
                out.append((s, e, name, si, -1))
    out.sort(key=lambda c: (c[0], c[1], c[2]))
    seen = set()
    res = []
    for s, e, name, _, _ in out:
        if (s, e, name) in seen:
            continue
        seen.add((s, e, name))
        res.append(Credit(name, s, e))
    return res
