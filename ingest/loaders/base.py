"""What every loader shares: the `Loader` interface and reading a file's bytes safely."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

import charset_normalizer
from charset_normalizer import CharsetMatch

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


def decode_text(path: Path, data: bytes) -> str:
    """The text of a file in whatever encoding it was saved in, or a clear error.

    A byte order mark says the encoding outright. Without one, UTF-16 shows itself by a NUL
    byte beside nearly every ASCII letter (UTF-8 would accept those NULs and garble the text);
    then UTF-8, which almost never decodes text saved in another encoding; and only then
    charset-normalizer's best reading (Windows-1252 and Latin-1 in practice), logged, since a
    wrong guess would be quoted back to users as the agreement's words.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(encoding)
            except UnicodeDecodeError:
                raise CorruptDocumentError(
                    path, f"is not valid {encoding.upper()} text despite its byte order mark"
                ) from None
    wide = _utf16_without_mark(data)
    if wide is not None:
        try:
            return data.decode(wide)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        not_utf8 = exc
    best = _best_reading(data)
    if best is None or best.chaos > _MOST_CHAOS:
        raise CorruptDocumentError(
            path,
            f"is not UTF-8 text (byte 0x{data[not_utf8.start]:02x} at offset {not_utf8.start}) "
            "and no other encoding reads it as text; save it as UTF-8",
        )
    logger.info("%s is not UTF-8; read as %s", path.name, best.encoding)
    return str(best)


# Longest first: UTF-32's little-endian mark begins with UTF-16's.
_BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# charset-normalizer's measure of how garbled its best reading looks (0 clean, 1 noise).
_MOST_CHAOS = 0.3


def _best_reading(data: bytes) -> CharsetMatch | None:
    """charset-normalizer's best reading; among readings it finds equally good (cp1250,
    cp1252 and cp1257 read most Western text alike) Windows-1252, the encoding English and
    Western European agreements are saved in when not in UTF-8."""
    readings = list(charset_normalizer.from_bytes(data))
    if not readings:
        return None
    best = readings[0]
    tied = [r for r in readings
            if r.chaos <= best.chaos + 0.005 and r.coherence >= best.coherence - 0.005]  # fmt: skip
    return next((r for r in tied if "cp1252" in r.could_be_from_charset), best)


def _utf16_without_mark(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NULs sit at nearly all odd (even) offsets and almost no
    even (odd) ones: ASCII text saved as UTF-16 without a byte order mark."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    if odd_nuls > 0.6 * pairs and even_nuls < 0.05 * pairs:
        return "utf-16-le"
    if even_nuls > 0.6 * pairs and odd_nuls < 0.05 * pairs:
        return "utf-16-be"
    return None


def finish(path: Path, fmt: DocumentFormat, text: str) -> LoadedDocument:
    """Normalize page-less text and refuse a document that has nothing to read."""
    text = normalize_text(text)
    if not text.strip():
        raise EmptyDocumentError(path, "is empty (it contains no text, only whitespace)")
    logger.info("loaded %s (%s): %d characters", path.name, fmt, len(text))
    return LoadedDocument(path=path, format=fmt, text=text)
