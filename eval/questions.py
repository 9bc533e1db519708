"""Reading and validating a labeled question set (the format of eval-format.md).

A set with a wrong label or a quote that is not in the agreement would score the assistant
against a mistake, so nothing is run until the whole set is valid; and a labeler fixing a set
wants every problem at once, each named by question id, not one per attempt.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import AgreementsError, DocumentError
from assistant.facade import AgreementAssistant
from eval.cases import EvalCase, EvalSuite, Evidence, Span
from eval.textnorm import locate, normalize_with_map

logger = logging.getLogger(__name__)

AnswerLabel = Literal["customer", "provider", "shared", "not_addressed"]
TOPIC_IDS: frozenset[str] = frozenset(AgreementAssistant.topics())


class QuestionSetError(AgreementsError):
    """A labeled question set is invalid; the message lists the offending question ids."""


class LabeledQuestion(BaseModel):
    """One question of the set, as written by a labeler."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, description="Unique in the whole set.")
    question: str = Field(min_length=1)
    topic: str = Field(description="One of the 26 topic ids of assistant.topics.")
    answer: AnswerLabel
    evidence: list[str] = Field(default_factory=list, description="Verbatim quotes.")
    note: str | None = None

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, value: str) -> str:
        if value not in TOPIC_IDS:
            raise ValueError(f"unknown topic {value!r}")
        return value

    @model_validator(mode="after")
    def _evidence_matches_answer(self) -> LabeledQuestion:
        if self.answer == "not_addressed" and self.evidence:
            raise ValueError("a not_addressed question must have no evidence")
        if self.answer != "not_addressed" and not self.evidence:
            raise ValueError(f"an answer of {self.answer!r} needs at least one evidence quote")
        if any(not quote.strip() for quote in self.evidence):
            raise ValueError("an evidence quote is empty")
        return self


class LabeledAgreement(BaseModel):
    """One agreement file and its questions (questions are validated one by one)."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1, description="Path relative to the run's corpus folder.")
    provider: str | None = None
    questions: list[dict[str, Any]] = Field(default_factory=list)


class QuestionSetHeader(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    agreements: list[dict[str, Any]] = Field(min_length=1)


def load_question_set(path: Path, corpus: Path) -> EvalSuite:
    """Read, validate and locate a set; raises QuestionSetError listing every problem."""
    problems: list[str] = []
    header = _header(path, problems)
    if header is None:
        raise _error(path, problems)
    cases: list[EvalCase] = []
    files: dict[str, Path] = {}
    texts: dict[str, str] = {}
    seen_files: dict[str, str] = {}
    ids: Counter[str] = Counter()
    for number, raw_agreement in enumerate(header.agreements, start=1):
        try:
            agreement = LabeledAgreement.model_validate(raw_agreement)
        except ValidationError as exc:
            problems.append(f"agreement #{number}: {_messages(exc)}")
            continue
        questions = _questions(agreement, problems)
        ids.update(q.id for q in questions)
        name = Path(agreement.file).stem
        file = corpus / agreement.file
        if name in seen_files and seen_files[name] != agreement.file:
            problems.append(f"{agreement.file}: same agreement name {name!r} as {seen_files[name]}")
            continue
        seen_files[name] = agreement.file
        text = texts.get(name) if name in files else _load_text(file, questions, problems)
        if text is None:
            continue
        files[name], texts[name] = file, text
        cases.extend(_cases(name, agreement.file, text, questions, problems))
    problems.extend(f"{qid}: id used {n} times" for qid, n in sorted(ids.items()) if n > 1)
    if problems:
        raise _error(path, problems)
    logger.info("question set %s: %d questions over %d agreements", path, len(cases), len(files))
    return EvalSuite(name=set_name(path), kind="questions", cases=cases, files=files, texts=texts)


def set_name(path: Path) -> str:
    """A readable name: "samples/questions" says more than "questions"."""
    return f"{path.parent.name}/{path.stem}" if path.parent.name else path.stem


def _header(path: Path, problems: list[str]) -> QuestionSetHeader | None:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        problems.append(f"cannot be read ({exc.strerror or exc})")
        return None
    except yaml.YAMLError as exc:
        problems.append(f"is not valid YAML ({exc})")
        return None
    try:
        return QuestionSetHeader.model_validate(raw)
    except ValidationError as exc:
        problems.append(_messages(exc))
        return None


def _questions(agreement: LabeledAgreement, problems: list[str]) -> list[LabeledQuestion]:
    valid: list[LabeledQuestion] = []
    for number, raw in enumerate(agreement.questions, start=1):
        qid = raw.get("id") if isinstance(raw, dict) else None
        where = str(qid) if qid else f"{agreement.file} question #{number} (no id)"
        try:
            valid.append(LabeledQuestion.model_validate(raw))
        except ValidationError as exc:
            problems.append(f"{where}: {_messages(exc)}")
    return valid


def _load_text(file: Path, questions: list[LabeledQuestion], problems: list[str]) -> str | None:
    who = ", ".join(q.id for q in questions) or "no questions"
    if not file.is_file():
        problems.append(f"{who}: agreement file {file} does not exist")
        return None
    try:
        return AgreementAssistant.read_text(file)
    except DocumentError as exc:
        problems.append(f"{who}: agreement file cannot be read: {exc.problem}")
        return None


def _cases(
    name: str, file: str, text: str, questions: list[LabeledQuestion], problems: list[str]
) -> list[EvalCase]:
    haystack = normalize_with_map(text)
    cases: list[EvalCase] = []
    for q in questions:
        evidence: list[Evidence] = []
        for number, quote in enumerate(q.evidence, start=1):
            span = locate(haystack, quote)
            if span is None:
                problems.append(f"{q.id}: evidence quote {number} not found in {file}: {quote!r}")
            else:
                evidence.append(Evidence(quote=quote, span=Span(name, *span)))
        cases.append(
            EvalCase(
                id=q.id,
                question=q.question,
                agreement=name,
                topic=q.topic,
                expected=q.answer,
                evidence=tuple(evidence),
                note=q.note,
            )
        )
    return cases


def _messages(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _error(path: Path, problems: list[str]) -> QuestionSetError:
    listed = "\n".join(f"  - {p}" for p in problems)
    return QuestionSetError(f"question set {path} has {len(problems)} problem(s):\n{listed}")
