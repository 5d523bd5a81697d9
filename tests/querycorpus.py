"""A generated news corpus, indexed in three runs (so: several segments and deletions), and a
deterministic set of queries over it: what tests/test_query_paths.py compares two query paths
on, reusable by a benchmark (``sys.path.insert(0, REPO)``, then ``from tests import
querycorpus``).

Articles mix function words, a Zipf-distributed general vocabulary, topic words, repeated
phrases (some with a stop word inside: "rule of law"), capitalised names, acronyms that are
also stop words ("US", "IT", "in May"), accented words ("Pékin", "Straße", "Łódź"), Chinese,
Japanese and Korean words, numbers, and rare made-up words found in one to three articles.
About one article in six is a rewrite of an earlier one by another outlet (stories to
collapse). Outlet and date come every way the ingest reads them from .txt and .md files:
Markdown front matter, an exact ``metadata.toml`` entry, a ``metadata.toml`` glob for a
folder with a date line under the title, a "(Outlet, Apr08'24) — " dateline, or nothing.

Everything depends only on ``(seed, n)``: :func:`stage_files` gives each run's files,
:func:`queries` the queries (read from the files on disk).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

FIRST_DAY = dt.date(2023, 1, 1)
DAYS = 731
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: (name, weight). Accented and multi-word names, for outlet: queries and filters.
OUTLETS = (
    ("Daily Ledger", 30),
    ("The Morning Courier", 20),
    ("Harbor Times", 14),
    ("Northern Wire", 10),
    ("Le Télégramme du Nord", 8),
    ("Meridian Post", 7),
    ("Zürcher Abendblatt", 6),
)
#: The outlet of every file under wire/ (a metadata.toml glob).
WIRE_OUTLET = "Kestrel News Agency"
SECTIONS = ("world", "business", "politics", "science", "culture")

FUNCTION = (
    "the of and to in a is that for on with as by at from was were has have it its an be this "
    "which after over said not but their they will would more than into about what when also "
    "who been had there could other some most"
).split()
GENERAL = (
    "government officials report week year country people city minister president talks support "
    "plan market prices workers company state security military forces border trade energy water "
    "storm harbour election vote court police region leaders agreement crisis policy budget "
    "industry families schools hospital village river bridge railway airport port factory "
    "farmers students doctors judges soldiers protest strike union council mayor governor "
    "capital province district coast island mountain valley forest desert network system "
    "programme project investment growth debt loan contract deal partners allies rivals "
    "neighbours weapons supplies aid relief damage recovery reform law rules measures "
    "decision statement interview analysis survey data figures records evidence witnesses "
    "victims survivors residents citizens voters members experts analysts scientists engineers"
).split()
TOPICS = {
    "war": "missile drone artillery ceasefire troops offensive frontline shelling brigade munitions "
           "nitrocellulose turbojet optics geospatial intelligence",
    "economy": "inflation tariffs sanctions exports bank interest rates currency bonds recession "
               "semiconductor microelectronics shipping freight",
    "weather": "flood drought rainfall dam breach evacuation levee hurricane heatwave wildfire "
               "monsoon landslide",
    "science": "satellite imagery orbit telescope launch rocket spacecraft vaccine genome reactor "
               "laboratory experiment",
    "politics": "parliament coalition opposition referendum ballot candidate campaign senate "
                "cabinet decree amendment",
    "culture": "festival museum exhibition orchestra novel cinema theatre gallery premiere "
               "choreography sculpture",
    "sport": "tournament championship striker goalkeeper stadium marathon cyclist medal referee "
             "qualifier",
}
ACCENTED = ("Pékin", "États-Unis", "Straße", "Łódź", "Kraków", "Zürich", "Bogotá", "Málaga",
            "Göteborg", "café", "résumé", "naïve", "façade", "señor", "Ærø", "São")
#: Chinese, Japanese and Korean words, set in running text (and some sentences of their own).
CJK = ("中国人民银行", "北京", "上海证券交易所", "东京", "日本銀行", "大阪", "서울", "한국은행", "外交部")
CJK_SENTENCES = ("中国人民银行周二表示将下调利率。", "日本銀行は金利を据え置いた。", "서울에서 회담이 열렸다.")
ACRONYMS = ("the US", "WHO", "IT", "the EU", "NATO", "in May", "the UN")
PHRASES = (
    "central bank", "supply chain", "prime minister", "state of emergency", "rule of law",
    "head of state", "minister of defence", "satellite imagery", "ceasefire talks",
    "interest rates", "the end of the war", "according to officials", "on the ground",
    "in the wake of the storm", "climate change", "human rights",
)
FIRST_NAMES = ("Anna", "Peter", "Maria", "John", "Elena", "David", "Sofia", "Michael", "Laura",
               "Omar", "Yuki", "Carlos", "Fatima", "Ivan", "Grace", "Ahmed", "Nina", "Paul", "Lena",
               "Tomas", "Priya", "Chen", "Zoë", "Björn")
LAST_NAMES = ("Kovalenko", "Ferreira", "Lindqvist", "Okafor", "Tanaka", "Moreau", "Novak",
              "Haddad", "Schneider", "Rossi", "Petrov", "Müller", "Nakamura", "Dubois", "García",
              "Sørensen", "O'Brien", "Abiodun", "Castillo", "Wójcik")
CREDITED = ("Reuters", "Bloomberg", "the Associated Press", "Agence France-Presse", "the Financial Times")
_SYLLABLES = ("zor", "vath", "quen", "lix", "brum", "tessa", "plo", "kri", "dun", "mev", "yar",
              "osk", "fel", "grin", "tav", "ulm", "sep", "wic", "nax", "rhod")
RARE_POOL = 300

_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")


def _zipf(rng: Random, items: tuple[str, ...] | list[str]) -> str:
    """An item drawn with probability ~ 1/rank."""
    return items[min(len(items) - 1, int(math.exp(rng.random() * math.log(len(items) + 1))) - 1)]


def rare_word(k: int) -> str:
    rng = Random(f"rare:{k}")
    return "".join(rng.choice(_SYLLABLES) for _ in range(3))


def _names() -> list[str]:
    rng = Random("names")
    pairs = [f"{a} {b}" for a in FIRST_NAMES for b in LAST_NAMES]
    rng.shuffle(pairs)
    return pairs


NAMES = _names()


@dataclass(frozen=True)
class Article:
    rel_path: str
    text: str
    #: Its metadata.toml table ("" when the article carries its metadata itself).
    toml: str


def _number(rng: Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return str(rng.randrange(2, 100))
    if kind < 0.6:
        return f"{rng.randrange(1, 999)}.{rng.randrange(10)} million"
    if kind < 0.8:
        return f"{rng.randrange(1, 100)} percent"
    return str(rng.randrange(1990, 2025))


def _sentence(rng: Random, topics: list[str], cjk: bool) -> str:
    if cjk and rng.random() < 0.15:
        return rng.choice(CJK_SENTENCES)
    words: list[str] = []
    for _ in range(rng.randrange(8, 22)):
        x = rng.random()
        if x < 0.30:
            words.append(_zipf(rng, FUNCTION))
        elif x < 0.62:
            words.append(_zipf(rng, GENERAL))
        elif x < 0.84:
            words.append(rng.choice(TOPICS[rng.choice(topics)].split()))
        elif x < 0.89:
            words.append(_zipf(rng, NAMES))
        elif x < 0.92:
            words.append(_number(rng))
        elif x < 0.945:
            words.append(rng.choice(ACCENTED))
        elif x < 0.96:
            words.append(rare_word(rng.randrange(RARE_POOL)))
        elif x < 0.98:
            words.append(rng.choice(ACRONYMS))
        elif cjk:
            words.append(rng.choice(CJK))
        else:
            words.append(_zipf(rng, GENERAL))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(PHRASES))
    text = " ".join(words)
    if rng.random() < 0.2:
        cut = text.find(" ", len(text) // 2)
        if cut > 0:
            text = text[:cut] + "," + text[cut:]
    return text[:1].upper() + text[1:] + "."


def _body(seed: int, i: int) -> tuple[list[str], list[str]]:
    """The sentences and topics of article ``i``'s original text."""
    rng = Random(f"{seed}:{i}:body")
    topics = rng.sample(sorted(TOPICS), rng.choice((1, 1, 2)))
    cjk = rng.random() < 0.12
    long = rng.random() < 0.05
    count = rng.randrange(30, 60) if long else rng.randrange(6, 18)
    return [_sentence(rng, topics, cjk) for _ in range(count)], topics


def _source(seed: int, i: int) -> int | None:
    """The earlier article that article ``i`` rewrites, if it is a rewrite."""
    rng = Random(f"{seed}:{i}:plan")
    if i < 5 or rng.random() >= 0.17:
        return None
    j = rng.randrange(i)
    return _source(seed, j) if _source(seed, j) is not None else j


def _title(rng: Random, topics: list[str]) -> str:
    words = [rng.choice(TOPICS[rng.choice(topics)].split()) for _ in range(2)]
    words += [_zipf(rng, GENERAL) for _ in range(rng.randrange(2, 5))]
    rng.shuffle(words)
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words) + 1), _zipf(rng, NAMES))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words) + 1), rng.choice(ACCENTED))
    if rng.random() < 0.5:
        return " ".join(w[:1].upper() + w[1:] for w in words)
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


def _pick_outlet(rng: Random) -> str:
    x = rng.random() * sum(w for _, w in OUTLETS)
    for name, weight in OUTLETS:
        x -= weight
        if x < 0:
            return name
    return OUTLETS[-1][0]


def _paragraphs(sentences: list[str], rng: Random) -> str:
    out = []
    k = 0
    while k < len(sentences):
        step = rng.randrange(2, 5)
        out.append(" ".join(sentences[k : k + step]))
        k += step
    return "\n\n".join(out) + "\n"


def article(seed: int, i: int, version: int = 0, metadata_edit: bool = False) -> Article:
    """Article ``i``; ``version`` 1 is its edited text (same file, same metadata),
    ``metadata_edit`` changes only what metadata.toml says of it (for articles that have a
    table there)."""
    rng = Random(f"{seed}:{i}:meta")  # where the article lives and what it says of itself
    outlet = _pick_outlet(rng)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    style = rng.random()
    section = SECTIONS[rng.randrange(len(SECTIONS))]
    has_date = rng.random() < 0.9
    hour, minute = rng.randrange(6, 23), rng.randrange(60)
    quote = "\u2019" if rng.random() < 0.5 else "'"
    retitle = rng.random() < 0.5

    source = _source(seed, i)
    sentences, topics = _body(seed, i if source is None else source)
    if source is not None:  # another outlet's rewrite: drop, replace and add sentences
        rw = Random(f"{seed}:{i}:rewrite")
        sentences = [s for s in sentences if rw.random() > 0.15]
        for k in range(len(sentences)):
            if rw.random() < 0.15:
                sentences[k] = _sentence(rw, topics, False)
        sentences.insert(rw.randrange(len(sentences) + 1),
                         f"The report was first published by {rw.choice(CREDITED)}.")
    if version:
        vr = Random(f"{seed}:{i}:v{version}")
        sentences = list(sentences)
        sentences[vr.randrange(len(sentences))] = _sentence(vr, topics, False)
        sentences.append(f"This article was updated with a statement from {_zipf(vr, NAMES)}.")
    title = _title(Random(f"{seed}:{(i if source is None else source)}:title"), topics)
    if source is not None and retitle:
        title = title + " " + Random(f"{seed}:{i}:retitle").choice(("Report Says", "Officials Say", "say sources"))
    body = _paragraphs(sentences, Random(f"{seed}:{i}:paragraphs"))
    toml = ""
    if style < 0.25:  # Markdown front matter
        rel = f"features/{i:05d}.md"
        date_line = f"date: {day.isoformat()}\n" if has_date else ""
        text = f'---\ntitle: "{title}"\noutlet: {outlet}\n{date_line}---\n\n{body}'
    elif style < 0.55:  # an exact metadata.toml table
        rel = f"{section}/{i:05d}.txt"
        text = f"{title}\n\n{body}"
        if metadata_edit:
            names = [name for name, _ in OUTLETS]
            outlet = names[(names.index(outlet) + 1) % len(names)]
        lines = [f'["{rel}"]', f'outlet = "{outlet}"'] + ([f"date = {day.isoformat()}"] if has_date else [])
        toml = "\n".join(lines) + "\n"
    elif style < 0.70:  # wire/: outlet from a metadata.toml glob, date from a line under the title
        rel = f"wire/{i:05d}.txt"
        stamp = f"{MONTHS[day.month - 1]} {day.day}, {day.year} - {hour:02d}:{minute:02d}"
        text = f"{title}\n\n{stamp}\n\n{body}"
    elif style < 0.90:  # "(Outlet, Apr08’24) — " dateline
        rel = f"{section}/{i:05d}.txt"
        dateline = f"({outlet}, {MONTHS[day.month - 1]}{day.day:02d}{quote}{day.year % 100:02d}) \u2014 "
        text = f"{title}\n\n{dateline}{body}"
    else:  # nothing: no outlet, no date
        rel = f"{section}/{i:05d}.txt"
        text = f"{title}\n\n{body}"
    return Article(rel, text, toml)


def edits(n: int) -> tuple[set[int], set[int], set[int]]:
    """The articles the third run (stage 2) edits, gives other metadata, and deletes."""
    count = n + n // 5
    deleted = {i for i in range(count) if i % 13 == 7}
    edited = {i for i in range(count) if i % 9 == 4} - deleted
    meta_edited = {i for i in range(count) if i % 17 == 3} - deleted
    return edited, meta_edited, deleted


def stage_files(n: int, seed: int, stage: int) -> list[Article]:
    """The corpus after indexing run ``stage``: 0 has articles 0..n-1; 1 adds n // 5 more;
    2 edits, re-describes and deletes some (:func:`edits`)."""
    count = n if stage == 0 else n + n // 5
    edited, meta_edited, deleted = edits(n) if stage >= 2 else (set(), set(), set())
    return [article(seed, i, version=1 if i in edited else 0, metadata_edit=i in meta_edited)
            for i in range(count) if i not in deleted]


def write_stage(root: Path, n: int, seed: int, stage: int) -> None:
    """Make the folder ``root`` hold stage ``stage``'s files: write what changed (an unchanged
    file keeps its mtime), remove what is gone, rewrite metadata.toml."""
    articles = stage_files(n, seed, stage)
    wanted = {a.rel_path for a in articles}
    for a in articles:
        path = root / a.rel_path
        data = a.text.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if root.exists():
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel != "metadata.toml" and rel not in wanted:
                path.unlink()
    tables = [f'["wire/**"]\noutlet = "{WIRE_OUTLET}"\n'] + [a.toml for a in articles if a.toml]
    meta = f"# Generated by tests/querycorpus.py: n={n}, seed={seed}, stage {stage}\n\n" + "\n".join(tables)
    target = root / "metadata.toml"
    if not target.exists() or target.read_text(encoding="utf-8") != meta:
        target.write_text(meta, encoding="utf-8")


def build_three_runs(corpus: Path, index: Path, n: int = 300, seed: int = 1) -> tuple[Any, list[Any]]:
    """Index stage 0 (a full build), then stages 1 and 2 incrementally; return the open
    Index and the three runs' BuildSummary objects."""
    import searchkit

    summaries = []
    ix = None
    for stage in range(3):
        write_stage(corpus, n, seed, stage)
        if ix is not None:
            ix.close()
        ix = searchkit.build_index(corpus, index)
        summaries.append(ix.summary)
    return ix, summaries


# --------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Case:
    """One query and its options (keyword arguments of SearchOptions)."""

    kind: str
    text: str
    options: dict[str, Any]

    def describe(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in sorted(self.options.items()))
        return f"[{self.kind}] {self.text!r} ({opts or 'defaults'})"


def _texts(corpus: Path) -> list[list[list[str]]]:
    """Per file, its sentences as lists of words (front matter left out)."""
    out = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix not in (".txt", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        sentences = [_WORD.findall(s) for s in re.split(r"[.!?。\n]+", text)]
        out.append([s for s in sentences if s])
    return out


def queries(corpus: Path, count: int = 250, seed: int = 0) -> list[Case]:
    """``count`` queries built from the words of the corpus on disk, cycling through the
    kinds of query so that each is asked about equally often, each with random options."""
    rng = Random(f"queries:{seed}")
    texts = _texts(corpus)
    counts: Counter[str] = Counter(w for doc in texts for s in doc for w in s)
    content = [w for w, _ in counts.most_common() if w.lower() not in FUNCTION and not w.isdigit()]
    common = content[:60]
    rare = [w for w, c in counts.items() if c <= 3 and w.isalpha() and w.lower() not in FUNCTION]
    rare.sort()
    accented = [w for w in ACCENTED if w in counts]
    names = [w for w in (n.split()[1] for n in NAMES) if w in counts]
    cjk = [w for w in counts if any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in w)]
    cjk.sort()
    stops = sorted(set(FUNCTION) & {"the", "of", "and", "in", "to", "a", "for", "on", "with", "at", "by"})

    def word() -> str:
        pool = rng.choice((common, content[:400], rare, accented, names, cjk or common))
        return rng.choice(pool)

    def sentence() -> list[str]:
        doc = rng.choice(texts)
        return rng.choice(doc)

    def adjacent(k: int, with_stop: bool = False) -> str:
        for _ in range(200):
            s = sentence()
            if len(s) < k:
                continue
            start = rng.randrange(len(s) - k + 1)
            words = s[start : start + k]
            if words[0].lower() in FUNCTION or words[-1].lower() in FUNCTION:
                continue
            if with_stop and not any(w.lower() in stops for w in words[1:-1]):
                continue
            return " ".join(words)
        return " ".join(sentence()[:k])

    def nearby(gap: int) -> str:
        """Two content words of one sentence at most ``gap`` words apart, in either order."""
        for _ in range(200):
            s = [w for w in sentence() if w.lower() not in FUNCTION]
            if len(s) < 3:
                continue
            a = rng.randrange(len(s) - 1)
            b = min(len(s) - 1, a + 1 + rng.randrange(gap))
            pair = [s[a].lower(), s[b].lower()]
            if rng.random() < 0.5:
                pair.reverse()
            return " ".join(pair)
        return adjacent(2)

    def lower(w: str) -> str:
        return w.lower() if rng.random() < 0.7 else w

    def outlet_query() -> str:
        name = rng.choice([n for n, _ in OUTLETS] + [WIRE_OUTLET])
        if " " in name and rng.random() < 0.5:
            return f'outlet:"{name}"'
        return "outlet:" + rng.choice([p for p in name.split() if len(p) > 3]).lower()

    kinds: list[tuple[str, Any]] = [
        ("one word", lambda: lower(word())),
        ("two words", lambda: f"{lower(word())} {lower(word())}"),
        ("three words", lambda: f"{lower(word())} {lower(word())} {lower(word())}"),
        ("phrase", lambda: f'"{adjacent(rng.choice((2, 2, 3)))}"'),
        ("phrase with stop word", lambda: f'"{adjacent(3, with_stop=True)}"'),
        ("fixed phrase", lambda: f'"{rng.choice(PHRASES)}"'),
        ("near", lambda: f'"{nearby(rng.choice((2, 5, 10)))}"~{rng.choice((2, 5, 10))}'),
        ("near any", lambda: f'"{lower(word())} {lower(word())}"~{rng.choice((3, 20))}'),
        ("near adjacent", lambda: f'"{adjacent(2)}"~{rng.choice((1, 3))}'),
        ("prefix", lambda: (lambda w: w[: max(3, len(w) - rng.randrange(1, 4))].lower() + "*")(
            rng.choice(content[:400] + accented))),
        ("exclusion", lambda: f"{lower(word())} -{lower(rng.choice(common))}"),
        ("NOT", lambda: f"{lower(word())} NOT {lower(rng.choice(common))}"),
        ("OR", lambda: f"{lower(word())} OR {lower(word())}"),
        ("AND", lambda: f"{lower(word())} AND {lower(rng.choice(common))}"),
        ("group", lambda: f"({lower(word())} OR {lower(word())}) AND {lower(rng.choice(common))}"),
        ("title field", lambda: f"title:{lower(rng.choice(common + names))}"),
        ("title phrase", lambda: f'title:"{adjacent(2)}" {lower(word())}'),
        ("outlet field", lambda: f"{lower(word())} {outlet_query()}"),
        ("date field", lambda: f"{lower(word())} date:{rng.choice(('2023', '2024', '2024-04', '2023-11'))}"),
        ("date range", lambda: f"{lower(word())} date:[2023-06 TO 2024-03]"),
        ("fuzzy", lambda: f"{rng.choice(common)}~1"),
        ("required", lambda: f"+{lower(word())} {lower(word())}"),
        ("stop words", lambda: f"what is the {lower(word())}"),
        ("acronym", lambda: f"{rng.choice(('US', 'WHO', 'IT', 'EU', 'May'))} {lower(word())}"),
        ("plain", lambda: " ".join(sentence()[:12])),
        ("every", lambda: rng.choice(("*", ""))),
    ]
    outlets = [n for n, _ in OUTLETS] + [WIRE_OUTLET]
    cases = []
    for k in range(count):
        kind, make = kinds[k % len(kinds)]
        text = make()
        options: dict[str, Any] = {}
        if kind == "plain":
            options["plain"] = True
        x = rng.random()
        if x < 0.12:
            options["outlet"] = rng.choice(outlets)
        elif x < 0.17:
            options["outlet"] = tuple(rng.sample(outlets, 2))
        x = rng.random()
        if x < 0.15:
            options["since"] = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        elif x < 0.27:
            options["until"] = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        elif x < 0.35:
            a, b = sorted(rng.sample(range(DAYS), 2))
            options["since"] = FIRST_DAY + dt.timedelta(days=a)
            options["until"] = FIRST_DAY + dt.timedelta(days=b)
        if rng.random() < 0.35:
            options["facets"] = True
            options["facet_dates"] = rng.choice(("day", "month"))
        x = rng.random()
        if x < 0.15:
            options["sort"] = "date"
        elif x < 0.3:
            options["sort"] = "-date"
        x = rng.random()
        if x < 0.25:
            options["page"] = 2
        elif x < 0.3:
            options["page"] = 3
        x = rng.random()
        if x < 0.2:
            options["limit"] = 5
        elif x < 0.3:
            options["limit"] = 20
        if rng.random() < 0.2:
            options["collapse"] = True
        if rng.random() < 0.12:
            options["snippets"] = False
        if rng.random() < 0.03 and kind != "every":
            options["expand"] = True
        cases.append(Case(kind, text, options))
    return cases


def similar_cases(corpus: Path, count: int = 10, seed: int = 0) -> list[Case]:
    """``Index.similar`` of ``count`` articles (by document id), with random options."""
    rng = Random(f"similar:{seed}")
    ids = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))
    cases = []
    for doc_id in rng.sample(ids, min(count, len(ids))):
        options: dict[str, Any] = {}
        if rng.random() < 0.3:
            options["page"] = 2
        if rng.random() < 0.3:
            options["outlet"] = rng.choice([n for n, _ in OUTLETS])
        if rng.random() < 0.2:
            options["snippets"] = False
        cases.append(Case("similar", doc_id, options))
    return cases
