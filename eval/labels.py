"""The labeled data of eval/LABELING.md: the split, its question sets and labeled sentences.

`python -m eval.labels check` validates all of it (every quote and sentence found in its
agreement's extracted text) and prints the counts; `python -m eval.labels assemble PARTS_DIR`
gathers per-agreement question files (as labelers write them) into the split's set files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from eval.cases import EvalSuite
from eval.gate import figure
from eval.metrics import confusion
from eval.questions import TOPIC_IDS, QuestionSetError, load_question_set
from eval.scoring import LABELS
from eval.textnorm import NormalizedText, locate, normalize_with_map

REPO = Path(__file__).resolve().parents[1]
SPLITS_FILE = REPO / "eval" / "splits.yaml"
SENTENCES_DIR = REPO / "eval" / "labeled" / "sentences"

Holder = Literal["customer", "provider", "both", "neither"]
Kind = Literal["duty", "right", "prohibition", "disclaimer", "definition", "other"]


class LabeledSentence(BaseModel):
    """One labeled sentence of an agreement (eval/LABELING.md)."""

    model_config = ConfigDict(extra="forbid")

    agreement: str = Field(description="The agreement's file name in the split's corpus.")
    text: str = Field(min_length=3, description="Verbatim from the agreement.")
    topics: list[str] = Field(default_factory=list)
    holder: Holder
    kind: Kind
    decides: bool
    note: str | None = None

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - TOPIC_IDS)
        if unknown:
            raise ValueError(f"unknown topic(s) {', '.join(unknown)}")
        return value


@dataclass(frozen=True)
class Split:
    name: str
    questions: Path
    agreements: tuple[str, ...]
    corpus: Path
    role: str  # what the split is for: train, tune or check


@dataclass(frozen=True)
class Splits:
    splits: dict[str, Split]

    def of(self, agreement: str) -> Split | None:
        return next((s for s in self.splits.values() if agreement in s.agreements), None)

    def available(self) -> list[Split]:
        """The splits whose agreements are on this machine."""
        return [s for s in self.splits.values() if s.corpus.is_dir()]


def load_splits(path: Path = SPLITS_FILE) -> Splits:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = path.resolve().parents[1]
    splits = {
        name: Split(
            name,
            base / spec["questions"],
            tuple(spec["agreements"]),
            (base / spec.get("corpus", raw["corpus"])).resolve(),
            spec.get("role", name),
        )
        for name, spec in raw["splits"].items()
    }
    seen = Counter(a for s in splits.values() for a in s.agreements)
    twice = sorted(a for a, n in seen.items() if n > 1)
    if twice:
        raise AgreementsError(f"{path}: agreements in more than one split: {', '.join(twice)}")
    return Splits(splits)


def load_split_suite(name: str, splits: Splits | None = None) -> EvalSuite:
    """The labeled questions of one split, validated, as an evaluation suite."""
    splits = splits or load_splits()
    if name not in splits.splits:
        raise AgreementsError(f"unknown split {name!r}; splits: {', '.join(splits.splits)}")
    split = splits.splits[name]
    if not split.corpus.is_dir():
        raise AgreementsError(f"split {name!r} needs its agreements in {split.corpus}, absent here")
    suite = load_question_set(split.questions, split.corpus)
    stray = sorted(Path(f).name for f in suite.files.values() if f.name not in split.agreements)
    if stray:
        raise QuestionSetError(f"{split.questions}: agreements of other splits: {', '.join(stray)}")
    return suite


SPLIT_FIGURES = (
    ("questions", "questions"),
    ("answer_accuracy", "accuracy"),
    ("abstention_accuracy", "abstention"),
    ("evidence_hit_at.1", "hit@1"),
    ("evidence_hit_at.5", "hit@5"),
    ("mrr", "MRR"),
    ("citation_precision", "cit. precision"),
    ("citation_recall", "cit. recall"),
)


def split_table(reports: dict[str, dict[str, Any]]) -> str:
    """The splits' figures side by side, as a Markdown table."""
    names = list(reports)
    lines = ["| figure | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for key, label in SPLIT_FIGURES:
        cells = []
        for name in names:
            try:
                value = figure(reports[name], key)
            except AgreementsError:  # a figure the report lacks
                value = None
            cells.append("n/a" if value is None else f"{value:.4g}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load_sentences(
    splits: Splits, folder: Path = SENTENCES_DIR
) -> tuple[list[LabeledSentence], list[str]]:
    """Every labeled sentence, and every problem found (by file and line)."""
    sentences: list[LabeledSentence] = []
    problems: list[str] = []
    texts: dict[str, NormalizedText] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                sentence = LabeledSentence.model_validate(json.loads(line))
            except (ValidationError, json.JSONDecodeError) as exc:
                problems.append(f"{where}: {exc}".splitlines()[0])
                continue
            split = splits.of(sentence.agreement)
            if split is None:
                problems.append(f"{where}: {sentence.agreement} is in no split")
                continue
            if not split.corpus.is_dir():
                continue  # that split's agreements are not on this machine
            if sentence.agreement not in texts:
                text = AgreementAssistant.read_text(split.corpus / sentence.agreement)
                texts[sentence.agreement] = normalize_with_map(text)
            if locate(texts[sentence.agreement], sentence.text) is None:
                problems.append(f"{where}: sentence not found in {sentence.agreement}")
                continue
            sentences.append(sentence)
    return sentences, problems


def check() -> int:
    splits = load_splits()
    failed = False
    labels: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    for name in [s.name for s in splits.available()]:
        try:
            suite = load_split_suite(name, splits)
        except AgreementsError as exc:
            print(f"{name}: {exc}")
            failed = True
            continue
        split_labels = Counter(c.expected or "" for c in suite.cases)
        labels.update(split_labels)
        topics.update(c.topic or "" for c in suite.cases)
        print(f"{name}: {len(suite.cases)} questions over {len(suite.files)} agreements "
              f"{dict(sorted(split_labels.items()))}")
    sentences, problems = load_sentences(splits)
    for problem in problems:
        print(problem)
    failed = failed or bool(problems)
    total = sum(labels.values())
    if total:
        share = {k: round(v / total, 3) for k, v in sorted(labels.items())}
        print(f"all: {total} questions; labels {share}")
        missing = sorted(TOPIC_IDS - set(topics))
        gaps = f"; missing {missing}" if missing else ""
        print(f"topics: {len(topics)} of {len(TOPIC_IDS)}{gaps}")
    by_split = Counter(getattr(splits.of(s.agreement), "name", None) for s in sentences)
    print(f"sentences: {len(sentences)} {dict(by_split)}; kinds "
          f"{dict(Counter(s.kind for s in sentences))}; holders "
          f"{dict(Counter(s.holder for s in sentences))}; deciding "
          f"{sum(s.decides for s in sentences)}")
    return 1 if failed else 0


SECOND_ANNOTATION = REPO / "eval" / "labeled" / "second_annotation.yaml"


def annotator_agreement(first: dict[str, str], second: dict[str, str]) -> dict[str, Any]:
    """Raw agreement and Cohen's kappa of two labelings over the questions both labeled."""
    ids = sorted(set(first) & set(second))
    if not ids:
        return {"questions": 0, "agreement": None, "kappa": None, "disagreements": []}
    same = sum(first[i] == second[i] for i in ids) / len(ids)
    share_a = Counter(first[i] for i in ids)
    share_b = Counter(second[i] for i in ids)
    chance = sum(share_a[label] * share_b[label] for label in LABELS) / len(ids) ** 2
    kappa = (same - chance) / (1 - chance) if chance < 1 else 1.0
    return {
        "questions": len(ids),
        "agreement": round(same, 4),
        "kappa": round(kappa, 4),
        "confusion": confusion({i: second[i] for i in ids}, {i: first[i] for i in ids}, LABELS),
        "disagreements": [i for i in ids if first[i] != second[i]],
    }


def agreement_report(second_path: Path = SECOND_ANNOTATION) -> int:
    """The blind second annotation against the settled labels of the split sets."""
    splits = load_splits()
    settled = {
        str(q["id"]): str(q["answer"])
        for split in splits.splits.values()
        for a in yaml.safe_load(split.questions.read_text(encoding="utf-8"))["agreements"]
        for q in a["questions"]
    }
    raw = yaml.safe_load(second_path.read_text(encoding="utf-8"))
    blind = {str(q["id"]): str(q["blind_answer"]) for q in raw["questions"]}
    result = annotator_agreement(settled, blind)
    share = result["questions"] / len(settled) if settled else 0.0
    print(f"second annotation: {result['questions']} of {len(settled)} questions ({share:.0%}); "
          f"agreement {result['agreement']}, Cohen's kappa {result['kappa']}")
    print("rows: settled label, columns: blind label")
    print("| | " + " | ".join(LABELS) + " |")
    for label in LABELS:
        row = " | ".join(str(result["confusion"][label][b]) for b in LABELS)
        print(f"| {label} | {row} |")
    print(f"disagreements ({len(result['disagreements'])}): {', '.join(result['disagreements'])}")
    return 0


def assemble(parts: Path) -> int:
    """Gather per-agreement question files into each split's set file, in split order."""
    splits = load_splits()
    by_file: dict[str, dict[str, Any]] = {}
    for path in sorted(parts.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for agreement in raw["agreements"]:
            by_file[agreement["file"]] = agreement
    for split in splits.splits.values():
        chosen = [by_file[a] for a in split.agreements if a in by_file]
        if not chosen:  # nothing of this split among the parts: its set stays as it is
            continue
        header = (
            f"# Labeled questions of the {split.name} split (eval/LABELING.md, eval/splits.yaml).\n"
        )
        body = yaml.safe_dump(
            {"version": 1, "agreements": chosen}, sort_keys=False, allow_unicode=True, width=100
        )
        split.questions.parent.mkdir(parents=True, exist_ok=True)
        split.questions.write_text(header + body, encoding="utf-8")
        print(f"{split.name}: {len(chosen)} agreement(s) -> {split.questions}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.labels", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate the split's question sets and sentence files")
    sub.add_parser("agreement", help="the blind second annotation's agreement with the sets")
    gather = sub.add_parser("assemble", help="gather per-agreement question files by split")
    gather.add_argument("parts", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return check()
        if args.command == "agreement":
            return agreement_report()
        return assemble(args.parts)
    except AgreementsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
