"""The answerer named in settings."""

from __future__ import annotations

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.protocol import Answerer
from assistant.settings import AnsweringSettings


def make_answerer(settings: AnsweringSettings) -> Answerer:
    """One answerer per assistant; each is safe to call from several threads (no state)."""
    if settings.answerer == "extractive":
        return ExtractiveAnswerer()
    raise ValueError(f"unknown answerer {settings.answerer!r}")  # settings validation forbids it
