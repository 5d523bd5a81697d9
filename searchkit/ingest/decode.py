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

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken at their word; UTF-16
    without a BOM is recognised by its zero bytes; anything else that is not valid UTF-8 is
    a legacy encoding, chosen among those news is written in by how plausible each reading
    is (see :func:`_legacy`). A few stray control characters (ESC, BEL, NUL) are dropped;
    data that is mostly control characters is binary and raises :class:`UnusableFile`.
    """
    encoding = _bom_encoding(raw)
    if encoding is None:
        encoding = _utf16_without_bom(raw)
        if encoding is not None:
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                encoding = None
        if encoding is None:
            try:
                text = raw.decode("utf-8")
                encoding = "utf-8"
            except UnicodeDecodeError:
                if raw[:_SNIFF_BYTES].count(b"\x00") > _MAX_CONTROL_SHARE * min(len(raw), _SNIFF_BYTES):
                    raise UnusableFile("binary file") from None
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
    text = _CONTROL_CHARACTER.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text), encoding


def _utf16_without_bom(raw: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for text whose every other byte is mostly zero (what UTF-16
    makes of Latin text), else None."""
    sample = raw[:_SNIFF_BYTES]
    if len(sample) < 4 or len(raw) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    half = len(sample) // 2
    if zeros_odd > 0.3 * half and zeros_even < 0.05 * half:
        encoding, low = "utf-16-le", even
    elif zeros_even > 0.3 * half and zeros_odd < 0.05 * half:
        encoding, low = "utf-16-be", odd
    else:
        return None
    # Latin text: the other bytes are mostly printable ASCII, spaces among them.
    printable = sum(1 for b in low if 32 <= b < 127 or b in (9, 10, 13))
    if printable < 0.6 * len(low) or low.count(32) + low.count(10) == 0:
        return None
    return encoding


def _bom_encoding(raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


#: Multi-byte encodings of East Asian text: charset-normalizer's answer is taken for these.
_MULTIBYTE = frozenset({"gb18030", "gb2312", "gbk", "big5", "big5hkscs", "shift_jis", "cp932",
                        "euc_jp", "euc_kr", "cp949", "iso2022_jp", "euc_jis_2004", "hz", "johab"})
#: Single-byte encodings news is written in, with a small prior (cp1252 first: the commonest).
_LEGACY = (("cp1252", 0.0), ("cp1250", 0.01), ("cp1251", 0.01), ("koi8_r", 0.02), ("iso8859_2", 0.02),
           ("koi8_u", 0.03), ("cp1257", 0.03), ("cp1254", 0.03), ("cp1253", 0.03))
#: Letters (lower case) of the languages those encodings serve; a reading whose accented
#: letters all belong to one language is plausible, one that mixes alphabets is not.
_LANGUAGES = tuple(frozenset(s) for s in (
    "éèêëàâçîïôûùüÿœæ",  # French
    "áéíóúñü",  # Spanish
    "äöüß",  # German
    "ãõáéíóúâêôçà",  # Portuguese
    "àèéìíòóùú",  # Italian
    "åäöæøéü",  # Nordic, Dutch
    "áčďéěíňóřšťúůýžäľĺôŕ",  # Czech, Slovak
    "ąćęłńóśźż",  # Polish
    "áéíóöőúüű",  # Hungarian
    "ăâîșțşţ",  # Romanian
    "čćđšž",  # Croatian, Slovenian, Bosnian
    "çğıöşüâî",  # Turkish
    "āčēģīķļņšūžõäöü",  # Baltic
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўђјљњћџѓќѕ",  # Cyrillic
    "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",  # Greek
))
_COMMON_SYMBOLS = frozenset("«»“”„‘’‚–—…•·€£¥°§©®™¿¡×÷±µ¶\u00a0\u00ad´¨|")


def _detect(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported only for non-UTF-8 files

    best = from_bytes(raw).best()
    if best is not None and best.encoding in _MULTIBYTE:
        return str(best), best.encoding
    legacy = _legacy(raw)
    if legacy is not None:
        return legacy
    if best is None:
        raise UnusableFile("undecodable: not UTF-8 and no legacy encoding fits")
    return str(best), best.encoding


def _legacy(raw: bytes) -> tuple[str, str] | None:
    """The most plausible reading of ``raw`` among :data:`_LEGACY`, or None if none decodes.

    charset-normalizer alone reads a short French cp1252 text as cp1250 ("naïve" ->
    "naďve"): each reading is scored here by whether its accented letters all belong to
    one language, with penalties for symbols inside words ("Za¿ó³æ") and for case flipping
    inside words (KOI8-R read as cp1251), and a small prior for the commoner encodings.
    """
    high = bytes(sorted(set(raw) - set(range(128))))
    if not high:
        return None
    best: tuple[float, str, str] | None = None
    for encoding, prior in _LEGACY:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text) - prior
        if best is None or score > best[0]:
            best = (score, encoding, text)
    if best is None:
        return None
    return best[2], best[1]


def _plausibility(text: str) -> float:
    letters: list[str] = []
    bad = 0
    previous = " "
    for i, c in enumerate(text):
        if ord(c) < 128:
            previous = c
            continue
        if "\x80" <= c <= "\x9f":
            bad += 3
        elif c.isalpha():
            letters.append(c.lower())
            if c.isupper() and previous.isalpha() and previous.islower():
                bad += 1  # "пРИВЕТ": lower then upper inside a word
        elif c not in _COMMON_SYMBOLS:
            nxt = text[i + 1] if i + 1 < len(text) else " "
            bad += 2 if previous.isalpha() and nxt.isalpha() else 1
        previous = c
    if not letters:
        return -bad / 10
    counts: dict[str, int] = {}
    for c in letters:
        counts[c] = counts.get(c, 0) + 1
    fit = max(sum(n for c, n in counts.items() if c in language) for language in _LANGUAGES) / len(letters)
    return fit - bad / max(len(letters), 1)


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

