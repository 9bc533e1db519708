"""The extractive decision and the citation guard, on hand-built retrieved passages."""

from __future__ import annotations

import logging

import pytest

from assistant.answering.extractive import decide
from assistant.answering.finishing import verify_citations
from assistant.types import Answer, Citation, RetrievedChunk, Verdict
from ingest.types import Chunk, PartyAliases

AGREEMENT = "nimbus_terms"
ALIASES = {
    AGREEMENT: PartyAliases(
        customer=["Customer", "you", "your"],
        provider=["Nimbus", "we", "us", "our"],
        provider_name="Nimbus",
    )
}
TITLES = {AGREEMENT: "Nimbus Cloud Terms"}


def _retrieved(*texts: str, section: str = "4.2") -> list[RetrievedChunk]:
    out = []
    for i, text in enumerate(texts):
        chunk = Chunk(id=f"c{i}", agreement=AGREEMENT, ordinal=i, section=f"{section}.{i}",
                      heading_path=["Services"], text=text, start=0, end=len(text),
                      page_start=3 + i)
        out.append(RetrievedChunk(chunk=chunk, score=1.0 / (i + 1)))
    return out


def _assert_verbatim(answer: Answer, retrieved: list[RetrievedChunk]) -> None:
    texts = {rc.chunk.id: rc.chunk.text for rc in retrieved}
    assert answer.citations
    for c in answer.citations:
        assert c.quote in texts[c.chunk_id]
        assert not c.quote.startswith(("*", "#", " ")) and not c.quote.endswith(("*", " "))


def test_customer_duty() -> None:
    ret = _retrieved(
        "## Backups\n\nYou are solely responsible for keeping backup copies of your content. "
        "Fees are payable monthly.",
        "We will provide the service with reasonable care.",
    )
    ans = decide("Who handles backups?", ["backups"], ret, ALIASES, TITLES)
    assert ans.verdict is Verdict.CUSTOMER
    _assert_verbatim(ans, ret)
    assert ans.citations[0].quote == (
        "You are solely responsible for keeping backup copies of your content."
    )
    assert ans.citations[0].section == "4.2.0" and ans.citations[0].page == 3
    assert "customer" in ans.answer and "Nimbus Cloud Terms" in ans.answer
    assert "backups" in ans.answer
    assert ans.topic == "backups"
    assert ans.agreements == [AGREEMENT]
    assert ans.retrieved == ret
    assert 0.5 < ans.confidence <= 1


def test_provider_duty_with_object_mention_of_customer() -> None:
    ret = _retrieved(
        "We will notify you without undue delay after becoming aware of a security breach "
        "affecting your personal data.",
    )
    ans = decide("Will they tell us about a breach?", ["breach_notification"], ret, ALIASES)
    assert ans.verdict is Verdict.PROVIDER
    _assert_verbatim(ans, ret)


def test_disclaimer_points_to_the_other_party() -> None:
    ret = _retrieved("Nimbus does not back up data stored on local instance disks.")
    ans = decide("Who handles backups?", ["backups"], ret, ALIASES)
    assert ans.verdict is Verdict.CUSTOMER
    assert "disclaims" in ans.answer


def test_distinct_duties_make_shared() -> None:
    ret = _retrieved(
        "Nimbus will secure the physical infrastructure and network of the platform.",
        "Customer is responsible for securing its accounts, applications and security settings.",
    )
    ans = decide("Who is responsible for security?", ["security_measures"], ret, ALIASES)
    assert ans.verdict is Verdict.SHARED
    assert {c.chunk_id for c in ans.citations} == {"c0", "c1"}
    assert "Both parties" in ans.answer


def test_mutual_duty_is_shared() -> None:
    ret = _retrieved("Each party shall comply with all applicable laws and regulations.")
    ans = decide("Who has to comply with the law?", ["legal_compliance"], ret, ALIASES)
    assert ans.verdict is Verdict.SHARED
    assert "mutual" in ans.answer


def test_question_singling_out_a_party_is_never_shared() -> None:
    ret = _retrieved(
        "Nimbus will apply security patches to the host operating system.",
        "Customer is responsible for patching the software it installs.",
        "Customer must keep guest operating systems updated with the latest patches.",
    )
    ans = decide("Is Nimbus on the hook for OS patches?", ["vulnerability_patching"], ret,
                 ALIASES)
    assert ans.verdict is Verdict.CUSTOMER  # the label is who holds it, not who was asked
    unasked = decide("Who applies OS patches?", ["vulnerability_patching"], ret, ALIASES)
    assert unasked.verdict is Verdict.SHARED


def test_rights_count_only_for_rights_questions() -> None:
    ret = _retrieved("We may suspend your account if an invoice is more than 30 days overdue.")
    rights = decide("Can the vendor suspend us?", ["suspension"], ret, ALIASES)
    assert rights.verdict is Verdict.PROVIDER
    assert "right" in rights.answer
    duty = decide("Who must handle suspension of accounts?", ["suspension"], ret, ALIASES)
    assert duty.verdict is Verdict.NOT_ADDRESSED


def test_prohibition_on_customer_for_permission_question() -> None:
    ret = _retrieved("You must not run penetration tests against the platform.")
    ans = decide("Are we allowed to run penetration tests?", ["acceptable_use"], ret, ALIASES)
    assert ans.verdict is Verdict.CUSTOMER
    assert "refrain" in ans.answer


def test_passing_mention_is_not_addressed() -> None:
    ret = _retrieved(
        "Each Recipient may keep Confidential Information in its routine backup archives "
        "until they are overwritten.",
        "We will provide support by email on business days.",
    )
    ans = decide("Does the vendor back up our content?", ["backups"], ret, ALIASES)
    assert ans.verdict is Verdict.NOT_ADDRESSED
    assert ans.answer.startswith("The agreement is silent on backups")
    assert ans.confidence < 0.5
    # the closest clause is still shown, verbatim, so a reader can check the abstention
    _assert_verbatim(ans, ret)
    assert "backup" in ans.citations[0].quote


def test_nothing_on_topic_is_not_addressed_without_citations() -> None:
    ret = _retrieved("Fees are payable monthly in advance.", "This agreement renews yearly.")
    ans = decide("Who encrypts data at rest?", ["encryption"], ret, ALIASES)
    assert ans.verdict is Verdict.NOT_ADDRESSED
    assert ans.citations == []


def test_off_topic_obligations_do_not_decide() -> None:
    ret = _retrieved("Customer shall pay all invoices within 30 days.")
    ans = decide("Who encrypts data at rest?", ["encryption"], ret, ALIASES)
    assert ans.verdict is Verdict.NOT_ADDRESSED


def test_better_ranked_evidence_wins() -> None:
    ret = _retrieved(
        "Customer is responsible for monitoring its own applications and alerts.",
        "Fees are payable monthly.",
        "This agreement renews yearly.",
        "Notices must be in writing.",
        "Invoices are issued in euros.",
        "Nimbus will monitor platform availability.",
    )
    ans = decide("Who does monitoring?", ["monitoring"], ret, ALIASES)
    assert ans.verdict is Verdict.CUSTOMER
    assert ans.citations[0].chunk_id == "c0"


def test_at_most_three_citations_best_first() -> None:
    texts = [f"Customer must keep a backup of volume {i} before every upgrade." for i in range(6)]
    ans = decide("Who handles backups?", ["backups"], _retrieved(*texts), ALIASES)
    assert ans.verdict is Verdict.CUSTOMER
    assert [c.chunk_id for c in ans.citations] == ["c0", "c1", "c2"]


def test_unknown_agreement_uses_role_words_and_no_topics_uses_question_words() -> None:
    chunk = Chunk(id="x", agreement="other", ordinal=0, text="Provider shall archive "
                  "invoices and receipts for seven years.", start=0, end=60)
    ret = [RetrievedChunk(chunk=chunk, score=1.0)]
    ans = decide("Who must archive invoices and receipts?", [], ret, {})
    assert ans.verdict is Verdict.PROVIDER
    assert ans.topic is None


def test_markdown_markers_stripped_only_at_the_ends() -> None:
    text = "- **Customer** shall keep *offline* backups of all **databases**."
    ans = decide("Who handles backups?", ["backups"], _retrieved(text), ALIASES)
    # the list marker and the outer markers go; the emphasis inside the sentence stays
    assert ans.citations[0].quote == "Customer** shall keep *offline* backups of all **databases**."


def test_long_sentence_cites_the_clause_with_the_trigger() -> None:
    filler = "; ".join(f"item {i} concerning invoicing and billing matters" for i in range(12))
    text = f"The terms cover {filler}; Customer shall keep backups of all hosted data; and so on."
    ans = decide("Who handles backups?", ["backups"], _retrieved(text), ALIASES)
    assert ans.verdict is Verdict.CUSTOMER
    quote = ans.citations[0].quote
    assert "Customer shall keep backups" in quote and len(quote) < 100
    assert quote in text


def test_deterministic() -> None:
    ret = _retrieved("Customer must rotate its API keys every 90 days.")
    a = decide("Who rotates API keys?", ["access_control"], ret, ALIASES)
    b = decide("Who rotates API keys?", ["access_control"], ret, ALIASES)
    assert a == b


# --- citations.verify_citations ---------------------------------------------------------


def _answer_with(*citations: Citation) -> Answer:
    return Answer(question="q", verdict=Verdict.CUSTOMER, answer="a", confidence=0.5,
                  citations=list(citations))


def test_verify_keeps_verbatim_and_whitespace_variants() -> None:
    ret = _retrieved("Customer shall keep\nbackups of its data. Other text.")
    good = Citation(agreement=AGREEMENT, quote="Customer shall keep backups of its data.",
                    chunk_id="c0")
    checked = verify_citations(_answer_with(good), ret)
    assert checked.citations == [good]


def test_verify_drops_unretrieved_and_altered_quotes(caplog: pytest.LogCaptureFixture) -> None:
    ret = _retrieved("Customer shall keep backups of its data.")
    altered = Citation(agreement=AGREEMENT, quote="Nimbus shall keep backups of its data.",
                       chunk_id="c0")
    foreign = Citation(agreement=AGREEMENT, quote="Customer shall keep backups", chunk_id="zz")
    empty = Citation(agreement=AGREEMENT, quote="  ", chunk_id="c0")
    good = Citation(agreement=AGREEMENT, quote="Customer shall keep backups", chunk_id="c0")
    with caplog.at_level(logging.WARNING, logger="assistant.citations"):
        checked = verify_citations(_answer_with(altered, foreign, empty, good), ret)
    assert checked.citations == [good]
    assert "3 of 4" in caplog.text
    assert "backups" not in caplog.text  # never the contract text


def test_decide_output_survives_verification() -> None:
    ret = _retrieved(
        "**4.2 Backups.** You are solely responsible for keeping backup copies of your content.",
        "We will retain snapshots for 7 days and may restore them on request.",
    )
    ans = decide("Who handles backups?", ["backups"], ret, ALIASES)
    assert verify_citations(ans, ret).citations == ans.citations
