"""What the chat stands on, without Streamlit: follow-ups, kept conversations, the matrix and
its cache, reviews as question sets, cited pages drawn from the PDF."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from typer.testing import CliRunner

from assistant.cli import app as cli
from assistant.conversations import ConversationStore
from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.matrix import TOPIC_QUESTIONS
from assistant.page_images import render_page
from assistant.questions.followup import resolve_follow_up, subject_matter
from assistant.rendering import matrix_to_csv, matrix_to_xlsx
from assistant.types import Citation, Review, Turn, Verdict
from eval.questions import load_question_set
from tests.conftest import SAMPLES

PDF = SAMPLES / "harborstack_paas_terms.pdf"
MARKDOWN = SAMPLES / "tideline_subscription_agreement.md"


@pytest.mark.parametrize(
    ("previous", "question", "asked"),
    [
        ("Who handles backups?", "and who restores them?", "who restores backups?"),
        ("Who handles backups?", "What about encryption?", "Who handles encryption?"),
        ("Who handles backups?", "And encryption?", "Who handles encryption?"),
        ("Who is responsible for data deletion?", "who pays for that?", "who pays for data deletion?"),
        # Standing on its own: asked as typed.
        ("Who handles backups?", "Who must notify regulators of a breach?",
         "Who must notify regulators of a breach?"),
        ("Who handles backups?", "Can they suspend us?", "Can they suspend us?"),
        (None, "and who restores them?", "and who restores them?"),
    ],
)
def test_follow_up_is_completed_from_the_last_question(
    previous: str | None, question: str, asked: str
) -> None:
    assert resolve_follow_up(question, previous) == asked


def test_subject_matter_is_what_the_question_is_about() -> None:
    assert subject_matter("Is the provider on the hook for OS patches?") == "OS patches"
    assert subject_matter("Who keeps logs?") == "logs"


def test_conversations_survive_a_damaged_file_and_refuse_foreign_ids(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    conversation = store.new()
    turn = Turn(question="Who handles backups?", asked="Who handles backups?",
                error="no agreements", at=datetime.now(UTC))
    saved = store.add_turn(conversation, turn)
    assert saved.title == "Who handles backups?"
    (tmp_path / ("0" * 32 + ".json")).write_text("{not json")
    assert [c.id for c in store.list()] == [conversation.id]  # the damaged one is skipped
    assert store.get(conversation.id).turns[0].error == "no agreements"
    with pytest.raises(AgreementsError, match="not a conversation id"):
        store.get("../../etc/passwd")


def test_cited_pdf_page_is_rendered_with_the_quote_highlighted() -> None:
    quote = ("We back up the managed databases that we provide as part of the Platform at least "
             "once every 24 hours")
    png, highlighted = render_page(PDF, 2, [quote])
    assert highlighted
    plain, found = render_page(PDF, 2, ["words that are on no page of this agreement at all"])
    assert not found
    marked, unmarked = Image.open(io.BytesIO(png)), Image.open(io.BytesIO(plain))
    assert marked.size == unmarked.size and marked.width > 1000
    # The highlight is yellow: many more strongly yellow pixels than the plain page has.
    def yellow(image: Image.Image) -> int:
        return sum(1 for r, g, b in image.convert("RGB").get_flattened_data() if r > 230 and g > 200 and b < 200)
    assert yellow(marked) > 1000 > yellow(unmarked)
    with pytest.raises(AgreementsError, match="has no page 99"):
        render_page(PDF, 99, [quote])


def test_page_image_through_the_facade_and_only_for_pdfs(assistant: AgreementAssistant) -> None:
    assert not assistant.ingest([PDF, MARKDOWN]).failed
    answer = assistant.ask("Who handles backups?", ["harborstack_paas_terms"])
    citation = answer.citations[0]
    image = assistant.page_image(citation)
    assert image is not None and image.page == citation.page and image.highlighted
    text_citation = Citation(agreement="tideline_subscription_agreement", quote="x",
                             chunk_id="c", page=1)
    assert assistant.page_image(text_citation) is None


def test_matrix_is_cached_until_the_agreement_changes(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    copy = tmp_path / "tideline.md"
    copy.write_text(MARKDOWN.read_text())
    assert not assistant.ingest([copy]).failed
    asked: list[str] = []
    original_ask = assistant.ask

    def counting_ask(question: str, agreements: object = None) -> object:
        asked.append(question)
        return original_ask(question, agreements)  # type: ignore[arg-type]

    assistant.ask = counting_ask  # type: ignore[method-assign]
    progress: list[tuple[str, int, int]] = []
    matrix = assistant.matrix(["tideline"], lambda *step: progress.append(step))
    assert len(matrix.cells) == len(TOPIC_QUESTIONS) == len(asked)
    assert progress[-1] == ("tideline", 26, 26)
    again = assistant.matrix(["tideline"])
    assert again == matrix and len(asked) == 26  # from the cache
    copy.write_text(MARKDOWN.read_text() + "\n\n## 99. Extra\n\nThe Provider shall keep logs.\n")
    assert not assistant.ingest([copy]).failed
    assistant.matrix(["tideline"])
    assert len(asked) == 52  # a new version is answered anew

    rows = list(csv.DictReader(io.StringIO(matrix_to_csv(matrix))))
    assert len(rows) == 26 and {r["verdict"] for r in rows} <= {
        "Customer", "Provider", "Shared", "Not addressed"}
    for row in rows:  # a silent cell names no deciding section
        assert (row["verdict"] == "Not addressed") <= (row["section"] == "")
    book = load_workbook(io.BytesIO(matrix_to_xlsx(matrix)))
    assert book.sheetnames == ["Matrix", "Clauses"]
    assert book["Matrix"].max_row == 27


def test_matrix_command_writes_csv_and_xlsx(
    assistant: AgreementAssistant, tmp_path: Path
) -> None:
    assert not assistant.ingest([MARKDOWN]).failed
    out_csv, out_xlsx = tmp_path / "m.csv", tmp_path / "m.xlsx"
    result = CliRunner().invoke(
        cli, ["matrix", "tideline_subscription_agreement", "--csv", str(out_csv),
              "--xlsx", str(out_xlsx)]
    )
    assert result.exit_code == 0, result.output
    assert "backups" in result.output
    assert out_csv.read_text().startswith("topic,agreement,verdict,section,page")
    assert load_workbook(out_xlsx)["Matrix"].max_row == 27
    unknown = CliRunner().invoke(cli, ["matrix", "no_such_agreement"])
    assert unknown.exit_code != 0


def test_reviews_are_question_sets_and_replace_earlier_ones(assistant: AgreementAssistant) -> None:
    assert not assistant.ingest([MARKDOWN]).failed
    answer = assistant.ask("Who handles backups?", ["tideline_subscription_agreement"])
    name = "tideline_subscription_agreement"

    def review(label: Verdict, evidence: list[str]) -> Review:
        return Review(agreement=name, question=answer.question, topic="backups",
                      answered=answer.verdict, label=label, evidence=evidence,
                      note="checked against §6", reviewed_at=datetime.now(UTC))

    quotes = [c.quote for c in answer.citations]
    path = assistant.review(review(Verdict.CUSTOMER, quotes))
    path = assistant.review(review(Verdict.PROVIDER, quotes[:1]))  # the same question again
    suite = load_question_set(path, path.parent)
    assert len(suite.cases) == 1 and suite.cases[0].expected == "provider"
    kept = assistant.reviews.reviews()
    assert len(kept) == 1 and kept[0].label is Verdict.PROVIDER
    assert kept[0].answered is answer.verdict and kept[0].note == "checked against §6"
    with pytest.raises(AgreementsError, match="needs at least one quote"):
        assistant.review(review(Verdict.CUSTOMER, []))
    with pytest.raises(AgreementsError, match="topics"):
        assistant.review(review(Verdict.CUSTOMER, quotes).model_copy(update={"topic": "x"}))
    assert assistant.reviews.export_zip()[:2] == b"PK"


def test_a_follow_up_stays_in_the_agreements_it_follows(assistant: AgreementAssistant) -> None:
    assert not assistant.ingest([PDF, MARKDOWN]).failed
    chat = assistant.ask_in(assistant.conversations.new(), "Who handles backups?",
                            ["harborstack_paas_terms"])
    chat = assistant.ask_in(chat, "and who restores them?")
    follow_up = chat.turns[-1]
    assert follow_up.asked == "who restores backups?"
    assert follow_up.agreements == ["harborstack_paas_terms"]
    assert follow_up.answer is not None and follow_up.answer.agreements == ["harborstack_paas_terms"]
    fresh = assistant.ask_in(chat, "Who may suspend the service?")
    assert fresh.turns[-1].agreements == []  # a question of its own covers the chosen scope
    assert assistant.conversations.get(chat.id).turns[-1].question == "Who may suspend the service?"
    with pytest.raises(AgreementsError, match="empty"):
        assistant.ask_in(chat, "   ")
    unknown = assistant.ask_in(chat, "Who handles backups?", ["no_such_agreement"])
    assert unknown.turns[-1].answer is None and "no_such_agreement" in (unknown.turns[-1].error or "")


def test_a_copy_that_cannot_be_kept_does_not_fail_the_file(
    assistant: AgreementAssistant, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(assistant.originals, "keep", full_disk)
    summary = assistant.ingest([MARKDOWN])
    assert not summary.failed and summary.results[0].chunks > 0
    assert "could not be kept" in caplog.text
    assert assistant.ask("Who handles backups?").agreements == ["tideline_subscription_agreement"]
