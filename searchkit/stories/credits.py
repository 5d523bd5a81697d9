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
    "TASS": ("TASS", "Tass", "tass.com", "tass.ru", "ТАСС"),
    "RIA Novosti": ("RIA Novosti", "RIA", "РИА Новости"),
    "Interfax": ("Interfax", "Interfax-Ukraine", "Интерфакс"),
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
    "Kommersant": ("Kommersant", "Коммерсантъ", "Коммерсант"),
    "Vedomosti": ("Vedomosti", "Ведомости"),
    "Izvestia": ("Izvestia", "Известия"),
    "Frankfurter Allgemeine Zeitung": ("Frankfurter Allgemeine Zeitung", "FAZ", "Frankfurter Allgemeine", "faz.net"),
    "Süddeutsche Zeitung": ("Süddeutsche Zeitung", "sueddeutsche.de"),
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
    "Leader|Express|Mirror|Star|Record|Digest|Report|Newswire|Broadcasting|Online|"
    # German, French, Spanish, Italian, Russian heads of outlet names
    "Zeitung|Nachrichten|Allgemeine|Rundschau|Kurier|Anzeiger|Tagblatt|Tageblatt|Presse|Zeit|Welt|"
    "Courrier|Dépêche|Quotidien|Parisien|Libération|Matin|Soir|Diario|Periódico|Noticias|Prensa|Heraldo|"
    "Mundo|Correo|Nación|Tiempo|Corriere|Gazzetta|Stampa|Repubblica|Газета|Новости|Известия|Ведомости|Правда"
)
# German outlet names written as one word: Handelsblatt, Tagesspiegel, Morgenpost, Abendzeitung.
_COMPOUND = re.compile(r"[A-ZÄÖÜ][a-zäöüß]{2,}(?:blatt|spiegel|post|zeitung|kurier|anzeiger|rundschau|nachrichten|presse|journal|tagblatt|bote|echo)")
_GENERIC_HEAD = re.compile(r"(?:" + _HEAD_NOUNS + r")", re.IGNORECASE)
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
    # German, French, Spanish, Russian: "die Agentur", "l'agence", "la agencia", "агентство"
    r"|(?<![\w-])(?:die|Die|der|Der|das|Das|l['’]|L['’]|le|Le|la|La|el|El)\s*(Agentur|Nachrichtenagentur|Zeitung|Blatt|agence|journal|"
    r"quotidien|agencia|diario|periódico|rotativo)(?![\w-])"
    r"|(?<![\w-])((?i:агентство|издание|газета|телеканал))(?![\w-])"
)
_AGENCY_WORD = re.compile(r"(?i)agency|news agency|wire service|agentur|nachrichtenagentur|agence|agencia|агентство")
_PAPER_WORD = re.compile(r"(?i)newspaper|paper|daily|journal|zeitung|blatt|quotidien|diario|periódico|rotativo|газета|издание")
_AGENCY_NAME = re.compile(r"(?i)\b(?:agency|agence|agencia|agentur|nachrichtenagentur|wire|press association|presse-agentur|"
                          r"news service|агентство)\b")
_KNOWN_AGENCIES = frozenset(("Associated Press", "Reuters", "Agence France-Presse", "dpa", "EFE", "ANSA", "TASS", "RIA Novosti",
                             "Interfax", "Xinhua", "Kyodo News", "Yonhap", "Anadolu Agency", "Press Trust of India",
                             "Ukrinform", "Bloomberg"))


def _is_agency(name: str, lex: "Lexicon") -> bool:
    return lex.canonical(name) in _KNOWN_AGENCIES or bool(_AGENCY_NAME.search(name))


ANAPHORA_SENTENCES = 8  # "the agency said" refers to a source credited at most this many sentences before
_PLURAL = {"outlets", "newspapers", "papers", "agencies", "publications"}

_CUE_VERBS = (
    r"reported|reports|report|reporting|said|says|wrote|writes|revealed|reveals|highlighted|highlights|"
    r"noted|notes|found|finds|learned|learnt|cited|cites|quoted|quotes|claimed|claims|stated|states|"
    r"confirmed|confirms|published|publishes|added|adds|obtained|reviewed|disclosed|discloses|described|"
    r"sources?|calculated|estimated|estimates|analysis|investigation|article|story|citing|quoting|"
    r"reporters?|journalists?|correspondents?|broke|breaks|exclusive|understands|has learned|first reported|"
    r"documented|documents|detailed|details|showed|shows|uncovered|tallied|counted|identified|determined|analy[sz]ed|"
    r"announced|announces|explained|explains|said\s+in\s+a|"
    # German, French, Spanish, Russian reporting verbs after the name ("wie der Spiegel berichtet")
    r"berichtet|berichtete|berichten|meldet|meldete|schreibt|schrieb|zufolge|erfuhr|"
    r"rapporte|rapportait|écrit|écrivait|révèle|affirme|indique|précise|annonce|"
    r"informó|informa|publicó|publica|reveló|revela|señaló|señala|añadió|agregó|"
    r"сообщает|сообщил|сообщила|сообщило|сообщили|пишет|писал|писала|передает|передаёт|уточняет|добавляет|отмечает"
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
# Cues before the name in German, French, Spanish, Russian ("laut dpa", "selon l'AFP", "según
# EFE", "сообщает ТАСС", "berichtet die FAZ", "dijo a Efe"), then articles and media nouns.
_DET = (r"(?:die|der|den|dem|des|das|Die|Der|le|la|les|Le|La|l['’]|L['’]|el|los|las|El|al|del|du|de\s+la|de\s+l['’]|"
        r"à\s+l['’]|au|a\s+la|a\s+los|the|The)")
_MEDIA_NOUN = (
    r"(?:news\s+agency|agency|newspaper|daily|broadcaster|channel|outlet|magazine|website|news\s+site|site|wire\s+service|"
    r"wire|paper|network|tabloid|weekly|publication|"
    r"Nachrichtenagentur|Agentur|Zeitung|Tageszeitung|Wochenzeitung|Magazin|Nachrichtenmagazin|Sender|Fernsehsender|"
    r"Nachrichtenportal|Portal|Blatt|Boulevardzeitung|"
    r"agence(?:\s+de\s+presse)?|journal|quotidien|hebdomadaire|chaîne|radio|télévision|"
    r"agencia(?:\s+de\s+noticias)?|diario|periódico|cadena|revista|emisora|portal|medio|rotativo|canal|"
    r"агентство|агентства|агентству|агентством|информагентство|информагентства|газета|газеты|газете|газету|издание|"
    r"издания|изданию|телеканал|телеканала|телеканалу|портал|портала|радиостанция|радиостанции)"
)
_PRE_CUE_INTL = re.compile(
    r"(?i:\blaut|\bunter\s+Berufung\s+auf|\bgegenüber|\bberichtet(?:e|en)?|\bmeldet(?:e|en)?|\bschreibt|\bschrieb|"
    r"\bsagte|\bsagt|\berklärte|\bzitiert|\bnach\s+(?:Angaben|Informationen|Berichten)(?:\s+von)?|"
    r"\bselon|\bd['’]après|\bciti(?:ant|é|ée)(?:\s+par)?|\brapport(?:e|ait)|\bécrit|\brévèle|\ba\s+(?:déclaré|indiqué|dit|confié|affirmé|précisé)\s+(?:à|au)|"
    r"\b(?:déclare|indique|explique|confie|précise)\s+(?:à|au)|\bannonce|\b(?:indique|précise|ajoute|rapporte|écrit)|"
    r"\b(?:déclaré|dit|confié|affirmé|précisé|indiqué|expliqué)\b[^.;:!?«»\"]{0,60}\s(?:à|au)|"
    r"\b(?:dijo|declaró|indicó|aseguró|explicó|confirmó|contó|afirmó|precisó)\b[^.;:!?«»\"]{0,60}\s(?:a|al)|"
    r"\b(?:añadió|agregó|precisó|indicó)|\b(?:ergänzte|fügte)|"
    r"\bsegún|\bde\s+acuerdo\s+con|\bcitad[oa]\s+por|\bcitando\s+a|\binform(?:ó|a)|\bpublic(?:ó|a)|\brecog(?:e|ió)|"
    r"\b(?:dijo|declaró|indicó|aseguró|explicó|confirmó|señaló|contó|afirmó|precisó|dice)\s+(?:a|al)|\bcon\s+información\s+de|"
    r"(?<!\w)(?:по\s+данным|по\s+информации|со\s+ссылкой\s+на|сообщает|сообщил[аио]?|сообщили|передает|передаёт|пишет|"
    r"как\s+сообщает|как\s+сообщил[аио]?|как\s+пишет|рассказал[аи]?|заявил[аи]?|сказал[аи]?|отмечает|уточняет|информирует))"
    r"\s+(?:" + _DET + r"\s*)?(?:" + _MEDIA_NOUN + r"\s+)?$"
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


# A cue strong enough to credit a name no lexicon knows, when the name is an acronym, quoted,
# or introduced by a media noun ("told the AP", "сообщает «Коммерсантъ»", "la agencia Prensa
# Latina"); persons and institutions after the same cues are not outlets.
_STRONG_CUE = (
    r"(?i:\btold|\btells|\btelling|\bspeaking\s+to|\bspoke\s+to|\bin\s+an\s+interview\s+with|\breported\s+by|\bquoted\s+by|"
    r"\bcited\s+by|\baccording\s+to|\bciting|\bas\s+reported\s+by|\bSource:|\bSources:|\bMaterial\s+from|"
    r"\blaut|\bunter\s+Berufung\s+auf|\bgegenüber|\bberichtet(?:e|en)?|\bmeldet(?:e|en)?|\bschreibt|\bschrieb|\bQuelle:|"
    r"\bselon|\bd['’]après|\bcité(?:e)?\s+par|\bcitant|\brapport(?:e|ait)|\ba\s+(?:déclaré|indiqué|dit|confié|affirmé|précisé)\s+(?:à|au)|"
    r"\bsegún|\bde\s+acuerdo\s+con|\bcitad[oa]\s+por|\bcitando\s+a|\binform(?:ó|a)|\bpublic(?:ó|a)|\bFuente:|"
    r"\b(?:dijo|declaró|indicó|aseguró|explicó|confirmó|señaló|contó|afirmó|precisó|dice)\s+(?:a|al)|\bcon\s+información\s+de|"
    r"(?<!\w)(?:по\s+данным|по\s+информации|со\s+ссылкой\s+на|сообщает|сообщил[аио]?|сообщили|передает|передаёт|пишет|"
    r"как\s+сообщает|как\s+пишет|Источник:))"
)
_CAPWORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w&'’-]*"
_CUED = re.compile(
    _STRONG_CUE + r"\s+(?:" + _DET + r"\s*)?(?P<noun>" + _MEDIA_NOUN + r"\s+)?"
    r"(?:«(?P<q1>[^»\n]{2,40})»|„(?P<q2>[^“”\n]{2,40})[“”]|“(?P<q3>[^”\n]{2,40})”|\"(?P<q4>[^\"\n]{2,40})\"|"
    r"(?P<name>" + _CAPWORD + r"(?:\s+(?:(?:de|del|di|of|für|am)\s+)?" + _CAPWORD + r"){0,3}))"
    r"(?P<after>\s+" + _MEDIA_NOUN + r"(?![\w-]))?"
)
# A name introduced by a media noun, cue or not: "a la agencia Reuters", "de acuerdo con la agencia
# oficial de noticias rusa Sputnik", "die Nachrichtenagentur Ansa", "the news agency Interfax".
_MEDIA_NAMED = re.compile(
    r"(?<![\w-])(?P<noun>" + _MEDIA_NOUN + r")(?:[ \t]+(?:de|del|of|des|de[ \t]+noticias|de[ \t]+presse|[a-zäöüßéèêàáíóúñç]{3,14})){0,4}[ \t]+"
    r"(?P<name>" + _CAPWORD + r"(?:[ \t]+(?:(?:de|del|di|of)[ \t]+)?" + _CAPWORD + r"){0,3})"
)
# Media nouns that also name other things ("agency", "Agentur", "site", "channel"): the name
# after them counts only when known or an acronym.
_AMBIGUOUS_NOUN = re.compile(r"(?i)agency|agentur|agence|agencia|агентство\w*|site|website|portal|channel|network|cadena|canal|"
                             r"radio|wire|paper|publication|sender|medio|chaîne")
# Words that make a sentence a sourcing sentence, for names introduced by a media noun.
_CUE_WORDS = frozenset(
    """according told tells telling citing cited quoted reported reports said says wrote writes confirmed
    laut zufolge berichtet berichtete meldet meldete schreibt schrieb sagte erklärte gegenüber unter
    selon d'après d’après rapporte citant cité indique déclaré écrit affirme confié
    según informaciones información informó informa dijo declaró manifestó indicó aseguró publicó citado recogido
    сообщает сообщил сообщила сообщили передает передаёт пишет данным информации ссылкой заявил""".split())
# Institutions and bodies that are told things and say things, but publish no news.
_NOT_OUTLETS = frozenset(
    "UN EU NATO IMF WHO OSCE IAEA OPEC FBI CIA NSA MI5 MI6 FSB SBU GRU KGB ECB BIS WTO OECD ICC ICJ UNESCO UNICEF "
    "UNHCR IOC FIFA UEFA SEC FDA EPA NASA CDC DOJ DOD IDF MOD MFA US USA UK CEO CFO CTO COO PM MP GOP AI PR IT TV "
    "EFTA DAX GDP BIP KI SPD CDU CSU FDP AFD ООН ЕС НАТО МВФ ВОЗ ФСБ МВД МЧС СБУ ЦБ США".split())
_INSTITUTION = re.compile(
    r"\b(?:Ministry|Ministerium|Ministère|Ministerio|Министерств\w*|Department|Government|Regierung|Gouvernement|Gobierno|"
    r"Council|Commission|Kommission|Police|Polizei|Army|Court|Gericht|University|Universität|Université|Universidad|"
    r"Institute|Institut|Instituto|Bank|Fund|Committee|Authority|Behörde|Office|Amt|Parliament|Congress|Senate|Bundestag|"
    r"Party|Partei|Union|Association|Federation|Bureau|Service|Dienst|Kremlin|Kreml|Pentagon|Кремл\w*|Правительств\w*)\b"
)
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&-]{1,7}$")


# First words of the strong cues: the cue regex is tried only where one of them starts (an
# alternation of this size tried at every character costs more than the rest of the stage).
_CUE_FIRST = frozenset(
    """told tells telling speaking spoke in reported quoted cited according citing as source sources material laut
    unter gegenüber berichtet berichtete berichten meldet meldete melden schreibt schrieb quelle selon d'après d’après
    cité citée citant rapporte rapportait a según de citado citada citando informó informa publicó publica fuente dijo
    declaró indicó aseguró explicó confirmó señaló contó afirmó precisó dice con по со сообщает сообщил сообщила
    сообщило сообщили передает передаёт пишет как источник""".split())


_MEDIA_FIRST = frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", _MEDIA_NOUN) if len(w) > 3 and w not in ("news", "noticias", "presse", "service"))


def _cued_mentions(text: str, words=None, lex: "Lexicon | None" = None):
    """Names after a strong credit cue that no lexicon needs to know: (start, end, name)."""
    out = []
    if words is None:
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    first = _CUE_FIRST
    for s0, _, w in words:
        if w.lower() not in first:
            continue
        m = _CUED.match(text, s0)
        if m is None:
            continue
        for g in ("q1", "q2", "q3", "q4"):
            if m.group(g):
                out.append((m.start(g), m.end(g), m.group(g).strip()))
                break
        else:
            name = m.group("name")
            s = m.start("name")
            if not name or _INSTITUTION.search(name):
                continue
            media = bool(m.group("noun") or m.group("after"))
            if " " not in name and _ACRONYM.match(name) and name not in _NOT_OUTLETS:
                out.append((s, s + len(name), name))
            elif media:
                out.append((s, s + len(name), name))
    for k, (s0, _, w) in enumerate(words):
        if w.lower() not in _MEDIA_FIRST:
            continue
        m = _MEDIA_NAMED.match(text, s0)
        if not m:
            continue
        name = m.group("name")
        if _INSTITUTION.search(name) or name in _NOT_OUTLETS:
            continue
        if _AMBIGUOUS_NOUN.fullmatch(m.group("noun")) and not (lex is not None and (lex.known(name) or lex.known(name.upper()))
                                                            or (" " not in name and _ACRONYM.match(name))):
            continue
        if not any(x[2].lower() in _CUE_WORDS for x in words[max(0, k - 12):k + 16]):
            continue  # "cuyo periódico Novaya Gazeta": a newspaper named, nothing credited to it
        out.append((m.start("name"), m.end("name"), name))
    return out


# Lines that credit whole articles: "Source: AFP", "Material from the Associated Press was used
# in this report", "Mit Material von dpa", "Con información de EFE", "With reporting by Reuters".
_END_LINE = re.compile(
    r"(?:^[ \t]*|[–—]\s*)\(?(?:(?:Sources?|Quellen?|Fuentes?|Источник(?:и)?)\s*[:：]|Material\s+from|Mit\s+Material\s+(?:von|der|des)|"
    r"(?:With|Additional)\s+(?:additional\s+)?reporting\s+(?:by|from)|Con\s+información\s+de|Avec|"
    r"По\s+материалам|This\s+(?:article|story|report)\s+(?:was\s+)?(?:originally|first)\s+(?:published|appeared)\s+(?:by|in|on))"
    r"\s*(?:(?:the|The|den|der|l['’]|la|el)\s+)?(?:(?:news\s+)?agenc(?:y|ies)\s+|Nachrichtenagentur(?:en)?\s+|agencias?\s+)?"
    r"(?P<names>[^\n]{1,120}?)\s*(?:was\s+used\s+in\s+this\s+(?:report|article|story)|contributed\s+to\s+this\s+(?:report|article))?"
    r"[ \t.]*$", re.MULTILINE)
_LIST_SPLIT = re.compile(r"\s*(?:,|/|;|\band\b|\bund\b|\bet\b|\by\b|\bи\b|&)\s*")
# An agency sign-off closing a paragraph: "... (dpa)", "... (AFP)", "... EFE", "(dpa/AFP)".
_SIGN_OFF = re.compile(
    r"(?:\(\s*(?P<p>[^()\n]{2,30}?)\s*\)|(?<=[.!?»”\"]\s)[—–-]\s*(?P<dash>[^\W\d_][\w./ -]{1,28}?)|(?<=[.!?»”\"]\s)(?P<bare>[A-ZА-ЯЁ][A-Za-zА-ЯЁа-яё-]{1,9}))[ \t.]*(?=\n|$)")
# A wire dateline without a date: "KYIV (Reuters) -", "Madrid (EFE).-", "BERLIN, 5. Mai (dpa) -".
_DATELINE_ANY = re.compile(
    r"(?m)^[ \t]*[A-ZÀ-ÖØ-ÞА-ЯЁ][\w .,'’-]{1,60}?\(\s*(?P<name>[^(),\n\d]{2,30}?)\s*\)\s*(?:\.?\s*[-—–:]|\.-)"
)
# A headline that names its source: "...: Reuters report", "... | Bloomberg", "... - AFP".
_HEADLINE_CREDIT = re.compile(
    r"(?:[:|–—-]\s*(?P<rep>[^:|\n]{2,40}?)\s+(?:report|Report|reports|says|berichtet|rapporte|informa)|"
    r"\s[|–—-]\s*(?P<bar>[^:|\n]{2,40}?))[ \t]*$"
)


_BYLINE_PERSON = re.compile(
    r"[ \t]*(?:By|Par|Von|Por|De|Автор:|Author:)?\s*[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+){1,3}\s*$")


def _name_like(name: str, lex: "Lexicon") -> bool:
    """A short outlet or agency name as sign-offs and end lines write it (known or not)."""
    n = name.strip(" .")
    if not n or len(n) > 40 or _INSTITUTION.search(n) or n in _NOT_OUTLETS:
        return False
    if lex.known(n) or lex.known(n.upper()) or _GENERIC.fullmatch(n) or _DOMAIN.fullmatch(n) or _COMPOUND.fullmatch(n):
        return True
    if "-" in n and " " not in n and lex.known(n.split("-")[0]):
        return True  # "dpa-AFX", "Reuters-Ukraine"
    ws = n.split()
    if len(ws) == 1:
        return bool(_ACRONYM.match(n))
    return len(ws) <= 4 and all(w[:1].isupper() or w in ("de", "del", "of", "für", "la", "di") for w in ws)


def _split_names(span_text: str, base: int):
    """A list of names ("dpa, AFP and Reuters") -> [(start, end, name)]."""
    out = []
    pos = 0
    for m in list(_LIST_SPLIT.finditer(span_text)) + [None]:
        end = m.start() if m else len(span_text)
        piece = span_text[pos:end]
        stripped = piece.strip(" .()")
        if stripped:
            off = piece.index(stripped)
            out.append((base + pos + off, base + pos + off + len(stripped), stripped))
        if m:
            pos = m.end()
    return out


def _furniture_credits(text: str, lex: "Lexicon", title_end: int, own_known: bool):
    """Credits stated by an article's furniture: end lines, agency sign-offs, wire datelines
    without a date, a headline's source. [(start, end, name)]."""
    out = []
    for m in _END_LINE.finditer(text):
        for s, e, n in _split_names(m.group("names"), m.start("names")):
            # "По материалам издания «X»", "Material from the news agency X": the name itself
            lead = re.match(r"(?:(?:the|The|der|den|l['’]|la|el)\s+)?(?:" + _MEDIA_NOUN + r"\s+)?[«„“\"]?", n)
            if lead and lead.end() and lead.end() < len(n):
                s += lead.end()
                n = n[lead.end():].rstrip("»“”\"")
            n2 = re.sub(r"^(?:the|The|der|den|l['’]|la|el)\s+", "", n)
            s += len(n) - len(n2)
            if _name_like(n2, lex):
                out.append((s, s + len(n2), n2))
    for m in _SIGN_OFF.finditer(text):
        g = "p" if m.group("p") else "dash" if m.group("dash") else "bare"
        inner = m.group(g)
        if g == "bare" and not (lex.known(inner) or lex.known(inner.upper())):
            continue  # a bare last word is a sign-off only when it is a known agency ("... EFE")
        if g == "p" and _BYLINE_PERSON.match(text, text.rfind("\n", 0, m.start()) + 1, m.start()):
            continue  # "Par Julien Roussel (La Dépêche)": a byline's affiliation, the outlet itself
        if g == "p":
            # "the International Monetary Fund (IMF)": the acronym spelled out just before it
            initials = "".join(w[:1] for w in text[max(0, m.start() - 120):m.start()].split()[-len(inner):])
            if initials.upper() == inner.upper():
                continue
        for s, e, n in _split_names(inner, m.start(g)):
            # unknown: one all-letter acronym of 3+ letters ("(SID)"); "(JP)", "(CH4)", "(Daniil
            # Kvyat)" are initials, formulas and asides
            if lex.known(n) or lex.known(n.upper()) or (
                    n.isalpha() and n.isupper() and len(n) >= 3 and _name_like(n, lex)):
                out.append((s, e, n))
    # a name alone on one of the last lines: the agency's sign-off ("Efe", "Fenul Wire Service")
    tail = [m for m in re.finditer(r"(?m)^[ \t]*(\S[^\n]{0,40}?)[ \t.]*$", text[-600:])][-6:]
    base = max(0, len(text) - 600)
    for m in tail:
        n = m.group(1)
        if (lex.known(n) or lex.known(n.upper()) or (_ACRONYM.match(n) and len(n) >= 3)) and not _INSTITUTION.search(n) \
                and n not in _NOT_OUTLETS:
            out.append((base + m.start(1), base + m.end(1), n))
    for m in _DATELINE_ANY.finditer(text):
        for s, e, n in _split_names(m.group("name"), m.start("name")):
            if _name_like(n, lex):
                out.append((s, e, n))
    if title_end > 0:
        head = _HEADLINE_CREDIT.search(text, 0, title_end)
        if head:
            g = "rep" if head.group("rep") else "bar"
            n = head.group(g).strip()
            # "Headline | Name" is a site's own name unless the article's outlet is known to differ
            if _name_like(n, lex) and (g == "rep" or own_known):
                out.append((head.start(g), head.start(g) + len(n), n))
    return out


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
        if n < len(words) and len("".join(m_words)) >= 3 and not (n == 1 and _GENERIC_HEAD.fullmatch(mention.strip())):
            return any(words[i:i + n] == m_words for i in range(len(words) - n + 1))
        return False
    return is_own




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
        self._upper: dict[str, str] | None = None

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
        self._upper = None
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

    def upper_aliases(self) -> dict[str, str]:
        """Title-case spelling -> alias, for all-capital one-word aliases of 3+ letters ("Efe")."""
        if self._upper is None:
            self._upper = {a[:1] + a[1:].lower(): a for a in self.aliases
                           if len(a) >= 3 and " " not in a and a.isupper() and a.isalpha()
                           and a[:1] + a[1:].lower() not in self.aliases}
        return self._upper

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
    upper_only = lex.upper_aliases()
    while i < nw:
        s0, e0, w0 = words[i]
        if w0[1:2] in ("'", "’") and w0[:1] in "lLdD" and len(w0) > 3:
            s0, w0 = s0 + 2, w0[2:]  # French elision: "l'Agence France-Presse", "d'AFP"
            words[i] = (s0, e0, w0)
        maxn = first.get(w0, 0)
        if w0[-2:] in ("’s", "'s"):
            maxn = max(maxn, first.get(w0[:-2], 0))
        if not maxn:
            if w0 in upper_only:  # "Efe", "Tass": an agency's acronym in title case
                found.append((s0, e0, aliases[upper_only[w0]], "lex"))
                taken.append((s0, e0))
            i += 1
            continue
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
    for m in _COMPOUND.finditer(text):
        s, e = m.span()
        if free(s, e) and (s == 0 or not text[s - 1].isalnum()) and (e == len(text) or not text[e].isalnum()):
            found.append((s, e, lex.canonical(m.group()), "generic"))
            taken.append((s, e))
    for s, e, name in _cued_mentions(text, words, lex):
        if free(s, e):
            found.append((s, e, lex.canonical(name), "cued"))
            taken.append((s, e))
        else:  # a known name in a cue's place ("a la agencia Reuters"): the cue is its context
            found = [(a, b, c, "cued" if a < e and s < b else k) for a, b, c, k in found]
    found.sort()
    return found


def extract_credits(text: str, own_outlet: str | None, lex: Lexicon, sentences: list[tuple[int, int]],
                    url: str | None = None) -> list[Credit]:
    """Credits of one article; offsets into `text`. ``url``: the article's address, whose host
    also names its own outlet."""
    names_self = _self_names(own_outlet, lex, url)
    own = squash(own_outlet) if own_outlet else None
    mentions = _mentions(text, lex)
    first_line = re.match(r"\s*([^\n]*)", text)
    title_end = first_line.end(1) if first_line and len(first_line.group(1).split()) <= 25 else 0
    furniture = _furniture_credits(text, lex, title_end, own is not None)
    if not mentions and not furniture and not _ANAPHORA.search(text):
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
        if names_self(text[s:e], canon):
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
        cue = bool(_POST_CUE.match(post)) or bool(_PRE_LIST.search(pre)) or bool(_PRE_CUE_INTL.search(pre)) or any(
            mentions[k][3] == "cued" for k in grp)
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
    # furniture: end lines, sign-offs, datelines, the headline's source
    for s, e, name in furniture:
        if any(not (e <= a or s >= b) for a, b, *_ in out):
            continue
        canon = lex.canonical(name)
        if names_self(name, canon):
            continue  # the outlet's own dateline, sign-off or site name
        out.append((s, e, canon, sent_of(s), -2))
    out.sort()
    # anaphora: resolve to the nearest preceding credited source(s)
    for m in _ANAPHORA.finditer(text):
        word = next(g for g in m.groups() if g)
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
            cue = bool(_POST_CUE.match(post)) or bool(_PRE_CUE.search(pre)) or bool(_PRE_CUE_INTL.search(pre))
        elif word == "report":
            if si - prev[-1][3] > 5 or re.search(r"\b(?:in|to|for)\s*$", text[max(0, s - 5):s]):
                continue  # "used in this report", "contributed to this report": the article itself
            targets = [(prev[-1][2],)]
            cue = True
        else:
            if si - prev[-1][3] > ANAPHORA_SENTENCES:
                continue
            cue = bool(_POST_CUE.match(post)) or bool(_PRE_CUE.search(pre)) or bool(_PRE_CUE_INTL.search(pre))
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
                # "the agency" is the nearest agency credited before, "the newspaper" the
                # nearest source that is not one; else simply the nearest
                want_agency = bool(_AGENCY_WORD.fullmatch(word))
                want_paper = bool(_PAPER_WORD.fullmatch(word))
                pick = prev[-1]
                for c in reversed(prev):
                    if si - c[3] > ANAPHORA_SENTENCES:
                        break
                    if (want_agency and _is_agency(c[2], lex)) or (want_paper and not _is_agency(c[2], lex)):
                        pick = c
                        break
                targets = [(pick[2],)]
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
