"""The language a document is written in: what the document says, or what its text shows.

A language is an ISO 639-1 code (``ru``, ``de``, ``zh``). Where it comes from is kept like every
other field's source: ``metadata`` (metadata.toml / .csv), ``markup`` (``<html lang>``, a
``content-language`` meta tag, JSON-LD ``inLanguage``), ``record`` (an export's ``lang`` /
``language`` field), ``header`` (an e-mail's ``Content-Language``) or ``text`` (detected).

Detection is py3langid (langid.py's model, 97 languages, shipped inside the wheel: no download),
chosen in ``benchmarks/langid.py`` against langdetect and lingua for accuracy on short news texts
and speed. A text is left unknown (None), never guessed, when it is too short to tell, when the
detector is not confident, or when its parts are in different languages (mixed).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Fewer letters than this: too short to tell (a caption, a table of figures).
MIN_LETTERS = 40
#: Below this probability (py3langid's normalised one) a detection is not taken.
MIN_CONFIDENCE = 0.9
#: Texts longer than twice this are detected in two parts of this size (the start and the
#: end), to tell a mixed document from a plain one: two calls of about 0.2 ms each, where a
#: whole article would take 1-2 ms. Measured in benchmarks/langid.py.
PART_CHARS = 300
_PARTS = 3

#: Codes that name no single language: undetermined, multiple, no linguistic content.
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis", "xx", "x"})
#: ISO 639-2/3 codes pages and exports use for the languages searchkit analyses itself, and
#: the old or regional codes some sites still write.
_ALIASES = {
    "eng": "en", "rus": "ru", "ukr": "uk", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr",
    "spa": "es", "ita": "it", "por": "pt", "nld": "nl", "dut": "nl", "swe": "sv", "tur": "tr",
    "ara": "ar", "zho": "zh", "chi": "zh", "jpn": "ja", "kor": "ko", "pol": "pl", "ces": "cs",
    "cze": "cs", "fin": "fi", "dan": "da", "nor": "no", "nob": "no", "nb": "no", "nn": "no",
    "ell": "el", "gre": "el", "hun": "hu", "ron": "ro", "rum": "ro", "fas": "fa", "per": "fa",
    "iw": "he", "in": "id", "ji": "yi", "srp": "sr", "cat": "ca", "lit": "lt", "est": "et",
    "english": "en", "russian": "ru", "ukrainian": "uk", "german": "de", "french": "fr",
    "spanish": "es", "italian": "it", "portuguese": "pt", "dutch": "nl", "chinese": "zh",
    "japanese": "ja", "korean": "ko", "arabic": "ar", "polish": "pl", "turkish": "tr",
    "swedish": "sv",
}
_TAG = re.compile(r"^\s*([A-Za-z]{2,3}|[A-Za-z]{4,10})(?:[-_][A-Za-z0-9]{1,8})*\s*$")


def normalise_code(value: Any) -> str | None:
    """An ISO 639-1 code from a language tag as documents write it (``en-US``, ``ru_RU``,
    ``zh-Hans-CN``, ``deu``, ``German``), or None when it names no one language."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if "," in value or ";" in value or " " in value:  # "en, fr": a list is no one language
        return None
    m = _TAG.match(value)
    if not m:
        return None
    code = m.group(1).lower()
    code = _ALIASES.get(code, code)
    if code in _NO_LANGUAGE or len(code) != 2:
        return None
    return code


def page_statement(tree: Any) -> str | None:
    """What a parsed HTML page says its language is: JSON-LD ``inLanguage`` of its article, a
    ``content-language`` meta tag (http-equiv or name), ``<html lang>`` / ``xml:lang``, in
    that order (the most specific statement first: templates often keep the site's default in
    ``<html lang>``)."""
    import json

    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads((script.text or "").strip(), strict=False)
        except ValueError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if isinstance(obj, dict):
                graph = obj.get("@graph")
                for item in ([obj] + (graph if isinstance(graph, list) else [])):
                    if isinstance(item, dict):
                        lang = item.get("inLanguage")
                        if isinstance(lang, dict):
                            lang = lang.get("alternateName") or lang.get("name")
                        code = normalise_code(lang)
                        if code:
                            return code
    for el in tree.iterfind(".//meta"):
        key = (el.get("http-equiv") or el.get("name") or el.get("property") or "").strip().lower()
        if key in ("content-language", "language", "dc.language", "og:locale"):
            code = normalise_code(el.get("content"))
            if code:
                return code
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    for attr in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        code = normalise_code(root.get(attr))
        if code:
            return code
    return None


def statement_of_page(data: bytes | str) -> str | None:
    """:func:`page_statement` of an HTML page's bytes (None if it cannot be parsed)."""
    import trafilatura

    tree = trafilatura.load_html(data)
    return page_statement(tree) if tree is not None else None


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier. Its model ships xz-compressed (4.5 MB, 68 MB inflated), and
    inflating it takes 1-8 s, in every process that detects: the arrays are kept inflated in
    the user's cache folder, and read from there in a fraction of that."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        return _from_cache(LanguageIdentifier)
    except Exception:  # noqa: BLE001 - another py3langid layout, a read-only cache: inflate it
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _from_cache(identifier_class: Any) -> Any:
    import os

    import numpy as np
    import platformdirs
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import _to_array

    model = MODEL_DIR / MODEL_FILE
    stat = model.stat()
    folder = (platformdirs.user_cache_path("searchkit", appauthor=False)
              / f"py3langid-{py3langid.__version__}-{stat.st_size}-{stat.st_mtime_ns}")
    if not (folder / "complete").exists():
        import io
        import lzma
        import shutil
        import tempfile

        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".py3langid-", dir=folder.parent))
        with lzma.open(model) as packed, np.load(io.BytesIO(packed.read()), allow_pickle=False) as data:
            for name in _MODEL_ARRAYS:
                np.save(building / f"{name}.npy", data[name], allow_pickle=False)
        (building / "complete").write_text("")
        try:
            os.replace(building, folder)
        except OSError:  # another process got there first
            shutil.rmtree(building, ignore_errors=True)
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _MODEL_ARRAYS}
    return identifier_class(np.asarray(arrays["ptc"]), np.asarray(arrays["pc"]), arrays["classes"].tolist(),
                            _to_array(arrays["nextmove"]), arrays["out_feat"].tolist(), norm_probs=True,
                            tk_row=_to_array(arrays["nextmove_row"]))


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def _classify(text: str) -> tuple[str, float]:
    lang, prob = _identifier().classify(text)
    return lang, float(prob)


def detect(text: str) -> str | None:
    """The language of ``text`` (ISO 639-1), or None: too short, not confident, or mixed."""
    size = PART_CHARS
    if len(text) <= size * 2:
        parts = [text]
    else:  # the start and the end: one language throughout, or mixed
        parts = [text[:size], text[-size:]]
    found = []
    for part in parts:
        part = " ".join(part.split())
        if _letters(part) < MIN_LETTERS:
            continue
        lang, prob = _classify(part)
        found.append(lang if prob >= MIN_CONFIDENCE else None)
    confident = [f for f in found if f]
    if not confident or len(set(confident)) > 1:
        return None
    # The parts agree, or one is unsure (a table, a quote) and the other says.
    return confident[0]


def choose(declared: str | None, declared_source: str, text: str) -> tuple[str | None, str]:
    """(language, source) of a document: what it declares, unless a confident detection of a
    long enough text says otherwise (CMS templates keep the site's default ``<html
    lang="en">`` on pages in other languages); what the text shows when nothing is declared;
    (None, "") when neither is known."""
    if declared and declared_source == "metadata":
        return declared, declared_source  # the user's word wins
    detected = detect(text)
    if declared:
        if detected and detected != declared and _letters(text[:2000]) >= 400:
            return detected, "text"
        return declared, declared_source
    return (detected, "text") if detected else (None, "")
