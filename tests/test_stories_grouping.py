"""How the story stage tells a copy from look-alikes (issue 21): one sentence frame filled with
other words, a paraphrase sentence by sentence, two outlets' own reports of one event."""
from __future__ import annotations

import datetime as dt

from searchkit.stories import StoryInput, build_stories

TOWNS = ["Norport", "Kelvale", "Ashbury", "Dunmere", "Pellworth", "Brixham", "Corrin", "Halden"]
PROJECTS = ["tram extension", "school meals scheme", "harbour wall repair", "night bus network",
            "public housing plan", "water rationing order", "bridge closure", "library merger"]
PEOPLE = ["Helen Vale", "Marek Osei", "Ines Dorrel", "Tobias Rinn", "Clara Mbeki", "Owen Farris", "Lea Strand", "Ravi Kotan"]
GROUPS = ["The residents' alliance", "The traders' association"]
VERDICTS = ["premature", "overdue", "short-sighted", "inevitable"]
FIRMS = ["Northgate Builders", "Kestrel Works", "Amberline Services", "Tollmere Group"]
DAYS = ["Monday", "Friday", "Sunday", "Thursday"]
SPEAKERS = ["spokeswoman Anna Berg", "deputy mayor Joel Hart", "spokesman Tim Ruel"]


def _report(k: int) -> str:
    """Event k in a newsroom's house frames: a lede of its own, then frame sentences whose
    fillers (group, verdict, firm, speaker, day) recur across other events."""
    town, project, person = TOWNS[k], PROJECTS[k], PEOPLE[k]
    return (f"{town} approves the {project}\n"
            f"The council of {town} approved the {project} on Tuesday, mayor {person} said.\n"
            f"{GROUPS[k % 2]} called the decision {VERDICTS[k % 4]}.\n"
            f"{FIRMS[(k + k // 4) % 4]} warned that its costs could rise by 12 percent.\n"
            f"\"We did not take this decision lightly, and we will keep residents informed,\" {SPEAKERS[k % 3]} said.\n"
            f"A final decision is expected on {DAYS[(k // 2) % 4]}.\n")


def test_one_frame_with_other_fillers_is_not_a_story():
    day = dt.date(2025, 3, 4)
    docs = [StoryInput(f"e{k}.txt", _report(k), TOWNS[k], f"Outlet {k}", day) for k in range(8)]
    # and a real copy of event 0, which must still join it
    docs.append(StoryInput("copy0.txt", _report(0).replace("on Tuesday", "on Tuesday, Outlet 0 reported"), TOWNS[0],
                           "Copy Desk", day))
    model = build_stories(docs)
    grouped = [set(s.doc_ids) for s in model.stories if len(s.doc_ids) > 1]
    assert grouped == [{"e0.txt", "copy0.txt"}]


_SOURCE = [
    "Officials in Norport approved a 40.6 million euro repair fund for the flooded port on Monday.",
    "The fund covers 1,200 homes in the harbour district, the mayor Helen Vale said.",
    "Work on the sea wall starts in March and should take eighteen months.",
    "Engineers from Kelvale Marine will inspect the breakwater before the tender opens.",
    "The port handled 2.3 million tonnes of cargo last year, down from 3.1 million.",
    "Fishermen have asked for a separate compensation scheme for lost catches.",
    "The regional government will cover 60 percent of the cost, the treasurer Owen Farris added.",
    "Opposition councillors called the fund too small for a town of 48,000 people.",
]
# every sentence reworded (synonyms, clauses moved), in the source's order, no credit
_PARAPHRASE = [
    "Norport officials on Monday backed a 40.6 million euro fund to repair the flooded port.",
    "Some 1,200 homes in the harbour quarter fall under the fund, mayor Helen Vale stated.",
    "Building of the sea wall begins in March and is expected to last eighteen months.",
    "Before the tender opens, engineers of Kelvale Marine are to examine the breakwater.",
    "Last year the port moved 2.3 million tonnes of freight, against 3.1 million before.",
    "Fishermen want a distinct compensation plan for the catches they lost.",
    "Treasurer Owen Farris added that the regional government will pay 60 percent of the bill.",
    "Councillors of the opposition said the fund was too small for a town of 48,000 residents.",
]
# another outlet's own report of the same event: the same facts, its own sentences and order
_OWN_REPORT = [
    "Norport's flooded port will get 40.6 million euros for repairs.",
    "Mayor Helen Vale told our reporter that 1,200 households stand to benefit.",
    "Treasurer Owen Farris said the region pays 60 percent.",
    "Local fishermen remain angry about their losses.",
]


def test_a_paraphrase_sentence_by_sentence_is_one_story_and_an_own_report_is_not():
    day = dt.date(2025, 3, 3)
    docs = [StoryInput("source.txt", "Norport repair fund\n" + "\n".join(_SOURCE), "Norport repair fund", "Harbour Wire", day),
            StoryInput("paraphrase.txt", "Money for Norport's port\n" + "\n".join(_PARAPHRASE), "Money for Norport's port",
                       "Coast Daily", day),
            StoryInput("own.txt", "Norport port gets its fund\n" + "\n".join(_OWN_REPORT), "Norport port gets its fund",
                       "Valley Post", day)]
    docs += [StoryInput(f"e{k}.txt", _report(k), TOWNS[k], f"Outlet {k}", day) for k in range(1, 6)]
    model = build_stories(docs)
    assert model.story_of("source.txt") is not None
    assert model.story_of("source.txt") == model.story_of("paraphrase.txt")
    assert model.story_of("own.txt") != model.story_of("source.txt")
