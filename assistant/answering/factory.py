"""The answerer named in settings."""

from __future__ import annotations

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.judge_model import JudgeModel
from assistant.answering.learned import Encode, LearnedAnswerer
from assistant.answering.protocol import Answerer
from assistant.settings import AnsweringSettings, LLMSettings


def make_answerer(
    settings: AnsweringSettings, encode: Encode | None = None, llm: LLMSettings | None = None
) -> Answerer:
    """One answerer per assistant; each is safe to call from several threads.

    `encode` embeds texts with the index's model; the learned judge needs it, and takes it
    as a callable so that answering never imports the index. With a language model in `llm`,
    the model answers and the judge named in `settings` is its fallback and second opinion.
    """
    judge = _judge(settings, encode)
    if llm is None or not llm.model:
        return judge
    from assistant.answering.chat_models import make_chat_model, uses_openai_client
    from assistant.answering.llm import LLMAnswerer

    return LLMAnswerer(
        make_chat_model(llm),
        judge,
        model_name=llm.model,
        timeout_seconds=llm.timeout_seconds,
        json_schema=uses_openai_client(llm) if llm.json_schema is None else llm.json_schema,
        prompt_passages=llm.passages,
        passage_chars=llm.passage_chars,
    )


def _judge(settings: AnsweringSettings, encode: Encode | None) -> Answerer:
    if settings.answerer == "extractive":
        return ExtractiveAnswerer()
    if settings.answerer == "learned":
        if encode is None:
            raise ValueError("the learned answerer needs an encode callable")
        model = JudgeModel.load(settings.judge_model) if settings.judge_model else None
        return LearnedAnswerer(encode, model)
    raise ValueError(f"unknown answerer {settings.answerer!r}")  # settings validation forbids it
