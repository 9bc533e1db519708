"""The PDF loader: page offsets, word-per-line repair, real PDFs and every bad input."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from assistant.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError
from ingest.loaders import load_document, pdf_lines
from ingest.loaders.normalize import normalize_text
from ingest.loaders.pdf_lines import looks_word_per_line, rebuild_lines, single_word_share

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_PDFS = sorted((SHARED / "corpus" / "pdf").glob("*.pdf"))

FONT, SIZE = "Helvetica", 11.0
SECTION_LINE = re.compile(r"^\d+(\.\d+)*\.?\s+\S")


def _write_lines(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose lines are drawn whole, one page per list."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        y = 780.0
        for line in lines:
            pdf.setFont(FONT, SIZE)
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def _write_word_by_word(path: Path, lines: list[str]) -> Path:
    """A PDF drawing every word with its own drawString, as some generators do."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, SIZE)
    space = stringWidth(" ", FONT, SIZE)
    y = 780.0
    for line in lines:
        if not line:  # an empty entry leaves a paragraph gap
            y -= 12
            continue
        x = 72.0
        for word in line.split():
            pdf.drawString(x, y, word)
            x += stringWidth(word, FONT, SIZE) + space
        y -= 15
    pdf.showPage()
    pdf.save()
    return path


WORDY = [
    "4. Backups",
    "4.1 The Provider shall back up Customer Data every day and keep",
    "each copy for thirty days.",
    "",
    "4.2 The Customer is responsible for exporting its own archives.",
    "5. Support",
    "The Provider answers support requests within one business day.",
]


# --- pages -----------------------------------------------------------------------------


def test_two_page_pdf_maps_offsets_to_pages(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "two.pdf",
        [
            ["1. Scope", "The Provider hosts the Service for the Customer."],
            ["2. Backups", "The Customer shall back up its own data."],
        ],
    )
    doc = load_document(path)
    assert doc.format == "pdf"
    assert doc.has_pages is True
    assert len(doc.page_starts) == 2
    page_two = doc.text.index("The Customer shall back up its own data.")
    page_one = doc.text.index("The Provider hosts the Service for the Customer.")
    assert doc.page_at(page_two) == 2
    assert doc.page_at(page_one) == 1
    assert doc.page_at(doc.page_starts[1]) == 2
    assert doc.page_at(doc.page_starts[1] - 1) == 1
    # Offsets are exact: each page's text starts where its page start says.
    assert doc.text[doc.page_starts[1] :].startswith("2. Backups")
    assert doc.text[: doc.page_starts[1]].endswith("\n\n")


def test_blank_middle_page_keeps_later_pages_right(tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "gap.pdf", [["Page one text."], [], ["Page three text."]])
    doc = load_document(path)
    assert len(doc.page_starts) == 3
    assert doc.page_at(doc.text.index("Page three text.")) == 3


def test_pdf_text_is_normalized_before_offsets(tmp_path: Path) -> None:
    path = _write_lines(
        tmp_path / "spaces.pdf",
        [["Fees   are\u00a0due   monthly."], ["Second   page."]],
    )
    doc = load_document(path)
    assert "Fees are due monthly." in doc.text
    assert doc.text[doc.page_starts[1] :] == "Second page."


# --- word per line ---------------------------------------------------------------------


def test_word_by_word_pdf_reads_as_normal_lines(tmp_path: Path) -> None:
    path = _write_word_by_word(tmp_path / "wordy.pdf", WORDY)
    # The repair is needed: pypdf alone puts each word on its own line here.
    raw = PdfReader(path).pages[0].extract_text()
    assert looks_word_per_line(raw)

    doc = load_document(path)
    lines = doc.text.split("\n")
    assert lines[0] == "4. Backups"
    assert "4.1 The Provider shall back up Customer Data every day and keep" in lines
    assert "4.2 The Customer is responsible for exporting its own archives." in lines
    assert "The Provider answers support requests within one business day." in lines
    assert "5. Support" in lines
    # The wider gap before 4.2 is a paragraph break; ordinary line pitch is not.
    assert "each copy for thirty days.\n\n4.2 The Customer" in doc.text
    assert "4. Backups\n4.1 The Provider" in doc.text
    assert single_word_share(doc.text) < 0.3


def test_word_by_word_repair_without_font_widths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pypdf's font metrics (older pypdf), estimated widths still separate words."""
    monkeypatch.setattr(pdf_lines, "_PdfFont", None)
    doc = load_document(_write_word_by_word(tmp_path / "estimated.pdf", WORDY))
    lines = doc.text.split("\n")
    assert lines[0] == "4. Backups"
    assert "4.2 The Customer is responsible for exporting its own archives." in lines


def test_word_by_word_pages_keep_their_page_numbers(tmp_path: Path) -> None:
    first = _write_word_by_word(tmp_path / "a.pdf", WORDY)
    second = _write_word_by_word(tmp_path / "b.pdf", ["9. Termination", *WORDY[1:]])
    writer = PdfWriter()
    writer.append(str(first))
    writer.append(str(second))
    path = tmp_path / "joined.pdf"
    writer.write(path)
    doc = load_document(path)
    assert doc.page_at(doc.text.index("9. Termination")) == 2
    assert doc.page_at(doc.text.index("4. Backups")) == 1


def test_short_single_word_page_is_not_rewritten() -> None:
    assert not looks_word_per_line("Signature\nName\nDate\n")
    assert looks_word_per_line("The\nProvider\nshall\nback\nup\nall\ndata\ndaily.")
    assert not looks_word_per_line("The Provider shall\nback up the data\nevery day.\n" * 3)


# --- real PDFs -------------------------------------------------------------------------


def _need_real_pdfs() -> None:
    if not REAL_PDFS:
        pytest.skip(f"real PDFs not found in {SHARED / 'corpus' / 'pdf'} (shared corpus absent)")


@pytest.mark.parametrize("name", [p.name for p in REAL_PDFS] or ["<none>"])
def test_real_pdfs_read_as_lines_with_right_pages(name: str) -> None:
    _need_real_pdfs()
    path = SHARED / "corpus" / "pdf" / name
    doc = load_document(path)
    reader = PdfReader(path)
    assert doc.has_pages
    assert len(doc.page_starts) == len(reader.pages)
    lines = [line for line in doc.text.split("\n") if line.strip()]
    assert len(lines) >= 10
    assert single_word_share(doc.text) < 0.25
    assert sum(len(line.split()) for line in lines) / len(lines) > 4
    assert all(line == line.strip() for line in lines), "layout spaces were left at line ends"
    assert "\u200b" not in doc.text and "\u00a0" not in doc.text
    # Each page's longest line, taken from pypdf independently, lands on that page.
    for number, page in enumerate(reader.pages, start=1):
        page_lines = normalize_text(page.extract_text()).split("\n")
        longest = " ".join(max(page_lines, key=lambda line: len(line.split())).split())
        assert doc.page_at(doc.text.index(longest)) == number


def test_real_pdf_section_numbers_start_lines() -> None:
    _need_real_pdfs()
    numbered = 0
    for path in REAL_PDFS:
        text = load_document(path).text
        numbered += sum(1 for line in text.split("\n") if SECTION_LINE.match(line))
    assert numbered >= 5


@pytest.mark.parametrize("name", [p.name for p in REAL_PDFS] or ["<none>"])
def test_line_rebuild_is_faithful_on_real_pages(name: str) -> None:
    """Rebuilding from positions keeps every word of a real PDF, none lost or invented.

    Word order may differ only in tables, whose cells the rebuild reads row by row.
    """
    _need_real_pdfs()
    reader = PdfReader(SHARED / "corpus" / "pdf" / name)
    for page in reader.pages:
        expected = normalize_text(page.extract_text()).split()
        rebuilt = normalize_text(rebuild_lines(page)).split()
        assert Counter(rebuilt) == Counter(expected)


# --- bad input -------------------------------------------------------------------------


def test_password_protected_pdf_is_encrypted(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_write_lines(tmp_path / "plain.pdf", [["Secret terms."]]))
    writer.encrypt(user_password="s3cret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    with pytest.raises(EncryptedDocumentError, match="is password-protected") as caught:
        load_document(path)
    assert "locked.pdf" in str(caught.value)


def test_pdf_encrypted_with_empty_user_password_loads(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_write_lines(tmp_path / "plain.pdf", [["Open terms."]]))
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "copy_protected.pdf"
    writer.write(path)
    assert load_document(path).text == "Open terms."


def test_aes_pdf_with_user_password_is_encrypted(tmp_path: Path) -> None:
    pytest.importorskip("cryptography", reason="pypdf needs 'cryptography' for AES")
    writer = PdfWriter(clone_from=_write_lines(tmp_path / "plain.pdf", [["Secret terms."]]))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-256")
    path = tmp_path / "aes_locked.pdf"
    writer.write(path)
    with pytest.raises(EncryptedDocumentError, match="is password-protected") as caught:
        load_document(path)
    assert "aes_locked.pdf" in str(caught.value)


def test_aes_pdf_with_empty_user_password_loads(tmp_path: Path) -> None:
    """Owner-restricted PDFs (no password to open) are common and must simply load."""
    pytest.importorskip("cryptography", reason="pypdf needs 'cryptography' for AES")
    writer = PdfWriter(clone_from=_write_lines(tmp_path / "plain.pdf", [["Open terms."]]))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "aes_open.pdf"
    writer.write(path)
    assert load_document(path).text == "Open terms."


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    whole = _write_lines(tmp_path / "whole.pdf", [["Some terms."], ["More terms."]])
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(CorruptDocumentError, match="damaged or truncated") as caught:
        load_document(path)
    assert "cut.pdf" in str(caught.value)


def test_random_bytes_pdf_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "noise.pdf"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(CorruptDocumentError, match="is not a valid PDF") as caught:
        load_document(path)
    assert "noise.pdf" in str(caught.value)


def test_pdf_header_with_garbage_body_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    with pytest.raises(CorruptDocumentError, match="is not a valid PDF") as caught:
        load_document(path)
    assert "garbage.pdf" in str(caught.value)


def test_empty_pdf_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "nothing.pdf"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocumentError, match="is empty") as caught:
        load_document(path)
    assert "nothing.pdf" in str(caught.value)


def test_zero_page_pdf_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "pageless.pdf"
    PdfWriter().write(path)
    with pytest.raises(EmptyDocumentError, match="has no pages") as caught:
        load_document(path)
    assert "pageless.pdf" in str(caught.value)


def test_image_only_pdf_is_reported_as_scanned(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(72, 72, 400, 600, fill=1)
    pdf.showPage()
    pdf.rect(100, 100, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(EmptyDocumentError) as caught:
        load_document(path)
    message = str(caught.value)
    assert "scan.pdf" in message
    assert "has no extractable text: it looks like a scanned, image-only PDF" in message
