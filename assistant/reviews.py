"""Reviews kept as labeled questions: one eval-format YAML per agreement.

Each file is a question set as ../shared/eval-format.md defines it, with the agreement's file
beside it (`../files/NAME.ext`, the copy the index keeps), so
`agreements eval --questions AGREEMENTS_HOME/reviews/NAME.yaml` runs on it as it is. A later
review of the same question and agreement replaces the earlier one.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.atomic_files import write_atomically
from assistant.errors import AgreementsError
from assistant.questions.topics import TOPICS
from assistant.types import Review, Verdict

_SLUG = re.compile(r"[^a-z0-9]+")
TOPIC_IDS = frozenset(t.id for t in TOPICS)


class ReviewStore:
    """Reviews under one folder, one question set per agreement."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def add(self, review: Review, source_file: Path, provider: str | None = None) -> Path:
        """Save `review` into its agreement's set; returns the set's path."""
        if review.topic not in TOPIC_IDS:
            raise AgreementsError(f"a review needs one of the topics, not {review.topic!r}")
        if review.label is not Verdict.NOT_ADDRESSED and not review.evidence:
            raise AgreementsError(
                f"a review saying {review.label.value} needs at least one quote as evidence"
            )
        path = self.path(review.agreement)
        document = self._read(path) or _empty_set(self._relative(source_file), provider)
        questions: list[dict[str, Any]] = document["agreements"][0]["questions"]
        entry = _question_entry(review)
        questions[:] = [q for q in questions if q.get("id") != entry["id"]] + [entry]
        self._write(path, document)
        return path

    def reviews(self) -> list[Review]:
        """Every saved review, in file and then saved order."""
        found: list[Review] = []
        for path in self.sets():
            document = self._read(path)
            for agreement in (document or {}).get("agreements", []):
                name = Path(str(agreement.get("file", path.stem))).stem
                found.extend(_review(name, q) for q in agreement.get("questions", []))
        return found

    def sets(self) -> list[Path]:
        return sorted(self.folder.glob("*.yaml")) if self.folder.is_dir() else []

    def export_zip(self) -> bytes:
        """All the sets in one archive, to hand to whoever maintains the labeled sets."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in self.sets():
                archive.write(path, path.name)
        return buffer.getvalue()

    def path(self, agreement: str) -> Path:
        return self.folder / f"{agreement}.yaml"

    def _relative(self, source_file: Path) -> str:
        try:
            return os.path.relpath(source_file, self.folder)
        except ValueError:  # another drive (Windows): an absolute path resolves just as well
            return str(source_file)

    def _read(self, path: Path) -> dict[str, Any] | None:
        if not path.is_file():
            return None
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise AgreementsError(f"review file {path} cannot be read: {exc}") from exc
        if not isinstance(loaded, dict) or not loaded.get("agreements"):
            raise AgreementsError(f"review file {path} is not a question set")
        return loaded

    def _write(self, path: Path, document: dict[str, Any]) -> None:
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
        write_atomically(path, text)


def _empty_set(file: str, provider: str | None) -> dict[str, Any]:
    agreement: dict[str, Any] = {"file": file}
    if provider:
        agreement["provider"] = provider
    agreement["questions"] = []
    return {"version": 1, "agreements": [agreement]}


def _question_entry(review: Review) -> dict[str, Any]:
    slug = _SLUG.sub("-", review.question.lower()).strip("-")[:60]
    verdict = "correct" if review.correct else f"answered {review.answered.value}"
    note = f"reviewed {review.reviewed_at.isoformat(timespec='seconds')}: {verdict}"
    if review.note:
        note = f"{note}; {review.note}"
    evidence = [] if review.label is Verdict.NOT_ADDRESSED else list(review.evidence)
    return {
        "id": f"{review.agreement}-{slug}",
        "question": review.question,
        "topic": review.topic,
        "answer": review.label.value,
        "evidence": evidence,
        "note": note,
    }


def _review(agreement: str, entry: dict[str, Any]) -> Review:
    note = str(entry.get("note", ""))
    stamp, _, rest = note.partition(": ")
    answered = entry["answer"]
    if rest.startswith("answered "):
        answered = rest.removeprefix("answered ").split(";")[0]
    try:
        reviewed_at = datetime.fromisoformat(stamp.removeprefix("reviewed "))
    except ValueError:
        reviewed_at = datetime.fromtimestamp(0)
    extra = rest.split("; ", 1)[1] if "; " in rest else None
    return Review(
        agreement=agreement,
        question=str(entry["question"]),
        topic=str(entry.get("topic", "")),
        answered=Verdict(answered),
        label=Verdict(entry["answer"]),
        evidence=[str(q) for q in entry.get("evidence") or []],
        note=extra,
        reviewed_at=reviewed_at,
    )
