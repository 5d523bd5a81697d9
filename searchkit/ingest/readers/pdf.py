"""PDF documents: the text layer page by page (pypdfium2), with where each page starts so
that a hit can say "p. 4". Title and author come from the document properties when they are
real ones; the creation date is when the file was made, never taken as a publication date.

A PDF without a text layer (a scan) is skipped with "no text layer: OCR it first", an
encrypted one with "encrypted PDF". pypdfium2 was chosen by measurement
(``benchmarks/ingest.py``): fastest of pypdfium2, pdfminer.six and pypdf on the generated
PDFs, with the same words out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..article import Article, Hint
from ..decode import UnusableFile
from . import Source

#: Pages read at most (a 5,000-page PDF is a book or a data dump, still searchable).
MAX_PAGES = 5000
_JUNK_TITLE = re.compile(
    r"^(?:untitled|document\d*|microsoft (?:word|powerpoint|excel)\b.*|.*\.(?:docx?|pdf|rtf|odt|indd|qxd|tex|dvi))$",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


def read(source: Source) -> Iterator[Article]:
    import pypdfium2 as pdfium

    if not source.data.lstrip()[:5].startswith(b"%PDF") and b"%PDF-" not in source.data[:1024]:
        raise UnusableFile("not a PDF file")
    try:
        pdf = pdfium.PdfDocument(source.data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise UnusableFile("encrypted PDF (it needs a password to open)") from None
        raise UnusableFile(f"damaged PDF ({_reason(exc)})") from None
    try:
        pages: list[str] = []
        count = len(pdf)
        for index in range(min(count, MAX_PAGES)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_clean(textpage.get_text_bounded()))
                finally:
                    textpage.close()
            except pdfium.PdfiumError:
                pages.append("")
            finally:
                page.close()
        try:
            props = pdf.get_metadata_dict(skip_empty=True)
        except Exception:  # noqa: BLE001 - damaged info dictionary
            props = {}
    finally:
        pdf.close()
    if not any(p.strip() for p in pages):
        if count == 0:
            raise UnusableFile("damaged PDF (no pages)")
        raise UnusableFile("no text layer: OCR it first")
    text_parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for i, page_text in enumerate(pages):
        if i:
            text_parts.append("\n\n")
            offset += 2
            starts.append(offset)
        text_parts.append(page_text)
        offset += len(page_text)
    title = _clean(props.get("Title", "")).strip()
    author = _clean(props.get("Author", "")).strip()
    yield Article(
        text="".join(text_parts),
        title=Hint(" ".join(title.split()), "properties") if title and not _JUNK_TITLE.match(title) and len(title) <= 300 else None,
        author=Hint(" ".join(author.split()), "properties") if author and len(author) <= 200 else None,
        page_starts=tuple(starts),
        encoding="pdf",
    )


def _clean(text: str) -> str:
    import unicodedata

    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text).strip("\n")


def _reason(exc: Exception) -> str:
    m = re.search(r"\(PDFium: (.*?)\)", str(exc))
    return (m.group(1) if m else str(exc)).rstrip(".").lower() or "cannot open it"
