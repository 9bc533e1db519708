"""The PDF loader on PDFs made here: page offsets, words drawn one by one or in pieces,
hyphenated line ends, and every bad input. Real PDFs: test_pdf_real.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assistant.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError
from benchmarks.pdf_fidelity import one_word_share as single_word_share
from ingest.loaders import OcrOptions, load_document
from tests.pdf_builders import write_lines, write_pieces, write_word_by_word

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
    path = write_lines(
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
    path = write_lines(tmp_path / "gap.pdf", [["Page one text."], [], ["Page three text."]])
    doc = load_document(path)
    assert len(doc.page_starts) == 3
    assert doc.page_at(doc.text.index("Page three text.")) == 3


def test_pdf_text_is_normalized_before_offsets(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "spaces.pdf",
        [["Fees   are\u00a0due   monthly."], ["Second   page."]],
    )
    doc = load_document(path)
    assert "Fees are due monthly." in doc.text
    assert doc.text[doc.page_starts[1] :] == "Second page."


# --- word per line ---------------------------------------------------------------------


def test_word_by_word_pdf_reads_as_normal_lines(tmp_path: Path) -> None:
    path = write_word_by_word(tmp_path / "wordy.pdf", WORDY)
    # The repair is needed: pypdf alone puts each word on its own line here.
    raw = PdfReader(path).pages[0].extract_text()
    assert single_word_share(raw) > 0.9

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


@pytest.mark.parametrize("gap_em", [0.14, 0.2, 0.35, 0.6])
def test_words_drawn_apart_keep_their_space_at_any_usual_gap(tmp_path: Path, gap_em: float) -> None:
    """A tight justified line (0.14 em) and a stretched one (0.6 em) both read as words."""
    path = write_word_by_word(tmp_path / "gap.pdf", WORDY, gap_em=gap_em)
    text = load_document(path).text
    assert "4.2 The Customer is responsible for exporting its own archives." in text
    assert "each copy for thirty days." in text


def test_words_drawn_in_pieces_are_mended_by_position(tmp_path: Path) -> None:
    """ "D" + "ata Pro" + "cessing": pieces that touch are one word; real spaces stay."""
    path = write_pieces(
        tmp_path / "pieces.pdf",
        [
            ["D", "ata Pro", "cessing Agreement"],
            ["The Pro", "vider shall ", "notify the Cus", "tomer without undue del", "ay."],
        ],
    )
    raw = PdfReader(path).pages[0].extract_text()
    assert "D\nata Pro\ncessing" in raw  # pypdf breaks the words where the pieces meet
    text = load_document(path).text
    assert text.split("\n")[:2] == [
        "Data Processing Agreement",
        "The Provider shall notify the Customer without undue delay.",
    ]


def test_word_by_word_pages_keep_their_page_numbers(tmp_path: Path) -> None:
    first = write_word_by_word(tmp_path / "a.pdf", WORDY)
    second = write_word_by_word(tmp_path / "b.pdf", ["9. Termination", *WORDY[1:]])
    writer = PdfWriter()
    writer.append(str(first))
    writer.append(str(second))
    path = tmp_path / "joined.pdf"
    writer.write(path)
    doc = load_document(path)
    assert doc.page_at(doc.text.index("9. Termination")) == 2
    assert doc.page_at(doc.text.index("4. Backups")) == 1


def test_hyphenated_line_ends_are_joined(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "hyphens.pdf",
        [
            [
                "The Customer bears sole responsi-",
                "bility for its content. This is a non-",
                "exclusive licence; a non-exclusive right",
                "granted to the Cus-",
                "tomer, who may sub-",
                "license it to third-",
                "party vendors.",
            ]
        ],
    )
    text = load_document(path).text
    lines = text.split("\n")
    assert lines[0] == "The Customer bears sole responsibility"
    assert lines[1] == "for its content. This is a non-exclusive"  # written so elsewhere
    assert "granted to the Customer," in lines  # the punctuation moves up with the word
    assert "who may sub-license" in text  # a compound prefix keeps its hyphen
    assert "to third-party" in text


# --- bad input -------------------------------------------------------------------------


def test_password_protected_pdf_is_encrypted(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=write_lines(tmp_path / "plain.pdf", [["Secret terms."]]))
    writer.encrypt(user_password="s3cret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    with pytest.raises(EncryptedDocumentError, match="is password-protected") as caught:
        load_document(path)
    assert "locked.pdf" in str(caught.value)


def test_pdf_encrypted_with_empty_user_password_loads(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=write_lines(tmp_path / "plain.pdf", [["Open terms."]]))
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "copy_protected.pdf"
    writer.write(path)
    assert load_document(path).text == "Open terms."


def test_aes_pdf_with_user_password_is_encrypted(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=write_lines(tmp_path / "plain.pdf", [["Secret terms."]]))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-256")
    path = tmp_path / "aes_locked.pdf"
    writer.write(path)
    with pytest.raises(EncryptedDocumentError, match="is password-protected") as caught:
        load_document(path)
    assert "aes_locked.pdf" in str(caught.value)


def test_aes_pdf_with_empty_user_password_loads(tmp_path: Path) -> None:
    """Owner-restricted PDFs (no password to open) are common and must simply load."""
    writer = PdfWriter(clone_from=write_lines(tmp_path / "plain.pdf", [["Open terms."]]))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "aes_open.pdf"
    writer.write(path)
    assert load_document(path).text == "Open terms."


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    whole = write_lines(tmp_path / "whole.pdf", [["Some terms."], ["More terms."]])
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


def _vector_only_pdf(path: Path) -> Path:
    """Two pages that draw shapes but no text and no letters at all."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(72, 72, 400, 600, fill=1)
    pdf.showPage()
    pdf.rect(100, 100, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def test_textless_pdf_without_ocr_says_how_to_enable_it(tmp_path: Path) -> None:
    path = _vector_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(EmptyDocumentError) as caught:
        load_document(path, OcrOptions(enabled=False))
    message = str(caught.value)
    assert "scan.pdf" in message
    assert "has no extractable text: it looks like a scanned, image-only PDF" in message
    assert "AGREEMENTS_OCR__ENABLED=true" in message


def test_textless_pdf_without_tesseract_says_to_install_it(tmp_path: Path) -> None:
    path = _vector_only_pdf(tmp_path / "scan.pdf")
    missing = OcrOptions(command=str(tmp_path / "no-such-tesseract"))
    with pytest.raises(EmptyDocumentError) as caught:
        load_document(path, missing)
    assert "scan.pdf" in str(caught.value)
    assert "apt-get install tesseract-ocr" in str(caught.value)


def test_blank_pages_only_pdf_has_no_text(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "blank.pdf", [[], []])
    with pytest.raises(EmptyDocumentError, match="has no text on any of its pages") as caught:
        load_document(path)
    assert "blank.pdf" in str(caught.value)
