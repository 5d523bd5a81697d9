"""The phrases of credits, one table per form and language: the cues before and after an
outlet's name ("according to", "selon", "según", "laut", "сообщает", "X reported"), end lines and
aggregator source lines, anaphora ("the agency", "l'agence", "издание"), self-references, and the
words that tell an institution or a heading from an outlet. Only data: the rules that use them are
in credits.py."""
from __future__ import annotations

import re

_ANAPHORA = re.compile(
    r"(?<![\w-])(?:the|The|both|Both|these|These)\s+(outlets|outlet|newspapers|newspaper|papers|paper|agencies|agency|"
    r"news agency|broadcaster|publications|publication|daily|wire service|magazine|tabloid|network|channel|website|"
    r"Journal|Times|Post|Telegraph|Guardian|Herald)(?![\w-])"
    r"|(?<![\w-])(?:this|This|that|That)\s+(report)(?![\w-])|(?<![\w-])(?:the|The)\s+(report|dispatch)(?=\s+(?:said|says|added|adds|noted|continued|stated))"
    # German, French, Spanish, Russian: "die Agentur", "l'agence", "la agencia", "агентство"
    r"|(?<![\w-])(?:die|Die|der|Der|das|Das|l['’]|L['’]|le|Le|la|La|el|El)\s*(Agentur|Nachrichtenagentur|Zeitung|Blatt|Magazin|Sender|agence|"
    r"journal|quotidien|hebdomadaire|magazine|chaîne|agencia|diario|periódico|rotativo|revista|cadena|"
    r"Tageszeitung|Wochenzeitung|Nachrichtenmagazin|Dienst|Nachrichtendienst|Portal|publication|site|média|radio|titre|dépêche|"
    r"publicación|medio|portal|emisora)(?![\w-])"
    r"|(?<![\w-])((?i:агентство|информагентство|издание|газета|телеканал|журнал|портал|радиостанция))(?![\w-])"
    r"|(?<![\w-])(?:in\s+dem|im)\s+(Bericht|Artikel)(?![\w-])|(?<![\w-])[вВ]\s+(публикации|материале|статье)(?![\w-])"
)
_AGENCY_WORD = re.compile(r"(?i)agency|news agency|wire service|agentur|nachrichtenagentur|agence|agencia|агентство|информагентство|"
                          r"dienst|nachrichtendienst")
_PAPER_WORD = re.compile(r"(?i)newspaper|paper|daily|journal|zeitung|blatt|quotidien|diario|periódico|rotativo|газета|издание|"
                         r"magazine|tabloid|magazin|hebdomadaire|revista|журнал|tageszeitung|wochenzeitung|nachrichtenmagazin|"
                         r"publication|publicación|titre|dépêche|bericht|artikel|публикации|материале|статье")
_CUE_VERBS = (
    r"reported|reports|report|reporting|said|says|wrote|writes|revealed|reveals|highlighted|highlights|"
    r"noted|notes|found|finds|learned|learnt|cited|cites|quoted|quotes|claimed|claims|stated|states|"
    r"confirmed|confirms|published|publishes|added|adds|obtained|reviewed|disclosed|discloses|described|"
    r"sources?|calculated|estimated|estimates|analysis|investigation|article|story|citing|quoting|"
    r"reporters?|journalists?|correspondents?|broke|breaks|exclusive|understands|has learned|first reported|"
    r"documented|documents|detailed|details|showed|shows|uncovered|tallied|counted|identified|determined|analy[sz]ed|"
    r"announced|announces|explained|explains|said\s+in\s+a|continues|continued|went\s+on|put\s+it|puts\s+it|"
    # German, French, Spanish, Russian reporting verbs after the name ("wie der Spiegel berichtet")
    r"berichtet|berichtete|berichten|berichteten|meldet|meldete|schreibt|schrieb|zufolge|erfuhr|unter\s+Berufung\s+auf|"
    r"interviewed|interviews|interviewte|interviewt|"
    r"rapporte|rapportait|écrit|écrivait|révèle|affirme|indique|précise|annonce|"
    r"informó|informa|publicó|publica|reveló|revela|señaló|señala|añadió|agregó|"
    r"сообщает|сообщил|сообщила|сообщило|сообщили|пишет|писал|писала|передает|передаёт|уточняет|добавляет|отмечает"
)
_POST_CUE = re.compile(
    r"^(?:['’]s?\s+(?-i:(?:[A-Z][\w'’-]+\s+){1,3})|['’]s)?\s*(?:\([^)]{0,40}\)\s*)?(?:,\s*(?:citing|quoting)\s[^,.;]{0,80},\s*)?"
    r"(?:(?:has|have|had|was|were|is|are|first|also|later|previously|earlier|exclusively|then|separately|"
    r"initially|on\s+\w+|on\s+\w+\s+\d+|in\s+\w+|\w+ly)\s+){0,3}(?:" + _CUE_VERBS + r")\b",
    re.IGNORECASE,
)
_PRE_CUE = re.compile(
    r"(?:\baccording\s+to|\bciting|\bcited|\bcites|\bquoted\s+by|\breported\s+by|\bas\s+per|\bper|"
    r"\btold|\btelling|\btells|\btell|\bsaid\s+to|\bsuggested\s+to|\bconfirmed\s+to|\bspeaking\s+to|\bspoke\s+to|"
    r"\bspeaking\s+with|\binterview\s+with|\binterviews\s+with|\bwrote\s+in|\bwriting\s+in|\bpublished\s+(?:in|by)|"
    r"\bappeared\s+in|\breports?\s+by|\breported|\breports|\bquoting|\bvia|\bin\s+an?\s+(?:report|article|story|interview)\s+(?:by|in|with|for)|"
    r"\b(?:headline|editorial|op-ed|column|piece)\s+(?:in|by)|\bin\s+(?:comments|remarks|a\s+statement)\s+to|"
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
    r"\b(?:déclare|indique|explique|confie|précise)\s+(?:à|au)|\bannonce|\b(?:indique|précise|ajoute|rapporte|écrit|poursuit|souligne|explique)|"
    r"\b(?:déclaré|dit|confié|affirmé|précisé|indiqué|expliqué)\b[^.;:!?«»\"]{0,60}\s(?:à|au)|"
    r"\b(?:dijo|declaró|indicó|aseguró|explicó|confirmó|contó|afirmó|precisó|comentó|manifestó|reconoció|admitió|advirtió|"
    r"aseguraba|explicaba|contaba|decía|detalló|relató)\b[^.;:!?«»\"]{0,60}\s(?:a|al)|"
    r"\b(?:añadió|agregó|precisó|indicó|añade|agrega|precisa|indica|señala|explica|apunta|subraya)|\b(?:ergänzte|fügte)|"
    r"(?-i:,\s*so)|(?<!\w)(?:добавляет|добавил[аио]?|уточнил[аио]?|отметил[аио]?|подчеркивает|подчёркивает|подчеркнул[аио]?)|"
    r"\b(?:sagte|sagt|erklärte|erklärt|erläuterte|bestätigte|betonte|versicherte|schilderte|sagten|erklärten)\b[^.;:!?„“»«\"]{0,80}\s(?:der|dem)|"
    r"\b(?:Bericht|Berichten|Artikel|Recherchen|Interview)(?=\s+(?:des|der|dem|von|im)\s)|"
    r"\b(?:article|enquête|reportage|entretien|informe|reportaje|artículo|entrevista|dépêche|despacho|cable|nota)\s+(?:de|d['’](?=\S)|du|del|con)|"
    r"\b(?:dépêche|dépêches)|\b(?:Meldung|Meldungen)\s+(?:der|des|von)|"
    r"\bsegún|\bde\s+acuerdo\s+con|\bcitad[oa]\s+por|\bcitando\s+a|\binform(?:ó|a)|\bpublic(?:ó|a)|\brecog(?:e|ió)|\brecogid[oa]s?\s+por|\bauf\s+(?:Nachfrage|Anfrage)|"
    r"\b(?:dijo|declaró|indicó|aseguró|explicó|confirmó|señaló|contó|afirmó|precisó|dice)\s+(?:a|al)|\bcon\s+información\s+de|"
    r"(?<!\w)(?:(?:сообщил|сказал|заявил|рассказал|пояснил)[аи]?\s+(?:он|она|они)|по\s+данным|по\s+информации|со\s+ссылкой\s+на|сообщает|сообщил[аио]?|сообщили|передает|передаёт|пишет|"
    r"как\s+сообщает|как\s+сообщил[аио]?|как\s+пишет|рассказал[аи]?|заявил[аи]?|сказал[аи]?|отмечает|уточняет|информирует))"
    r"\s+(?:" + _DET + r"\s*)?(?:" + _MEDIA_NOUN + r"\s+)?$"
)
# More cues that stand right before the credited name, one line per language. Each is a way
# copy attributes a fact or a quote to a newsroom; the name after it must still be an outlet.
_PRE_CUE_MORE = re.compile(
    r"(?i:"
    # en: "a copy obtained by the AP", "documents seen by Reuters", "compiled from reports by X",
    # "as first reported by X", "Read more at X" (an aggregator's source line), "said ... on CNN"
    r"\b(?:obtained|seen|reviewed|reached|contacted)\s+by|\b(?:a|the|A|The)\s+(?:report|dispatch|story|article)\s+(?:from|by)|\bcompiled\s+from\s+(?:wire\s+)?reports\s+by|\bfirst\s+reported\s+by|\bread\s+more\s+at|"
    r"\b(?:said|says|told|speaking|spoke|appearing|appeared|interviewed)\b[^.;:!?\n]{0,50}?\son|"
    # fr: "à en croire X", "d'après les informations de X", "interrogé par X", and the verb put
    # after the quote it ends ("..., relate X", "cite X", "rapportent X")
    r"\ba\s+appris|\bcomme\s+l['’]a\s+(?:révélé|rapporté|indiqué|annoncé|écrit|relevé)|\b(?:avait|a)\s+(?:rapporté|révélé|indiqué|annoncé|écrit)|\baffirme|\bà\s+en\s+croire|\b(?:d['’]après|selon)\s+(?:les|des)\s+informations\s+(?:de|du|d['’]|des)|"
    r"\b(?:interrogé|contacté|joint|sollicité|questionné)e?s?\s+par|\b(?:relate|cite|raconte|signale|détaille|rapportent|écrivent)|"
    # es: "según datos de X", "según informó X", "adelantó X", "en declaraciones a X", "consultado por X"
    r"\bsegún\s+(?:datos|informaciones|información|cifras|fuentes)\s+(?:de|del)|\bsegún\s+ha\s+(?:podido\s+saber|sabido|conocido)|"
    r"\bsegún\s+(?:informa|informó|publica|publicó|recoge|recogió|adelanta|adelantó|detalla|detalló)|"
    r"\b(?:adelant(?:ó|a)|detall(?:ó|a)|difund(?:ió|e)|avanz(?:ó|a)|escrib(?:ió|e)|report(?:ó|a)|relat(?:ó|a)|consign(?:ó|a)|"
    r"destac(?:ó|a)|subray(?:ó|a)|remarc(?:ó|a)|apunt(?:ó|a))|\bvia|\bveröffentlicht(?:e|en)?|"
    r"\ben\s+declaraciones\s+(?:a|al)|\b(?:consultad|preguntad|entrevistad)[oa]s?\s+por|\ben\s+(?:una\s+)?entrevista\s+(?:con|en|a|al)|"
    # de: "auf Anfrage von X", "heißt es bei X", "im Gespräch mit X", "so formuliert es X"
    r"\bauf\s+(?:Nachfrage|Anfrage)\s+(?:von|bei)|\b(?:heißt|hieß)\s+es\s+(?:bei|beim|in|im)|\bim\s+(?:Gespräch|Interview)\s+mit|\bso\s+formuliert\s+es|"
    # ru: "говорится в сообщении X", "цитирует X", "передают X", "по сообщению X", and a speech
    # verb with its speaker before the outlet it was said to ("рассказал Сергей Белов Интерфаксу")
    r"(?<!\w)(?:говорится\s+в\s+(?:сообщении|материале|публикации|статье|заявлении)|(?:уточняется|говорится|отмечается|сообщается|подчеркивается)|следует\s+из\s+(?:публикации|сообщения|материала)|сообщал[аио]?(?:\s+в\s+[а-яё]+)?|цитиру(?:ет|ют)|передают|по\s+сообщению|"
    r"(?:рассказал|сказал|заявил|сообщил|пояснил|подтвердил)[аио]?\s+(?-i:(?:[А-ЯЁ][а-яё]+\s+)?[А-ЯЁ][а-яё]+)|"
    r"написал[аио]?(?:\s+[а-яё]+){0,3})|\b(?:así\s+)?lo\s+(?:contó|relató|explicó|resumió|publicó)|"
    # other languages of the press: "ifølge/enligt/volgens/segundo/secondo/według X" (according
    # to), "em entrevista à X", "riferisce/riporta X", "podaje/informuje X"
    r"\b(?:ifølge|iflg\.|enligt|volgens|aldus|segundo|secondo|według|podług)|\bem\s+entrevista\s+(?:à|ao)|"
    r"\b(?:riferisce|riporta|rapporterar|rapporterer|meldt|melder|podaje|informuje)(?:\s+(?:både|begge))?)"
    r"(?:\s+|(?<=['’]))(?:" + _DET + r"\s*)?(?:" + _MEDIA_NOUN + r"\s+)?$"
)
# Every match of _PRE_CUE_MORE holds one of these (lower-case): a cheap test before the regex
_PRE_CUE_MORE_STEMS = tuple("""obtained seen reviewed reached contacted compiled reported read interview appris révélé
    croire informations interrog contact joint sollicit question relate cite raconte signale détaille rapportent écrivent
    следует сообщало сообщал уточняется отмечается сообщается подчеркивается hieß rapporté révélé annoncé según saber sabido conocido affirme adelant detall difund avanz escrib report relat consign declaraciones consultad preguntad entrevista contó
    explicó resumió publicó destac subray remarc apunt via veröffentlicht anfrage nachfrage heißt gespräch formuliert говорится цитиру передают сообщению рассказал
    сказал заявил сообщил пояснил подтвердил написал ifølge iflg enligt volgens aldus segundo secondo według podług
    riferisce riporta rapporter meldt melder podaje informuje""".split())
# ... and the speech verbs of "said ... on CNN", which count only with "on" just before the name
_SAID_ON_STEMS = ("said", "says", "told", "speak", "spoke", "appear", "interview")
# "by/in/from/of" alone are too common: they count only with a report-noun after the mention
_WEAK_PRE = re.compile(r"(?:\bby|\bin|\bfrom|\bof)\s+(?:the\s+|a\s+|an\s+)?[\w\s.-]*$", re.IGNORECASE)
_REPORT_NOUN_AFTER = re.compile(r"^(?:['’]s)?\s+(?:report|reporting|article|story|analysis|investigation|interview|sources?|"
                                r"count|tally|estimate|calculations?|piece|column|op-ed|editorial|broadcast|podcast|documentary|scoop)\b", re.IGNORECASE)
_PRE_LIST = re.compile(
    r"(?:\bciting|\baccording\s+to|\btold|\bcited|\bquoting)\s+[^.;:!?]{0,60}?(?:\s+and|,|\s*&)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CONJ = re.compile(r"^\s*(?:,\s*)?(?:and|&|or|,|und|oder|et|ou|y|и|или|och|og)\s+(?:the\s+)?$", re.IGNORECASE)
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
    r"\bcited\s+by|\baccording\s+to|\bciting|\bas\s+reported\s+by|\bin\s+(?:comments|remarks|a\s+statement)\s+to|\brecogid[oa]s?\s+por|\bauf\s+(?:Nachfrage|Anfrage)|\bSource:|\bSources:|\bMaterial\s+from|"
    r"\blaut|\bunter\s+Berufung\s+auf|\bgegenüber|\bberichtet(?:e|en)?|\bmeldet(?:e|en)?|\bschreibt|\bschrieb|\bQuelle:|"
    r"\bselon|\bd['’]après|\bcité(?:e)?\s+par|\bcitant|\brapport(?:e|ait)|\ba\s+(?:déclaré|indiqué|dit|confié|affirmé|précisé)\s+(?:à|au)|"
    r"\bsegún|\bde\s+acuerdo\s+con|\bcitad[oa]\s+por|\bcitando\s+a|\binform(?:ó|a)|\bpublic(?:ó|a)|\bFuente:|"
    r"\b(?:dijo|declaró|indicó|aseguró|explicó|confirmó|señaló|contó|afirmó|precisó|dice)\s+(?:a|al)|\bcon\s+información\s+de|"
    r"(?<!\w)(?:(?:сообщил|сказал|заявил|рассказал|пояснил)[аи]?\s+(?:он|она|они)|по\s+данным|по\s+информации|со\s+ссылкой\s+на|сообщает|сообщил[аио]?|сообщили|передает|передаёт|пишет|"
    r"как\s+сообщает|как\s+пишет|Источник:)|"
    # the strong ones of _PRE_CUE_MORE: "à en croire", "d'après les informations de",
    # "relate", "cite", "interrogé par", "según datos de", "adelantó", "en declaraciones a", "auf
    # Anfrage von", "heißt es bei", "im Gespräch mit", "цитирует", "говорится в сообщении", "Mitarbeit:"
    r"(?i:\bà\s+en\s+croire|\b(?:d['’]après|selon)\s+(?:les|des)\s+informations\s+(?:de|du|d['’]|des)|\b(?:relate|cite|raconte)|"
    r"\b(?:interrogé|contacté|joint|sollicité|questionné)e?s?\s+par|\b(?:indique|précise|ajoute|souligne)|"
    r"\bsegún\s+(?:datos|informaciones|información|cifras)\s+(?:de|del)|\b(?:adelant(?:ó|a)|recogió|detall(?:ó|a))|"
    r"\ben\s+declaraciones\s+(?:a|al)|\b(?:consultad|preguntad|entrevistad)[oa]s?\s+por|"
    r"\bauf\s+(?:Nachfrage|Anfrage)\s+(?:von|bei)|\bheißt\s+es\s+(?:bei|beim|in|im)|\bim\s+(?:Gespräch|Interview)\s+mit|\bMitarbeit:|"
    r"\b(?:así\s+)?lo\s+(?:contó|relató|explicó|resumió|publicó)|(?<!\w)(?:цитиру(?:ет|ют)|передают|написал[аио]?)))"
)
# An agency word that says it is a news agency ("news agency", "state news agency", "agencia de
# noticias"), and the qualifiers that say another kind ("the statistics agency", "space agency").
_NEWS_QUALIFIED = re.compile(r"(?i)(?:news|press|wire|информационн\w+)[\s-]+(?:\w+\s+)?(?:agency|агентство)|"
                             r"(?:agence\s+de\s+presse|agencia\s+de\s+noticias|nachrichtenagentur|presseagentur|информагентство)")
_QUALIFIER_BEFORE = re.compile(r"(?<![\w-])(?!(?:the|a|an|news|press|wire|state|state-run|official|national|la|el|l|die|der|des)\s)"
                               r"[a-zа-яё][\w-]+\s+$")
_NEWSY = frozenset("de del of des noticias presse press news informativa información official oficial state".split())
# Words that make a sentence a sourcing sentence, for names introduced by a media noun.
_CUE_WORDS = frozenset(
    """according told tells telling citing cited quoted reported reports said says wrote writes confirmed
    laut zufolge berichtet berichtete meldet meldete schreibt schrieb sagte erklärte gegenüber unter
    selon d'après d’après rapporte citant cité indique déclaré écrit affirme confié
    según acuerdo recogida recogidos recogidas informaciones información informó informa dijo declaró manifestó indicó aseguró publicó citado recogido
    сообщает сообщил сообщила сообщили передает передаёт пишет данным информации ссылкой заявил заявила сказал сказала
    рассказал рассказала добавил добавила добавляет пояснил пояснила
    croire informations relate cite citant interrogé contacté interviewte interviewed adelantó recogió detalló declaraciones datos
    anfrage nachfrage heißt mitarbeit говорится сообщении цитирует цитируют передают""".split())
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
# Words of the strong cues: the cue regex is tried only where one of them stands (an
# alternation of this size tried at every character costs more than the rest of the stage).
# A cue that starts with a short common word is found by its distinctive word ("interview" in
# "in an interview with", "данным" in "по данным") and tried from the two words before it.
_CUE_FIRST = frozenset(
    """told tells telling speaking spoke reported quoted cited according citing source sources material laut
    unter gegenüber berichtet berichtete berichten meldet meldete melden schreibt schrieb quelle selon d'après d’après
    cité citée citant rapporte rapportait según citado citada citando informó informa publicó publica fuente dijo
    declaró indicó aseguró explicó confirmó señaló contó afirmó precisó dice сообщает сообщил сообщила
    сообщило сообщили передает передаёт пишет источник сказал сказала заявил заявила рассказал рассказала
    пояснил пояснила recogido recogida recogidos recogidas relate cite raconte interrogé interrogée contacté
    contactée jointe sollicité questionné indique précise ajoute souligne adelantó adelanta recogió detalló
    detalla consultado consultada preguntado entrevistado mitarbeit написал написала написало цитирует цитируют передают""".split())
_CUE_INNER = frozenset(
    """interview comments remarks statement acuerdo información nachfrage anfrage данным информации ссылкой
    déclaré indiqué dit confié affirmé précisé croire informations datos informaciones cifras declaraciones
    gespräch heißt contó relató resumió explicó publicó""".split())
# Lines that credit whole articles: "Source: AFP", "Material from the Associated Press was used
# in this report", "Mit Material von dpa", "Con información de EFE", "With reporting by Reuters".
_END_LINE = re.compile(
    r"(?:^[ \t]*|[–—-][ \t]*)\(?(?:(?:Sources?|Quellen?|Fuentes?|Источник(?:и)?|Bron|Fonte|Źródło|Kilde|Källa|Lähde)\s*[:：]|"
    # lines that name contributors, reporters as often as newsrooms: the names must look like outlets
    r"(?P<contrib>Mitarbeit\s*[:：]|(?:With|Additional)\s+(?:additional\s+)?reporting\s+(?:by|from))|"
    r"Material\s+from|Mit\s+(?:Agentur)?[Mm]aterial\s+(?:von|der|des)|Compiled\s+from\s+(?:wire\s+)?reports\s+by|"
    r"(?:Con\s+)?[Ii]nformación\s+de|[Aa]vec|"
    r"При\s+подготовке(?:\s+(?:материала|публикации|статьи))?\s+использованы\s+(?:материалы|данные)|"
    r"По\s+материалам|This\s+(?:article|story|report)\s+(?:was\s+)?(?:originally|first)\s+(?:published|appeared)\s+(?:by|in|on)|"
    r"Cet\s+article\s+a\s+(?:d['’]abord|initialement)\s+été\s+publié\s+(?:par|dans|sur)|"
    r"Este\s+artículo\s+(?:fue\s+publicado|se\s+publicó|publicado)\s+(?:originalmente|primero|inicialmente)\s+(?:por|en)|"
    r"Dieser\s+(?:Artikel|Beitrag)\s+erschien\s+(?:zuerst\s+)?(?:bei|in|im|auf))"
    r"\s*(?:(?:the|The|den|der|l['’]|la|el)\s+)?(?:(?:news\s+)?agenc(?:y|ies)\s+|Nachrichtenagentur(?:en)?\s+|agencias?\s+)?"
    r"(?P<names>[^\n]{1,120}?)\s*(?:was\s+used\s+in\s+this\s+(?:report|article|story)|contributed\s+to\s+this\s+(?:report|article))?"
    r"[ \t.]*$", re.MULTILINE)
# The same credit with the names first: "Reuters contributed reporting.", "The Associated Press
# contributed to this report."
_CONTRIBUTED_LINE = re.compile(
    r"(?m)^[ \t]*(?P<names>[^\n]{2,120}?)\s+contributed(?:\s+(?:additional\s+)?reporting|\s+to\s+this\s+(?:report|article|story))"
    r"[^\n]{0,60}$")
# An aggregator's source line after a paragraph's last sentence: "... irregularities. Source: Reuters",
# "... Mercredi. À lire sur X.", "Más en Efe.", "Mehr bei dpa.", "Подробнее — агентству Интерфакс."
_SOURCE_AFTER_SENTENCE = re.compile(  # (credits.py checks that a sentence ends before it)
    r"(?:(?:Sources?|Quellen?|Fuentes?|Источник|Fonte|Bron)[ \t]*:|Read\s+more\s+at|More\s+at|"
    r"À\s+lire\s+sur|Lire\s+la\s+suite\s+sur|Más\s+(?:información\s+)?en|Mehr\s+(?:dazu\s+)?bei|Weiterlesen\s+bei|"
    r"Подробнее\s+[—–-]\s+(?:(?:в|на)\s+)?)\s*(?P<names>[^\n]{2,80}?)[ \t.]*$", re.MULTILINE)
_SOURCE_WORDS = frozenset("Source Sources Quelle Quellen Fuente Fuentes Источник Fonte Bron Read More À Lire Más Mehr "
                          "Weiterlesen Подробнее".split())
# Words one of the lines above needs (a cheap test before their regexes)
_END_LINE_WORDS = frozenset("Source Sources Quelle Quellen Fuente Fuentes Источник Источники Material Mit With "
                            "Additional Con Avec avec По This Cet Este Dieser Bron Fonte Źródło Kilde Källa Lähde Mitarbeit Compiled "
                            "Información información При".split())
# Words that stand alone in capitals as a page's headings, not as an agency's sign-off
_HEADING_WORDS = frozenset("more update updated related video photos watch read live news note notes top back share".split())
_STRONG_WEAK_PRE = re.compile(
    r"(?:according\s+to|citing|cited|told|per|reported|reports|quoting|via|said\s+to|suggested\s+to|confirmed\s+to|"
    r"speaking\s+(?:to|with)|spoke\s+to|interviews?\s+with|wrote\s+in|writing\s+in|published\s+(?:in|by)|appeared\s+in|"
    r"(?:report|article|story|interview|headline|editorial|op-ed|column|piece)\s+(?:by|in|with|for)|"
    r"(?:comments|remarks|a\s+statement)\s+to)\s+(?:the\s+|a\s+|an\s+)?[\w\s.-]*$", re.IGNORECASE)
_OPENING_QUOTES = frozenset("«„“\"‚‘")
_POSSESSIVE_BEFORE = re.compile(r"(?i:\b(?:his|her|their|its|our|my|your|sein|seine|ihr|ihre|son|sa|ses|leur|su|sus)\s+)$")
_BYLINE_PRE = re.compile(r"(?:\bby|©|copyright)\s+(?:the\s+)?$", re.IGNORECASE)
_ANAPHORA_WORDS = frozenset(
    """outlets outlet newspapers newspaper papers paper agencies agency broadcaster publications publication daily
    service magazine tabloid network channel website Journal Times Post Telegraph Guardian Herald report
    Agentur Nachrichtenagentur Zeitung Blatt Magazin Sender agence journal quotidien hebdomadaire chaîne agencia
    diario periódico rotativo revista cadena Tageszeitung Wochenzeitung Nachrichtenmagazin Dienst Nachrichtendienst
    Portal site média radio titre publicación medio portal emisora dispatch dépêche Bericht Artikel публикации материале
    статье""".split()) | frozenset(
    f for w in ("агентство", "информагентство", "издание", "газета", "телеканал", "журнал", "портал", "радиостанция")
    for f in (w, w.capitalize(), w.upper()))
