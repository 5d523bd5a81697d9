"""Reading a corpus folder: which files are articles, and their decoded text.

Walking is separate from reading so that incremental indexing can compare a file's size and
mtime with the index before paying for a read. Nothing here raises for a bad file: a file that
cannot be used becomes a :class:`~searchkit.models.Skipped` with a reason the user can act on.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError
from .models import Skipped

ARTICLE_SUFFIXES = frozenset({".txt", ".md"})
_ARTICLE_ENDINGS = tuple(ARTICLE_SUFFIXES)
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# How much of a file to look at for NUL bytes and control characters.
_SNIFF_BYTES = 8192
# Control characters (other than tab/newline/CR/FF) above this share of the text mean binary
# (an article with a stray escape sequence stays text).
_MAX_CONTROL_SHARE = 0.05
# Control characters other than tab, newline, form feed and CR; and DEL.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A candidate article found by :func:`walk`, not yet read."""

    rel_path: str  # relative to the corpus root, "/"-separated
    path: str | os.PathLike[str]  # where to open it (walk gives a plain string)
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ArticleText:
    """A file's decoded, normalised text and the hash of its raw bytes."""

    text: str
    sha256: str
    encoding: str


class UnusableFile(Exception):
    """Raised by :func:`read_article`; the message is the reason shown to the user."""


def walk(root: Path, *, folders: list[str] | None = None) -> Iterator[CorpusFile | Skipped]:
    """Yield the corpus's article files in a stable order, and the ones skipped on the way.

    Follows symbolic links but never enters a directory twice (a link loop is reported, not
    followed forever). Hidden files and folders (".git", ".DS_Store") are ignored silently.
    Each folder entered is appended to ``folders`` (relative to ``root``; "" for the root).
    """
    root = Path(root)
    try:
        root_stat = root.stat()
    except OSError as exc:
        raise CorpusError(f"cannot read corpus folder {root}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(root_stat.st_mode):
        raise CorpusError(f"corpus {root} is not a folder")
    seen_dirs = {(root_stat.st_dev, root_stat.st_ino)}
    yield from _walk_dir(str(root), "", seen_dirs, folders)


def _walk_dir(folder: str, prefix: str, seen_dirs: set[tuple[int, int]],
              folders: list[str] | None) -> Iterator[CorpusFile | Skipped]:
    # Plain strings, not Path objects: this runs once per file of the corpus on every re-index.
    if folders is not None:
        folders.append(prefix.rstrip("/"))
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(_shown(prefix.rstrip("/")) or ".", f"folder unreadable: {exc.strerror or exc}")
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = prefix + name
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            if entry.is_symlink():
                reason = "symlink loop" if _is_link_loop(exc) else "broken symlink"
                suffix = _suffix(name)
                if suffix.lower() in ARTICLE_SUFFIXES or not suffix:
                    yield Skipped(_shown(rel), reason)
            else:
                yield Skipped(_shown(rel), f"unreadable: {exc.strerror or exc}")
            continue
        mode = st.st_mode
        undecodable = not _valid_utf8(name)
        if stat.S_ISDIR(mode):
            if undecodable:
                yield Skipped(_shown(rel), "folder name is not valid UTF-8 (rename it to index its files)")
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                yield Skipped(_shown(rel), "symlink loop (folder already visited)")
                continue
            seen_dirs.add(key)
            yield from _walk_dir(entry.path, rel + "/", seen_dirs, folders)
            continue
        if not name.lower().endswith(_ARTICLE_ENDINGS):  # same as the suffix test: no leading "."
            continue
        if not stat.S_ISREG(mode):
            yield Skipped(_shown(rel), "not a regular file")
            continue
        if undecodable:
            yield Skipped(_shown(rel), "file name is not valid UTF-8 (rename it to index it)")
            continue
        yield CorpusFile(rel, entry.path, st.st_size, st.st_mtime_ns)


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


def read_article(file: CorpusFile, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ArticleText:
    """Read and decode one article, or raise :class:`UnusableFile` saying why not."""
    if file.size > max_bytes:
        raise UnusableFile(f"too large ({_human_size(file.size)}; the cap is {_human_size(max_bytes)})")
    try:
        with open(file.path, "rb") as fh:
            # Plain read(): read(n) with a large n allocates n bytes up front, per file.
            raw = fh.read()
    except OSError as exc:
        raise UnusableFile(f"unreadable: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise UnusableFile(f"too large (over the cap of {_human_size(max_bytes)})")
    text, encoding = decode(raw)
    if not text.strip():
        raise UnusableFile("empty")
    return ArticleText(text, hashlib.sha256(raw).hexdigest(), encoding)


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes to NFC text with "\\n" line endings; return the text and encoding used.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken at their word; anything
    else that is not valid UTF-8 goes to charset-normalizer's detector. Binary data raises
    :class:`UnusableFile`.
    """
    encoding = _bom_encoding(raw)
    if encoding is None:
        if b"\x00" in raw[:_SNIFF_BYTES]:
            raise UnusableFile("binary file")
        try:
            text = raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _detect(raw)
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise UnusableFile(f"undecodable: not valid {encoding} despite its byte-order mark") from None
        if text.startswith("\ufeff"):
            text = text[1:]
    if _looks_binary(text):
        raise UnusableFile("binary file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), encoding


def _bom_encoding(raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _detect(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported only for non-UTF-8 files

    best = from_bytes(raw).best()
    if best is None:
        raise UnusableFile("undecodable: not UTF-8 and no legacy encoding fits")
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return False
    controls = len(_CONTROL_CHARACTER.findall(sample))
    return controls / len(sample) > _MAX_CONTROL_SHARE


def _human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover

