"""Walking a corpus folder: which files are documents for one of the readers.

Walking is separate from reading so that incremental indexing can compare a file's size and
mtime with the index before paying for a read. Nothing here raises for a bad file: a file that
cannot be used becomes a :class:`~searchkit.models.Skipped` with a reason the user can act on.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CorpusError
from ..models import Skipped
from .readers import is_readable_name, suffix_of


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A candidate article found by :func:`walk`, not yet read."""

    rel_path: str  # relative to the corpus root, "/"-separated
    path: str | os.PathLike[str]  # where to open it (walk gives a plain string)
    size: int
    mtime_ns: int


#: Files at the corpus root that are the user's metadata, not documents.
METADATA_NAMES = frozenset({"metadata.toml", "metadata.csv"})
#: A browser's "save page, complete" writes NAME.html and a folder of its assets, named
#: NAME_files (Chrome, Firefox; Firefox localises it: "-Dateien", "_fichiers", ...).
_ASSET_FOLDER = re.compile(r"^(?P<stem>.+?)(?:_files|-Dateien|_fichiers|_archivos|_arquivos|_file|-filer|_bestanden|_soubory|_pliki|_tiedostot)$")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml", ".mht", ".shtml")


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regex over "/"-separated relative paths: ``**`` crosses folders, ``*``
    and ``?`` stay inside one, ``[...]`` is a set; ``#key`` after a matching path matches too
    (documents of a many-record file)."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and pattern.find("]", i + 1) > i + 1:
            end = pattern.find("]", i + 1)
            body = pattern[i + 1 : end]
            out.append("[^" + re.escape(body[1:]) + "]" if body.startswith("!") else "[" + re.escape(body) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + "(?:#.*)?$")


class _Filter:
    """``--include`` / ``--exclude`` globs. A pattern without "/" matches a name at any
    depth (``*.pdf``, ``drafts``); one with "/" matches the path from the corpus root
    (``2024/**``). Exclusions apply to folders and files; inclusions to files."""

    def __init__(self, include: Sequence[str], exclude: Sequence[str]) -> None:
        self.include = [self._compile(p) for p in include]
        self.exclude = [self._compile(p) for p in exclude]

    @staticmethod
    def _compile(pattern: str) -> tuple[bool, Any]:
        pattern = pattern.strip().replace("\\", "/").removeprefix("./").rstrip("/")
        return "/" in pattern, glob_regex(pattern)

    def _matches(self, patterns: list[tuple[bool, Any]], rel: str, name: str) -> bool:
        return any(regex.match(rel if anchored else name) for anchored, regex in patterns)

    def excluded(self, rel: str, name: str) -> bool:
        return bool(self.exclude) and self._matches(self.exclude, rel, name)

    def included(self, rel: str, name: str) -> bool:
        return not self.include or self._matches(self.include, rel, name)


def walk(root: Path, *, folders: list[str] | None = None,
         unsupported: dict[str, int] | None = None,
         include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Iterator[CorpusFile | Skipped]:
    """Yield the corpus's readable files in a stable order, and the ones skipped on the way.

    Follows symbolic links but never enters a directory twice (a link loop is reported, not
    followed forever), and indexes a file once, by its real path: a link to a file or folder
    inside the corpus is reported and skipped. Hidden files and folders (".git",
    ".DS_Store") are ignored silently, and so are the ``NAME_files`` asset folders of saved
    pages. Each folder entered is appended to ``folders`` (relative to ``root``; "" for the
    root); files of types no reader takes are counted in ``unsupported`` by lower-cased
    suffix. ``include``/``exclude`` are globs (see :class:`_Filter`).
    """
    root = Path(root)
    try:
        root_stat = root.stat()
    except OSError as exc:
        raise CorpusError(f"cannot read corpus folder {root}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(root_stat.st_mode):
        raise CorpusError(f"corpus {root} is not a folder")
    seen_dirs = {(root_stat.st_dev, root_stat.st_ino)}
    state = _WalkState(os.path.realpath(root), _Filter(include, exclude))
    yield from _walk_dir(str(root), "", seen_dirs, folders, unsupported, state)


@dataclass
class _WalkState:
    real_root: str
    filter: _Filter
    seen_files: dict[tuple[int, int], str] | None = None

    def inside(self, real: str) -> str | None:
        """``real`` relative to the corpus root, or None when it lies outside."""
        if real == self.real_root or not real.startswith(self.real_root.rstrip(os.sep) + os.sep):
            return None
        return os.path.relpath(real, self.real_root).replace(os.sep, "/")


def _walk_dir(folder: str, prefix: str, seen_dirs: set[tuple[int, int]],
              folders: list[str] | None, unsupported: dict[str, int] | None,
              state: _WalkState) -> Iterator[CorpusFile | Skipped]:
    # Plain strings, not Path objects: this runs once per file of the corpus on every re-index.
    if folders is not None:
        folders.append(prefix.rstrip("/"))
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(_shown(prefix.rstrip("/")) or ".", f"folder unreadable: {exc.strerror or exc}")
        return
    if state.seen_files is None:
        state.seen_files = {}
    names = {e.name.lower() for e in entries}
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = prefix + name
        if state.filter.excluded(rel, name):
            continue
        if not prefix and name.lower() in METADATA_NAMES:
            continue
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            if entry.is_symlink():
                reason = "symlink loop" if _is_link_loop(exc) else "broken symlink"
                suffix = _suffix(name)
                if not suffix or is_readable_name(name):
                    yield Skipped(_shown(rel), reason)
            else:
                yield Skipped(_shown(rel), f"unreadable: {exc.strerror or exc}")
            continue
        undecodable = not _valid_utf8(name)
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_subfolder(entry, rel, st, undecodable, names, seen_dirs, folders, unsupported, state)
            continue
        found = _corpus_file(entry, rel, st, undecodable, unsupported, state)
        if found is not None:
            yield found


def _walk_subfolder(entry: os.DirEntry[str], rel: str, st: os.stat_result, undecodable: bool, names: set[str],
                    seen_dirs: set[tuple[int, int]], folders: list[str] | None,
                    unsupported: dict[str, int] | None, state: _WalkState) -> Iterator[CorpusFile | Skipped]:
    """A folder met in the walk: walked, or skipped with the reason (a loop, a link to a
    folder walked anyway, a page's asset folder, a name that is not UTF-8)."""
    if undecodable:
        yield Skipped(_shown(rel), "folder name is not valid UTF-8 (rename it to index its files)")
        return
    asset = _ASSET_FOLDER.match(entry.name)
    if asset and any(asset.group("stem").lower() + s in names for s in _PAGE_SUFFIXES):
        return  # the images and scripts of a page saved "complete"
    if entry.is_symlink():
        target = state.inside(os.path.realpath(entry.path))
        if target is not None and (rel + "/").startswith(target + "/"):
            yield Skipped(_shown(rel), "symlink loop (a link to a folder it is in)")
            return
        if target is not None:
            yield Skipped(_shown(rel), f"symbolic link to the folder {_shown(target)}: its files are indexed once, under their real path")
            return
    key = (st.st_dev, st.st_ino)
    if key in seen_dirs:
        yield Skipped(_shown(rel), "symlink loop (folder already visited)")
        return
    seen_dirs.add(key)
    yield from _walk_dir(entry.path, rel + "/", seen_dirs, folders, unsupported, state)


def _corpus_file(entry: os.DirEntry[str], rel: str, st: os.stat_result, undecodable: bool,
                 unsupported: dict[str, int] | None, state: _WalkState) -> CorpusFile | Skipped | None:
    """A file met in the walk: a document to read, a skip with its reason, or None (filtered
    out, or a format searchkit does not read: counted in ``unsupported``)."""
    name, mode = entry.name, st.st_mode
    if not state.filter.included(rel, name):
        return None
    if not is_readable_name(name):
        if unsupported is not None and stat.S_ISREG(mode):
            kind = suffix_of(name) or "(no suffix)"
            unsupported[kind] = unsupported.get(kind, 0) + 1
        return None
    if not stat.S_ISREG(mode):
        return Skipped(_shown(rel), "not a regular file")
    if undecodable:
        return Skipped(_shown(rel), "file name is not valid UTF-8 (rename it to index it)")
    if entry.is_symlink():
        target = state.inside(os.path.realpath(entry.path))
        if target is not None and target != rel:
            return Skipped(_shown(rel), f"symbolic link to {_shown(target)}: indexed once, as {_shown(target)}")
    key = (st.st_dev, st.st_ino)
    assert state.seen_files is not None
    first = state.seen_files.get(key)
    if first is not None:
        return Skipped(_shown(rel), f"the same file as {_shown(first)} (a link): indexed once, as {_shown(first)}")
    state.seen_files[key] = rel
    return CorpusFile(rel, entry.path, st.st_size, st.st_mtime_ns)


def _valid_utf8(name: str) -> bool:
    """False for a name the file system gave as bytes that are not UTF-8 (Python keeps them
    as lone surrogates, which no index field or terminal can take)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(rel: str) -> str:
    """``rel`` with undecodable bytes written as \\xNN, for messages."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _suffix(name: str) -> str:
    """The file name's extension as :attr:`pathlib.PurePath.suffix` gives it ("" for "a.")."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _is_link_loop(exc: OSError) -> bool:
    import errno

    return exc.errno == errno.ELOOP
