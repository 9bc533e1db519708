"""Real agreement PDFs (../shared/corpus/pdf) read right: every word and space, pages, and no
running header or footer left in a clause. Skipped with a reason where ../shared is absent.

The references are independent of the loader: pypdf's default extraction for words and
letters (benchmarks/pdf_fidelity.py measures the same figures), PDFium's own text for the
lines that repeat on most pages.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from benchmarks.pdf_fidelity import measure
from ingest.loaders import load_document
from ingest.loaders.normalize import normalize_text
from ingest.structure import find_clauses
from tests.conftest import CORPUS

PDF_DIR = CORPUS / "pdf"
REAL_PDFS = sorted(PDF_DIR.glob("*.pdf"))
NAMES = [p.name for p in REAL_PDFS] or ["<none>"]
SECTION_LINE = re.compile(r"^\d+(\.\d+)*\.?\s+\S")
_WORD = re.compile(r"[^\W\d_]{6,}")


def _pdf(name: str) -> Path:
    if not REAL_PDFS:
        pytest.skip(f"real PDFs not found in {PDF_DIR} (the shared corpus is absent)")
    return PDF_DIR / name


@pytest.mark.parametrize("name", NAMES)
def test_every_word_and_space_is_kept(name: str) -> None:
    """Words 0.98-1.02 of pypdf's; where pypdf breaks words inside or at hyphens, the words
    mended into known words are what counts. No glued words: long tokens at most pypdf's + 2."""
    fidelity = measure(_pdf(name))
    assert 0.98 <= fidelity.ratio_mended <= 1.02, fidelity
    mended_share = fidelity.mended_known / fidelity.pypdf_words
    if mended_share < 0.02:  # few mends: the plain ratio must hold too
        assert 0.98 <= fidelity.ratio <= 1.02, fidelity
    assert fidelity.long <= fidelity.pypdf_long + 2, fidelity
    assert fidelity.letters_kept >= 0.99 and fidelity.letters_extra <= 0.01, fidelity
    assert fidelity.one_word < 0.25, fidelity


@pytest.mark.parametrize("name", NAMES)
def test_pages_keep_their_text(name: str) -> None:
    """A word that occurs once in pypdf's text of the file is found on the same page here."""
    path = _pdf(name)
    doc = load_document(path)
    reader = PdfReader(path)
    assert doc.has_pages and len(doc.page_starts) == len(reader.pages)
    pages = [normalize_text(page.extract_text()) for page in reader.pages]
    counts = Counter(word for page in pages for word in _WORD.findall(page))
    ours: dict[str, list[int]] = {}
    for match in _WORD.finditer(doc.text):
        ours.setdefault(match.group(0), []).append(match.start())
    checked = 0
    for number, page in enumerate(pages, start=1):
        for word in _WORD.findall(page):
            if counts[word] == 1 and len(ours.get(word, [])) == 1:
                assert doc.page_at(ours[word][0]) == number, word
                checked += 1
    assert checked >= min(len(pages), 3)
    lines = [line for line in doc.text.split("\n") if line.strip()]
    assert all(line == line.strip() for line in lines), "layout spaces were left at line ends"
    assert "\u200b" not in doc.text and "\u00a0" not in doc.text


def _repeated_lines(path: Path) -> set[str]:
    """Lines (numbers made alike) that PDFium's own text shows on more than half the pages."""
    document = pdfium.PdfDocument(path)
    try:
        seen: Counter[str] = Counter()
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage().get_text_range()
            seen.update({_line_key(line) for line in text.splitlines() if _line_key(line)})
        needed = max(2, len(document) // 2 + 1)
        return {key for key, count in seen.items() if count >= needed}
    finally:
        document.close()


def _line_key(line: str) -> str:
    line = normalize_text(line).replace("\x02", "-").replace("\ufffe", "-")
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line.casefold())).strip()


@pytest.mark.parametrize("name", NAMES)
def test_no_running_header_or_footer_is_left_in_a_clause(name: str) -> None:
    path = _pdf(name)
    repeated = _repeated_lines(path)
    doc = load_document(path)
    for clause in find_clauses(doc):
        for line in clause.text.split("\n"):
            assert _line_key(line) not in repeated, (clause.section, line)


def test_real_pdf_section_numbers_start_lines() -> None:
    _pdf(NAMES[0])
    numbered = 0
    for path in REAL_PDFS:
        text = load_document(path).text
        numbered += sum(1 for line in text.split("\n") if SECTION_LINE.match(line))
    assert numbered >= 50


def test_real_ruled_table_is_read_row_by_row() -> None:
    """Appwrite's sub-processor list: a wrapped cell stays in its row and column."""
    doc = load_document(_pdf("appwrite_dpa_2025.pdf"))
    assert "| Entity Name | Sub-Processing Activities | Country of hosting |" in doc.text
    assert (
        "| Appwrite and its subsidiaries and affiliates. | Provision of the Services and "
        "support. | USA and Israel |" in doc.text
    )
    assert "| Sendgrid | Two factor authentication, based on the user\u2019s choice | US |" in doc.text
