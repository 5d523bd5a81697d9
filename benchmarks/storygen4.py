"""A fourth syndication-corpus generator: real prose, newsroom reuse as METER and passim see it.

Written by an evaluation helper of issue 21 (not by whoever changes `searchkit/stories/`).
storygen.py edits sentences; storygen2.py re-renders template facts (synonyms, digests, number
styles); storygen3.py models how a newsroom handles template wire copy (re-edits, live blogs,
translations, press releases). This one starts from **real prose** and models **how much of a
report another text carries**:

- English reports are built from real abstracts (dev: Cranfield and CACM; held-out: other
  collections, named in the sealed file) written up as science-desk wire copy: a lede around
  the first finding, reported findings, the lead author's quote, the sample ("287 patients"),
  the funding, the journal. Vocabulary is that of the abstracts, so two stories rarely share
  words by chance. German, French, Spanish and Russian reports come from per-language phrase
  banks (subjects, decisions, objects, reasons, numbers), each event drawing its own subset.
- **Derived texts (members of the story)**, as METER labels "wholly" and "partially derived":
  verbatim and edited copies; paraphrase by clause re-ordering, active/passive swaps, quote
  attribution moved ('"Q," X said.' / 'X said: "Q."' / split quotes), findings re-framed
  ("The researchers found that ..."), numbers summarised ("nearly 300" for 287, "more than
  $3 million"); **wire updates** of the same agency (UPDATE 1, "2nd lead": a new lede and a
  new paragraph on top of the earlier text); **regional copies** with 1-3 local paragraphs;
  **partial reuse**: an outlet's own longer article carrying 3-5 sentences of the report,
  its lede among them.
- **Not members** (their own stories): a **follow-up** the next days that recaps the first
  report in one or two sentences and reports something new (passim would align the recap;
  by METER's derivation and by the issue's rule "one or two shared sentences never merge" it
  is another story); **roundups** carrying one sentence of each of 3-5 stories;
  **headline lists** ("Most read") carrying only titles; an outlet's own article with one or
  two **background sentences** pasted from another story; a second outlet's **independent
  report** of the same event that shares the official's quote word for word, the names and
  the numbers (a shared quote is not copying); **same-template reports** (markets, weather,
  sports results) of other days; **boilerplate** shared by every report about one
  institution ("X was founded in 1962 and employs about 900 people.") and by every article
  of one outlet (newsletter lines).
- **Credits** in en/de/fr/es/ru with phrasings none of storygen/2/3 or the credits-phrasings
  set uses ("A report from X said", "in a dispatch from", "said when reached by X", "a appris
  l'AFP", "según ha podido saber", "передает корреспондент", two-city datelines, "(dpa/lby)"
  and joint "(AFP/Belga)" sign-offs...), invented outlets and agencies beside real ones (no
  outlet list helps). **Self-references**: bylines, footers, newsletter lines, the wire's
  own dateline and sign-off, "told <us>" in the wire's own copy, "the Courier has learned",
  "<us> has contacted", "as <us> reported on Monday" in a follow-up by the same outlet.
  Journals named as a study's venue are `dontcare` (neither rewarded nor penalised).
- **Dates**: same-day ties (copies and updates within hours), ~10% undated; the acceptable
  earliest members are those dated on the story's first day crediting no other member of it.

Splits: `dev` (seed 4409) and `heldout` (seed 77023). The held-out split takes its prose from
other collections, every invented name from lists of its own, and adds phrasings of its own
(flagged `held_out_phrasing`), all in `storygen4_heldout.py`, which the method's developers
must not open (benchmarks/STORIES-EVAL.md).

Output (OUT/): corpus/ (files + metadata.toml) and truth.json (storygen2's truth shape).
Usage: python benchmarks/storygen4.py OUT [--split dev|heldout] [--n N] [--seed S]
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from storygen3 import Article, Mark, Sent, cap, earliest, fill, plain, render, save, strip_stop, tidy

VERSION = "storygen4/2"  # 2: fact wordings vary per event; boilerplate fixed per institution
SPLITS = {"dev": {"seed": 4409, "n": 600}, "heldout": {"seed": 77023, "n": 600}}
LANGS = ("en", "de", "fr", "es", "ru")
LANG_SHARE = {"en": 0.5, "de": 0.13, "fr": 0.13, "es": 0.12, "ru": 0.12}
DATA = Path(__file__).resolve().parent / "data"

# ----------------------------------------------------------------------------- real agencies
#: canonical name -> {lang: mentions}; every mention is an alias of the agency.
WIRES = {
    "Reuters": {"en": ["Reuters"], "de": ["Reuters"], "fr": ["Reuters"], "es": ["Reuters"], "ru": ["Reuters", "Рейтер"]},
    "Associated Press": {"en": ["AP", "The Associated Press"], "de": ["AP"], "fr": ["AP"], "es": ["AP"], "ru": ["AP"]},
    "PA Media": {"en": ["PA Media", "PA"], "de": ["PA"], "fr": ["PA"], "es": ["PA"], "ru": ["PA"]},
    "dpa": {"en": ["dpa"], "de": ["dpa"], "fr": ["dpa"], "es": ["dpa"], "ru": ["dpa"]},
    "APA": {"en": ["APA"], "de": ["APA"], "fr": ["APA"], "es": ["APA"], "ru": ["APA"]},
    "Agence France-Presse": {"en": ["AFP"], "de": ["AFP"], "fr": ["AFP", "l'AFP"], "es": ["AFP"], "ru": ["AFP", "АФП"]},
    "Belga": {"en": ["Belga"], "de": ["Belga"], "fr": ["Belga"], "es": ["Belga"], "ru": ["Belga"]},
    "EFE": {"en": ["EFE"], "de": ["EFE"], "fr": ["EFE"], "es": ["EFE", "Efe"], "ru": ["EFE"]},
    "Europa Press": {"en": ["Europa Press"], "de": ["Europa Press"], "fr": ["Europa Press"], "es": ["Europa Press", "EUROPA PRESS"],
                     "ru": ["Europa Press"]},
    "RIA Novosti": {"en": ["RIA Novosti"], "de": ["RIA Novosti"], "fr": ["RIA Novosti"], "es": ["RIA Novosti"], "ru": ["РИА Новости"]},
    "Interfax": {"en": ["Interfax"], "de": ["Interfax"], "fr": ["Interfax"], "es": ["Interfax"], "ru": ["Интерфакс", "INTERFAX.RU"]},
}
WIRE_LANGS = {"en": ["Reuters", "Associated Press", "PA Media"], "de": ["dpa", "APA"], "fr": ["Agence France-Presse", "Belga"],
              "es": ["EFE", "Europa Press"], "ru": ["RIA Novosti", "Interfax"]}
#: Russian case forms of the kind word before an outlet's name: nominative, genitive, accusative, dative.
RU_KIND = {"agency": ("агентство", "агентства", "агентство", "агентству"), "paper": ("газета", "газеты", "газету", "газете"),
           "site": ("портал", "портала", "портал", "порталу")}
MONTHS = {"en": "January February March April May June July August September October November December".split(),
          "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
          "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
          "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
          "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()}
WEEKDAYS = {"en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
            "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split(),
            "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
            "es": "lunes martes miércoles jueves viernes sábado domingo".split(),
            "ru": ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"]}

# ----------------------------------------------------------------------------- invented names (dev)
NAMES = {
    "towns": {"en": ["Caldermoor", "Whitlow Bay", "Penhallow", "Ravensby", "Marden Cross", "Oakhurst", "Sallowfield", "Tewkes Ford",
                     "Brambledown", "Colworth"],
              "de": ["Auerbrunn", "Kesselfeld", "Lindenhagen", "Rotenbühl", "Wasserau", "Hohenmark", "Grafenwerth", "Eschweiden"],
              "fr": ["Valbrune", "Saint-Gorlin", "Montferrat-sur-Lys", "Cazals", "Beaupuy", "Lormaison", "Vernissac", "Pradelles"],
              "es": ["Villarrubia", "Torreblanca del Río", "Alcolea", "Fuenmayor", "Casaseca", "Valdemora", "Peñarroya", "Mirabel"],
              "ru": ["Лесогорск", "Ржаново", "Синеборск", "Каменка-на-Оке", "Вербилово", "Старомлынск", "Полесск", "Горноозёрск"]},
    "first": {"en": ["Eleanor", "Gideon", "Harriet", "Ambrose", "Imelda", "Rufus", "Philippa", "Tobin", "Verity", "Lionel"],
              "de": ["Wiebke", "Gernot", "Hannelore", "Lutz", "Frauke", "Eckhard", "Marlies", "Gunnar"],
              "fr": ["Ghislaine", "Aurélien", "Bérénice", "Lucien", "Clémence", "Anatole", "Séverine", "Firmin"],
              "es": ["Amparo", "Leandro", "Milagros", "Teodoro", "Rocío", "Eusebio", "Consuelo", "Baltasar"],
              "ru": ["Аркадий", "Ярослав", "Всеволод", "Тимофей", "Глеб", "Савелий", "Лаврентий", "Ефим"]},
    "last": {"en": ["Ashgrove", "Pennington", "Thursby", "Okonkwo", "Marchetti", "Hale", "Quaintance", "Dunmore", "Ferrars", "Lowther"],
             "de": ["Grabowski", "Heinemann", "Bäumler", "Ostrowski", "Kalbfleisch", "Terhorst", "Wendling", "Pohlmann"],
             "fr": ["Dumonteil", "Ravenel", "Chassaigne", "Besnard", "Lachaume", "Peyrol", "Maréchal", "Soubiran"],
             "es": ["Arizmendi", "Cuadrado", "Montoya", "Pizarro", "Sarabia", "Olmedo", "Barrientos", "Galindo"],
             "ru": ["Шестаков", "Рябинин", "Дроздов", "Калашников", "Ветров", "Громов", "Сабуров", "Лапин"]},
    "institutions": {"en": ["the Harwell Institute of Technology", "Kestrel University", "the Marlow Research Centre",
                            "Thornbury College", "the Avonmere Laboratory", "Greyfriars University", "the Penrose Foundation",
                            "Lydgate Polytechnic"],
                     "de": ["das Landesamt für Verkehr", "die Stadtwerke", "das Bezirksamt", "die Kreisverwaltung", "das Umweltministerium",
                            "die Industrie- und Gewerbeaufsicht"],
                     "fr": ["la préfecture", "le conseil départemental", "la métropole", "l'agence régionale de santé",
                            "la chambre d'agriculture", "le syndicat des eaux"],
                     "es": ["la diputación provincial", "el consistorio", "la consejería de Medio Ambiente", "la confederación hidrográfica",
                            "el servicio regional de salud", "la autoridad del puerto"],
                     "ru": ["областное правительство", "городское собрание", "региональное министерство транспорта", "управление ЖКХ",
                            "министерство экологии", "окружное ведомство дорог"]},
    "funders": {"en": ["the Ashby Trust", "the National Science Council", "the Corran Fund", "the Westbrook Foundation"]},
    "journals": {"en": ["the Journal of Applied Inquiry", "Findings Quarterly", "the Review of Experimental Method",
                        "Annals of Measurement"]},
    "papers": {"en": ["The {T} Chronicle", "{T} Daily Courier", "The {T} Mercury", "{T} Gazette & Herald", "The {T} Observer-Dispatch"],
               "de": ["{T}er Tageblatt", "Neue {T}er Presse", "{T}er Kurier", "Märkische Rundschau {T}"],
               "fr": ["L'Écho de {T}", "La Gazette de {T}", "{T} Républicain", "Le Progrès de {T}"],
               "es": ["El Correo de {T}", "Diario {T}", "La Voz de {T}", "Noticias de {T}"],
               "ru": ["Вестник {T}", "{T}ская правда", "Заря-{T}", "{T}-Курьер"]},
    "agencies": {"en": ["{T} Press Service"], "de": ["{T} Nachrichtenagentur"], "fr": ["Agence de presse {T}"], "es": ["Agencia Noticias {T}"],
                 "ru": ["{T}-Информ"]},
    "sites": {"en": ["{T} Briefing"], "de": ["{T} am Morgen"], "fr": ["{T} en bref"], "es": ["{T} al día"], "ru": ["{T}: главное"]},
    "bylines": {"en": ["By {A}, {S}", "{A} reports for {S}"], "de": ["Von {A}, {S}"], "fr": ["Par {A}, {S}"], "es": ["Por {A}, {S}"],
                "ru": ["{A}, {S}"]},
    "footers": {"en": ["© {Y} {S}", "Got a tip? Write to {S}."], "de": ["© {S} {Y}"], "fr": ["© {S} {Y}"],
                "es": ["© {S} {Y}"], "ru": ["© {S}, {Y}"]},
    "newsletter": {"en": "Sign up for the morning newsletter from {S}.", "de": "Den Newsletter von {S} jetzt abonnieren.",
                   "fr": "Abonnez-vous à la lettre de {S}.", "es": "Suscríbase al boletín de {S}.", "ru": "Подпишитесь на рассылку {S}."},
    "units": {"en": ["participants", "samples", "test runs", "households", "patients", "sites", "records", "specimens"]},
    "regions": {"en": ["the North West", "the Midlands", "the South Coast"], "de": ["Nordhessen", "der Altmark", "dem Allgäu"],
                "fr": ["la Bretagne nord", "le Limousin", "la côte d'Opale"], "es": ["La Rioja Alta", "la Ribera", "la costa de Lugo"],
                "ru": ["Прикамье", "Поволжье", "Приморье"]},
    "teams": {"en": ["Calder Rovers", "Whitlow Town", "Ravensby United", "Colworth Athletic", "Oakhurst Wanderers", "Penhallow City"],
              "de": ["SV Auerbrunn", "FC Kesselfeld", "TuS Lindenhagen", "VfL Rotenbühl", "SC Wasserau", "1. FC Hohenmark"],
              "fr": ["AS Valbrune", "FC Saint-Gorlin", "US Cazals", "Stade Beaupuy", "RC Lormaison", "Olympique Vernissac"],
              "es": ["CD Villarrubia", "Alcolea CF", "UD Fuenmayor", "Real Casaseca", "Atlético Valdemora", "SD Mirabel"],
              "ru": ["Лесогорск", "Синеборск", "Полесск", "Вербилово", "Ржаново", "Старомлынск"]},
}
#: Phrasings only the held-out split adds (empty here; storygen4_heldout.PHRASINGS).
EXTRA: dict = {}

# ----------------------------------------------------------------------------- credit phrasings (dev)
# {s} = the sentence without its stop, {O} = the credited outlet, {C} the event's town, {D} a weekday,
# {Kg}/{Kd} Russian kind words. Forms are what the scorer reports recall by.
CREDITS = {
    "en": [("reported", "{s}, {O} said, citing documents it had seen."), ("reported", "{s}, {O} said in a report on {D}."), ("reported", "A report from {O} said {s_l}."),
           ("dispatch", "In a dispatch from {C}, {O} said {s_l}."), ("reported", "{s}, {O} wrote.")],
    "de": [("reported", "{s}. Das meldete {O} am {D}."), ("reported", "{s}. Zuerst hatte {O} darüber berichtet."),
           ("according_to", "{s}, teilte {O} mit.")],
    "fr": [("learned", "{s}, a appris {O}."), ("according_to", "Selon les informations de {O}, {s_l}."),
           ("reported", "Comme l'a révélé {O}, {s_l}."), ("reported", "{s}, affirme {O}.")],
    "es": [("reported", "{s}, avanzó {O}."), ("according_to", "Según ha podido saber {O}, {s_l}."),
           ("reported", "{s}, tal y como publica {O}.")],
    "ru": [("reported", "{s}. Об этом сообщает {O}."), ("according_to", "Как передает корреспондент {Kg} {O}, {s_l}."),
           ("reported", "{s}, следует из публикации {Kg} {O}.")],
}
ENDLINES = {"en": ["This story was first published by {O}.", "Additional reporting by {O}."],
            "de": ["Dieser Artikel erschien zuerst bei {O}."], "fr": ["Cet article a d'abord été publié par {O}."],
            "es": ["Este artículo se publicó originalmente en {O}."], "ru": ["При подготовке материала использованы данные {Kg} {O}."]}
HEADLINE_CREDITS = {"en": ["{t} (via {O})"], "de": ["{t} – laut {O}"], "fr": ["{t}, selon {O}"], "es": ["{t}, según {O}"],
                    "ru": ["{t}: сообщает {O}"]}
TOLD = {"en": ['"{Q}," {P} said when reached by {O}.'], "de": ["„{Q}“, sagte {P} im Gespräch mit {O}."],
        "fr": ["« {Q} », a confié {P} à {O}."], "es": ['"{Q}", contó {P} a {O}.'], "ru": ["«{Q}», — пояснил {P} в беседе с корреспондентом {Kg} {O}."]}
ANAPHORA = {"en": ["{s}, the report added."], "de": ["{s}, hieß es in dem Bericht weiter."], "fr": ["{s}, poursuit la dépêche."],
            "es": ["{s}, detalla la publicación."], "ru": ["{s}, уточняется в публикации."]}
#: the anaphoric mention inside each ANAPHORA template (what the truth records as the span)
ANAPHOR_WORDS = ["the report", "in dem Bericht", "la dépêche", "la publicación", "в публикации"]
#: a wire's dateline: {CU} its town upper-cased, {C2} a second town, {d} day, {mon} month
DATELINES = {"en": "{CU}, {mon} {d} ({O}) - ", "de": "{C}/{C2} ({O}) - ", "fr": "{C} ({O}) – ", "es": "{CU}, {d} ({O}) -",
             "ru": "{CU}, {d} {mon} — {O}. "}
#: a wire's sign-off at the end of its last paragraph; "{X}" is a desk code (dpa/lby) or a second agency
SIGNOFFS = {"en": " — {O}", "de": " ({O}/{X})", "fr": " ({O}/{O2})", "es": " ({O}/{O2})", "ru": " ({O})"}
DESKS = ["lby", "lno", "lsw", "lnw", "red"]
ROUNDUP_CREDIT = {"en": " (via {O})", "de": " (Quelle: {O})", "fr": " (source : {O})", "es": " (vía {O})", "ru": " (источник — {O})"}

# self-references
HAS_LEARNED = {"en": "{s}, {S} has learned.", "de": "{s}, erfuhr {S}.", "fr": "{s}, a appris {S}.", "es": "{s}, ha sabido {S}.",
               "ru": "{s}, стало известно {Kd} {S}."}
CONTACTED = {"en": "{S} has contacted {I} for comment.", "de": "{S} hat {I} um eine Stellungnahme gebeten.",
             "fr": "{S} a sollicité {I}.", "es": "{S} ha pedido una valoración a {I}.", "ru": "{S} направила запрос в ведомство."}
RECAP = {"en": ["{O} reported on {D} that {s_l}.", "As {O} reported on {D}, {s_l}."],
         "de": ["{s}, hatte {O} am {D} berichtet."], "fr": ["{s}, avait rapporté {O} {D}."], "es": ["{s}, informó {O} el {D}."],
         "ru": ["{s}, сообщало {D} {O}."]}

# ----------------------------------------------------------------------------- phrase banks for de/fr/es/ru reports
# Each entry is a list of variants of one fact: variant 0 is the wire's wording, the others are
# the same fact paraphrased (clause order, passive, attribution moved) as a copy may render it.
BANK = {
    "de": {
        "lede": [["{I} hat am {D} in {C} {B} {V}."], ["In {C} hat {I} am {D} {B} {V}."], ["{B_cap} ist am {D} in {C} {V} worden, teilte {I} mit."]],
        "reason": [["Als Grund nannte die Behörde {R}."], ["Die Behörde begründete den Schritt mit {R}."]],
        "count": [["Betroffen sind nach Angaben der Verwaltung {N} Menschen."], ["Nach Angaben der Verwaltung sind {N} Menschen betroffen."],
                  ["{NA} Menschen sind betroffen."]],
        "money": [["Die Kosten werden auf {M} geschätzt."], ["Geschätzt werden Kosten von {M}."], ["Die Kosten liegen bei {MA}."]],
        "quote": [["„{Q}“, sagte {P}."], ["{P} sagte: „{Q}.“"]],
        "next": [["Der Kreistag soll am {D2} abschließend beraten."], ["Abschließend beraten soll der Kreistag am {D2}."]],
        "react": [["Die Opposition sprach von einem {ADJ} Schritt."], ["Von einem {ADJ} Schritt sprach die Opposition."]],
    },
    "fr": {
        "lede": [["{I} a {V} {B} à {C} {D}."], ["À {C}, {I} a {V} {B} {D}."], ["{B_cap} a été {V} {D} à {C} par {I}."]],
        "reason": [["L'administration invoque {R}."], ["Ce choix s'explique par {R}, selon l'administration."]],
        "count": [["Quelque {N} personnes sont concernées, d'après l'administration."],
                  ["D'après l'administration, quelque {N} personnes sont concernées."], ["{NA} personnes sont concernées."]],
        "money": [["Le coût est estimé à {M}."], ["On estime le coût à {M}."], ["Le coût avoisinerait {MA}."]],
        "quote": [["« {Q} », a déclaré {P}."], ["{P} a déclaré : « {Q} »."]],
        "next": [["Le conseil doit se prononcer définitivement {D2}."], ["C'est {D2} que le conseil doit se prononcer définitivement."]],
        "react": [["L'opposition dénonce une décision {ADJ}."], ["Une décision {ADJ}, dénonce l'opposition."]],
    },
    "es": {
        "lede": [["{I} {V} {B} en {C} el {D}."], ["En {C}, {I} {V} el {D} {B}."], ["{B_cap} fue {Vp} el {D} en {C} por {I}."]],
        "reason": [["La administración alegó {R}."], ["El motivo, según la administración, es {R}."]],
        "count": [["La medida afecta a {N} personas, según la administración."], ["Según la administración, la medida afecta a {N} personas."],
                  ["La medida afecta a {NA} personas."]],
        "money": [["El coste se estima en {M}."], ["Se calcula un coste de {M}."], ["El coste rondará {MA}."]],
        "quote": [['"{Q}", afirmó {P}.'], ['{P} afirmó: "{Q}".']],
        "next": [["El pleno debe votar el {D2}."], ["La votación del pleno está prevista para el {D2}."]],
        "react": [["La oposición calificó la decisión de {ADJ}."], ["De {ADJ} calificó la oposición la decisión."]],
    },
    "ru": {
        "lede": [["{I} {D} {V} {B} в городе {C}."], ["В городе {C} {I} {D} {V} {B}."], ["{B_cap} {D} {Vp} в городе {C} по решению {I_g}."]],
        "reason": [["В ведомстве сослались на {R}."], ["Причиной в ведомстве назвали {R}."]],
        "count": [["По данным ведомства, решение затронет {N} человек."], ["Решение затронет {N} человек, говорится в сообщении ведомства."],
                  ["Решение затронет {NA} человек."]],
        "money": [["Расходы оцениваются в {M}."], ["В {M} оцениваются расходы."], ["Расходы составят {MA}."]],
        "quote": [["«{Q}», — заявил {P}."], ["{P} заявил: «{Q}»."]],
        "next": [["Окончательное решение депутаты примут {D2}."], ["{D2_cap} депутаты примут окончательное решение."]],
        "react": [["В оппозиции назвали решение {ADJ}."], ["Решение {ADJ} назвали в оппозиции."]],
    },
}
#: A second wording of some facts: each event takes one of the two (and leaves some facts out), so
#: that two reports in one language share a sentence frame now and then, not in every paragraph.
BANK_ALT = {
    "de": {"reason": [["Hintergrund sind nach Darstellung der Verwaltung {R}."], ["Die Verwaltung verweist auf {R}."]],
           "count": [["Rund {N} Haushalte müssen sich nun umstellen."], ["{NA} Haushalte müssen sich umstellen."]],
           "money": [["Im Haushalt sind dafür {M} eingeplant."], ["Eingeplant sind {MA}."]],
           "react": [["Kritik kam vom Bund der Steuerzahler."], ["Der Bund der Steuerzahler übte Kritik."]],
           "next": [["Eine Bürgerversammlung ist für den {D2} angesetzt."], ["Am {D2} sollen die Bürger informiert werden."]]},
    "fr": {"reason": [["En cause, selon les services, {R}."], ["Les services mettent en avant {R}."]],
           "count": [["Environ {N} foyers devront s'adapter."], ["{NA} foyers devront s'adapter."]],
           "money": [["Le budget prévoit {M} pour ce dossier."], ["Ce dossier pèse {MA}."]],
           "react": [["Les associations de contribuables ont critiqué le projet."], ["Le projet a été critiqué par les associations de contribuables."]],
           "next": [["Une réunion publique est prévue {D2}."], ["{D2_cap}, les habitants seront informés lors d'une réunion publique."]]},
    "es": {"reason": [["Detrás de la decisión está, según fuentes municipales, {R}."], ["Fuentes municipales apuntan a {R}."]],
           "count": [["Unos {N} hogares tendrán que adaptarse."], ["Tendrán que adaptarse {NA} hogares."]],
           "money": [["El presupuesto reserva {M} para la actuación."], ["La actuación cuenta con {MA}."]],
           "react": [["Las asociaciones de contribuyentes criticaron el plan."], ["El plan fue criticado por las asociaciones de contribuyentes."]],
           "next": [["Habrá una reunión informativa el {D2}."], ["El {D2} se celebrará una reunión informativa."]]},
    "ru": {"reason": [["Как пояснили чиновники, всё дело в том, что {R} стали главной проблемой."], ["Главной проблемой чиновники назвали {R}."]],
           "count": [["Перестраиваться придётся примерно {N} семьям."], ["Перестраиваться придётся {NA} семьям."]],
           "money": [["В бюджете на это заложено {M}."], ["На это заложено {MA}."]],
           "react": [["Общественники раскритиковали решение."], ["Решение вызвало критику общественников."]],
           "next": [["Публичные слушания назначены на {D2_acc}."], ["На {D2_acc} назначены публичные слушания."]]},
}
#: English facts around the abstract's findings: two or three wordings of each, one per event.
EN_FAMILIES = {
    "lede": [["Researchers at {I} in {C} have found that {fl}.", "{first}, researchers at {I} in {C} said on {D}.",
              "It was found by researchers at {I} in {C} that {fl}."],
             ["A study led by {I} in {C} concludes that {fl}.", "{first}, according to a study led by {I} in {C}.",
              "The conclusion of a study led by {I} in {C}: {fl}."],
             ["{fl_cap}, scientists at {I} reported on {D}.", "Scientists at {I} in {C} reported on {D} that {fl}."]],
    "count": [["The team examined {N} {U} over {k} years.", "Over several years, {N} {U} were examined by the team.",
               "The team looked at {NA} {U}."],
              ["Data from {N} {U} were collected for the work.", "For the work, the group collected data from {NA} {U}."],
              ["The analysis drew on {N} {U}.", "{NA_cap} {U} went into the analysis."]],
    "money": [["The {M} project was funded by {F}.", "{F_cap} funded the {M} project.", "{F_cap} put {MA} into the project."],
              ["{F_cap} paid for the work, which cost {M}.", "The work, which cost {MA}, was paid for by {F}."],
              ["Funding of {M} came from {F}.", "{F_cap} provided {MA} in funding."]],
    "journal": [["The findings were published in {J}.", "The work appears in {J}."], ["{J_cap} carried the paper this week."],
                ["The paper appears in the latest issue of {J}.", "The latest issue of {J} carries the paper."]],
}
#: (verb active, verb passive participle) per language; objects, reasons, quotes, adjectives
VERBS = {"de": [("genehmigt", "genehmigt"), ("gestoppt", "gestoppt"), ("vertagt", "vertagt"), ("gekürzt", "gekürzt"), ("ausgeschrieben", "ausgeschrieben"),
                ("eingefroren", "eingefroren"), ("beschlossen", "beschlossen"), ("zurückgezogen", "zurückgezogen")],
         "fr": [("validé", "validé"), ("gelé", "gelé"), ("ajourné", "ajourné"), ("réduit", "réduit"), ("lancé", "lancé"),
                ("annulé", "annulé"), ("adopté", "adopté"), ("retiré", "retiré")],
         "es": [("autorizó", "autorizado"), ("paralizó", "paralizado"), ("aplazó", "aplazado"), ("recortó", "recortado"), ("licitó", "licitado"),
                ("congeló", "congelado"), ("aprobó", "aprobado"), ("retiró", "retirado")],
         "ru": [("одобрило", "одобрен"), ("заморозило", "заморожен"), ("отложило", "отложен"), ("урезало", "урезан"),
                ("запустило", "запущен"), ("отменило", "отменён"), ("утвердило", "утверждён"), ("отозвало", "отозван")]}
OBJECTS = {"de": ["den Ausbau der Umgehungsstraße", "den Neubau des Hallenbads", "die Sanierung der Kläranlage", "den Radschnellweg",
                  "das Gewerbegebiet Nord", "die Schließung der Geburtsstation", "den Windpark am Höhenrücken", "die neue Feuerwache",
                  "die Erweiterung des Friedhofs", "den Glasfaserausbau", "die Busanbindung der Dörfer", "das Parkhaus am Bahnhof"],
           "fr": ["la rocade sud", "la nouvelle piscine", "la station d'épuration", "la piste cyclable express", "la zone d'activités nord",
                  "la fermeture de la maternité", "le parc éolien du plateau", "la nouvelle caserne de pompiers", "l'extension du cimetière",
                  "le déploiement de la fibre", "la desserte des villages en car", "le parking de la gare"],
           "es": ["la variante sur", "la nueva piscina cubierta", "la depuradora", "el carril bici exprés", "el polígono norte",
                  "el cierre del paritorio", "el parque eólico de la sierra", "el nuevo parque de bomberos", "la ampliación del cementerio",
                  "el despliegue de la fibra", "el autobús a las pedanías", "el aparcamiento de la estación"],
           "ru": ["строительство объездной дороги", "проект нового бассейна", "реконструкцию очистных сооружений", "программу велодорожек",
                  "создание промзоны «Север»", "закрытие роддома", "проект ветропарка", "строительство пожарной части",
                  "расширение кладбища", "прокладку оптоволокна", "автобусное сообщение с сёлами", "строительство парковки у вокзала"]}
RU_OBJ_NOM = ["Проект объездной дороги", "Проект нового бассейна", "Проект реконструкции очистных", "Проект велодорожек",
              "Проект промзоны «Север»", "План закрытия роддома", "Проект ветропарка", "Проект пожарной части", "План расширения кладбища",
              "План прокладки оптоволокна", "План автобусного сообщения", "Проект парковки у вокзала"]
REASONS = {"de": ["gestiegene Baukosten", "ein fehlendes Gutachten", "Einwände der Anwohner", "den Fachkräftemangel", "ein laufendes Gerichtsverfahren",
                  "die angespannte Haushaltslage", "Bedenken des Naturschutzes", "eine gescheiterte Ausschreibung"],
           "fr": ["la hausse des coûts", "l'absence d'une expertise", "les recours des riverains", "le manque de personnel",
                  "une procédure judiciaire en cours", "des finances tendues", "des réserves environnementales", "un appel d'offres infructueux"],
           "es": ["el encarecimiento de las obras", "la falta de un informe técnico", "las alegaciones vecinales", "la falta de personal",
                  "un procedimiento judicial abierto", "la situación presupuestaria", "reparos medioambientales", "una licitación desierta"],
           "ru": ["рост стоимости работ", "отсутствие экспертизы", "жалобы жителей", "нехватку кадров", "идущее судебное разбирательство",
                  "дефицит бюджета", "экологические замечания", "сорванный конкурс"]}
QUOTES = {"de": ["Wir haben uns diese Entscheidung nicht leicht gemacht", "Am Ende zählt, was wir verantworten können",
                 "Die Bürger verdienen eine ehrliche Rechnung", "So schnell wie möglich wollen wir weitermachen",
                 "Niemand hat sich das so gewünscht", "Wir bleiben mit allen Beteiligten im Gespräch"],
          "fr": ["Nous n'avons pas pris cette décision de gaieté de cœur", "À la fin, seul compte ce que nous pouvons assumer",
                 "Les habitants méritent des comptes honnêtes", "Nous voulons avancer le plus vite possible",
                 "Personne ne souhaitait en arriver là", "Le dialogue reste ouvert avec tous"],
          "es": ["No ha sido una decisión fácil para nadie", "Al final cuenta lo que podemos asumir", "Los vecinos merecen cuentas claras",
                 "Queremos seguir adelante lo antes posible", "Nadie quería llegar a esto", "Seguimos hablando con todas las partes"],
          "ru": ["Это решение далось нам непросто", "В итоге важно то, за что мы можем отвечать", "Жители заслуживают честного расчёта",
                 "Мы хотим продолжить как можно скорее", "Никто не хотел такого исхода", "Мы продолжаем диалог со всеми сторонами"]}
ADJS = {"de": ["überstürzten", "längst überfälligen", "mutlosen", "teuren"], "fr": ["précipitée", "tardive", "frileuse", "coûteuse"],
        "es": ["precipitada", "tardía", "cobarde", "costosa"], "ru": ["поспешным", "запоздалым", "трусливым", "слишком дорогим"]}
#: genitive of the (neuter) Russian institutions of the dev split (the held-out split brings its own)
RU_INST_GEN = {"областное правительство": "областного правительства", "городское собрание": "городского собрания",
               "региональное министерство транспорта": "регионального министерства транспорта", "управление ЖКХ": "управления ЖКХ",
               "министерство экологии": "министерства экологии", "окружное ведомство дорог": "окружного ведомства дорог"}
#: an institution's boilerplate: the same sentence in every report about it (not copying)
BOILER = {"en": "{I_cap} was founded in {Y} and employs about {K} people.", "de": "{I_cap} beschäftigt rund {K} Mitarbeiter.",
          "fr": "{I_cap} emploie quelque {K} agents.", "es": "{I_cap} cuenta con una plantilla de {K} personas.",
          "ru": "В штате ведомства около {K} сотрудников."}
#: an independent report's own lines (no copy ever writes them): lede, sample, one more
INDEPENDENT = {"en": ["A team at {I} says it has new evidence on a long-standing question.", "The study covered {NA} {U}.",
                      "Other groups have yet to comment on the work."],
               "de": ["Entscheidung in {C}: {I} hat {B} {V}.", "Nach Schätzungen geht es um {NA} Betroffene.",
                      "Anwohner zeigten sich überrascht."],
               "fr": ["Coup de théâtre à {C} : {I} a {V} {B}.", "Selon les estimations, {NA} personnes seraient touchées.",
                      "Les riverains se disent surpris."],
               "es": ["Giro en {C}: {I} {V} {B}.", "Los afectados serían {NA}, según los cálculos.", "Los vecinos se mostraron sorprendidos."],
               "ru": ["Неожиданное решение в городе {C}: {I} {V} {B}.", "По оценкам, затронуты {NA} человек.",
                      "Жители удивлены таким поворотом."]}
UPDATE_TAGS = {"en": ["UPDATE 1-", "UPDATE 2-", "2ND LEAD: "], "de": ["ERGÄNZUNG: ", "2. Zusammenfassung: "], "fr": ["ACTUALISÉ: ", "LEAD 2: "],
               "es": ["AMPLIACIÓN: ", "ACTUALIZACIÓN 2: "], "ru": ["ОБНОВЛЕНО: ", "ДОПОЛНЕНО: "]}
UPDATE_LINES = {"en": ["{I_cap} said on {D} evening that it would publish the full data later this year.",
                       "Two other groups have said they will try to repeat the work, {P} said."],
                "de": ["Am Abend kündigte {I} weitere Gespräche an.", "Die Gemeinde will nun ein eigenes Gutachten in Auftrag geben."],
                "fr": ["En soirée, {I} a annoncé de nouvelles discussions.", "La commune veut désormais commander sa propre expertise."],
                "es": ["Por la tarde, {I} anunció nuevas reuniones.", "El municipio encargará ahora su propio informe."],
                "ru": ["Вечером {I} анонсировало новые консультации.", "Муниципалитет теперь закажет собственную экспертизу."]}
LOCAL_LINES = {"en": ["Readers in {T} will remember the long dispute over the old sports ground.",
                      "Local councillors in {T} have asked for a briefing at next month's meeting.",
                      "Schools in {T} said they would discuss the findings with parents."],
               "de": ["Auch in {T} wird über ein ähnliches Vorhaben gestritten.", "Der Ortsbeirat von {T} will das Thema im nächsten Monat aufgreifen."],
               "fr": ["À {T} aussi, un projet comparable fait débat.", "Le conseil de quartier de {T} veut s'en saisir le mois prochain."],
               "es": ["También en {T} se discute un proyecto parecido.", "La junta de distrito de {T} abordará el asunto el mes que viene."],
               "ru": ["В городе {T} обсуждают похожий проект.", "Депутаты города {T} обещают вернуться к теме в следующем месяце."]}
FOLLOWUP_NEW = {"en": ["Critics questioned on {D} whether the {N} {U} were representative.",
                       "{I_cap} announced on {D} that an independent panel would review the method.",
                       "A second team said on {D} that it had reached a different conclusion."],
                "de": ["Am {D} kündigten Anwohner eine Klage an.", "Der Landrat forderte am {D} eine neue Prüfung."],
                "fr": ["Des riverains ont annoncé {D} un recours.", "Le préfet a demandé {D} un nouvel examen."],
                "es": ["Los vecinos anunciaron el {D} un recurso.", "La delegación del Gobierno pidió el {D} una nueva revisión."],
                "ru": ["Жители {D} объявили о намерении обратиться в суд.", "Губернатор {D} потребовал новой проверки."]}
FOLLOWUP_TITLE = {"en": "{I_cap} study: questions grow", "de": "{C}: Streit geht weiter", "fr": "{C} : la polémique continue",
                  "es": "{C}: sigue la polémica", "ru": "{C}: споры продолжаются"}
ROUNDUP_TITLE = {"en": "The day in brief", "de": "Der Tag kompakt", "fr": "L'essentiel du jour", "es": "La jornada en breve",
                 "ru": "Главное за день"}
HEADLINES_TITLE = {"en": "Most read this week", "de": "Meistgelesen", "fr": "Les plus lus", "es": "Lo más leído", "ru": "Самое читаемое"}
OWN_TITLE = {"en": "What {T} can learn from the latest research", "de": "Was {T} jetzt tun muss", "fr": "Ce que {T} doit retenir",
             "es": "Lo que {T} debe aprender", "ru": "Чему {T} стоит поучиться"}
OWN_LINES = {"en": ["The question has come up again and again at council meetings in {T}.", "Few places have as much at stake as {T}.",
                    "Those who live near the site have waited years for an answer.", "The county has so far said little in public.",
                    "Officials in {T} have promised to publish their own figures.", "It is not the first time the issue has surfaced here."],
             "de": ["In {T} wird darüber seit Jahren gestritten.", "Kaum ein Ort ist so betroffen wie {T}.", "Die Anwohner warten lange auf Antworten.",
                    "Der Kreis hat sich bisher kaum geäußert."],
             "fr": ["À {T}, le sujet revient sans cesse.", "Peu de communes sont autant concernées que {T}.",
                    "Les riverains attendent une réponse depuis longtemps.", "Le département s'est peu exprimé jusqu'ici."],
             "es": ["En {T} el asunto vuelve una y otra vez.", "Pocos municipios se juegan tanto como {T}.",
                    "Los vecinos esperan respuesta desde hace años.", "La provincia apenas se ha pronunciado."],
             "ru": ["В городе {T} эта тема возникает постоянно.", "Мало где ставки так высоки, как в городе {T}.",
                    "Жители давно ждут ответа.", "Район пока почти ничего не говорит публично."]}

# same-template daily reports: a story per day (the agency's report and its copies), never one story
GENRES = {
    "market": {"en": ["The {X} index closed {dir} {p} per cent at {v} points on {D}.", "{Sec} stocks led the move, while {Sec2} shares lagged.",
                      "Trading volume was {w} per cent {dir2} the 30-day average.", "The currency traded at {f} against the dollar."],
               "de": ["Der {X} schloss am {D} {p} Prozent {dir} bei {v} Punkten.", "{Sec}werte führten die Bewegung an, {Sec2}werte blieben zurück.",
                      "Der Umsatz lag {w} Prozent {dir2} dem Durchschnitt."],
               "fr": ["L'indice {X} a clôturé {D} en {dir} de {p} % à {v} points.", "Les valeurs {Sec} ont mené le mouvement.",
                      "Les volumes étaient {w} % {dir2} de la moyenne."],
               "es": ["El {X} cerró el {D} con {dir} del {p} % hasta los {v} puntos.", "Los valores {Sec} lideraron la sesión.",
                      "El volumen negociado fue un {w} % {dir2} de la media."],
               "ru": ["Индекс {X} {D} закрылся {dir} на {p}% на отметке {v} пункта.", "Лидерами стали бумаги {Sec}.",
                      "Объём торгов оказался на {w}% {dir2} среднего."]},
    "weather": {"en": ["{Reg} can expect {cond} on {D}, with highs of {t} degrees.", "Winds will reach {w} km/h on the coast.",
                       "The weather service issued a {lvl} warning for the hills."],
                "de": ["In {Reg} wird es am {D} {cond} bei Höchstwerten um {t} Grad.", "An der Küste sind Böen bis {w} km/h möglich.",
                       "Der Wetterdienst gab eine Warnung der Stufe {lvl} aus."],
                "fr": ["{Reg} connaîtra {D} un temps {cond} avec des maximales de {t} degrés.", "Le vent soufflera jusqu'à {w} km/h sur le littoral.",
                       "Météo-service a émis une vigilance {lvl}."],
                "es": ["{Reg} tendrá el {D} un tiempo {cond} con máximas de {t} grados.", "El viento alcanzará {w} km/h en la costa.",
                       "El servicio meteorológico activó el aviso {lvl}."],
                "ru": ["{D} в регионе {Reg} ожидается {cond} погода, до {t} градусов.", "Порывы ветра на побережье достигнут {w} км/ч.",
                       "Синоптики объявили {lvl} уровень опасности."]},
    "sports": {"en": ["{A} beat {B} {s1}-{s2} on {D}, with {P} scoring twice.", "{A} move up to {pos} in the table.",
                      "{B} have now lost {k} of their last five games."],
               "de": ["{A} hat am {D} gegen {B} mit {s1}:{s2} gewonnen, {P} traf doppelt.", "{A} klettert damit auf Platz {pos}.",
                      "{B} verlor {k} der letzten fünf Spiele."],
               "fr": ["{A} a battu {B} {s1}-{s2} {D}, avec un doublé de {P}.", "{A} remonte à la {pos}e place.",
                      "{B} a perdu {k} de ses cinq derniers matches."],
               "es": ["El {A} ganó al {B} por {s1}-{s2} el {D}, con doblete de {P}.", "El {A} sube al {pos}.º puesto.",
                      "El {B} ha perdido {k} de sus últimos cinco partidos."],
               "ru": ["«{A}» {D} обыграл «{B}» со счётом {s1}:{s2}, дубль оформил {P}.", "«{A}» поднялся на {pos}-е место.",
                      "«{B}» проиграл {k} из пяти последних матчей."]},
}
GENRE_TITLE = {"market": {"en": "Markets: {X} {dir}", "de": "Börse: {X} {dir}", "fr": "Bourse : le {X} en {dir}", "es": "Bolsa: el {X}, {dir}",
                          "ru": "Рынки: {X} {dir}"},
               "weather": {"en": "Weather for {D}", "de": "Das Wetter am {D}", "fr": "La météo de {D}", "es": "El tiempo del {D}",
                           "ru": "Погода на завтра"},
               "sports": {"en": "{A} beat {B}", "de": "{A} schlägt {B}", "fr": "{A} bat {B}", "es": "El {A} vence al {B}",
                          "ru": "«{A}» обыграл «{B}»"}}
GENRE_SLOTS = {
    "X": {"en": "FTSE 250", "de": "MDAX", "fr": "CAC Mid 60", "es": "IBEX Medium Cap", "ru": "индекс МосБиржи"},
    "dir": {"en": ["higher", "lower"], "de": ["höher", "tiefer"], "fr": ["hausse", "baisse"], "es": ["una subida", "una bajada"],
            "ru": ["ростом", "снижением"]},
    "dir2": {"en": ["above", "below"], "de": ["über", "unter"], "fr": ["au-dessus", "en dessous"], "es": ["por encima", "por debajo"],
             "ru": ["выше", "ниже"]},
    "Sec": {"en": ["Bank", "Mining", "Retail", "Utility", "Airline"], "de": ["Bank", "Auto", "Chemie", "Versorger", "Bau"],
            "fr": ["bancaires", "automobiles", "du luxe", "énergétiques", "de la construction"],
            "es": ["bancarios", "eléctricos", "turísticos", "constructores", "textiles"],
            "ru": ["банков", "металлургов", "нефтяников", "ритейлеров", "энергетиков"]},
    "cond": {"en": ["heavy rain", "sunny spells", "fog and drizzle", "snow showers", "thunderstorms"],
             "de": ["regnerisch", "sonnig", "neblig", "wechselhaft", "gewittrig"], "fr": ["pluvieux", "ensoleillé", "brumeux", "variable", "orageux"],
             "es": ["lluvioso", "soleado", "nuboso", "variable", "tormentoso"], "ru": ["дождливая", "солнечная", "туманная", "переменчивая", "грозовая"]},
    "lvl": {"en": ["yellow", "amber"], "de": ["2", "3"], "fr": ["jaune", "orange"], "es": ["amarillo", "naranja"], "ru": ["жёлтый", "оранжевый"]},
}


# ----------------------------------------------------------------------------- prose from real abstracts
def abstracts(sources: list[str]) -> list[dict]:
    """Abstracts of the named test collections as lists of clean sentences (title + body)."""
    return list(_abstracts(tuple(sources)))


@functools.lru_cache(maxsize=4)
def _abstracts(sources: tuple[str, ...]) -> tuple[dict, ...]:
    readers = {"cranfield": ("cranfield/cran.all.1400", True), "cacm": ("cacm/cacm.all", False), "cisi": ("cisi/CISI.ALL", False),
               "medline": ("medline/MED.ALL", True)}
    out = []
    for src in sources:
        rel, lowercase = readers[src]
        raw = (DATA / rel).read_text(encoding="utf-8", errors="replace")
        for rec in re.split(r"^\.I ", raw, flags=re.M)[1:]:
            fields = dict(re.findall(r"^\.([TWA])\s*\n(.*?)(?=^\.[A-Z]\b|\Z)", rec, flags=re.M | re.S))
            body = " ".join(fields.get("W", "").split())
            title = " ".join(fields.get("T", "").split())
            sents = [_clean(s, lowercase) for s in re.split(r"(?<=[a-z0-9)\]]) ?\. +(?=[A-Za-z(])", body)]
            sents = [s for s in sents if 8 <= len(s.split()) <= 42 and not re.search(r"[=<>{}\\^|@/]|\d\.\d\.|\b[a-z]\)", s)]
            if title and sents and _clean(title, lowercase).rstrip(".").lower() == sents[0].rstrip(".").lower():
                sents = sents[1:]
            if len(sents) >= 4:
                out.append({"id": f"{src}:{rec.split(None, 1)[0]}", "title": _clean(title, lowercase).rstrip(".") if title else "",
                            "sents": tuple(sents)})
    return tuple(out)


def _clean(s: str, lowercase: bool) -> str:
    s = re.sub(r"\s+([.,;:)])", r"\1", s.strip())
    s = re.sub(r"\(\s+", "(", s)
    s = s.rstrip(" .") + "."
    return s[0].upper() + s[1:] if s else s


def lower(segs: list) -> list:
    """The first letter lower-cased, unless the first word is an acronym ("CLU", "NASA")."""
    if segs and isinstance(segs[0], str) and segs[0][:1].isupper() and not segs[0][1:2].isupper():
        return [segs[0][0].lower() + segs[0][1:]] + segs[1:]
    return segs


def approx(n: float, lang: str, money: str | None = None) -> str:
    """A number as a summary writes it: 287 -> "nearly 300" / "more than 280"."""
    digits = len(str(int(n)))
    mag = 10 ** (digits - 1 if digits <= 3 else digits - 2)
    up, down = -(-int(n) // mag) * mag, int(n) // mag * mag
    words = {"en": ("nearly", "more than"), "de": ("knapp", "mehr als"), "fr": ("près de", "plus de"), "es": ("casi", "más de"),
             "ru": ("почти", "более")}[lang]
    v, w = (up, words[0]) if up - n < n - down or down == 0 else (down, words[1])
    return f"{w} {group(v, lang)}" + (f" {money}" if money else "")


def group(n: int, lang: str) -> str:
    s = f"{n:,}"
    return {"en": s, "de": s.replace(",", "."), "es": s.replace(",", "."), "fr": s.replace(",", "\u202f"), "ru": s.replace(",", "\u00a0")}[lang]


def money_text(m: float, lang: str) -> tuple[str, str]:
    """(exact, summarised) of an amount in millions."""
    v = f"{m:.2f}".rstrip("0").rstrip(".")
    if lang != "en":
        v = v.replace(".", ",")
    cur = {"en": ("£{v} million", "£{a} million"), "de": ("{v} Millionen Euro", "{a} Millionen Euro"),
           "fr": ("{v} millions d'euros", "{a} millions d'euros"), "es": ("{v} millones de euros", "{a} millones de euros"),
           "ru": ("{v} млн рублей", "{a} млн рублей")}[lang]
    more = {"en": "more than", "de": "mehr als", "fr": "plus de", "es": "más de", "ru": "более"}[lang]
    return cur[0].format(v=v), cur[1].format(a=f"{more} {int(m)}")


# ----------------------------------------------------------------------------- model
@dataclass
class Outlet:
    name: str
    lang: str
    kind: str  # agency | paper | site
    fmt: str
    where: str  # meta | front | markup | text
    mentions: dict | None = None  # a real agency's names by language (None: an invented outlet, named as is)

    def mention(self, lang: str, r: Random) -> str:
        if self.mentions:
            ms = self.mentions[lang]
            return ms[0] if len(ms) == 1 or r.random() < 0.7 else r.choice(ms[1:])
        return self.name


@dataclass
class Fact:
    """One fact of a report: its variants (segments), the first being the wire's wording."""
    key: str
    variants: list

    def render(self, k: int = 0) -> Sent:
        return Sent(cap(list(self.variants[min(k, len(self.variants) - 1)])), self.key, lower_ok=True)


@dataclass
class Event:
    eid: str
    lang: str
    topic: str
    slots: dict
    facts: list  # list[Fact], the wire's order
    spare: list = field(default_factory=list)  # facts an independent report uses (the same study, other sentences)
    title: str = ""


class Generator:
    def __init__(self, split: str, n: int, seed: int):
        self.split, self.n, self.r = split, n, Random(seed)
        if split == "heldout":
            import storygen4_heldout as H  # noqa: N812 (sealed material: not for the method's developers)
            self.names, self.extra, sources = H.NAMES, H.PHRASINGS, H.SOURCES
            self.wires, self.wire_langs = {**WIRES, **H.WIRES}, {k: v + H.WIRE_LANGS.get(k, []) for k, v in WIRE_LANGS.items()}
            self.ru_inst_gen = {**RU_INST_GEN, **H.RU_INST_GEN}
        else:
            self.names, self.extra, sources = NAMES, EXTRA, ["cranfield", "cacm"]
            self.wires, self.wire_langs, self.ru_inst_gen = WIRES, WIRE_LANGS, RU_INST_GEN
        pool = abstracts(sources)
        Random(seed + 1).shuffle(pool)
        self.abstracts = pool
        self.articles: list[Article] = []
        self.events: dict[str, Event] = {}
        self.outlets: dict[str, list[Outlet]] = {}
        self.stories_of_lang: dict[str, list[Article]] = {lg: [] for lg in LANGS}
        self.facts_of: dict[str, list[Fact]] = {}  # the facts each article was written from (what a copy re-renders)
        self._make_outlets()

    # -- names and phrasings
    def phr(self, table: str, lang: str, base: list) -> tuple:
        """(phrasing, held): one of the dev phrasings or of the split's own (flagged)."""
        pool = [(x, False) for x in base] + [(x, True) for x in self.extra.get(table, {}).get(lang, [])]
        return self.r.choice(pool)

    def person(self, lang: str) -> str:
        return f"{self.r.choice(self.names['first'][lang])} {self.r.choice(self.names['last'][lang])}"

    def _make_outlets(self) -> None:
        r = self.r
        fmts = {"en": [("txt", "meta"), ("txt", "text"), ("md", "front"), ("html", "markup"), ("txt", "meta")],
                "de": [("html", "markup"), ("txt", "meta"), ("md", "front"), ("txt", "meta")],
                "fr": [("md", "front"), ("html", "markup"), ("txt", "meta"), ("html", "markup")],
                "es": [("txt", "meta"), ("html", "markup"), ("md", "front"), ("txt", "meta")],
                "ru": [("html", "markup"), ("txt", "meta"), ("md", "front"), ("txt", "meta")]}
        for lang in LANGS:
            lst = [Outlet(w, lang, "agency", "txt", "meta", self.wires[w]) for w in self.wire_langs[lang]]
            towns = list(self.names["towns"][lang])
            r.shuffle(towns)
            for i, form in enumerate(self.names["papers"][lang]):
                fmt, where = fmts[lang][i % len(fmts[lang])]
                lst.append(Outlet(form.replace("{T}", towns[i]), lang, "paper", fmt, where))
            lst.append(Outlet(self.names["agencies"][lang][0].replace("{T}", towns[-1]), lang, "agency", "txt", "meta"))
            lst.append(Outlet(self.names["sites"][lang][0].replace("{T}", towns[-2]), lang, "site", "html", "markup"))
            self.outlets[lang] = lst

    def of_kind(self, lang: str, kind: str) -> list[Outlet]:
        return [o for o in self.outlets[lang] if o.kind == kind]

    def _doc(self, o: Outlet) -> str:
        return f"s4-{len(self.articles) + 1:04d}.{o.fmt}"

    def add(self, a: Article) -> Article:
        self.articles.append(a)
        return a

    def _when(self, base: dt.datetime, same_day: float) -> dt.datetime:
        if self.r.random() < same_day:
            t = base + dt.timedelta(minutes=self.r.randrange(15, 540))
            return t if t.date() == base.date() else base.replace(hour=23, minute=50)
        return base + dt.timedelta(days=self.r.choice([1, 1, 2, 3]), minutes=self.r.randrange(0, 600))

    # -- events
    def new_event(self, lang: str) -> Event | None:
        r = self.r
        eid = f"e{len(self.events) + 1}"
        inst = r.choice(self.names["institutions"][lang])
        own = Random(inst)  # an institution's boilerplate is the same sentence in every report about it
        sl = {"I": inst, "I_cap": inst[0].upper() + inst[1:], "C": r.choice(self.names["towns"][lang]), "P": self.person(lang),
              "D": WEEKDAYS[lang][r.randrange(7)], "Y": str(own.randrange(1890, 2005)), "K": group(own.randrange(120, 4000) // 10 * 10, lang)}
        n = r.choice([r.randrange(110, 990), r.randrange(1100, 9800)])
        m = round(r.uniform(1.1, 48.0), 2)
        sl["N"], sl["NA"] = group(n, lang), approx(n, lang)
        sl["M"], sl["MA"] = money_text(m, lang)
        facts: list[Fact] = []
        spare: list[Fact] = []
        if lang == "en":
            if not self.abstracts:
                return None
            ab = self.abstracts.pop()
            ss = ab["sents"]
            sl["U"] = r.choice(self.names["units"]["en"])
            sl["F"] = r.choice(self.names["funders"]["en"])
            first = strip_stop([ss[0]])[0]
            fl = lower([first])[0]
            sl.update({"first": first, "fl": fl, "fl_cap": first, "k": str(r.randrange(2, 9)), "NA_cap": sl["NA"][0].upper() + sl["NA"][1:],
                       "F_cap": sl["F"][0].upper() + sl["F"][1:]})
            j = Mark(r.choice(self.names["journals"]["en"]), "", "journal", kind="not_outlet")
            j.mention = j.outlet
            jc = Mark(j.outlet, j.outlet[0].upper() + j.outlet[1:], "journal", kind="not_outlet")

            def fam(k: str) -> Fact:
                return Fact(k, [fill(t, {**sl, "J": j, "J_cap": jc}) for t in r.choice(EN_FAMILIES[k])])
            facts.append(fam("lede"))
            body = ss[1:]
            half = max(3, min(len(body) - 2, 6)) if len(body) >= 7 else len(body)
            own, rest = body[:half - 1], body[half:]
            q = strip_stop([body[half - 1]])[0]  # the lead author's quote: a sentence no finding repeats
            sl["Q"] = q
            for i, s in enumerate(own):
                core = strip_stop([s])[0]
                lc = lower([core])[0]
                facts.append(Fact(f"finding{i}", [[s], [f"The researchers found that {lc}."], [f"{core}, according to the study."]]))
            facts.insert(2, Fact("quote", self._quote_variants(q, sl["P"], lang)))
            facts.insert(3, fam("count"))
            if r.random() < 0.8:
                facts.append(fam("money"))
            if r.random() < 0.8:
                facts.append(fam("journal"))
            for i, s in enumerate(rest[:5]):
                spare.append(Fact(f"spare{i}", [[s]]))
            title = ab["title"] or " ".join(ss[0].split()[:9]).rstrip(".,;")
            title = title[0].upper() + title[1:]
        else:
            vi = r.randrange(len(VERBS[lang]))
            oi = r.randrange(len(OBJECTS[lang]))
            va, vp = VERBS[lang][vi]
            b = OBJECTS[lang][oi]
            sl.update({"V": va, "Vp": vp, "B": b, "B_cap": (RU_OBJ_NOM[oi] if lang == "ru" else b[0].upper() + b[1:]),
                       "R": r.choice(REASONS[lang]), "Q": r.choice(QUOTES[lang]), "ADJ": r.choice(ADJS[lang]),
                       "I_g": self.ru_inst_gen.get(inst, inst), "D2": WEEKDAYS[lang][r.randrange(7)]})
            if lang == "de" and sl["B_cap"].startswith(("Den ", "Die ", "Das ")):
                sl["B_cap"] = {"Den ": "Der ", "Die ": "Die ", "Das ": "Das "}[sl["B_cap"][:4]] + sl["B_cap"][4:]
            sl["D2_cap"] = sl["D2"][0].upper() + sl["D2"][1:]
            sl["D2_acc"] = sl["D2"].split(" ", 1)[-1]  # "в пятницу" -> "пятницу" (ru: "назначены на пятницу")
            for k in ("lede", "count", "reason", "quote", "money", "react", "next"):
                if k not in ("lede", "quote") and r.random() < 0.25:
                    continue
                family = BANK[lang][k] if k not in BANK_ALT[lang] or r.random() < 0.5 else BANK_ALT[lang][k]
                facts.append(Fact(k, [fill(v[0], sl) for v in family]))
            title = plain(fill({"de": "{C}: {B_cap} {V}", "fr": "{C} : {B} {V}", "es": "{C}: {I} {V} {B}", "ru": "{C}: {I} {V} {B}"}[lang], sl))
            title = title.replace(": den ", ": Der ")
        if r.random() < 0.6:
            facts.append(Fact("boiler", [fill(BOILER[lang], sl)]))
        ev = Event(eid, lang, f"t-{eid}", sl, facts, spare, title)
        self.events[eid] = ev
        return ev

    def _quote_variants(self, q: str, p: str, lang: str) -> list:
        if lang == "en":
            v = [[f'"{q}," {p} said.'], [f'{p} said: "{q}."'], [f'"{q}," said {p}, who led the work.']]
            if ", " in q:
                a, b = q.split(", ", 1)
                v.append([f'"{a}," {p} said. "{b[0].upper() + b[1:]}."'])
            return v
        return [fill(x[0], {"Q": q, "P": p}) for x in BANK[lang]["quote"]]

    # -- articles
    def wire(self, ev: Event, writer: Outlet, t: dt.datetime, kind: str = "wire", facts: list | None = None,
             story: str | None = None) -> Article:
        r, lang = self.r, ev.lang
        facts = list(facts or ev.facts)
        sents = [f.render(0) for f in facts]
        a = Article(self._doc(writer), writer, lang, story or f"{ev.eid}-{kind}", ev.eid, ev.topic, kind, t, [ev.title], [])
        if writer.kind == "agency" and r.random() < 0.35:  # the quote given to the writer itself: a self-reference
            qi = next((i for i, f in enumerate(facts) if f.key == "quote"), None)
            if qi is not None:
                sents[qi] = self._told(ev, writer, writer, lang, kind="self")
        a.paras = self._paragraphs(sents)
        if writer.kind == "agency":
            if r.random() < 0.7:
                a.dateline = self._dateline(ev, writer, t, "self")
            if r.random() < 0.45:
                self._signoff(a, writer, kind="self")
        else:
            self._furniture(a)
        a.dated = r.random() > 0.08
        a.issuer = ev.slots.get("I")
        a.ops.append("origin")
        self.facts_of[a.doc] = facts
        return self.add(a)

    def _told(self, ev: Event, speaker_to: Outlet, writer: Outlet, lang: str, kind: str = "credit") -> Sent:
        tpl, held = self.phr("told", lang, TOLD[lang])
        mk = Mark(speaker_to.name, speaker_to.mention(lang, self.r), "told" if kind == "credit" else "told_own", held, kind=kind)
        q = ev.slots.get("Q") or strip_stop([plain(ev.facts[1].variants[0])])[0]
        return Sent(fill(tpl, {"Q": q, "P": ev.slots["P"], "O": self._name(mk, speaker_to, lang), **self._ru(speaker_to)}), "quote")

    def _name(self, mk: Mark, o: Outlet, lang: str) -> list:
        return ["«", mk, "»"] if lang == "ru" and not o.mentions else [mk]

    def _ru(self, o: Outlet) -> dict:
        k = RU_KIND.get(o.kind, RU_KIND["paper"])
        return {"K": k[0], "Kg": k[1], "Ka": k[2], "Kd": k[3]}

    def _dateline(self, ev: Event, o: Outlet, t: dt.datetime, kind: str) -> list:
        lang = ev.lang
        mk = Mark(o.name, o.mention(lang, self.r), "dateline" if kind == "credit" else "own_dateline", kind=kind)
        c = ev.slots["C"]
        c2 = self.r.choice([x for x in self.names["towns"][lang] if x != c])
        mon = MONTHS[lang][t.month - 1][:3] if lang in ("en", "ru") else MONTHS[lang][t.month - 1]
        segs = fill(DATELINES[lang], {"CU": c.upper(), "C": c, "C2": c2, "d": str(t.day), "mon": mon, "O": mk})
        return segs + ([" "] if not plain(segs).endswith(" ") else [])

    def _signoff(self, a: Article, o: Outlet, kind: str = "credit", held: bool = False) -> list[Mark]:
        """A sign-off at the end of the last paragraph; (AFP/Reuters)-like forms credit two agencies."""
        lang = a.lang
        mk = Mark(o.name, o.mention(lang, self.r), "signoff" if kind == "credit" else "own_signoff", held, kind=kind)
        others = [w for w in self.of_kind(lang, "agency") if w.name != o.name and w.name != a.outlet.name]
        marks = [mk]
        sl = {"O": mk, "X": self.r.choice(DESKS)}
        if "{O2}" in SIGNOFFS[lang]:
            if not others:
                return []
            o2 = self.r.choice(others)
            mk2 = Mark(o2.name, o2.mention(lang, self.r), "signoff", held)
            sl["O2"] = mk2
            marks.append(mk2)
        last = a.paras[-1][-1]
        a.paras[-1][-1] = Sent(tidy(strip_stop(last.segs) + ["."] + fill(SIGNOFFS[lang], sl)), last.fact)
        return marks

    def _furniture(self, a: Article) -> None:
        r, o, lang = self.r, a.outlet, a.lang
        if r.random() < 0.55:
            a.head.append(("byline", fill(r.choice(self.names["bylines"][lang]),
                                          {"A": self.person(lang), "S": Mark(o.name, o.name, "byline", kind="self")})))
        if r.random() < 0.45:
            a.tail.append(("footer", fill(r.choice(self.names["footers"][lang]),
                                          {"Y": str(a.time.year), "S": Mark(o.name, o.name, "footer", kind="self")})))
        if r.random() < 0.3:  # the outlet's newsletter line: boilerplate in every article that has it
            a.tail.append(("newsletter", fill(self.names["newsletter"][lang], {"S": Mark(o.name, o.name, "newsletter", kind="self")})))

    def _paragraphs(self, sents: list[Sent]) -> list[list[Sent]]:
        out, i = [[sents[0]]], 1
        while i < len(sents):
            k = 1 if self.r.random() < 0.55 else 2
            out.append(sents[i:i + k])
            i += k
        return out

    def credit(self, a: Article, src: Outlet, allow_head: bool = True) -> None:
        """Credit ``src`` in ``a`` with one phrasing (and now and then an anaphor later on)."""
        r, lang = self.r, a.lang
        u = r.random()
        mk = Mark(src.name, src.mention(lang, r), "")
        sl = {**self._ru(src), "O": self._name(mk, src, lang), "D": a.time.strftime("%A") if lang == "en" else WEEKDAYS[lang][a.time.weekday()],
              "C": self.events[a.event].slots.get("C", "") if a.event in self.events else ""}
        if allow_head and u < 0.12:
            tpl, mk.held = self.phr("headline", lang, HEADLINE_CREDITS[lang])
            mk.form = "headline"
            a.title = fill(tpl, {**sl, "t": a.title})
            return
        if u < 0.3:
            tpl, mk.held = self.phr("endline", lang, ENDLINES[lang])
            mk.form = "endline"
            a.tail.insert(0, ("endline", fill(tpl, sl)))
            return
        body = [(pi, si) for pi, p in enumerate(a.paras) for si, s in enumerate(p)
                if s.fact not in (None, "quote", "boiler", "journal") and not any(isinstance(x, Mark) for x in s.segs)]
        if not body:
            a.tail.insert(0, ("endline", fill(ENDLINES[lang][0], sl)))
            mk.form = "endline"
            return
        (form, tpl), mk.held = self.phr("credits", lang, CREDITS[lang])
        mk.form = form
        pi, si = r.choice(body)
        s = a.paras[pi][si]
        core = strip_stop(s.segs)
        a.paras[pi][si] = Sent(cap(fill(tpl, {**sl, "s": core, "s_l": lower(core)})), s.fact)
        later = [(p, q) for p, q in body if (p, q) > (pi, si)]
        if later and r.random() < 0.35:
            p2, s2 = r.choice(later)
            tpl2, held2 = self.phr("anaphora", lang, ANAPHORA[lang])
            word = next(w for w in ANAPHOR_WORDS + list(self.extra.get("anaphor_words", [])) if w in tpl2)
            pre, post = tpl2.split(word, 1)
            s2o = a.paras[p2][s2]
            a.paras[p2][s2] = Sent(cap(fill(pre.replace("{s}", "{core}"), {"core": strip_stop(s2o.segs)}) + [Mark(src.name, word, "anaphora", held2)]
                                       + [post]), s2o.fact)

    def copy(self, parent: Article, outlet: Outlet, t: dt.datetime, kind: str = "copy") -> Article:
        """An edited copy: paraphrased facts, summarised numbers, moved quotes, trimmed tail; a member."""
        r, ev = self.r, self.events[parent.event]
        lang = parent.lang
        wire_facts = self.facts_of.get(parent.doc) or ev.facts
        paraphrase = r.random() < 0.7
        sents = []
        for f in wire_facts:
            k = r.randrange(len(f.variants)) if paraphrase and r.random() < 0.5 else 0
            sents.append(f.render(k))
        ops = ["paraphrase"] if paraphrase else ["verbatim"]
        if r.random() < 0.35 and len(sents) > 5:
            sents = sents[:r.randrange(4, len(sents))]
            ops.append("tail_cut")
        a = Article(self._doc(outlet), outlet, lang, parent.story, parent.event, parent.family, kind, t, [ev.title], self._paragraphs(sents),
                    parent=parent.doc)
        a.ops += ops
        a.issuer = parent.issuer
        self.facts_of[a.doc] = wire_facts
        if kind == "regional" or (outlet.kind == "paper" and r.random() < 0.25):
            town = r.choice(self.names["towns"][lang])
            lines = r.sample(LOCAL_LINES[lang], min(len(LOCAL_LINES[lang]), r.randrange(1, 4)))
            for ln in lines:
                a.paras.insert(r.randrange(1, len(a.paras) + 1), [Sent(fill(ln, {"T": town}), None)])
            a.ops.append("local_paragraphs")
        if r.random() < 0.15 and outlet.kind == "paper":
            own = Mark(outlet.name, outlet.name, "has_learned", kind="self")
            pi = r.randrange(1, len(a.paras)) if len(a.paras) > 1 else 0
            s = a.paras[pi][0]
            if s.fact and s.fact != "quote" and not any(isinstance(x, Mark) for x in s.segs):
                a.paras[pi][0] = Sent(cap(fill(HAS_LEARNED[lang], {"s": strip_stop(s.segs), "S": self._name(own, outlet, lang), **self._ru(outlet)})),
                                      s.fact)
        if r.random() < 0.15 and outlet.kind == "paper":
            own = Mark(outlet.name, outlet.name, "contacted", kind="self")
            a.paras.append([Sent(cap(fill(CONTACTED[lang], {"S": self._name(own, outlet, lang), "I": ev.slots["I"]})), None)])
        # what travels with wire copy: its dateline (a credit now) and the quote given to the wire
        if parent.dateline and r.random() < 0.5:
            a.dateline = [Mark(x.outlet, x.mention, "dateline") if isinstance(x, Mark) else x for x in parent.dateline]
        told = [s for p in parent.paras for s in p if s.fact == "quote" and any(isinstance(x, Mark) for x in s.segs)]
        if told and r.random() < 0.7:
            for p in a.paras:
                for i, s in enumerate(p):
                    if s.fact == "quote":
                        p[i] = Sent([Mark(x.outlet, x.mention, "told", x.held) if isinstance(x, Mark) else x for x in told[0].segs], "quote")
        if outlet.kind == "paper":
            self._furniture(a)
        if r.random() < 0.9:
            for _ in range(r.choice([1, 1, 2])):
                self.credit(a, parent.outlet)
            if parent.outlet.kind == "agency" and r.random() < 0.2:
                self._signoff(a, parent.outlet)
        else:
            a.ops.append("no_credit")
        a.dated = r.random() > 0.1
        return self.add(a)

    def update(self, wire: Article, t: dt.datetime, k: int) -> Article:
        """The agency's own later version: a tagged title, a new top paragraph, the earlier text below."""
        ev = self.events[wire.event]
        lang = wire.lang
        a = Article(self._doc(wire.outlet), wire.outlet, lang, wire.story, wire.event, wire.family, "update", t,
                    [UPDATE_TAGS[lang][k % len(UPDATE_TAGS[lang])] + ev.title],
                    [[Sent(list(s.segs), s.fact, s.lower_ok) for s in p] for p in wire.paras], parent=wire.doc)
        new = Fact(f"update{k}", [fill(UPDATE_LINES[lang][k % len(UPDATE_LINES[lang])], ev.slots)])
        a.paras.insert(0, [new.render(0)])
        for p in a.paras:  # the lede rewritten
            if p[0].fact == "lede":
                p[0] = ev.facts[0].render(1 + k % 2)
        self.facts_of[a.doc] = [new] + self.facts_of.get(wire.doc, ev.facts)
        a.dateline = wire.dateline
        a.issuer = wire.issuer
        a.dated = True
        a.ops.append(f"update:{k + 1}")
        return self.add(a)

    def partial(self, wire: Article, outlet: Outlet, t: dt.datetime) -> Article:
        """An outlet's own longer article carrying 3-5 sentences of the report, its lede among them: a member."""
        r, ev = self.r, self.events[wire.event]
        lang = wire.lang
        taken = [ev.facts[0].render(0)] + [f.render(0) for f in r.sample(ev.facts[1:], min(len(ev.facts) - 1, r.randrange(2, 5)))]
        town = r.choice(self.names["towns"][lang])
        own = [Sent(fill(x, {"T": town}), None) for x in r.sample(OWN_LINES[lang], min(4, len(OWN_LINES[lang])))]
        sents = own[:1] + taken[:2] + own[1:3] + taken[2:] + own[3:]
        a = Article(self._doc(outlet), outlet, lang, wire.story, wire.event, wire.family, "partial", t,
                    [fill(OWN_TITLE[lang], {"T": town})[0]], self._paragraphs(sents), parent=wire.doc)
        a.ops.append(f"partial:{len(taken)}")
        a.issuer = wire.issuer
        self._furniture(a)
        if r.random() < 0.8:
            self.credit(a, wire.outlet, allow_head=False)
        a.dated = r.random() > 0.1
        return self.add(a)

    def independent(self, ev: Event, outlet: Outlet, t: dt.datetime) -> Article | None:
        """Another outlet's own report of the same event: the same quote word for word, names, numbers; not a copy."""
        r, lang = self.r, ev.lang
        own = [Fact(k, [fill(x, ev.slots)]) for k, x in zip(("lede", "count", "aside"), INDEPENDENT[lang])]
        q = next(f for f in ev.facts if f.key == "quote")
        if lang == "en":
            if len(ev.spare) < 2:
                return None
            facts = [own[0]] + ev.spare[:3] + [Fact("quote", [q.variants[0]]), own[1]] + ev.spare[3:] + [own[2]]
        else:
            facts = [own[0], Fact("quote", [q.variants[0]]), own[1], own[2]]
        a = self.wire(ev, outlet, t, kind="independent", facts=facts)
        a.title = [{"en": "New evidence from ", "de": "Neue Wende in ", "fr": "Nouveau rebondissement à ", "es": "Giro en ",
                    "ru": "Новый поворот: "}[lang] + (ev.slots["I"] if lang == "en" else ev.slots["C"])]
        return a

    def followup(self, wire: Article, outlet: Outlet, t: dt.datetime) -> Article:
        """Days later: something new, the first report recapped in one or two sentences. Its own story."""
        r, ev = self.r, self.events[wire.event]
        lang = wire.lang
        new = [Sent(fill(x, {**ev.slots, "U": ev.slots.get("U", "")}), None) for x in r.sample(FOLLOWUP_NEW[lang], 2)]
        recap_src = ev.facts[0].render(r.choice([0, 1]))
        tpl, held = self.phr("recap", lang, RECAP[lang])
        same = outlet.name == wire.outlet.name
        mk = Mark(wire.outlet.name, wire.outlet.mention(lang, r), "as_we_reported" if same else "recap", held, kind="self" if same else "credit")
        day = WEEKDAYS[lang][wire.time.weekday()] if lang != "en" else wire.time.strftime("%A")
        core = strip_stop(recap_src.segs)
        recap = Sent(cap(fill(tpl, {"O": self._name(mk, wire.outlet, lang), "D": day, "s": core, "s_l": lower(core), **self._ru(wire.outlet)})), "recap")
        sents = [new[0], recap, new[1]]
        if r.random() < 0.5:
            extra = next((f for f in ev.facts if f.key in ("count", "money")), None)
            if extra:
                sents.append(extra.render(r.randrange(len(extra.variants))))
        story = f"followup-{len(self.articles) + 1}"
        a = Article(self._doc(outlet), outlet, lang, story, story, ev.topic, "followup", t, fill(FOLLOWUP_TITLE[lang], ev.slots), self._paragraphs(sents),
                    parent=wire.doc)
        a.ops.append("same_outlet" if same else "other_outlet")
        a.issuer = wire.issuer
        if outlet.kind == "paper":
            self._furniture(a)
        a.dated = r.random() > 0.1
        return self.add(a)

    def roundup(self, lang: str, items: list[Article], t: dt.datetime) -> Article:
        """A digest of 3-5 stories, one sentence each (sometimes with its source): no member of any."""
        r = self.r
        site = self.of_kind(lang, "site")[0]
        paras = []
        for it in items:
            s = self.events[it.event].facts[0].render(0)
            segs = [plain(it.title).rstrip(".") + ". "] + list(s.segs)
            if r.random() < 0.6 and it.outlet.name != site.name:
                mk = Mark(it.outlet.name, it.outlet.mention(lang, r), "roundup")
                tpl, mk.held = self.phr("roundup", lang, [ROUNDUP_CREDIT[lang]])
                segs = strip_stop(tidy(segs)) + fill(tpl, {"O": self._name(mk, it.outlet, lang)}) + ["."]
            paras.append([Sent(tidy(segs), None)])
        story = f"roundup-{len(self.articles) + 1}"
        a = Article(self._doc(site), site, lang, story, story, "roundup", "roundup", t, [ROUNDUP_TITLE[lang]], paras)
        a.dated = True
        return self.add(a)

    def headlines(self, lang: str, items: list[Article], t: dt.datetime) -> Article:
        """A list of titles only: no member of any story."""
        o = self.r.choice(self.of_kind(lang, "paper"))
        paras = [[Sent([f"{i + 1}. {plain(it.title)}"], None)] for i, it in enumerate(items)]
        story = f"headlines-{len(self.articles) + 1}"
        a = Article(self._doc(o), o, lang, story, story, "headlines", "headlines", t, [HEADLINES_TITLE[lang]], paras)
        self._furniture(a)
        a.dated = self.r.random() > 0.2
        return self.add(a)

    def background(self, src: Article, outlet: Outlet, t: dt.datetime) -> Article:
        """An own article pasting one or two background sentences (not the lede) from another story."""
        r, ev = self.r, self.events[src.event]
        lang = src.lang
        pasted = [f.render(0) for f in r.sample([f for f in ev.facts if f.key not in ("lede", "quote")], r.choice([1, 2]))]
        town = r.choice(self.names["towns"][lang])
        own = [Sent(fill(x, {"T": town}), None) for x in OWN_LINES[lang]]
        r.shuffle(own)
        sents = own[:2] + pasted + own[2:4]
        story = f"own-{len(self.articles) + 1}"
        a = Article(self._doc(outlet), outlet, lang, story, story, "own", "background", t, [fill(OWN_TITLE[lang], {"T": town})[0]],
                    self._paragraphs(sents))
        a.ops.append(f"background_from:{src.story}")
        self._furniture(a)
        a.dated = r.random() > 0.1
        self.background_from[a.doc] = [src.story]
        return self.add(a)

    def genre_day(self, genre: str, lang: str, day: dt.datetime) -> None:
        """One day's same-template report by an agency and 0-2 copies (a story of that day)."""
        r = self.r
        o = r.choice(self.of_kind(lang, "agency"))
        sl = {k: (r.choice(v[lang]) if isinstance(v[lang], list) else v[lang]) for k, v in GENRE_SLOTS.items()}
        sl["Sec2"] = r.choice([x for x in GENRE_SLOTS["Sec"][lang] if x != sl["Sec"]])
        teams = r.sample(self.names["teams"][lang], 2)
        sl["Reg"] = r.choice(self.names["regions"][lang])
        sl.update({"A": teams[0], "B": teams[1], "p": f"{r.randrange(1, 30) / 10:.1f}".replace(".", "," if lang != "en" else "."),
                   "v": group(r.randrange(9000, 24000), lang), "w": str(r.randrange(5, 40)), "f": f"{r.uniform(0.8, 1.4):.4f}",
                   "t": str(r.randrange(-3, 31)), "s1": str(r.randrange(1, 5)), "s2": str(r.randrange(0, 3)), "P": self.person(lang),
                   "pos": str(r.randrange(2, 12)), "k": str(r.randrange(2, 5)), "D": WEEKDAYS[lang][day.weekday()]})
        eid = f"{genre}-{len(self.events) + 1}"
        sents = [Sent(cap(fill(x, sl)), f"g{i}") for i, x in enumerate(GENRES[genre][lang])]
        ev = Event(eid, lang, f"genre-{genre}", sl, [Fact(s.fact, [s.segs]) for s in sents], [], plain(fill(GENRE_TITLE[genre][lang], sl)))
        self.events[eid] = ev
        a = Article(self._doc(o), o, lang, f"{eid}-wire", eid, ev.topic, genre, day, [ev.title], self._paragraphs(sents))
        a.dated = True
        self.add(a)
        for p in r.sample(self.of_kind(lang, "paper"), r.choice([0, 1, 1, 2])):
            c = Article(self._doc(p), p, lang, a.story, eid, ev.topic, genre, self._when(day, 0.9), [ev.title],
                        [[Sent(list(s.segs), s.fact) for s in q] for q in a.paras], parent=a.doc)
            c.ops.append("genre_copy")
            if r.random() < 0.7:
                self.credit(c, o, allow_head=False)
            c.dated = r.random() > 0.1
            self.add(c)

    # -- the run
    def run(self) -> None:
        r = self.r
        self.background_from: dict[str, list[str]] = {}
        day0 = dt.datetime(2025, 2, 3, 6, 0)
        langs, weights = zip(*LANG_SHARE.items())
        genre_days: dict[tuple[str, str], int] = {}
        while len(self.articles) < self.n:
            lang = r.choices(langs, weights)[0]
            base = day0 + dt.timedelta(days=r.randrange(0, 150), minutes=r.randrange(0, 600))
            if r.random() < 0.1:
                genre = r.choice(list(GENRES))
                genre_days[(genre, lang)] = genre_days.get((genre, lang), 0) + 1
                self.genre_day(genre, lang, base)
                continue
            ev = self.new_event(lang)
            if ev is None:
                break
            agencies = self.of_kind(lang, "agency")
            writer = r.choice(agencies)
            w = self.wire(ev, writer, base)
            self.stories_of_lang[lang].append(w)
            latest = w
            for k in range(r.choice([0, 0, 0, 1, 1, 2])):
                latest = self.update(latest, latest.time + dt.timedelta(minutes=r.randrange(30, 240)), k)
            papers = self.of_kind(lang, "paper")
            for o in r.sample(papers + [x for x in agencies if x is not writer], r.choice([1, 2, 2, 3, 3, 4])):
                kind = "regional" if o.kind == "paper" and r.random() < 0.3 else "copy"
                self.copy(r.choice([w, latest]), o, self._when(w.time, 0.6), kind)
            if r.random() < 0.3:
                self.partial(w, r.choice(papers), self._when(w.time, 0.5))
            if r.random() < 0.3:
                other = [x for x in agencies + papers if x is not writer]
                ind = self.independent(ev, r.choice(other), self._when(w.time, 0.8))
                if ind is not None and r.random() < 0.5:
                    self.copy(ind, r.choice([p for p in papers if p is not ind.outlet]), self._when(ind.time, 0.7))
            if r.random() < 0.25:
                self.followup(w, r.choice([writer] + papers), w.time + dt.timedelta(days=r.randrange(1, 4), hours=r.randrange(0, 8)))
            if r.random() < 0.15 and len(self.stories_of_lang[lang]) > 2:
                self.background(r.choice(self.stories_of_lang[lang][:-1]), r.choice(papers), self._when(w.time, 0.3))
            recent = self.stories_of_lang[lang][-8:]
            if len(recent) >= 4 and r.random() < 0.12:
                self.roundup(lang, r.sample(recent, r.randrange(3, 5)), max(x.time for x in recent) + dt.timedelta(hours=3))
            if len(recent) >= 5 and r.random() < 0.08:
                self.headlines(lang, r.sample(recent, 5), max(x.time for x in recent) + dt.timedelta(days=1))


# ----------------------------------------------------------------------------- truth
def build(split: str, n: int | None = None, seed: int | None = None) -> tuple[dict, dict, dict]:
    conf = SPLITS[split]
    n = conf["n"] if n is None else n
    seed = conf["seed"] if seed is None else seed
    g = Generator(split, n, seed)
    g.run()
    rr = Random(seed * 7 + 3)
    files, metas, arts = {}, {}, {}
    for a in g.articles:
        content, meta, recs = render(a, rr)
        files[a.doc] = content
        if meta:
            metas[a.doc] = meta
        credits, selfs, dontcare = [], [], []
        explicit: set[str] = set()
        for rec in recs:
            mk: Mark = rec.pop("mark")
            rec.update({"outlet": mk.outlet, "mention": mk.mention, "form": mk.form, "held_out_phrasing": mk.held, "lang": a.lang})
            if mk.kind == "not_outlet":
                rec["why"] = "a journal named as the study's venue"
                dontcare.append(rec)
            elif mk.kind == "self" or mk.outlet == a.outlet.name:
                rec["form"] = {"dateline": "own_dateline", "signoff": "own_signoff", "told": "told_own", "recap": "as_we_reported",
                               "byline": "byline"}.get(mk.form, mk.form)
                selfs.append(rec)
            elif mk.form == "anaphora" and mk.outlet not in explicit:
                rec["why"] = "anaphora without its antecedent in this text"
                dontcare.append(rec)
            else:
                rec["aliases"] = sorted({mk.outlet, *(m for ms in g.wires.get(mk.outlet, {}).values() for m in ms)})
                credits.append(rec)
                if mk.form != "anaphora":
                    explicit.add(mk.outlet)
        arts[a.doc] = {"file": a.doc, "format": a.outlet.fmt, "lang": a.lang, "outlet": a.outlet.name, "outlet_kind": a.outlet.kind,
                       "date": a.time.date().isoformat() if a.dated else None, "time": a.time.isoformat(timespec="minutes"),
                       "story": a.story, "event": a.event, "topic": a.family, "kind": a.kind, "parent": a.parent, "ops": a.ops,
                       "cross_language": False, "issuer": a.issuer, "background_from": g.background_from.get(a.doc, []),
                       "credits": credits, "self_references": selfs, "dontcare": dontcare}
    stories: dict[str, dict] = {}
    for d, t in arts.items():
        stories.setdefault(t["story"], {"members": []})["members"].append(d)
    for st in stories.values():
        st["earliest"] = earliest(st["members"], arts)
    truth = {"version": VERSION, "split": split, "seed": seed, "n": len(arts), "articles": arts, "stories": stories,
             "about": "Truth of a storygen4 corpus (benchmarks/STORIES-EVAL.md), the shape of storygen2's: credits[].context is the "
                      "paragraph holding the mention, at its offset there; start/end are offsets in the file (.txt/.md) or in the "
                      "visible text (.html, paragraphs joined by blank lines). Kinds that are members of their parent's story: copy, "
                      "regional, update, partial, and the copies of a day's market/weather/sports report; not members: independent, "
                      "followup, roundup, headlines, background."}
    return files, metas, truth


def write(out: Path, split: str, n: int | None = None, seed: int | None = None) -> dict:
    return save(out, *build(split, n, seed), "storygen4")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--split", choices=sorted(SPLITS), default="dev")
    ap.add_argument("--n", type=int)
    ap.add_argument("--seed", type=int)
    args = ap.parse_args(argv)
    truth = write(args.out, args.split, args.n, args.seed)
    print(f"{truth['n']} articles, {len(truth['stories'])} stories -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
