"""The answerer named in settings."""

from __future__ import annotations

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.judge_model import JudgeModel
from assistant.answering.learned import Encode, LearnedAnswerer
from assistant.answering.protocol import Answerer
from assistant.settings import AnsweringSettings


def make_answerer(settings: AnsweringSettings, encode: Encode | None = None) -> Answerer:
    """One answerer per assistant; each is safe to call from several threads.

    `encode` embeds texts with the index's model; the learned judge needs it, and takes it
    as a callable so that answering never imports the index.
    """
    if settings.answerer == "extractive":
        return ExtractiveAnswerer()
    if settings.answerer == "learned":
        if encode is None:
            raise ValueError("the learned answerer needs an encode callable")
        model = JudgeModel.load(settings.judge_model) if settings.judge_model else None
        return LearnedAnswerer(encode, model)
    raise ValueError(f"unknown answerer {settings.answerer!r}")  # settings validation forbids it
