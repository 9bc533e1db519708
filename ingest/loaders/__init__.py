"""Loaders: one file in, its text out (`LoadedDocument`), whatever the format.

`load_document` picks the loader by file extension. Each format lives in its own module
behind the small `Loader` protocol so a new format is one new file and one line here.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import UnsupportedFormatError
from ingest.types import LoadedDocument

from .base import Loader, read_bytes, require_bytes
from .docx import DocxLoader
from .html import HtmlLoader
from .markdown import MarkdownLoader
from .normalize import normalize_text
from .pdf import OcrProgress, PdfLoader
from .pdf_ocr import OcrOptions
from .text import TextLoader

__all__ = [
    "READER_VERSION",
    "SUPPORTED_EXTENSIONS",
    "Loader",
    "OcrOptions",
    "OcrProgress",
    "load_document",
    "loader_for",
    "normalize_text",
    "read_bytes",
]

# Bump when a loader reads the same file into different text: agreements read by an older
# version are read again on the next ingest, even when their file is unchanged.
# 2: PDFs rebuilt from glyph positions, page furniture removed, tables by cell, OCR.
READER_VERSION = 2

_LOADERS: tuple[Loader, ...] = (
    PdfLoader(),
    DocxLoader(),
    HtmlLoader(),
    MarkdownLoader(),
    TextLoader(),
)
_BY_EXTENSION: dict[str, Loader] = {
    extension: loader for loader in _LOADERS for extension in loader.extensions
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(sorted(_BY_EXTENSION))


def loader_for(path: Path) -> Loader:
    """The loader for the file's extension (case-insensitive)."""
    suffix = path.suffix.lower()
    loader = _BY_EXTENSION.get(suffix)
    if loader is None:
        what = f"has an unsupported extension {suffix!r}" if suffix else "has no file extension"
        raise UnsupportedFormatError(path, f"{what}; supported: {', '.join(SUPPORTED_EXTENSIONS)}")
    return loader


def load_document(
    path: Path,
    ocr: OcrOptions | None = None,
    on_ocr_page: OcrProgress | None = None,
    data: bytes | None = None,
) -> LoadedDocument:
    """Read an agreement file, or `data` given under the name `path` (an upload); raises a
    `DocumentError` subclass naming the file on failure.

    `ocr` says how scanned PDF pages are read (the default: with Tesseract when installed)
    and `on_ocr_page` hears of each page read so; only the PDF loader has options.
    """
    path = Path(path)
    loader = loader_for(path)
    if (ocr is not None or on_ocr_page is not None) and isinstance(loader, PdfLoader):
        loader = PdfLoader(ocr, on_ocr_page)
    data = read_bytes(path) if data is None else require_bytes(path, data)
    return loader.load(path, data)
