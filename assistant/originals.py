"""Copies of the files agreements were read from, under AGREEMENTS_HOME/files.

A cited page is drawn from the PDF itself, and a review's question set names the file it
labels; an upload has no file of its own and a path may move, so the index keeps a copy of
each agreement's current version, named after the agreement (`NAME.pdf`).
"""

from __future__ import annotations

from pathlib import Path

from assistant.atomic_files import write_atomically


class Originals:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def keep(self, name: str, suffix: str, data: bytes | None, path: Path | None) -> Path:
        """Store the bytes (or the file at `path`) as the agreement's original."""
        target = self.folder / f"{name}{suffix.lower()}"
        if data is None:
            if path is None:
                raise ValueError("keep needs the bytes or the path of the file")
            data = path.read_bytes()
        write_atomically(target, data)
        for other in self._copies(name):
            if other != target:
                other.unlink(missing_ok=True)
        return target

    def path(self, name: str) -> Path | None:
        return next(iter(self._copies(name)), None)

    def drop(self, name: str) -> None:
        for copy in self._copies(name):
            copy.unlink(missing_ok=True)

    def _copies(self, name: str) -> list[Path]:
        if not self.folder.is_dir():
            return []
        # Exact stem match: "acme" must not pick up "acme_dpa.pdf".
        return [p for p in self.folder.iterdir() if p.is_file() and p.stem == name
                and not p.name.startswith(".")]
