"""Plain-text agreements: the text as written, in the encoding it was saved in."""

from __future__ import annotations

from pathlib import Path

from ingest.types import LoadedDocument

from .base import decode_text, finish


class TextLoader:
    """Reads .txt files; no pages, no markup."""

    extensions: tuple[str, ...] = (".txt", ".text")

    def load(self, path: Path, data: bytes) -> LoadedDocument:
        return finish(path, "txt", decode_text(path, data))
