"""What every loader shares: the `Loader` interface and reading a file's bytes safely."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from ingest.errors import CorruptDocumentError, DocumentError, EmptyDocumentError
from ingest.types import DocumentFormat, LoadedDocument

from .normalize import normalize_text

logger = logging.getLogger(__name__)


class Loader(Protocol):
    """Turns one file format into a `LoadedDocument`; raises a `DocumentError` otherwise."""

    @property
    def extensions(self) -> tuple[str, ...]:
        """Lower-case file suffixes this loader reads, with the dot (".pdf")."""
        ...

    def load(self, path: Path, data: bytes) -> LoadedDocument:
        """Read `data`, the bytes of `path` (which names the file in errors), or raise a
        `DocumentError` naming it and the problem. `data` is never empty."""
        ...


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a user's mistake (missing, a folder, empty) becomes a clear error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(path, "does not exist") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a folder, not a file") from None
    except PermissionError:
        raise DocumentError(path, "cannot be read: permission denied") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror or exc})") from None
    return require_bytes(path, data)


def require_bytes(path: Path, data: bytes) -> bytes:
    """The bytes as given, unless there are none: an empty upload is refused like a file."""
    if not data:
        raise EmptyDocumentError(path, "is empty (0 bytes)")
    return data


def decode_utf8(path: Path, data: bytes) -> str:
    """Decode text that must be UTF-8, naming the first bad byte instead of guessing.

    A silent cp1252 guess would turn quotes and currency signs into wrong characters that
    then get quoted back to users as if the agreement said them. A UTF-16 file with a byte
    order mark is not a guess (the mark says what it is), so it is accepted.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_utf8(path, data, None) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, data, exc) from None


def _not_utf8(path: Path, data: bytes, exc: UnicodeDecodeError | None) -> DocumentError:
    if exc is None:
        return CorruptDocumentError(path, "is not valid UTF-16 text despite its byte order mark")
    return CorruptDocumentError(
        path,
        f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
    )


def finish(path: Path, fmt: DocumentFormat, text: str) -> LoadedDocument:
    """Normalize page-less text and refuse a document that has nothing to read."""
    text = normalize_text(text)
    if not text.strip():
        raise EmptyDocumentError(path, "is empty (it contains no text, only whitespace)")
    logger.info("loaded %s (%s): %d characters", path.name, fmt, len(text))
    return LoadedDocument(path=path, format=fmt, text=text)
