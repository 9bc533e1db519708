"""Plain-text agreements: the text as written, strictly UTF-8."""

from __future__ import annotations

from pathlib import Path

from ingest.types import LoadedDocument

from .base import decode_utf8, finish


class TextLoader:
    """Reads .txt files; no pages, no markup."""

    extensions: tuple[str, ...] = (".txt", ".text")

    def load(self, path: Path, data: bytes) -> LoadedDocument:
        return finish(path, "txt", decode_utf8(path, data))
