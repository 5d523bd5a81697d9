"""An index's home in a cluster: :class:`searchkit.engine.base.Home` kept in OpenSearch.

* Each generation is a concrete index ``NAME-genN``; the alias ``NAME`` names the live one
  (what other tools, OpenSearch Dashboards among them, should query).
* The pointer, the indexing run's lock and the stories of each generation are documents of
  a small index ``NAME-searchkit`` (one shard, a replica on every cluster of two nodes or
  more). Stories are stored in chunks; a head document names the chunks of the last
  complete write, so a reader sees the old stories or the new ones, never half.
* The lock is a document created only if absent, renewed every 30 s by the run holding it;
  one not renewed for two minutes belongs to a run that died, and is taken over.
* Readers need no lease: a reader of a generation removed under it gets "index not found",
  which the library reads as "reopen" (``ReaderOutdated``).
* OpenSearch checksums its own segments and replicates them; searchkit records no
  manifest here (``checksums = False``); ``searchkit check`` reports the cluster's health.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import socket
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ...errors import IndexDamagedError, IndexLockedError, IndexMissingError
from ...store import Manifest, Pointer, Problem
from .errors import explain
from .location import Location

POINTER_FORMAT = 1
LOCK_RENEW_SECONDS = 30.0
LOCK_STALE_SECONDS = 120.0
SIDE_CHUNK_BYTES = 8 * 1024 * 1024


def cache_folder(location: Location) -> Path:
    """A local folder for the caches of an index in a cluster (never its data)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    key = re.sub(r"[^a-z0-9_.-]+", "_", f"{location.hosts[0][0]}_{location.hosts[0][1]}_{location.name}".lower())
    return Path(base) / "searchkit" / "opensearch" / key


class _NoLease:
    def release(self) -> None:
        pass


class ClusterHome:
    checksums = False

    def __init__(self, location: Location, client: Any) -> None:
        self.location = location
        self.client = client
        self.name: Path | str = location.display
        self.folder = cache_folder(location)
        self.meta_index = f"{location.name}-searchkit"

    def concrete(self, generation: str) -> str:
        return f"{self.location.name}-{generation}"

    # -- the small index of searchkit's own documents -------------------------------------

    def _ensure_meta(self) -> None:
        if self.client.indices.exists(index=self.meta_index):
            return
        from opensearchpy import exceptions as ox

        try:
            self.client.indices.create(index=self.meta_index, body={
                "settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"},
                "mappings": {"dynamic": False, "properties": {"kind": {"type": "keyword"},
                                                              "generation": {"type": "keyword"},
                                                              "data": {"type": "binary"}}},
            })
        except ox.RequestError as exc:
            if "resource_already_exists" not in str(exc):
                raise

    def _get(self, doc: str) -> dict[str, Any] | None:
        from opensearchpy import exceptions as ox

        try:
            found = self.client.get(index=self.meta_index, id=doc)
        except ox.NotFoundError:
            return None
        source: dict[str, Any] = found["_source"]
        return source

    # -- pointer ------------------------------------------------------------------------------

    def read_pointer(self) -> Pointer:
        try:
            data = self._get("pointer")
        except Exception as exc:  # noqa: BLE001 - any client error becomes one sentence
            raise explain(exc, self.location.display) from None
        if data is None:
            raise IndexMissingError(f"no index at {self.location.display}: build it with `searchkit index`")
        try:
            if data.get("format") != POINTER_FORMAT:
                raise ValueError("unknown format")
            return Pointer(generation=str(data["generation"]), schema_version=int(data["schema_version"]),
                           corpus=data.get("corpus"), built=str(data["built"]),
                           checked=str(data.get("checked", data["built"])))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise IndexDamagedError(f"index at {self.location.display} is damaged (its pointer document is "
                                    "unreadable): run `searchkit index --rebuild`") from None

    def write_pointer(self, pointer: Pointer) -> None:
        """Swap the alias to the pointer's generation and record the pointer (in that order:
        the alias is what other tools read, the pointer what searchkit reads)."""
        live = self.concrete(pointer.generation)
        actions: list[dict[str, Any]] = [{"add": {"index": live, "alias": self.location.name}}]
        current = self._alias_targets()
        actions += [{"remove": {"index": index, "alias": self.location.name}} for index in current if index != live]
        self.client.indices.update_aliases(body={"actions": actions})
        data = {"kind": "pointer", "format": POINTER_FORMAT, "generation": pointer.generation,
                "schema_version": pointer.schema_version, "corpus": pointer.corpus, "built": pointer.built,
                "checked": pointer.checked}
        self.client.index(index=self.meta_index, id="pointer", body=data, refresh="wait_for")

    def _alias_targets(self) -> list[str]:
        from opensearchpy import exceptions as ox

        try:
            return list(self.client.indices.get_alias(name=self.location.name))
        except ox.NotFoundError:
            return []

    # -- the lock of an indexing run --------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[object]:
        try:
            with self._lock():
                yield self
        except (IndexLockedError, IndexMissingError, IndexDamagedError):
            raise
        except Exception as exc:  # noqa: BLE001 - a read-only cluster, a node gone: one sentence
            error = explain(exc, self.location.display, writing=True)
            if error is exc:
                raise
            raise error from None

    @contextmanager
    def _lock(self) -> Iterator[object]:
        from opensearchpy import exceptions as ox

        self._ensure_meta()
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        body = {"kind": "lock", "owner": owner, "at": _now()}
        try:
            self.client.index(index=self.meta_index, id="lock", body=body, op_type="create", refresh="wait_for")
        except ox.ConflictError:
            held = self._get("lock") or {}
            age = _age(held.get("at"))
            if age is not None and age < LOCK_STALE_SECONDS:
                who = str(held.get("owner", "")).rsplit(":", 1)[0]
                raise IndexLockedError(f"another `searchkit index` ({who}) is updating {self.location.display}; "
                                       "wait for it to finish and try again") from None
            # The run that held it died: take it over (only if nobody else just did).
            found = self.client.get(index=self.meta_index, id="lock")
            try:
                self.client.index(index=self.meta_index, id="lock", body=body, refresh="wait_for",
                                  if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"])
            except ox.ConflictError:
                raise IndexLockedError(f"another `searchkit index` is updating {self.location.display}; "
                                       "wait for it to finish and try again") from None
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(LOCK_RENEW_SECONDS):
                try:
                    self.client.index(index=self.meta_index, id="lock", body={**body, "at": _now()})
                except Exception:  # noqa: BLE001 - a missed renewal is retried next time
                    pass

        thread = threading.Thread(target=renew, name="searchkit-lock", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            try:
                self.client.delete(index=self.meta_index, id="lock", refresh="wait_for")
            except Exception:  # noqa: BLE001 - it goes stale in two minutes anyway
                pass

    def indexing(self) -> bool:
        try:
            held = self._get("lock")
        except Exception:  # noqa: BLE001 - no meta index yet, or the cluster is away
            return False
        age = _age(held.get("at")) if held else None
        return age is not None and age < LOCK_STALE_SECONDS

    def lease(self, generation: str) -> _NoLease:
        return _NoLease()

    # -- generations ----------------------------------------------------------------------------

    def _generations(self) -> dict[str, str]:
        """generation -> concrete index, for every generation index in the cluster."""
        from opensearchpy import exceptions as ox

        prefix = f"{self.location.name}-gen"
        try:
            names = self.client.indices.get(index=f"{prefix}*", expand_wildcards="open,closed")
        except ox.NotFoundError:
            return {}
        return {name[len(self.location.name) + 1:]: name for name in names
                if name.startswith(prefix) and name[len(prefix):].isdigit()}

    def new_generation_name(self) -> str:
        numbers = [int(g[3:]) for g in self._generations()]
        try:
            numbers.append(int(self.read_pointer().generation[3:]))
        except Exception:  # noqa: BLE001 - no pointer yet
            pass
        return f"gen{max(numbers, default=0) + 1}"

    def remove_other_generations(self, keep: set[str | None]) -> None:
        for generation, index in self._generations().items():
            if generation not in keep:
                self.client.indices.delete(index=index, ignore_unavailable=True)
                self._delete_sides(generation)

    def collect_garbage(self) -> None:
        """Nothing to do on reading: the indexing run removes what it replaced."""

    # -- checks ---------------------------------------------------------------------------------

    def verify_sizes(self, generation: str) -> None:
        """OpenSearch checks its own files."""

    def verify(self, generation: str) -> tuple[Manifest | None, list[Problem]]:
        if not self.client.indices.exists(index=self.concrete(generation)):
            return None, [Problem(self.concrete(generation), "is missing from the cluster")]
        return None, []

    def read_manifest(self, generation: str) -> Manifest | None:
        return None

    def record_commit(self, generation: str, files: list[str], commit: str, documents: int) -> None:
        """Nothing to record: the engine's commit (a refresh) is durable in the translog."""

    def discard_uncommitted(self, generation: str, committed: list[str]) -> None:
        """Nothing to discard: bulk writes are per document."""

    def health(self) -> list[str]:
        try:
            health = self.client.cluster.health(index=f"{self.location.name}-*")
        except Exception as exc:  # noqa: BLE001
            return [str(explain(exc, self.location.display))]
        if health.get("status") == "red":
            return [f"the cluster is red: {health.get('unassigned_shards', '?')} shards have no live copy "
                    "(start the missing nodes, or rebuild the index)"]
        return []

    # -- what later stages keep beside a generation ---------------------------------------------

    def _head_id(self, generation: str, suffix: str) -> str:
        return f"side:{generation}{suffix}"

    def has_side(self, generation: str, suffix: str) -> bool:
        return self._get(self._head_id(generation, suffix)) is not None

    def read_side(self, generation: str, suffix: str) -> bytes | None:
        try:
            head = self._get(self._head_id(generation, suffix))
            if head is None:
                return None
            ids = [f"{self._head_id(generation, suffix)}:{head['write']}:{i}" for i in range(int(head["chunks"]))]
            docs = self.client.mget(index=self.meta_index, body={"ids": ids}).get("docs", []) if ids else []
            data = b"".join(base64.b64decode(doc["_source"]["data"]) for doc in docs)
        except Exception:  # noqa: BLE001 - stories missing or unreadable are recomputed, never fatal
            return None
        if hashlib.sha256(data).hexdigest() != head.get("sha256"):
            return None
        return data

    def write_side(self, generation: str, suffix: str, data: bytes) -> None:
        self._ensure_meta()
        head_id = self._head_id(generation, suffix)
        old = self._get(head_id)
        write = uuid.uuid4().hex[:12]
        chunks = [data[i:i + SIDE_CHUNK_BYTES] for i in range(0, len(data), SIDE_CHUNK_BYTES)] or [b""]
        for i, chunk in enumerate(chunks):
            self.client.index(index=self.meta_index, id=f"{head_id}:{write}:{i}",
                              body={"kind": "chunk", "generation": generation, "data": base64.b64encode(chunk).decode("ascii")})
        self.client.index(index=self.meta_index, id=head_id, refresh="wait_for",
                          body={"kind": "side", "generation": generation, "write": write, "chunks": len(chunks),
                                "sha256": hashlib.sha256(data).hexdigest()})
        if old:
            for i in range(int(old.get("chunks", 0))):
                self.client.delete(index=self.meta_index, id=f"{head_id}:{old['write']}:{i}", ignore=[404])

    def _delete_sides(self, generation: str) -> None:
        try:
            self.client.delete_by_query(index=self.meta_index, body={"query": {"term": {"generation": generation}}},
                                        ignore=[404], conflicts="proceed")
        except Exception:  # noqa: BLE001 - leftover chunks cost space, not correctness
            pass


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def _age(stamp: object) -> float | None:
    try:
        return (dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(str(stamp))).total_seconds()
    except (TypeError, ValueError):
        return None
