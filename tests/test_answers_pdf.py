"""Answers over real PDFs: quotes are verbatim and located on the page they are printed on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.facade import AgreementAssistant
from assistant.types import Verdict
from tests.conftest import CORPUS, SAMPLES


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u200b", "")).strip().lower()


def _page_texts(pdf: Path) -> list[str]:
    return [_flat(page.extract_text() or "") for page in PdfReader(pdf).pages]


def _assert_quotes_on_their_pages(assistant: AgreementAssistant, question: str, pdf: Path) -> None:
    answer = assistant.ask(question, [pdf.stem])
    assert answer.citations, answer.answer
    pages = _page_texts(pdf)
    for citation in answer.citations:
        assert citation.page is not None
        # The first words of the quote are printed on the page the citation names.
        opening = " ".join(_flat(citation.quote).split()[:6])
        assert opening in pages[citation.page - 1], (citation.page, citation.quote)


def test_sample_pdf_answer_cites_pages(assistant: AgreementAssistant) -> None:
    pdf = SAMPLES / "harborstack_paas_terms.pdf"
    report = assistant.ingest([pdf])
    assert not report.failed
    _assert_quotes_on_their_pages(assistant, "Who patches the software we deploy?", pdf)
    answer = assistant.ask("Who patches the software we deploy?", [pdf.stem])
    assert answer.verdict is Verdict.CUSTOMER
    assert any(c.page and c.page > 1 for c in answer.citations)


def test_real_pdf_answer_cites_pages(assistant: AgreementAssistant) -> None:
    pdf = CORPUS / "pdf" / "cloudgov_customer_guide.pdf"
    if not pdf.exists():
        pytest.skip(f"the shared corpus is absent ({pdf})")
    assert not assistant.ingest([pdf]).failed
    _assert_quotes_on_their_pages(
        assistant, "Who must report a security incident in the platform?", pdf
    )
