"""Markdown agreements: kept as written, since the structure finder reads Markdown headings
and numbering itself; rendering to plain text would throw that structure away."""

from __future__ import annotations

from pathlib import Path

from ingest.types import LoadedDocument

from .base import decode_text, finish


class MarkdownLoader:
    """Reads .md files as text (UTF-8, or the encoding detected)."""

    extensions: tuple[str, ...] = (".md", ".markdown")

    def load(self, path: Path, data: bytes) -> LoadedDocument:
        return finish(path, "md", decode_text(path, data))
