"""The product's one error hierarchy, as front ends see it.

The root and the file side's errors come from `ingest.errors` (the bottom layer raises
them); the question side's own errors are added here.
"""

from __future__ import annotations

from ingest.errors import (
    AgreementsError,
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    UnsupportedFormatError,
)

__all__ = [
    "AgreementsError",
    "CorruptDocumentError",
    "DocumentError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "StoreError",
    "UnknownAgreementError",
    "UnsupportedFormatError",
]


class UnknownAgreementError(AgreementsError):
    """A name was asked about that is not in the index."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        listed = ", ".join(sorted(known)) or "none ingested yet"
        super().__init__(f"no agreement named {name!r} in the index (known: {listed})")


class StoreError(AgreementsError):
    """The index could not be read or written (folder not writable, server unreachable)."""
