"""The root of the product's one error hierarchy, and the file side's errors.

Front ends catch `AgreementsError` and print its message; anything else is a bug and may
show a traceback. Messages name the file or agreement and the problem, in plain words. The
root lives in the bottom layer so that the file side can raise it without knowing the rest;
`assistant.errors` adds the question side's errors to the same tree.
"""

from __future__ import annotations

from pathlib import Path


class AgreementsError(Exception):
    """A problem the user can act on (bad file, unknown agreement, bad setting)."""


class DocumentError(AgreementsError):
    """A file could not be read as an agreement. Carries the path so batches can report it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class UnsupportedFormatError(DocumentError):
    """The file's extension is not one the loaders read."""


class EmptyDocumentError(DocumentError):
    """The file was read but holds no text (empty, or image-only PDF without OCR)."""


class EncryptedDocumentError(DocumentError):
    """The file is password-protected."""


class CorruptDocumentError(DocumentError):
    """The file is damaged or not what its extension says."""
