"""A second syndication-corpus generator, with an edit model of its own, for evaluating stories.

Written independently of storygen.py (only its output conventions were read) so that the
stories method is not measured only on the generator its author wrote (issue 21).

Model. Each *event* is a set of facts (who, where, how much, how many, a quote...) in one of
five languages (en, de, fr, es, ru). An agency or newspaper writes the *wire* report: one
realisation of each fact, numbers in its house style. Other outlets then publish *copies*
of the wire or of an earlier copy, made by logged operations:

- synonym tables (per language) applied to a share of the copy's words;
- digest: keep about a third of the report (the lead and a few others);
- house number style: every number re-rendered ("$3.5 million" / "$3.5m" / "US$3,500,000",
  "3,5 Mio. Euro", "3 500", "12.5 per cent"...);
- merged sentences (two joined by a connector) and split sentences (one cut at a comma);
- background paragraphs pasted from an unrelated report (same language);
- sentences of the outlet's own (a local angle), paragraph re-order.

Hard negatives: a second *independent* report of the same event by another outlet
(the same facts realised with other templates and other quotes: no shared sentence, so a
different story) and *same-topic* events (same topic words, city and organisation, other
facts) that are not rewrites.

Credits (each logged with the credited outlet, its mention and the phrase that credits):
"according to X", "X reported", "citing X", anaphora ("the agency said"), end lines
("Material from X was used in this report", "Source: X"), headline credits (": X report",
"| X"), "told X" (a credit in a copy, a self-reference in X's own text), a wire's dateline
"CITY (X) -" (likewise), agency sign-offs "(dpa)" / "EFE", and German, French, Spanish and
Russian phrasing. Outlets and agencies are partly invented: no list of known outlets helps.
Self-references that are never credits: own byline, footer, "as we reported", own dateline
and sign-off, "told X" in X's own copy. Unresolvable anaphora are recorded as `dontcare`.

Dates: days; same-day copies of a wire are common (the text decides: the wire credits no
member); 15% of articles are undated (no date anywhere). Where a date or outlet is stated
varies: metadata.toml, HTML meta (og:site_name, article:published_time), Markdown front
matter, a date line and byline in the text.

Splits: `--split dev` and `--split heldout` use disjoint seeds, disjoint halves of the
name lists and synonym tables, and the held-out split also uses sentence templates, credit
phrasings and edit variants that the dev split never produces: they live in
storygen2_heldout.py, which the method's developer must not read (benchmarks/STORIES-EVAL.md).

Output (OUT/): corpus/ (the files the indexer reads, with metadata.toml) and truth.json.
Usage: python benchmarks/storygen2.py --split dev|heldout OUT [--n N] [--seed S]
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

VERSION = "storygen2/3"  # 2: new held-out material (the first was exposed in 76edee4); 3: short wire names in
                         # datelines and sign-offs, no split after an opener ("According to X, ...")
#: The documented splits: the held-out seeds are not to be run by the method's developer
#: before the end (benchmarks/STORIES-EVAL.md).
SPLITS = {"dev": {"seed": 2111, "n": 600}, "heldout": {"seed": 61853, "n": 600}}
HELD = "heldout"  # marks an entry used only by the held-out split
LANG_SHARE = {"en": 0.36, "de": 0.18, "fr": 0.16, "es": 0.16, "ru": 0.14}

# ----------------------------------------------------------------------------- outlets
#: Agencies with real names (the aliases a reader would accept for each); several spellings
#: per language as real copy writes them.
WIRES = {
    "Associated Press": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "Рейтер"),
    "Agence France-Presse": ("AFP", "Agence France-Presse", "АФП"),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "EFE": ("EFE", "Efe", "Agencia EFE"),
    "TASS": ("TASS", "ТАСС"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "ANSA": ("ANSA",),
    "Interfax": ("Interfax", "Интерфакс"),
}
#: Which wires write in which language (their own reports).
WIRE_LANGS = {"en": ["Associated Press", "Reuters", "Bloomberg"], "de": ["dpa", "Reuters"],
              "fr": ["Agence France-Presse"], "es": ["EFE", "Agence France-Presse"],
              "ru": ["TASS", "Interfax"]}
#: How each wire's name is written in each language's copy (first is the usual one).
WIRE_NAME = {
    ("Associated Press", "en"): ["AP", "The Associated Press"], ("Reuters", "en"): ["Reuters"],
    ("Bloomberg", "en"): ["Bloomberg", "Bloomberg News"], ("dpa", "de"): ["dpa"],
    ("Reuters", "de"): ["Reuters"], ("Agence France-Presse", "fr"): ["AFP", "l'Agence France-Presse"],
    ("EFE", "es"): ["EFE", "Efe"], ("Agence France-Presse", "es"): ["AFP"], ("TASS", "ru"): ["ТАСС", "TASS"],
    ("Interfax", "ru"): ["Интерфакс", "Interfax"],
}
#: Invented outlet names: parts per language, split into dev/held-out halves by position.
PLACE_SYL = ["Vel", "mar", "Ost", "ran", "Kel", "dor", "Bri", "sen", "Tal", "vik", "Mor", "ena", "Pra", "lun",
             "Sar", "ido", "Fen", "wick", "Lor", "bach", "Ne", "vada", "Cas", "tell", "Ul", "mora", "Ber", "gano"]
PAPER_FORMS = {
    "en": ["{P} Courier", "{P} Ledger", "The {P} Sentinel", "{P} Dispatch", "The {P} Observer", "{P} Evening Star",
           "{P} Gazette", "The {P} Chronicle", "{P} Daily Record", "{P} Mercury"],
    "de": ["{P}er Kurier", "{P}er Anzeiger", "{P}er Rundschau", "{P}er Tagblatt", "{P}er Bote", "Neue {P}er Presse",
           "{P}er Nachrichten", "{P}er Volksblatt", "Allgemeine {P}er Zeitung", "{P}er Morgenpost"],
    "fr": ["Le Courrier de {P}", "La Dépêche de {P}", "L'Écho de {P}", "Le Républicain de {P}", "La Voix de {P}",
           "Le Progrès de {P}", "L'Indépendant de {P}", "La Gazette de {P}", "Le Réveil de {P}", "Midi {P}"],
    "es": ["El Diario de {P}", "La Voz de {P}", "El Heraldo de {P}", "El Correo de {P}", "La Gaceta de {P}",
           "El Norte de {P}", "Noticias de {P}", "El Faro de {P}", "La Crónica de {P}", "El Eco de {P}"],
    "ru": ["{R} курьер", "{R} вестник", "{R} телеграф", "{R} обозреватель", "{R} листок", "{R} репортёр"],
}
RU_ADJ = ["Северный", "Речной", "Степной", "Вечерний", "Городской", "Уральский", "Волжский", "Приморский",
          "Лесной", "Озёрный", "Горный", "Западный"]
AGENCY_FORMS = {  # invented agencies: (name, short form used in credits and sign-offs)
    "en": [("{P} Press Agency", "{I}PA"), ("{P} Wire Service", "{I}WS"), ("{P} News Network", "{I}NN")],
    "de": [("Nachrichtenagentur {P}", "N{I}"), ("{P} Pressedienst", "{I}PD")],
    "fr": [("Agence {P} Presse", "A{I}P"), ("Agence de presse {P}", "A{I}")],
    "es": [("Agencia {P} de Noticias", "A{I}N"), ("Agencia Informativa {P}", "AI{I}")],
    "ru": [("{P}-Пресс", "{P}-Пресс"), ("{P}Информ", "{P}Информ")],
}
RU_PLACE = ["Север", "Волга", "Урал", "Балтика", "Сибирь", "Кама", "Ока", "Дон", "Нева", "Енисей"]


# ----------------------------------------------------------------------------- language kits
# Fact templates: {P} person, {R} role, {C} city, {W} what (the event), {O} organisation,
# {O2} second organisation, {P2} second person, {M}/{M2} money, {N}/{N2} counts, {X} percent,
# {D}/{D2} weekdays, {Y} year, {Q} quote, {S} the writing outlet (self). Two realisations per
# fact here; the held-out split uses the second and a third one from storygen2_heldout.py.
FACTS = {'en': [['{R} {P} said on {D} that {W} in {C} had already cost {O} about {M}.',
         '{W} in {C} has cost {O} roughly {M} so far, {R} {P} told reporters on {D}.'],
        ['At least {N} people were directly affected, officials said.',
         'Officials put the number of people directly affected at {N} or more.'],
        ['{O} said its activity in the region dropped by {X} in the first week.',
         'Activity at {O} in the region fell {X} during the first seven days, the company said.'],
        ['"{Q}," {P} said.', '{P} said: "{Q}."'],
        ['Negotiations between the parties are due to resume on {D2}.',
         'Both sides are expected back at the negotiating table on {D2}.'],
        ['The regional government has earmarked {M2} for emergency support.',
         'Emergency support worth {M2} was approved by the regional cabinet.'],
        ['Opposition members demanded a parliamentary inquiry into how the authorities handled {W}.',
         'An inquiry into the official response to {W} was demanded by opposition deputies.'],
        ['{P2}, a spokesperson for {O2}, said {N2} staff had been moved to other sites.',
         '{O2} has transferred {N2} employees to other locations, spokesperson {P2} said.'],
        ['The last comparable episode in {C} dates back to {Y}.', '{C} last went through something similar in {Y}.']],
 'de': [['{R} {P} sagte am {D}, {W} in {C} habe {O} bereits rund {M} gekostet.',
         '{W} in {C} hat {O} nach Angaben von {R} {P} bislang etwa {M} gekostet.'],
        ['Mindestens {N} Menschen seien unmittelbar betroffen, hieß es von offizieller Seite.',
         'Die Behörden beziffern die Zahl der direkt Betroffenen auf {N} oder mehr.'],
        ['{O} teilte mit, die Tätigkeit in der Region sei in der ersten Woche um {X} gesunken.',
         'In den ersten sieben Tagen ging die Tätigkeit von {O} in der Region um {X} zurück.'],
        ['„{Q}“, sagte {P}.', '{P} sagte: „{Q}.“'],
        ['Die Verhandlungen zwischen den Parteien sollen am {D2} fortgesetzt werden.',
         'Am {D2} wollen beide Seiten wieder an den Verhandlungstisch zurückkehren.'],
        ['Die Landesregierung hat {M2} für Soforthilfen bereitgestellt.',
         'Soforthilfen im Umfang von {M2} wurden vom Landeskabinett gebilligt.'],
        ['Die Opposition forderte einen Untersuchungsausschuss zum Umgang der Behörden mit {W}.',
         'Oppositionsabgeordnete verlangen eine Untersuchung des behördlichen Vorgehens bei {W}.'],
        ['{P2}, Sprecherin von {O2}, sagte, {N2} Beschäftigte seien an andere Standorte versetzt worden.',
         '{O2} hat nach Angaben von Sprecherin {P2} {N2} Mitarbeiter an andere Standorte verlegt.'],
        ['Ein vergleichbarer Fall in {C} liegt bis ins Jahr {Y} zurück.',
         'Zuletzt hatte {C} im Jahr {Y} etwas Ähnliches erlebt.']],
 'fr': [['{R} {P} a déclaré {D} que {W} à {C} avait déjà coûté environ {M} à {O}.',
         "{W} à {C} a coûté jusqu'ici quelque {M} à {O}, a indiqué {R} {P} {D}."],
        ['Au moins {N} personnes sont directement touchées, selon les autorités.',
         'Les autorités évaluent à {N} au minimum le nombre de personnes directement touchées.'],
        ['{O} a indiqué que son activité dans la région avait reculé de {X} la première semaine.',
         "L'activité de {O} dans la région a chuté de {X} au cours des sept premiers jours."],
        ['« {Q} », a déclaré {P}.', '{P} a affirmé : « {Q}. »'],
        ['Les négociations entre les parties doivent reprendre {D2}.',
         'Les deux camps devraient se retrouver autour de la table {D2}.'],
        ["Le gouvernement régional a débloqué {M2} d'aide d'urgence.",
         "Une aide d'urgence de {M2} a été approuvée par l'exécutif régional."],
        ["L'opposition réclame une commission d'enquête sur la gestion de {W} par les autorités.",
         "Des députés de l'opposition exigent une enquête sur la réponse officielle à {W}."],
        ["{P2}, porte-parole de {O2}, a précisé que {N2} salariés avaient été réaffectés sur d'autres sites.",
         "{O2} a transféré {N2} employés vers d'autres sites, a indiqué sa porte-parole {P2}."],
        ['Le dernier épisode comparable à {C} remonte à {Y}.',
         "{C} n'avait pas connu pareille situation depuis {Y}."]],
 'es': [['{R} {P} afirmó el {D} que {W} en {C} ya le ha costado a {O} unos {M}.',
         '{W} en {C} le ha costado hasta ahora a {O} cerca de {M}, dijo {R} {P} el {D}.'],
        ['Al menos {N} personas se han visto afectadas directamente, señalaron las autoridades.',
         'Las autoridades cifran en {N} o más las personas afectadas de forma directa.'],
        ['{O} indicó que su actividad en la región cayó un {X} en la primera semana.',
         'La actividad de {O} en la región se redujo un {X} durante los primeros siete días.'],
        ['"{Q}", declaró {P}.', '{P} aseguró: "{Q}".'],
        ['Las negociaciones entre las partes se reanudarán el {D2}.',
         'Ambas partes volverán a sentarse a la mesa el {D2}.'],
        ['El gobierno regional ha destinado {M2} a ayudas de emergencia.',
         'El ejecutivo regional aprobó ayudas de emergencia por valor de {M2}.'],
        ['La oposición pidió una comisión de investigación sobre la gestión de {W} por parte de las autoridades.',
         'Diputados de la oposición exigen investigar la respuesta oficial a {W}.'],
        ['{P2}, portavoz de {O2}, explicó que {N2} empleados fueron trasladados a otras sedes.',
         '{O2} ha trasladado a {N2} trabajadores a otros centros, según su portavoz {P2}.'],
        ['El último episodio comparable en {C} se remonta a {Y}.', '{C} no vivía una situación parecida desde {Y}.']],
 'ru': [['{R} {P} заявил в {D}, что {W} в городе {C} уже обошлась компании {O} примерно в {M}.',
         'По словам {R_gen} {P}, ущерб {O} от ситуации в городе {C} составил около {M}.'],
        ['По данным властей, непосредственно пострадали не менее {N} человек.',
         'Власти оценивают число непосредственно пострадавших в {N} человек и более.'],
        ['В {O} сообщили, что деятельность компании в регионе за первую неделю сократилась на {X}.',
         'За первые семь дней активность {O} в регионе упала на {X}.'],
        ['«{Q}», — сказал {P}.', '{P} заявил: «{Q}».'],
        ['Переговоры сторон должны возобновиться в {D2}.', 'Стороны планируют вернуться за стол переговоров в {D2}.'],
        ['Региональное правительство выделило {M2} на экстренную помощь.',
         'Экстренная помощь в размере {M2} одобрена областным кабинетом.'],
        ['Оппозиция потребовала парламентского расследования действий властей.',
         'Депутаты от оппозиции требуют проверить, как власти отреагировали на происшествие.'],
        ['{P2}, представитель {O2}, сообщила, что {N2} сотрудников переведены на другие площадки.',
         '{O2} перевела {N2} работников на другие объекты, рассказала представитель компании {P2}.'],
        ['Последний сопоставимый случай в городе {C} был в {Y} году.',
         'Ничего подобного {C} не переживал с {Y} года.']]}
#: Event details: subject + verb + object + adjunct, drawn per event, so that unrelated events
#: share frames only as much as real news does (subjects are plural; objects in the case the
#: verb needs).
DETAIL = {
    "en": (["Inspectors", "Volunteers", "Engineers", "Police officers", "Firefighters", "Council workers", "Neighbours",
            "Union stewards", "Auditors", "Paramedics", "Contractors", "Students"],
           ["sealed off", "inspected", "cleared", "photographed", "blocked", "repaired", "surveyed", "emptied", "guarded",
            "reopened", "measured", "fenced off"],
           ["the northern warehouse", "the footbridge over the canal", "three pumping stations", "the old grain silo",
            "a primary school gym", "the ring road underpass", "two cargo cranes", "the market hall", "the ferry terminal",
            "a disused quarry", "the district archive", "the tram depot", "a row of garages", "the sports ground",
            "the railway sidings"],
           ["shortly after midnight", "for the second time this month", "under heavy rain", "while crowds watched",
            "before the morning shift", "despite protests", "with the help of the army", "in under an hour",
            "on the orders of the prosecutor", "as a precaution", "at the request of insurers", "without warning"]),
    "de": (["Prüfer", "Freiwillige", "Ingenieure", "Polizisten", "Feuerwehrleute", "Mitarbeiter der Stadt", "Nachbarn",
            "Betriebsräte", "Gutachter", "Sanitäter", "Handwerker", "Studenten"],
           ["sperrten", "untersuchten", "räumten", "fotografierten", "blockierten", "reparierten", "vermaßen", "leerten",
            "bewachten", "öffneten", "kontrollierten", "umzäunten"],
           ["das Nordlager", "die Fußgängerbrücke am Kanal", "drei Pumpwerke", "das alte Getreidesilo", "eine Schulturnhalle",
            "die Unterführung am Ring", "zwei Ladekräne", "die Markthalle", "das Fährterminal", "einen stillgelegten Steinbruch",
            "das Kreisarchiv", "das Straßenbahndepot", "eine Reihe Garagen", "den Sportplatz", "die Abstellgleise"],
           ["kurz nach Mitternacht", "zum zweiten Mal in diesem Monat", "bei starkem Regen", "vor den Augen vieler Schaulustiger",
            "vor Beginn der Frühschicht", "trotz Protesten", "mit Hilfe der Bundeswehr", "in weniger als einer Stunde",
            "auf Anordnung der Staatsanwaltschaft", "vorsorglich", "auf Wunsch der Versicherer", "ohne Vorwarnung"]),
    "fr": (["Des inspecteurs", "Des bénévoles", "Des ingénieurs", "Des policiers", "Des pompiers", "Des agents municipaux",
            "Des riverains", "Des délégués syndicaux", "Des experts", "Des secouristes", "Des artisans", "Des étudiants"],
           ["ont bouclé", "ont inspecté", "ont évacué", "ont photographié", "ont bloqué", "ont réparé", "ont mesuré", "ont vidé",
            "ont surveillé", "ont rouvert", "ont contrôlé", "ont clôturé"],
           ["l'entrepôt nord", "la passerelle du canal", "trois stations de pompage", "le vieux silo à grains",
            "un gymnase scolaire", "le passage souterrain du périphérique", "deux grues de chargement", "la halle du marché",
            "la gare maritime", "une carrière désaffectée", "les archives départementales", "le dépôt de tramways",
            "une rangée de garages", "le stade municipal", "les voies de garage"],
           ["peu après minuit", "pour la deuxième fois ce mois-ci", "sous une pluie battante", "sous les yeux des badauds",
            "avant l'équipe du matin", "malgré les protestations", "avec l'aide de l'armée", "en moins d'une heure",
            "sur ordre du parquet", "par précaution", "à la demande des assureurs", "sans prévenir"]),
    "es": (["Los inspectores", "Varios voluntarios", "Los ingenieros", "Agentes de policía", "Los bomberos", "Operarios municipales",
            "Los vecinos", "Delegados sindicales", "Los peritos", "Los sanitarios", "Varios contratistas", "Un grupo de estudiantes"],
           ["precintaron", "inspeccionaron", "desalojaron", "fotografiaron", "bloquearon", "repararon", "midieron", "vaciaron",
            "vigilaron", "reabrieron", "revisaron", "vallaron"],
           ["el almacén norte", "la pasarela del canal", "tres estaciones de bombeo", "el viejo silo de grano",
            "un gimnasio escolar", "el paso subterráneo de la ronda", "dos grúas de carga", "el mercado municipal",
            "la terminal de ferris", "una cantera abandonada", "el archivo comarcal", "las cocheras del tranvía",
            "una fila de garajes", "el campo de deportes", "las vías muertas"],
           ["poco después de medianoche", "por segunda vez este mes", "bajo una lluvia intensa", "ante la mirada de los curiosos",
            "antes del turno de mañana", "pese a las protestas", "con ayuda del ejército", "en menos de una hora",
            "por orden de la fiscalía", "como medida de precaución", "a petición de las aseguradoras", "sin previo aviso"]),
    "ru": (["Инспекторы", "Волонтёры", "Инженеры", "Полицейские", "Пожарные", "Сотрудники мэрии", "Соседи", "Профсоюзные активисты",
            "Аудиторы", "Медики", "Подрядчики", "Студенты"],
           ["оцепили", "осмотрели", "расчистили", "сфотографировали", "перекрыли", "отремонтировали", "обследовали", "освободили",
            "охраняли", "вновь открыли", "проверили", "огородили"],
           ["северный склад", "пешеходный мост через канал", "три насосные станции", "старый зерновой элеватор",
            "школьный спортзал", "подземный переход на кольцевой", "два грузовых крана", "крытый рынок", "паромный терминал",
            "заброшенный карьер", "районный архив", "трамвайное депо", "ряд гаражей", "спортивную площадку", "запасные пути"],
           ["вскоре после полуночи", "уже второй раз за месяц", "под проливным дождём", "на глазах у зевак",
            "до начала утренней смены", "несмотря на протесты", "при помощи военных", "меньше чем за час",
            "по распоряжению прокуратуры", "в качестве меры предосторожности", "по просьбе страховщиков", "без предупреждения"]),
}


STREET = {"en": "on {Z} Street", "de": "in der {Z}straße", "fr": "rue {Z}", "es": "en la calle {Z}", "ru": "на улице {Z}"}
TIME_AT = {"en": "at {h}:{m:02d}", "de": "um {h}.{m:02d} Uhr", "fr": "à {h}h{m:02d}", "es": "a las {h}:{m:02d}",
           "ru": "в {h}:{m:02d}"}


#: Sentences an outlet adds of its own (unique to it); {S} is the outlet itself.
LOCAL = {
    "en": ["Shopkeepers in {C} told the {S} they feared a long winter.",
           "Readers have written to us about delays on the {C} bypass.",
           "Our correspondent in {C} saw queues outside the municipal offices on {D}."],
    "de": ["Händler in {C} sagten dem {S}, sie fürchteten einen langen Winter.",
           "Unsere Leser berichten von Verzögerungen auf der Umgehungsstraße von {C}.",
           "Unser Korrespondent sah am {D} lange Schlangen vor dem Rathaus in {C}."],
    "fr": ["Des commerçants de {C} ont confié au {S} craindre un long hiver.",
           "Nos lecteurs nous signalent des retards sur la rocade de {C}.",
           "Notre correspondant a constaté {D} de longues files devant la mairie de {C}."],
    "es": ["Comerciantes de {C} dijeron a {S} que temen un invierno largo.",
           "Nuestros lectores nos cuentan retrasos en la circunvalación de {C}.",
           "Nuestro corresponsal vio el {D} largas colas ante el ayuntamiento de {C}."],
    "ru": ["Торговцы в городе {C} рассказали изданию «{S}», что опасаются долгой зимы.",
           "Читатели пишут нам о пробках на объездной дороге в городе {C}.",
           "Наш корреспондент в {D} видел очереди у здания администрации в городе {C}."],
}
QUOTES = {
    "en": ["We will not accept a solution imposed from outside", "Every day without an agreement costs families money",
           "The figures speak for themselves", "Nobody was warned in time", "We are asking for patience, not sympathy",
           "This is the worst week our members have known", "The repairs will take months, not weeks",
           "We expected help much sooner"],
    "de": ["Wir akzeptieren keine Lösung, die uns von außen aufgezwungen wird", "Jeder Tag ohne Einigung kostet die Familien Geld",
           "Die Zahlen sprechen für sich", "Niemand wurde rechtzeitig gewarnt", "Wir bitten um Geduld, nicht um Mitleid",
           "Das ist die schlimmste Woche, die unsere Mitglieder erlebt haben", "Die Reparaturen werden Monate dauern",
           "Wir hatten viel früher mit Hilfe gerechnet"],
    "fr": ["Nous n'accepterons pas une solution imposée de l'extérieur", "Chaque jour sans accord coûte de l'argent aux familles",
           "Les chiffres parlent d'eux-mêmes", "Personne n'a été prévenu à temps", "Nous demandons de la patience, pas de la compassion",
           "C'est la pire semaine que nos adhérents aient connue", "Les réparations prendront des mois",
           "Nous attendions de l'aide bien plus tôt"],
    "es": ["No aceptaremos una solución impuesta desde fuera", "Cada día sin acuerdo les cuesta dinero a las familias",
           "Las cifras hablan por sí solas", "Nadie fue avisado a tiempo", "Pedimos paciencia, no compasión",
           "Es la peor semana que han vivido nuestros socios", "Las reparaciones llevarán meses",
           "Esperábamos ayuda mucho antes"],
    "ru": ["Мы не примем решение, навязанное извне", "Каждый день без соглашения стоит семьям денег",
           "Цифры говорят сами за себя", "Никого не предупредили вовремя", "Мы просим терпения, а не сочувствия",
           "Это худшая неделя в жизни наших сотрудников", "Ремонт займёт месяцы, а не недели",
           "Мы ждали помощи гораздо раньше"],
}
#: Topics: what the event is, per language (a noun phrase), shared by same-topic events.
TOPICS = {
    "en": ["the dockworkers' strike", "the drought", "the collapse of the rail tender", "the warehouse fire",
           "the fine imposed on the savings bank", "the closure of the district hospital", "the contamination of the water supply",
           "the dispute over the airport runway", "the landslide", "the power cut"],
    "de": ["der Streik der Hafenarbeiter", "die Dürre", "das Scheitern der Bahnausschreibung", "der Lagerhallenbrand",
           "die Geldbuße gegen die Sparkasse", "die Schließung des Kreiskrankenhauses", "die Verunreinigung des Trinkwassers",
           "der Streit um die Startbahn", "der Erdrutsch", "der Stromausfall"],
    "fr": ["la grève des dockers", "la sécheresse", "l'échec de l'appel d'offres ferroviaire", "l'incendie de l'entrepôt",
           "l'amende infligée à la caisse d'épargne", "la fermeture de l'hôpital de district", "la contamination du réseau d'eau",
           "le conflit sur la piste de l'aéroport", "le glissement de terrain", "la panne d'électricité"],
    "es": ["la huelga de estibadores", "la sequía", "el fracaso del concurso ferroviario", "el incendio del almacén",
           "la multa impuesta a la caja de ahorros", "el cierre del hospital comarcal", "la contaminación del agua potable",
           "la disputa por la pista del aeropuerto", "el deslizamiento de tierra", "el apagón"],
    "ru": ["забастовка докеров", "засуха", "срыв железнодорожного тендера", "пожар на складе", "штраф для сберегательного банка",
           "закрытие районной больницы", "загрязнение водопровода", "спор о взлётной полосе", "оползень", "отключение электричества"],
}
HEADLINES = {
    "en": ["{Wc} costs {O} {M}", "{C}: {N} affected by {W}", "{O} counts the cost of {W}", "Inquiry sought over {W} in {C}"],
    "de": ["{Wc} kostet {O} {M}", "{C}: {N} Menschen von {W} betroffen", "{O} beziffert Schaden durch {W}",
           "Opposition fordert Aufklärung in {C}"],
    "fr": ["{Wc} coûte {M} à {O}", "{C} : {N} personnes touchées", "{O} chiffre le coût de {W}", "{C} : l'opposition veut une enquête"],
    "es": ["{Wc} cuesta {M} a {O}", "{C}: {N} afectados por {W}", "{O} calcula el coste de {W}", "{C}: la oposición pide una investigación"],
    "ru": ["{Wc} обошлась {O} в {M}", "{C}: пострадали {N} человек", "{O} подсчитала ущерб", "{C}: оппозиция требует расследования"],
}
ROLES = {"en": ["mayor", "regional governor", "union leader", "chief executive", "fire chief", "health commissioner"],
         "de": ["Bürgermeister", "Landrat", "Gewerkschaftschef", "Vorstandschef", "Feuerwehrchef", "Gesundheitsdezernent"],
         "fr": ["le maire", "le préfet", "le dirigeant syndical", "le PDG", "le chef des pompiers", "le directeur de la santé"],
         "es": ["el alcalde", "el gobernador regional", "el líder sindical", "el consejero delegado", "el jefe de bomberos",
                "el responsable de sanidad"],
         "ru": ["мэр", "губернатор", "профсоюзный лидер", "гендиректор", "начальник пожарной охраны", "глава здравоохранения"]}
RU_ROLE_GEN = {"мэр": "мэра", "губернатор": "губернатора", "профсоюзный лидер": "профсоюзного лидера",
               "гендиректор": "гендиректора", "начальник пожарной охраны": "начальника пожарной охраны",
               "глава здравоохранения": "главы здравоохранения"}
DAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
        "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
        "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
        "ru": ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"]}
MONTHS = {"en": "January February March April May June July August September October November December".split(),
          "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
          "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
          "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
          "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()}
FIRST = {"en": ["Margaret", "Daniel", "Priya", "Owen", "Grace", "Tobias", "Helen", "Marcus", "Ruth", "Samuel", "Irene", "Callum"],
         "de": ["Jana", "Matthias", "Sabine", "Lukas", "Heike", "Florian", "Ute", "Niklas", "Birgit", "Jörg", "Katrin", "Timo"],
         "fr": ["Camille", "Julien", "Nathalie", "Olivier", "Sandrine", "Mathieu", "Élodie", "Thierry", "Aurélie", "Rémi",
                "Céline", "Yannick"],
         "es": ["Lucía", "Javier", "Carmen", "Álvaro", "Pilar", "Sergio", "Rocío", "Andrés", "Marta", "Rubén", "Elena", "Iñigo"],
         "ru": ["Ольга", "Дмитрий", "Наталья", "Сергей", "Ирина", "Андрей", "Елена", "Павел", "Татьяна", "Игорь", "Марина",
                "Алексей"]}
LAST = {"en": ["Holloway", "Pritchard", "Okafor", "Brennan", "Whitcombe", "Nakamura", "Delaney", "Fairbairn", "Ashdown", "Kowal"],
        "de": ["Brenner", "Hofstätter", "Lindqvist", "Rademacher", "Wolters", "Eichhorn", "Kessler", "Baumgart", "Fuchs", "Seidl"],
        "fr": ["Garnier", "Lemaire", "Benali", "Fournier", "Chevalier", "Marchand", "Roussel", "Vasseur", "Perrin", "Lacroix"],
        "es": ["Echeverría", "Montalbán", "Quintero", "Salcedo", "Barrientos", "Villanueva", "Ortega", "Cifuentes", "Arriaga", "Peral"],
        "ru": ["Кузнецов", "Белова", "Соколов", "Миронова", "Лебедев", "Орлова", "Зайцев", "Громова", "Тихонов", "Фролова"]}
CITIES = {"en": ["Harwick", "Stonebridge", "Ellesby", "Marlow Cross", "Port Denholm", "Ashcombe", "Kilbride", "Fenmouth",
                 "Greyhaven", "Oakridge"],
          "de": ["Lindau", "Rheinfelden", "Weißenburg", "Bad Kessen", "Oberhain", "Talbrück", "Neustadt am Wald", "Gernsbach",
                 "Hohenmarkt", "Eschweiler"],
          "fr": ["Saint-Ambroix", "Villeneuve-sur-Lys", "Montrieux", "Bellegarde", "Castelnau", "Pont-Aven", "Roquefort",
                 "Beaulieu", "Mirande", "Sainte-Claire"],
          "es": ["Villalba", "Puerto Serrano", "Almedina", "Castro del Río", "Navalmoral", "Santa Olalla", "Cabra", "Teruel Alto",
                 "Miranda", "Fuentesaúco"],
          "ru": ["Заречный", "Светлогорск", "Каменск", "Озёрск", "Берёзовка", "Сосновый Бор", "Красноводск", "Лесогорск",
                 "Новоалтайск", "Приозёрск"]}
ORG_SUFFIX = {"en": ["Holdings", "Logistics", "Utilities", "Group", "Materials"], "de": ["GmbH", "AG", "Werke", "Logistik"],
              "fr": ["SA", "Industries", "Logistique", "Groupe"], "es": ["S.A.", "Logística", "Grupo", "Servicios"],
              "ru": ["Транс", "Энерго", "Строй", "Логистик"]}
ORG_STEM = ["Tarvel", "Mirenco", "Ostrada", "Belvane", "Quorin", "Halsted", "Varenna", "Corvia", "Lumeth", "Stradex",
            "Pellaro", "Ardent"]
NAME_SYL = ["tar", "vel", "mi", "ren", "os", "tra", "bel", "van", "quo", "rin", "hal", "sted", "va", "ren", "cor", "via",
            "lu", "meth", "stra", "dex", "pel", "la", "ro", "ar", "dent", "ka", "lem", "bo", "nis", "fa", "gor", "ul"]
RU_SYL = ["тар", "вел", "ми", "рен", "ос", "тра", "бел", "ван", "кво", "рин", "хал", "стед", "ва", "кор", "ви", "лу",
          "мет", "дек", "пел", "ла", "ро", "ар", "дент", "ка", "лем", "бо", "нис", "фа", "гор", "ул"]
CITY_END = {"en": ["ton", "ford", "bridge", " Cross", "by", "mouth", "ham"], "de": ["burg", "dorf", "hausen", "feld", "stadt"],
            "fr": ["ville", "court", "-sur-Mer", "mont", "ac"], "es": ["a", "al", " del Río", "ejo", "illa"],
            "ru": ["ск", "ово", "град", "инск"]}
RU_ORG_STEM = ["Тарвел", "Миренко", "Острада", "Бельван", "Кворин", "Халстед", "Варенна", "Корвия", "Люмет", "Страдекс",
               "Пелларо", "Ардент"]

# ----------------------------------------------------------------------------- credit phrasings
# (form, template, split). {O} is the credited outlet's mention; {s} the sentence it is attached
# to (without its final stop). form is the family scored separately. The held-out split adds
# phrasings of its own (storygen2_heldout.py, marked HELD in the truth).
CREDIT_PHRASES = {
    "en": [
        ("according_to", "{s}, according to {O}.", None), ("according_to", "According to {O}, {s}.", None),
        ("reported", "{s}, {O} reported.", None),
        ("citing", "{s}, local media reported, citing {O}.", None),
        ("as_reported", "{s}, as {O} first reported.", None),
        ("endline", "Material from {O} was used in this report.", None), ("endline", "Source: {O}", None),
    ],
    "de": [
        ("according_to", "{s}, berichtet {O}.", None), ("according_to", "Laut {O} {s}.", None),
        ("reported", "{s}, meldete {O}.", None),
        ("citing", "{s}, heißt es unter Berufung auf {O}.", None),
        ("endline", "Mit Material von {O}.", None), ("endline", "Quelle: {O}", None),
    ],
    "fr": [
        ("according_to", "{s}, selon {O}.", None), ("according_to", "D'après {O}, {s}.", None),
        ("reported", "{s}, rapporte {O}.", None),
        ("citing", "{s}, indique {O}.", None),
        ("endline", "Avec {O}", None),
    ],
    "es": [
        ("according_to", "{s}, según {O}.", None),
        ("reported", "{s}, informó {O}.", None), ("reported", "{s}, publicó {O}.", None), ("citing", "{s}, citando a {O}.", None),
        ("endline", "Con información de {O}.", None),
    ],
    "ru": [
        ("according_to", "{s}, сообщает {O}.", None), ("according_to", "По данным {O}, {s}.", None), ("reported", "Как сообщило {O}, {s}.", None),
        ("citing", "{s}, пишет {O}.", None),
        ("endline", "По материалам {O}.", None),
    ],
}
#: Anaphoric credits, used after an explicit credit of the same outlet: (template, kind of the
#: outlet, the anaphoric mention {A} as written).
ANAPHORA = {'en': [('{s}, {A} said.', 'agency', 'the agency'),
        ('{s}, {A} added.', 'paper', 'the newspaper'),
        ('{A} also said {s}.', 'agency', 'The agency')],
 'de': [('{s}, so {A}.', 'agency', 'die Agentur'),
        ('{s}, schreibt {A} weiter.', 'paper', 'das Blatt'),
        ('{s}, ergänzte {A}.', 'agency', 'die Agentur')],
 'fr': [('{s}, précise {A}.', 'agency', "l'agence"),
        ('{s}, ajoute {A}.', 'paper', 'le quotidien'),
        ('{s}, poursuit {A}.', 'agency', "l'agence")],
 'es': [('{s}, añadió {A}.', 'agency', 'la agencia'),
        ('{s}, agrega {A}.', 'paper', 'el diario'),
        ('{s}, precisó {A}.', 'agency', 'la agencia')],
 'ru': [('{s}, уточняет {A}.', 'agency', 'агентство'),
        ('{s}, добавляет {A}.', 'paper', 'издание'),
        ('{s}, отмечает {A}.', 'agency', 'агентство')]}
#: Headline credits: (template on the title, split).
HEADLINE_CREDIT = {"en": [("{t}: {O} report", None), ("{t} | {O}", None)],
                   "de": [("{t} | {O}", None)],
                   "fr": [("{t} | {O}", None)],
                   "es": [("{t} | {O}", None)],
                   "ru": [("{t} | {O}", None)]}
#: Quotes given to a wire's reporter: a credit in any copy, a self-reference in the wire's own text.
TOLD = {"en": [('"{Q}," {P} told {O}.', None)],
        "de": [('„{Q}“, sagte {P} gegenüber {O}.', None)],
        "fr": [('« {Q} », a déclaré {P} à {O}.', None)],
        "es": [('"{Q}", dijo {P} a {O}.', None)],
        "ru": [('«{Q}», — сказал {P} {O}.', None)]}
#: Agency sign-offs at the end of a copy (and of the agency's own text: a self-reference).
SIGNOFF = [("({O})", None), ("{O}", None)]
#: Self-references: byline, footer and "as we reported" (never credits).
BYLINE = {"en": ["By {A}, {S}", "{A} | {S}"], "de": ["Von {A}, {S}", "{A} ({S})"], "fr": ["Par {A} ({S})", "{A}, {S}"],
          "es": ["Por {A}, {S}", "{A} | {S}"], "ru": ["{A}, «{S}»", "Автор: {A} ({S})"]}
FOOTER = {"en": ["© {Y} {S}. All rights reserved.", "Follow {S} for more local news."],
          "de": ["© {Y} {S}. Alle Rechte vorbehalten.", "Mehr Nachrichten aus der Region bei {S}."],
          "fr": ["© {Y} {S}. Tous droits réservés.", "Retrouvez toute l'actualité locale sur {S}."],
          "es": ["© {Y} {S}. Todos los derechos reservados.", "Más noticias locales en {S}."],
          "ru": ["© {Y} {S}. Все права защищены.", "Больше новостей региона — на сайте «{S}»."]}
AS_WE = {"en": ["As {S} reported last week, the problem had been flagged months ago.",
                "As we reported on {D}, residents had complained for months."],
         "de": ["Wie {S} bereits berichtete, war das Problem seit Monaten bekannt.",
                "Wie wir am {D} berichteten, hatten Anwohner sich seit Monaten beschwert."],
         "fr": ["Comme {S} l'a rapporté la semaine dernière, le problème était signalé depuis des mois.",
                "Comme nous l'écrivions {D}, les riverains se plaignaient depuis des mois."],
         "es": ["Como informó {S} la semana pasada, el problema se conocía desde hacía meses.",
                "Como publicamos el {D}, los vecinos se quejaban desde hacía meses."],
         "ru": ["Как сообщало издание «{S}» на прошлой неделе, о проблеме знали давно.",
                "Как мы писали в {D}, жители жаловались месяцами."]}
#: Dateline forms: "CITY (X) - ".
DATELINE = [("{CU} ({O}) - ", None), ("{CU} ({O}) — ", None)]
#: Synonym tables per language: (word, replacement); the held-out split uses other tables.
SYNONYMS = {'en': [('said', 'stated'),
        ('officials', 'authorities'),
        ('company', 'firm'),
        ('resume', 'restart'),
        ('first', 'opening'),
        ('approved', 'endorsed'),
        ('expected', 'set'),
        ('government', 'administration'),
        ('affected', 'impacted'),
        ('sites', 'locations')],
 'de': [('sagte', 'erklärte'),
        ('bereits', 'schon'),
        ('Region', 'Gegend'),
        ('forderte', 'verlangte'),
        ('Beschäftigte', 'Angestellte'),
        ('bereitgestellt', 'zur Verfügung gestellt'),
        ('gesunken', 'zurückgegangen'),
        ('Standorte', 'Werke')],
 'fr': [('a déclaré', 'a affirmé'),
        ('environ', 'quelque'),
        ('entreprise', 'société'),
        ('reprendre', 'redémarrer'),
        ('autorités', 'pouvoirs publics'),
        ('semaine', 'semaine calendaire'),
        ('débloqué', 'mobilisé'),
        ('reculé', 'baissé')],
 'es': [('afirmó', 'aseguró'),
        ('unos', 'alrededor de'),
        ('empresa', 'compañía'),
        ('reanudarán', 'retomarán'),
        ('autoridades', 'administraciones'),
        ('semana', 'semana natural'),
        ('destinado', 'reservado'),
        ('cayó', 'bajó')],
 'ru': [('заявил', 'сообщил'),
        ('примерно', 'приблизительно'),
        ('компании', 'фирмы'),
        ('возобновиться', 'продолжиться'),
        ('властей', 'чиновников'),
        ('неделю', 'семидневку'),
        ('выделило', 'направило'),
        ('сократилась', 'снизилась')]}
#: Merge connectors per language.
CONNECT = {"en": [("; ", None), (", and ", None)],
           "de": [("; ", None), (", und ", None)],
           "fr": [("; ", None), (", et ", None)],
           "es": [("; ", None), (", y ", None)],
           "ru": [("; ", None), (", и ", None)]}


# ----------------------------------------------------------------------------- numbers
@dataclass(frozen=True)
class Num:
    """A number in a sentence, re-rendered by each outlet's house style."""
    kind: str      # money | count | pct | year
    value: float


def _group(n: int, sep: str) -> str:
    s = f"{n:,}"
    return s.replace(",", sep)


def render_num(x: Num, lang: str, style: int) -> str:
    """House styles 0 and 1; style 2 (held-out split only) is storygen2_heldout's."""
    v = x.value
    if x.kind == "year":
        return str(int(v))
    if style == 2:
        import storygen2_heldout
        return storygen2_heldout.render_num(x.kind, v, lang, _group)
    if x.kind == "pct":
        whole = f"{v:.1f}".rstrip("0").rstrip(".")
        dec = whole.replace(".", ",")
        if lang == "en":
            return [f"{whole}%", f"{whole} per cent"][style]
        if lang == "ru":
            return [f"{dec}%", f"{dec} процента"][style]
        return [f"{dec} %", f"{dec}%"][style]
    if x.kind == "count":
        n = int(v)
        if lang == "en":
            return [_group(n, ","), str(n)][style]
        sep = {"de": ".", "fr": "\u202f", "es": ".", "ru": " "}[lang]
        return [_group(n, sep) if n >= 10000 else str(n), str(n)][style]
    # money, value in millions
    md = f"{v:.1f}".rstrip("0").rstrip(".")
    if lang == "en":
        return [f"${md} million", f"${md}m"][style]
    dec = md.replace(".", ",")
    return {"de": [f"{dec} Millionen Euro", f"{dec} Mio. Euro"], "fr": [f"{dec} millions d'euros", f"{dec} M€"],
            "es": [f"{dec} millones de euros", f"{dec} M€"], "ru": [f"{dec} млн рублей", f"{dec} миллиона рублей"]}[lang][style]


# ----------------------------------------------------------------------------- sentences
@dataclass
class Mark:
    """An outlet named in a sentence: credited unless the outlet is the article's own."""
    outlet: str          # canonical name of the named outlet
    mention: str         # how the text writes it
    form: str            # according_to, reported, citing, anaphora, told, dateline, signoff, endline, headline...
    phrasing: str        # template id, to score held-out-only phrasings apart
    held: bool           # phrasing used only in the held-out split
    lang: str
    tpl: str = ""        # the template, for marks placed at render time (headline, dateline, sign-off)


Seg = str | Num | Mark


@dataclass
class Sent:
    segs: list[Seg]
    fact: str | None           # "E12.f3" for a fact of event 12, None for unique text
    role: str = "body"         # body | local | background | endline | signoff | dateline-lead
    carry: bool = True         # copied into copies


def _fill(template: str, slots: dict[str, Seg]) -> list[Seg]:
    """Split a template into segments, numbers and marks kept as objects."""
    out: list[Seg] = []
    pos = 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[pos:m.start()])
        v = slots[m.group(1)]
        out.append(v)
        pos = m.end()
    out.append(template[pos:])
    return _tidy(out)


def _tidy(segs: list[Seg]) -> list[Seg]:
    out: list[Seg] = []
    for s in segs:
        if isinstance(s, str):
            if not s:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + s
                continue
        out.append(s)
    return out


def _plain(segs: list[Seg], lang: str, style: int) -> str:
    return "".join(s if isinstance(s, str) else render_num(s, lang, style) if isinstance(s, Num) else s.mention for s in segs)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _strip_stop(segs: list[Seg]) -> list[Seg]:
    segs = list(segs)
    if segs and isinstance(segs[-1], str):
        t = segs[-1].rstrip()
        if t.endswith(".") and not t.endswith("..."):
            t = t[:-1]
        segs[-1] = t
    return _tidy(segs)


def _lower_start(segs: list[Seg], lang: str) -> list[Seg]:
    """Lower-case a sentence's first word when it is an ordinary word (articles, common words)."""
    if not segs or not isinstance(segs[0], str):
        return segs
    first = segs[0].split(" ", 1)[0]
    common = {"en": {"The", "At", "Officials", "Activity", "Negotiations", "Both", "A", "Emergency", "Opposition", "An",
                     "Regional", "No", "Some", "Nothing", "Losses"},
              "de": {"Die", "Das", "Der", "Mindestens", "In", "Am", "Eine", "Ein", "Soforthilfen", "Seit", "Rund", "Zuletzt",
                     "Politiker", "Oppositionsabgeordnete", "Nicht"},
              "fr": {"Les", "Le", "La", "L'activité", "Au", "Une", "Des", "Il", "Pas", "Quelque", "L'opposition", "L'entreprise"},
              "es": {"Las", "La", "El", "Los", "Al", "Ambas", "Está", "Hay", "No", "Unos", "Diputados"},
              "ru": {"По", "Власти", "За", "Компания", "Переговоры", "Стороны", "Новый", "Региональное", "Экстренная",
                     "Областные", "Оппозиция", "Депутаты", "Оппозиционные", "Около", "Последний", "Ничего", "Событие", "Потери",
                     "Не"}}[lang]
    if first in common and not (lang == "de"):  # German nouns keep their capital
        segs = [segs[0][:1].lower() + segs[0][1:]] + list(segs[1:])
    elif lang == "de" and first in {"Die", "Das", "Der", "Eine", "Ein", "In", "Am", "Mindestens", "Seit", "Rund", "Zuletzt", "Nicht"}:
        segs = [segs[0][:1].lower() + segs[0][1:]] + list(segs[1:])
    return segs


# ----------------------------------------------------------------------------- world
@dataclass
class Outlet:
    name: str
    lang: str
    kind: str                 # agency | paper
    short: str                # how others write it in credits
    aliases: tuple[str, ...]
    style: int                # house number style
    fmt: str                  # txt | html | md
    meta: str                 # where its outlet/date are stated: meta | markup | text | front


@dataclass
class Event:
    eid: str
    lang: str
    topic: int
    slots: dict[str, Seg]
    quotes: list[str]
    details: list[str]       # the event's own detail sentences (shared by all its reports)
    facts: set[int]          # which generic facts (beyond the lead) its reports carry


@dataclass
class Article:
    doc: str
    outlet: Outlet
    event: Event
    story: str
    time: dt.datetime
    sents: list[Sent]
    title: list[Seg]
    parent: "Article | None" = None
    origin: "Article | None" = None
    ops: list[str] = field(default_factory=list)
    dated: bool = True
    kind: str = "wire"        # wire | copy | independent | same_topic
    signoff: Mark | None = None
    dateline: Mark | None = None
    headline_mark: Mark | None = None
    background_from: list[str] = field(default_factory=list)  # stories whose sentences were pasted in


class World:
    def __init__(self, split: str, seed: int):
        self.split = split
        self.r = Random(seed)
        self.held = split == HELD
        self.half = 1 if self.held else 0
        self.outlets: dict[str, list[Outlet]] = {}
        used: set[str] = set()
        for lang in LANG_SHARE:
            lst = []
            forms = PAPER_FORMS[lang]
            for i in range(14):
                name = self._paper_name(lang, forms, used)
                lst.append(Outlet(name, lang, "paper", name, (name,), self.r.choice(self._styles()),
                                  self.r.choice(["txt", "txt", "html", "html", "md"]), ""))
            for i in range(2):
                lst.append(self._agency(lang, used))
            self.outlets[lang] = lst
        self.wires: dict[str, Outlet] = {}
        for canon, aliases in WIRES.items():
            self.wires[canon] = Outlet(canon, "", "agency", aliases[0], aliases, 0, "txt", "")

    def _styles(self) -> list[int]:
        return [0, 1, 2] if self.held else [0, 1]  # style 2: held-out only

    def _half(self, items: list) -> list:
        return items[self.half::2]

    def _place(self, used: set[str]) -> str:
        syl = self._half(PLACE_SYL)
        while True:
            p = _cap(self.r.choice(syl).lower() + self.r.choice(syl).lower())
            if p not in used:
                used.add(p)
                return p

    def _paper_name(self, lang: str, forms: list[str], used: set[str]) -> str:
        if lang == "ru":
            while True:
                name = self.r.choice(forms).format(R=self.r.choice(self._half(RU_ADJ)))
                if name not in used:
                    used.add(name)
                    return name
        p = self._place(used)
        if lang == "de" and p.endswith("e"):
            p = p[:-1]
        return self.r.choice(forms).format(P=p)

    def _agency(self, lang: str, used: set[str]) -> Outlet:
        if lang == "ru":
            p = self.r.choice(RU_PLACE)
            while any(p in u for u in used):
                p = self.r.choice(RU_PLACE)
            used.add(p)
            name, short = self.r.choice(AGENCY_FORMS[lang])
            name = name.format(P=p)
            return Outlet(name, lang, "agency", name, (name,), 0, "txt", "")
        p = self._place(used)
        name, short = self.r.choice(AGENCY_FORMS[lang])
        name, short = name.format(P=p), short.format(I=p[0].upper())
        if short in used:
            short = short + p[1].upper()
        used.add(short)
        return Outlet(name, lang, "agency", short, (name, short), 0, "txt", "")


# ----------------------------------------------------------------------------- generation
#: First words of sentences whose first clause cannot stand alone.
_OPENERS = {"По", "Как", "According", "Laut", "Nach", "Selon", "D'après", "Según", "De"}


def _ru_frame(before: list[Seg], mk: Mark) -> list[Seg]:
    """Russian names an invented outlet as «Name» after a noun in the case the phrase needs."""
    prev = before[-1] if before and isinstance(before[-1], str) else ""
    agency = mk.mention.endswith(("Пресс", "Информ"))
    if prev.endswith("беседе с "):
        noun = "агентством" if agency else "изданием"
    elif mk.form == "told":
        noun = "агентству" if agency else "изданию"
    elif prev.endswith(("данным ", "на ", "материалам ", "сообщении ", "материалы ")):
        noun = "агентства" if agency else "издания"
    else:
        noun = "агентство" if agency else "издание"
    if prev.endswith(": "):
        return ["«", mk, "»"]
    return [noun + " «", mk, "»"]


class Generator:
    def __init__(self, split: str, n: int, seed: int):
        self.split, self.n, self.seed = split, n, seed
        self.w = World(split, seed)
        self.r = self.w.r
        self.held = split == HELD
        self._tables()
        self.articles: list[Article] = []
        self.events: list[Event] = []
        self.story_n = 0
        self.doc_n = 0

    def _tables(self) -> None:
        """This split's templates: the dev ones, plus (held-out split) storygen2_heldout's,
        appended so that a phrasing's id is the same in both splits."""
        self.credit_phrases = {k: list(v) for k, v in CREDIT_PHRASES.items()}
        self.anaphora = {k: [(*x, False) for x in v] for k, v in ANAPHORA.items()}
        self.headline = {k: list(v) for k, v in HEADLINE_CREDIT.items()}
        self.told = {k: list(v) for k, v in TOLD.items()}
        self.signoff, self.dateline = list(SIGNOFF), list(DATELINE)
        self.connect = {k: list(v) for k, v in CONNECT.items()}
        self.facts = {k: [list(f) for f in v] for k, v in FACTS.items()}
        self.synonyms = SYNONYMS
        if not self.held:
            return
        import storygen2_heldout as H

        for lang in LANG_SHARE:
            self.credit_phrases[lang] += [(f, t, HELD) for f, t in H.CREDIT_PHRASES[lang]]
            self.anaphora[lang] += [(*x, True) for x in H.ANAPHORA[lang]]
            self.headline[lang] += [(t, HELD) for t in H.HEADLINE_CREDIT[lang]]
            self.told[lang] += [(t, HELD) for t in H.TOLD[lang]]
            self.connect[lang] += [(t, HELD) for t in H.CONNECT[lang]]
            for f, third in zip(self.facts[lang], H.FACTS[lang]):
                f.append(third)
        self.signoff += [(t, HELD) for t in H.SIGNOFF]
        self.dateline += [(t, HELD) for t in H.DATELINE]
        self.synonyms = H.SYNONYMS

    # -- choosing template variants by split
    def _variants(self, lst: list) -> list:
        """(item, split) lists: dev never sees HELD items."""
        return [x for x in lst if self.held or x[-1] != HELD]

    def _fact_variants(self) -> list[int]:
        return [1, 2] if self.held else [0, 1]

    def _coin(self, lang: str) -> str:
        """An invented proper name (two or three syllables of the split's half)."""
        if lang == "ru":
            syl = self.w._half(RU_SYL)
        else:
            syl = self.w._half(NAME_SYL)
        return _cap("".join(self.r.choice(syl) for _ in range(self.r.choice([2, 2, 3]))))

    def _name(self, lang: str) -> str:
        last = self.r.choice(self.w._half(LAST[lang])) if self.r.random() < 0.3 else self._coin(lang) + \
            {"en": "", "de": "er", "fr": "", "es": "ez", "ru": "ов"}[lang]
        return f"{self.r.choice(self.w._half(FIRST[lang]))} {last}"

    def _org(self, lang: str) -> str:
        if lang == "ru":
            return f"«{self._coin(lang)}{self.r.choice(ORG_SUFFIX[lang])}»"
        return f"{self._coin(lang)} {self.r.choice(ORG_SUFFIX[lang])}"

    def _city(self, lang: str) -> str:
        if self.r.random() < 0.3:
            return self.r.choice(self.w._half(CITIES[lang]))
        return self._coin(lang) + self.r.choice(CITY_END[lang])

    def new_event(self, lang: str, topic: int | None = None, city: str | None = None, org: str | None = None) -> Event:
        r = self.r
        topic = r.randrange(len(TOPICS[lang])) if topic is None else topic
        role = r.choice(ROLES[lang])
        slots: dict[str, Seg] = {
            "P": self._name(lang), "P2": self._name(lang), "R": role, "R_gen": RU_ROLE_GEN.get(role, role),
            "C": city or self._city(lang), "W": TOPICS[lang][topic], "O": org or self._org(lang),
            "O2": self._org(lang), "M": Num("money", round(r.uniform(1.2, 95), 1)), "M2": Num("money", round(r.uniform(0.5, 20), 1)),
            "N": Num("count", r.choice([r.randrange(40, 900), r.randrange(1000, 60000)])),
            "N2": Num("count", r.randrange(12, 480)), "X": Num("pct", round(r.uniform(3, 48), 1)),
            "D": r.choice(DAYS[lang]), "D2": r.choice(DAYS[lang]), "Y": Num("year", r.randrange(1958, 2019)),
        }
        quotes = r.sample(QUOTES[lang], 4)
        subj, verb, obj, adj = DETAIL[lang]
        details = []
        for _ in range(r.choice([4, 5, 6])):
            words = [r.choice(subj), r.choice(verb), r.choice(obj), r.choice(adj)]
            # what makes a detail this event's own: a street, a time of day, a count
            u = r.random()
            if u < 0.4:
                words.append(STREET[lang].format(Z=self._coin(lang)))
            elif u < 0.7:
                words.insert(3, TIME_AT[lang].format(h=r.randrange(0, 24), m=r.randrange(0, 60)))
            else:
                words.append({"en": "in", "de": "in", "fr": "à", "es": "en", "ru": "в городе"}[lang] + " " + str(slots["C"]))
            details.append(" ".join(words) + ".")
        facts = {i for i in range(1, len(FACTS[lang])) if r.random() < 0.35}
        ev = Event(f"E{len(self.events):04d}", lang, topic, slots, quotes, details, facts)
        self.events.append(ev)
        return ev

    def realise(self, ev: Event, writer: Outlet, variant_pick: list[int], quote: str, details: bool = True) -> list[Sent]:
        lang = ev.lang
        slots = dict(ev.slots)
        slots["Q"] = quote
        slots["W"] = ev.slots["W"]
        out = []
        facts = self.facts[lang]
        order = list(range(len(facts)))
        middle = order[1:]
        self.r.shuffle(middle)
        order = [0] + middle
        for fi in order:
            if fi and fi not in ev.facts:
                continue
            tpl = facts[fi][variant_pick[fi]]
            segs = _fill(tpl, slots)
            # a sentence starting with a lower-case slot ("the drought ...") gets a capital
            if segs and isinstance(segs[0], str):
                segs[0] = _cap(segs[0])
            out.append(Sent(segs, f"{ev.eid}.f{fi}"))
        # the event's own details, after the lead (the same for every report of the event)
        for k, text in enumerate(ev.details if details else ()):
            out.insert(min(len(out), 1 + 2 * k), Sent([text], f"{ev.eid}.d{k}"))
        return out

    def _doc_id(self, fmt: str) -> str:
        self.doc_n += 1
        h = self.r.getrandbits(40)
        return f"{h:010x}.{fmt}"

    def _mark(self, outlet: Outlet, lang: str, form: str, phrasing: str, held: bool) -> Mark:
        if outlet.lang == "" or outlet.kind == "agency" and outlet.name in WIRES:
            names = WIRE_NAME.get((outlet.name, lang), [outlet.short])
            mention = self.r.choice(names)
        else:
            names = [outlet.short]
            mention = outlet.short if outlet.kind == "agency" and self.r.random() < 0.6 else outlet.name
        if form in ("dateline", "signoff"):  # "KYIV (AP) -", "(AFP)": the short name
            mention = names[0]
        return Mark(outlet.name, mention, form, phrasing, held, lang)

    def run(self) -> None:
        r = self.r
        langs = list(LANG_SHARE)
        weights = [LANG_SHARE[x] for x in langs]
        while len(self.articles) < self.n:
            lang = r.choices(langs, weights)[0]
            self.make_event_family(lang)
        self.articles = self.articles[: self.n + 40]  # families are kept whole (a little over n)

    def make_event_family(self, lang: str) -> None:
        r = self.r
        ev = self.new_event(lang)
        t0 = dt.datetime(2025, 1, 6) + dt.timedelta(days=r.randrange(0, 300), hours=r.randrange(5, 20))
        # the wire: an international agency (p 0.6), a local agency or a paper
        u = r.random()
        if u < 0.6:
            writer = self.w.wires[r.choice(WIRE_LANGS[lang])]
        elif u < 0.8:
            writer = r.choice([o for o in self.w.outlets[lang] if o.kind == "agency"])
        else:
            writer = r.choice([o for o in self.w.outlets[lang] if o.kind == "paper"])
        vp = [r.choice(self._fact_variants()) for _ in self.facts[lang]]
        wire = self.write_original(ev, writer, t0, vp, ev.quotes[0], "wire")
        n_copies = min(18, int(r.expovariate(1 / 4.5)))
        members = [wire]
        for _ in range(n_copies):
            parent = wire if r.random() < 0.72 or len(members) == 1 else r.choice(members[1:])
            outlet = r.choice([o for o in self.w.outlets[lang] if o.name not in {m.outlet.name for m in members}] or
                              self.w.outlets[lang])
            members.append(self.copy(parent, wire, outlet))
        # an independent report of the same event: other templates, other quote, no shared sentence
        if r.random() < 0.3:
            other = r.choice([o for o in self.w.outlets[lang] if o.name != writer.name])
            vp2 = [self._other_variant(v) for v in vp]
            t1 = t0 + dt.timedelta(hours=r.randrange(0, 30))
            ind = self.write_original(ev, other, t1, vp2, ev.quotes[1], "independent", ev.quotes[3])
            for _ in range(int(r.expovariate(1 / 1.5))):
                outlet = r.choice([o for o in self.w.outlets[lang] if o.name != other.name])
                self.copy(ind, ind, outlet)
        # a same-topic event (same topic, city, organisation; other facts): not a rewrite
        if r.random() < 0.35:
            ev2 = self.new_event(lang, ev.topic, str(ev.slots["C"]), str(ev.slots["O"]))
            writer2 = r.choice([o for o in self.w.outlets[lang] if o.name != writer.name] + [writer])
            vp3 = [r.choice(self._fact_variants()) for _ in self.facts[lang]]
            t2 = t0 + dt.timedelta(days=r.randrange(-20, 40))
            st = self.write_original(ev2, writer2, t2, vp3, ev2.quotes[0], "same_topic")
            for _ in range(int(r.expovariate(1 / 2.0))):
                outlet = r.choice([o for o in self.w.outlets[lang] if o.name != writer2.name])
                self.copy(st, st, outlet)

    def _other_variant(self, v: int) -> int:
        a, b = self._fact_variants()
        return b if v == a else a

    def write_original(self, ev: Event, writer: Outlet, t: dt.datetime, vp: list[int], quote: str, kind: str,
                       told_quote: str | None = None) -> Article:
        r = self.r
        lang = ev.lang
        # an independent report words the event's details its own way: here it leaves them out
        sents = self.realise(ev, writer, vp, quote, details=kind != "independent")
        # a quote given to the writer itself ("told Reuters" in Reuters' own copy: self-reference)
        if r.random() < 0.45:
            tpls = self._variants(self.told[lang])
            i = r.randrange(len(tpls))
            tpl, sp = tpls[i]
            mk = self._mark(writer, lang, "told", f"told.{lang}.{self.told[lang].index(tpls[i])}", sp == HELD)
            sl = {"Q": told_quote or ev.quotes[2], "P": ev.slots["P2"], "O": mk}
            sents.insert(min(len(sents), 3), Sent(self._wrap(tpl, [], sl, lang), f"{ev.eid}.told"))
        self.story_n += 1
        title = self._headline(ev)
        a = Article(self._doc_id(writer.fmt), writer, ev, f"S{self.story_n:04d}", t, sents, title, kind=kind)
        a.origin = a
        a.dated = r.random() > 0.12
        if writer.kind == "agency":
            if r.random() < 0.55:
                variants = self._variants(self.dateline)
                i = r.randrange(len(variants))
                a.dateline = self._mark(writer, lang, "dateline", f"dateline.{self.dateline.index(variants[i])}", variants[i][1] == HELD)
                a.dateline.tpl = variants[i][0]
                a.ops.append(f"dateline.{i}")
            if r.random() < 0.5:
                variants = self._variants(self.signoff)
                i = r.randrange(len(variants))
                a.signoff = self._mark(writer, lang, "signoff", f"signoff.{self.signoff.index(variants[i])}", variants[i][1] == HELD)
                a.signoff.tpl = variants[i][0]
        self.articles.append(a)
        return a

    def _headline(self, ev: Event) -> list[Seg]:
        sl = dict(ev.slots)
        sl["Wc"] = _cap(str(ev.slots["W"]))
        return _fill(self.r.choice(HEADLINES[ev.lang]), sl)

    # -- copies
    def copy(self, parent: Article, origin: Article, outlet: Outlet) -> Article:
        r = self.r
        lang = parent.event.lang
        sents = [Sent(list(s.segs), s.fact, s.role) for s in parent.sents if s.carry and s.role in ("body", "credit")]
        ops = []
        # digest: about a third of the report (lead always kept)
        if r.random() < 0.3 and len(sents) > 4:
            k = max(2, round(len(sents) / 3))
            keep = [0] + sorted(r.sample(range(1, len(sents)), k - 1))
            sents = [sents[i] for i in keep]
            ops.append("digest")
        # synonym table
        if r.random() < 0.5:
            table = self.synonyms[lang]
            frac = r.uniform(0.4, 0.9)
            for s in sents:
                s.segs = [self._syn(x, table, frac) if isinstance(x, str) else x for x in s.segs]
            ops.append("synonyms")
        # merge two adjacent sentences
        if r.random() < 0.35 and len(sents) > 3:
            i = r.randrange(1, len(sents) - 1)
            a, b = sents[i], sents[i + 1]
            if not any(isinstance(x, Mark) for x in a.segs + b.segs):
                conn = r.choice(self._variants(self.connect[lang]))[0]
                merged = _strip_stop(a.segs) + [conn] + _lower_start(b.segs, lang)
                sents[i:i + 2] = [Sent(_tidy(merged), a.fact + "+" + b.fact if a.fact and b.fact else a.fact)]
                ops.append("merge")
        # split a sentence at a comma
        if r.random() < 0.35:
            for i, s in enumerate(sents):
                if any(isinstance(x, Mark) for x in s.segs) or not isinstance(s.segs[0], str):
                    continue
                text = s.segs[0]
                if text.split(" ", 1)[0] in _OPENERS:  # "According to X, ..." does not split into two sentences
                    continue
                m = re.search(r", (?=\w)", text)
                if m and len(text[:m.start()].split()) >= 4 and len(s.segs) > 1:
                    first = [text[:m.start()] + "."]
                    rest = [_cap(text[m.end():])] + s.segs[1:]
                    sents[i:i + 1] = [Sent(first, s.fact), Sent(_tidy(rest), s.fact)]
                    ops.append("split")
                    break
        # block move (not the lead)
        if r.random() < 0.25 and len(sents) > 4:
            i = r.randrange(1, len(sents) - 2)
            block = sents[i:i + 2]
            del sents[i:i + 2]
            j = r.randrange(1, len(sents) + 1)
            sents[j:j] = block
            ops.append("move")
        # background pasted from an unrelated report of the same language
        bg_from: list[str] = []
        if r.random() < 0.3:
            pool = [x for x in self.articles if x.event.lang == lang and x.event.eid != parent.event.eid
                    and x.event.topic != parent.event.topic and x.kind != "copy"]
            if pool:
                src = r.choice(pool)
                body = [s for s in src.sents if s.role == "body" and not any(isinstance(x, Mark) for x in s.segs)]
                if body:
                    k = r.choice([1, 2])
                    start = r.randrange(max(1, len(body) - k + 1))
                    bg = [Sent(list(s.segs), None, "background") for s in body[start:start + k]]
                    bg_from.append(src.story)
                    at = r.randrange(2, len(sents) + 1) if len(sents) > 2 else len(sents)
                    sents[at:at] = bg
                    ops.append("background")
        # the outlet's own lines
        if r.random() < 0.4:
            sl = dict(parent.event.slots)
            sl["S"] = outlet.name
            tpl = r.choice(LOCAL[lang])
            mk = Mark(outlet.name, outlet.name, "self_told", "local", False, lang)
            sl["S"] = mk
            sents.insert(r.randrange(1, len(sents) + 1), Sent(_fill(tpl, sl), None, "local", carry=False))
            ops.append("local")
        if r.random() < 0.15:
            sl = dict(parent.event.slots)
            sl["S"] = Mark(outlet.name, outlet.name, "as_we_reported", "aswe", False, lang)
            sents.insert(r.randrange(1, len(sents) + 1), Sent(_fill(r.choice(AS_WE[lang]), sl), None, "local", carry=False))
        a = Article(self._doc_id(outlet.fmt), outlet, parent.event, parent.story,
                    parent.time + dt.timedelta(hours=r.choice([r.uniform(0.3, 8), r.expovariate(1 / 30)])),
                    sents, list(parent.title), parent=parent, origin=origin, ops=ops, kind="copy", background_from=bg_from)
        a.dated = r.random() > 0.15
        # credits of the parent (and at times of the origin too)
        if r.random() > 0.1:
            self.add_credits(a, parent.outlet)
            if parent is not origin and r.random() < 0.5:
                self.add_credits(a, origin.outlet, few=True)
        else:
            ops.append("no_credit")
        # the wire's own dateline and sign-off travel with a copy (now credits of the wire)
        if parent.dateline is not None and r.random() < 0.6:
            a.dateline = parent.dateline
        if parent.signoff is not None and r.random() < 0.5:
            a.signoff = parent.signoff
        if parent.headline_mark is not None and r.random() < 0.5:
            a.headline_mark = parent.headline_mark
        self.articles.append(a)
        return a

    def _syn(self, text: str, table: list[tuple[str, str]], frac: float) -> str:
        for w, rep in table:
            if self.r.random() < frac:
                text = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", rep, text)
        return text

    def add_credits(self, a: Article, src: Outlet, few: bool = False) -> None:
        r = self.r
        lang = a.event.lang
        n = 1 if few else r.choice([1, 1, 2, 2, 3])
        body = [i for i, s in enumerate(a.sents) if s.role == "body" and not any(isinstance(x, Mark) for x in s.segs)]
        explicit_at = None
        for _ in range(n):
            u = r.random()
            if u < 0.12 and a.headline_mark is None:
                variants = self._variants(self.headline[lang])
                i = r.randrange(len(variants))
                mk = self._mark(src, lang, "headline", f"headline.{lang}.{self.headline[lang].index(variants[i])}",
                                variants[i][1] == HELD)
                mk.tpl = variants[i][0]
                a.headline_mark = mk
                a.ops.append("credit:headline")
                continue
            variants = self._variants(self.credit_phrases[lang])
            i = r.randrange(len(variants))
            form, tpl, sp = variants[i]
            mk = self._mark(src, lang, form, f"{form}.{lang}.{self.credit_phrases[lang].index(variants[i])}", sp == HELD)
            if form == "endline":
                if any(s.role == "endline" for s in a.sents):
                    continue
                a.sents.append(Sent(self._wrap(tpl, [], {"O": mk}, lang), None, "endline", carry=False))
                a.ops.append("credit:endline")
                continue
            if not body:
                continue
            j = body.pop(r.randrange(len(body)))
            own = Mark(a.outlet.name, a.outlet.name, "self_name", "self", False, lang)
            a.sents[j] = Sent(self._wrap(tpl, a.sents[j].segs, {"O": mk, "S": own}, lang), a.sents[j].fact, "credit")
            a.ops.append(f"credit:{form}")
            explicit_at = j if explicit_at is None else min(explicit_at, j)
        # an anaphoric credit after the explicit one
        if explicit_at is not None and r.random() < 0.45:
            later = [i for i in body if i > explicit_at]
            kind = "agency" if src.kind == "agency" else "paper"
            options = [(k, t, m, held) for k, (t, kk, m, held) in enumerate(self.anaphora[lang]) if kk == kind]
            if later and options:
                k, tpl, ana, held = r.choice(options)
                j = r.choice(later)
                mk = Mark(src.name, ana, "anaphora", f"anaphora.{lang}.{k}", held, lang)
                a.sents[j] = Sent(self._wrap(tpl, a.sents[j].segs, {"A": mk}, lang), a.sents[j].fact, "credit")
                a.ops.append("credit:anaphora")

    @staticmethod
    def _wrap(tpl: str, segs: list[Seg], slots: dict[str, Seg], lang: str) -> list[Seg]:
        """A credit phrase around a sentence: {s} in ``tpl`` is the sentence without its stop."""
        core = _strip_stop(segs)
        if not tpl.startswith("{s}"):
            core = _lower_start(core, lang)
        out: list[Seg] = []
        for x in _fill(tpl, {**slots, "s": "\x00"}):
            if isinstance(x, str) and "\x00" in x:
                pre, post = x.split("\x00", 1)
                out += [pre, *core, post]
            elif isinstance(x, Mark) and lang == "ru" and x.outlet not in WIRES and x.form != "anaphora":
                out += _ru_frame(out, x)
            else:
                out.append(x)
        out = _tidy(out)
        if out and isinstance(out[0], str):
            out[0] = _cap(out[0])
        return out


# ----------------------------------------------------------------------------- rendering
def _date_words(d: dt.date, lang: str) -> str:
    m = MONTHS[lang][d.month - 1]
    return {"en": f"{m} {d.day}, {d.year}", "de": f"{d.day}. {m} {d.year}", "fr": f"{d.day} {m} {d.year}",
            "es": f"{d.day} de {m} de {d.year}", "ru": f"{d.day} {m} {d.year}"}[lang]


_CONTRACTIONS = {"es": [(r"\bde el\b", "del"), (r"\ba el\b", "al")],
                 "fr": [(r"\bà le\b", "au"), (r"\bde le\b", "du"), (r"\bà les\b", "aux"), (r"\bde les\b", "des"),
                        (r"\bde ([aeiouhéAEIOUÉ])", r"d'\1"), (r"\ble ([aeiouéAEIOUÉ])", r"l'\1")]}


def _contract(text: str, lang: str) -> str:
    """Spanish/French contractions a slot filled in makes necessary (de el -> del, à le -> au)."""
    for pat, rep in _CONTRACTIONS.get(lang, ()):
        text = re.sub(pat, rep, text)
    return text


class _Page:
    """Paragraphs of an article with the marks found in each, then offsets in the final text."""

    def __init__(self, lang: str, style: int, own: str):
        self.lang, self.style, self.own = lang, style, own
        self.paras: list[tuple[str, str, list[tuple[int, Mark]]]] = []  # (role, text, [(offset, mark)])

    def add(self, role: str, segs: list[Seg]) -> None:
        text, marks = "", []
        for x in segs:
            if isinstance(x, Mark):
                marks.append((len(text), x))
                text += x.mention
            elif isinstance(x, Num):
                text += render_num(x, self.lang, self.style)
            else:
                text += _contract(x, self.lang)
        self.paras.append((role, text, marks))

    def extend_last(self, segs: list[Seg]) -> None:
        role, text, marks = self.paras[-1]
        self.paras.pop()
        self.add(role, [text] + segs)
        r2, t2, m2 = self.paras.pop()
        self.paras.append((role, t2, marks + m2))


def render(a: Article, r: Random) -> tuple[str, dict, list[dict], list[dict], list[dict]]:
    """(file content, metadata.toml entry or {}, credits, self-references, dontcare) of an article."""
    lang, o = a.event.lang, a.outlet
    style = o.style
    page = _Page(lang, style, o.name)
    title = list(a.title)
    if a.headline_mark is not None:
        title = _fill(a.headline_mark.tpl, {"t": "\x00", "O": a.headline_mark})
        title = [y for x in title for y in ([*a.title] if x == "\x00" else
                 [x.split("\x00")[0], *a.title, x.split("\x00")[1]] if isinstance(x, str) and "\x00" in x else [x])]
        title = _tidy(title)
    page.add("title", title)
    date = a.time.date() if a.dated else None
    # where the outlet and the date are stated
    where = o.meta or ("meta" if o.fmt == "txt" and (o.name in WIRES or r.random() < 0.6) else
                       "text" if o.fmt == "txt" else "markup" if o.fmt == "html" else "front")
    if where == "text":
        if date is not None:
            page.add("dateline", [_date_words(date, lang)])
        page.add("byline", _fill(r.choice(BYLINE[lang]), {"A": f"{r.choice(FIRST[lang])} {r.choice(LAST[lang])}",
                                                          "S": Mark(o.name, o.name, "byline", "byline", False, lang)}))
    elif o.kind == "paper" and r.random() < 0.4:
        page.add("byline", _fill(r.choice(BYLINE[lang]), {"A": f"{r.choice(FIRST[lang])} {r.choice(LAST[lang])}",
                                                          "S": Mark(o.name, o.name, "byline", "byline", False, lang)}))
    body = [s for s in a.sents if s.role != "endline"]
    ends = [s for s in a.sents if s.role == "endline"]
    first = True
    i = 0
    while i < len(body):
        k = 1 if first or r.random() < 0.5 else 2
        segs: list[Seg] = []
        for s in body[i:i + k]:
            if segs:
                segs.append(" ")
            segs.extend(s.segs)
        if first and a.dateline is not None:
            city = str(a.event.slots["C"]).upper()
            dd = _date_words(a.time.date(), lang) if a.dated else ""
            pre = _fill(a.dateline.tpl, {"CU": city, "dd": dd, "O": a.dateline})
            if "{dd}" in a.dateline.tpl and not a.dated:
                pre = _fill("{CU} ({O}) - ", {"CU": city, "O": a.dateline})
            segs = pre + segs
        page.add("body", _tidy(segs))
        first = False
        i += k
    if a.signoff is not None:
        tpl = a.signoff.tpl
        if tpl == "{O}":
            page.add("signoff", [a.signoff])
        else:
            page.extend_last([" "] + _fill(tpl, {"O": a.signoff, "k": "".join(r.choice("bcdfghklmnprstvz") for _ in range(3))}))
    for s in ends:
        page.add("endline", s.segs)
    if o.kind == "paper" and r.random() < 0.5:
        page.add("footer", _fill(r.choice(FOOTER[lang]), {"Y": str(a.time.year), "S": Mark(o.name, o.name, "footer", "footer",
                                                                                                 False, lang)}))
    # the text as written, and each mark's place in it
    meta: dict = {}
    if o.fmt == "html":
        content, offsets = _html(page, a, date, where)
    else:
        content, offsets = _text(page, a, date, where)
        if where == "meta":
            meta = {"outlet": o.name}
            if date is not None:
                meta["date"] = date.isoformat()
    credits, selfs, dontcare = [], [], []
    seen_explicit: set[str] = set()
    for (pi, start, mk) in offsets:
        role, ptext, _ = page.paras[pi]
        rec = {"outlet": mk.outlet, "mention": mk.mention, "form": mk.form, "phrasing": mk.phrasing, "held_out_phrasing": mk.held,
               "lang": lang, "context": ptext, "at": _para_offset(page, pi, mk, start, offsets), "start": start,
               "end": start + len(mk.mention), "role": role}
        if mk.outlet == o.name:
            selfs.append(rec)
        elif mk.form == "anaphora" and mk.outlet not in seen_explicit:
            rec["why"] = "anaphora whose antecedent was cut from this copy"
            dontcare.append(rec)
        else:
            rec["aliases"] = list(_aliases(mk.outlet))
            credits.append(rec)
            if mk.form != "anaphora":
                seen_explicit.add(mk.outlet)
    return content, meta, credits, selfs, dontcare


def _para_offset(page: _Page, pi: int, mk: Mark, start: int, offsets) -> int:
    for off, m in page.paras[pi][2]:
        if m is mk:
            return off
    raise AssertionError("mark not in its paragraph")


def _aliases(outlet: str) -> tuple[str, ...]:
    return WIRES.get(outlet) or _ALIASES.get(outlet, (outlet,))


_ALIASES: dict[str, tuple[str, ...]] = {}


def _text(page: _Page, a: Article, date, where: str) -> tuple[str, list]:
    parts, offsets = [], []
    pos = 0
    if a.outlet.fmt == "md":
        fm = ["---", f'title: "{page.paras[0][1]}"']
        if where == "front":
            fm.append(f'publisher: "{a.outlet.name}"')
            if date is not None:
                fm.append(f"date: {date.isoformat()}")
        fm.append("---")
        head = "\n".join(fm) + "\n\n"
        parts.append(head)
        pos = len(head)
    for pi, (role, text, marks) in enumerate(page.paras):
        if a.outlet.fmt == "md" and role == "title":
            text_out, shift = "# " + text, 2
        else:
            text_out, shift = text, 0
        for off, mk in marks:
            offsets.append((pi, pos + shift + off, mk))
        sep = "\n" if role in ("title", "dateline") else "\n\n"
        parts.append(text_out + sep)
        pos += len(text_out) + len(sep)
    return "".join(parts), offsets


def _html(page: _Page, a: Article, date, where: str) -> tuple[str, list]:
    """A saved web page: title, og:site_name and article:published_time, nav, article, footer.
    Mark offsets are into the page's visible text (paragraphs joined by blank lines)."""
    o = a.outlet
    esc = html.escape
    head = [f'<!DOCTYPE html>\n<html lang="{a.event.lang}">\n<head>\n<meta charset="utf-8">',
            f"<title>{esc(page.paras[0][1])} | {esc(o.name)}</title>",
            f'<meta property="og:site_name" content="{esc(o.name)}">',
            f'<meta property="og:title" content="{esc(page.paras[0][1])}">']
    if date is not None:
        head.append(f'<meta property="article:published_time" content="{a.time.strftime("%Y-%m-%dT%H:%M:%S")}+00:00">')
    head.append("</head>\n<body>")
    nav = '<header><nav><a href="/">Home</a> <a href="/region">Region</a> <a href="/economy">Economy</a></nav></header>'
    body, offsets, pos = [], [], 0
    for pi, (role, text, marks) in enumerate(page.paras):
        for off, mk in marks:
            offsets.append((pi, pos + off, mk))
        pos += len(text) + 2
        if role == "title":
            body.append(f"<h1>{esc(text)}</h1>")
        elif role == "byline":
            body.append(f'<p class="byline">{esc(text)}</p>')
        elif role == "footer":
            continue
        else:
            body.append(f"<p>{esc(text)}</p>")
    foot = [p[1] for p in page.paras if p[0] == "footer"]
    tail = f"<footer><p>{esc(foot[0])}</p></footer>" if foot else "<footer><p><a href='/privacy'>Privacy</a></p></footer>"
    doc = "\n".join(head + [nav, "<main><article>"] + body + ["</article></main>", tail, "</body>\n</html>\n"])
    return doc, offsets


# ----------------------------------------------------------------------------- truth
def build(split: str, n: int | None = None, seed: int | None = None) -> tuple[dict[str, str], dict, dict]:
    """(files: relative path -> content, metadata entries, truth) of one split."""
    conf = SPLITS[split]
    n = conf["n"] if n is None else n
    seed = conf["seed"] if seed is None else seed
    g = Generator(split, n, seed)
    g.run()
    for lst in g.w.outlets.values():
        for o in lst:
            _ALIASES[o.name] = o.aliases
    rr = Random(seed * 7 + 1)
    files, metas, arts = {}, {}, {}
    for a in g.articles:
        content, meta, credits, selfs, dontcare = render(a, rr)
        files[a.doc] = content
        if meta:
            metas[a.doc] = meta
        arts[a.doc] = {
            "file": a.doc, "format": a.outlet.fmt, "lang": a.event.lang, "outlet": a.outlet.name, "outlet_kind": a.outlet.kind,
            "date": a.time.date().isoformat() if a.dated else None, "time": a.time.isoformat(timespec="minutes"),
            "story": a.story, "event": a.event.eid, "topic": f"{a.event.lang}.{a.event.topic}", "kind": a.kind,
            "parent": a.parent.doc if a.parent else None, "origin": a.origin.doc if a.origin else a.doc, "ops": a.ops,
            "background_from": a.background_from,
            "credits": credits, "self_references": selfs, "dontcare": dontcare,
            "facts": sorted({f for s in a.sents if s.fact for f in s.fact.split("+")}),
        }
    stories: dict[str, dict] = {}
    for d, t in arts.items():
        stories.setdefault(t["story"], {"members": [], "event": t["event"]})["members"].append(d)
    for sid, st in stories.items():
        st["earliest"] = _earliest(st["members"], arts)
        st["origin"] = next(d for d in st["members"] if arts[d]["parent"] is None)
    truth = {"version": VERSION, "split": split, "seed": seed, "n": len(arts), "articles": arts, "stories": stories,
             "about": "Truth of a storygen2 corpus: see benchmarks/STORIES-EVAL.md. credits[].start/end are offsets into the "
                      "file for .txt/.md, into the visible text (paragraphs joined by blank lines) for .html; `context` is the "
                      "paragraph holding the mention and `at` its offset there (what a scorer uses to find it in any extraction)."}
    return files, metas, truth


def _earliest(members: list[str], arts: dict) -> list[str]:
    """The acceptable earliest members: on the earliest known day, those that credit no other
    member on that day (the text decides a same-day tie); [] when no member is dated."""
    dated = [d for d in members if arts[d]["date"]]
    if not dated:
        return []
    day = min(arts[d]["date"] for d in dated)
    same = [d for d in dated if arts[d]["date"] == day]
    outlets = {arts[d]["outlet"] for d in same}
    ok = [d for d in same if not ({c["outlet"] for c in arts[d]["credits"]} & (outlets - {arts[d]["outlet"]}))]
    return sorted(ok or same)


def write(out: Path, split: str, n: int | None = None, seed: int | None = None) -> dict:
    files, metas, truth = build(split, n, seed)
    corpus = out / "corpus"
    if corpus.exists() and any(corpus.iterdir()):
        if not _ours(out):
            raise SystemExit(f"storygen2: {corpus} holds files this generator did not write; choose an empty folder")
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (corpus / name).write_text(content, encoding="utf-8")
    lines = [f"# storygen2 {truth['split']} seed {truth['seed']}: what a desk's spreadsheet knows about these files"]
    for name, m in sorted(metas.items()):
        lines.append(f'["{name}"]')
        lines.append(f'outlet = {json.dumps(m["outlet"], ensure_ascii=False)}')
        if "date" in m:
            lines.append(f'date = {m["date"]}')
    (corpus / "metadata.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


def _ours(out: Path) -> bool:
    try:
        return str(json.loads((out / "truth.json").read_text(encoding="utf-8")).get("version", "")).startswith("storygen2/")
    except (OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--split", choices=sorted(SPLITS), default="dev")
    ap.add_argument("--n", type=int, help="articles (default: the split's)")
    ap.add_argument("--seed", type=int, help="seed (default: the split's documented seed)")
    args = ap.parse_args(argv)
    truth = write(args.out, args.split, args.n, args.seed)
    print(f"{truth['n']} articles, {len(truth['stories'])} stories -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
