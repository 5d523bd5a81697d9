"""Word processor files: ``.docx`` (Word) and ``.odt`` (OpenDocument), read straight from
their zip archive with the standard library: paragraphs (tables' included) in order, the
first heading as the title, and the core properties (title, author). The creation time is
when the file was made, not when the article was published: it is never used as a date.

Guarded against zip bombs: an archive member is read only up to :data:`MAX_XML_BYTES`, and
one that claims to expand more than :data:`MAX_RATIO` times its compressed size is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from ..article import Article, Hint
from ..decode import UnusableFile
from . import Source

MAX_XML_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_HEADING_STYLE = re.compile(r"^(?:title|heading\s*1|heading1|titre|titel|berschrift1|ttulo)$", re.IGNORECASE)


def read(source: Source) -> Iterator[Article]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
    except (zipfile.BadZipFile, OSError, ValueError):
        kind = "Word" if source.name.lower().endswith(".docx") else "OpenDocument"
        raise UnusableFile(f"not a {kind} file (damaged or not a zip archive)") from None
    with archive:
        if source.name.lower().endswith(".odt"):
            yield _read_odt(archive)
        else:
            yield _read_docx(archive)


def _member(archive: zipfile.ZipFile, name: str, *, required: bool) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        if required:
            raise UnusableFile(f"damaged document: no {name} inside") from None
        return None
    if info.file_size > MAX_XML_BYTES or (
        info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024
    ):
        raise UnusableFile(f"refused: {name} would expand to {info.file_size // (1024 * 1024)} MB (a zip bomb?)")
    try:
        with archive.open(info) as fh:
            data = fh.read(MAX_XML_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        # RuntimeError: an encrypted member.
        if "encrypted" in str(exc).lower() or "password" in str(exc).lower():
            raise UnusableFile("encrypted document") from None
        raise UnusableFile(f"damaged document ({name} unreadable)") from None
    if len(data) > MAX_XML_BYTES:
        raise UnusableFile(f"refused: {name} expands beyond {MAX_XML_BYTES // (1024 * 1024)} MB (a zip bomb?)")
    return data


def _parse(data: bytes, name: str) -> ET.Element:
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data[:65536]:
        raise UnusableFile(f"refused: {name} declares XML entities")
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        raise UnusableFile(f"damaged document ({name} is not well-formed XML)") from None


def _core(archive: zipfile.ZipFile, name: str) -> dict[str, str]:
    data = _member(archive, name, required=False)
    if not data:
        return {}
    try:
        root = _parse(data, name)
    except UnusableFile:
        return {}
    out: dict[str, str] = {}
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        value = " ".join((el.text or "").split())
        if value and tag in ("title", "creator", "initial-creator") and tag not in out:
            out[tag] = value
    return out


def _article(paragraphs: list[str], heading: str | None, props: dict[str, str], encoding: str) -> Article:
    text = "\n\n".join(p for p in paragraphs if p.strip())
    if not text.strip():
        raise UnusableFile("no text in the document")
    title = props.get("title") or heading
    author = props.get("creator") or props.get("initial-creator")
    return Article(
        text=text,
        title=Hint(title, "properties") if title and len(title) <= 300 else None,
        author=Hint(author, "properties") if author and len(author) <= 200 else None,
        encoding=encoding,
    )


def _read_docx(archive: zipfile.ZipFile) -> Article:
    root = _parse(_member(archive, "word/document.xml", required=True) or b"", "word/document.xml")
    paragraphs: list[str] = []
    heading: str | None = None
    for p in root.iter(f"{_W}p"):
        parts: list[str] = []
        for el in p.iter():
            if el.tag == f"{_W}t" and el.text:
                parts.append(el.text)
            elif el.tag == f"{_W}tab":
                parts.append("\t")
            elif el.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        line = "".join(parts).strip()
        if not line:
            continue
        paragraphs.append(line)
        if heading is None:
            style = p.find(f"{_W}pPr/{_W}pStyle")
            if style is not None and _HEADING_STYLE.match((style.get(f"{_W}val") or "").replace("Ü", "")):
                heading = " ".join(line.split())
    props = _core(archive, "docProps/core.xml")
    return _article(paragraphs, heading, {k: v for k, v in props.items() if k != "initial-creator"}, "docx")


def _odt_text(el: ET.Element) -> str:
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c") or 1))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag not in (f"{_TEXT}note", f"{OFFICE_ANNOTATION}"):
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


OFFICE_ANNOTATION = f"{_OFFICE}annotation"


def _read_odt(archive: zipfile.ZipFile) -> Article:
    root = _parse(_member(archive, "content.xml", required=True) or b"", "content.xml")
    paragraphs: list[str] = []
    heading: str | None = None
    body = root.find(f"{_OFFICE}body")
    for el in (body if body is not None else root).iter():
        if el.tag not in (f"{_TEXT}p", f"{_TEXT}h"):
            continue
        line = _odt_text(el).strip()
        if not line:
            continue
        paragraphs.append(line)
        if heading is None and el.tag == f"{_TEXT}h":
            heading = " ".join(line.split())
    props = _core(archive, "meta.xml")
    return _article(paragraphs, heading, props, "odt")
