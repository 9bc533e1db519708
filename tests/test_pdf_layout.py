"""Page furniture out of clauses, hyphenated words joined, on PDFs and lines made here."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.chunking import chunk_clauses
from ingest.loaders import load_document
from ingest.loaders.hyphenation import join_hyphenated, vocabulary
from ingest.loaders.pdf import read_pdf
from ingest.loaders.pdf_furniture import PageLines, split_furniture
from ingest.loaders.pdf_layout import Line
from ingest.sentences import split_sentences
from ingest.structure import find_clauses
from tests.pdf_builders import write_with_furniture

BODIES = [
    [
        "1. Backups",
        "1.1 The Provider shall keep a copy of Customer Data for",
    ],
    [
        "thirty days after each backup is made.",
        "2. Security",
        "2.1 The Customer is responsible for its own passwords.",
    ],
    [
        "2.2 The Provider shall patch the operating system of its hosts.",
        "3. Support",
    ],
    [
        "3.1 The Provider answers support requests within one business day.",
    ],
]
HEADER = "ACME CLOUD TERMS V 1.0 - 20250529"
FOOTER = "PAGE {n} OF {total}"


def test_running_header_and_footer_are_kept_out_of_text_and_clauses(tmp_path: Path) -> None:
    path = write_with_furniture(
        tmp_path / "terms.pdf", BODIES, HEADER, FOOTER, title="ACME Cloud Terms"
    )
    reading = read_pdf(path)
    assert [page.furniture for page in reading.pages] == [
        [HEADER, f"PAGE {n} OF 4"] for n in range(1, 5)
    ]
    doc = load_document(path)
    assert "PAGE" not in doc.text and "20250529" not in doc.text
    # The title drawn large on page 1 is the document's, not furniture.
    assert doc.text.startswith("ACME Cloud Terms\n")
    # Pages stay right after the removal.
    assert doc.page_at(doc.text.index("thirty days after")) == 2
    assert doc.page_at(doc.text.index("2.2 The Provider")) == 3
    assert doc.page_at(doc.text.index("3.1 The Provider")) == 4

    clauses = find_clauses(doc)
    chunks = chunk_clauses("terms", clauses, doc.text, lambda text: len(text.split()))
    for piece in [c.text for c in clauses] + [c.text for c in chunks]:
        assert "PAGE" not in piece and "ACME CLOUD TERMS" not in piece
    # A sentence that runs across the page break reads on, with nothing in between.
    clause = next(c for c in clauses if c.section == "1.1")
    sentences = [" ".join(clause.text[a:b].split()) for a, b in split_sentences(clause.text)]
    assert sentences[-1].endswith(
        "The Provider shall keep a copy of Customer Data for thirty days after each backup is made."
    )
    assert (clause.page_start, clause.page_end) == (1, 2)


def test_a_line_on_only_some_pages_is_not_furniture() -> None:
    def page(*texts: str) -> PageLines:
        lines = [Line(t, 72, 300, 100 + 20 * i, 110 + 20 * i, 10) for i, t in enumerate(texts)]
        return PageLines(lines, 800)

    pages = [
        page("Confidential", "Body one", "More body"),
        page("Body two", "Text", "Other"),
        page("Confidential", "Body three", "Last"),
        page("Body four", "Words", "End"),
        page("Body five", "Again", "Stop"),
    ]
    removed = [gone for _, gone in split_furniture(pages)]
    assert removed == [[], [], [], [], []]  # 2 of 5 pages is not most pages
    pages[1] = page("Confidential", "Body two", "Text")
    removed = [gone for _, gone in split_furniture(pages)]
    assert [len(gone) for gone in removed] == [1, 1, 1, 0, 0]


def test_a_repeated_line_in_another_place_or_size_stays() -> None:
    def page(top: float, size: float, body: str) -> PageLines:
        lines = [Line("Data Processing Agreement", 72, 300, top, top + size, size)]
        for i, word in enumerate(body.split()):
            lines.append(Line(f"{word} is a line of the body", 72, 300, 300 + 20 * i, 310 + 20 * i, 10))
        return PageLines(lines, 800)

    kept = split_furniture(
        [
            page(40, 18, "one two three four five six"),
            page(400, 9, "seven eight nine ten eleven twelve"),
            page(40, 9, "alpha beta gamma delta epsilon zeta"),
            page(40, 9, "eta theta iota kappa lambda mu"),
        ]
    )
    # Page 1's large title and page 2's body line stay; the small top line of pages 3-4 goes.
    assert [[line.text for line in gone] for _, gone in kept] == [
        [], [], ["Data Processing Agreement"], ["Data Processing Agreement"]
    ]


def test_hyphenation_follows_the_agreements_own_spelling() -> None:
    known = vocabulary(["Each party's self-service portal is non-exclusive.", "The subprocessor"])
    lines = [
        "the self-",
        "service portal and a sub-",
        "processor, under a non-",
        "exclusive and recover-",
        "able licence for a pre-",
        "approved Cus-",
        "tomer. End-",
        "User terms",
    ]
    assert join_hyphenated(lines, known) == [
        "the self-service",
        "portal and a subprocessor,",
        "under a non-exclusive",
        "and recoverable",  # not in the agreement at all: a typesetter's break
        "licence for a pre-approved",  # a compound prefix keeps its hyphen
        "Customer.",
        "End-",  # the next line starts in capitals: not a word broken in two
        "User terms",
    ]


def test_soft_hyphen_is_always_a_break_inside_a_word() -> None:
    assert join_hyphenated(["a non\u00ad", "exclusive right"], {"non-exclusive"}) == [
        "a nonexclusive",
        "right",
    ]


def test_word_per_line_pdf_text_has_no_glued_words(tmp_path: Path) -> None:
    """Every glyph gap of the furniture fixture is a word-by-word PDF's: no token is glued."""
    path = write_with_furniture(tmp_path / "t.pdf", BODIES, HEADER, FOOTER, title=None)
    text = load_document(path).text
    assert not re.search(r"[^\W\d_]{16,}", text)
    assert "shall keep a copy of Customer Data for" in text
