"""Outlet/agency credits: who an article says its information comes from.

A credit is a mention of a news outlet or agency in a *credit context* ("according to X",
"citing X", "X reported", "told X", "as per X", "X's sources", ": X Report", "CITY (X) -",
coordinations "told the AP and Bloomberg", anaphora "the outlets", "the Journal", "this report")
or in the article's furniture (end lines "Source: AFP", "Reuters contributed reporting", "(avec
AFP)", "При подготовке использованы материалы ТАСС", an aggregator's "... Source: Reuters",
sign-offs "(dpa)", "AFP/mlb", "/ТАСС/", "(KNA 19.11.21)", datelines, a headline's source, an
agency's byline "Por Agencia EFE", another agency's copyright line), in English, German, French,
Spanish and Russian (German word order too: "wie X der dpa erläuterte", "teilte X mit"). Never a credit: the article's own outlet (byline,
dateline, footer, self-promotion, its initials), persons, officials, institutions, "reports
said", a parenthesis about the name before it ("Jane Doe (BMI)"). Mentions are found from a
built-in lexicon of outlets with aliases (and their German and Russian case forms), the outlets
publishing in the corpus (and the initials of the longer ones), domain names, outlet-shaped
names ("... Herald", "El Diario de X") and names after a strong cue or a media noun.

The phrases of each form and language are tables in credit_phrases.py, the outlets known by name
in outlet_names.py; this module holds the rules that use them.

Cost: a document's set of plain words decides which names, cues and regexes are worth trying;
the lexicon is looked up only for the words the document has, and the costlier regexes run
only near the words they need or at line ends (benchmarks/credits_speed.py).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from .credit_phrases import (  # the tables of each form and language
    _AGENCY_WORD, _ANAPHORA, _ANAPHORA_WORDS, _BYLINE_PRE, _CONJ, _CONTRIBUTED_LINE, _CUE_FIRST, _CUE_INNER,
    _CUE_VERBS, _CUE_WORDS, _DET, _END_LINE, _END_LINE_WORDS, _HEADING_WORDS, _INSTITUTION, _MEDIA_NOUN, _NEWSY,
    _NEWS_QUALIFIED, _NOT_OUTLETS, _OPENING_QUOTES, _PAPER_WORD, _POSSESSIVE_BEFORE, _POST_CUE, _PRE_CUE,
    _PRE_CUE_INTL, _PRE_CUE_MORE, _PRE_CUE_MORE_STEMS, _PRE_LIST, _QUALIFIER_BEFORE, _REPORT_NOUN_AFTER,
    _SAID_ON_STEMS, _SELF_POST, _SELF_PRE, _SOURCE_AFTER_SENTENCE, _SOURCE_WORDS, _STRONG_CUE, _STRONG_WEAK_PRE,
    _WEAK_PRE,
)
from .outlet_names import _KNOWN_AGENCIES, _LEXICON


_HEAD_NOUNS = (
    "News|Times|Post|Journal|Herald|Press|Gazette|Tribune|Telegraph|Guardian|Chronicle|Observer|"
    "Review|Daily|Weekly|Monitor|Reporter|Wire|Agency|Radio|Television|TV|Network|Media|Insider|"
    "Today|Courier|Dispatch|Bulletin|Examiner|Inquirer|Register|Sentinel|Standard|Mercury|Ledger|"
    "Leader|Express|Mirror|Star|Record|Digest|Report|Newswire|Broadcasting|Online|"
    # German, French, Spanish, Italian, Russian heads of outlet names
    "Zeitung|Nachrichten|Allgemeine|Rundschau|Kurier|Anzeiger|Tagblatt|Tageblatt|Presse|Zeit|Welt|"
    "Courrier|Dépêche|Quotidien|Parisien|Libération|Matin|Soir|Diario|Periódico|Noticias|Prensa|Heraldo|"
    "Bote|Echo|Blatt|Mundo|Correo|Nación|Tiempo|Corriere|Gazzetta|Stampa|Repubblica|Газета|Новости|Известия|Ведомости|Правда|"
    # more heads of the world's titles: "The Ashcombe Clarion", "Le Progrès de X", "La Voz de X",
    # "Bayerischer Rundfunk", "Evangelischer Pressedienst"
    "Clarion|Argus|Globe|Advertiser|Enquirer|Messenger|Citizen|Gleaner|Statesman|"
    "Voix|Progrès|Républicain|Écho|Éclaireur|Voz|Eco|Gaceta|Crónica|Informador|Vanguardia|"
    "Rundfunk|Pressedienst|Nachrichtendienst"
)
# German outlet names written as one word: Handelsblatt, Tagesspiegel, Morgenpost, Abendzeitung.
_COMPOUND = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:blatt|spiegel|post|zeitung|kurier|anzeiger|rundschau|nachrichten|presse|journal|tagblatt|bote|echo)(?P<gen>e?s)?")
_GENERIC_HEAD = re.compile(r"(?:" + _HEAD_NOUNS + r")", re.IGNORECASE)
_OF_PLACE = r"[ \t]+(?:de|del|della|of|du|di|de[ \t]+la)[ \t]+[A-ZÀ-ÖØ-Þ][\w-]+(?![\w-])"
_GENERIC = re.compile(
    r"(?<![\w.])(?:(?:The|the)\s+)?((?:(?:[A-Z]\.|[A-ZÀ-ÖØ-Þ][\w&'’-]*(?:\.[\w&'’-]+)*)[ \t]+){1,3}(?:[A-Z][\w'’]*-)?(?:" + _HEAD_NOUNS + r")"
    r"(?:-[A-Z][\w'’]+)?(?![\w-])(?:[ \t]+(?:Service|Agency|Agence|Agentur|Agencia))?(?:" + _OF_PLACE + r")?"
    r"|(?:" + _HEAD_NOUNS + r")" + _OF_PLACE +
    # "Radio Bremen", "Television New Zealand", "Radio Free Europe": a broadcaster named after its medium
    r"|(?:Radio|Television|Télévision|Televisión|TV)(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+){1,3}(?:[ \t]+\d{1,3}(?!\w|[.,:]\d))?)(?![\w-])"
)
# The top-level domains of news sites' names ("reuters.com", "pravda.com.ua", "unica.md")
_TLDS = (r"com|net|org|co\.uk|org\.uk|com\.ua|com\.br|com\.ar|com\.mx|co\.za|co\.in|ua|ru|de|fr|in|info|news|io|eu|ca|au|"
         r"it|es|pl|jp|cn|kr|md|ro|nl|be|ch|at|pt|br|mx|ar|se|no|dk|fi|cz|sk|hu|gr|tr|il|ie|nz|by|kz|ge|bg|rs|hr|si|lt|lv|ee|"
         r"tv|fm|co")
_DOMAIN = re.compile(
    r"(?<![\w.@/])([A-Za-z0-9][A-Za-z0-9-]{1,40}(?:\.[A-Za-z0-9-]{2,40})*\."
    r"(?:" + _TLDS + r"))(?![\w.-]*\w)"
)
_WORD = re.compile(r"[^\W_](?:[\w&/-]|['’.](?=[^\W_]))*")
_AGENCY_NAME = re.compile(r"(?i)\b(?:agency|agence|agencia|agentur|nachrichtenagentur|wire|press association|presse-agentur|"
                          r"news service|агентство)\b")


def _is_agency(name: str, lex: "Lexicon") -> bool:
    return lex.canonical(name) in _KNOWN_AGENCIES or bool(_AGENCY_NAME.search(name))


ANAPHORA_SENTENCES = 8  # "the agency said" refers to a source credited at most this many sentences before
_PLURAL = {"outlets", "newspapers", "papers", "agencies", "publications"}

_DATELINE = re.compile(r"(?:^|[A-Z][A-Za-z .'-]{1,40}\s?)\(\s*$")
_DATELINE_AFTER = re.compile(r"^\s*\)\s*[-—–:]")
_HEADLINE_SUFFIX_PRE = re.compile(r"[:|–—-]\s*$")


_CAPWORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w&'’-]*"
_NUMBER_TAIL = r"(?:[ \t]+\d{1,3}(?!\w|[.,:]\d))?"  # "Europe 1", "France 24", "Channel 4"
_CUED = re.compile(
    _STRONG_CUE + r"(?:\s+|(?<=['’]))(?:" + _DET + r"\s*)?(?P<noun>" + _MEDIA_NOUN + r"\s+)?"
    r"(?:«(?P<q1>[^»\n]{2,40})»|„(?P<q2>[^“”\n]{2,40})[“”]|“(?P<q3>[^”\n]{2,40})”|\"(?P<q4>[^\"\n]{2,40})\"|['‘](?P<q5>[A-ZÀ-ÖØ-ÞА-ЯЁ][^'‘’\n]{1,39})['’]|"
    r"(?P<name>" + _CAPWORD + r"(?:[ \t]+(?:(?:de|del|di|of|für|am)[ \t]+)?" + _CAPWORD + r"){0,3}" + _NUMBER_TAIL + "))"
    r"(?P<after>\s+" + _MEDIA_NOUN + r"(?![\w-]))?"
)
# A name introduced by a media noun, cue or not: "a la agencia Reuters", "de acuerdo con la agencia
# oficial de noticias rusa Sputnik", "die Nachrichtenagentur Ansa", "the news agency Interfax".
_MEDIA_NAMED = re.compile(
    r"(?<![\w-])(?P<noun>" + _MEDIA_NOUN + r")(?:[ \t]+(?:de|del|of|des|de[ \t]+noticias|de[ \t]+presse|[a-zäöüßéèêàáíóúñç]{3,14})){0,4}[ \t]+"
    r"[«„“\"]?(?P<name>" + _CAPWORD + r"(?:[ \t]+(?:(?:de|del|di|of)[ \t]+)?" + _CAPWORD + r"|[ \t]+[\w-]+(?=[»“”\"])){0,3}" + _NUMBER_TAIL + ")"
)
# Media nouns that also name other things ("agency", "Agentur", "site", "channel"): the name
# after them counts only when known or an acronym.
_AMBIGUOUS_NOUN = re.compile(r"(?i)agency|agentur|agence|agencia|агентство\w*|site|website|portal|channel|network|cadena|canal|"
                             r"radio|wire|paper|publication|sender|medio|chaîne|"
                             # German nouns are capitalised: "die Zeitung Prüfer fotografierten" names nothing
                             r"(?-i:Zeitung|Tageszeitung|Wochenzeitung|Boulevardzeitung|Magazin|Nachrichtenmagazin|Blatt|"
                             r"Fernsehsender|Portal|Nachrichtenportal)")
_MIXED_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][\w-]{0,7}[A-ZА-ЯЁ]{2}$")
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&-]{1,7}$")


_MEDIA_FIRST = frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", _MEDIA_NOUN) if len(w) > 3 and w not in ("news", "noticias", "presse", "service"))


def _cued_mentions(text: str, lex: "Lexicon", vocab: frozenset[str]):
    """Names after a strong credit cue that no lexicon needs to know: (start, end, name)."""
    out = []
    for s0, _, w in _occurrences(text, _candidates(_CUE_TOKENS, vocab)):
        m = None
        for start in (s0, *_word_starts_before(text, s0)) if w.lower() in _CUE_INNER else (s0,):
            m = _CUED.match(text, start)
            if m:
                break
        if m is None:
            continue
        for g in ("q1", "q2", "q3", "q4", "q5"):
            if m.group(g):
                out.append((m.start(g), m.end(g), m.group(g).strip()))
                break
        else:
            name = m.group("name")
            s = m.start("name")
            if not name or _INSTITUTION.search(name):
                continue
            article = _CAPITAL_ARTICLE_BEFORE.search(text, max(0, s - 4), s)
            if article and _TITLE_OF_PLACE.fullmatch(article.group() + name):
                s, name = article.start(), article.group() + name  # "relate Le Messager de Thonon": the article is the title's
            media = bool(m.group("noun") or m.group("after") or _names_itself(name))
            acronym = _ACRONYM.match(name) or _MIXED_ACRONYM.match(name)  # "BelTA", "RTVi"
            if (" " not in name and acronym and name not in _NOT_OUTLETS) or media:
                out.append((s, s + len(name), name))
    for s0, _, _ in _occurrences(text, _candidates(_MEDIA_TOKENS, vocab)):
        m = _MEDIA_NAMED.match(text, s0)
        if not m:
            continue
        name = m.group("name")
        if _INSTITUTION.search(name) or name in _NOT_OUTLETS:
            continue
        noun = m.group("noun")
        known = lex.known(name) or lex.known(name.upper())
        fillers = text[m.end("noun"):m.start("name")].lower().split()
        if not known and not _VERBS_AND_CUES.isdisjoint(fillers):
            continue  # "die Zeitung unter Berufung auf": the words after the noun are no part of a name
        if _AMBIGUOUS_NOUN.fullmatch(noun) and not (known or (" " not in name and _ACRONYM.match(name))):
            continue
        if _AGENCY_WORD.fullmatch(noun) and not known and not _NEWS_QUALIFIED.search(text, max(0, s0 - 30), s0 + len(noun)) \
                and (_QUALIFIER_BEFORE.search(text, max(0, s0 - 30), s0) or any(f not in _NEWSY for f in fillers)):
            continue  # "the national statistics agency ISTAT", "la agencia espacial X": not a news agency
        # "cuyo periódico Novaya Gazeta": a newspaper named, nothing credited to it; "the outlet
        # Mediazona counted": a reporting verb after the name is the cue
        window = _WORD.findall(text, max(0, s0 - 100), m.end() + 120)
        if not any(w.lower() in _CUE_WORDS for w in window) and not _POST_CUE.match(text[m.end("name"):m.end("name") + 120]):
            continue
        out.append((m.start("name"), m.end("name"), name))
    return out


def _names_itself(name: str) -> bool:
    """A name that says it is an outlet: it starts with an agency word or ends with a head noun
    ("Agencia Kelber de Noticias", "Nefener Morgenpost"), or it is a French or Spanish title,
    an article, a noun and its place ("L'Écho de Vadatell", "La Voz de Galicia"); not "Journal
    That Russia Has", not "Le Pen"."""
    words = name.split()
    return len(words) >= 2 and (bool(_AGENCY_NAME.fullmatch(words[0])) or words[-1] in _HEADS
                                or bool(_TITLE_OF_PLACE.fullmatch(name)))


_CAPITAL_ARTICLE_BEFORE = re.compile(r"(?<!\w)(?:(?:Le|La|Les|El|Los|Las)[ \t]+|L['’])$")
# "Le Progrès de Lyon", "L'Écho de X", "La Dépêche du Midi", "El Correo de Andalucía"
_TITLE_OF_PLACE = re.compile(r"(?:L['’]|(?:Le|La|Les|El|Los|Las)[ \t]+)[A-ZÀ-ÖØ-Þ][\w'’-]+[ \t]+(?:de|du|des|del|de[ \t]+la)[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]+")


def _word_starts_before(text: str, pos: int, k: int = 2) -> list[int]:
    """Where the `k` words before `pos` start (nearest first)."""
    out = []
    i = pos
    for _ in range(k):
        j = i - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        if j < 0 or not (text[j].isalnum() or text[j] in "'’"):
            break
        while j >= 0 and (text[j].isalnum() or text[j] in "'’"):
            j -= 1
        out.append(j + 1)
        i = j + 1
    return out


_NEXT_FIELD = re.compile(r"\s+[-|–—]\s+")
_LIST_SPLIT = re.compile(r"\s*(?:,|/|;|\band\b|\bund\b|\bet\b|\by\b|\bи\b|&)\s*")
# An agency sign-off closing a paragraph: "... (dpa)", "... (AFP)", "... EFE", "(dpa/AFP)".
# (All but the bracket must follow a sentence's end: _sign_off_credits checks it, cheaper than a
# lookbehind tried at every character.)
_SIGN_OFF = re.compile(
    r"(?:\(\s*(?P<p>[^()\n]{2,50}?)\s*\)|[—–-]\s*(?P<dash>[^\W\d_][\w./ -]{1,28}?)|"
    r"(?P<bare>[A-ZА-ЯЁ][A-Za-zА-ЯЁа-яё-]{1,9}(?:/[A-ZА-ЯЁ][A-Za-zА-ЯЁа-яё-]{1,9})*)(?P<initials>/[a-zäöü]{2,4})?|"
    # the Russian agencies' slashes: "... недальновидным. /Интерфакс/"
    r"/(?P<slash>[^/\n]{2,30})/)[ \t.]*(?=\n|$)")
_SENTENCE_END_CHARS = frozenset(".!?»”\"")
# What stands before a parenthesis that signs a paragraph off: the end of a sentence ("... said.
# (AFP)"). A parenthesis right after a word ("Jane Doe (BMI)", "the statistics office (ISTAT)",
# "“Naatu Naatu” (WINNER)") is about that word, unless the name is a known outlet.
_SENTENCE_END_BEFORE = re.compile(r"[.!?…][»”\"’)]*\s*$")
# A wire dateline without a date: "KYIV (Reuters) -", "Madrid (EFE).-", "BERLIN, 5. Mai (dpa) -".
_DATELINE_ANY = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-ZÀ-ÖØ-ÞА-ЯЁ][\w .,'’/-]{1,60}?)\(\s*(?P<name>[^(),\n\d]{2,30}?)\s*"
    r"(?:\)\s*(?:\.?\s*[-—–:]|\.-)|[-—–,][ \t]*(?=[^()\n]{0,12}\d)[^()\n]{4,30}\)(?:[ \t]*$|[ \t]+(?=[A-ZÀ-ÖØ-ÞА-ЯЁ])))"
)
# The Russian agencies' datelines: "МОСКВА, 5 марта. /ТАСС/.", "КИЕВ, 12 июня — РИА Новости."
_DATELINE_SLASH = re.compile(r"(?m)^[ \t]*(?P<place>[A-ZÀ-ÖØ-ÞА-ЯЁ][\w .,'’-]{1,60}?)[.,]?[ \t]*/(?P<name>[^/\n\d:]{2,30}?)/[ \t]*\.?")
_DATELINE_DASH = re.compile(
    r"(?m)^[ \t]*[A-ZÀ-ÖØ-ÞА-ЯЁ][\w .'’-]{1,40},[ \t]+\d{1,2}[ \t]+[^\W\d_]{3,12}\.?[ \t]+[—–-][ \t]+"
    r"(?P<name>[A-ZА-ЯЁ][\w-]*(?:[ \t]+[A-ZА-ЯЁ][\w-]*){0,2}(?:\.[A-Za-z]{2,3})?)\.(?:\s|$)")
# A headline that names its source: "...: Reuters report", "... | Bloomberg", "... - AFP".
_HEADLINE_CREDIT = re.compile(
    r"(?:[:|–—-]\s*(?P<rep>[^:|\n]{2,40}?)\s+(?:report|Report|reports|says|berichtet|rapporte|informa)|"
    r"\s[|–—-]\s*(?P<bar>[^:|\n]{2,40}?)|"
    # "... limits (AP)", "... расследования (Уральский листок)": the source in brackets at the end
    r"\s\((?P<par>[^()\n]{2,40})\))[ \t]*$"
)


_BYLINE_PERSON = re.compile(
    r"[ \t]*(?:By|Par|Von|Por|De|Автор:|Author:)?\s*[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+){1,3}\s*$")


def _name_like(name: str, lex: "Lexicon") -> bool:
    """A short outlet or agency name as sign-offs and end lines write it (known or not)."""
    n = name.strip(" .")
    if not n or len(n) > 40 or n in _NOT_OUTLETS:
        return False
    if lex.known(n) or lex.known(n.upper()):
        return True  # "Fenul Wire Service": an outlet, though "Service" also names institutions
    if _INSTITUTION.search(n):
        return False
    if _GENERIC.fullmatch(n) or _DOMAIN.fullmatch(n.lower()) or _COMPOUND.fullmatch(n):
        return True
    if "-" in n and " " not in n and lex.known(n.split("-")[0]):
        return True  # "dpa-AFX", "Reuters-Ukraine"
    ws = n.split()
    if len(ws) == 1:
        return bool(_ACRONYM.match(n))
    return len(ws) <= 4 and all(w[:1].isupper() or w in ("de", "del", "of", "für", "la", "di") for w in ws)


def _known(name: str, lex: "Lexicon") -> bool:
    return lex.known(name) or lex.known(name.upper())


def _unknown_acronym(name: str, lex: "Lexicon") -> bool:
    """An all-letter acronym of 3+ letters no lexicon knows ("SID", "ATS"); "(JP)", "(CH4)" are
    initials and formulas."""
    return name.isalpha() and name.isupper() and len(name) >= 3 and _name_like(name, lex)


def _spells_out(short: str, before: str) -> bool:
    """Whether the words just before a parenthesis spell its content out ("Istituto nazionale di
    statistica (ISTAT)", "Organisation mondiale de la santé (OMS)"): every letter of the short
    form found in order, the first at a word start (after Schwartz & Hearst, 2003)."""
    letters = [c for c in short.casefold() if c.isalnum()]
    if len(letters) < 2:
        return False
    words = _PLAIN_WORD.findall(before)[-min(len(letters) + 5, 2 * len(letters)):]
    long = " ".join(words).casefold()
    li = len(long) - 1
    for si in range(len(letters) - 1, -1, -1):
        c = letters[si]
        while li >= 0 and (long[li] != c or (si == 0 and li > 0 and long[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
    return True


_AMPERSAND_HEAD = re.compile(r"\s*&\s*(?:" + _HEAD_NOUNS + r")\b")  # "Gazette & Herald", "News & Observer"


def _split_names(span_text: str, base: int):
    """A list of names ("dpa, AFP and Reuters") -> [(start, end, name)]."""
    out = []
    pos = 0
    for m in [x for x in _LIST_SPLIT.finditer(span_text) if not _AMPERSAND_HEAD.match(span_text, x.start())] + [None]:
        end = m.start() if m else len(span_text)
        piece = span_text[pos:end]
        stripped = piece.strip(" .()")
        stripped = _without_elided_article(stripped)
        if stripped:
            off = piece.index(stripped)
            out.append((base + pos + off, base + pos + off + len(stripped), stripped))
        if m:
            pos = m.end()
    return out


def _end_line_credits(text: str, lex: "Lexicon", vocab: frozenset[str]):
    """"Source: AFP", "Material from X was used in this report", "X contributed reporting"."""
    matches = [] if vocab.isdisjoint(_END_LINE_WORDS) else list(_END_LINE.finditer(text))  # anchored at line starts: cheap
    matches += [m for m in _keyword_line_matches(_SOURCE_AFTER_SENTENCE, text, vocab.intersection(_SOURCE_WORDS), 0)
                if _after_sentence_end(text, m.start())]  # "Source:" at a line's start is the end lines' own form
    if "contributed" in vocab:
        matches += list(_CONTRIBUTED_LINE.finditer(text))
    out = []
    for m in matches:
        out += _end_line_names(m, lex)
    return out


def _end_line_names(m: re.Match[str], lex: "Lexicon") -> list[tuple[int, int, str]]:
    """The outlets an end line's match names: [(start, end, name)]."""
    out = []
    contributors = "contrib" in m.re.groupindex and m.group("contrib")  # "Mitarbeit: Anna Schmidt" names a person
    names = _NEXT_FIELD.split(m.group("names"), 1)[0]  # "Agência Brasil - Foto: Cesar Greco"
    for s, e, n in _split_names(names, m.start("names")):
        # "По материалам издания «X»", "Material from the news agency X": the name itself
        lead = _END_LINE_LEAD.match(n)
        quoted = bool(lead and lead.group().endswith(("«", "„", "“", '"')) and n.endswith(("»", "“", "”", '"')))
        if lead and lead.end() and lead.end() < len(n):
            s += lead.end()
            n = n[lead.end():].rstrip("»“”\"")
        if quoted and 0 < len(n.split()) <= 5 and n[:1].isupper():
            out.append((s, s + len(n), n))  # "По материалам издания «Городской репортёр»"
            continue
        n = _POSSESSOR.split(n, 1)[0]  # "The Washington Post’s Carol Morello"
        n2 = _LEADING_ARTICLE.sub("", n)
        s += len(n) - len(n2)
        if _name_like(n2, lex) and not (contributors and not _outlet_shaped(n2, lex)):
            out.append((s, s + len(n2), n2))
    return out


def _keyword_line_matches(rx: re.Pattern[str], text: str, keywords, before: int):
    """Matches of a line regex that starts at most `before` characters before one of its keywords
    (found by their word, not by running the regex over the whole text), one per line."""
    seen = set()
    for s0, _, _ in _occurrences(text, keywords):
        ls = text.rfind("\n", 0, s0) + 1
        le = text.find("\n", s0)
        le = len(text) if le < 0 else le
        m = rx.search(text, ls if s0 - ls <= before else s0 - before, le) if before else rx.match(text, s0, le)
        if m and m.start() not in seen and m.start() <= s0 < m.start("names"):
            seen.add(m.start())
            yield m


def _after_sentence_end(text: str, pos: int) -> bool:
    """Whether a sentence ends just before `pos`, on the same line ("... irregularities. Source: X")."""
    j = pos - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < pos - 1 and j >= 0 and text[j] in ".!?»”\"·:"


def _outlet_shaped(name: str, lex: "Lexicon") -> bool:
    """A name that is an outlet's whatever the line: known, an acronym, a domain, a title with a head
    noun ("Kelvale Herald", "Handelsblatt") or one that says what it is ("Agencia Atlas")."""
    return bool(_known(name, lex) or _ACRONYM.match(name) or _GENERIC.fullmatch(name) or _DOMAIN.fullmatch(name)
                or _COMPOUND.fullmatch(name) or _names_itself(name))


_SOURCE_LABEL = re.compile(r"(?i)(?:source|sources|quelle|fuente|fonte|источник|via|vía)\s*[:—–-]?\s+")
_TRAILING_DATE = re.compile(r"[ \t,]+\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})?$")


def _sign_off_credits(text: str, lex: "Lexicon"):
    """A paragraph signed off by an agency: "... said. (AFP)", "... geschlossen (dpa).", "— AFP",
    "... EFE". A name no lexicon knows needs the sign-off's place: after a sentence's end."""
    out = []
    for m in _line_end_matches(_SIGN_OFF, text, 60):
        g = next(k for k in ("p", "dash", "slash", "bare") if m.group(k))
        if g != "p" and not (m.start() >= 2 and text[m.start() - 1].isspace() and text[m.start() - 2] in _SENTENCE_END_CHARS):
            continue
        inner = _TRAILING_DATE.sub("", m.group(g))  # "(KNA 19.11.21)": the agency and its date
        label = _SOURCE_LABEL.match(inner) if g == "p" else None
        if g == "bare" and not all(_known(n, lex) or (m.group("initials") and _unknown_acronym(n, lex)) for n in inner.split("/")):
            continue  # a bare last word signs off when it is a known agency ("... EFE"), or an acronym with an editor's initials ("ASN/rzc")
        line_start = text.rfind("\n", 0, m.start()) + 1
        if g == "p" and _BYLINE_PERSON.match(text, line_start, m.start()):
            continue  # "Par Julien Roussel (La Dépêche)": a byline's affiliation, the outlet itself
        after_sentence = g != "p" or bool(_SENTENCE_END_BEFORE.search(text, max(line_start, m.start() - 8), m.start())) \
            or m.start() == line_start
        before = text[max(line_start, m.start() - 160):m.start()]
        if g == "p" and not after_sentence and _spells_out(inner, before):
            continue  # "the International Monetary Fund (IMF)": the name just before, shortened
        if label:  # "(source : Belga)": the bracket says it names a source
            names = _split_names(inner[label.end():], m.start(g) + label.end())
            out += [(s, e, n) for s, e, n in names if _name_like(n, lex) or _known(n, lex)]
            continue
        for s, e, n in _split_names(inner, m.start(g)):
            if _known(n, lex) or (after_sentence and _unknown_acronym(n, lex)):
                out.append((s, e, n))
    return out


def _line_end_matches(rx: re.Pattern[str], text: str, width: int):
    """Matches of `rx` (which must end at a line's end) tried only over each line's last
    `width` characters."""
    line_start = 0
    n = len(text)
    while line_start <= n:
        line_end = text.find("\n", line_start)
        if line_end < 0:
            line_end = n
        m = rx.search(text, max(line_start, line_end - width), line_end)
        if m:
            yield m
        line_start = line_end + 1


def _last_line_credits(text: str, lex: "Lexicon"):
    """A name alone on one of the last lines: the agency's sign-off ("Efe", "Fenul Wire
    Service"); a name no lexicon knows only under a paragraph of prose."""
    short_lines = []
    prev = ""
    for m in _NONEMPTY_LINE.finditer(text, max(0, len(text) - 600)):
        sm = _SHORT_NAME_LINE.fullmatch(m.group())
        if sm:
            short_lines.append((m.start() + sm.start(1), m.start() + sm.end(1), sm.group(1), prev))
        prev = m.group()
    out = []
    for s, e, n, prev in short_lines[-6:]:
        if _INSTITUTION.search(n) or n in _NOT_OUTLETS:
            continue
        if _known(n, lex) or (_ACRONYM.match(n) and 3 <= len(n) <= 6 and n.lower() not in _HEADING_WORDS
                              and _SENTENCE_END_BEFORE.search(prev)):
            out.append((s, e, n))
    return out


def _dateline_place(place: str) -> bool:
    """A dateline's place: in capitals ("KYIV", "МОСКВА") or with its date ("Berlin, 5. Mai")."""
    return place.isupper() or any(ch.isdigit() for ch in place)


def _dateline_credits(text: str, lex: "Lexicon"):
    """A wire's dateline kept by a copy: "KYIV (Reuters) -", "МОСКВА, 5 марта. /ТАСС/."."""
    out = []
    for m in _DATELINE_ANY.finditer(text):
        place = m.group("place")
        # an unknown name needs a dateline's look: a place in capitals or a date, or an acronym
        plain = _dateline_place(place)
        for s, e, n in _split_names(m.group("name"), m.start("name")):
            if _name_like(n, lex) and (_known(n, lex) or plain or _ACRONYM.match(n)):
                out.append((s, e, n))
    for rx in (_DATELINE_SLASH, _DATELINE_DASH):
        for m in rx.finditer(text, 0, 600):
            n = m.group("name").strip()
            if "place" in rx.groupindex and not (_known(n, lex) or _dateline_place(m.group("place"))):
                continue  # "Мост закрыт. /Фото: Иван Петров/": a sentence, not a place and date
            if _name_like(n, lex):
                s = m.start("name") + m.group("name").index(n)
                out.append((s, s + len(n), n))
    return out


def _headline_credit(text: str, lex: "Lexicon", title_end: int, own_known: bool):
    """The headline's source: "...: Reuters report", "... | Bloomberg" (a site's own name unless
    the article's outlet is known to differ). A first line with nothing under it is no headline."""
    if title_end <= 0 or not text[title_end:].strip():
        return []
    lead = _HEADLINE_LEAD.match(text, 0, title_end)
    if lead and (_known(lead.group("name"), lex) or (lead.group("q") and _name_like(lead.group("name"), lex))):
        return [(lead.start("name"), lead.end("name"), lead.group("name"))]  # "BBC: Premier League ...": an outlet leading the headline
    head = _HEADLINE_CREDIT.search(text, 0, title_end)
    if not head:
        return []
    g = next(k for k in ("rep", "bar", "par") if head.group(k))
    n = head.group(g).strip()
    start = head.start(g) + head.group(g).index(n)
    bare = _without_elided_article(n)
    if bare != n and _known(bare, lex):  # "| l'Agence France-Presse"
        start, n = start + len(n) - len(bare), bare
    if g == "par" and not _known(n, lex):
        return []  # "... (UPDATED)", "... (VIDEO)": a bracket that names no outlet
    if _name_like(n, lex) and (g == "rep" or own_known):
        return [(start, start + len(n), n)]
    return []


def _copyright_credits(text: str, lex: "Lexicon", own_known: bool):
    """"Copyright 2023 The Associated Press", "© dpa-AFX" on another outlet's page: the agency
    that holds the rights of the copy. Only a known agency, and only where the page's own outlet
    is known (else the line is most likely the page's own footer)."""
    out: list[tuple[int, int, str]] = []
    if not own_known:
        return out
    for m in _COPYRIGHT.finditer(text):
        n = _LEADING_ARTICLE.sub("", m.group("name").strip())
        s = m.end("name") - len(n)
        if "-" in n and " " not in n and lex.known(n.split("-")[0]):
            n0 = n.split("-")[0]  # "dpa-AFX", "dpa-infocom"
            if _is_agency(n0, lex):
                out.append((s, s + len(n), n))
        elif _known(n, lex) and _is_agency(n, lex):
            out.append((s, s + len(n), n))
    return out


# A byline that names an agency, not a person: "Por Agencia EFE", "Von: det/dpa", "By Reuters"
_AGENCY_BYLINE = re.compile(r"(?m)^[ \t]*(?:By|BY|Von|VON|Por|POR|Par|PAR)[ \t]*:?[ \t]+(?P<names>[^\n]{2,60}?)[ \t]*$")
_BYLINE_WORDS = frozenset("By BY Von VON Por POR Par PAR".split())


def _agency_byline_credits(text: str, lex: "Lexicon"):
    """Agencies a byline names (its editors' initials and persons are not credited)."""
    out = []
    for m in _AGENCY_BYLINE.finditer(text):
        names = _split_names(m.group("names"), m.start("names"))
        agencies = [(s, e, n) for s, e, n in names if (_known(n, lex) and _is_agency(n, lex)) or (_AGENCY_NAME.match(n) and _names_itself(n))]
        persons = [n for s, e, n in names if (s, e, n) not in agencies and n[:1].isupper()]
        if not persons:
            out += agencies  # no person in it: "Por Javier Villanueva, Agencia X" is the page's own byline
    return out


def _furniture_credits(text: str, lex: "Lexicon", title_end: int, own_known: bool, vocab: frozenset[str]):
    """Credits stated by an article's furniture: end lines, agency sign-offs, wire datelines
    without a date, a headline's source, another outlet's copyright. [(start, end, name)]."""
    out = (_end_line_credits(text, lex, vocab) + _sign_off_credits(text, lex) + _last_line_credits(text, lex)
           + (_agency_byline_credits(text, lex) if not vocab.isdisjoint(_BYLINE_WORDS) else [])
           + _dateline_credits(text, lex) + _headline_credit(text, lex, title_end, own_known))
    if "©" in text or "opyright" in text:
        out += _copyright_credits(text, lex, own_known)
    return out


_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bCopyright)[ \t]*(?:\d{4}[ \t]*)?(?P<name>[^\n|,;.©]{2,60}?)"
                        r"(?=[ \t]*(?:[|,;.]|All\s+rights|$))", re.MULTILINE)


# "BBC: ...", "# Reuters : ..." (a Markdown heading, French spacing), "«Лиственск-Вечер»: ..."
_HEADLINE_LEAD = re.compile(r"\s*(?:#{1,3}[ \t]+)?(?P<q>[«„“\"])?(?P<name>[^\W\d_][^:\n«»„“”\"]{1,38}?)(?(q)[»“”\"])[ \t]?:\s")
_END_LINE_LEAD = re.compile(r"(?:(?:the|The|der|den|l['’]|la|el)\s+)?(?:" + _MEDIA_NOUN + r"\s+)?[«„“\"]?")
_POSSESSOR = re.compile(r"(?<=\w)['’]s?\s")
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|The|der|den|la|el)\s+|[lL]['’])")
_ELIDED_OR_THE = re.compile(r"^(?:[lL]['’]|[Tt]he\s+)")


def _without_elided_article(name: str) -> str:
    """"Agence France-Presse" for "l'Agence France-Presse", "Associated Press" for "The Associated Press"."""
    return _ELIDED_OR_THE.sub("", name, count=1)
_NONEMPTY_LINE = re.compile(r"[^\n]*[^\s][^\n]*")
_SHORT_NAME_LINE = re.compile(r"[ \t]*(\S[^\n]{0,40}?)[ \t.]*")
_PLAIN_WORD = re.compile(r"[^\W_]+")


_ARTICLES = frozenset(("The", "Der", "Die", "Das", "Le", "La", "Les", "El", "Los", "Las"))
# A byline under the headline naming the writer's outlet: "Von Birgit Fuchs, Nachrichtenagentur
# Neber", "Ute Baumgart (Nachrichtenagentur Sarost)", "By Jane Doe, Kelvale Herald".
_PERSON = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+(?:[ \t]+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+){1,3}"
_BYLINE_OUTLET = re.compile(
    r"(?m)^[ \t]*(?:(?:By|Von|Par|Por|De|Автор:)[ \t]+)?" + _PERSON +
    r"(?:,[ \t]+(?P<a>[A-ZÀ-ÖØ-ÞА-ЯЁ«][^,()\n]{2,60}?)|[ \t]+\((?P<b>[A-ZÀ-ÖØ-ÞА-ЯЁ«][^()\n]{2,60})\))[ \t]*$")


def _byline_outlet(text: str) -> str | None:
    """The outlet a byline near the top names (the text's own outlet when none is known)."""
    m = _BYLINE_OUTLET.search(text, 0, 600)
    return (m.group("a") or m.group("b")).strip("«» ") if m else None


def _self_names(own_outlet: str | None, lex: "Lexicon", url: str | None = None):
    """A test of whether a mention names the article's own outlet: its name or canonical name,
    its site's host ("kdvr.com" for "FOX31 Denver"), a part of its name ("ANSA" in "Agenzia
    ANSA"), or its initials ("BT" for The Business Times)."""
    keys = set()
    words: list[str] = []
    if own_outlet:
        keys |= {squash(own_outlet), squash(lex.canonical(own_outlet))}
        words = [w.casefold() for w in re.findall(r"[^\W_]+", own_outlet) if w.casefold() not in ("the", "der", "die", "le", "la", "el")]
    if url:
        host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0].split(":")[0]
        host = re.sub(r"^(?:www|m|amp|edition|eu|uk|us)\.", "", host)
        if host:
            keys.add(squash(host.split(".")[0]))
            keys.add(squash(host))
    keys.discard("")
    initials = {"".join(w[0] for w in words)} if len(words) >= 2 else set()
    capitals = [w.casefold() for w in _PLAIN_WORD.findall(own_outlet or "") if w[:1].isupper() and w not in _ARTICLES]
    if len(capitals) >= 2:
        initials.add("".join(w[0] for w in capitals))  # "AP" for Agence de presse Praul
    if own_outlet and re.match(r"(?i)the\s", own_outlet) and len(words) >= 2:
        initials.add("t" + "".join(w[0] for w in words))  # TPG: The Points Guy

    def is_own(mention: str, canon: str) -> bool:
        if not keys:
            return False
        if squash(mention) in keys or squash(canon) in keys:
            return True
        m_words = [w.casefold() for w in re.findall(r"[^\W_]+", mention) if w.casefold() not in ("the", "der", "die", "le", "la", "el")]
        if not m_words:
            return False
        if initials and len(m_words) == 1 and mention.isupper() and m_words[0] in initials:
            return True
        n = len(m_words)
        if words and n > len(words) and m_words[:len(words)] == words and all(w.capitalize() in _HEADS for w in m_words[len(words):]):
            return True  # "UrduPoint News" on UrduPoint's page: its name and a head noun
        if n < len(words) and len("".join(m_words)) >= 3 and not (n == 1 and _GENERIC_HEAD.fullmatch(mention.strip())):
            return any(words[i:i + n] == m_words for i in range(len(words) - n + 1))
        return False
    return is_own


_THE = re.compile(r"^the\s+")
_TLD = re.compile(r"\.(?:" + _TLDS + r")$")
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
        self._index: _FirstWords | None = None
        self._initials: dict[str, set[str]] = {}
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
            if " " in a and not a.isupper():
                self.aliases.setdefault(a.upper(), canon)  # "EUROPA PRESS", "ASSOCIATED PRESS": a name in capitals
            k = squash(a)
            if len(k) >= 4 or a.isupper():
                self.canon_by_key.setdefault(k, canon)
        self._index = None

    def add_outlet(self, name: str) -> str:
        """A publishing outlet of the corpus: known by its name as given (and without 'The')."""
        n = name.strip()
        if not n:
            return n
        if n in self.aliases:
            return self.aliases[n]
        c = self.canon_by_key.get(squash(n))
        if c is None:
            self._add(n, (n, _LEADING_THE.sub("", n)))
            self._add_initials(n)
            return n
        self.aliases.setdefault(n, c)
        self._index = None
        return c

    def _add_initials(self, name: str) -> None:
        """A corpus outlet of three or more words is also known by its initials ("FWS" for
        Fenul Wire Service), unless two outlets share them or they name something else."""
        words = [w for w in _PLAIN_WORD.findall(name) if w[:1].isupper()]
        if len(words) < 3:
            return
        short = "".join(w[0] for w in words).upper()
        holders = self._initials.setdefault(short, set())
        holders.add(name)
        if len(holders) > 1:
            if self.aliases.get(short) in holders:
                del self.aliases[short]
                self._index = None
            return
        if short not in self.aliases and short not in _NOT_OUTLETS and squash(short) not in self.canon_by_key:
            self.aliases[short] = name
            self._index = None

    def canonical(self, name: str) -> str:
        n = name.strip()
        if n in self.aliases:
            return self.aliases[n]
        n2 = _LEADING_THE.sub("", n)
        if n2 in self.aliases:
            return self.aliases[n2]
        return self.canon_by_key.get(squash(n), n)

    def known(self, name: str) -> bool:
        n = _LEADING_THE.sub("", name.strip())
        return n in self.aliases or squash(n) in self.canon_by_key

    def first_words(self) -> "_FirstWords":
        """The aliases indexed by their first word (rebuilt after the lexicon grows)."""
        if self._index is None:
            self._index = _FirstWords(self.aliases)
        return self._index

    def to_data(self):
        return {c: a for c, a in self._extra_data()}

    def _extra_data(self):
        by: dict[str, list[str]] = {}
        for a, c in self.aliases.items():
            by.setdefault(c, []).append(a)
        return [(c, sorted(v)) for c, v in sorted(by.items())]


_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_GERMAN_GENITIVE = re.compile(r"(?:blatt|spiegel|kurier|anzeiger|bote|echo|journal|magazin|stern|handelsblatt)$", re.IGNORECASE)


def _inflections(word: str) -> tuple[str, ...]:
    """Case forms of an outlet's first word in German and Russian text: "der Deutschen
    Presse-Agentur", "des Handelsblatts", "по данным Интерфакса", "«Коммерсанту»"."""
    if len(word) < 4 or not word[:1].isupper() or not word.replace("-", "").isalpha():
        return ()
    if "А" <= word[:1] <= "Я" or word[:1] == "Ё":
        stem = word[:-1] if word[-1] in "ъь" else word
        if stem[-1] in "аяо":
            return (stem[:-1] + "ы", stem[:-1] + "и", stem[:-1] + "е", stem[:-1] + "у", stem[:-1] + "ой")
        if stem[-1] in "еиыуюэ":
            return ()
        return (stem + "а", stem + "у", stem + "ом", stem + "е")
    if word.endswith("e") and word[1:].islower():
        return (word + "n", word + "r", word + "s")
    if _GERMAN_GENITIVE.search(word):
        return (word + "s", word + "es")
    return ()


class _FirstWords:
    """First words of the aliases, their case forms and title-case acronyms ("Efe"), each with
    the most words an alias starting with it has, and keyed by their longest plain word so
    that a document's set of plain words selects the few worth looking for."""

    def __init__(self, aliases: dict[str, str]):
        self.most: dict[str, int] = {}   # first word as written -> most words of an alias
        for a in aliases:
            ws = a.split()
            if ws:
                self.most[ws[0]] = max(self.most.get(ws[0], 0), len(ws))
        self.base: dict[str, str] = {w: w for w in self.most}  # token -> first word it stands for
        for w in list(self.most):
            for f in _inflections(w):
                self.base.setdefault(f, w)
        # "Efe", "Tass": an all-capital alias of 3+ letters written in title case
        self.title_case: dict[str, str] = {a[:1] + a[1:].lower(): a for a in aliases
                                           if len(a) >= 3 and " " not in a and a.isupper() and a.isalpha()
                                           and a[:1] + a[1:].lower() not in aliases}
        self.by_key = _keyed(list(self.base) + list(self.title_case))

    def candidates(self, vocab: frozenset[str]) -> set[str]:
        """The tokens to look for in a document whose plain words are `vocab`."""
        return _candidates(self.by_key, vocab)


def _keyed(tokens) -> dict[str, list[str]]:
    by_key: dict[str, list[str]] = {}
    for t in tokens:
        pieces = _PLAIN_WORD.findall(t)
        if pieces:
            by_key.setdefault(max(pieces, key=len), []).append(t)
    return by_key


def _candidates(by_key: dict[str, list[str]], vocab: frozenset[str]) -> set[str]:
    out: set[str] = set()
    for k in vocab.intersection(by_key):
        out.update(by_key[k])
    return out


_CUE_TOKENS = _keyed({f for w in _CUE_FIRST | _CUE_INNER for f in (w, w[:1].upper() + w[1:])})
_MEDIA_TOKENS = _keyed({f for w in _MEDIA_FIRST for f in (w, w[:1].upper() + w[1:])})
_TOKEN_CHAR_AFTER = frozenset("_&/-")


def _occurrences(text: str, tokens) -> list[tuple[int, int, str]]:
    """[(start, end, token)] where each token stands as a whole word (as _WORD cuts words), in
    text order; an elided article before ("l'AFP", "d'AFP") and a possessive after ("Reuters's")
    are allowed."""
    out = []
    n = len(text)
    for w in tokens:
        k = len(w)
        i = text.find(w)
        while i >= 0:
            j = i + k
            if _starts_word(text, i) and (j == n or _ends_word(text, j, n)):
                out.append((i, j, w))
            i = text.find(w, i + 1)
    out.sort()
    return out


def _starts_word(text: str, i: int) -> bool:
    if i == 0:
        return True
    prev = text[i - 1]
    if prev.isalnum() or prev in _TOKEN_CHAR_AFTER:
        return False
    if prev in "'’." and i >= 2 and text[i - 2].isalnum():
        # French elision: "l'AFP", "d’Europe 1" (a one-letter article)
        return prev != "." and text[i - 2] in "lLdD" and (i < 3 or not text[i - 3].isalnum())
    return True


def _ends_word(text: str, j: int, n: int) -> bool:
    nxt = text[j]
    if nxt.isalnum() or nxt in _TOKEN_CHAR_AFTER:
        return False
    if nxt in "'’." and j + 1 < n and text[j + 1].isalnum():
        return nxt != "." and text[j + 1] == "s" and (j + 2 == n or not text[j + 2].isalnum())
    return True


_NEXT_WORD = re.compile(r"[ \t]*\n?[ \t]*(?<=\s)(" + _WORD.pattern + ")")
_LEADING_FUNCTION_WORDS = frozenset(
    """according citing as of in on at by for from to with selon d'après d’après après laut nach bei von mit según
    con de del en para por segun wie als und and or et y""".split())
_GENERIC_STOP = frozenset(("The", "A", "An", "This", "That", "In", "On", "At", "By", "For", "According", "Citing", "As", "Of",
                           "Fake"))  # "the Fake News said": a slogan, not a newsroom


def _lexicon_mentions(text: str, lex: Lexicon, vocab: frozenset[str]):
    """Known names, looked up by their first word among the words the document has (a regex
    alternation of hundreds of names is far slower)."""
    index = lex.first_words()
    aliases = lex.aliases
    found: list[tuple[int, int, str, str]] = []
    last_end = -1
    for s0, e0, token in _occurrences(text, index.candidates(vocab)):
        if s0 < last_end:
            continue
        base = index.base.get(token, "")
        maxn = index.most.get(base, 0)
        if not maxn:
            if token in index.title_case:
                found.append((s0, e0, aliases[index.title_case[token]], "lex"))
                last_end = e0
            continue
        words: list[str] = [base]
        ends, pos = [e0], e0
        while len(words) < maxn:
            m = _NEXT_WORD.match(text, pos)
            if not m:
                break
            words.append(m.group(1))
            ends.append(m.end())
            pos = m.end()
        for n in range(len(words), 0, -1):
            key = " ".join(words[:n])
            if key in aliases:
                found.append((s0, ends[n - 1], aliases[key], "lex"))
                last_end = ends[n - 1]
                break
            if n > 1 and key.endswith(("’s", "'s")) and key[:-2] in aliases:
                found.append((s0, ends[n - 1] - 2, aliases[key[:-2]], "lex"))
                last_end = ends[n - 1]
                break
    return found


def _shape_mentions(text: str, lex: Lexicon, vocab: frozenset[str], free):
    """Names no lexicon knows, by their shape: domains, "... Herald", "Handelsblatt"."""
    found = []
    if _TLD_HINT.search(text):
        for m in _DOMAIN.finditer(text):
            s, e = m.span(1)
            if free(s, e):
                found.append((s, e, lex.canonical(m.group(1)), "domain"))
    if not vocab.isdisjoint(_HEADS):
        anchors = _occurrences(text, vocab.intersection(_HEADS))
        if "-" in text:  # "the Orvale Star-Ledger": a head after a hyphen is no word of its own
            anchors = sorted(anchors + _hyphenated_heads(text))
        for m in _matches_near(_GENERIC, text, anchors, 90, 45):
            s, e = m.span()
            start, name = _without_leading_cue(m.start(1), m.group(1))
            if start != m.start(1):
                if not _GENERIC.fullmatch(name):
                    continue
                s = start
            if not free(s, e) or name.split()[0] in _GENERIC_STOP:
                continue
            found.append((s, e, lex.canonical(name), "generic"))
    for m in _COMPOUND.finditer(text):
        s, e = m.span()
        if _GENERIC_COMPOUND.match(m.group()):
            continue  # "die Tageszeitung", "das Amtsblatt": a kind of paper, not a title
        adjective = _PLACE_ADJECTIVE_BEFORE.search(text, max(0, s - 30), s)
        if adjective and adjective.group(1) not in _GERMAN_DETERMINERS:
            s = adjective.start(1)  # "Vadaviker Volksblatt", "Oberhessische Kreisblatt": the title's place
        if free(s, e) and (s == 0 or not text[s - 1].isalnum()) and (e == len(text) or not text[e].isalnum()):
            name = text[s:e]
            if m.group("gen"):
                name = name[:-len(m.group("gen"))]  # "des Handelsblatts"
            found.append((s, e, lex.canonical(name), "generic"))
    return found


_PLACE_ADJECTIVE_BEFORE = re.compile(r"(?<![\w-])([A-ZÄÖÜ][a-zäöüß]+(?:er|e|en|es))[ \t]+$")
_GERMAN_DETERMINERS = frozenset("Die Der Das Den Dem Des Eine Einer Eines Seine Ihre Unsere Diese Jede Jeder Keine".split())


# German compounds that name a kind of paper, not one: a time, place or trade qualifier before the head
_GENERIC_COMPOUND = re.compile(r"(?:Tages|Wochen|Sonntags|Boulevard|Lokal|Regional|Heimat|Online|Wirtschafts|Fach|Amts|Anzeigen|"
                               r"Extra|Flug|Nachrichten|Partei|Kirchen|Schüler|Mitglieder)(?:zeitung|blatt|presse|portal|magazin|journal)$")


def _without_leading_cue(start: int, name: str) -> tuple[int, str]:
    """An outlet-shaped name without the cue words that start its sentence ("Selon Le Parisien",
    "Laut Berliner Zeitung", "D'après La Dépêche de Brivel")."""
    while " " in name and name.split()[0].lower() in _LEADING_FUNCTION_WORDS:
        rest = name.split(None, 1)[1]
        start += len(name) - len(rest)
        name = rest
    return start, name


_TLD_HINT = re.compile(r"\.(?:" + _TLDS + r")(?![\w-])")
_HEADS = frozenset(_HEAD_NOUNS.split("|"))
_CAPITAL_AFTER_HYPHEN = re.compile(r"-([A-ZÀ-ÖØ-Þ][\w'’]*)")


def _hyphenated_heads(text: str) -> list[tuple[int, int, str]]:
    """Where a head noun stands in a hyphenated word ("Star-Ledger", "Herald-Mail")."""
    out = []
    for m in _CAPITAL_AFTER_HYPHEN.finditer(text):
        h = m.start()
        left = text[max(text.rfind(" ", 0, h), text.rfind("\n", 0, h)) + 1:h]
        if m.group(1) in _HEADS or left in _HEADS:
            out.append((h - len(left), m.end(), ""))
    return out


def _matches_near(rx: re.Pattern[str], text: str, anchors, before: int, after: int):
    """Matches of `rx` in the windows around `anchors` ([(start, end, _)], in text order), each
    window from `before` characters before an anchor to `after` after it, overlapping windows
    merged: a regex that needs one of a few words is run only near them."""
    windows: list[list[int]] = []
    for s, e, _ in anchors:
        lo, hi = max(0, s - before), e + after
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        yield from rx.finditer(text, lo, hi)


def _mentions(text: str, lex: Lexicon, vocab: frozenset[str] | None = None):
    """[(start, end, canonical, kind)] non-overlapping; lexicon first, then domains, generic
    names, names after a strong cue."""
    if vocab is None:
        vocab = frozenset(_PLAIN_WORD.findall(text))
    found = _lexicon_mentions(text, lex, vocab)
    taken = [(s, e) for s, e, _, _ in found]

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    for s, e, name, kind in _shape_mentions(text, lex, vocab, free):
        if free(s, e):
            found.append((s, e, name, kind))
            taken.append((s, e))
    if "-" in text and not vocab.isdisjoint(_REPORT_COMPOUND_HEADS):
        for m in _REPORT_COMPOUND.finditer(text):
            s, e = m.span(1)
            if free(s, e) and _known(m.group(1), lex):
                found.append((s, e, lex.canonical(m.group(1)), "cued"))
                taken.append((s, e))
    for s, e, name in _cued_mentions(text, lex, vocab):
        if free(s, e):
            found.append((s, e, lex.canonical(name), "cued"))
            taken.append((s, e))
        else:  # a known name in a cue's place ("a la agencia Reuters"): the cue is its context
            found = [(a, b, c, "cued" if a < e and s < b else k) for a, b, c, k in found]
    found.sort()
    return found


# German compounds of an agency and its report: "dpa-Informationen", "Reuters-Bericht", "AFP-Meldung"
_REPORT_COMPOUND_HEADS = frozenset("Informationen Bericht Berichten Berichte Meldung Meldungen Angaben Recherchen Recherche Umfrage "
                                   "Interview Gespräch Anfrage Korrespondent Korrespondentin Reporter Reporterin Analyse Zählung".split())
_REPORT_COMPOUND = re.compile(r"(?<![\w-])([^\W\d_][\w]{1,20})-(?:" + "|".join(sorted(_REPORT_COMPOUND_HEADS, key=len, reverse=True))
                              + r")(?![\w-])")


class _Sentences:
    """The sentence of a character offset, and a sentence's bounds."""

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self.spans = spans or [(0, len(text))]
        self.starts = [s for s, _ in self.spans]

    def of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def bounds(self, i: int) -> tuple[int, int]:
        return self.spans[i]


def extract_credits(text: str, own_outlet: str | None, lex: Lexicon, sentences: list[tuple[int, int]],
                    url: str | None = None) -> list[Credit]:
    """Credits of one article; offsets into `text`. ``url``: the article's address, whose host
    also names its own outlet."""
    vocab = frozenset(_PLAIN_WORD.findall(text))
    mentions = _mentions(text, lex, vocab)
    first_line = _FIRST_LINE.match(text)
    title_end = first_line.end(1) if first_line and len(first_line.group(1).split()) <= 25 else 0
    furniture = _furniture_credits(text, lex, title_end, own_outlet is not None, vocab)
    if not mentions and not furniture:
        return []
    names_self = _self_names(own_outlet or _byline_outlet(text), lex, url)
    sents = _Sentences(text, sentences)
    out = _cued_credits(text, mentions, sents, names_self, own_outlet is not None)
    for s, e, name in furniture:  # end lines, sign-offs, datelines, the headline's source
        canon = lex.canonical(name)
        if any(not (e <= a or s >= b) for a, b, *_ in out) or names_self(name, canon):
            continue  # the outlet's own dateline, sign-off or site name
        out.append((s, e, canon, sents.of(s), -2))
    out.sort()
    if out and not vocab.isdisjoint(_ANAPHORA_WORDS):
        out += _anaphora_credits(text, out, lex, sents, vocab)
    out.sort(key=lambda c: (c[0], c[1], c[2]))
    seen = set()
    res = []
    for s, e, name, _, _ in out:
        if (s, e, name) not in seen:
            seen.add((s, e, name))
            res.append(Credit(name, s, e))
    return res


_FIRST_LINE = re.compile(r"\s*([^\n]*)")


def _coordinated(text: str, mentions, sents: _Sentences) -> list[list[int]]:
    """Mentions grouped by coordination ("the AP and Bloomberg"): lists of indexes."""
    groups: list[list[int]] = []
    for k, (s, _, _, _) in enumerate(mentions):
        if groups:
            prev_s, prev_e = mentions[groups[-1][-1]][:2]
            if _CONJ.match(text[prev_e:s]) and sents.of(s) == sents.of(prev_s):
                groups[-1].append(k)
                continue
        groups.append([k])
    return groups


def _has_cue(text: str, pre: str, post: str, cued: bool, ss: int, first_s: int, last_e: int) -> bool:
    """Whether a group of mentions stands in a credit context: a reporting verb after it, a
    cue before it ("according to", "selon", "сообщает"), a report noun after, a wire dateline."""
    if pre[-1:] in _OPENING_QUOTES:
        pre = pre[:-1].rstrip() + " "  # "sagte er der «Financial Times»": the cue is before the quote mark
    if cued or _POST_CUE.match(post) or _PRE_LIST.search(pre) or _PRE_CUE_INTL.search(pre) or _more_cue_before(pre):
        return True
    if _PRE_CUE.search(pre):
        # "by/in/from/of" alone are too common: they count only with a report noun after
        if not _WEAK_PRE.search(pre[-30:]) or _STRONG_WEAK_PRE.search(pre[-60:]):
            return True
    if _REPORT_NOUN_AFTER.match(post) or (_GERMAN_VERB_LAST.match(post) and _GERMAN_CLAUSE_BEFORE.search(pre)) \
            or (_SPLIT_VERB_PARTICLE.match(post) and _SPLIT_VERB_BEFORE.search(pre)):
        return True
    # wire dateline "KYIV (AP) —"
    return bool(_DATELINE.search(text[max(ss, first_s - 45):first_s]) and _DATELINE_AFTER.match(text[last_e:last_e + 6]))


# A German subordinate clause puts its verb last: "wie Direktor Mnich der dpa erläuterte", "wie
# die Nachrichtenagentur Reuters diesen Montag berichtete"
_GERMAN_CLAUSE_BEFORE = re.compile(r"\b(?:[Ww]ie|als|nachdem|dass|[Hh]atte|[Hh]at|[Hh]atten|[Hh]aben)\b[^.;:!?]{0,80}$")
_GERMAN_VERB_LAST = re.compile(r"^(?:\s*\([^)\n]{1,12}\))?[^.;:!?\n]{0,50}?\b(?:berichtete|berichtet|berichteten|meldete|meldet|"
                               r"schrieb|schreibt|erläuterte|erklärte|sagte|bestätigte|mitteilte|zitiert|zitierte|gemeldet|geschrieben)\b")


# ... and splits a verb around its subject: "teilte die APA mit", "gab X bekannt"
_SPLIT_VERB_BEFORE = re.compile(r"\b(?:teilte|teilt|gab|gibt)\s+(?:(?:die|der|das)\s+)?(?:" + _MEDIA_NOUN + r"\s+)?$")
_SPLIT_VERB_PARTICLE = re.compile(r"^\s+(?:\w+\s+){0,3}(?:mit|bekannt)\b")


def _more_cue_before(pre: str) -> bool:
    """_PRE_CUE_MORE at the end of `pre`, tried only where one of its words stands."""
    low = pre[-60:].lower()  # every phrase of the table ends right before the name
    if not any(stem in low for stem in _PRE_CUE_MORE_STEMS) and not (
            " on " in low[-20:] and any(stem in low for stem in _SAID_ON_STEMS)):
        return False
    return bool(_PRE_CUE_MORE.search(pre))


def _cued_credits(text: str, mentions, sents: _Sentences, names_self, own_known: bool) -> list:
    """Mentions in a credit context that are not the article's own outlet:
    [(start, end, source, sentence, group)]."""
    out = []
    for gi, grp in enumerate(_coordinated(text, mentions, sents)):
        first_s, last_e = mentions[grp[0]][0], mentions[grp[-1]][1]
        si = sents.of(first_s)
        ss, se = sents.bounds(si)
        pre = text[max(ss, first_s - 90):first_s]
        post = text[last_e:min(se, last_e + 120)] if se > last_e else text[last_e:last_e + 120]
        if _POSSESSIVE_BEFORE.search(pre) or not _has_cue(
                text, pre, post, any(mentions[k][3] == "cued" for k in grp), ss, first_s, last_e):
            continue  # "his BBC reports": the name qualifies a noun, nothing is credited
        for k in grp:
            s, e, canon, _ = mentions[k]
            if not _is_self(text, s, e, canon, sents, names_self, own_known):
                out.append((s, e, canon, si, gi))
    return out


def _is_self(text: str, s: int, e: int, canon: str, sents: _Sentences, names_self, own_known: bool) -> bool:
    """The article's own outlet, or a byline, footer or self-promotion naming an outlet."""
    if names_self(text[s:e], canon):
        return True
    ss, _ = sents.bounds(sents.of(s))
    pre = text[max(ss, s - 40):s]
    post = text[e:e + 40]
    if _SELF_PRE.search(pre):
        # with a known own outlet, "by/at X" about another outlet is not self-reference,
        # unless it is a byline/footer form
        if not own_known or (_BYLINE_PRE.search(pre) and (
                _SELF_POST.match(post) or not post.strip() or post.lstrip()[:1] in ("\n", "|", "-"))):
            return True
    return bool(_SELF_POST.match(post) and not _POST_CUE.match(post))


_NAME_AFTER = re.compile(r"((?:[ \t]+(?:de|del|of|des|[a-zäöüßéèêàáíóúñçа-яё]{3,14})){0,4})(?:[ \t]*[«„“\"]|[ \t]+[A-ZÀ-ÖØ-ÞА-ЯЁ])")
_VERBS_AND_CUES = _CUE_WORDS | frozenset(w.lower() for w in _PLAIN_WORD.findall(_CUE_VERBS)) | frozenset(
    """that which who whom whose and or but on in at to for with by from as than if when while after before
    dass und oder aber mit für que qui et ou avec pour sur dans y o con para sobre что и а но""".split())


def _introduces_a_name(text: str, pos: int) -> bool:
    """Whether a media noun ending at `pos` introduces a name ("издание «X»", "la agencia oficial
    de noticias rusa Sputnik") rather than standing for one ("the newspaper reported Monday")."""
    m = _NAME_AFTER.match(text, pos)
    return m is not None and _VERBS_AND_CUES.isdisjoint(w.lower() for w in m.group(1).split())
_NAMED_HEADS = ("Journal", "Times", "Post", "Telegraph", "Guardian", "Herald")


def _anaphora_credits(text: str, out: list, lex: Lexicon, sents: _Sentences, vocab: frozenset[str]) -> list:
    """"the agency said", "the newspaper added", "this report", "l'agence précise": resolved to
    the nearest source(s) credited before."""
    found: list[tuple[int, int, str, int, int]] = []
    for m in _matches_near(_ANAPHORA, text, _occurrences(text, vocab.intersection(_ANAPHORA_WORDS)), 16, 12):
        word = next(g for g in m.groups() if g)
        s, e = m.span()
        if any(not (e <= a or s >= b) for a, b, *_ in out) or (word not in _NAMED_HEADS and _introduces_a_name(text, e)):
            continue  # "пишет издание «X»", "the agency Interfax": a name introduced, not an anaphor
        # sources credited before, the anaphora resolved so far included ("the agency said ... the
        # agency added")
        prev = sorted([c for c in out if c[1] <= s] + found)
        if not prev:
            continue
        si = sents.of(s)
        ss, se = sents.bounds(si)
        post = text[e:min(se, e + 120)]
        pre = text[max(ss, s - 90):s]
        cue = bool(_POST_CUE.match(post) or _PRE_CUE.search(pre) or _PRE_CUE_INTL.search(pre) or _more_cue_before(pre))
        if word == "report" and text[s:s + 3].lower() != "the":
            if si - prev[-1][3] > 5 or re.search(r"(?i)\b(?:in|to|for)\s*$", text[max(0, s - 5):s]):
                continue  # "used in this report", "contributed to this report": the article itself
            names, cue = [prev[-1][2]], True
        else:
            names = _anaphora_targets(word, prev, si, lex)
        if cue:
            found.extend((s, e, name, si, -1) for name in names)
    return found


# Heads that name a paper, never a wire ("Europa Press", "Linbury Newswire" are agencies)
_PAPER_HEAD = re.compile(r"(?:Times|Post|Journal|Herald|Gazette|Tribune|Telegraph|Guardian|Chronicle|Observer|Courier|Standard|"
                         r"Clarion|Argus|Sentinel|Mercury|Star|Examiner|Inquirer|Zeitung|Bote|Kurier|Anzeiger|Rundschau)$")


def _anaphora_targets(word: str, prev: list, si: int, lex: Lexicon) -> list[str]:
    """The sources an anaphor refers to: "the Journal" the last credited name with that head,
    "the outlets" the last coordinated group (or the last two), "the agency" the nearest agency,
    "the newspaper" the nearest source that is not one, else the nearest."""
    if word in _NAMED_HEADS:
        return next(([c[2]] for c in reversed(prev) if word.casefold() in c[2].casefold()), [])
    if si - prev[-1][3] > ANAPHORA_SENTENCES:
        return []
    if word in _PLURAL:
        names: list[str] = []
        for c in prev:
            if c[4] == prev[-1][4] and c[2] not in names:
                names.append(c[2])
        for c in reversed(prev):
            if len(names) >= 2:
                break
            if c[2] not in names:
                names.append(c[2])
        return names
    want_agency = bool(_AGENCY_WORD.fullmatch(word))
    want_paper = bool(_PAPER_WORD.fullmatch(word))
    for c in reversed(prev):
        if si - c[3] > ANAPHORA_SENTENCES:
            break
        if (want_agency and _is_agency(c[2], lex)) or (want_paper and not _is_agency(c[2], lex)):
            return [c[2]]
    last = prev[-1][2]
    if want_agency and _GENERIC.fullmatch(last) and _PAPER_HEAD.search(last):
        return []  # "the agency said" after only "the Durnford Standard": not that paper
    return [last]
