"""The :class:`~searchkit.engine.base.Engine` protocol implemented on an OpenSearch cluster.

One engine is bound to one location (a URL); the ``index_dir`` the protocol passes is the
local folder of its caches, unused here. Shards and replicas of a new generation come from
``SEARCHKIT_OPENSEARCH_SHARDS`` (default 1) and ``SEARCHKIT_OPENSEARCH_REPLICAS`` (default:
one replica when the cluster has two data nodes or more, else none).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ...errors import IndexDamagedError, SchemaMismatchError, SearchkitError
from ...store import FileState
from ..base import EngineReader
from .compile import MATCH_ALL
from .errors import explain
from .fields import source_state
from .home import ClusterHome
from .location import Location
from .mapping import MAPPING_VERSION, SCHEMA_KIND, mappings, settings
from .reader import OpenSearchReader
from .writer import BulkWriter


class OpenSearchEngine:
    schema_version = MAPPING_VERSION

    def __init__(self, location: Location, client: Any, home: ClusterHome) -> None:
        self.location = location
        self.client = client
        self.home = home
        self._where = location.display
        self._analysis: Any = None

    def _local(self) -> Any:
        """The local engine's analysis: queries are read alike on both engines."""
        if self._analysis is None:
            from ..whoosh import WhooshEngine

            self._analysis = WhooshEngine()
        return self._analysis

    # -- generations --------------------------------------------------------------------------

    def check(self, index_dir: Path, generation: str) -> None:
        index = self.home.concrete(generation)
        try:
            found = self.client.indices.get_mapping(index=index)
        except Exception as exc:  # noqa: BLE001
            error = explain(exc, self._where)
            raise IndexDamagedError(f"index at {self._where} is damaged ({index}: {error}): "
                                    "run `searchkit index --rebuild`") from None
        meta = next(iter(found.values()))["mappings"].get("_meta", {})
        if meta.get("kind") != SCHEMA_KIND or meta.get("version") != MAPPING_VERSION:
            raise SchemaMismatchError(
                f"index at {self._where} was built by another version of searchkit (mapping "
                f"{meta.get('version')}, this version uses {MAPPING_VERSION}): rebuild it with "
                "`searchkit index --rebuild`")

    def files(self, index_dir: Path, generation: str) -> tuple[str, list[str]]:
        return "", []

    def _replicas(self) -> int:
        configured = os.environ.get("SEARCHKIT_OPENSEARCH_REPLICAS")
        if configured is not None:
            return int(configured)
        return 1 if self.client.cluster.health()["number_of_data_nodes"] > 1 else 0

    def create(self, index_dir: Path, generation: str, *, procs: int = 1) -> BulkWriter:
        index = self.home.concrete(generation)
        try:
            shards = int(os.environ.get("SEARCHKIT_OPENSEARCH_SHARDS", "1"))
            replicas = self._replicas()
            self.client.indices.create(index=index, body={
                # Replicas from the start: a node lost during the load must not lose documents.
                "settings": settings(shards=shards, replicas=replicas),
                "mappings": mappings(),
            }, wait_for_active_shards=1)
        except SearchkitError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise explain(exc, self._where, writing=True) from None

        def finish() -> None:
            from opensearchpy import exceptions as ox

            self.client.indices.put_settings(index=index, body={"index": {"refresh_interval": None}})
            try:
                # Every primary active before the alias moves; replicas may still be copying
                # (a node lost during the run: the cluster re-replicates on its own).
                self.client.cluster.health(index=index, wait_for_status="yellow", request_timeout=60)
            except ox.TransportError as exc:
                if exc.status_code != 408:
                    raise

        return BulkWriter(self.client, index, self._where, new=True, finish=finish)

    def writer(self, index_dir: Path, generation: str) -> BulkWriter:
        return BulkWriter(self.client, self.home.concrete(generation), self._where, new=False)

    def indexed(self, index_dir: Path, generation: str) -> dict[str, tuple[str, FileState]]:
        reader = OpenSearchReader(self.client, self.home.concrete(generation), self._where)
        out = {}
        for hit in reader._scan(MATCH_ALL, ["doc_id", "state"]):
            state = source_state(hit["_source"])
            out[hit["_source"]["doc_id"]] = (state.file or hit["_source"]["doc_id"], state)
        return out

    def reader(self, index_dir: Path, generation: str) -> EngineReader:
        index = self.home.concrete(generation)
        try:
            exists = self.client.indices.exists(index=index)
        except Exception as exc:  # noqa: BLE001
            raise explain(exc, self._where) from None
        if not exists:
            raise IndexDamagedError(f"index at {self._where} is damaged ({index} is missing from the cluster): "
                                    "run `searchkit index --rebuild`")
        return OpenSearchReader(self.client, index, self._where, self.location)

    def label_stories(self, index_dir: Path, generation: str, story_of: dict[str, str]) -> None:
        """Write each document's story where it differs (an article alone: its own id)."""
        index = self.home.concrete(generation)
        reader = OpenSearchReader(self.client, index, self._where)
        writer = BulkWriter(self.client, index, self._where, new=False)
        for hit in reader._scan(MATCH_ALL, ["doc_id", "story"]):
            doc_id = hit["_source"]["doc_id"]
            wanted = story_of.get(doc_id, doc_id)
            if hit["_source"].get("story") != wanted:
                writer.label(doc_id, wanted)
        writer.commit()

    # -- queries (the local analysis) -----------------------------------------------------------

    def check_query(self, text: str, *, plain: bool = False) -> None:
        self._local().check_query(text, plain=plain)

    def query_terms(self, text: str, *, plain: bool = False, lang: str | None = None) -> frozenset[str]:
        terms: frozenset[str] = self._local().query_terms(text, plain=plain, lang=lang)
        return terms

    def matched_spans(self, text: str, query: str, *, plain: bool = False,
                      lang: str | None = None) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = self._local().matched_spans(text, query, plain=plain, lang=lang)
        return spans

    def tokens(self, text: str, *, lang: str | None = None) -> list[tuple[str, int, int, str]]:
        tokens: list[tuple[str, int, int, str]] = self._local().tokens(text, lang=lang)
        return tokens
