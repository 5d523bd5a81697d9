"""A third syndication-corpus generator, with an edit model unlike storygen.py's and storygen2.py's.

Written by the evaluation helper of issue 21 (not by whoever changes `searchkit/stories/`).
storygen.py edits sentences (swaps, truncation, composites); storygen2.py re-renders facts
(synonym tables, digests, number styles, merged/split sentences). This one models how a
newsroom *handles* a report:

- **re-edited wire copy**: paragraphs reordered after the lede, the lede rewritten in the
  outlet's words, quotes trimmed to their first clause, the tail cut, the outlet's own
  "asked for comment" line, credits added or kept (a wire's dateline, sign-off and
  "told <wire>" travel with the copy);
- **live blogs**: snapshots of one page saved as it grows; each snapshot is the previous one
  with a time-stamped update on top (members of the story, same outlet, often the same day);
- **translated-and-condensed copies**: an English wire report rendered in German, French,
  Spanish or Russian from parallel phrase tables, keeping the lede and two or three facts
  (members of the story; pair figures are also reported without cross-language pairs);
- **corrections**: an outlet republishes its copy with a correction notice on top (a member);
- **press releases** put out by a distribution service and reprinted nearly verbatim by
  several outlets with different credits (or none); releases of one organisation share its
  "About" boilerplate (two sentences) without being one story;
- not members: **opinion pieces** quoting one sentence of a report (a credit, not a
  member), **aggregator pages** quoting the lede of several stories, a second outlet's
  **independent report** of the same event (same names and numbers, other sentences: another
  story), **sibling events** (same city, same authority, another decision);
- **dates**: same-day ties are the rule (the text decides: the acceptable earliest members
  are those dated on the story's first day that credit no other member of that day); about
  12% of articles carry no date at all.

Credits (each with the credited outlet, its mention and form): "according to", "X reported",
"citing X" (with the citing outlet naming itself: a self-reference), "told X", anaphora ("the
agency said"), end lines ("Material from X...", "Source: X"), headline credits, wire datelines
("KYIV (Reuters) -", "MADRID, 3 Mar (EFE).-", "МОСКВА, 3 марта. /ТАСС/."), sign-offs, aggregator
source lines, in en/de/fr/es/ru. Self-references are never credits: own byline, footer,
dateline, sign-off, "told Reuters" in Reuters' own copy, "as we reported", "the Courier asked".
Companies and officials ("said in a statement", "selon une estimation officielle", a press
release's issuer) are sources, not outlets: a credit naming them is false.

Splits: `dev` (seed 3301) and `heldout` (seed 90217). The held-out split draws every name
(towns, outlets, people, organisations) from lists of its own and adds phrasings of its own
(credit forms, ledes, opinion lines), all in `storygen3_heldout.py`, which the method's
developer must not read (benchmarks/STORIES-EVAL.md).

Output (OUT/): corpus/ (files + metadata.toml) and truth.json (the shape of storygen2's).
Usage: python benchmarks/storygen3.py OUT [--split dev|heldout] [--n N] [--seed S]
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

VERSION = "storygen3/2"  # 2: story ids carry no outlet name
SPLITS = {"dev": {"seed": 3301, "n": 560}, "heldout": {"seed": 90217, "n": 560}}
LANGS = ("en", "de", "fr", "es", "ru")
ORIGIN_SHARE = {"en": 0.40, "de": 0.15, "fr": 0.15, "es": 0.15, "ru": 0.15}

# ----------------------------------------------------------------------------- real wires
#: canonical name -> {lang: mentions (first is the usual one)}; every mention is an alias.
WIRES = {
    "Associated Press": {"en": ["AP", "The Associated Press"], "de": ["AP"], "fr": ["AP"], "es": ["AP"], "ru": ["AP"]},
    "Reuters": {"en": ["Reuters"], "de": ["Reuters"], "fr": ["Reuters"], "es": ["Reuters"], "ru": ["Рейтер"]},
    "Agence France-Presse": {"en": ["AFP"], "de": ["AFP"], "fr": ["AFP", "l'Agence France-Presse"], "es": ["AFP"], "ru": ["AFP"]},
    "dpa": {"en": ["dpa"], "de": ["dpa", "Deutsche Presse-Agentur"], "fr": ["dpa"], "es": ["DPA"], "ru": ["dpa"]},
    "EFE": {"en": ["EFE"], "de": ["EFE"], "fr": ["EFE"], "es": ["EFE", "Efe"], "ru": ["EFE"]},
    "Europa Press": {"en": ["Europa Press"], "de": ["Europa Press"], "fr": ["Europa Press"], "es": ["Europa Press"],
                     "ru": ["Europa Press"]},
    "TASS": {"en": ["TASS"], "de": ["TASS"], "fr": ["TASS"], "es": ["TASS"], "ru": ["ТАСС"]},
    "Interfax": {"en": ["Interfax"], "de": ["Interfax"], "fr": ["Interfax"], "es": ["Interfax"], "ru": ["Интерфакс"]},
}
WIRE_LANGS = {"en": ["Associated Press", "Reuters"], "de": ["dpa", "Reuters"], "fr": ["Agence France-Presse"],
              "es": ["EFE", "Europa Press"], "ru": ["TASS", "Interfax"]}

# ----------------------------------------------------------------------------- parallel phrase tables
# Concept tables: entry i means the same thing in every language (what translation uses).
ACTORS = {
    "en": ["the city council", "the regional government", "the port authority", "the health ministry", "the transport department",
           "the energy regulator", "the district court", "the education board", "the water utility", "the environment agency",
           "the mayor's office", "the labour inspectorate"],
    "de": ["der Stadtrat", "die Landesregierung", "die Hafenbehörde", "das Gesundheitsministerium", "die Verkehrsbehörde",
           "die Energieaufsicht", "das Bezirksgericht", "die Schulbehörde", "die Wasserversorgung", "das Umweltamt",
           "das Bürgermeisteramt", "die Arbeitsinspektion"],
    "fr": ["le conseil municipal", "le gouvernement régional", "l'autorité portuaire", "le ministère de la Santé",
           "la direction des transports", "le régulateur de l'énergie", "le tribunal de district", "le rectorat",
           "la régie des eaux", "l'agence de l'environnement", "la mairie", "l'inspection du travail"],
    "es": ["el ayuntamiento", "el gobierno regional", "la autoridad portuaria", "el ministerio de Sanidad",
           "la consejería de Transportes", "el regulador energético", "el juzgado de distrito", "la consejería de Educación",
           "la empresa de aguas", "la agencia medioambiental", "la alcaldía", "la inspección de trabajo"],
    "ru": ["горсовет", "региональный кабмин", "портовый оператор", "минздрав", "транспортный департамент", "энергорегулятор",
           "районный суд", "отдел образования", "водоканал", "природоохранный комитет", "мэр", "трудовой инспектор"],
}
ACTIONS = {
    "en": ["approved", "suspended", "blocked", "postponed", "expanded", "scrapped", "fast-tracked", "reviewed", "scaled back", "extended"],
    "de": ["genehmigt", "ausgesetzt", "gestoppt", "verschoben", "ausgeweitet", "gestrichen", "beschleunigt", "überprüft",
           "verkleinert", "verlängert"],
    "fr": ["a approuvé", "a suspendu", "a bloqué", "a reporté", "a étendu", "a abandonné", "a accéléré", "a réexaminé",
           "a réduit", "a prolongé"],
    "es": ["aprobó", "suspendió", "bloqueó", "aplazó", "amplió", "canceló", "aceleró", "revisó", "recortó", "prorrogó"],
    "ru": ["утвердил", "приостановил", "заблокировал", "отложил", "расширил", "отменил", "ускорил", "пересмотрел", "сократил",
           "продлил"],
}
OBJECTS = {
    "en": ["the night bus network", "a new flood barrier", "the harbour dredging contract", "the hospital merger plan",
           "the tram line extension", "a school meals programme", "the fishing quota", "a public housing scheme",
           "the airport noise limits", "a wind farm licence", "the water rationing plan", "the bridge repair works"],
    "de": ["das Nachtbusnetz", "einen neuen Hochwasserschutz", "den Vertrag zur Hafenausbaggerung", "die geplante Klinikfusion",
           "die Verlängerung der Straßenbahnlinie", "ein Schulessensprogramm", "die Fangquote", "ein Sozialwohnungsprogramm",
           "die Lärmgrenzen am Flughafen", "eine Windparklizenz", "den Plan zur Wasserrationierung", "die Brückensanierung"],
    "fr": ["le réseau de bus de nuit", "une nouvelle digue anti-crue", "le contrat de dragage du port",
           "le projet de fusion hospitalière", "le prolongement de la ligne de tram", "un programme de cantine scolaire",
           "le quota de pêche", "un programme de logements sociaux", "les limites de bruit de l'aéroport",
           "une licence de parc éolien", "le plan de rationnement de l'eau", "les travaux de réparation du pont"],
    "es": ["la red de autobuses nocturnos", "una nueva barrera contra inundaciones", "el contrato de dragado del puerto",
           "el plan de fusión hospitalaria", "la ampliación de la línea de tranvía", "un programa de comedores escolares",
           "la cuota de pesca", "un plan de vivienda pública", "los límites de ruido del aeropuerto",
           "una licencia de parque eólico", "el plan de racionamiento de agua", "las obras de reparación del puente"],
    "ru": ["сеть ночных автобусов", "новую противопаводковую дамбу", "контракт на углубление порта", "план слияния больниц",
           "продление трамвайной линии", "программу школьного питания", "квоту на вылов рыбы", "программу социального жилья",
           "ограничения шума в аэропорту", "лицензию на ветропарк", "план нормирования воды", "ремонт моста"],
}
REASONS = {
    "en": ["after an audit found irregularities", "citing budget pressures", "following weeks of protests", "after a court ruling",
           "because of a strike", "over safety concerns", "after heavy flooding", "under pressure from residents",
           "after a tender collapsed", "pending an environmental review"],
    "de": ["nach Unregelmäßigkeiten bei einer Prüfung", "wegen knapper Haushaltsmittel", "nach wochenlangen Protesten",
           "nach einem Gerichtsurteil", "wegen eines Streiks", "aus Sicherheitsgründen", "nach schweren Überschwemmungen",
           "auf Druck der Anwohner", "nach einer gescheiterten Ausschreibung", "bis zum Abschluss einer Umweltprüfung"],
    "fr": ["après un audit révélant des irrégularités", "invoquant des contraintes budgétaires",
           "après des semaines de manifestations", "à la suite d'une décision de justice", "en raison d'une grève",
           "pour des raisons de sécurité", "après de graves inondations", "sous la pression des habitants",
           "après l'échec d'un appel d'offres", "dans l'attente d'une étude environnementale"],
    "es": ["tras una auditoría que halló irregularidades", "alegando presiones presupuestarias", "tras semanas de protestas",
           "tras una sentencia judicial", "a causa de una huelga", "por motivos de seguridad", "tras graves inundaciones",
           "bajo la presión de los vecinos", "tras el fracaso de una licitación", "a la espera de un estudio ambiental"],
    "ru": ["после проверки, выявившей нарушения", "сославшись на бюджетные ограничения", "после нескольких недель протестов",
           "после решения суда", "из-за забастовки", "по соображениям безопасности", "после сильного наводнения",
           "под давлением жителей", "после срыва тендера", "до завершения экологической экспертизы"],
}
ROLES = {"en": ["spokesperson", "deputy director", "chief engineer", "press officer", "committee chair"],
         "de": ["Sprecher", "Vizedirektor", "Chefingenieur", "Pressereferent", "Ausschussvorsitzender"],
         "fr": ["porte-parole", "directeur adjoint", "ingénieur en chef", "attaché de presse", "président de la commission"],
         "es": ["portavoz", "subdirector", "ingeniero jefe", "jefe de prensa", "presidente de la comisión"],
         "ru": ["пресс-секретарь", "замдиректора", "главный инженер", "представитель ведомства", "председатель комиссии"]}
ADJ = {"en": ["premature", "overdue", "short-sighted", "unavoidable"], "de": ["verfrüht", "überfällig", "kurzsichtig", "unvermeidlich"],
       "fr": ["prématurée", "attendue depuis longtemps", "à courte vue", "inévitable"],
       "es": ["prematura", "tardía", "miope", "inevitable"], "ru": ["преждевременным", "запоздалым", "недальновидным", "неизбежным"]}
WEEKDAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
            "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
            "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
            "ru": ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье"]}
MONTHS = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
                 "December"],
          "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
          "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
                 "décembre"],
          "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
          "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
                 "декабря"]}
QUOTES = {
    "en": ["We did not take this decision lightly, and we will keep residents informed at every step",
           "The numbers simply did not add up, so we had to act", "This is about safety first, whatever the cost",
           "We listened to the people of this city, and this is our answer",
           "Nobody wanted this outcome, but the rules are clear", "We expect the work to resume soon, once the review is done",
           "It is a difficult day, yet we remain confident", "The previous plan was flawed from the start, as everyone now knows"],
    "de": ["Wir haben diese Entscheidung nicht leichtfertig getroffen, und wir werden die Anwohner bei jedem Schritt informieren",
           "Die Zahlen gingen einfach nicht auf, deshalb mussten wir handeln", "Hier geht es zuerst um Sicherheit, koste es, was es wolle",
           "Wir haben den Menschen dieser Stadt zugehört, und das ist unsere Antwort",
           "Niemand wollte dieses Ergebnis, aber die Regeln sind eindeutig",
           "Wir rechnen mit einer baldigen Fortsetzung der Arbeiten, sobald die Prüfung abgeschlossen ist",
           "Es ist ein schwieriger Tag, dennoch bleiben wir zuversichtlich",
           "Der alte Plan war von Anfang an fehlerhaft, wie inzwischen alle wissen"],
    "fr": ["Nous n'avons pas pris cette décision à la légère, et nous informerons les habitants à chaque étape",
           "Les chiffres ne tenaient tout simplement pas, nous devions donc agir", "La sécurité passe d'abord, quel qu'en soit le coût",
           "Nous avons écouté les habitants de cette ville, et voici notre réponse",
           "Personne ne voulait en arriver là, mais les règles sont claires",
           "Nous espérons une reprise rapide des travaux, une fois l'examen terminé",
           "C'est une journée difficile, mais nous restons confiants",
           "L'ancien projet était vicié dès le départ, comme chacun le sait désormais"],
    "es": ["No tomamos esta decisión a la ligera, y mantendremos informados a los vecinos en cada paso",
           "Las cuentas sencillamente no salían, así que teníamos que actuar", "Lo primero es la seguridad, cueste lo que cueste",
           "Hemos escuchado a la gente de esta ciudad, y esta es nuestra respuesta",
           "Nadie quería este desenlace, pero las normas son claras",
           "Esperamos que las obras se reanuden pronto, en cuanto termine la revisión",
           "Es un día difícil, pero seguimos confiados", "El plan anterior estaba mal planteado desde el principio, como todos saben ya"],
    "ru": ["Мы приняли это решение не сгоряча, и будем информировать жителей на каждом этапе",
           "Цифры просто не сходились, поэтому нам пришлось действовать", "Прежде всего безопасность, чего бы это ни стоило",
           "Мы выслушали жителей города, и это наш ответ", "Никто не хотел такого исхода, но правила однозначны",
           "Мы ожидаем, что работы скоро возобновятся, как только проверка завершится",
           "День трудный, однако мы сохраняем уверенность", "Прежний план был ошибочным с самого начала, как теперь все знают"],
}
#: Fact sentences: kind -> lang -> realisations. A wire uses one, an independent report another.
FACTS = {
    "lede": {"en": ["{A} {V} {B} in {C} on {D} {R}.", "On {D}, {A} in {C} {V} {B} {R}."],
             "de": ["{A} hat am {D} in {C} {B} {R} {V}.", "In {C} hat {A} am {D} {B} {R} {V}."],
             "fr": ["{A} {V} {B} à {C} {D}, {R}.", "À {C}, {A} {V} {D} {B}, {R}."],
             "es": ["{A} {V} el {D} {B} en {C}, {R}.", "En {C}, {A} {V} el {D} {B} {R}."],
             "ru": ["{A} {D} {V} {B} в городе {C} {R}.", "В городе {C} {A} {D} {V} {B} {R}."]},
    "money": {"en": ["The decision concerns a budget of {M}, {PR} {P} said.", "{P}, the {PR}, put the sum involved at {M}."],
              "de": ["Es geht um ein Budget von {M}, sagte {PR} {P}.", "{PR} {P} bezifferte die betroffene Summe auf {M}."],
              "fr": ["La décision porte sur un budget de {M}, a précisé {P}, {PR}.", "{P}, {PR}, chiffre la somme en jeu à {M}."],
              "es": ["La decisión afecta a un presupuesto de {M}, explicó {P}, {PR}.", "{P}, {PR}, cifró la cantidad en juego en {M}."],
              "ru": ["Речь идёт о бюджете в {M}, сообщил {PR} {P}.", "{PR} {P} оценил сумму в {M}."]},
    "count": {"en": ["Around {N} residents will feel the change, officials estimate.",
                     "Officials estimate that about {N} households are affected."],
              "de": ["Rund {N} Anwohner seien betroffen, schätzen die Behörden.",
                     "Nach Schätzung der Behörden sind etwa {N} Haushalte betroffen."],
              "fr": ["Environ {N} habitants sont concernés, selon une estimation officielle.",
                     "Quelque {N} foyers seraient touchés, estiment les services."],
              "es": ["Unos {N} vecinos notarán el cambio, según cálculos oficiales.",
                     "Las autoridades calculan que hay unos {N} hogares afectados."],
              "ru": ["Изменения затронут около {N} жителей, подсчитали чиновники.",
                     "По оценке чиновников, затронуто около {N} домохозяйств."]},
    "org": {"en": ["{ORG} warned that its costs could rise by {X} percent.",
                   "Costs at {ORG} may climb {X} percent as a result, the company said in a statement."],
            "de": ["{ORG} warnte, die eigenen Kosten könnten um {X} Prozent steigen.",
                   "Die Kosten bei {ORG} könnten dadurch um {X} Prozent steigen, teilte das Unternehmen mit."],
            "fr": ["{ORG} a averti que ses coûts pourraient augmenter de {X} %.",
                   "Les coûts de {ORG} pourraient grimper de {X} %, a prévenu l'entreprise dans un communiqué."],
            "es": ["{ORG} advirtió de que sus costes podrían subir un {X} %.",
                   "Los costes de {ORG} podrían crecer un {X} %, según un comunicado de la empresa."],
            "ru": ["Компания {ORG} предупредила, что её расходы могут вырасти на {X}%.",
                   "Расходы компании {ORG} могут увеличиться на {X}%, говорится в её заявлении."]},
    "quote": {"en": ['"{Q}," {P} said.', '{P} said: "{Q}."'], "de": ['„{Q}“, sagte {P}.', '{P} sagte: „{Q}.“'],
              "fr": ['« {Q} », a déclaré {P}.', '{P} a ajouté : « {Q}. »'], "es": ['"{Q}", afirmó {P}.', '{P} añadió: "{Q}".'],
              "ru": ['«{Q}», — сказал {P}.', '{P} добавил: «{Q}».']},
    "next": {"en": ["A final decision is expected on {D2}.", "The matter returns to the table on {D2}."],
             "de": ["Eine endgültige Entscheidung wird am {D2} erwartet.", "Am {D2} soll erneut beraten werden."],
             "fr": ["Une décision définitive est attendue {D2}.", "Le dossier reviendra sur la table {D2}."],
             "es": ["Se espera una decisión definitiva el {D2}.", "El asunto volverá a debatirse el {D2}."],
             "ru": ["Окончательное решение ожидается {D2}.", "К вопросу вернутся {D2}."]},
    "history": {"en": ["Officials recalled that {C} last took a comparable step in {Y}.", "Not since {Y} has {C} taken such a step."],
                "de": ["Eine vergleichbare Entscheidung gab es in {C} zuletzt {Y}.", "Seit {Y} hat {C} keinen solchen Schritt mehr erlebt."],
                "fr": ["Il faut remonter à {Y} pour trouver une mesure semblable à {C}.", "{C} n'avait pas connu pareille mesure depuis {Y}."],
                "es": ["Hay que remontarse a {Y} para encontrar una medida similar en {C}.", "{C} no adoptaba una medida así desde {Y}."],
                "ru": ["Подобное решение в городе {C} принималось лишь в {Y} году.", "С {Y} года город {C} не знал таких мер."]},
    "reaction": {"en": ["{ORG2} called the move {J}.", "The move was described as {J} by {ORG2}."],
                 "de": ["{ORG2} nannte den Schritt {J}.", "Als {J} bezeichnete {ORG2} die Entscheidung."],
                 "fr": ["{ORG2} a jugé la mesure {J}.", "Pour {ORG2}, la mesure est {J}."],
                 "es": ["{ORG2} calificó la medida de {J}.", "Para {ORG2}, la medida es {J}."],
                 "ru": ["В организации {ORG2} назвали решение {J}.", "Решение {J} сочли в организации {ORG2}."]},
}
#: The quote told to the writing outlet (a self-reference in its own copy, a credit in copies).
TOLD = {"en": '"{Q}," {P} told {O}.', "de": "„{Q}“, sagte {P} gegenüber {O}.", "fr": "« {Q} », a déclaré {P} à {O}.",
        "es": '"{Q}", dijo {P} a {O}.', "ru": "«{Q}», — заявил {P} {Kd} {O}."}
#: A copy's lede in the outlet's own words (lede rewrite).
REWRITE_LEDES = {"en": ["Residents of {C} face changes after {A} {V} {B} {R}.", "In a move announced on {D}, {A} {V} {B}."],
                 "de": ["Für die Bürger in {C} ändert sich einiges: {A} hat {B} {V}.", "Überraschend hat {A} in {C} {B} {V}."],
                 "fr": ["Changement en vue pour les habitants de {C} : {A} {V} {B}.", "Coup de théâtre à {C}, où {A} {V} {B} {D}."],
                 "es": ["Cambios a la vista en {C}: {A} {V} {B}.", "Sorpresa en {C}, donde {A} {V} el {D} {B}."],
                 "ru": ["Жителей города {C} ждут перемены: {A} {V} {B}.", "Неожиданное решение в городе {C}: {A} {V} {B}."]}
TITLES = {"en": ["{C}: {B} {V}", "{V_cap} in {C}: {B}"], "de": ["{C}: {B} {V}", "Entscheidung in {C}: {B} {V}"],
          "fr": ["{C} : {B}, c'est décidé", "À {C}, {B} en question"], "es": ["{C}: decisión sobre {B}", "{C}, {B} en el aire"],
          "ru": ["{C}: решение по теме «{B}»", "В городе {C} {V} {B}"]}

# ----------------------------------------------------------------------------- credit phrasings
# (form, template): {s} = the sentence without its stop, {O} = the credited outlet, {S} = the
# writing outlet (a self-reference), {K}/{Kg}/{Ka}/{Kd} = Russian "агентство/газета" in the
# nominative/genitive/accusative/dative (invented Russian names go in «»).
CREDITS = {
    "en": [("according_to", "{s}, according to {O}."), ("according_to", "According to {O}, {s}."), ("reported", "{s}, {O} reported."),
           ("reported", "{O} reported that {s}."), ("citing", "{s}, the {S} reported, citing {O}."), ("reports", "{s}, {O} reports.")],
    "de": [("according_to", "{s}, wie {O} berichtet."), ("reported", "{s}, meldete {O}."),
           ("citing", "{s}, berichtete {S} unter Berufung auf {O}."), ("according_to", "{s}, heißt es bei {O}.")],
    "fr": [("according_to", "{s}, selon {O}."), ("according_to", "Selon {O}, {s}."), ("reported", "{s}, rapporte {O}."),
           ("citing", "{s}, indique {S}, citant {O}.")],
    "es": [("according_to", "{s}, según {O}."), ("according_to", "Según {O}, {s}."), ("reported", "{s}, informó {O}."),
           ("citing", "{s}, publicó {S} citando a {O}.")],
    "ru": [("according_to", "{s}, сообщает {K} {O}."), ("according_to", "Как сообщает {K} {O}, {s}."), ("reported", "{s}, передаёт {K} {O}."),
           ("citing", "{s}, пишет {S} со ссылкой на {Ka} {O}."), ("according_to", "По данным {Kg} {O}, {s}.")],
}
ANAPHORA = {"en": {"agency": ["{s}, the agency said.", "{s}, the agency added."], "paper": ["{s}, the newspaper added."]},
            "de": {"agency": ["{s}, meldete die Agentur weiter."], "paper": ["{s}, schreibt das Blatt."]},
            "fr": {"agency": ["{s}, précise l'agence."], "paper": ["{s}, ajoute le journal."]},
            "es": {"agency": ["{s}, añadió la agencia."], "paper": ["{s}, agregó el diario."]},
            "ru": {"agency": ["{s}, уточняет агентство."], "paper": ["{s}, добавляет издание."]}}
ANAPHOR_WORDS = {"the agency", "die Agentur", "l'agence", "la agencia", "агентство", "the newspaper", "das Blatt", "le journal",
                 "el diario", "издание"}
ENDLINES = {"en": ["Material from {O} was used in this report.", "Source: {O}", "With reporting by {O}."],
            "de": ["Mit Material von {O}", "Quelle: {O}"], "fr": ["Avec {O}", "Source : {O}"],
            "es": ["Con información de {O}.", "Fuente: {O}"], "ru": ["По материалам {Kg} {O}.", "Источник: {O}"]}
HEADLINE_CREDITS = {"en": ["{t}: {O} report", "{t} | {O}"], "de": ["{t} – {O}", "{O}: {t}"], "fr": ["{t} ({O})", "{t} - {O}"],
                    "es": ["{t} | {O}", "{O}: {t}"], "ru": ["{t} — {O}", "{O}: {t}"]}
DATELINES = {"en": "{CU} ({O}) - ", "de": "{C} ({O}) - ", "fr": "{CU}, {dd} ({O}) - ", "es": "{CU}, {dd} ({O}).- ",
             "ru": "{CU}, {dd}. /{O}/. "}
SIGNOFF = {"en": " ({O})", "de": " ({O})", "fr": " ({O})", "es": "\n{O}", "ru": " /{O}/"}
AGGREGATOR_LINES = {"en": ["{t}. {s} ({O})", "{t} — {s} Read more at {O}."], "de": ["{t}. {s} ({O})", "{t}: {s} Mehr bei {O}."],
                    "fr": ["{t}. {s} ({O})", "{t} : {s} À lire sur {O}."], "es": ["{t}. {s} ({O})", "{t}: {s} Más en {O}."],
                    "ru": ["{t}. {s} ({O})", "{t}. {s} Подробнее — {Kd} {O}."]}
OPINION_QUOTES = {"en": ['As {O} reported, "{q}"', '"{q}" That is how {O} put it.'],
                  "de": ["Wie {O} berichtet: „{q}“", "„{q}“ So formuliert es {O}."],
                  "fr": ["Comme le rapporte {O} : « {q} »", "« {q} » C'est ainsi que {O} le résume."],
                  "es": ['Como informó {O}: "{q}"', '"{q}" Así lo contó {O}.'],
                  "ru": ["Как сообщает {K} {O}: «{q}»", "«{q}» Так об этом написал {K} {O}."]}
OPINION = {"en": ["Decisions like this one are too often taken behind closed doors.", "Residents of {C} deserve better than vague promises.",
                  "The real question is who will pay for it in the end.", "Councils everywhere face the same dilemma, and few get it right.",
                  "It is time for a frank public debate about priorities."],
           "de": ["Solche Entscheidungen fallen zu oft hinter verschlossenen Türen.", "Die Menschen in {C} verdienen mehr als vage Versprechen.",
                  "Die eigentliche Frage ist, wer am Ende dafür bezahlt.", "Überall stehen Kommunen vor demselben Dilemma.",
                  "Es ist Zeit für eine offene Debatte über Prioritäten."],
           "fr": ["Ce genre de décision se prend trop souvent à huis clos.", "Les habitants de {C} méritent mieux que des promesses vagues.",
                  "La vraie question est de savoir qui paiera au bout du compte.", "Partout, les élus font face au même dilemme.",
                  "Il est temps d'ouvrir un vrai débat public sur les priorités."],
           "es": ["Decisiones como esta se toman demasiado a menudo a puerta cerrada.",
                  "Los vecinos de {C} merecen algo mejor que promesas vagas.", "La verdadera pregunta es quién pagará al final.",
                  "Los ayuntamientos de todas partes afrontan el mismo dilema.", "Es hora de un debate público franco sobre las prioridades."],
           "ru": ["Такие решения слишком часто принимаются за закрытыми дверями.", "Жители города {C} заслуживают большего, чем туманные обещания.",
                  "Главный вопрос в том, кто в итоге за это заплатит.", "Перед той же дилеммой стоят власти повсюду.",
                  "Пора открыто обсудить приоритеты."]}
OPINION_TITLE = {"en": "Opinion: what {C} gets wrong", "de": "Kommentar: Was in {C} schiefläuft", "fr": "Tribune : ce que {C} rate",
                 "es": "Opinión: lo que {C} hace mal", "ru": "Мнение: в чём ошибается {C}"}
BRIEFING_TITLE = {"en": "Morning briefing", "de": "Der Morgen im Überblick", "fr": "L'essentiel du matin", "es": "Resumen de la mañana",
                  "ru": "Главное за утро"}
LIVE_TITLE = {"en": "Live: {C} reacts to the decision", "de": "Liveblog: {C} nach der Entscheidung", "fr": "En direct : {C} après la décision",
              "es": "Directo: {C} tras la decisión", "ru": "Онлайн: {C} после решения"}
LIVE_UPDATES = {"en": ["Crowds gathered outside the town hall in {C} this afternoon.", "{ORG2} said it would challenge the decision.",
                       "More details are expected at a press conference later today.", "Traffic around the centre of {C} remains slow."],
                "de": ["Vor dem Rathaus in {C} versammelten sich am Nachmittag Menschen.", "{ORG2} kündigte an, die Entscheidung anzufechten.",
                       "Weitere Einzelheiten werden auf einer Pressekonferenz erwartet.", "Der Verkehr im Zentrum von {C} stockt weiterhin."],
                "fr": ["Une foule s'est rassemblée devant la mairie de {C} cet après-midi.", "{ORG2} a annoncé contester la décision.",
                       "Plus de détails sont attendus lors d'une conférence de presse.", "La circulation reste difficile dans le centre de {C}."],
                "es": ["Decenas de personas se concentraron ante el ayuntamiento de {C} esta tarde.", "{ORG2} anunció que recurrirá la decisión.",
                       "Se esperan más detalles en una rueda de prensa.", "El tráfico sigue lento en el centro de {C}."],
                "ru": ["Днём у здания мэрии в городе {C} собрались люди.", "В организации {ORG2} заявили, что оспорят решение.",
                       "Подробности ожидаются на пресс-конференции.", "Движение в центре города {C} по-прежнему затруднено."]}
AS_WE = {"en": "As we reported earlier, {s}.", "de": "Wie wir berichteten, {s}.", "fr": "Comme nous l'avons rapporté, {s}.",
         "es": "Como informó este diario, {s}.", "ru": "Как мы уже писали, {s}."}
ASKED = {"en": "The {S} asked {ORG} for comment but received no reply.", "de": "{S} bat {ORG} um eine Stellungnahme, erhielt aber keine Antwort.",
         "fr": "{S} a sollicité {ORG}, sans obtenir de réponse.", "es": "{S} pidió a {ORG} su versión, sin obtener respuesta.",
         "ru": "{KS} {S} направила запрос в компанию {ORG}, но ответа не получила."}
CORRECTION = {"en": "Correction: an earlier version of this article gave a wrong figure for the budget.",
              "de": "Korrektur: In einer früheren Fassung dieses Artikels war die Summe falsch angegeben.",
              "fr": "Rectificatif : une version précédente de cet article indiquait un montant erroné.",
              "es": "Fe de errores: una versión anterior de este artículo daba una cifra equivocada.",
              "ru": "Исправление: в предыдущей версии статьи была указана неверная сумма."}
RELEASE = {"en": ["{ORG} today announced that it will invest {M} in {C}.", "The programme is expected to create {N} jobs.",
                  '"{Q}," said {P}, {PR} at {ORG}.'],
           "de": ["{ORG} gab heute bekannt, {M} in {C} zu investieren.", "Das Programm soll {N} Arbeitsplätze schaffen.",
                  "„{Q}“, sagte {P}, {PR} bei {ORG}."],
           "fr": ["{ORG} annonce ce jour un investissement de {M} à {C}.", "Le programme devrait créer {N} emplois.",
                  "« {Q} », a déclaré {P}, {PR} chez {ORG}."],
           "es": ["{ORG} anunció hoy una inversión de {M} en {C}.", "El programa prevé crear {N} empleos.",
                  '"{Q}", señaló {P}, {PR} de {ORG}.'],
           "ru": ["Компания {ORG} сообщила об инвестициях в размере {M} в городе {C}.", "Программа должна создать {N} рабочих мест.",
                  "«{Q}», — отметил {P}, {PR} компании {ORG}."]}
ABOUT = {"en": "About {ORG}: {ORG} is a {ADJ} company based in {HQ}. It employs staff in {K} countries.",
         "de": "Über {ORG}: {ORG} ist ein {ADJ} Unternehmen mit Sitz in {HQ}. Es ist in {K} Ländern tätig.",
         "fr": "À propos de {ORG} : {ORG} est une entreprise {ADJ} basée à {HQ}. Elle est présente dans {K} pays.",
         "es": "Sobre {ORG}: {ORG} es una empresa {ADJ} con sede en {HQ}. Está presente en {K} países.",
         "ru": "О компании {ORG}: {ORG} — {ADJ} компания со штаб-квартирой в городе {HQ}. Работает в {K} странах."}
ABOUT_ADJ = {"en": ["family-owned", "listed", "fast-growing"], "de": ["familiengeführtes", "börsennotiertes", "wachstumsstarkes"],
             "fr": ["familiale", "cotée", "en forte croissance"], "es": ["familiar", "cotizada", "en rápido crecimiento"],
             "ru": ["семейная", "публичная", "быстрорастущая"]}
RU_KIND = {"agency": ("агентство", "агентства", "агентство", "агентству"), "paper": ("газета", "газеты", "газету", "газете"),
           "site": ("портал", "портала", "портал", "порталу"), "pr": ("портал", "портала", "портал", "порталу")}

# ----------------------------------------------------------------------------- dev names
# The held-out split replaces every list below with its own (storygen3_heldout.NAMES).
NAMES = {
    "towns": {"en": ["Harrowgate", "Linbury", "Calderwick", "Portmead", "Ashcombe", "Wexley", "Durnford", "Elmsworth", "Tannock",
                     "Brackley"],
              "de": ["Hagenau", "Lindstedt", "Wernbach", "Osterholz", "Kaltenbrunn", "Rodewald", "Birkenfeld", "Steinau"],
              "fr": ["Valmorin", "Saint-Aubier", "Bressols", "Montclar", "Lavergne", "Roquelaure", "Châteldon", "Pierrefeu"],
              "es": ["Villaverde", "Almenara", "Torrecilla", "Peñaflor", "Castrillo", "Navalmoral", "Benialí", "Orihuela del Campo"],
              "ru": ["Берёзовск", "Ключевск", "Озёрный", "Сосновка", "Красноборск", "Приречье", "Светлогорье", "Тихвинск"]},
    "first": {"en": ["Helen", "Marcus", "Priya", "Owen", "Grace", "Tobias", "Naomi", "Declan"],
              "de": ["Katrin", "Jürgen", "Anja", "Matthias", "Birgit", "Stefan", "Ute", "Ralf"],
              "fr": ["Sophie", "Julien", "Camille", "Étienne", "Margaux", "Thibault", "Léa", "Arnaud"],
              "es": ["Lucía", "Javier", "Carmen", "Álvaro", "Pilar", "Sergio", "Nuria", "Iñigo"],
              "ru": ["Ирина", "Олег", "Татьяна", "Дмитрий", "Светлана", "Андрей", "Наталья", "Павел"]},
    "last": {"en": ["Whitcombe", "Ashdown", "Pellman", "Corrigan", "Hartley", "Vance", "Okafor", "Lindqvist"],
             "de": ["Brandt", "Kessler", "Vogt", "Lindner", "Hartmann", "Seidel", "Krüger", "Winkler"],
             "fr": ["Morel", "Garnier", "Lefèvre", "Boucher", "Carpentier", "Rousseau", "Perrin", "Vasseur"],
             "es": ["Ortega", "Navarro", "Castillo", "Iglesias", "Molina", "Serrano", "Delgado", "Vidal"],
             "ru": ["Волков", "Зайцев", "Морозов", "Голубев", "Лебедев", "Соколов", "Кузнецов", "Орлов"]},
    "orgs": {"en": ["Corvane {x}", "Maplestone {x}", "Trident {x}", "Northgate {x}", "Alder {x}"],
             "de": ["Rheinfels {x}", "Hochstein {x}", "Elbtal {x}", "Nordlicht {x}"],
             "fr": ["Sologne {x}", "Azurel {x}", "Vercors {x}", "Atlantis {x}"],
             "es": ["Iberval {x}", "Montesol {x}", "Duerna {x}", "Altamar {x}"],
             "ru": ["«Северсталь-{x}»", "«Волгастрой-{x}»", "«Уралтех-{x}»", "«Балтресурс-{x}»"]},
    "org_suffix": {"en": ["Logistics", "Utilities", "Transit", "Builders"], "de": ["AG", "Werke", "Bau"], "fr": ["Énergies", "Transports", "Bâtiment"],
                   "es": ["Obras", "Energía", "Transportes"], "ru": ["Инвест", "Проект", "Сервис"]},
    "groups": {"en": ["the Residents' Alliance", "the Chamber of Commerce", "the Taxpayers' Union"],
               "de": ["der Mieterbund", "die Handwerkskammer", "der Steuerzahlerbund"],
               "fr": ["l'association des riverains", "la chambre de commerce", "l'union des contribuables"],
               "es": ["la asociación vecinal", "la cámara de comercio", "la unión de contribuyentes"],
               "ru": ["«Союз жителей»", "«Торговая палата»", "«Союз налогоплательщиков»"]},
    "papers": {"en": ["The {T} Clarion", "{T} Examiner", "The {T} Standard", "{T} Evening Post", "The {T} Argus"],
               "de": ["{T}er Landeszeitung", "Generalanzeiger {T}", "{T}er Abendblatt", "{T}er Neueste Nachrichten"],
               "fr": ["Ouest-{T}", "Le Journal de {T}", "L'Union de {T}", "Le Petit {T}"],
               "es": ["Diario de {T}", "Última Hora {T}", "El Periódico de {T}", "Crónica de {T}"],
               "ru": ["Вести-{T}", "{T} сегодня", "Новости-{T}", "{T}-Экспресс"]},
    "agencies": {"en": ["{T} Newswire"], "de": ["{T} Nachrichtendienst"], "fr": ["Agence {T} Info"], "es": ["Agencia {T}"],
                 "ru": ["{T}-Инфо"]},
    "aggregators": {"en": ["{T} Digest"], "de": ["{T} kompakt"], "fr": ["{T} Express Info"], "es": ["Resumen {T}"], "ru": ["{T}-Дайджест"]},
    "pr": {"en": ["{T} PR Wire"], "de": ["{T} Presseportal"], "fr": ["{T} Communiqués"], "es": ["{T} Comunicados"], "ru": ["{T}-Релиз"]},
    "bylines": {"en": ["By {A}, {S}", "{A} | {S}"], "de": ["Von {A}, {S}"], "fr": ["Par {A}, {S}"], "es": ["Por {A}, {S}"],
                "ru": ["{A}, {S}"]},
    "footers": {"en": ["© {Y} {S}. All rights reserved."], "de": ["© {Y} {S}. Alle Rechte vorbehalten."], "fr": ["© {Y} {S}. Tous droits réservés."],
                "es": ["© {Y} {S}. Todos los derechos reservados."], "ru": ["© {Y} {S}. Все права защищены."]},
}
#: Phrasings only the held-out split adds (empty here; storygen3_heldout.PHRASINGS).
EXTRA: dict = {}


# ----------------------------------------------------------------------------- segments
@dataclass
class Mark:
    """A mention of an outlet in the text: a credit, or a self-reference when it names the writer."""
    outlet: str
    mention: str
    form: str
    held: bool = False
    kind: str = "credit"  # credit | self | not_outlet


Seg = "str | Mark"


@dataclass
class Sent:
    segs: list
    fact: str | None = None
    lower_ok: bool = False  # may start lower-case after a prefix ("According to X, the council...")


@dataclass
class Outlet:
    name: str
    lang: str
    kind: str  # agency | paper | site (aggregators) | pr
    fmt: str
    where: str  # meta | front | markup | text
    wire: bool = False

    def mention(self, lang: str, r: Random) -> str:
        if self.name in WIRES:
            ms = WIRES[self.name][lang]
            return ms[0] if len(ms) == 1 or r.random() < 0.7 else r.choice(ms[1:])
        return self.name

    def aliases(self) -> list[str]:
        if self.name in WIRES:
            return sorted({self.name, *(m for ms in WIRES[self.name].values() for m in ms)})
        return [self.name]


@dataclass
class Event:
    eid: str
    lang: str
    family: str
    slots: dict  # concept indexes and names
    org_release: bool = False


@dataclass
class Article:
    doc: str
    outlet: Outlet
    lang: str
    story: str
    event: str
    family: str
    kind: str
    time: dt.datetime
    title: list
    paras: list  # list[list[Sent]]
    dated: bool = True
    head: list = field(default_factory=list)  # lines above the body: (role, segs)
    tail: list = field(default_factory=list)  # lines below: (role, segs)
    dateline: list | None = None  # segs before the first paragraph
    signoff: Mark | None = None
    told: Mark | None = None
    parent: str | None = None
    ops: list = field(default_factory=list)
    cross_language: bool = False
    issuer: str | None = None  # press releases and their reprints: the organisation


def fill(tpl: str, slots: dict) -> list:
    """Segments of a template: {X} replaced by slots[X] (a string or a Mark or a list)."""
    out: list = []
    i = 0
    while i < len(tpl):
        j = tpl.find("{", i)
        if j < 0:
            out.append(tpl[i:])
            break
        k = tpl.index("}", j)
        out.append(tpl[i:j])
        v = slots[tpl[j + 1:k]]
        out.extend(v if isinstance(v, list) else [v])
        i = k + 1
    return tidy(out)


def tidy(segs: list) -> list:
    out: list = []
    for x in segs:
        if isinstance(x, str):
            if not x:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += x
                continue
        out.append(x)
    return out


def plain(segs: list) -> str:
    return "".join(x.mention if isinstance(x, Mark) else x for x in segs)


def cap(segs: list) -> list:
    if segs and isinstance(segs[0], str) and segs[0]:
        s = segs[0]
        k = 0
        while k < len(s) and not s[k].isalpha():
            k += 1
        if k < len(s):
            segs = [s[:k] + s[k].upper() + s[k + 1:]] + segs[1:]
    return segs


def lower(segs: list) -> list:
    if segs and isinstance(segs[0], str) and segs[0][:1].isupper():
        return [segs[0][0].lower() + segs[0][1:]] + segs[1:]
    return segs


def strip_stop(segs: list) -> list:
    if segs and isinstance(segs[-1], str) and segs[-1].endswith("."):
        return segs[:-1] + [segs[-1][:-1]] if segs[-1][:-1] else segs[:-1]
    return segs


# ----------------------------------------------------------------------------- the generator
class Generator:
    def __init__(self, split: str, n: int, seed: int):
        self.split, self.n, self.r = split, n, Random(seed)
        if split == "heldout":
            import storygen3_heldout as H  # noqa: N812 (the held-out material: not for the method's developer)
            self.names, extra = H.NAMES, H.PHRASINGS
        else:
            self.names, extra = NAMES, EXTRA
        self.extra = extra
        self.articles: list[Article] = []
        self.events = 0
        self.outlets: dict[str, list[Outlet]] = {}
        self.used_towns: set[str] = set()
        self._make_outlets()

    # -- phrasings (dev ones, plus the held-out split's own, flagged)
    def phr(self, table: str, lang: str, base: list) -> tuple:
        """One phrasing, (value, held): the dev list plus the split's own extra ones (flagged)."""
        pool = [(x, False) for x in base] + [(x, True) for x in self.extra.get(table, {}).get(lang, [])]
        return self.r.choice(pool)

    def _town(self, lang: str) -> str:
        towns = self.names["towns"][lang]
        free = [t for t in towns if t not in self.used_towns] or towns
        t = self.r.choice(free)
        self.used_towns.add(t)
        return t

    def _make_outlets(self) -> None:
        r = self.r
        fmts = {"en": ["txt", "txt", "md", "html"], "de": ["html", "txt", "md"], "fr": ["html", "md", "txt"], "es": ["html", "txt", "md"],
                "ru": ["md", "html", "txt"]}
        for lang in LANGS:
            lst = []
            for w in WIRE_LANGS[lang]:
                lst.append(Outlet(w, lang, "agency", "txt", "meta", wire=True))
            towns = list(self.names["towns"][lang])
            r.shuffle(towns)
            forms = self.names["papers"][lang]
            for i, t in enumerate(towns[:6]):
                fmt = fmts[lang][i % len(fmts[lang])]
                where = {"txt": "meta" if (lang != "en" or i % 2) else "text", "md": "front", "html": "markup"}[fmt]
                lst.append(Outlet(forms[i % len(forms)].replace("{T}", t), lang, "paper", fmt, where))
            t = towns[6 % len(towns)]
            lst.append(Outlet(self.names["agencies"][lang][0].replace("{T}", t), lang, "agency", "txt", "meta"))
            lst.append(Outlet(self.names["aggregators"][lang][0].replace("{T}", towns[7 % len(towns)]), lang, "site", "html", "markup"))
            lst.append(Outlet(self.names["pr"][lang][0].replace("{T}", towns[5 % len(towns)]), lang, "pr", "md", "front"))
            self.outlets[lang] = lst

    def of_kind(self, lang: str, kind: str) -> list[Outlet]:
        return [o for o in self.outlets[lang] if o.kind == kind]

    def person(self, lang: str) -> str:
        return f"{self.r.choice(self.names['first'][lang])} {self.r.choice(self.names['last'][lang])}"

    def org(self, lang: str) -> str:
        return self.r.choice(self.names["orgs"][lang]).replace("{x}", self.r.choice(self.names["org_suffix"][lang]))

    # -- events
    def new_event(self, lang: str, family: Event | None = None) -> Event:
        r = self.r
        self.events += 1
        if family is not None:
            s = dict(family.slots)
            s["B"] = r.choice([i for i in range(len(OBJECTS["en"])) if i != s["B"]])
            s["V"] = r.randrange(len(ACTIONS["en"]))
            s["R"] = r.choice([i for i in range(len(REASONS["en"])) if i != s["R"]])
            s["Q"] = r.choice([i for i in range(len(QUOTES["en"])) if i != s["Q"]])
            s["P"] = self.person(lang)
            for k in ("M", "N", "X", "D", "D2"):
                s[k] = None
            fam = family.family
        else:
            s = {"A": r.randrange(len(ACTORS["en"])), "B": r.randrange(len(OBJECTS["en"])), "V": r.randrange(len(ACTIONS["en"])),
                 "R": r.randrange(len(REASONS["en"])), "Q": r.randrange(len(QUOTES["en"])), "C": self._town(lang), "P": self.person(lang),
                 "ORG": self.org(lang), "ORG2": r.choice(self.names["groups"][lang]), "PR": r.randrange(len(ROLES["en"])),
                 "Y": str(r.randrange(1988, 2021)), "J": r.randrange(len(ADJ["en"])), "cur": {"en": "USD", "ru": "RUB"}.get(lang, "EUR")}
            fam = f"f{self.events}"
        s["M"] = round(r.uniform(1.2, 95), 1)
        s["N"] = r.choice([r.randrange(120, 990), r.randrange(1000, 48000)])
        s["X"] = r.randrange(3, 40)
        s["D"] = r.randrange(7)
        s["D2"] = (s["D"] + r.randrange(2, 6)) % 7
        s["Q2"] = r.choice([i for i in range(len(QUOTES["en"])) if i != s["Q"]])
        return Event(f"e{self.events}", lang, fam, s)

    def slots(self, ev: Event, lang: str, quote: int | None = None) -> dict:
        s = ev.slots
        q = QUOTES[lang][s["Q"] if quote is None else quote]
        return {"A": ACTORS[lang][s["A"]], "V": ACTIONS[lang][s["V"]], "B": OBJECTS[lang][s["B"]], "R": REASONS[lang][s["R"]],
                "C": s["C"], "P": s["P"], "ORG": s["ORG"], "ORG2": s["ORG2"], "PR": ROLES[lang][s["PR"]], "Y": s["Y"],
                "J": ADJ[lang][s["J"]], "Q": q, "M": money(s["M"], s["cur"], lang), "N": count(s["N"], lang), "X": str(s["X"]),
                "D": WEEKDAYS[lang][s["D"]], "D2": WEEKDAYS[lang][s["D2"]], "V_cap": ACTIONS[lang][s["V"]].capitalize()}

    def realise(self, ev: Event, lang: str, variant: int, quote: int | None = None) -> list[Sent]:
        """The facts of an event as sentences (variant 0: the wire's wording; 1: another outlet's)."""
        sl = self.slots(ev, lang, quote)
        kinds = ["lede", "money", "quote", "count", "org", "reaction", "next", "history"]
        out = []
        for k in kinds:
            options = self.extra.get("facts", {}).get(k, {}).get(lang, []) + FACTS[k][lang]  # the split's own first
            tpl = options[variant % len(options)] if variant < 2 else self.r.choice(options)
            out.append(Sent(cap(fill(tpl, sl)), k, lower_ok=tpl.startswith(("{A}", "On ", "In ", "À ", "En ", "В ")) and k == "lede"))
        return out

    def title(self, ev: Event, lang: str, variant: int) -> list:
        sl = self.slots(ev, lang)
        return cap(fill(TITLES[lang][variant % 2], sl))

    def _time(self, base: dt.datetime, same_day: float = 0.6) -> dt.datetime:
        r = self.r
        if r.random() < same_day:
            t = base + dt.timedelta(minutes=r.randrange(10, 600))
            return t if t.date() == base.date() else base + dt.timedelta(minutes=5)
        return base + dt.timedelta(days=r.choice([1, 1, 2, 3, 6]), minutes=r.randrange(0, 600))

    def _doc(self, o: Outlet) -> str:
        return f"s3-{len(self.articles) + 1:04d}.{o.fmt}"

    def add(self, a: Article) -> Article:
        self.articles.append(a)
        return a

    # -- the wire report (a story's origin)
    def wire_report(self, ev: Event, writer: Outlet, t: dt.datetime, variant: int, quote: int | None = None,
                    kind: str = "wire") -> Article:
        r = self.r
        lang = ev.lang
        sents = self.realise(ev, lang, variant, quote)
        story = f"{ev.eid}-{kind}"  # no name in an id: held-out result files list story ids
        a = Article(self._doc(writer), writer, lang, story, ev.eid, ev.family, kind, t, self.title(ev, lang, variant), [])
        # the quote told to the writer itself ("told Reuters" in Reuters' own copy: a self-reference)
        if r.random() < 0.35:
            sl = self.slots(ev, lang, quote)
            mk = Mark(writer.name, writer.mention(lang, r), "told")
            a.told = mk
            sl["O"] = ru_name(mk, writer, lang)
            sl["Kd"] = RU_KIND[writer.kind][3]
            i = next(k for k, s in enumerate(sents) if s.fact == "quote")
            sents[i] = Sent(cap(fill(TOLD[lang], sl)), "quote")
        keep = r.randrange(6, 9)
        sents = sents[:keep]
        a.paras = paragraphs(sents, r)
        if writer.kind == "agency" and r.random() < 0.7:
            a.dateline = self.dateline_segs(ev, writer, lang, t)
        if writer.kind == "agency" and r.random() < 0.4:
            a.signoff = Mark(writer.name, writer.mention(lang, r), "signoff")
        if writer.kind == "paper":
            self.paper_furniture(a)
        a.dated = r.random() > 0.08
        return self.add(a)

    def dateline_segs(self, ev: Event, writer: Outlet, lang: str, t: dt.datetime) -> list:
        mk = Mark(writer.name, writer.mention(lang, self.r), "dateline")
        dd = f"{t.day} {MONTHS[lang][t.month - 1]}" if lang != "es" else f"{t.day} {MONTHS[lang][t.month - 1]}"
        return fill(DATELINES[lang], {"CU": ev.slots["C"].upper(), "C": ev.slots["C"].upper(), "dd": dd, "O": mk})

    def paper_furniture(self, a: Article) -> None:
        r, o, lang = self.r, a.outlet, a.lang
        if r.random() < 0.6:
            by = r.choice(self.names["bylines"][lang])
            a.head.append(("byline", fill(by, {"A": self.person(lang), "S": Mark(o.name, o.name, "byline", kind="self")})))
        if r.random() < 0.5:
            ft = r.choice(self.names["footers"][lang])
            a.tail.append(("footer", fill(ft, {"Y": str(a.time.year), "S": Mark(o.name, o.name, "footer", kind="self")})))

    # -- a credit phrase around a sentence
    def credit(self, a: Article, src: Outlet, explicit_only: bool = False) -> Mark | None:
        r, lang = self.r, a.lang
        body = [(pi, si) for pi, p in enumerate(a.paras) for si, s in enumerate(p)
                if not any(isinstance(x, Mark) for x in s.segs) and s.fact not in ("quote", None)]
        u = r.random()
        mk = Mark(src.name, src.mention(lang, r), "")
        if not explicit_only and u < 0.12 and not any(isinstance(x, Mark) for x in a.title):
            tpl, held = self.phr("headline", lang, HEADLINE_CREDITS[lang])
            mk.form, mk.held = "headline", held
            a.title = fill(tpl, {"t": a.title, "O": ru_name(mk, src, lang)})
            return mk
        if not explicit_only and u < 0.30 and not any(role == "endline" for role, _ in a.tail):
            tpl, held = self.phr("endline", lang, ENDLINES[lang])
            mk.form, mk.held = "endline", held
            a.tail.insert(0, ("endline", fill(tpl, ru_slots(mk, src, lang))))
            return mk
        if not body:
            return None
        pi, si = r.choice(body)
        form, tpl = r.choice(CREDITS[lang] + [(f, t) for f, t in self.extra.get("credits", {}).get(lang, [])])
        mk.form, mk.held = form, (form, tpl) not in CREDITS[lang]
        s = a.paras[pi][si]
        if not tpl.startswith("{s}") and not s.lower_ok:
            form, tpl = next((f, t) for f, t in CREDITS[lang] if t.startswith("{s}"))
            mk.form, mk.held = form, False
        own = Mark(a.outlet.name, a.outlet.name, "citing_self", kind="self")
        core = strip_stop(s.segs)
        if not tpl.startswith("{s}"):
            core = lower(core)
        sl = {**ru_slots(mk, src, lang), "s": core, "S": ru_name(own, a.outlet, lang), "KS": RU_KIND[a.outlet.kind][0]}
        a.paras[pi][si] = Sent(cap(fill(tpl, sl)), s.fact)
        # an anaphoric credit later in the copy
        later = [(p2, s2) for p2, s2 in body if (p2, s2) > (pi, si)]
        if later and r.random() < 0.4:
            p2, s2 = r.choice(later)
            kind = "agency" if src.kind == "agency" else "paper"
            tpl2, held = self.phr(f"anaphora.{kind}", lang, ANAPHORA[lang][kind])
            words = ANAPHOR_WORDS | set(self.extra.get("anaphor_words", ()))
            word = next(w for w in sorted(words, key=len, reverse=True) if w in tpl2 or w.capitalize() in tpl2)
            pre, post = tpl2.split(word, 1) if word in tpl2 else tpl2.split(word.capitalize(), 1)
            am = Mark(src.name, word, "anaphora", held)
            s2o = a.paras[p2][s2]
            a.paras[p2][s2] = Sent(cap(fill(pre.replace("{s}", "{core}"), {"core": strip_stop(s2o.segs)}) + [am] + [post]), s2o.fact)
        return mk

    # -- copies
    def copy(self, parent: Article, outlet: Outlet, t: dt.datetime) -> Article:
        r = self.r
        lang = parent.lang
        a = Article(self._doc(outlet), outlet, lang, parent.story, parent.event, parent.family, "copy", t, list(parent.title),
                    carried(parent), parent=parent.doc)
        ev = self.event_of[parent.event]
        # lede rewrite
        if r.random() < 0.4:
            tpl, held = self.phr("rewrite", lang, REWRITE_LEDES[lang])
            a.paras[0][0] = Sent(cap(fill(tpl, self.slots(ev, lang))), "lede", lower_ok=False)
            a.ops.append("lede_rewrite")
        # paragraphs reordered after the lede
        if r.random() < 0.5 and len(a.paras) > 3:
            rest = a.paras[1:]
            r.shuffle(rest)
            a.paras = [a.paras[0]] + rest
            a.ops.append("reorder")
        # quotes trimmed to their first clause
        if r.random() < 0.5:
            for p in a.paras:
                for i, s in enumerate(p):
                    if s.fact == "quote":
                        p[i] = Sent(trim_quote(s.segs, lang), "quote")
                        a.ops.append("quote_trim")
        # the tail cut
        if r.random() < 0.4 and len(a.paras) > 3:
            a.paras = a.paras[:r.randrange(3, len(a.paras))]
            a.ops.append("tail_cut")
        # the outlet's own line asking for comment
        if r.random() < 0.3:
            own = Mark(outlet.name, outlet.name, "self_name", kind="self")
            sl = {"S": ru_name(own, outlet, lang), "ORG": ev.slots["ORG"], "KS": RU_KIND[outlet.kind][0].capitalize()}
            a.paras.insert(r.randrange(1, len(a.paras) + 1), [Sent(cap(fill(ASKED[lang], sl)), None)])
            a.ops.append("asked")
        if r.random() < 0.12 and len(a.paras) > 1:
            own = Mark(outlet.name, "we", "as_we_reported", kind="self")
            p = a.paras[-1]
            s = p[0]
            if s.fact and s.fact != "quote" and not any(isinstance(x, Mark) for x in s.segs):
                pre, post = AS_WE[lang].split("{s}")
                w = {"en": "we", "de": "wir", "fr": "nous", "es": "este diario", "ru": "мы"}[lang]
                i = pre.index(w)
                own.mention = w
                p[0] = Sent(tidy([pre[:i], own, pre[i + len(w):]] + lower(strip_stop(s.segs)) + [post]), s.fact)
                a.ops.append("as_we_reported")
        # what travels with the copy: the wire's dateline, sign-off, "told X" (credits now)
        a.dateline = parent.dateline if parent.dateline and r.random() < 0.6 else None
        a.signoff = parent.signoff if parent.signoff and r.random() < 0.5 else None
        if outlet.kind == "paper":
            self.paper_furniture(a)
        if r.random() < 0.88:
            for _ in range(r.choice([1, 1, 2])):
                self.credit(a, parent.outlet)
        else:
            a.ops.append("no_credit")
        a.dated = r.random() > 0.12
        return self.add(a)

    def translate(self, wire: Article, outlet: Outlet, t: dt.datetime) -> Article:
        """A condensed translation of a wire report (lede + 2-3 facts) by a paper of another language."""
        r = self.r
        lang = outlet.lang
        ev = self.event_of[wire.event]
        facts = [s.fact for p in wire.paras for s in p if s.fact]
        keep = ["lede"] + r.sample([f for f in facts if f != "lede"], min(len(facts) - 1, r.randrange(2, 4)))
        sents = [s for s in self.realise(ev, lang, 0) if s.fact in keep]
        a = Article(self._doc(outlet), outlet, lang, wire.story, wire.event, wire.family, "translation", t, self.title(ev, lang, 0),
                    paragraphs(sents, r), parent=wire.doc, cross_language=True)
        if wire.told is not None and "quote" in keep:
            sl = self.slots(ev, lang)
            mk = Mark(wire.outlet.name, wire.outlet.mention(lang, r), "told")
            sl["O"] = ru_name(mk, wire.outlet, lang)
            sl["Kd"] = RU_KIND[wire.outlet.kind][3]
            for p in a.paras:
                for i, s in enumerate(p):
                    if s.fact == "quote":
                        p[i] = Sent(cap(fill(TOLD[lang], sl)), "quote")
        if wire.dateline and r.random() < 0.5:
            a.dateline = self.dateline_segs(ev, wire.outlet, lang, wire.time)
            for x in a.dateline:
                if isinstance(x, Mark):
                    x.form = "dateline"
        self.paper_furniture(a)
        self.credit(a, wire.outlet)
        a.ops.append(f"translated:{wire.lang}->{lang}")
        a.dated = r.random() > 0.12
        return self.add(a)

    def live_blog(self, parent: Article, outlet: Outlet, t: dt.datetime) -> list[Article]:
        """Snapshots of a live page: each the previous one with a new update on top."""
        r = self.r
        lang = parent.lang
        ev = self.event_of[parent.event]
        lede = Sent(list(parent.paras[0][0].segs), "lede", parent.paras[0][0].lower_ok)
        intro = [[lede]]
        snaps = []
        updates: list[list[Sent]] = []
        sl = self.slots(ev, lang)
        pool = list(LIVE_UPDATES[lang])
        r.shuffle(pool)
        first_t = t
        for k in range(r.randrange(2, 5)):
            if k:
                t = t + dt.timedelta(minutes=r.randrange(20, 180))
                stamp = f"{t.hour:02d}:{t.minute:02d} — " if lang != "en" else f"{t.hour:02d}:{t.minute:02d} GMT — "
                upd = Sent(fill(stamp + pool[(k - 1) % len(pool)], sl), "live")
                updates.insert(0, [upd])
            a = Article(self._doc(outlet), outlet, lang, parent.story, parent.event, parent.family, "live", t,
                        fill(LIVE_TITLE[lang], sl), [list(p) for p in updates] + [[Sent(list(s.segs), s.fact, s.lower_ok) for s in p]
                                                                                 for p in intro], parent=parent.doc)
            a.ops.append(f"live_snapshot:{k}")
            if k == 0:
                self.credit(a, parent.outlet, explicit_only=True)
                intro = [[Sent(list(s.segs), s.fact, s.lower_ok) for s in p] for p in a.paras[-1:]]
                # a second paragraph from the wire, rewritten in the blog's words
                rest = [s for p in parent.paras[1:] for s in p if s.fact in ("money", "count")]
                if rest:
                    intro.append([Sent(list(rest[0].segs), rest[0].fact)])
                    a.paras.append(intro[-1])
            a.dated = True
            a.time = t
            snaps.append(self.add(a))
        del first_t
        return snaps

    def correction(self, copy: Article, t: dt.datetime) -> Article:
        r = self.r
        a = Article(self._doc(copy.outlet), copy.outlet, copy.lang, copy.story, copy.event, copy.family, "correction", t,
                    list(copy.title), [[Sent(list(s.segs), s.fact, s.lower_ok) for s in p] for p in copy.paras], parent=copy.doc)
        a.head = [("correction", [CORRECTION[copy.lang]])] + list(copy.head)
        a.tail = list(copy.tail)
        a.dateline, a.signoff = copy.dateline, copy.signoff
        a.ops.append("correction")
        a.dated = copy.dated or r.random() < 0.5
        return self.add(a)

    def opinion(self, report: Article, outlet: Outlet, t: dt.datetime) -> Article:
        """A column quoting one sentence of a report: credits it, is not a member of its story."""
        r = self.r
        lang = report.lang
        ev = self.event_of[report.event]
        sl = self.slots(ev, lang)
        lines = [Sent(fill(x, sl), None) for x in r.sample(OPINION[lang] + self.extra.get("opinion", {}).get(lang, []), 4)]
        q = plain(report.paras[0][0].segs).rstrip(".")
        mk = Mark(report.outlet.name, report.outlet.mention(lang, r), "according_to")
        tpl, mk.held = self.phr("opinion_quotes", lang, OPINION_QUOTES[lang])
        quoted = Sent(fill(tpl, {"O": ru_name(mk, report.outlet, lang), "q": q, "K": RU_KIND[report.outlet.kind][0]}), None)
        lines.insert(1, quoted)
        a = Article(self._doc(outlet), outlet, lang, f"opinion-{len(self.articles)}", f"opinion-{len(self.articles)}", report.family,
                    "opinion", t, fill(OPINION_TITLE[lang], sl), [lines[:2], lines[2:]], parent=report.doc)
        self.paper_furniture(a)
        a.dated = r.random() > 0.1
        return self.add(a)

    def aggregator(self, lang: str, items: list[Article], t: dt.datetime) -> Article:
        r = self.r
        site = self.of_kind(lang, "site")[0]
        paras = []
        for it in items:
            mk = Mark(it.outlet.name, it.outlet.mention(lang, r), "aggregator")
            lede = strip_stop(plain(it.paras[0][0].segs).split(", ")[0:1])
            tpl, mk.held = self.phr("aggregator", lang, AGGREGATOR_LINES[lang])
            sl = {"t": plain(it.title), "s": lede[0].rstrip(".") + ".", "O": ru_name(mk, it.outlet, lang),
                  "Kd": RU_KIND[it.outlet.kind][3]}
            paras.append([Sent(fill(tpl, sl), None)])
        a = Article(self._doc(site), site, lang, f"briefing-{len(self.articles)}", f"briefing-{len(self.articles)}", "briefing",
                    "aggregator", t, [BRIEFING_TITLE[lang]], paras)
        a.dated = True
        return self.add(a)

    def release(self, ev: Event, t: dt.datetime, boiler: dict) -> Article:
        r = self.r
        lang = ev.lang
        pr = self.of_kind(lang, "pr")[0]
        sl = self.slots(ev, lang)
        sents = [Sent(cap(fill(x, sl)), f"release{i}") for i, x in enumerate(RELEASE[lang])]
        # what the investment answers: two or three of the event's facts, in the issuer's words
        facts = [x for x in self.realise(ev, lang, 1) if x.fact in ("lede", "count", "next", "history")]
        facts = [facts[0]] + r.sample(facts[1:], r.randrange(1, 3))
        about = Sent(fill(ABOUT[lang], {"ORG": ev.slots["ORG"], **boiler}), None)
        a = Article(self._doc(pr), pr, lang, f"{ev.eid}-release", ev.eid, ev.family, "release", t,
                    [f"{ev.slots['ORG']}: {plain(fill(RELEASE[lang][0], sl))[:60].rsplit(' ', 1)[0]}"],
                    [[sents[0]], facts[:1], [sents[1], sents[2]], facts[1:], [about]])
        a.issuer = ev.slots["ORG"]
        a.dated = True
        return self.add(a)

    def reprint(self, rel: Article, outlet: Outlet, t: dt.datetime) -> Article:
        r = self.r
        lang = rel.lang
        paras = [[Sent(list(s.segs), s.fact) for s in p] for p in rel.paras]
        if r.random() < 0.5:
            paras = paras[:-1]  # the "About" boilerplate dropped
        a = Article(self._doc(outlet), outlet, lang, rel.story, rel.event, rel.family, "reprint", t, list(rel.title), paras,
                    parent=rel.doc)
        a.issuer = rel.issuer
        u = r.random()
        if u < 0.4:
            mk = Mark(rel.outlet.name, rel.outlet.name, "endline")
            tpl, held = self.phr("endline", lang, ENDLINES[lang])
            mk.held = held
            a.tail.append(("endline", fill(tpl, ru_slots(mk, rel.outlet, lang))))
        elif u < 0.7:
            self.credit(a, rel.outlet)
        else:
            a.ops.append("no_credit")
        if outlet.kind == "paper":
            self.paper_furniture(a)
        a.dated = r.random() > 0.15
        return self.add(a)

    # -- the run
    def run(self) -> None:
        r = self.r
        self.event_of: dict[str, Event] = {}
        day0 = dt.datetime(2025, 3, 3, 6, 0)
        boilers: dict[str, dict] = {}
        langs, weights = zip(*ORIGIN_SHARE.items())
        recent: dict[str, list[Article]] = {lg: [] for lg in LANGS}
        while len(self.articles) < self.n:
            lang = r.choices(langs, weights)[0]
            base = day0 + dt.timedelta(days=r.randrange(0, 120), minutes=r.randrange(0, 720))
            fam_src = None
            same_lang = [e for e in self.event_of.values() if e.lang == lang and not e.org_release]
            if same_lang and r.random() < 0.2:
                fam_src = r.choice(same_lang)
            ev = self.new_event(lang, fam_src)
            self.event_of[ev.eid] = ev
            if r.random() < 0.12:  # a press release and its reprints
                ev.org_release = True
                b = boilers.setdefault(ev.slots["ORG"], {"ADJ": r.choice(ABOUT_ADJ[lang]), "HQ": self._town(lang),
                                                         "K": str(r.randrange(3, 40))})
                rel = self.release(ev, base, b)
                for o in r.sample(self.of_kind(lang, "paper") + self.of_kind(lang, "agency"), r.randrange(2, 5)):
                    self.reprint(rel, o, self._time(base, 0.7))
                continue
            wires = [o for o in self.outlets[lang] if o.kind == "agency"]
            writer = r.choice(wires)
            wire = self.wire_report(ev, writer, base, 0)
            recent[lang].append(wire)
            # copies: of the wire, at times of an earlier copy
            members = [wire]
            papers = self.of_kind(lang, "paper") + [w for w in wires if w is not writer]
            for o in r.sample(papers, min(len(papers), r.choice([1, 2, 2, 3, 3, 4, 5]))):
                parent = wire if len(members) == 1 or r.random() < 0.7 else r.choice(members[1:])
                c = self.copy(parent, o, self._time(parent.time))
                members.append(c)
                if r.random() < 0.08:
                    self.correction(c, c.time + dt.timedelta(hours=r.randrange(2, 30)))
            if r.random() < 0.15:
                self.live_blog(wire, r.choice(self.of_kind(lang, "paper")), self._time(base, 0.9))
            if lang == "en" and r.random() < 0.35:
                for tl in r.sample(["de", "fr", "es", "ru"], r.choice([1, 1, 2])):
                    self.translate(wire, r.choice(self.of_kind(tl, "paper")), self._time(base, 0.4))
            if r.random() < 0.25:  # another outlet's own report of the event: another story
                other = [o for o in wires if o is not writer] or self.of_kind(lang, "paper")
                ind = self.wire_report(ev, r.choice(other), self._time(base, 0.7), 1, quote=ev.slots["Q2"], kind="independent")
                for o in r.sample(self.of_kind(lang, "paper"), r.randrange(0, 3)):
                    self.copy(ind, o, self._time(ind.time))
            if r.random() < 0.15:
                self.opinion(wire, r.choice(self.of_kind(lang, "paper")), wire.time + dt.timedelta(days=r.randrange(0, 3)))
            if len(recent[lang]) >= 4 and r.random() < 0.2:
                items = r.sample(recent[lang][-8:], r.randrange(3, 5))
                self.aggregator(lang, items, max(x.time for x in items) + dt.timedelta(hours=2))


# ----------------------------------------------------------------------------- helpers
def money(m: float, cur: str, lang: str) -> str:
    v = f"{m:.1f}".rstrip("0").rstrip(".")
    if lang != "en":
        v = v.replace(".", ",")
    return {("en", "USD"): f"${v} million", ("en", "EUR"): f"€{v} million", ("en", "RUB"): f"{v} million roubles",
            ("de", "USD"): f"{v} Millionen Dollar", ("de", "EUR"): f"{v} Millionen Euro", ("de", "RUB"): f"{v} Millionen Rubel",
            ("fr", "USD"): f"{v} millions de dollars", ("fr", "EUR"): f"{v} millions d'euros", ("fr", "RUB"): f"{v} millions de roubles",
            ("es", "USD"): f"{v} millones de dólares", ("es", "EUR"): f"{v} millones de euros", ("es", "RUB"): f"{v} millones de rublos",
            ("ru", "USD"): f"{v} млн долларов", ("ru", "EUR"): f"{v} млн евро", ("ru", "RUB"): f"{v} млн рублей"}[(lang, cur)]


def count(n: int, lang: str) -> str:
    s = f"{n:,}"
    return {"en": s, "de": s.replace(",", "."), "es": s.replace(",", "."), "fr": s.replace(",", "\u202f"), "ru": s.replace(",", " ")}[lang]


def ru_name(mk: Mark, outlet: Outlet, lang: str) -> list:
    """An invented outlet's name in Russian copy goes in «»; the mention is the name itself."""
    if lang == "ru" and outlet.name not in WIRES:
        return ["«", mk, "»"]
    return [mk]


def ru_slots(mk: Mark, outlet: Outlet, lang: str) -> dict:
    k = RU_KIND.get(outlet.kind, RU_KIND["paper"])
    return {"O": ru_name(mk, outlet, lang), "K": k[0], "Kg": k[1], "Ka": k[2], "Kd": k[3]}


def trim_quote(segs: list, lang: str) -> list:
    """A quote cut to its first clause ("We acted, and we will..." -> "We acted")."""
    first = segs[0] if segs and isinstance(segs[0], str) else ""
    for opener, closer in (('"', '"'), ("„", "“"), ("« ", " »"), ("«", "»")):
        i = first.find(opener)
        j = first.find(closer, i + len(opener)) if i >= 0 else -1
        if i >= 0 and j > i:
            inner = first[i + len(opener):j]
            cut = inner.split(", ")[0]
            return [first.replace(inner, cut, 1)] + segs[1:]
    return segs


def carried(parent: Article) -> list[list[Sent]]:
    """The paragraphs a copy takes over: the parent's own lines ("we asked", "as we reported")
    stay behind; "the Courier reported, citing AP" becomes a credit of the Courier too."""
    out = []
    for p in parent.paras:
        sents = []
        for s in p:
            own = [x for x in s.segs if isinstance(x, Mark) and x.kind == "self"]
            if any(x.form != "citing_self" for x in own):
                continue
            segs = [Mark(x.outlet, x.mention, "reported") if isinstance(x, Mark) and x.kind == "self" else x for x in s.segs]
            sents.append(Sent(segs, s.fact, s.lower_ok))
        if sents:
            out.append(sents)
    return out


def paragraphs(sents: list[Sent], r: Random) -> list[list[Sent]]:
    """Sentences grouped into paragraphs (the lede alone, then one or two per paragraph)."""
    out = [[sents[0]]]
    i = 1
    while i < len(sents):
        k = 1 if r.random() < 0.6 else 2
        out.append(sents[i:i + k])
        i += k
    return out


# ----------------------------------------------------------------------------- rendering and truth
def date_line(d: dt.date, lang: str) -> str:
    return f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}"


def render(a: Article, r: Random) -> tuple[str, dict, list[dict]]:
    """(file content, metadata.toml entry, [(paragraph text, offset, mark)] as records)."""
    o = a.outlet
    paras: list[tuple[str, list]] = [("title", a.title)]
    date = a.time.date() if a.dated else None
    if o.where == "text":
        if date is not None:
            paras.append(("dateline", [date_line(date, a.lang)]))
        if not any(role == "byline" for role, _ in a.head):
            paras.append(("byline", fill("By {A}, {S}", {"A": f"{r.choice(NAMES['first']['en'])} Staff", "S": Mark(o.name, o.name, "byline",
                                                                                                              kind="self")})))
    paras += a.head
    for k, p in enumerate(a.paras):
        segs: list = []
        for s in p:
            if segs:
                segs.append(" ")
            segs.extend(s.segs)
        if k == 0 and a.dateline:
            segs = list(a.dateline) + segs
        if k == len(a.paras) - 1 and a.signoff is not None:
            tpl = SIGNOFF[a.lang]
            if tpl.startswith("\n"):
                paras.append(("body", tidy(segs)))
                segs = fill(tpl[1:], {"O": a.signoff})
            else:
                segs = segs + fill(tpl, {"O": a.signoff})
        paras.append(("body", tidy(segs)))
    paras += a.tail
    texts = [(role, plain(segs), [(len(plain(segs[:i])), x) for i, x in enumerate(segs) if isinstance(x, Mark)]) for role, segs in paras]
    meta: dict = {}
    if o.fmt == "html":
        content, starts = _html(texts, a, date)
    else:
        content, starts = _text(texts, a, date)
        if o.where == "meta":
            meta = {"outlet": o.name, **({"date": date.isoformat()} if date else {})}
    recs = []
    for pi, (role, text, marks) in enumerate(texts):
        for off, mk in marks:
            recs.append({"mark": mk, "context": text, "at": off, "start": starts[pi] + off, "end": starts[pi] + off + len(mk.mention),
                         "role": role})
    return content, meta, recs


def _text(texts, a: Article, date) -> tuple[str, list[int]]:
    parts, starts, pos = [], [], 0
    if a.outlet.fmt == "md":
        fm = ["---", f"title: {json.dumps(texts[0][1], ensure_ascii=False)}"]
        if a.outlet.where == "front":
            fm.append(f"publisher: {json.dumps(a.outlet.name, ensure_ascii=False)}")
            if date is not None:
                fm.append(f"date: {date.isoformat()}")
        fm.append("---")
        head = "\n".join(fm) + "\n\n"
        parts.append(head)
        pos = len(head)
    for role, text, _ in texts:
        pre = "# " if a.outlet.fmt == "md" and role == "title" else ""
        starts.append(pos + len(pre))
        sep = "\n" if role in ("title", "dateline") else "\n\n"
        parts.append(pre + text + sep)
        pos += len(pre) + len(text) + len(sep)
    return "".join(parts), starts


def _html(texts, a: Article, date) -> tuple[str, list[int]]:
    esc = html.escape
    o = a.outlet
    head = [f'<!DOCTYPE html>\n<html lang="{a.lang}">\n<head>\n<meta charset="utf-8">', f"<title>{esc(texts[0][1])}</title>",
            f'<meta property="og:site_name" content="{esc(o.name)}">']
    if date is not None:
        head.append(f'<meta property="article:published_time" content="{a.time.strftime("%Y-%m-%dT%H:%M:00")}Z">')
    head.append("</head>\n<body>\n<nav><a href=\"/\">Start</a> · <a href=\"/local\">Local</a></nav>\n<article>")
    body, starts, pos = [], [], 0
    for role, text, _ in texts:
        starts.append(pos)
        pos += len(text) + 2
        tag = "h1" if role == "title" else "p"
        cls = f' class="{role}"' if role in ("byline", "footer", "correction", "endline") else ""
        body.append(f"<{tag}{cls}>{esc(text)}</{tag}>")
    return "\n".join(head + body + ["</article>\n</body>\n</html>\n"]), starts


def build(split: str, n: int | None = None, seed: int | None = None) -> tuple[dict, dict, dict]:
    conf = SPLITS[split]
    n = conf["n"] if n is None else n
    seed = conf["seed"] if seed is None else seed
    g = Generator(split, n, seed)
    g.run()
    rr = Random(seed * 13 + 5)
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
            if mk.kind == "self" or mk.outlet == a.outlet.name:
                rec["self_form"] = mk.form
                rec["form"] = {"dateline": "own_dateline", "signoff": "own_signoff", "told": "told_own"}.get(mk.form, mk.form)
                selfs.append(rec)
            elif mk.form == "anaphora" and mk.outlet not in explicit:
                rec["why"] = "anaphora without its antecedent in this text"
                dontcare.append(rec)
            else:
                rec["aliases"] = _aliases_of(g, mk.outlet)
                credits.append(rec)
                if mk.form != "anaphora":
                    explicit.add(mk.outlet)
        arts[a.doc] = {"file": a.doc, "format": a.outlet.fmt, "lang": a.lang, "outlet": a.outlet.name, "outlet_kind": a.outlet.kind,
                       "date": a.time.date().isoformat() if a.dated else None, "time": a.time.isoformat(timespec="minutes"),
                       "story": a.story, "event": a.event, "topic": a.family, "kind": a.kind, "parent": a.parent, "ops": a.ops,
                       "cross_language": a.cross_language, "issuer": a.issuer, "background_from": [], "credits": credits, "self_references": selfs,
                       "dontcare": dontcare}
    stories: dict[str, dict] = {}
    for d, t in arts.items():
        stories.setdefault(t["story"], {"members": []})["members"].append(d)
    for st in stories.values():
        st["earliest"] = earliest(st["members"], arts)
    truth = {"version": VERSION, "split": split, "seed": seed, "n": len(arts), "articles": arts, "stories": stories,
             "about": "Truth of a storygen3 corpus (benchmarks/STORIES-EVAL.md). Same shape as storygen2's: credits[].context is "
                      "the paragraph holding the mention, at its offset there, start/end offsets in the file (.txt/.md) or in the "
                      "visible text (.html, paragraphs joined by blank lines)."}
    return files, metas, truth


def _aliases_of(g: Generator, name: str) -> list[str]:
    if name in WIRES:
        return sorted({name, *(m for ms in WIRES[name].values() for m in ms)})
    return [name]


def earliest(members: list[str], arts: dict) -> list[str]:
    """Acceptable earliest members: dated on the story's first day, crediting no other member of
    that day; [] when no member is dated."""
    dated = [d for d in members if arts[d]["date"]]
    if not dated:
        return []
    day = min(arts[d]["date"] for d in dated)
    same = [d for d in dated if arts[d]["date"] == day]
    outlets = {arts[d]["outlet"] for d in same}
    ok = [d for d in same if not ({c["outlet"] for c in arts[d]["credits"]} & (outlets - {arts[d]["outlet"]}))]
    return sorted(ok or same)


def write(out: Path, split: str, n: int | None = None, seed: int | None = None) -> dict:
    return save(out, *build(split, n, seed), "storygen3")


def save(out: Path, files: dict, metas: dict, truth: dict, gen: str) -> dict:
    """A generated corpus into OUT/corpus (files + metadata.toml) and OUT/truth.json; a corpus
    folder another program wrote is refused, never deleted (storygen4 writes through this too)."""
    corpus = out / "corpus"
    if corpus.exists():
        if not _ours(out, gen):
            raise SystemExit(f"{gen}: {corpus} holds files this generator did not write; choose an empty folder")
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (corpus / name).write_text(content, encoding="utf-8")
    lines = [f"# {gen} {truth['split']} seed {truth['seed']}"]
    for name, m in sorted(metas.items()):
        lines.append(f'["{name}"]')
        lines.append(f"outlet = {json.dumps(m['outlet'], ensure_ascii=False)}")
        if "date" in m:
            lines.append(f"date = {m['date']}")
    (corpus / "metadata.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _ours(out: Path, gen: str = "storygen3") -> bool:
    try:
        return str(json.loads((out / "truth.json").read_text(encoding="utf-8")).get("version", "")).startswith(f"{gen}/")
    except (OSError, ValueError):
        return False


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
