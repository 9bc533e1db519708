"""Sentence spans: abbreviations, numbering and wrapped PDF lines must not break quotes."""

from __future__ import annotations

import pytest

from ingest.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "Pydantic Services Inc. will act, e.g. as processor, i.e. on instructions. "
        "The U.S. Government may audit No. 5 of the list. It ends here."
    )
    assert _sentences(text) == [
        "Pydantic Services Inc. will act, e.g. as processor, i.e. on instructions.",
        "The U.S. Government may audit No. 5 of the list.",
        "It ends here.",
    ]


def test_section_numbers_and_line_numbering() -> None:
    text = "Section 4.2 applies to backups. See Sec. 7 too.\n1. The first item. Second one."
    assert _sentences(text) == [
        "Section 4.2 applies to backups.",
        "See Sec. 7 too.",
        "1. The first item.",
        "Second one.",
    ]


def test_bullets_and_list_markers_end_sentences() -> None:
    text = "The provider shall:\n(a) back up data\n(b) encrypt data\n- keep logs\nThen more."
    assert _sentences(text) == [
        "The provider shall:",
        "(a) back up data",
        "(b) encrypt data",
        "- keep logs\nThen more.",
    ]


def test_wrapped_pdf_lines_stay_one_sentence() -> None:
    text = (
        "This DPA forms part of the agreement, hereafter referred to as the\n\n"
        "“Agreement”, that is entered into.\n\n\n\nNext paragraph here."
    )
    assert _sentences(text) == [
        "This DPA forms part of the agreement, hereafter referred to as the\n\n"
        "“Agreement”, that is entered into.",
        "Next paragraph here.",
    ]


def test_spans_cover_all_text_exactly() -> None:
    text = "  One. Two!  Three?\n\n# Heading\nFour etc. and five.  "
    spans = split_sentences(text)
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(ch.isspace() or i in covered for i, ch in enumerate(text))
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)


def test_lettered_list_items_on_their_own_lines_are_separate_sentences() -> None:
    text = (
        "On termination:\n"
        "    a. Customer will stop using the Service.\n"
        "    b. Upon request, Provider will erase Customer Data within 30 days.\n"
    )
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert "b. Upon request, Provider will erase Customer Data within 30 days." in spans


def test_a_sentence_ending_at_a_line_break_ends_there_but_not_after_an_abbreviation() -> None:
    text = "Provider keeps logs for a year.\nCustomer keeps backups. Acme Inc.\nholds the rest."
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert spans[0] == "Provider keeps logs for a year."
    assert spans[-1] == "Acme Inc.\nholds the rest."


@pytest.mark.timeout(10)
def test_long_runs_of_markers_do_not_backtrack() -> None:
    # Signature lines of underscores once made the heading pattern backtrack for minutes.
    text = (
        "By: " + "_" * 300 + " Title\n"
        "Name: " + "*_" * 150 + "\n"
        + "**" * 200 + " x\n"
        "The Recipient shall return all Confidential Information."
    )
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert spans[-1].endswith("The Recipient shall return all Confidential Information.")
