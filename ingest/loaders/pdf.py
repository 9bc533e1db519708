"""PDF agreements, with the page each character came from.

Citations give a page number, so the text of each page is kept apart until the offsets at
which pages start are recorded. Pages are joined with a blank line so that a paragraph never
runs across a page break.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError

from assistant.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError
from assistant.types import LoadedDocument

from .base import read_bytes
from .normalize import normalize_text, tidy_layout
from .pdf_lines import looks_word_per_line, rebuild_lines, single_word_share

logger = logging.getLogger(__name__)

PAGE_SEPARATOR = "\n\n"
_DAMAGED = "is not a valid PDF (damaged or truncated)"


class PdfLoader:
    """Reads .pdf files page by page with pypdf."""

    extensions: tuple[str, ...] = (".pdf",)

    def load(self, path: Path) -> LoadedDocument:
        data = read_bytes(path)
        reader = _open(path, data)
        try:
            pages = list(reader.pages)
        except Exception:  # pypdf raises many types on a broken page tree
            raise CorruptDocumentError(path, f"{_DAMAGED}: its page list is unreadable") from None
        if not pages:
            raise EmptyDocumentError(path, "has no pages")

        texts = [_page_text(path, page, number) for number, page in enumerate(pages, start=1)]
        if not any(texts):
            raise EmptyDocumentError(
                path,
                "has no extractable text: it looks like a scanned, image-only PDF "
                "(run OCR on it and load the result)",
            )
        page_starts: list[int] = []
        offset = 0
        for text in texts:
            page_starts.append(offset)
            offset += len(text) + len(PAGE_SEPARATOR)
        blank = sum(1 for text in texts if not text)
        logger.info(
            "loaded %s (pdf): %d pages (%d without text), %d characters",
            path.name,
            len(texts),
            blank,
            offset - len(PAGE_SEPARATOR),
        )
        return LoadedDocument(
            path=path,
            format="pdf",
            text=PAGE_SEPARATOR.join(texts),
            page_starts=page_starts,
            has_pages=True,
        )


def _open(path: Path, data: bytes) -> PdfReader:
    """A reader that is ready to extract text, or the error a user can act on."""
    if b"%PDF-" not in data[:1024]:
        raise CorruptDocumentError(path, f"{_DAMAGED}: it does not start like a PDF file")
    # pypdf reads a cut-off file without complaint when it can rebuild the cross-reference
    # table, silently losing the missing pages; a file without its end marker was cut off.
    if b"%%EOF" not in data:
        raise CorruptDocumentError(path, f"{_DAMAGED}: the end of the file is missing")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception:  # PdfReadError, ValueError, KeyError...: all mean the same to a user
        logger.debug("pypdf could not open %s", path.name, exc_info=True)
        raise CorruptDocumentError(path, _DAMAGED) from None
    if reader.is_encrypted:
        _decrypt(path, reader)
    return reader


def _decrypt(path: Path, reader: PdfReader) -> None:
    """Open files that are encrypted without a user password (many are, to stop copying)."""
    try:
        result = reader.decrypt("")
    except DependencyError:
        raise EncryptedDocumentError(
            path,
            "is encrypted with AES, which needs the 'cryptography' package to read; "
            "install it or save an unencrypted copy",
        ) from None
    except Exception:
        raise CorruptDocumentError(path, f"{_DAMAGED}: its encryption data is unreadable") from None
    if result == PasswordType.NOT_DECRYPTED:
        raise EncryptedDocumentError(
            path, "is password-protected; save a copy without a password and load that"
        )


def _page_text(path: Path, page: PageObject, number: int) -> str:
    try:
        raw = page.extract_text()
        if looks_word_per_line(raw):
            rebuilt = rebuild_lines(page)
            if single_word_share(rebuilt) < single_word_share(raw):
                logger.debug("page %d of %s: rebuilt word-per-line text", number, path.name)
                raw = rebuilt
    except Exception:  # pypdf raises many types on damaged content streams
        logger.debug("pypdf failed on page %d of %s", number, path.name, exc_info=True)
        raise CorruptDocumentError(path, f"{_DAMAGED}: page {number} is unreadable") from None
    return tidy_layout(normalize_text(raw))
