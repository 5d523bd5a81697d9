"""Sealed material of storygen4 (issue 21): prose sources, names and phrasings the dev split never produces.

THE METHOD'S DEVELOPERS MUST NOT OPEN THIS FILE, nor run `storygen4.py --split heldout`, nor
`stories_eval.py --set storygen4-heldout`, before the lead's final run (benchmarks/STORIES-EVAL.md).

Every name list here replaces the dev one (no town, person, institution, outlet, team or
region is shared with dev); the English reports are written from other test collections;
real agencies the dev split never uses are added; the phrasings are added to the dev ones, and
every credit made with one of them is flagged `held_out_phrasing` in the truth.
"""
from __future__ import annotations

#: the test collections whose abstracts become the English reports (dev: cranfield, cacm)
SOURCES = ["cisi", "medline"]

#: real agencies only this split uses: canonical name -> {lang: mentions}
WIRES = {
    "The Canadian Press": {"en": ["The Canadian Press", "CP"], "de": ["CP"], "fr": ["La Presse Canadienne"], "es": ["CP"], "ru": ["CP"]},
    "Keystone-SDA": {"en": ["Keystone-SDA"], "de": ["Keystone-SDA", "SDA"], "fr": ["ATS"], "es": ["SDA"], "ru": ["SDA"]},
    "Agence télégraphique suisse": {"en": ["ATS"], "de": ["ATS"], "fr": ["ATS", "l'ATS"], "es": ["ATS"], "ru": ["ATS"]},
    "Colpisa": {"en": ["Colpisa"], "de": ["Colpisa"], "fr": ["Colpisa"], "es": ["Colpisa"], "ru": ["Colpisa"]},
    "PRIME": {"en": ["PRIME"], "de": ["PRIME"], "fr": ["PRIME"], "es": ["PRIME"], "ru": ["ПРАЙМ", "агентство ПРАЙМ"]},
}
WIRE_LANGS = {"en": ["The Canadian Press"], "de": ["Keystone-SDA"], "fr": ["Agence télégraphique suisse"], "es": ["Colpisa"],
              "ru": ["PRIME"]}
RU_INST_GEN = {"краевое правительство": "краевого правительства", "муниципальное собрание": "муниципального собрания",
               "управление дорожного хозяйства": "управления дорожного хозяйства",
               "министерство здравоохранения": "министерства здравоохранения",
               "районное управление образования": "районного управления образования", "агентство по туризму": "агентства по туризму"}

NAMES = {
    "towns": {"en": ["Kelderby", "Amblecote", "Winsham Quay", "Harrowmere", "Stavely Bridge", "Pollenby", "Grisedale", "Marchbank",
                     "Ottery Vale", "Saltcoats End"],
              "de": ["Blaubeuren-Nord", "Fichtenwalde", "Hainichenau", "Moorbrück", "Sonnenried", "Tannhausen", "Ulmenhof", "Zellerfeld"],
              "fr": ["Aigrefeuille", "Bellecombe", "Chanteloup-les-Prés", "Douvrières", "Estagel-sur-Aude", "Fontjoncouse", "Gréoux-le-Bas",
                     "Hautpoul"],
              "es": ["Albarracín del Monte", "Benamocarra", "Cervera del Llano", "Dosbarrios", "Espejón", "Fuentelapeña", "Garcirrey",
                     "Hontanares"],
              "ru": ["Белокаменск", "Верхнеречье", "Дубравинск", "Желтогорье", "Зареченск", "Ивняки", "Кедровый Лог", "Ломовск"]},
    "first": {"en": ["Cressida", "Barnaby", "Winifred", "Horatio", "Ottoline", "Percival", "Rosamund", "Ignatius", "Clementine", "Jasper"],
              "de": ["Roswitha", "Hartmut", "Gudrun", "Volkmar", "Irmgard", "Reinhold", "Sieglinde", "Detmar"],
              "fr": ["Bernadette", "Honoré", "Mireille", "Fulbert", "Ondine", "Gaspard", "Perrine", "Aristide"],
              "es": ["Visitación", "Anselmo", "Encarnación", "Casimiro", "Herminia", "Florencio", "Purificación", "Evaristo"],
              "ru": ["Митрофан", "Святослав", "Игнат", "Прохор", "Родион", "Захар", "Фома", "Демьян"]},
    "last": {"en": ["Brackenbury", "Coldwell", "Enderby", "Fothergill", "Gatcombe", "Hollingsworth", "Inchbald", "Jessop", "Kettering",
                    "Loxley"],
             "de": ["Achterberg", "Bredemeier", "Dörrmann", "Eschenbach", "Fleischhauer", "Gottschalk", "Hülsmann", "Jankowiak"],
             "fr": ["Abadie", "Bouchardeau", "Castagnède", "Delpech", "Escudier", "Fabrègue", "Gaillac", "Hérail"],
             "es": ["Altamirano", "Berrocal", "Cisneros", "Doncel", "Escribano", "Fajardo", "Garrido", "Hinojosa"],
             "ru": ["Аксёнов", "Бурмистров", "Воронцов", "Глазунов", "Доронин", "Ершаков", "Жаворонков", "Зимин"]},
    "institutions": {"en": ["the Wetherby School of Medicine", "Lanark University", "the Holbrook Clinic", "the Stour Valley Institute",
                            "Ingleby College", "the Carrick Research Trust", "the Fenwick Library Service", "Ormskirk University"],
                     "de": ["das Gesundheitsamt", "der Zweckverband", "das Landratsamt", "die Bezirksregierung", "das Verkehrsministerium",
                            "die Landesanstalt für Umwelt"],
                     "fr": ["le conseil régional", "la communauté de communes", "le rectorat", "la direction des routes",
                            "l'office de l'habitat", "le parc naturel régional"],
                     "es": ["el cabildo insular", "la mancomunidad", "la consejería de Educación", "la dirección general de Carreteras",
                            "la empresa municipal de vivienda", "el patronato de turismo"],
                     "ru": ["краевое правительство", "муниципальное собрание", "управление дорожного хозяйства", "министерство здравоохранения",
                            "районное управление образования", "агентство по туризму"]},
    "funders": {"en": ["the Halloran Endowment", "the Medical Inquiry Board", "the Pryce Charitable Trust", "the Northern Science Fund"]},
    "journals": {"en": ["the Bulletin of Clinical Observation", "Studies in Information Practice", "the Quarterly of Library Science",
                        "Proceedings in Applied Medicine"]},
    "papers": {"en": ["The {T} Sentinel-Echo", "{T} Evening Telegraph", "The {T} Packet", "{T} Weekly Advertiser", "The {T} Recorder"],
               "de": ["{T}er Volksblatt", "Allgemeine Zeitung {T}", "{T}er Bote", "Westfälischer Anzeiger {T}"],
               "fr": ["Le Réveil de {T}", "L'Indépendant de {T}", "{T} Matin Dimanche", "La Montagne de {T}"],
               "es": ["El Norte de {T}", "Heraldo {T}", "La Opinión de {T}", "Ideal de {T}"],
               "ru": ["Известия {T}", "{T}ский рабочий", "Вечерний {T}", "{T}-Новь"]},
    "agencies": {"en": ["{T} Newsdesk"], "de": ["Pressebüro {T}"], "fr": ["{T} Dépêches"], "es": ["Agencia Informativa {T}"],
                 "ru": ["{T}-Медиа"]},
    "sites": {"en": ["{T} Today"], "de": ["{T} kurz & knapp"], "fr": ["{T} Minute"], "es": ["{T} Exprés"], "ru": ["{T} за минуту"]},
    "bylines": {"en": ["{A} ({S})", "Story by {A}, {S} correspondent"], "de": ["{A} ({S})"], "fr": ["{A} / {S}"], "es": ["{A} / {S}"],
                "ru": ["Автор: {A} / {S}"]},
    "footers": {"en": ["{S} © {Y}. Reproduction without permission prohibited.", "Questions about this story? Contact {S}."],
                "de": ["Alle Inhalte © {S}, {Y}"], "fr": ["Tous droits de reproduction réservés — {S} {Y}"],
                "es": ["{S} © {Y}. Queda prohibida la reproducción."], "ru": ["{S} © {Y}. При цитировании ссылка обязательна."]},
    "newsletter": {"en": "Get {S} headlines in your inbox every morning.", "de": "Täglich informiert: der Newsletter von {S}.",
                   "fr": "Recevez chaque matin la lettre d'information de {S}.", "es": "Reciba cada mañana el boletín de {S}.",
                   "ru": "Читайте {S} в мессенджерах."},
    "units": {"en": ["volunteers", "libraries", "clinics", "case files", "questionnaires", "wards", "hospitals", "cohorts"]},
    "regions": {"en": ["the Borders", "East Anglia", "the Western Isles"], "de": ["der Rhön", "Ostfriesland", "der Oberlausitz"],
                "fr": ["le Cotentin", "la Gascogne", "les Cévennes"], "es": ["la Alcarria", "el Bierzo", "la Axarquía"],
                "ru": ["Забайкалье", "Ставрополье", "Поморье"]},
    "teams": {"en": ["Kelderby Albion", "Amblecote Harriers", "Pollenby Rangers", "Grisedale Celtic", "Marchbank Thistle", "Stavely Town"],
              "de": ["FSV Moorbrück", "SpVgg Tannhausen", "Eintracht Ulmenhof", "TSV Zellerfeld", "Germania Fichtenwalde", "BSC Sonnenried"],
              "fr": ["SC Bellecombe", "AS Douvrières", "FC Hautpoul", "US Aigrefeuille", "Entente Estagel", "JS Gréoux"],
              "es": ["CD Benamocarra", "Espejón CF", "UD Dosbarrios", "Racing Garcirrey", "SD Hontanares", "Cervera Balompié"],
              "ru": ["Белокаменск", "Дубравинск", "Зареченск", "Ломовск", "Ивняки", "Желтогорье"]},
}

#: phrasings added to the dev ones (flagged held_out_phrasing)
PHRASINGS = {
    "credits": {
        "en": [("according_to", "{s}, {O} has reported."), ("reported", "{s}, the agency {O} said in its dispatch."),
               ("reported", "Citing its own sources, {O} said {s_l}.")],
        "de": [("reported", "{s}. Darüber hatte zuvor {O} berichtet."), ("according_to", "{s}, wie aus einem Bericht von {O} hervorgeht.")],
        "fr": [("reported", "{s}, rapportait {O} {D}."), ("according_to", "{s}, d'après une dépêche de {O}.")],
        "es": [("reported", "{s}, según publicó {O}."), ("according_to", "{s}, difundió {O}.")],
        "ru": [("reported", "{s}, сообщил {O}."), ("according_to", "{s}, пишут журналисты {Kg} {O}.")],
    },
    "endline": {"en": ["Parts of this report were provided by {O}."], "de": ["Recherche: {O}"], "fr": ["Avec la contribution de {O}."],
                "es": ["Redacción con información de {O}."], "ru": ["Использованы материалы: {O}."]},
    "headline": {"en": ["{t} – {O}"], "de": ["{t} (Quelle: {O})"], "fr": ["{t} [{O}]"], "es": ["{t} - {O}"], "ru": ["{t} | {O}"]},
    "told": {"en": ['"{Q}," {P} told reporters from {O}.'], "de": ["„{Q}“, betonte {P} gegenüber Reportern von {O}."],
             "fr": ["« {Q} », a assuré {P} au micro de {O}."], "es": ['"{Q}", declaró {P} a {O}.'], "ru": ["«{Q}», — сообщил {P} {Kd} {O}."]},
    "anaphora": {"en": ["{s}, the dispatch continued."], "de": ["{s}, so der Nachrichtendienst."], "fr": ["{s}, ajoute le média."],
                 "es": ["{s}, añade el medio."], "ru": ["{s}, отмечает портал."]},
    "anaphor_words": ["the dispatch", "der Nachrichtendienst", "le média", "el medio", "портал"],
    "recap": {"en": ["Earlier this week, {O} reported that {s_l}."], "de": ["{s}, hatte {O} zuvor gemeldet."],
              "fr": ["{s}, indiquait {O} {D}."], "es": ["{s}, había adelantado {O}."], "ru": ["{s}, писало ранее {O}."]},
    "roundup": {"en": [" — {O}"], "de": [" — {O}"], "fr": [" — {O}"], "es": [" — {O}"], "ru": [" — {O}"]},
}
