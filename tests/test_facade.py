"""The facade as front ends use it: uploads as bytes, the Answerer seam, the named stages of
the chain, and several threads at once (as a chat page and a Slack bot call it)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from assistant.answering.protocol import AnswerContext, TextSink
from assistant.facade import AgreementAssistant
from assistant.questions.analysis import QuestionAnalysis
from assistant.settings import Settings
from assistant.types import Answer, Citation, FileStatus, RetrievedChunk, Verdict
from tests.conftest import SAMPLES

PDF = SAMPLES / "harborstack_paas_terms.pdf"
MARKDOWN = SAMPLES / "tideline_subscription_agreement.md"


def test_an_upload_is_indexed_like_the_same_file(assistant: AgreementAssistant) -> None:
    uploaded = assistant.ingest_bytes("harbor upload.pdf", PDF.read_bytes())
    assert uploaded.status is FileStatus.ADDED and uploaded.name == "harbor upload"
    on_disk = assistant.ingest([PDF]).results[0]
    assert on_disk.chunks == uploaded.chunks > 0

    listed = {a.name: a for a in assistant.agreements()}
    assert listed["harbor upload"].source == "harbor upload.pdf"
    assert listed["harbor upload"].pages == listed[PDF.stem].pages
    assert listed["harbor upload"].ingested_at is not None

    question = "Who handles backups?"
    from_upload = assistant.ask(question, ["harbor upload"])
    from_file = assistant.ask(question, [PDF.stem])
    assert from_upload.verdict == from_file.verdict
    assert [c.quote for c in from_upload.citations] == [c.quote for c in from_file.citations]
    assert [c.page for c in from_upload.citations] == [c.page for c in from_file.citations]
    # The same bytes again change nothing.
    again = assistant.ingest_bytes("harbor upload.pdf", PDF.read_bytes())
    assert again.status is FileStatus.UNCHANGED


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.pdf", b"", "is empty"),
        ("notes.xlsx", b"PK\x03\x04 a spreadsheet", "unsupported file type"),
        ("broken.pdf", b"%PDF-1.7 nothing else", "damaged"),
    ],
)
def test_a_bad_upload_gets_one_clear_error_naming_it(
    assistant: AgreementAssistant, name: str, data: bytes, problem: str
) -> None:
    result = assistant.ingest_bytes(name, data)
    assert result.status is FileStatus.FAILED
    assert result.error is not None and name in result.error and problem in result.error
    assert assistant.agreements() == []


class _CountingAnswerer:
    """An answerer standing in for a model: counts calls, cites one real and one made-up quote."""

    name = "counting"

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, list[str]]] = []
        self.first_passage = ""

    def answer(
        self,
        question: QuestionAnalysis,
        passages: Sequence[RetrievedChunk],
        context: AnswerContext,
        on_text: TextSink | None = None,
    ) -> Answer:
        self.calls.append((question.question, len(passages), context.names))
        best = passages[0].chunk
        self.first_passage = best.text
        real = Citation(agreement=best.agreement, quote=best.text[:40], chunk_id=best.id)
        invented = Citation(agreement=best.agreement, quote="The provider does it all.",
                            chunk_id=best.id)  # fmt: skip
        return Answer(
            question=question.question,
            verdict=Verdict.PROVIDER,
            answer="The provider, says the model.",
            confidence=0.9,
            citations=[real, invented],
            agreements=context.names,
        )


def test_any_answerer_is_called_once_per_question_and_its_quotes_are_checked(
    settings: Settings,
) -> None:
    counting = _CountingAnswerer()
    helper = AgreementAssistant(settings, answerer=counting)
    assert not helper.ingest([PDF, MARKDOWN]).failed
    answer = helper.ask("Who handles backups?")
    assert len(counting.calls) == 1  # not once more per agreement
    question, passages, names = counting.calls[0]
    assert question == "Who handles backups?" and passages == settings.retrieval.k
    assert sorted(names) == sorted([PDF.stem, MARKDOWN.stem])
    assert answer.answerer == "counting"
    # The made-up quote is not in its passage: the guard drops it, whoever answered.
    assert [c.quote for c in answer.citations] == [counting.first_passage[:40]]


class _StageNames(BaseCallbackHandler):
    def __init__(self) -> None:
        self.names: list[str] = []

    def on_chain_start(
        self, serialized: dict[str, Any] | None, inputs: Any, *, run_id: UUID, **kwargs: Any
    ) -> None:
        self.names.append(str(kwargs.get("name")))


def test_the_chain_shows_its_typed_stages_to_langchain_callbacks(
    assistant: AgreementAssistant,
) -> None:
    assistant.ingest([MARKDOWN])
    seen = _StageNames()
    answer = assistant.chain([MARKDOWN.stem]).invoke(
        "Who handles backups?", config={"callbacks": [seen]}
    )
    assert isinstance(answer, Answer)
    assert [n for n in seen.names if n in {"analyze", "retrieve", "answer", "verify"}] == [
        "analyze", "retrieve", "answer", "verify",
    ]  # fmt: skip


def test_threads_asking_while_another_ingests_get_the_answers_asked_alone(
    assistant: AgreementAssistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assistant.ingest([PDF, MARKDOWN])
    questions = [
        "Who handles backups?",
        "Who patches the operating system?",
        "Who must notify regulators of a breach?",
        "Who pays the fees?",
    ] * 3
    alone = [assistant.ask(q, [PDF.stem, MARKDOWN.stem]).model_dump() for q in questions]

    import torch

    changes: list[int] = []
    monkeypatch.setattr(torch, "set_num_threads", changes.append)
    copy = tmp_path / "copy.md"
    copy.write_text(MARKDOWN.read_text(encoding="utf-8"), encoding="utf-8")
    with ThreadPoolExecutor(max_workers=4) as pool:
        ingesting = pool.submit(assistant.ingest, [copy])
        together = list(
            pool.map(lambda q: assistant.ask(q, [PDF.stem, MARKDOWN.stem]).model_dump(), questions)
        )
        assert not ingesting.result().failed
    assert together == alone
    assert changes == []  # process-wide torch state is set once, never per question
