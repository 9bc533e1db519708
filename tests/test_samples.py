"""The project's own sample agreements and their labeled questions are consistent.

Every evidence quote must be found in the text a loader would extract from the deliverable
(pypdf for the PDF, python-docx paragraphs for the DOCX, the file text for Markdown), after the
normalization described in /work/shared/eval-format.md. A quote that cannot be found is an error
of the set and is reported with its question id.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from eval.textnorm import normalize
from ingest.loaders import load_document

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
QUESTIONS = SAMPLES / "questions.yaml"

TOPICS = frozenset(
    [
        "data_accuracy",
        "backups",
        "data_location",
        "data_privacy",
        "confidentiality",
        "breach_notification",
        "encryption",
        "access_control",
        "configuration",
        "third_party_integrations",
        "security_measures",
        "vulnerability_patching",
        "monitoring",
        "customer_systems",
        "platform_maintenance",
        "availability",
        "support",
        "user_management",
        "training",
        "legal_compliance",
        "acceptable_use",
        "data_ownership",
        "audits",
        "data_deletion",
        "suspension",
        "liability",
    ]
)
assert len(TOPICS) == 26  # the topic list of eval-format.md
LABELS = frozenset({"customer", "provider", "shared", "not_addressed"})

@pytest.fixture(scope="module")
def question_set() -> dict[str, Any]:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def texts(question_set: dict[str, Any]) -> dict[str, str]:
    return {
        a["file"]: normalize(load_document(SAMPLES / a["file"]).text)
        for a in question_set["agreements"]
        if (SAMPLES / a["file"]).is_file()
    }


def _questions(question_set: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(a["file"], q) for a in question_set["agreements"] for q in a["questions"]]


def test_header_and_files_exist(question_set: dict[str, Any]) -> None:
    assert question_set["version"] == 1
    agreements = question_set["agreements"]
    assert len(agreements) >= 3
    for a in agreements:
        assert (SAMPLES / a["file"]).is_file(), f"missing agreement file {a['file']}"
        assert a.get("provider"), f"{a['file']}: provider name missing"
    # one of each deliverable format
    assert {Path(a["file"]).suffix for a in agreements} >= {".pdf", ".docx", ".md"}


def test_ids_unique_and_fields_valid(question_set: dict[str, Any]) -> None:
    ids = Counter(q["id"] for _, q in _questions(question_set))
    assert not [i for i, n in ids.items() if n > 1], "duplicate question ids"
    problems = []
    for file, q in _questions(question_set):
        qid = q.get("id")
        if not q.get("question"):
            problems.append(f"{qid}: empty question")
        if q.get("topic") not in TOPICS:
            problems.append(f"{qid}: unknown topic {q.get('topic')!r}")
        if q.get("answer") not in LABELS:
            problems.append(f"{qid}: invalid answer {q.get('answer')!r}")
        evidence = q.get("evidence")
        if not isinstance(evidence, list):
            problems.append(f"{qid}: evidence must be a list")
        elif q.get("answer") == "not_addressed" and evidence:
            problems.append(f"{qid}: not_addressed must have empty evidence")
        elif q.get("answer") != "not_addressed" and not evidence:
            problems.append(f"{qid}: {q.get('answer')} needs evidence ({file})")
    assert not problems, "\n".join(problems)


def test_label_balance(question_set: dict[str, Any]) -> None:
    for a in question_set["agreements"]:
        labels = Counter(q["answer"] for q in a["questions"])
        assert 15 <= len(a["questions"]) <= 25, a["file"]
        assert labels["not_addressed"] >= 3, (a["file"], labels)
        assert labels["shared"] >= 2, (a["file"], labels)
        assert labels["customer"] >= 3 and labels["provider"] >= 3, (a["file"], labels)


def test_evidence_quotes_found_verbatim(
    question_set: dict[str, Any], texts: dict[str, str]
) -> None:
    missing = []
    for file, q in _questions(question_set):
        for quote in q.get("evidence") or []:
            if normalize(quote) not in texts[file]:
                missing.append(f"{q['id']} ({file}): {quote!r}")
    assert not missing, "evidence not found after normalization:\n" + "\n".join(missing)


def test_evidence_quotes_long_enough(question_set: dict[str, Any]) -> None:
    short = [
        f"{q['id']}: {quote!r}"
        for _, q in _questions(question_set)
        for quote in q.get("evidence") or []
        if len(quote.split()) < 8
    ]
    assert not short, "quotes under 8 words:\n" + "\n".join(short)


def test_evidence_quotes_unique_in_agreement(
    question_set: dict[str, Any], texts: dict[str, str]
) -> None:
    ambiguous = [
        f"{q['id']}: {quote!r}"
        for file, q in _questions(question_set)
        for quote in q.get("evidence") or []
        if texts[file].count(normalize(quote)) > 1
    ]
    assert not ambiguous, "quotes occurring more than once:\n" + "\n".join(ambiguous)


def test_pdf_is_multipage_real_text() -> None:
    from pypdf import PdfReader

    reader = PdfReader(SAMPLES / "harborstack_paas_terms.pdf")
    assert len(reader.pages) >= 3
    assert all(len(p.extract_text() or "") > 500 for p in reader.pages[:-1])


def test_docx_uses_heading_styles() -> None:
    import docx

    document = docx.Document(str(SAMPLES / "lumenforge_platform_agreement.docx"))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert "Article 3 - Customer Responsibilities" in headings
    assert "3.5 Backups" in headings


def test_build_is_deterministic_and_matches_kept_files(tmp_path: Path) -> None:
    """Rebuilding from samples_src gives the very bytes that are kept in samples/."""
    subprocess.run(
        [sys.executable, str(SAMPLES / "build.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for built in sorted(tmp_path.iterdir()):
        kept = SAMPLES / built.name
        assert kept.is_file(), f"{built.name} is built but not kept in samples/"
        assert built.read_bytes() == kept.read_bytes(), (
            f"{built.name} differs from a fresh build: run .venv/bin/python samples/build.py"
        )
