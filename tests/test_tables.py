"""Tables read row by row with their cells apart; a responsibility matrix says who is marked."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from ingest.loaders import load_document
from ingest.loaders.tables import table_lines
from ingest.sentences import split_sentences
from ingest.structure import find_clauses
from tests.pdf_builders import write_table

MATRIX = [
    ["Duty", "Customer", "Provider"],
    ["Backups of customer data", "", "X"],
    ["Application patching", "X", ""],
    ["Incident response", "X", "X"],
]
MATRIX_LINES = [
    "| Duty | Customer | Provider |",
    "| Backups of customer data | Customer: - | Provider: X |",
    "| Application patching | Customer: X | Provider: - |",
    "| Incident response | Customer: X | Provider: X |",
]


def test_mark_columns_name_their_header() -> None:
    assert table_lines(MATRIX) == MATRIX_LINES
    raci = [["Activity", "Client", "Vendor"], ["Restore tests", "R", "C"], ["DR plan", "I", "A"]]
    assert table_lines(raci)[1] == "| Restore tests | Client: R | Vendor: C |"
    ticks = [["Control", "You", "Us"], ["MFA", "✓", ""]]
    assert table_lines(ticks)[1] == "| MFA | You: ✓ | Us: - |"


def test_tables_of_text_keep_their_cells() -> None:
    rows = [["Entity", "Activity", "Country"], ["Stripe", "Payment processing", "USA & EU"]]
    assert table_lines(rows) == [
        "| Entity | Activity | Country |",
        "| Stripe | Payment processing | USA & EU |",
    ]


def test_rows_without_text_go_and_cell_text_is_one_line() -> None:
    rows = [["Duty", "Party"], ["", ""], ["Keep  copies\nof data", "Customer | Provider"]]
    assert table_lines(rows) == ["| Duty | Party |", "| Keep copies of data | Customer / Provider |"]


def test_a_merged_cell_row_is_not_paired_with_shifted_headers() -> None:
    rows = [["Duty", "Customer", "Provider"], ["Backups", "", "X"], ["Notes on both"]]
    assert table_lines(rows)[2] == "| Notes on both |"


def _assert_matrix_rows_are_units(path: Path) -> None:
    doc = load_document(path)
    for line in MATRIX_LINES:
        assert line in doc.text.split("\n"), (line, doc.text)
    sentences = [doc.text[a:b] for a, b in split_sentences(doc.text)]
    assert "| Backups of customer data | Customer: - | Provider: X |" in sentences
    clause = next(c for c in find_clauses(doc) if "Backups of customer data" in c.text)
    assert "Application patching" in clause.text  # the table stays together


@pytest.mark.parametrize("word_by_word", [False, True], ids=["lines", "word-by-word"])
def test_pdf_responsibility_matrix_is_read_by_cell(tmp_path: Path, word_by_word: bool) -> None:
    path = write_table(
        tmp_path / "matrix.pdf",
        "3. Responsibilities. The parties divide duties as follows.",
        MATRIX,
        "4. Fees. The Customer pays monthly.",
        word_by_word=word_by_word,
    )
    _assert_matrix_rows_are_units(path)
    text = load_document(path).text
    assert "3. Responsibilities. The parties divide duties as follows." in text
    # Reading order: the paragraph, the table, then what follows it.
    assert text.index("3. Responsibilities") < text.index("| Duty") < text.index("4. Fees")


def test_docx_responsibility_matrix_says_which_column_is_marked(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("3. Responsibilities")
    table = document.add_table(rows=len(MATRIX), cols=3)
    for r, row in enumerate(MATRIX):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("4. Fees")
    path = tmp_path / "matrix.docx"
    document.save(str(path))
    _assert_matrix_rows_are_units(path)
