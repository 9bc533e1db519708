"""The one error hierarchy of the product.

Front ends catch `AgreementsError` and print its message; anything else is a bug and may
show a traceback. Messages name the file or agreement and the problem, in plain words.
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


class UnknownAgreementError(AgreementsError):
    """A name was asked about that is not in the index."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        listed = ", ".join(sorted(known)) or "none ingested yet"
        super().__init__(f"no agreement named {name!r} in the index (known: {listed})")


class StoreError(AgreementsError):
    """The index could not be read or written (folder not writable, server unreachable)."""


class QuestionSetError(AgreementsError):
    """A labeled question set is invalid; the message lists the offending question ids."""
