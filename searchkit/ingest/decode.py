"""Reading a corpus file's bytes and decoding them to normalised text.

Nothing here raises for a bad file except :class:`UnusableFile`, whose message is the reason
shown to the user when the file is skipped.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from . import DEFAULT_MAX_BYTES
from .walk import CorpusFile


# How much of a file to look at for NUL bytes and control characters.
_SNIFF_BYTES = 8192
# Control characters (other than tab/newline/CR/FF) above this share of the text mean binary
# (an article with a stray escape sequence stays text).
_MAX_CONTROL_SHARE = 0.05
# Control characters other than tab, newline, form feed and CR; and DEL.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ArticleText:
    """A file's decoded, normalised text and the hash of its raw bytes."""

    text: str
    sha256: str
    encoding: str


class UnusableFile(Exception):
    """Raised by readers; the message is the reason shown to the user."""


def read_raw(file: CorpusFile, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of one corpus file, or raise :class:`UnusableFile` saying why not."""
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
    return raw


def read_article(file: CorpusFile, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ArticleText:
    """Read and decode one plain-text article, or raise :class:`UnusableFile` saying why not."""
    raw = read_raw(file, max_bytes=max_bytes)
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
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover

