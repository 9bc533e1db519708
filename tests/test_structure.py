"""Clause structure: section references, heading paths and exact spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.structure import find_clauses
from ingest.types import Clause, LoadedDocument

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


def _doc(text: str, **kw: object) -> LoadedDocument:
    return LoadedDocument(path=Path("x.md"), format="md", text=text, **kw)  # type: ignore[arg-type]


def _corpus_doc(name: str) -> LoadedDocument:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"real agreement {path} not available on this machine")
    return LoadedDocument(path=path, format="md", text=path.read_text(encoding="utf-8"))


def _find(clauses: list[Clause], needle: str) -> Clause:
    return next(c for c in clauses if needle in c.text)


def _check_spans(doc: LoadedDocument, clauses: list[Clause]) -> None:
    last_end = 0
    for c in clauses:
        assert doc.text[c.start : c.end] == c.text
        assert c.text == c.text.strip() and c.text
        assert c.start >= last_end
        last_end = c.end


def test_markdown_headings_numbers_and_sub_items() -> None:
    text = (
        "Intro between the parties.\n\n"
        "# Data Protection\n\n"
        "## 7. Security\n\n"
        "7.3 Backups\n\n"
        "The Provider shall back up Customer Data daily.\n\n"
        "(a) Backups are encrypted.\n"
        "(b) Backups are tested.\n\n"
        "## 8. Fees\n\n"
        "**8.1** Customer pays the fees.\n"
    )
    doc = _doc(text)
    clauses = find_clauses(doc)
    _check_spans(doc, clauses)
    assert clauses[0].section is None and clauses[0].text == "Intro between the parties."
    backup = _find(clauses, "back up Customer Data")
    assert backup.section == "7.3"
    assert backup.heading_path == ["Data Protection", "Security", "Backups"]
    assert backup.text.startswith("# Data Protection")  # headings open the next clause
    assert _find(clauses, "encrypted").section == "7.3(a)"
    assert _find(clauses, "tested").section == "7.3(b)"
    fees = _find(clauses, "pays the fees")
    assert fees.section == "8.1" and fees.heading_path == ["Data Protection", "Fees"]


def test_ordered_list_under_numbered_heading_is_qualified() -> None:
    text = "## 5. Security\n\n1. The Provider encrypts data.\n2. The Provider logs access.\n"
    clauses = find_clauses(_doc(text))
    assert [c.section for c in clauses] == ["5.1", "5.2"]


def test_explicit_numbers_are_not_shadowed_by_qualified_ones() -> None:
    text = (
        "## 5. Security\n\n1. The Provider encrypts data.\n\n"
        "5.1 Explicit\n\nThe explicit clause text.\n"
    )
    clauses = find_clauses(_doc(text))
    assert _find(clauses, "encrypts").section == "5"
    assert _find(clauses, "explicit clause").section == "5.1"


def test_nested_markdown_list_numbers() -> None:
    text = (
        "# Agreement\n\n1. Service\n    1. Access. Customer may use it.\n"
        "    2. Support. Provider will support it.\n2. Payment\n    1. Fees. Customer pays.\n"
    )
    clauses = find_clauses(_doc(text))
    assert [c.section for c in clauses] == ["1.1", "1.2", "2.1"]
    assert clauses[2].heading_path == ["Agreement", "Payment"]


def test_keyword_headings_and_titles() -> None:
    text = (
        "SECTION I\n\n_Clause 1_\n\n_**Purpose and scope**_\n\n"
        "(a) The purpose of these clauses.\n(b) Second point.\n\n"
        "Clause 2 — Effect\n\nThese Clauses set out safeguards.\n\n"
        "ANNEX II\n\nTechnical measures apply.\n"
    )
    clauses = find_clauses(_doc(text))
    purpose = _find(clauses, "purpose of these")
    assert purpose.section == "Clause 1(a)"
    assert "Purpose and scope" in purpose.heading_path
    assert _find(clauses, "safeguards").section == "Clause 2"
    assert _find(clauses, "safeguards").heading_path[-1] == "Effect"
    assert _find(clauses, "Technical measures").section == "ANNEX II"


def test_pdf_text_false_positives_are_rejected() -> None:
    text = (
        "4. BACKUPS\n\n"
        "The Provider shall notify the Customer thirty\n\n"
        "(30) days in advance of any change made in\n\n"
        "2021.\n\n"
        "12 of this DPA applies to the notices.\n\n"
        "section 11 of this DPA shall apply.\n\n"
        "5. LIABILITY\n\nNo liability.\n"
    )
    doc = _doc(text, page_starts=[0, 60], has_pages=True)
    clauses = find_clauses(doc)
    _check_spans(doc, clauses)
    assert {c.section for c in clauses} == {"4", "5"}
    assert clauses[0].heading_path == ["BACKUPS"]
    assert "thirty\n\n(30) days" in clauses[0].text  # a wrapped line, not item (30)
    assert clauses[0].page_start == 1
    assert clauses[-1].section == "5" and clauses[-1].page_start == 2


def test_sequence_must_continue() -> None:
    text = "Terms\n=====\n\n1. First clause text.\n\n3. Third clause text.\n\n9. Nine is too far.\n"
    clauses = find_clauses(_doc(text))
    # "9." cannot follow "3.": it is a paragraph of section 3, not a section of its own.
    assert [c.section for c in clauses] == ["1", "3", "3"]
    assert clauses[-1].text == "9. Nine is too far."


def test_tables_stay_one_clause() -> None:
    text = "## SLA\n\n| Feature | Uptime |\n|---|---|\n| API | 99.9% |\n| Web | 99% |\n\nAfter.\n"
    clauses = find_clauses(_doc(text))
    table = _find(clauses, "| API |")
    assert "| Web | 99% |" in table.text and "Feature" in table.text
    assert _find(clauses, "After.") is not table


def test_ovhcloud_backup_sentence_is_in_section_10() -> None:
    doc = _corpus_doc("ovhcloud_dpa.md")
    clauses = find_clauses(doc)
    _check_spans(doc, clauses)
    clause = _find(clauses, "The Client is solely responsible for ensuring that the necessary")
    assert clause.section == "10"
    assert clause.heading_path[-1] == "Deletion and return of Personal Data"
    assert _find(clauses, "physical security measures intended").section == "4(a)"


def test_commonpaper_csa_sections() -> None:
    doc = _corpus_doc("commonpaper_csa.md")
    clauses = find_clauses(doc)
    sections = [c.section for c in clauses]
    for expected in ("1.1", "2.1", "5.3", "8.1", "12.4"):
        assert expected in sections
    suspension = _find(clauses, "Suspension.")
    assert suspension.section == "2.2"
    assert suspension.heading_path[-1] == "Restrictions & Obligations"


def test_every_corpus_file_is_covered_in_order() -> None:
    if not CORPUS.exists():
        pytest.skip(f"corpus {CORPUS} not available on this machine")
    for path in sorted(CORPUS.glob("*.md")):
        doc = LoadedDocument(path=path, format="md", text=path.read_text(encoding="utf-8"))
        clauses = find_clauses(doc)
        _check_spans(doc, clauses)
        covered = bytearray(len(doc.text))
        for c in clauses:
            covered[c.start : c.end] = b"\x01" * (c.end - c.start)
        lost = [i for i, ch in enumerate(doc.text) if not ch.isspace() and not covered[i]]
        assert not lost, f"{path.name}: text outside every clause at {lost[:5]}"
