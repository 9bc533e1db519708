"""Loaders: one file in, its text out (`LoadedDocument`), whatever the format.

`load_document` picks the loader by file extension. Each format lives in its own module
behind the small `Loader` protocol so a new format is one new file and one line here.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import UnsupportedFormatError
from assistant.types import LoadedDocument

from .base import Loader
from .docx import DocxLoader
from .html import HtmlLoader
from .markdown import MarkdownLoader
from .pdf import PdfLoader
from .text import TextLoader

__all__ = ["SUPPORTED_EXTENSIONS", "Loader", "load_document", "loader_for"]

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


def load_document(path: Path) -> LoadedDocument:
    """Read an agreement file; raises a `DocumentError` subclass naming the file on failure."""
    return loader_for(Path(path)).load(Path(path))
