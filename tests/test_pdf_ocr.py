"""Scanned PDFs read through Tesseract OCR: the sample agreement, scanned, gives its clauses
back on the right pages, and answers say when a quote came from OCR.

The scans are made here: pages of the sample PDF are rendered to images with PDFium and
wrapped as an image-only PDF, so nothing binary is kept in git.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from assistant.facade import AgreementAssistant
from assistant.rendering import answer_to_json
from ingest.loaders import OcrOptions, load_document
from ingest.loaders.pdf import read_pdf
from ingest.structure import find_clauses
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "harborstack_paas_terms.pdf"
_WORD = re.compile(r"[a-z0-9]+")


@pytest.fixture(scope="module", autouse=True)
def _tesseract() -> None:
    if shutil.which("tesseract") is None:
        reason = "tesseract is not installed (apt-get install tesseract-ocr; `make install` does)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the OCR tests")
        pytest.skip(reason)


def _scan(pages: list[int], path: Path, dpi: int = 200) -> Path:
    """An image-only PDF of the sample's pages (1-based), as a scanner would make it."""
    document = pdfium.PdfDocument(SAMPLE)
    try:
        images = [
            document[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for number in pages
        ]
    finally:
        document.close()
    first, *rest = images
    first.save(path, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return path


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text.lower()))


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with its first two pages scanned and the rest left as text."""
    folder = tmp_path_factory.mktemp("scans")
    scanned = _scan([1, 2], folder / "scanned.pdf")
    writer = PdfWriter()
    writer.append(str(scanned))
    writer.append(str(SAMPLE), pages=(2, len(PdfReader(SAMPLE).pages)))
    path = folder / "harborstack_scanned.pdf"
    writer.write(path)
    return path


def _page_texts(text: str, starts: list[int]) -> list[str]:
    return [text[a:b].rstrip("\n") for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def test_scanned_pages_are_read_by_ocr_with_their_page_numbers(mixed_pdf: Path) -> None:
    original = read_pdf(SAMPLE)
    doc = load_document(mixed_pdf)
    assert doc.ocr_pages == [1, 2]
    scanned = _page_texts(doc.text, doc.page_starts)
    assert len(scanned) == len(original.pages)
    for number in (1, 2):
        expected = _words(original.pages[number - 1].text)
        got = _words(scanned[number - 1])
        found = sum((expected & got).values()) / sum(expected.values())
        assert found >= 0.97, (number, found)
    assert scanned[2:] == [page.text for page in original.pages[2:]]
    reference = {c.section: c.page_start for c in find_clauses(load_document(SAMPLE))}
    clauses = {c.section: c.page_start for c in find_clauses(doc) if c.section}
    on_scanned_pages = {s: p for s, p in reference.items() if s and p in (1, 2)}
    assert len(on_scanned_pages) >= 5
    matched = {s: clauses.get(s) for s in on_scanned_pages}
    assert sum(1 for s, p in matched.items() if p == on_scanned_pages[s]) >= 0.9 * len(matched)


def test_a_scan_under_a_stamped_line_of_text_is_still_read(tmp_path: Path) -> None:
    """E-signature services stamp an envelope id as text over every scanned page."""
    scanned = _scan([2], tmp_path / "plain_scan.pdf")
    box = PdfReader(scanned).pages[0].mediabox
    stamp_path = tmp_path / "stamp.pdf"
    stamp = canvas.Canvas(str(stamp_path), pagesize=(float(box.width), float(box.height)))
    stamp.setFont("Helvetica", 7)
    stamp.drawString(20, 20, "Envelope ID: 0F10-4C0C-8EC8")
    stamp.showPage()
    stamp.save()
    writer = PdfWriter(clone_from=scanned)
    writer.pages[0].merge_page(PdfReader(stamp_path).pages[0])
    path = tmp_path / "stamped.pdf"
    writer.write(path)

    reading = read_pdf(path)
    assert reading.ocr_pages == [1]
    expected = _words(read_pdf(SAMPLE).pages[1].text)
    found = sum((expected & _words(reading.text)).values()) / sum(expected.values())
    assert found >= 0.97


def test_ocr_off_leaves_a_scan_unread_with_a_clear_message(tmp_path: Path) -> None:
    path = _scan([1], tmp_path / "scan_only.pdf")
    with pytest.raises(Exception, match="OCR is turned off") as caught:
        load_document(path, OcrOptions(enabled=False))
    assert "scan_only.pdf" in str(caught.value)


def test_missing_language_data_is_a_clear_error(tmp_path: Path) -> None:
    path = _scan([1], tmp_path / "scan_only.pdf")
    with pytest.raises(Exception, match="OCR failed on page 1") as caught:
        load_document(path, OcrOptions(language="zzz"))
    assert "scan_only.pdf" in str(caught.value)


def test_answers_say_when_a_quote_came_from_ocr(
    assistant: AgreementAssistant, mixed_pdf: Path
) -> None:
    report = assistant.ingest([mixed_pdf])
    assert not report.failed, [o.error for o in report.failed]
    record = next(r for r in assistant.agreements() if r.name == mixed_pdf.stem)
    assert record.ocr_pages == [1, 2]

    # Ask about each clause of the scanned pages until one is quoted from them.
    questions = ["Who handles backups?", "Who patches the software we deploy?",
                 "Who secures the platform?", "Who pays the fees?"]  # fmt: skip
    answers = [assistant.ask(q, [mixed_pdf.stem]) for q in questions]
    from_scan = [a for a in answers if any(c.page in (1, 2) for c in a.citations)]
    from_text = [a for a in answers if any(c.page and c.page > 2 for c in a.citations)]
    assert from_scan, [[c.page for c in a.citations] for a in answers]
    for answer in from_scan:
        cited = [c for c in answer.citations if c.page in (1, 2)]
        assert all(c.ocr for c in cited)
        assert "read by OCR from a scanned image" in answer.answer
        assert all(c["ocr"] for c in answer_to_json(answer)["citations"] if c["page"] in (1, 2))
        assert all(c.label().endswith("(OCR)") for c in cited)
    for answer in from_text:
        assert not any(c.ocr for c in answer.citations if c.page and c.page > 2)


@pytest.mark.e2e
def test_cli_reads_a_scan_shows_ocr_progress_and_marks_quotes(tmp_path: Path) -> None:
    from tests.test_cli import run

    path = _scan([2], tmp_path / "scanned_terms.pdf")
    home = tmp_path / "home"
    ingested = run(home, "ingest", str(path))
    assert ingested.returncode == 0, ingested.stderr
    assert "OCR scanned_terms.pdf" in ingested.stderr
    assert "1 added" in ingested.stdout
    listed = run(home, "list", "--json")
    (row,) = json.loads(listed.stdout)
    assert row["pages"] == 1 and row["ocr_pages"] == [1]
    asked = run(home, "ask", "Who secures our applications?", "--json")
    answer = json.loads(asked.stdout)
    assert answer["citations"] and all(c["ocr"] for c in answer["citations"])
    assert "read by OCR" in answer["answer"]
