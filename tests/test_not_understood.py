"""A question that cannot be read gets "not understood", never a claim that the agreement is
silent; every labeled question of the project still reads as a question."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
import yaml

from assistant.facade import AgreementAssistant
from assistant.questions.analysis import analyze_question
from assistant.rendering import answer_to_json, render_answer
from assistant.slack.blocks import answer_blocks
from tests.conftest import REPO, SAMPLES, SHARED

UNREADABLE = [
    "¿Quién se encarga de las copias de seguridad?",
    "Qui est responsable des sauvegardes ?",
    "Wer ist für die Datensicherung verantwortlich?",
    "Quem é responsável pela notificação de violação de dados?",
    "备份由谁负责\uff1f",
    "asdf qwer zxcv",
    "Who?",
]


def _labeled_questions() -> list[str]:
    files = [*glob.glob(str(REPO / "eval" / "labeled" / "questions" / "*.yaml")),
             str(SAMPLES / "questions.yaml"), str(SHARED / "eval" / "dev.yaml")]  # fmt: skip
    questions = []
    for name in files:
        if Path(name).is_file():
            data = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
            questions += [q["question"] for a in data["agreements"] for q in a["questions"]]
    return questions


@pytest.mark.parametrize("question", UNREADABLE)
def test_unreadable_questions_are_not_understood(question: str) -> None:
    assert not analyze_question(question).understood


def test_every_labeled_question_is_understood() -> None:
    questions = _labeled_questions()
    assert len(questions) > 100
    missed = [q for q in questions if not analyze_question(q).understood]
    assert not missed, missed


def test_a_question_in_another_language_naming_a_topic_is_answered() -> None:
    assert analyze_question("Chi è responsabile dei backup?").understood


def test_the_answer_says_not_understood_and_claims_nothing(assistant: AgreementAssistant) -> None:
    assert not assistant.ingest([SAMPLES / "tideline_subscription_agreement.md"]).failed
    answer = assistant.ask("Wer ist für die Datensicherung verantwortlich?")
    assert not answer.understood and answer.confidence == 0.0 and not answer.citations
    assert "did not understand the question" in answer.answer
    assert render_answer(answer).startswith("Not understood")
    assert answer_to_json(answer)["understood"] is False
    assert ":grey_question:" in str(answer_blocks(answer))
    assert assistant.ask("Who handles backups?").understood
