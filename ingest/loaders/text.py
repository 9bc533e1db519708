"""Plain-text agreements: the text as written, strictly UTF-8."""

from __future__ import annotations

from pathlib import Path

from assistant.types import LoadedDocument

from .base import decode_utf8, finish, read_bytes


class TextLoader:
    """Reads .txt files; no pages, no markup."""

    extensions: tuple[str, ...] = (".txt", ".text")

    def load(self, path: Path) -> LoadedDocument:
        return finish(path, "txt", decode_utf8(path, read_bytes(path)))
