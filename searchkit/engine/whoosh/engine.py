"""The :class:`~searchkit.engine.base.Engine` protocol implemented on Whoosh."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ...errors import SearchkitError
from ...models import ArticleMeta, Results, SearchOptions
from ...store import FileState
from ..base import Counts, IndexedDocument, ReaderOutdated, StoryMembers, meta_from_stored
from .index import (
    column_values,
    count_documents,
    document_fields,
    drop_empty_then_merge_small,
    generation_files,
    indexed_states,
    open_whoosh,
    outlet_names,
    stored_document,
)
from .schema import SCHEMA_VERSION, build_schema
from . import internals
from .internals import check_whoosh_version

#: Memory for one writer's posting buffers (MB): Whoosh's default of 128 spills too often.
WRITER_MB = 256


class WhooshEngine:
    schema_version = SCHEMA_VERSION

    def __init__(self) -> None:
        check_whoosh_version()

    def check(self, index_dir: Path, generation: str) -> None:
        open_whoosh(index_dir, generation)

    def files(self, index_dir: Path, generation: str) -> tuple[str, list[str]]:
        return generation_files(index_dir, generation)

    def create(self, index_dir: Path, generation: str, *, procs: int = 1) -> _Writer:
        from whoosh import index as whoosh_index

        from .codec import W4Codec

        ix = whoosh_index.create_in(str(index_dir), build_schema(), indexname=generation)
        if procs > 1:
            writer = ix.writer(procs=procs, multisegment=True, limitmb=WRITER_MB, compound=False, codec=W4Codec())
            _quiet_workers(writer)
        else:
            from .bulkwriter import BulkSegmentWriter  # only builds pay for Whoosh's writer

            writer = BulkSegmentWriter(ix, limitmb=WRITER_MB, compound=False, codec=W4Codec())
        return _Writer(ix, writer, merge=False)

    def writer(self, index_dir: Path, generation: str) -> _Writer:
        from .codec import W4Codec

        ix = open_whoosh(index_dir, generation)
        writer = ix.writer(limitmb=WRITER_MB, compound=False, codec=W4Codec())
        _sync_before_toc(writer, Path(index_dir))
        return _Writer(ix, writer, merge=True)

    def indexed(self, index_dir: Path, generation: str) -> dict[str, tuple[str, FileState]]:
        return indexed_states(open_whoosh(index_dir, generation))

    def reader(self, index_dir: Path, generation: str) -> WhooshReader:
        return WhooshReader(index_dir, open_whoosh(index_dir, generation), generation)

    def label_stories(self, index_dir: Path, generation: str, story_of: dict[str, str]) -> None:
        """Searches fold Whoosh's hits by the library's story map: nothing to record."""

    def check_query(self, text: str, *, plain: bool = False) -> None:
        from ...querylang.parser import parse
        from .compile import ANALYZER
        from .search import is_match_all

        if not is_match_all(text):  # "*" or nothing: every article, as searches read it
            parse(text, ANALYZER, plain=plain)

    def query_terms(self, text: str, *, plain: bool = False, lang: str | None = None) -> frozenset[str]:
        from .analysis import ANALYSED_LANGUAGES
        from .compile import parse_query, query_words

        languages = (lang,) if lang in ANALYSED_LANGUAGES else ()
        return frozenset(term for field, term in query_words(parse_query(text, plain=plain, languages=languages))
                         if field in ("title", "body"))

    def matched_spans(self, text: str, query: str, *, plain: bool = False,
                      lang: str | None = None) -> list[tuple[int, int]]:
        from .analysis import ANALYSED_LANGUAGES
        from .compile import parse_query
        from .snippets import matched_spans

        languages = (lang,) if lang in ANALYSED_LANGUAGES else ()
        return matched_spans(parse_query(query, plain=plain, languages=languages), text,
                             lang=lang if languages else None)

    def tokens(self, text: str, *, lang: str | None = None) -> list[tuple[str, int, int, str]]:
        from .analysis import ANALYSED_LANGUAGES, text_analyzer

        options = {"lang": lang} if lang in ANALYSED_LANGUAGES else {}
        return [(t.text, t.startchar, t.endchar, t.original)
                for t in text_analyzer()(text, chars=True, keeporiginal=True, **options)]


def _quiet_workers(writer: Any) -> None:
    """Whoosh's worker processes ignore Ctrl-C (the terminal sends it to all of them, and
    each printed a traceback): the parent alone stops, and cancelling kills them instead of
    setting a flag they never see (which left them waiting on their queue forever). They
    also die with the build when it is killed (:mod:`.workers`)."""
    import signal

    from .workers import BuildWorker

    cancel = writer.cancel

    def quiet_new_task() -> Any:
        # Whoosh's MpWriter._new_task, with our worker class.
        task = BuildWorker(writer.storage, writer.indexname, writer.jobqueue, writer.resultqueue,
                           writer.subargs, writer.multisegment)
        writer.tasks.append(task)
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the fork
        try:
            task.start()
        finally:
            signal.signal(signal.SIGINT, previous)
        return task

    def kill_and_cancel() -> None:
        for task in writer.tasks:
            if task.is_alive():
                task.terminate()
        for task in writer.tasks:
            task.join(5)
        # Jobs still buffered for the dead workers must not keep the process from exiting
        # (a queue's feeder thread is joined at exit, and would wait for a reader forever).
        for queue in (writer.jobqueue, writer.resultqueue):
            queue.cancel_join_thread()
            queue.close()
        cancel()

    internals.set_writer_new_task(writer, quiet_new_task)
    writer.cancel = kill_and_cancel


def _sync_before_toc(writer: Any, index_dir: Path) -> None:
    """Make Whoosh's in-place commit durable in Lucene's order: the new segments' files and
    the folder are fsynced before the new TOC (the commit point) is written. Whoosh itself
    never fsyncs; the TOC and the manifest are synced after, by the build."""
    from ...atomic import fsync_dir, fsync_file
    from ...faults import fault_point

    write_toc = internals.writer_commit_toc(writer)

    def commit_toc(segments: Any) -> None:
        ids = {segment.segment_id() for segment in segments}
        for name in sorted(os.listdir(index_dir)):
            if name.split(".", 1)[0] in ids and (index_dir / name).is_file():
                fsync_file(index_dir / name)
        fsync_dir(index_dir)
        fault_point("after-segment-write")
        write_toc(segments)

    internals.set_writer_commit_toc(writer, commit_toc)


class _Writer:
    def __init__(self, ix: Any, writer: Any, *, merge: bool) -> None:
        self._ix = ix
        self._writer = writer
        self._merge = merge

    def add(self, doc: IndexedDocument) -> None:
        self._writer.add_document(**document_fields(doc))

    def on_progress(self, report: Callable[[int, int], None] | None) -> None:
        """Have ``report(characters done, characters in all)`` called while one long text
        is analysed (a 45 MB article), None to stop."""
        from . import fastindex

        fastindex.long_text_progress = report

    def update(self, doc: IndexedDocument) -> None:
        self._writer.update_document(**document_fields(doc))

    def delete(self, doc_id: str) -> None:
        self._writer.delete_by_term("doc_id", doc_id)

    def commit(self) -> int:
        self.on_progress(None)
        if self._merge:
            self._writer.commit(mergetype=drop_empty_then_merge_small)
        else:
            self._writer.commit()
        with self._ix.reader() as reader:
            count: int = reader.doc_count()
        return count

    def cancel(self) -> None:
        self.on_progress(None)
        self._writer.cancel()


class WhooshReader:
    """One open Whoosh searcher. An error while its files have gone from the folder (a
    rebuild swapped generations and removed the old one, a merge removed segments) becomes
    :class:`ReaderOutdated`; any other error goes up as it is, for the caller to tell damage
    (from the files' sizes and checksums) from a bug."""

    def __init__(self, index_dir: Path, ix: Any, generation: str = "") -> None:
        self._index_dir = Path(index_dir)
        from ...models import Ranking
        from .weighting import RankingBM25F

        default = Ranking()
        self._searcher = ix.searcher(weighting=RankingBM25F(B=default.b, K1=default.k1, idf=default.idf))
        #: The Whoosh searcher itself, for engine-level tests and tools.
        self.searcher = self._searcher
        self._surface_cache: dict[str, str | None] = {}
        self._files = generation_files(index_dir, generation)[1] if generation else []

    def _run(self, action: Any) -> Any:
        try:
            return action(self._searcher)
        except SearchkitError:
            raise  # QueryError and friends are ValueErrors, not damage
        except Exception as exc:
            gone = [name for name in self._files if not (self._index_dir / name).exists()]
            if gone:
                raise ReaderOutdated(f"{gone[0]} was removed while it was read") from exc
            raise

    def search(self, text: str, options: SearchOptions, corpus: Path | None,
               stories: StoryMembers | None = None, story_of: Mapping[str, str] | None = None) -> Results:
        from .search import run_search

        result: Results = self._run(lambda s: run_search(s, text, options, corpus, stories, story_of=story_of))
        return result

    def matching_ids(self, text: str, options: SearchOptions, stories: StoryMembers | None = None,
                     among: Iterable[str] | None = None) -> list[str]:
        from .search import matching_ids

        result: list[str] = self._run(lambda s: matching_ids(s, text, options, stories, among))
        return result

    def similar(self, text: str, options: SearchOptions, corpus: Path | None,
                exclude: str | None = None) -> Results:
        from .search import run_search

        result: Results = self._run(lambda s: run_search(s, text, options, corpus, similar=True, exclude=exclude))
        return result

    def documents(self) -> Iterator[tuple[str, str, ArticleMeta]]:
        """(doc id, text, metadata) of every live document, for stages that read the whole
        corpus (stories)."""
        for _docnum, stored in self._searcher.reader().iter_docs():
            yield stored["doc_id"], stored.get("body", ""), meta_from_stored(stored)

    def id_sorted_parts(self, parts: int) -> None:
        """None: the documents of a local index are read by this process (in docnum order)."""
        return None

    def counts(self) -> Counts:
        return Counts(**self._run(count_documents))

    def document(self, doc_id: str) -> IndexedDocument | None:
        result: IndexedDocument | None = self._run(lambda s: stored_document(s, doc_id))
        return result

    def complete(self, prefix: str, limit: int) -> list[str]:
        from .search import complete_words

        result: list[str] = self._run(lambda s: complete_words(s, prefix, limit, self._surface_cache))
        return result

    def outlets(self) -> list[str]:
        result: list[str] = self._run(outlet_names)
        return result

    def doc_ids(self) -> list[str]:
        result: list[str] = self._run(lambda s: sorted(i for (i,) in column_values(s.reader(), "doc_id")))
        return result

    def up_to_date(self) -> bool:
        return bool(self._searcher.up_to_date())

    def close(self) -> None:
        self._searcher.close()

