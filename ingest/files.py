"""Which files a batch holds, and a file's (or an upload's) identity: its bytes and their hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import SUPPORTED_EXTENSIONS

__all__ = ["SourceFile", "agreement_name", "discover_files", "file_sha256"]


@dataclass(frozen=True)
class SourceFile:
    """A file to read: on disk, or bytes under a file name (a browser upload, a Slack file)."""

    path: Path
    data: bytes | None = None

    @property
    def source(self) -> str:
        """Where it came from, as records and messages show it."""
        return str(self.path.resolve()) if self.data is None else self.path.name

    def sha256(self) -> str:
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        return file_sha256(self.path)


def discover_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every supported file under named folders (sorted).

    A file named directly keeps its place even with an unknown extension, so the user gets
    a clear error for it instead of silence.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def agreement_name(path: Path) -> str:
    return path.stem
