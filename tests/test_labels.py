"""The labeled data of eval/LABELING.md: the split is honest, the sets are big and varied enough,
and every quote and sentence is found in its agreement."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from eval.labels import (
    SENTENCES_DIR,
    LabeledSentence,
    Split,
    Splits,
    annotator_agreement,
    load_sentences,
    load_split_suite,
    load_splits,
    split_table,
)
from eval.questions import TOPIC_IDS

SPLITS = load_splits()


def _questions(split: str) -> list[dict[str, object]]:
    raw = yaml.safe_load(SPLITS.splits[split].questions.read_text(encoding="utf-8"))
    return [{**q, "file": a["file"]} for a in raw["agreements"] for q in a["questions"]]


def _sentences() -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in sorted(SENTENCES_DIR.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_the_split_is_by_agreement_and_each_set_keeps_to_its_split() -> None:
    assert set(SPLITS.splits) == {"train", "tune", "check", "extra"}
    assert SPLITS.splits["extra"].role == "train"  # PDFs and HTML pages: teaching material
    for name, split in SPLITS.splits.items():
        files = {str(q["file"]) for q in _questions(name)}
        assert files <= set(split.agreements), f"{name} asks of agreements of other splits"
    check = _questions("check")
    assert len(SPLITS.splits["check"].agreements) >= 8 and len(check) >= 80


def test_the_sets_are_large_and_varied_as_users_ask() -> None:
    questions = [q for name in ("train", "tune", "check") for q in _questions(name)]
    labels = Counter(str(q["answer"]) for q in questions)
    assert len(questions) >= 250
    assert len({q["file"] for q in questions}) >= 25
    assert {str(q["topic"]) for q in questions} == TOPIC_IDS
    assert set(labels) == {"customer", "provider", "shared", "not_addressed"}
    assert labels["not_addressed"] / len(questions) >= 0.20
    assert len({q["id"] for q in questions}) == len(questions)


def test_enough_labeled_sentences_of_every_kind() -> None:
    sentences = _sentences()
    assert len(sentences) >= 2000
    kinds = Counter(str(s["kind"]) for s in sentences)
    assert set(kinds) == {"duty", "right", "prohibition", "disclaimer", "definition", "other"}
    assert {str(s["holder"]) for s in sentences} == {"customer", "provider", "both", "neither"}


def test_a_sentence_label_outside_the_scheme_is_refused() -> None:
    good = {"agreement": "x.md", "text": "You must keep backups.", "topics": ["backups"],
            "holder": "customer", "kind": "duty", "decides": True}  # fmt: skip
    assert LabeledSentence.model_validate(good).holder == "customer"
    for field, value in (("topics", ["backup"]), ("kind", "obligation"), ("holder", "vendor")):
        with pytest.raises(ValidationError):
            LabeledSentence.model_validate({**good, field: value})


def test_a_sentence_not_in_its_agreement_is_named_by_file_and_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "acme.md").write_text("# Acme\n\nYou must keep your own backups.\n", encoding="utf-8")
    split = Split("train", tmp_path / "train.yaml", ("acme.md",), corpus, "train")
    splits = Splits({"train": split})
    folder = tmp_path / "sentences"
    folder.mkdir()
    line = {"agreement": "acme.md", "topics": ["backups"], "holder": "customer", "kind": "duty",
            "decides": True}  # fmt: skip
    rows = [{**line, "text": "You must keep your own backups."},
            {**line, "text": "We keep backups for you."}]  # fmt: skip
    (folder / "acme.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    sentences, problems = load_sentences(splits, folder)
    assert [s.text for s in sentences] == ["You must keep your own backups."]
    assert problems == ["acme.jsonl:2: sentence not found in acme.md"]


def test_the_splits_table_puts_figures_side_by_side() -> None:
    table = split_table({"train": {"questions": 10, "answer_accuracy": 0.5, "mrr": None},
                         "check": {"questions": 8, "evidence_hit_at": {"1": 0.25}}})  # fmt: skip
    lines = table.splitlines()
    assert lines[0] == "| figure | train | check |"
    assert "| accuracy | 0.5 | n/a |" in lines and "| hit@1 | n/a | 0.25 |" in lines


@pytest.mark.parametrize("split", ["train", "tune", "check", "extra"])
def test_every_quote_of_a_split_is_found_in_its_agreement(split: str) -> None:
    corpus = SPLITS.splits[split].corpus
    if not corpus.is_dir():
        pytest.skip(f"the {split} split's agreements ({corpus}) are absent here")
    suite = load_split_suite(split, SPLITS)
    assert len(suite.cases) == len(_questions(split))


def test_every_labeled_sentence_is_found_in_its_agreement() -> None:
    if not SPLITS.splits["check"].corpus.is_dir():
        pytest.skip(f"../shared/corpus-more is absent ({SPLITS.splits['check'].corpus})")
    sentences, problems = load_sentences(SPLITS)
    assert problems == []
    present = {a for s in SPLITS.available() for a in s.agreements}
    assert len(sentences) == len([s for s in _sentences() if s["agreement"] in present])


def test_annotator_agreement_is_raw_share_and_cohens_kappa() -> None:
    first = {"a": "customer", "b": "provider", "c": "not_addressed", "d": "shared", "e": "x"}
    second = {"a": "customer", "b": "customer", "c": "not_addressed", "d": "shared"}
    first.pop("e")
    result = annotator_agreement(first, second)
    assert result["questions"] == 4 and result["agreement"] == 0.75
    assert result["kappa"] == round((0.75 - 0.25) / 0.75, 4)
    assert result["disagreements"] == ["b"]
    assert result["confusion"]["provider"]["customer"] == 1
