"""The stories of an index: computed after each indexing run, kept beside the generation.

A stage after indexing (the stories themselves are :mod:`searchkit.stories`, which knows no
engine): a full build groups every document; an incremental run updates only what the
changed documents touch. The model is written to ``<generation>.stories`` atomically (temporary
file, fsync, rename) after the engine's commit, so a killed run leaves the previous stories or
none, never half; the index's generation cleanup removes the file with its generation.

An index whose stories file is missing or unreadable (written by an older searchkit, or a run
killed between the commit and the stories) still searches; its stories are rebuilt by the
next ``searchkit index``, and until then computed on demand in memory.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import SearchkitError
from .store import SIDE_FILE_SUFFIXES

if TYPE_CHECKING:
    from .engine.base import EngineReader, Home
    from .models import ArticleMeta
    from .stories import StoryInput, StoryModel

STORIES_SUFFIX = ".stories"
#: The members of each story of two or more articles, as JSON: all that searching needs
#: (``Hit.story``, collapsing, ``story:ID``), read without loading the stories model.
MAP_SUFFIX = ".storymap"
MAP_FORMAT = 2
assert {STORIES_SUFFIX, MAP_SUFFIX} <= set(SIDE_FILE_SUFFIXES)  # the store keeps them with the generation


#: story id -> its articles as (doc id, outlet or None, ISO date or None), dated by date,
#: then undated: what a search shows of a story's other versions, without reading them.
StoryMap = dict[str, list[tuple[str, "str | None", "str | None"]]]


def story_map(model: StoryModel) -> StoryMap:
    """The map of the stories of two or more articles."""
    out: StoryMap = {}
    dates = model.dates()
    for story in model.stories:
        if len(story.doc_ids) > 1:
            out[story.story_id] = [(doc_id, outlet, dates.get(doc_id))
                                   for doc_id, outlet in zip(story.doc_ids, story.outlets)]
    return out


def has_stories(home: Home, generation: str) -> bool:
    return home.has_side(generation, STORIES_SUFFIX)


def load_map(home: Home, generation: str) -> StoryMap | None:
    """The stored story map of a generation, or None when there is none (or it is unreadable)."""
    import json

    raw = home.read_side(generation, MAP_SUFFIX)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != MAP_FORMAT:
            return None
        return {str(k): [(str(d), o if o is None else str(o), t if t is None else str(t)) for d, o, t in v]
                for k, v in data["stories"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|wg|tr|rv|enc|i|пересл|fwd?\s*\[\d+\])\s*:", re.IGNORECASE)
_FORWARD_BODY = re.compile(r"^-{2,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|Message transféré|"
                           r"Mensaje reenviado|Пересылаемое сообщение)\s*-{2,}|^Begin forwarded message:", re.IGNORECASE | re.MULTILINE)


def story_input(doc_id: str, text: str, meta: ArticleMeta) -> StoryInput:
    """What the story stage knows of a document. A forwarded e-mail's header date is when it
    was forwarded, not when what it carries was published: such a message joins its story
    undated (never placed first by that date), unless the user's metadata gives its date."""
    from .stories import StoryInput

    date = meta.date
    if date is not None and meta.date_source == "header" and (
            _FORWARD_SUBJECT.match(meta.title or "") or _FORWARD_BODY.search(text[:20000])):
        date = None
    return StoryInput(doc_id=doc_id, text=text, title=meta.title or "", outlet=meta.outlet, date=date, url=meta.url)


def _all_inputs(reader: EngineReader) -> Iterator[StoryInput]:
    for doc_id, text, meta in reader.documents():
        yield story_input(doc_id, text, meta)


def load(home: Home, generation: str) -> StoryModel | None:
    """The stored stories of a generation, or None when there are none (or they are unreadable)."""
    from .stories import StoryModel

    blob = home.read_side(generation, STORIES_SUFFIX)
    if blob is None:
        return None
    try:
        return StoryModel.from_bytes(blob)
    except Exception:  # noqa: BLE001 - any unreadable model is rebuilt, never fatal to a search
        return None


def compute(reader: EngineReader) -> StoryModel:
    """Stories of every document the reader holds (in memory). Credits know every outlet of
    the index from the start (not only those read so far), so that they depend on the
    documents, not on the order the engine yields them (a Spark stage reads them in parts)."""
    from .stories import build_stories

    return build_stories(_all_inputs(reader), known_outlets=reader.outlets())


def compute_on_spark(reader: EngineReader, master: str, *, inputs: str | None = None,
                     stats: dict[str, object] | None = None) -> StoryModel:
    """The same stories as :func:`compute`, computed on Spark at ``master`` (local[2],
    local-cluster[2,1,1024], spark://host:7077). ``inputs``: the index's documents as a JSON
    Lines or Parquet file of story inputs (any path or URL Spark reads) instead of the index.
    An index whose engine offers parts (OpenSearch) is read by the executors themselves;
    another is written by this process to a JSON Lines file Spark reads."""
    import tempfile

    from .stories import spark as on_spark

    on_spark.check_spark()
    on_spark.check_master(master)
    with tempfile.TemporaryDirectory(prefix="searchkit-stories-") as tmp:
        source: str | list[on_spark.DocumentPart] | None = inputs
        if source is None:
            parts = reader.id_sorted_parts(SPARK_READ_PARTS)
            source = None if parts is None else [_InputsOf(part) for part in parts]
        if source is None:
            source = os.path.join(tmp, "inputs.jsonl")
            on_spark.write_inputs(_all_inputs(reader), source)
        spark = on_spark.session(master)
        try:
            model = on_spark.build_stories_spark(spark, source, known_outlets=reader.outlets(), stats=stats)
        except Exception as exc:  # noqa: BLE001 - Spark's own errors become one line
            if isinstance(exc, SearchkitError) or not type(exc).__module__.startswith(("py4j", "pyspark")):
                raise
            raise on_spark.failure(exc) from None
        finally:
            spark.stop()
        with contextlib.suppress(OSError):
            os.unlink(on_spark.session_log())  # kept only when something failed (the error names it)
    if inputs is not None:
        missing = set(reader.doc_ids()) - set(model.dates())
        if missing or len(model) != reader.counts().documents:
            raise StoryInputsMismatch(f"{inputs} does not hold the index's documents "
                                      f"({len(model)} documents, {len(missing)} of the index's missing)")
    return model


#: Parts an index's documents are read in when its engine lets executors read them (each a
#: task; a cluster of more cores reads no faster with more parts than the index has shards).
SPARK_READ_PARTS = 8


class _InputsOf:
    """The story inputs of one part of an index's documents (what a Spark executor reads)."""

    def __init__(self, part: Callable[[], Iterator[tuple[str, str, ArticleMeta]]]) -> None:
        self.part = part

    def __call__(self) -> Iterator[StoryInput]:
        for doc_id, text, meta in self.part():
            yield story_input(doc_id, text, meta)


class StoryInputsMismatch(SearchkitError):
    """The story inputs given are not the documents of the index."""


def write(home: Home, generation: str, model: StoryModel) -> dict[str, str]:
    """Write a generation's stories (the model, then its map); returns the story of each
    article in a story of two or more."""
    return write_stored(home, generation, model.to_bytes(), map_bytes(model))


def map_bytes(model: StoryModel) -> bytes:
    """The stored story map of a model."""
    import json

    return json.dumps({"format": MAP_FORMAT, "stories": story_map(model)}).encode("utf-8")


def write_stored(home: Home, generation: str, model_blob: bytes, map_blob: bytes) -> dict[str, str]:
    """:func:`write`, of a model and map already stored as bytes (computed in another process)."""
    import json

    # The map after the model: a map is only ever as new as the model beside it.
    home.write_side(generation, STORIES_SUFFIX, model_blob)
    home.write_side(generation, MAP_SUFFIX, map_blob)
    stories = json.loads(map_blob.decode("utf-8"))["stories"]
    return {doc_id: story_id for story_id, docs in stories.items() for doc_id, _, _ in docs}


def update(home: Home, generation: str, reader: EngineReader, *, previous: str | None,
           changed: Iterable[StoryInput] = (), removed: Iterable[str] = (), full: bool = False) -> dict[str, str]:
    """Bring the stories of ``generation`` up to date and write them.

    ``previous`` names the generation whose stories are the starting point (the same one for
    an incremental run); with ``full``, or when those are missing, everything is regrouped.
    Returns the story of each article in a story of two or more.
    """
    model = None if full or previous is None else load(home, previous)
    if model is None:
        model = compute(reader)
    else:
        model.update(changed, removed)
    return write(home, generation, model)
