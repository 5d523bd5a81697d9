"""Deterministic synthetic syndication corpus with exact truth, for the stories benchmark.

Recipe: the stories research README, section 5. Base reports come from a template news
generator (entity lexicon with generated names, money/percent/count numbers, dates; origins
grouped in topic buckets that share countries, officials and a company: hard negatives) and,
for a share of origins, from the Cranfield abstracts. Each origin (published by a wire) gets a
cascade of derivatives (geometric, mean 8, max 300; parent = origin p 0.7 else an earlier
derivative). Every derivative applies logged edits to its parent's sentences: verbatim, delete,
tail truncation, block move, light edits (number formats, said/told, dropped words, hedges,
spelling), rule paraphrase (synonym swaps on >= 30% of content words, clause fronting, split
at a conjunction, merge of two sentences), inserted background (unique), composite insertion
from another origin of the bucket (second story membership), self-repetition. Credits from
templates with logged mention spans; negatives (own byline / footer / dateline, non-outlet
sources). Page furniture per outlet, "Read also" links to other stories, date lines in several
formats, missing for 30% of articles (some dates and outlets only in metadata.toml).

Outputs: corpus/*.txt, metadata.toml, truth.jsonl (one "article" record per file, one "story"
record per origin). Usage: python benchmarks/storygen.py tiny|medium|large OUT_DIR [--seed N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from random import Random

VERSION = "storygen/1"
SIZES = {"tiny": 200, "medium": 20000, "large": 200000}
HERE = Path(__file__).resolve().parent
CRANFIELD = HERE / "data" / "cranfield" / "cran.all.1400"

COUNTRIES = ["France", "Germany", "Brazil", "India", "Japan", "Canada", "Mexico", "Turkey", "Egypt", "Kenya",
             "Nigeria", "Poland", "Spain", "Italy", "Norway", "Sweden", "Chile", "Peru", "Vietnam", "Indonesia",
             "Australia", "Argentina", "Ukraine", "Russia", "China", "Iran", "Israel", "Pakistan", "Thailand",
             "Malaysia", "Greece", "Portugal", "Austria", "Hungary", "Romania", "Morocco", "Ghana", "Ethiopia",
             "Colombia", "Philippines"]
CITIES = ["Lyon", "Hamburg", "Recife", "Pune", "Osaka", "Calgary", "Monterrey", "Izmir", "Alexandria", "Mombasa",
          "Kano", "Gdansk", "Seville", "Turin", "Bergen", "Malmo", "Valparaiso", "Cusco", "Hanoi", "Surabaya",
          "Perth", "Rosario", "Odesa", "Kazan", "Wuhan", "Tabriz", "Haifa", "Lahore", "Chiang Mai", "Penang"]
ROLES = ["finance minister", "energy minister", "trade minister", "central bank governor", "defence minister",
         "foreign minister", "health minister", "chief executive", "spokesperson", "deputy prime minister",
         "transport minister", "interior minister", "chief economist", "mayor", "labour minister"]
SYL = ["ka", "ver", "lin", "dor", "mi", "sa", "tro", "bel", "gan", "ru", "sel", "vo", "ta", "nik", "mar", "zen",
       "pa", "lo", "quin", "fer", "bra", "dus", "hal", "ori", "wen", "cas", "tel", "mo", "ry", "gul", "est", "vik"]
FIRST = ["Anna", "Marco", "Li", "Sofia", "Omar", "Elena", "Kenji", "Aisha", "Pavel", "Maria", "David", "Noor",
         "Lars", "Ines", "Tomas", "Yuki", "Ravi", "Clara", "Jonas", "Amara", "Felix", "Leila", "Hugo", "Zara"]
CO_SUFFIX = ["Holdings", "Group", "Systems", "Energy", "Motors", "Labs", "Industries", "Logistics", "Pharma",
             "Mining", "Foods", "Steel", "Aerospace", "Capital", "Telecom"]
THEMES = {
    "trade": (["export", "tariff", "shipment", "quota", "contract", "deal", "import"], ["signed", "blocked", "expanded", "approved", "suspended"]),
    "energy": (["pipeline", "refinery", "reactor", "grid", "gas field", "power plant", "turbine"], ["commissioned", "halted", "expanded", "approved", "shut"]),
    "finance": (["bond", "loan", "budget", "deficit", "bailout", "rate", "fund"], ["raised", "cut", "approved", "restructured", "froze"]),
    "defence": (["drone", "missile", "radar", "frigate", "satellite", "artillery", "tank"], ["ordered", "delivered", "tested", "deployed", "bought"]),
    "health": (["vaccine", "hospital", "clinic", "drug", "outbreak", "trial", "ward"], ["approved", "opened", "expanded", "halted", "funded"]),
    "tech": (["chip", "factory", "data centre", "cable", "network", "platform", "software"], ["launched", "built", "acquired", "licensed", "blocked"]),
    "climate": (["flood", "drought", "dam", "forest", "emissions target", "wildfire", "harvest"], ["hit", "worsened", "eased", "damaged", "threatened"]),
    "transport": (["railway", "port", "airport", "bridge", "highway", "tunnel", "fleet"], ["opened", "closed", "upgraded", "financed", "delayed"]),
}
WIRES = [("Associated Press", ["the Associated Press", "AP", "The Associated Press"]), ("Reuters", ["Reuters"]),
         ("Agence France-Presse", ["AFP", "Agence France-Presse"]), ("Bloomberg", ["Bloomberg", "Bloomberg News"]),
         ("Financial Times", ["the Financial Times", "FT", "Financial Times"]),
         ("The Wall Street Journal", ["the Wall Street Journal", "WSJ"]), ("The New York Times", ["the New York Times"]),
         ("Xinhua", ["Xinhua"]), ("TASS", ["TASS"]), ("dpa", ["dpa"]), ("Kyodo News", ["Kyodo"]),
         ("Nikkei", ["Nikkei"]), ("Politico", ["Politico"]), ("BBC", ["the BBC", "BBC"])]
OUT_HEAD = ["Herald", "Times", "Post", "Gazette", "Tribune", "Chronicle", "Observer", "Review", "News", "Courier",
            "Daily", "Monitor", "Journal", "Dispatch", "Express", "Today", "Wire", "Star"]
PLACE = ["Kelvale", "Norport", "Brixham", "Ashford", "Marrow", "Cresthill", "Dunmore", "Eastwick", "Falkirk",
         "Glenrock", "Harwich", "Ivybridge", "Jarrow", "Kingsley", "Larkin", "Milbrook", "Newhaven", "Oakridge",
         "Penrose", "Queensbury", "Redcliff", "Stanmore", "Thornbury", "Upton", "Valemont", "Westfield", "Yarrow",
         "Zennor", "Bramley", "Calder", "Delmont", "Elmstead"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _outlets() -> list[str]:
    r = Random(11)
    names = set()
    while len(names) < 500:
        k = r.random()
        p, h = r.choice(PLACE), r.choice(OUT_HEAD)
        if k < 0.6:
            names.add(f"{p} {h}")
        elif k < 0.8:
            names.add(f"The {p} {h}")
        elif k < 0.9:
            names.add(f"{p} {r.choice(PLACE)} {h}")
        else:
            names.add(f"{p}{r.choice(['Daily', 'Wire', 'Post'])}.com")
    return sorted(names)


OUTLETS = _outlets()
# outlet-shaped names that never publish in the corpus (credited only: tests the generic recogniser)
FOREIGN = [f"{p} {h}" for p, h in zip(["Sorrento", "Mirabel", "Ostrava", "Tamsin", "Ulverston", "Wexcombe"],
                                      ["Herald", "Gazette", "Tribune", "Chronicle", "Courier", "Observer"])]


def _name(r: Random) -> str:
    return "".join(r.choice(SYL) for _ in range(r.randint(2, 3))).capitalize()


def _money(r: Random) -> tuple[str, float]:
    v = r.choice([r.randint(2, 950), round(r.uniform(1, 99), 1)])
    mag = r.choice(["million", "billion"])
    return f"${v} {mag}", v


def _cranfield() -> list[list[str]]:
    if not CRANFIELD.exists():
        return []
    texts, cur = [], None
    for line in CRANFIELD.read_text(encoding="utf-8").splitlines():
        if line.startswith("."):
            if cur is not None:
                texts.append(" ".join(cur))
            cur = [] if line.startswith(".W") else None
        elif cur is not None:
            cur.append(line.strip())
    if cur is not None:
        texts.append(" ".join(cur))
    out = []
    for t in texts:
        sents = [s.strip() for s in re.split(r"\s\.\s*", t) if len(s.split()) >= 6]
        sents = [s[0].upper() + s[1:] + "." for s in sents]
        if len(sents) >= 4:
            out.append(sents)
    return out


class _Bucket:
    def __init__(self, r: Random):
        self.theme = r.choice(sorted(THEMES))
        self.countries = r.sample(COUNTRIES, 2)
        self.officials = [(f"{r.choice(FIRST)} {_name(r)}", r.choice(ROLES)) for _ in range(2)]
        self.company = f"{_name(r)} {r.choice(CO_SUFFIX)}"
        self.city = r.choice(CITIES)


# Synonym groups: an origin picks one member, a paraphrase swaps to another (>= 30% of content words).
GROUPS = [g.split("|") for g in """said|stated|noted|remarked
announced|unveiled|declared|revealed
increased|raised|boosted|lifted
plans|intends|aims|expects
officials|authorities|administrators
government|administration|cabinet
agreement|accord|pact
company|firm|business
large|major|sizeable|substantial
expected|anticipated|forecast
warned|cautioned|alerted
rise|jump|climb
fall|drop|decline
project|scheme|programme
support|backing|assistance
talks|negotiations|discussions
record|unprecedented|historic
significant|considerable|notable
build|construct|erect
region|area|province
sharp|steep|marked
decision|ruling|move
quickly|rapidly|swiftly
concerns|worries|fears
investors|backers|shareholders
costs|expenses|outlays
workers|employees|staff
begin|start|commence
completed|finished|concluded
signed|inked|sealed
approved|endorsed|cleared
expanded|enlarged|widened
blocked|halted|stopped
suspended|paused|froze
delivered|supplied|shipped
ordered|purchased|acquired
opened|inaugurated|launched
funded|financed|bankrolled
damaged|harmed|hurt
delayed|postponed|deferred
cut|reduced|lowered
meeting|session|summit
statement|communique|release
previous|prior|earlier
total|overall|combined
local|regional|municipal
jobs|positions|posts
market|sector|industry
prices|rates|charges
production|output|manufacturing
growth|expansion|increase
risk|danger|threat
critics|opponents|detractors
supply|provision|delivery
share|portion|stake
reached|hit|attained
rejected|dismissed|refused
confirmed|verified|affirmed
criticised|condemned|faulted
urged|pressed|exhorted
help|aid|assist
effort|push|drive
shortage|scarcity|lack
dispute|row|quarrel
plant|facility|site
border|frontier|boundary
fund|pool|reserve
lawmakers|legislators|parliamentarians
protest|demonstration|rally
inquiry|investigation|probe
subsidy|grant|handout
penalty|fine|sanction
debt|liability|obligation
export|shipment|consignment
sales|turnover|revenue
profit|earnings|income
loss|deficit|shortfall
warning|caution|alert
crisis|emergency|turmoil
plan|proposal|blueprint
residents|inhabitants|locals
farmers|growers|producers
engineers|technicians|specialists
contract|order|deal
failure|collapse|breakdown
damage|destruction|harm
repair|restoration|overhaul
capacity|volume|throughput
demand|appetite|need
threat|menace|peril
ban|prohibition|embargo
deadline|cutoff|time limit
surge|spike|upswing
slump|downturn|slide
modest|slight|small
severe|serious|grave
rapid|fast|swift
ambitious|bold|far-reaching
controversial|contentious|disputed
urgent|pressing|critical
temporary|provisional|interim
new|fresh|novel""".splitlines()]
SYN = {}
for _g in GROUPS:
    for _w in _g:
        if " " not in _w:
            SYN[_w] = [x for x in _g if x != _w]
_G = {g[0]: g for g in GROUPS}


def _w(r: Random, head: str) -> str:
    return r.choice(_G[head])


SUBJ_NOUNS = ["officials", "investors", "workers", "critics", "lawmakers", "residents", "farmers", "engineers"]
OBJ_NOUNS = ["project", "plant", "fund", "subsidy", "contract", "export", "plan", "repair", "inquiry", "ban",
             "penalty", "debt", "agreement", "supply", "capacity"]
ADJ = ["large", "significant", "modest", "severe", "rapid", "ambitious", "controversial", "urgent", "temporary", "new", "sharp"]
VERBS = ["approved", "blocked", "suspended", "expanded", "delivered", "ordered", "opened", "funded", "delayed",
         "cut", "signed", "rejected", "confirmed", "criticised", "announced", "completed", "increased", "damaged"]
EVENTS = ["dispute", "protest", "shortage", "crisis", "surge", "slump", "failure", "warning", "loss", "growth", "demand"]


def _origin_sentences(r: Random, b: _Bucket) -> tuple[str, list[str]]:
    """A base report: compositional subject-verb-object sentences over its own entities
    (officials, companies, places, numbers) and its topic bucket's shared ones."""
    nouns, verbs = THEMES[b.theme]
    own = [(f"{r.choice(FIRST)} {_name(r)}", r.choice(ROLES)) for _ in range(3)]
    people = own + [r.choice(b.officials)]
    comps = [f"{_name(r)} {r.choice(CO_SUFFIX)}", f"{_name(r)} {r.choice(CO_SUFFIX)}", b.company]
    places = [r.choice(CITIES), f"{_name(r)}", b.city]
    c1, c2 = b.countries
    year = r.randint(2019, 2024)
    tn = r.sample(nouns, 3)

    def subj():
        k = r.random()
        if k < 0.25:
            p = r.choice(people)
            return f"{p[0]}, the {p[1]},", p[0]
        if k < 0.45:
            c = r.choice(comps)
            return c, c
        if k < 0.6:
            return r.choice([c1, c2]), None
        if k < 0.8:
            return f"{_w(r, r.choice(SUBJ_NOUNS)).capitalize()} in {r.choice(places)}", None
        return f"The {_w(r, 'government')} of {r.choice([c1, c2])}", None

    def obj():
        k = r.random()
        n = r.choice(tn)
        if k < 0.5:
            return f"a {_w(r, r.choice(ADJ))} {n} {_w(r, r.choice(OBJ_NOUNS))}"
        if k < 0.8:
            return f"the {n} {_w(r, r.choice(OBJ_NOUNS))} near {r.choice(places)}"
        return f"{r.randint(3, 900)} {_w(r, r.choice(OBJ_NOUNS))}s for the {n} {_w(r, 'market')}"

    def comp():
        k = r.randrange(9)
        if k == 0:
            return f"worth {_money(r)[0]}"
        if k == 1:
            return f"after a {_w(r, r.choice(EVENTS))} of {r.randint(3, 70)}% in {r.choice(MONTHS_LONG)} {year}"
        if k == 2:
            return f"with {r.choice(comps)} by {r.choice(MONTHS_LONG)} {year + 1}"
        if k == 3:
            return f"despite {_w(r, 'concerns')} about {_w(r, r.choice(EVENTS))} in {r.choice([c1, c2])}"
        if k == 4:
            return f"for {r.randint(2, 40)},{r.randint(100, 999)} {_w(r, r.choice(SUBJ_NOUNS))} in {r.choice(places)}"
        if k == 5:
            return f"at a {_w(r, 'total')} {_w(r, 'costs')[:-1] if False else 'cost'} of {_money(r)[0]}"
        if k == 6:
            return f"following {_w(r, 'talks')} between {c1} and {c2}"
        if k == 7:
            return f"as {_w(r, r.choice(['prices', 'sales', 'profit', 'demand']))} {r.choice(['rose', 'fell'])} {round(r.uniform(1, 40), 1)}%"
        return f"under a {_w(r, r.choice(ADJ))} {_w(r, 'plan')} {_w(r, 'announced')} on {r.choice(WEEKDAYS)}"

    sents = []
    for _ in range(r.randint(7, 12)):
        s, name = subj()
        v = _w(r, r.choice(VERBS)) if r.random() < 0.6 else r.choice(verbs)
        body = f"{s} {v} {obj()} {comp()}"
        if r.random() < 0.6:
            body += f", and {_w(r, r.choice(SUBJ_NOUNS))} {_w(r, 'warned')} of a {_w(r, r.choice(EVENTS))} {comp()}"
        if r.random() < 0.35:
            p = r.choice(people)
            body += f", {p[0]} {_w(r, 'said')}"
        elif r.random() < 0.2:
            body += f", {_w(r, 'officials')} {_w(r, 'said')}"
        sents.append(body[0].upper() + body[1:] + ".")
    # the headline condenses the lead: its subject, verb and object, and a bucket-level hook
    lead = re.sub(r",.*$", "", re.sub(r", the [a-z ]+,", "", sents[0].rstrip(".")))
    words = lead.split()
    head = " ".join(words[:r.randint(6, 10)])
    head += r.choice(["", f" as {c2} {r.choice(['objects', 'warns', 'hesitates', 'weighs response'])}", f", {_w(r, 'officials')} say"])
    return head, sents


def _background(r: Random) -> str:
    b = _Bucket(r)
    return _origin_sentences(r, b)[1][0]


# ---------------------------------------------------------------- edits
_CONTENT = re.compile(r"[A-Za-z]+")


def _swap(s: str, r: Random, frac: float) -> str:
    words = _CONTENT.findall(s)
    cands = [w for w in words if w.lower() in SYN and not w[0].isupper()]
    if not cands:
        return s
    content = [w for w in words if len(w) > 3 and not w[0].isupper()]
    need = max(1, int(frac * max(len(content), 1) + 0.999))
    pick = set(r.sample(cands, min(len(cands), need)))
    return re.sub(r"[A-Za-z]+", lambda m: r.choice(SYN[m.group(0)]) if m.group(0) in pick else m.group(0), s)


def _light(s: str, r: Random) -> str:
    ops = r.sample(["num", "said", "hedge", "drop", "spell"], r.randint(1, 2))
    for op in ops:
        if op == "num":
            s = re.sub(r"\$(\d+(?:\.\d)?) (million|billion)", lambda m: r.choice(
                [f"US${m.group(1)}{'bn' if m.group(2) == 'billion' else 'm'}", f"${m.group(1)}{'bn' if m.group(2) == 'billion' else 'm'}",
                 f"{m.group(1)} {m.group(2)} dollars"]), s, count=1)
        elif op == "said":
            s = s.replace(" said", " told reporters", 1) if r.random() < 0.5 else s.replace(" said", " stated", 1)
        elif op == "hedge":
            s = re.sub(r"\b(is|was|has|will|would|could)\b", lambda m: m.group(1) + " " + r.choice(["reportedly", "allegedly"]), s, count=1)
        elif op == "drop":
            s = re.sub(r"\b(already|about|quickly|also|new|major|local) ", "", s, count=1)
        elif op == "spell":
            s = s.replace("centre", "center").replace("defence", "defense").replace("criticised", "criticized").replace("programme", "program")
    return s


def _front(s: str) -> str:
    """Clause fronting: 'X, Y said.' -> 'Y said that x.' (and back)."""
    m = re.match(r"^(.*), ((?:officials|the finance ministry|local officials|[A-Z][a-z]+ [A-Z][a-z]+(?:, the [a-z ]+,)?) (?:said|reported)(?: in a statement)?)\.$", s)
    if m:
        body = m.group(1)
        return f"{m.group(2)[0].upper()}{m.group(2)[1:]} that {body[0].lower() + body[1:] if not body[:2].isupper() and not re.match(r'[A-Z][a-z]+ [A-Z]', body) else body}."
    m = re.match(r"^([A-Z][a-z]+ [A-Z][a-z]+) (said|warned) that (.*)\.$", s)
    if m:
        return f"{m.group(3)[0].upper()}{m.group(3)[1:]}, {m.group(1)} {m.group(2)}."
    return s


def _split(s: str) -> list[str] | None:
    m = re.match(r"^(.{25,}?), and (.{20,})$", s)
    if not m:
        return None
    a, b = m.group(1) + ".", m.group(2)
    return [a, b[0].upper() + b[1:]]


# ---------------------------------------------------------------- credits
CREDIT_TPL = [
    ("{s}, {O} reported.", "post"), ("{O} reported that {l}", "pre"), ("According to {O}, {l}", "pre"),
    ("{s}, according to {O}.", "post"), ("{s}, citing {O}.", "post"), ("{O} reports that {l}", "pre"),
    ("As per {O}, {l}", "pre"), ("{O} has said {l}", "pre"), ("{s}, officials told {O}.", "post"),
    ("{O}'s sources said {l}", "pre"),
]
NEG_TPL = ["{s}, officials told reporters.", "{s}, people familiar with the matter said.", "{s}, reports said.",
           "According to reports, {l}", "{s}, {P} told lawmakers.", "{s}, analysts said."]


def _lower_first(s: str) -> str:
    return s[0].lower() + s[1:] if s and s[0].isupper() and not (len(s) > 1 and (s[1].isupper() or s.split()[0] in COUNTRIES or s.split()[0].istitle() and len(s.split()) > 1 and s.split()[1][:1].isupper())) else s


class _Sent:
    __slots__ = ("text", "sids", "kind", "credits", "story")

    def __init__(self, text, sids, kind, story, credits=None):
        self.text, self.sids, self.kind, self.story = text, tuple(sids), kind, story
        self.credits = list(credits or [])  # (start, end, canonical) relative to text


def _carry(s: "_Sent", new: str) -> list:
    """The parent's credits whose mention text survived the edit, re-located in the new text."""
    out, pos = [], 0
    for a, b, can in sorted(s.credits):
        m = s.text[a:b]
        i = new.find(m, pos)
        if i < 0:
            i = new.find(m)
        if i >= 0 and (i, i + len(m), can) not in out:
            out.append((i, i + len(m), can))
            pos = i + len(m)
    return out


def _apply_credit(st: _Sent, O_can: str, O_txt: str, r: Random, tpl=None) -> None:
    tpl, where = tpl or r.choice(CREDIT_TPL)
    s = st.text.rstrip(".")
    l = _lower_first(st.text)
    # shift existing credit spans when text is prefixed
    new = tpl.replace("{s}", s).replace("{l}", l)
    o_txt = O_txt
    if where == "pre" and new.startswith("{O}") and o_txt.startswith("the "):
        o_txt = "The " + o_txt[4:]
    i = new.index("{O}")
    new = new.replace("{O}", o_txt, 1)
    shift = 0
    if where == "pre":
        shift = new.index(l) if l in new else 0
    creds = [(a + shift, b + shift, c) for a, b, c in st.credits]
    a = i + (4 if o_txt.lower().startswith("the ") else 0)
    creds.append((a, i + len(o_txt), O_can))
    st.text, st.credits = new, creds


def _alias(can: str, r: Random) -> str:
    for c, al in WIRES:
        if c == can:
            return r.choice(al)
    return can


# ---------------------------------------------------------------- articles
def _date_line(d: dt.datetime, r: Random) -> str:
    k = r.randint(0, 2)
    if k == 0:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year} - {d.hour:02d}:{d.minute:02d}"
    if k == 1:
        return d.date().isoformat()
    return f"Published {d.day} {MONTHS_LONG[d.month - 1]} {d.year}"


class _Article:
    __slots__ = ("doc", "outlet", "sents", "title", "time", "story", "stories", "parent", "kind", "edits", "date_mode")


def generate(n: int, seed: int = 0, cranfield_share: float = 0.1):
    """Yield (filename, text, truth_record) in a fixed order; then story records."""
    R = Random(seed)
    cran = _cranfield() if cranfield_share else []
    arts: list[_Article] = []
    stories = []
    nbuckets = max(1, n // 36)
    buckets = [_Bucket(Random(f"{seed}:b{i}")) for i in range(nbuckets)]
    base_time = dt.datetime(2024, 1, 1, 6, 0)
    heads: list[str] = []
    origins: list[tuple[str, list[str], int]] = []
    k = 0
    while len(arts) < n:
        r = Random(f"{seed}:o{k}")
        bi = r.randrange(nbuckets)
        b = buckets[bi]
        if cran and r.random() < cranfield_share:
            sents = list(r.choice(cran))[:14]
            head = sents[0].rstrip(".")[:90]
        else:
            head, sents = _origin_sentences(r, b)
        sid = f"S{k:06d}"
        wire, walias = r.choice(WIRES)
        t0 = base_time + dt.timedelta(hours=r.uniform(0, 24 * 330))
        # cascade size: geometric mean 8, occasionally a long tail, max 300
        nd = min(300, int(r.expovariate(1 / 8)) if r.random() < 0.97 else r.randint(40, 300))
        nd = min(nd, n - len(arts) - 1)
        origin = _Article()
        origin.doc = None
        origin.outlet, origin.title, origin.time, origin.story, origin.stories = wire, head, t0, sid, [sid]
        origin.parent, origin.kind, origin.edits = None, "origin", []
        origin.sents = [_Sent(s, [i], "verbatim", sid) for i, s in enumerate(sents)]
        members = [origin]
        for _ in range(max(0, nd)):
            parent = origin if (len(members) == 1 or r.random() < 0.7) else r.choice(members[1:])
            members.append(_derive(r, parent, origin, members, b, bi, origins, sid))
        origins.append((sid, sents, bi))
        heads.append(head)
        stories.append({"type": "story", "story": sid, "size": len(members), "bucket": bi})
        arts.extend(members)
        k += 1
    arts = arts[:n]
    # stable shuffle so files of one story are not adjacent
    order = list(range(len(arts)))
    R.shuffle(order)
    width = max(6, len(str(n)))
    for pos, ai in enumerate(order):
        arts[ai].doc = f"{pos:0{width}d}.txt"
    srec = {s["story"]: s for s in stories}
    for pos, ai in enumerate(order):
        a = arts[ai]
        yield _render(a, Random(f"{seed}:r{ai}"), heads)
    by_story: dict[str, list[_Article]] = {}
    for a in arts:
        by_story.setdefault(a.story, []).append(a)
    for s in stories:
        mem = by_story.get(s["story"])
        if not mem:
            continue
        mem.sort(key=lambda a: a.time)
        s["origin"] = mem[0].doc
        s["order"] = [a.doc for a in mem]
        yield None, None, s
    del srec


def _derive(r: Random, parent: _Article, origin: _Article, members, b: _Bucket, bi: int, origins, sid: str) -> _Article:
    a = _Article()
    a.doc = None
    a.outlet = r.choice(OUTLETS)
    a.time = parent.time + dt.timedelta(hours=r.expovariate(1 / 18))
    a.story, a.stories, a.parent = sid, [sid], parent
    mode = r.choices(["verbatim", "light", "paraphrase", "mixed"], [0.2, 0.25, 0.35, 0.2])[0]
    a.kind, a.edits = mode, []
    src = [_Sent(s.text, s.sids, s.kind, s.story) for s in parent.sents]  # credits of the parent are kept as text only
    for s, ps in zip(src, parent.sents):
        s.credits = list(ps.credits)
    story_src = [s for s in src if s.story == sid]
    other = [s for s in src if s.story != sid and s.kind != "unique"]
    src = story_src
    if mode != "verbatim":
        # delete, truncate, move
        p_del = r.uniform(0.1, 0.4)
        keep = [s for s in src if r.random() > p_del] or src[:3]
        if r.random() < 0.3 and len(keep) > 4:
            keep = keep[:max(4, int(len(keep) * r.uniform(0.5, 0.9)))]
            a.edits.append("truncate")
        if len(keep) < 3:
            keep = src[:min(len(src), 4)]
        if r.random() < 0.2 and len(keep) >= 5:
            i = r.randrange(1, len(keep) - 2)
            blk = keep[i:i + 2]
            del keep[i:i + 2]
            keep[1:1] = blk
            a.edits.append("move")
        src = keep
    out: list[_Sent] = []
    for s in src:
        kind = s.kind
        t = s.text
        if mode == "light" or (mode == "mixed" and r.random() < 0.5):
            t2 = _light(t, r)
            if t2 != t:
                kind = "near_verbatim" if kind == "verbatim" else kind
            t = t2
        elif mode == "paraphrase" or mode == "mixed":
            op = r.random()
            if op < 0.12 and _split(t):
                parts = _split(_swap(t, r, 0.3))
                if parts:
                    for p in parts:
                        out.append(_Sent(p, s.sids, "paraphrase", s.story))
                    a.edits.append("split")
                    continue
            if op > 0.88 and out and out[-1].kind == "paraphrase" and not out[-1].credits and len(out[-1].sids) == 1:
                prev = out.pop()
                merged = prev.text.rstrip(".") + ", while " + _lower_first(_swap(t, r, 0.3))
                out.append(_Sent(merged, prev.sids + s.sids, "paraphrase", s.story))
                a.edits.append("merge")
                continue
            t = _swap(t, r, r.uniform(0.3, 0.6))
            if r.random() < 0.5:
                t = _front(t)
            kind = "paraphrase"
        ns = _Sent(t, s.sids, kind, s.story)
        ns.credits = _carry(s, t)
        out.append(ns)
    # composite: sentences of another origin in the same bucket
    same = [o for o in origins if o[2] == bi and o[0] != sid]
    if same and r.random() < 0.12:
        osid, osents, _ = r.choice(same)
        j = r.randrange(len(osents))
        ins = [_Sent(osents[x], [x], "composite", osid) for x in range(j, min(len(osents), j + r.randint(1, 2)))]
        pos = r.randrange(1, len(out) + 1)
        out[pos:pos] = ins
        a.stories = [sid, osid]
        a.edits.append("composite")
    if other and r.random() < 0.5:
        out.extend(_Sent(o.text, o.sids, o.kind, o.story) for o in other[:2])
        if other[0].story not in a.stories:
            a.stories.append(other[0].story)
    # background (unique to this article)
    if r.random() < 0.4:
        for _ in range(r.randint(1, 3)):
            out.insert(r.randrange(1, len(out) + 1), _Sent(_background(r), [], "unique", None))
        a.edits.append("background")
    # self-repetition
    if r.random() < 0.08 and len(out) > 3:
        rep = r.choice([s for s in out if s.story == sid] or out)
        out.append(_Sent(_swap(rep.text, r, 0.4), rep.sids, "paraphrase", rep.story))
        a.edits.append("repeat")
    # credits
    if r.random() < 0.7:
        ncred = r.randint(1, 4)
        cands = [s for s in out if s.story == sid and not s.credits]
        r.shuffle(cands)
        for s in cands[:ncred]:
            tgt = parent if r.random() < 0.6 else origin
            _apply_credit(s, tgt.outlet, _alias(tgt.outlet, r), r)
        a.edits.append("credits")
        if r.random() < 0.15 and parent is not origin:
            c = [s for s in out if s.story == sid and not s.credits]
            if c:
                s = c[0]
                ptxt, otxt = _alias(parent.outlet, r), _alias(origin.outlet, r)
                l = _lower_first(s.text)
                pre = f"{ptxt[0].upper() + ptxt[1:]} cited {otxt} as saying that "
                i1 = 4 if ptxt.lower().startswith("the ") else 0
                i2 = len(ptxt) + 7 + (4 if otxt.lower().startswith("the ") else 0)
                s.credits = [(i1, len(ptxt), parent.outlet), (i2, len(ptxt) + 7 + len(otxt), origin.outlet)]
                s.text = pre + l
        if r.random() < 0.1:
            c = [s for s in out if s.story == sid and not s.credits]
            f = [s for s in out if s.credits]
            if c and f and out.index(c[0]) > out.index(f[0]) and out.index(c[0]) - out.index(f[0]) <= 3:
                s = c[0]
                s.text = s.text.rstrip(".") + ", the outlet reported."
                last = f[0].credits[-1][2]
                i = s.text.rindex("the outlet")
                s.credits = [(i, i + len("the outlet"), last)]
        if r.random() < 0.05:
            cands = [s for s in out if s.story == sid and not s.credits]
            if cands:
                fo = r.choice(FOREIGN)
                _apply_credit(cands[0], fo, fo, r, ("{s}, the {O} reported.", "post"))
    if r.random() < 0.3:
        cands = [s for s in out if s.story == sid and not s.credits]
        if cands:
            s = r.choice(cands)
            tpl = r.choice(NEG_TPL)
            s.text = tpl.replace("{s}", s.text.rstrip(".")).replace("{l}", _lower_first(s.text)).replace("{P}", f"{r.choice(FIRST)} {_name(r)}")
    # headline
    if mode == "verbatim" or r.random() < 0.4:
        a.title = parent.title
    elif r.random() < 0.5:
        a.title = _swap(parent.title, r, 0.4)
    else:
        a.title = parent.title.split(" as ")[0]
    a.sents = out
    return a


def _render(a: _Article, r: Random, heads: list[str]):
    """Text with furniture, credits/negatives logged with absolute spans."""
    parts: list[tuple[str, _Sent | None, str]] = []  # (text, sentence, role)
    credits, negatives = [], []
    is_origin = a.kind == "origin"
    title = a.title
    head_credit = None
    if not is_origin and r.random() < 0.08 and a.parent is not None:
        title = f"{title}: {a.parent.outlet} Report"
        head_credit = a.parent.outlet
    pieces: list[str] = []
    spans = []

    def add(text, role, sent=None, sep="\n\n"):
        if pieces:
            pieces.append(sep)
        start = sum(len(p) for p in pieces)
        pieces.append(text)
        spans.append((start, start + len(text), role, sent))
        return start

    o = a.outlet
    if not is_origin and r.random() < 0.5:
        add(f"{o} | Home | World | Business | Opinion", "furniture")
    st = add(title, "headline")
    if head_credit:
        i = title.rindex(head_credit)
        credits.append((st + i, st + i + len(head_credit), head_credit))
    date_mode = "none" if r.random() < 0.3 else r.choice(["text", "text", "meta"])
    if not is_origin and r.random() < 0.4:
        st = add(f"By {o} Staff", "byline")
        negatives.append((st + 3, st + 3 + len(o), o))
    if date_mode == "text":
        add(_date_line(a.time, r), "dateline")
    body = a.sents
    first_prefix = ""
    if date_mode == "text" and not is_origin and r.random() < 0.2:
        short = re.sub(r"[^A-Za-z]", "", o)
        first_prefix = f"({short}, {MONTHS[a.time.month - 1]}{a.time.day:02d}'{a.time.year % 100:02d}) — "
    elif is_origin and r.random() < 0.5 and a.outlet in ("Associated Press", "Reuters", "Agence France-Presse"):
        first_prefix = f"{r.choice(CITIES).upper()} ({ {'Associated Press': 'AP', 'Reuters': 'Reuters', 'Agence France-Presse': 'AFP'}[a.outlet]}) — "
    elif not is_origin and r.random() < 0.04 and a.parent is not None and a.parent.outlet in ("Associated Press", "Reuters", "Agence France-Presse"):
        tag = {'Associated Press': 'AP', 'Reuters': 'Reuters', 'Agence France-Presse': 'AFP'}[a.parent.outlet]
        first_prefix = f"{r.choice(CITIES).upper()} ({tag}) — "
        credits.append((None, tag, a.parent.outlet))
    para: list[_Sent] = []
    paras = []
    for s in body:
        para.append(s)
        if len(para) >= r.randint(1, 3):
            paras.append(para)
            para = []
    if para:
        paras.append(para)
    for pi, para in enumerate(paras):
        start = sum(len(p) for p in pieces) + (2 if pieces else 0)
        text = ""
        for si, s in enumerate(para):
            pre = first_prefix if (pi == 0 and si == 0) else ""
            if pre:
                text += pre
                if credits and credits[-1][0] is None:
                    tag, can = credits[-1][1], credits[-1][2]
                    i = pre.index("(" + tag) + 1
                    credits[-1] = (start + i, start + i + len(tag), can)
                elif pre.startswith("("):
                    negatives.append((start + 1, start + pre.index(","), o))
            s0 = len(text)
            text += s.text
            spans.append((start + s0, start + len(text), "body", s))
            for c0, c1, can in s.credits:
                credits.append((start + s0 + c0, start + s0 + c1, can))
            if si < len(para) - 1:
                text += " "
        if pieces:
            pieces.append("\n\n")
        pieces.append(text)
    if not is_origin and r.random() < 0.4:
        add(f"Read also: {r.choice(heads)}", "furniture")
    if not is_origin and r.random() < 0.5:
        k = r.randint(0, 2)
        foot = [f"More news at {o}", f"© 2024 {o}. All rights reserved.", f"{o} brings you the latest news and analysis."][k]
        st = add(foot, "footer")
        i = foot.index(o)
        negatives.append((st + i, st + i + len(o), o))
        add("Leave a comment", "furniture")
    text = "".join(pieces)
    sent_rec = []
    for s0, s1, role, s in spans:
        if role == "body":
            sent_rec.append([s0, s1, s.story, list(s.sids), s.kind])
        elif role == "headline":
            sent_rec.append([s0, s1, a.story, ["h", 0], "headline"])  # headlines condense the lead
        else:
            sent_rec.append([s0, s1, None, [], "furniture"])
    date = a.time.date().isoformat()
    rec = {
        "type": "article", "doc_id": a.doc, "outlet": a.outlet, "title": title,
        "date": date if date_mode != "none" else None, "date_in": date_mode, "time": a.time.isoformat(timespec="minutes"),
        "story": a.story, "stories": list(dict.fromkeys(a.stories)), "parent": a.parent.doc if a.parent else None,
        "kind": a.kind, "edits": a.edits, "sentences": sent_rec,
        "credits": [list(c) for c in credits], "negatives": [list(x) for x in negatives],
    }
    for c0, c1, can in credits:
        assert text[c0:c1], (a.doc, c0, c1, can)
    return a.doc, text, rec


def write(out: Path, n: int, seed: int = 0) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "corpus"
    corpus.mkdir(exist_ok=True)
    meta = []
    with open(out / "truth.jsonl", "w", encoding="utf-8") as tf:
        tf.write(json.dumps({"type": "about", "version": VERSION, "n": n, "seed": seed}) + "\n")
        for name, text, rec in generate(n, seed):
            if name is not None:
                (corpus / name).write_text(text, encoding="utf-8")
                if rec["date_in"] == "meta":
                    meta.append(f'["{name}"]\ndate = {rec["date"]}\noutlet = "{rec["outlet"]}"\n')
            tf.write(json.dumps(rec, ensure_ascii=False) + "\n")
    (corpus / "metadata.toml").write_text(
        f"# {VERSION}: dates/outlets known only from outside the text\n\n" + "\n".join(meta), encoding="utf-8")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("size", help="tiny | medium | large | a number of articles")
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    n = SIZES.get(a.size) or int(a.size)
    write(a.out, n, a.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
