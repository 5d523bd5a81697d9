"""Held-out material of storygen2 (issue 21): phrasings, templates, edit variants and synonym
tables that only `storygen2.py --split heldout` uses.

DO NOT READ THIS FILE if you develop or tune searchkit's stories method: it is the part of the
evaluation that must stay unseen until the final held-out run (benchmarks/STORIES-EVAL.md).
"""

#: (form, template) credit phrasings, appended after the dev ones.
CREDIT_PHRASES = {'en': [('reported', '{O} reported that {s}.'),
        ('citing', '{s}, {S} learned from {O}.'),
        ('as_reported', '{s}, {O} has learned.'),
        ('endline', 'With reporting by {O}.'),
        ('endline', 'This story is based on a dispatch by {O}.')],
 'de': [('reported', 'Wie {O} meldet, {s}.'), ('citing', '{s}, schreibt {O}.'), ('endline', 'Nach Angaben von {O}.')],
 'fr': [('reported', '{s}, a annoncé {O}.'), ('citing', '{s}, croit savoir {O}.'), ('endline', 'Source : {O}')],
 'es': [('according_to', 'De acuerdo con {O}, {s}.'), ('citing', '{s}, recoge {O}.'), ('endline', 'Fuente: {O}')],
 'ru': [('reported', '{s}, передает {O}.'), ('citing', '{s}, со ссылкой на {O}.'), ('endline', 'Источник: {O}')]}

#: (template, outlet kind, anaphoric mention).
ANAPHORA = {'en': [('{s}, {A} noted.', 'paper', 'the paper'),
        ('{s}, {A} added.', 'agency', 'the wire service'),
        ('{s}, {A} wrote.', 'paper', 'the daily')],
 'de': [('{s}, so {A}.', 'paper', 'die Zeitung')],
 'fr': [('{s}, souligne {A}.', 'paper', 'le journal')],
 'es': [('{s}, señala {A}.', 'paper', 'el periódico')],
 'ru': [('{s}, пишет {A}.', 'paper', 'газета')]}

#: Headline credit templates.
HEADLINE_CREDIT = {'en': ['{t} - {O}'],
 'de': ['{t}: Bericht von {O}'],
 'fr': ['{t}, selon {O}'],
 'es': ['{t}, según {O}'],
 'ru': ['{t} — {O}']}

#: Quotes given to an outlet's reporter.
TOLD = {'en': ['{P} told {O} in an interview: "{Q}."'],
 'de': ['„{Q}“, sagte {P} im Gespräch mit {O}.'],
 'fr': ['« {Q} », a confié {P} à {O}.'],
 'es': ['"{Q}", declaró {P} a {O}.'],
 'ru': ['«{Q}», — заявил {P} в беседе с {O}.']}

#: Agency sign-offs ({k}: an editor's initials).
SIGNOFF = ['({O}/{k})']

#: Wire datelines ({dd}: the date).
DATELINE = ['{CU}, {dd} ({O}) - ']

#: Merge connectors.
CONNECT = {'en': [' — ', ', while '], 'de': [' – '], 'fr': [' – '], 'es': [' — '], 'ru': [' — ']}

#: A third realisation of each fact (storygen2.FACTS order).
FACTS = {'en': ['Losses for {O} from {W} in {C} have reached close to {M}, according to {R} {P}.',
        'No fewer than {N} residents have been hit directly, local authorities estimate.',
        'The company reported a {X} slump in regional activity over the opening week.',
        '"{Q}," {P} added, speaking outside the town hall.',
        'A fresh round of talks has been pencilled in for {D2}.',
        'Regional ministers signed off on {M2} in emergency aid.',
        'Opposition politicians want lawmakers to investigate the handling of {W}.',
        'Some {N2} workers of {O2} were reassigned elsewhere, according to its spokesperson {P2}.',
        'Nothing on this scale had happened in {C} since {Y}.'],
 'de': ['Die Verluste von {O} durch {W} in {C} belaufen sich laut {R} {P} auf fast {M}.',
        'Nicht weniger als {N} Anwohner sind nach Schätzung der Behörden direkt betroffen.',
        'Das Unternehmen meldete für die erste Woche einen Einbruch von {X} in der Region.',
        '„{Q}“, fügte {P} vor dem Rathaus hinzu.',
        'Eine neue Gesprächsrunde ist für {D2} angesetzt.',
        'Das Kabinett des Landes gab {M2} als Nothilfe frei.',
        'Politiker der Opposition wollen das Krisenmanagement bei {W} vom Parlament prüfen lassen.',
        'Rund {N2} Angestellte von {O2} arbeiten laut Sprecherin {P2} inzwischen anderswo.',
        'Seit {Y} hatte es in {C} nichts in dieser Größenordnung gegeben.'],
 'fr': ['Les pertes de {O} liées à {W} à {C} approchent {M}, selon {R} {P}.',
        "Pas moins de {N} habitants seraient directement concernés, estiment les services de l'État.",
        "L'entreprise fait état d'un effondrement de {X} de son activité régionale en une semaine.",
        '« {Q} », a ajouté {P} devant la mairie.',
        'Une nouvelle séance de discussions est prévue {D2}.',
        "Les élus régionaux ont voté une enveloppe d'urgence de {M2}.",
        'Les opposants veulent que le Parlement examine la gestion de {W}.',
        "Quelque {N2} agents de {O2} ont été redéployés ailleurs, d'après sa porte-parole {P2}.",
        'Il faut remonter à {Y} pour trouver un événement de cette ampleur à {C}.'],
 'es': ['Las pérdidas de {O} por {W} en {C} rozan los {M}, de acuerdo con {R} {P}.',
        'No menos de {N} vecinos sufren las consecuencias directas, calculan los servicios públicos.',
        'La empresa registró un desplome del {X} de su actividad regional en una semana.',
        '"{Q}", añadió {P} frente al ayuntamiento.',
        'Está prevista una nueva ronda de conversaciones para el {D2}.',
        'Los consejeros regionales autorizaron {M2} en ayuda urgente.',
        'Los partidos de la oposición quieren que el parlamento examine cómo se gestionó {W}.',
        'Unos {N2} empleados de {O2} fueron reubicados en otros lugares, indicó su portavoz {P2}.',
        'Hay que remontarse a {Y} para encontrar algo de esta magnitud en {C}.'],
 'ru': ['Потери {O} из-за событий в городе {C} приблизились к {M}, сообщил {R} {P}.',
        'Не меньше {N} жителей затронуты напрямую, подсчитали в местной администрации.',
        'Компания зафиксировала обвал региональной активности на {X} за неделю.',
        '«{Q}», — добавил {P} у здания мэрии.',
        'Новый раунд консультаций назначен на {D2}.',
        'Областные министры утвердили {M2} в качестве срочной помощи.',
        'Оппозиционные политики хотят, чтобы парламент изучил работу чиновников в кризис.',
        'Около {N2} сотрудников {O2} переведены в другие подразделения, уточнила пресс-секретарь {P2}.',
        'Событие такого масштаба в городе {C} случилось впервые с {Y} года.']}

#: Synonym tables (disjoint from the dev tables).
SYNONYMS = {'en': [('people', 'individuals'),
        ('region', 'area'),
        ('demanded', 'called for'),
        ('about', 'around'),
        ('staff', 'personnel'),
        ('already', 'by now'),
        ('reporters', 'journalists'),
        ('emergency', 'urgent'),
        ('moved', 'relocated'),
        ('dropped', 'declined')],
 'de': [('Menschen', 'Personen'),
        ('rund', 'etwa'),
        ('Unternehmen', 'Firma'),
        ('Woche', 'Kalenderwoche'),
        ('fortgesetzt', 'wieder aufgenommen'),
        ('Behörden', 'Ämter'),
        ('Soforthilfen', 'Nothilfen'),
        ('betroffen', 'getroffen')],
 'fr': [('personnes', 'individus'),
        ('région', 'zone'),
        ('réclame', 'exige'),
        ('salariés', 'employés'),
        ('déjà', "d'ores et déjà"),
        ('sites', 'établissements'),
        ('touchées', 'affectées'),
        ('urgence', 'secours')],
 'es': [('personas', 'ciudadanos'),
        ('región', 'zona'),
        ('pidió', 'reclamó'),
        ('empleados', 'trabajadores'),
        ('ya', 'hasta la fecha'),
        ('sedes', 'instalaciones'),
        ('afectadas', 'perjudicadas'),
        ('emergencia', 'urgencia')],
 'ru': [('человек', 'жителей'),
        ('регионе', 'области'),
        ('потребовала', 'призвала провести'),
        ('сотрудников', 'работников'),
        ('уже', 'к настоящему моменту'),
        ('площадки', 'объекты'),
        ('пострадали', 'оказались затронуты'),
        ('экстренную', 'срочную')]}



def render_num(kind: str, value: float, lang: str, group) -> str:
    """House number style 2: full figures, words for per cent."""
    if kind == "pct":
        whole = f"{value:.1f}".rstrip("0").rstrip(".")
        dec = whole.replace(".", ",")
        return {"en": f"{whole} percent", "ru": f"{dec} %", "de": f"{dec} Prozent", "fr": f"{dec} pour cent",
                "es": f"{dec} por ciento"}[lang]
    if kind == "count":
        n = int(value)
        return (group(n, "\u202f") if n >= 10000 else str(n)) if lang == "en" else group(n, " ")
    full = int(round(value * 1_000_000))
    return {"en": f"US${group(full, ',')}", "de": f"{group(full, '.')} Euro", "fr": f"{group(full, chr(0x202f))} euros",
            "es": f"{group(full, '.')} euros", "ru": f"{group(full, ' ')} рублей"}[lang]
