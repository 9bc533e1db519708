"""PDF agreements: every word and space kept, page furniture out, tables by cell, scans by OCR.

Citations give a page number, so the text of each page is kept apart until the offsets at
which pages start are recorded. Pages are joined with a blank line so that a paragraph never
runs across a page break.

Text is rebuilt from the positions of the characters (PDFium reads them; `pdf_layout` joins
them into words, lines and paragraphs), because pypdf's extraction puts a line break after
every word of the many PDFs that draw words one by one. Then, for the whole document:
ruled tables are read cell by cell (`pdf_tables`), running headers and footers are removed
(`pdf_furniture`), words hyphenated at line ends are joined (`hyphenation`), and pages with
no text but a picture of it are read by OCR (`pdf_ocr`) and recorded as such.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader

from ingest.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError
from ingest.types import LoadedDocument

from .base import read_bytes
from .hyphenation import join_hyphenated, vocabulary
from .normalize import normalize_text, tidy_layout
from .pdf_drawings import has_drawings, image_coverage, read_rulings
from .pdf_furniture import PageLines, split_furniture
from .pdf_glyphs import Glyph, read_glyphs
from .pdf_layout import Line, group_lines, join_paragraphs, space_threshold
from .pdf_ocr import OcrError, OcrOptions, ocr_lines, render, tesseract_available
from .pdf_tables import Table, find_tables
from .tables import table_lines

__all__ = ["PAGE_SEPARATOR", "OcrProgress", "PdfLoader", "PdfPage", "PdfReading", "read_pdf"]

logger = logging.getLogger(__name__)

PAGE_SEPARATOR = "\n\n"
# Called as (pages done, pages to read) while scanned pages are read: OCR takes seconds a page.
OcrProgress = Callable[[int, int], None]
_DAMAGED = "is not a valid PDF (damaged or truncated)"
# PDFium is not thread-safe, and the chat and Slack front ends ingest from several threads.
_PDFIUM_LOCK = threading.RLock()
# A page with fewer characters than this over a picture covering this share of it is a scan
# (a DocuSign envelope line over a scanned page, say): its words are read from the picture.
_SCAN_MAX_CHARS = 200
_SCAN_IMAGE_SHARE = 0.5
_INSTALL_TESSERACT = (
    "install Tesseract OCR (Debian/Ubuntu: apt-get install tesseract-ocr) to read it"
)


@dataclass(frozen=True)
class PdfPage:
    """One page's text, and what was set aside to get it."""

    text: str
    furniture: list[str] = field(default_factory=list)
    ocr: bool = False


@dataclass(frozen=True)
class PdfReading:
    """A PDF's pages as read; `text` is what clause offsets index into."""

    pages: list[PdfPage]

    @property
    def text(self) -> str:
        return PAGE_SEPARATOR.join(page.text for page in self.pages)

    @property
    def page_starts(self) -> list[int]:
        """The offset in `text` at which each page begins."""
        starts: list[int] = []
        offset = 0
        for page in self.pages:
            starts.append(offset)
            offset += len(page.text) + len(PAGE_SEPARATOR)
        return starts

    @property
    def ocr_pages(self) -> list[int]:
        return [number for number, page in enumerate(self.pages, start=1) if page.ocr]


@dataclass
class _RawPage:
    """A page between reading and the whole-document steps."""

    height: float
    glyphs: list[Glyph]
    tables: list[Table]
    ocr: list[Line] | None = None  # lines read by OCR, when the page is a scan
    needs_ocr: bool = False


class PdfLoader:
    """Reads .pdf files page by page."""

    extensions: tuple[str, ...] = (".pdf",)

    def __init__(
        self, ocr: OcrOptions | None = None, on_ocr_page: OcrProgress | None = None
    ) -> None:
        self.ocr = ocr or OcrOptions()
        self.on_ocr_page = on_ocr_page

    def load(self, path: Path, data: bytes) -> LoadedDocument:
        reading = read_pdf(path, self.ocr, self.on_ocr_page, data)
        text = reading.text
        logger.info(
            "loaded %s (pdf): %d pages (%d without text, %d by OCR), %d characters, "
            "%d header/footer lines removed",
            path.name,
            len(reading.pages),
            sum(1 for page in reading.pages if not page.text),
            len(reading.ocr_pages),
            len(text),
            sum(len(page.furniture) for page in reading.pages),
        )
        return LoadedDocument(
            path=path,
            format="pdf",
            text=text,
            page_starts=reading.page_starts,
            has_pages=True,
            ocr_pages=reading.ocr_pages,
        )


def read_pdf(
    path: Path,
    ocr: OcrOptions | None = None,
    on_ocr_page: OcrProgress | None = None,
    data: bytes | None = None,
) -> PdfReading:
    """The PDF's text page by page, or a `DocumentError` naming the file and the problem."""
    options = ocr or OcrOptions()
    data = read_bytes(path) if data is None else data
    with _document(path, data) as document:
        raw_pages = [_read_page(path, document, number) for number in range(len(document))]
        if not raw_pages:
            raise EmptyDocumentError(path, "has no pages")
        _read_scans(path, document, raw_pages, options, on_ocr_page)
    threshold = space_threshold(page.glyphs for page in raw_pages if page.ocr is None)
    pages = [
        PageLines(_page_lines(page, threshold), page.height) for page in raw_pages
    ]
    split = split_furniture(pages)
    known = vocabulary(line.text for kept, _ in split for line in kept)
    out: list[PdfPage] = []
    for page, (kept, removed) in zip(raw_pages, split, strict=True):
        text = tidy_layout(normalize_text(join_paragraphs(_dehyphenate(kept, known))))
        out.append(PdfPage(text, [line.text for line in removed], ocr=page.ocr is not None))
    if not any(page.text for page in out):
        raise EmptyDocumentError(path, _no_text_problem(raw_pages, options))
    return PdfReading(out)


@contextmanager
def _document(path: Path, data: bytes) -> Iterator[pdfium.PdfDocument]:
    """The open document, or the error a user can act on; closed on the way out.

    Every call into PDFium holds `_PDFIUM_LOCK`, but only for that call: a long OCR of one
    file must not stop other threads from reading theirs.
    """
    if b"%PDF-" not in data[:1024]:
        raise CorruptDocumentError(path, f"{_DAMAGED}: it does not start like a PDF file")
    # A file without its end marker was cut off; PDFium would rebuild what it can of it and
    # silently lose the missing pages.
    if b"%%EOF" not in data:
        raise CorruptDocumentError(path, f"{_DAMAGED}: the end of the file is missing")
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise _open_error(path, data, exc) from None
    try:
        yield document
    finally:
        with _PDFIUM_LOCK:
            document.close()


def _open_error(path: Path, data: bytes, exc: pdfium.PdfiumError) -> Exception:
    if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
        return EncryptedDocumentError(
            path, "is password-protected; save a copy without a password and load that"
        )
    if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
        return EncryptedDocumentError(
            path, "is encrypted with a method that cannot be read; save an unencrypted copy"
        )
    logger.debug("PDFium could not open %s: %s", path.name, exc)
    if _has_no_pages(data):
        return EmptyDocumentError(path, "has no pages")
    return CorruptDocumentError(path, _DAMAGED)


def _has_no_pages(data: bytes) -> bool:
    """PDFium refuses a well-formed PDF without pages as malformed; pypdf tells the two apart."""
    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages) == 0
    except Exception:  # pypdf raises many types on a broken file: then it is just broken
        return False


def _read_page(path: Path, document: pdfium.PdfDocument, index: int) -> _RawPage:
    with _PDFIUM_LOCK:
        return _read_page_locked(path, document, index)


def _read_page_locked(path: Path, document: pdfium.PdfDocument, index: int) -> _RawPage:
    try:
        page = document[index]
    except pdfium.PdfiumError:
        raise CorruptDocumentError(path, f"{_DAMAGED}: page {index + 1} is unreadable") from None
    try:
        textpage = page.get_textpage()
        try:
            glyphs = read_glyphs(page, textpage)
        finally:
            textpage.close()
        tables = find_tables(read_rulings(page), glyphs)
        return _RawPage(
            page.get_height(), glyphs, tables, needs_ocr=_looks_scanned(page, glyphs)
        )
    except pdfium.PdfiumError:
        raise CorruptDocumentError(path, f"{_DAMAGED}: page {index + 1} is unreadable") from None
    finally:
        page.close()


def _looks_scanned(page: pdfium.PdfPage, glyphs: list[Glyph]) -> bool:
    visible = sum(1 for glyph in glyphs if not glyph.is_space)
    if visible == 0:
        return has_drawings(page)
    return visible < _SCAN_MAX_CHARS and image_coverage(page) >= _SCAN_IMAGE_SHARE


def _read_scans(
    path: Path,
    document: pdfium.PdfDocument,
    pages: list[_RawPage],
    options: OcrOptions,
    on_page: OcrProgress | None,
) -> None:
    """OCR for the pages that need it, one page image in memory at a time."""
    scans = [number for number, page in enumerate(pages) if page.needs_ocr]
    if not scans or not tesseract_available(options):
        if scans:
            logger.warning(
                "%s: %d page(s) look scanned but OCR is %s",
                path.name,
                len(scans),
                "turned off" if not options.enabled else "not installed",
            )
        return
    for done, number in enumerate(scans):
        if on_page is not None:
            on_page(done, len(scans))
        with _PDFIUM_LOCK:
            page = document[number]
            try:
                image = render(page, options)
            finally:
                page.close()
        # Tesseract runs in its own process, without the lock; one page image at a time.
        try:
            pages[number].ocr = ocr_lines(image, options)
        except OcrError as exc:
            raise CorruptDocumentError(path, f"OCR failed on page {number + 1}: {exc}") from None
        logger.info("%s: page %d read by OCR", path.name, number + 1)
    if on_page is not None:
        on_page(len(scans), len(scans))


def _page_lines(page: _RawPage, threshold: float) -> list[Line]:
    if page.ocr is not None:
        return page.ocr
    outside = [g for g in page.glyphs if not any(t.holds(g) for t in page.tables)]
    lines = group_lines(outside, threshold)
    for table in page.tables:
        lines.extend(_table_rows(table, threshold))
    lines.sort(key=lambda line: (line.top, line.left))
    return lines


def _table_rows(table: Table, threshold: float) -> list[Line]:
    rows: list[tuple[list[str], float]] = []
    for row, top in zip(table.rows, table.row_tops, strict=True):
        cells = [" ".join(line.text for line in group_lines(cell, threshold)) for cell in row]
        if any(cells):
            rows.append((cells, top))
    texts = table_lines([cells for cells, _ in rows])
    return [
        Line(text, table.left, table.right, top, top, 0.0, table_row=True)
        for text, (_, top) in zip(texts, rows, strict=True)
    ]


def _dehyphenate(lines: list[Line], known: set[str]) -> list[Line]:
    texts = join_hyphenated([line.text for line in lines], known)
    return [replace(line, text=text) for line, text in zip(lines, texts, strict=True) if text]


def _no_text_problem(pages: list[_RawPage], options: OcrOptions) -> str:
    scanned = sum(1 for page in pages if page.needs_ocr)
    if not scanned:
        return "has no text on any of its pages"
    problem = "has no extractable text: it looks like a scanned, image-only PDF"
    if not options.enabled:
        return f"{problem}; OCR is turned off (set AGREEMENTS_OCR__ENABLED=true to read it)"
    if not tesseract_available(options):
        return f"{problem}; {_INSTALL_TESSERACT}"
    return f"{problem}, and OCR found no text on its {scanned} page(s)"
