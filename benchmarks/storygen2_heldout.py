"""Held-out material of storygen2 (issue 21): phrasings, templates, edit variants and synonym
tables that only `storygen2.py --split heldout` uses.

DO NOT READ THIS FILE if you develop or tune searchkit's stories method: it is the part of the
evaluation that must stay unseen until the final held-out run (benchmarks/STORIES-EVAL.md).
(Second version: the first held-out material was exposed in commit 76edee4 and is not used.)
"""

#: (form, template) credit phrasings, appended after the dev ones.
CREDIT_PHRASES = {
    "en": [("according_to", "{s}, per {O}."), ("reported", "{O} reports that {s}."),
           ("citing", "{s}, {O} quoted a source as saying."), ("as_reported", "{s}, {O} revealed."),
           ("endline", "Additional reporting by {O}."), ("endline", "Compiled from reports by {O}.")],
    "de": [("according_to", "{s}, wie {O} unter Berufung auf Behördenkreise berichtete."),
           ("reported", "{s}, berichtete {O} am Abend."), ("citing", "{s}, zitiert {O} einen Sprecher."),
           ("endline", "Mitarbeit: {O}")],
    "fr": [("according_to", "{s}, à en croire {O}."), ("reported", "{s}, relate {O}."), ("citing", "{s}, cite {O}."),
           ("according_to", "{s}, d'après les informations de {O}."), ("endline", "(avec {O})")],
    "es": [("according_to", "Según datos de {O}, {s}."), ("reported", "{s}, adelantó {O}."), ("citing", "{s}, recogió {O}."),
           ("according_to", "{s}, según informa {O}."), ("endline", "(Con información de {O})")],
    "ru": [("according_to", "{s}, говорится в сообщении {O}."), ("reported", "{s}, информирует {O}."),
           ("citing", "{s}, цитирует {O}."), ("according_to", "Как передает {O}, {s}."),
           ("endline", "При подготовке использованы материалы {O}.")],
}

#: (template, outlet kind, anaphoric mention).
ANAPHORA = {
    "en": [("{s}, {A} reported.", "agency", "the news agency"), ("{s}, {A} said.", "paper", "the publication")],
    "de": [("{s}, meldete {A}.", "agency", "die Nachrichtenagentur"), ("{s}, berichtet {A}.", "paper", "die Tageszeitung")],
    "fr": [("{s}, rapporte {A}.", "agency", "l'agence de presse"), ("{s}, écrit {A}.", "paper", "la publication")],
    "es": [("{s}, informó {A}.", "agency", "la agencia de noticias"), ("{s}, indica {A}.", "paper", "el rotativo")],
    "ru": [("{s}, сообщает {A}.", "agency", "информагентство"), ("{s}, уточняет {A}.", "paper", "газета")],
}

#: Headline credit templates.
HEADLINE_CREDIT = {"en": ["{O}: {t}", "{t} ({O})"], "de": ["{t} ({O})"], "fr": ["{t} – {O}"], "es": ["{t} - {O}"],
                   "ru": ["{t} ({O})"]}

#: Quotes given to an outlet's reporter.
TOLD = {"en": ['"{Q}," {P} said in an interview with {O}.'],
        "de": ["„{Q}“, erklärte {P} auf Anfrage von {O}."],
        "fr": ["« {Q} », a expliqué {P}, interrogé par {O}."],
        "es": ['"{Q}", explicó {P} en declaraciones a {O}.'],
        "ru": ["«{Q}», — рассказал {P} {O}."]}

#: Agency sign-offs ({k}: an editor's initials).
SIGNOFF = ["— {O}", "{O}/{k}"]

#: Wire datelines ({dd}: the date).
DATELINE = ["{CU}, {dd}. /{O}/. "]

#: Merge connectors.
CONNECT = {"en": [" while ", "; meanwhile, "], "de": ["; zudem "], "fr": ["; par ailleurs, "], "es": ["; además, "],
           "ru": ["; кроме того, "]}

#: A third realisation of each fact (storygen2.FACTS order).
FACTS = {
    "en": ["{W} in {C} has set {O} back by some {M}, {R} {P} disclosed on {D}.",
           "Authorities counted {N} people hit directly.",
           "Regional business at {O} shrank {X} in seven days, figures from the company show.",
           '"{Q}," {P} insisted.',
           "Delegations from both sides will meet again on {D2}, organisers confirmed.",
           "A relief package of {M2} cleared the regional cabinet.",
           "Calls for a formal investigation into the response to {W} came from the opposition benches.",
           "{N2} employees of {O2} now work at other sites, {P2} of the company confirmed.",
           "Locals recall {Y} as the only comparable moment in the history of {C}."],
    "de": ["{W} in {C} hat {O} nach Worten von {R} {P} rund {M} gekostet, wie am {D} bekannt wurde.",
           "Die Behörden zählten {N} unmittelbar Betroffene.",
           "Das regionale Geschäft von {O} schrumpfte binnen sieben Tagen um {X}.",
           "„{Q}“, betonte {P}.",
           "Am {D2} treffen sich die Delegationen beider Seiten erneut.",
           "Ein Hilfspaket über {M2} passierte das Landeskabinett.",
           "Aus der Opposition kamen Rufe nach einer förmlichen Untersuchung.",
           "{N2} Mitarbeiter von {O2} sind inzwischen an anderen Orten tätig, bestätigte {P2}.",
           "Vergleichbares hatte {C} zuletzt {Y} erlebt, erinnern sich Anwohner."],
    "fr": ["{W} à {C} a coûté quelque {M} à {O}, a révélé {D} {R} {P}.",
           "Les autorités recensent {N} personnes directement frappées.",
           "L'activité régionale de {O} a fondu de {X} en sept jours.",
           "« {Q} », a martelé {P}.",
           "Les délégations se retrouveront {D2}, ont confirmé les organisateurs.",
           "Un plan d'aide de {M2} a été adopté par l'exécutif régional.",
           "Sur les bancs de l'opposition, on réclame une enquête en bonne et due forme.",
           "{N2} employés de {O2} travaillent désormais sur d'autres sites, a confirmé {P2}.",
           "Les habitants de {C} évoquent {Y} comme seul précédent."],
    "es": ["{W} en {C} ha supuesto para {O} un quebranto de unos {M}, reveló el {D} {R} {P}.",
           "Las autoridades contabilizan {N} personas afectadas directamente.",
           "El negocio regional de {O} se contrajo un {X} en siete días.",
           '"{Q}", insistió {P}.',
           "Las delegaciones volverán a reunirse el {D2}, confirmaron los organizadores.",
           "Un paquete de ayudas de {M2} salió adelante en el consejo de gobierno regional.",
           "Desde la bancada de la oposición se exige una investigación formal.",
           "{N2} empleados de {O2} trabajan ya en otras sedes, confirmó {P2}.",
           "Los vecinos de {C} recuerdan {Y} como el único precedente."],
    "ru": ["Ущерб {O} от событий в городе {C} достиг порядка {M}, рассказал в {D} {R} {P}.",
           "Власти насчитали {N} непосредственно пострадавших.",
           "Региональный бизнес {O} за семь дней сжался на {X}.",
           "«{Q}», — настаивает {P}.",
           "Делегации сторон встретятся снова в {D2}, подтвердили организаторы.",
           "Пакет помощи на {M2} прошёл через областное правительство.",
           "Оппозиционные депутаты настаивают на официальном расследовании.",
           "{N2} сотрудников {O2} теперь работают на других объектах, подтвердила {P2}.",
           "Местные жители вспоминают {Y} год как единственный похожий случай в городе {C}."],
}

#: Synonym tables (disjoint from the dev tables).
SYNONYMS = {
    "en": [("week", "seven-day period"), ("talks", "discussions"), ("workers", "employees"), ("inquiry", "probe"),
           ("cost", "set back"), ("figures", "numbers"), ("comparable", "similar"), ("support", "assistance")],
    "de": [("Woche", "Wochenfrist"), ("Gespräche", "Unterredungen"), ("Mitarbeiter", "Belegschaftsmitglieder"),
           ("Untersuchung", "Prüfung"), ("gekostet", "verschlungen"), ("Zahlen", "Daten"), ("Tätigkeit", "Geschäftstätigkeit")],
    "fr": [("négociations", "pourparlers"), ("employés", "collaborateurs"), ("enquête", "investigation"),
           ("coûté", "fait perdre"), ("chiffres", "données"), ("aide", "soutien"), ("activité", "chiffre d'affaires")],
    "es": [("negociaciones", "conversaciones"), ("trabajadores", "operarios"), ("investigación", "pesquisa"),
           ("costado", "supuesto"), ("cifras", "datos"), ("ayudas", "subvenciones"), ("actividad", "facturación")],
    "ru": [("переговоры", "консультации"), ("работников", "служащих"), ("расследования", "проверки"),
           ("ущерб", "урон"), ("помощь", "поддержка"), ("активность", "деятельность"), ("жители", "горожане")],
}


def render_num(kind: str, value: float, lang: str, group) -> str:
    """House number style 2."""
    if kind == "pct":
        whole = f"{value:.1f}".rstrip("0").rstrip(".")
        dec = whole.replace(".", ",")
        return {"en": f"{whole} pct", "ru": f"{dec} проц.", "de": f"{dec} v. H.", "fr": f"{dec} pour cent",
                "es": f"{dec} por ciento"}[lang]
    if kind == "count":
        n = int(value)
        return group(n, "'") if lang == "de" and n >= 1000 else group(n, " ") if n >= 1000 else str(n)
    md = f"{value:.1f}".rstrip("0").rstrip(".")
    dec = md.replace(".", ",")
    return {"en": f"USD {md} mn", "de": f"{dec} Mio. €", "fr": f"{dec} millions €", "es": f"{dec} millones €",
            "ru": f"{dec} млн руб."}[lang]
