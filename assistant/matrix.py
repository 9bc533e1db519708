"""The responsibility matrix: every topic asked of each agreement, cached per version.

One question per topic, worded as a buyer would put it (not taken from any labeled set).
An agreement's column is answered in one pass and cached under AGREEMENTS_HOME/matrix keyed
by the agreement's version, so it is computed again only when the agreement changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.atomic_files import write_atomically
from assistant.questions.topics import TOPICS
from assistant.types import AgreementInfo, Answer, Matrix, MatrixCell, Verdict

logger = logging.getLogger(__name__)

TOPIC_QUESTIONS: dict[str, str] = {
    "data_accuracy": "Who is responsible for the accuracy and quality of the data?",
    "backups": "Who is responsible for backing up the data?",
    "data_location": "Who decides where the data is stored and transferred?",
    "data_privacy": "Who is responsible for privacy obligations and consent for personal data?",
    "confidentiality": "Who must keep information confidential?",
    "breach_notification": "Who must give notice of a security breach?",
    "encryption": "Who is responsible for encrypting the data?",
    "access_control": "Who is responsible for controlling access to accounts and credentials?",
    "configuration": "Who is responsible for configuring the service securely?",
    "third_party_integrations": "Who is responsible for third-party services and subprocessors?",
    "security_measures": "Who must maintain security measures?",
    "vulnerability_patching": "Who is responsible for patching vulnerabilities?",
    "monitoring": "Who is responsible for monitoring the service and its use?",
    "customer_systems": "Who is responsible for the customer's own systems and equipment?",
    "platform_maintenance": "Who is responsible for maintaining the platform?",
    "availability": "Who is responsible for the availability of the service?",
    "support": "Who provides support?",
    "user_management": "Who is responsible for managing users and their conduct?",
    "training": "Who is responsible for training staff?",
    "legal_compliance": "Who is responsible for complying with applicable laws?",
    "acceptable_use": "Who must ensure the service is used acceptably?",
    "data_ownership": "Who owns the data?",
    "audits": "Who has the right to audit?",
    "data_deletion": "Who deletes the data when the agreement ends?",
    "suspension": "Who may suspend the service?",
    "liability": "Who bears liability for damages?",
}
TOPIC_LABELS: dict[str, str] = {t.id: t.label for t in TOPICS if t.id in TOPIC_QUESTIONS}

Ask = Callable[[str, Sequence[str]], Answer]
# (agreement, topics done, topics in all): called after each topic and once per cached column.
MatrixProgress = Callable[[str, int, int], None]


class _Column(BaseModel):
    version: str
    cells: list[MatrixCell]


class MatrixCache:
    """One JSON file per agreement, holding the column of the version it was computed for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, agreement: AgreementInfo) -> list[MatrixCell] | None:
        path = self._path(agreement.name)
        try:
            column = _Column.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as exc:
            logger.warning("matrix cache %s cannot be read (%s); recomputing", path, exc)
            return None
        cached = {c.topic for c in column.cells}
        if column.version != agreement.version or cached != set(TOPIC_QUESTIONS):
            return None
        return column.cells

    def put(self, agreement: AgreementInfo, cells: list[MatrixCell]) -> None:
        column = _Column(version=agreement.version, cells=cells)
        write_atomically(self._path(agreement.name), column.model_dump_json())

    def drop(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"


def build_matrix(
    agreements: Sequence[AgreementInfo],
    ask: Ask,
    cache: MatrixCache,
    on_progress: MatrixProgress | None = None,
) -> Matrix:
    cells: list[MatrixCell] = []
    for agreement in agreements:
        column = cache.get(agreement)
        if column is None:
            column = _answer_column(agreement.name, ask, on_progress)
            cache.put(agreement, column)
        elif on_progress:
            on_progress(agreement.name, len(column), len(column))
        cells.extend(column)
    return Matrix(agreements=[a.name for a in agreements], topics=TOPIC_LABELS, cells=cells)


def _answer_column(
    agreement: str, ask: Ask, on_progress: MatrixProgress | None
) -> list[MatrixCell]:
    cells = []
    for done, (topic, question) in enumerate(TOPIC_QUESTIONS.items(), start=1):
        cells.append(_cell(agreement, topic, ask(question, [agreement])))
        if on_progress:
            on_progress(agreement, done, len(TOPIC_QUESTIONS))
    return cells


def _cell(agreement: str, topic: str, answer: Answer) -> MatrixCell:
    # A silent answer's citations are the nearest clauses, shown for reference: they decide
    # nothing, so the cell names no deciding section.
    decided = answer.verdict is not Verdict.NOT_ADDRESSED
    deciding = answer.citations[0] if answer.citations and decided else None
    return MatrixCell(
        agreement=agreement,
        topic=topic,
        question=answer.question,
        verdict=answer.verdict,
        confidence=answer.confidence,
        answer=answer.answer,
        section=deciding.section if deciding else None,
        page=deciding.page if deciding else None,
        quote=deciding.quote if deciding else None,
        source=deciding.label() if deciding else None,
    )
