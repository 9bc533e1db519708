"""Validating labeled question sets, and finding their quotes in the extracted text."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.questions import QuestionSetError, load_question_set
from eval.textnorm import locate, normalize, normalize_with_map

AGREEMENT = """# Nimbus Hosting Terms

## 3. Backups
3.1 **Customer** is solely responsible for maintaining backups of Customer Data — including
    copies   of its databases.

## 4. Security
4.1 Nimbus will notify Customer of a "Security Incident" within 72 hours.
"""

VALID = """version: 1
agreements:
- file: nimbus.md
  provider: Nimbus
  questions:
  - id: nb-backups
    question: Who handles backups?
    topic: backups
    answer: customer
    evidence:
    - "Customer is solely responsible for maintaining backups of Customer Data \u2013 including copies of its databases."
  - id: nb-breach
    question: Will they tell us about a breach?
    topic: breach_notification
    answer: provider
    evidence:
    - Nimbus will notify Customer of a “Security Incident” within 72 hours.
  - id: nb-training
    question: Do they train our staff?
    topic: training
    answer: not_addressed
    evidence: []
"""

BROKEN = """version: 1
agreements:
- file: nimbus.md
  questions:
  - id: nb-missing-quote
    question: Who handles backups?
    topic: backups
    answer: customer
    evidence:
    - Nimbus backs up every database nightly and keeps the copies for thirty days.
  - id: nb-unknown-topic
    question: Who handles backups?
    topic: backupz
    answer: customer
    evidence:
    - Customer is solely responsible for maintaining backups of Customer Data
  - id: nb-bad-label
    question: Who handles backups?
    topic: backups
    answer: the customer
    evidence:
    - Customer is solely responsible for maintaining backups of Customer Data
  - id: nb-silent-with-evidence
    question: Do they train our staff?
    topic: training
    answer: not_addressed
    evidence:
    - Customer is solely responsible for maintaining backups of Customer Data
  - id: nb-no-evidence
    question: Will they tell us about a breach?
    topic: breach_notification
    answer: provider
  - id: nb-missing-quote
    question: Again?
    topic: backups
    answer: not_addressed
- file: missing.pdf
  questions:
  - id: ghost-backups
    question: Who handles backups?
    topic: backups
    answer: not_addressed
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "nimbus.md").write_text(AGREEMENT, encoding="utf-8")
    return folder


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_set_is_located_in_the_original_text(tmp_path: Path, corpus: Path) -> None:
    from ingest.loaders import load_document

    suite = load_question_set(write(tmp_path, VALID), corpus)
    text = load_document(corpus / "nimbus.md").text
    assert [c.id for c in suite.cases] == ["nb-backups", "nb-breach", "nb-training"]
    backups = suite.cases[0]
    assert backups.agreement == "nimbus" and backups.expected == "customer"
    (evidence,) = backups.evidence
    found = text[evidence.span.start : evidence.span.end]
    assert found.startswith("Customer** is solely") and found.endswith("databases.")
    breach = suite.cases[1].evidence[0].span
    assert text[breach.start : breach.end] == (
        'Nimbus will notify Customer of a "Security Incident" within 72 hours.'
    )
    assert suite.cases[2].evidence == ()
    assert suite.files == {"nimbus": corpus / "nimbus.md"}


def test_every_problem_is_reported_at_once_with_its_question_id(
    tmp_path: Path, corpus: Path
) -> None:
    with pytest.raises(QuestionSetError) as raised:
        load_question_set(write(tmp_path, BROKEN), corpus)
    message = str(raised.value)
    lines = {line.strip() for line in message.splitlines()[1:]}

    def line_of(qid: str) -> str:
        found = [line for line in lines if line.startswith(f"- {qid}")]
        assert found, f"{qid} missing from:\n{message}"
        return " ".join(found)

    assert "evidence quote 1 not found" in line_of("nb-missing-quote")
    assert "unknown topic 'backupz'" in line_of("nb-unknown-topic")
    assert "answer" in line_of("nb-bad-label")
    assert "must have no evidence" in line_of("nb-silent-with-evidence")
    assert "needs at least one evidence quote" in line_of("nb-no-evidence")
    assert "id used 2 times" in line_of("nb-missing-quote")
    assert "does not exist" in line_of("ghost-backups")
    assert "has 7 problem(s)" in message


def test_the_version_must_be_1(tmp_path: Path, corpus: Path) -> None:
    with pytest.raises(QuestionSetError, match="version"):
        load_question_set(write(tmp_path, VALID.replace("version: 1", "version: 2")), corpus)


def test_normalization_folds_what_labelers_change_and_maps_back() -> None:
    original = "A  \u201cSmart\u201d\n**ﬁle**\u2014`Go`  #Now"
    normalized = normalize_with_map(original)
    assert normalized.text == 'a "smart" file-go now'
    assert len(normalized.origin) == len(normalized.text)
    # Each normalized character points at the character it came from.
    assert original[normalized.origin[normalized.text.index("smart")]] == "S"
    fi = normalized.text.index("file")
    assert normalized.origin[fi] == normalized.origin[fi + 1] == original.index("ﬁ")
    assert original[normalized.origin[normalized.text.index("-")]] == "\u2014"
    assert normalize("  Two\tWords  ") == "two words"


def test_locate_returns_the_span_in_the_original_text() -> None:
    original = "Intro.\n\n3.1 The *Provider*  shall\nback up data.\nEnd."
    span = locate(normalize_with_map(original), "the provider shall back up data.")
    assert span is not None
    assert original[span[0] : span[1]] == "The *Provider*  shall\nback up data."
    assert locate(normalize_with_map(original), "the customer shall back up") is None
    assert locate(normalize_with_map(original), "  ") is None
