"""The chat's page logic through Streamlit's AppTest: the real facade, model and Chroma under
a temporary AGREEMENTS_HOME, no browser (test_app_e2e.py drives one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.facade import AgreementAssistant
from assistant.index.embeddings import Embedder
from assistant.settings import Settings
from assistant.types import Verdict
from eval.questions import load_question_set
from tests.conftest import REPO, SAMPLES

TIMEOUT = 180  # seconds a run may take: the first one loads the model
SAMPLE = SAMPLES / "tideline_subscription_agreement.md"


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Embedder) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("AGREEMENTS_HOME", str(home))
    return home


@pytest.fixture()
def with_sample(home: Path) -> Iterator[Path]:
    helper = AgreementAssistant(Settings())
    assert not helper.ingest([SAMPLE]).failed
    yield home


def _chat() -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    app.run()
    assert not app.exception, app.exception
    return app


def _matrix_script() -> None:
    from assistant.web.matrix_page import matrix_page

    matrix_page()


def _reviews_script() -> None:
    from assistant.web.reviews_page import reviews_page

    reviews_page()


def _texts(app: AppTest) -> list[str]:
    return [str(e.value) for kind in (app.markdown, app.caption, app.info, app.success,
                                      app.error, app.warning) for e in kind]


def _ask(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception, app.exception
    return app


def test_empty_index_says_how_to_add_agreements(home: Path) -> None:
    app = _chat()
    infos = " ".join(i.value for i in app.info)
    assert "The index is empty" in infos
    assert "agreements ingest PATH" in infos
    assert not app.error


def test_upload_lands_the_good_file_and_names_the_bad_one(home: Path) -> None:
    app = _chat()
    app.file_uploader[0].set_value(
        [
            (SAMPLE.name, SAMPLE.read_bytes(), "text/markdown"),
            ("broken_terms.pdf", b"%PDF-1.7 this is not really a PDF", "application/pdf"),
        ]
    ).run()
    next(b for b in app.button if b.label == "Add to the index").click().run()
    assert not app.exception, app.exception
    assert any("added as tideline_subscription_agreement" in s.value for s in app.success)
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and "broken_terms.pdf" in errors[0]
    assert [a.name for a in AgreementAssistant(Settings()).agreements()] == [
        "tideline_subscription_agreement"
    ]
    assert (home / "files" / SAMPLE.name).is_file()  # kept for pages and reviews


def test_ask_shows_badge_citation_and_follow_up_uses_the_conversation(with_sample: Path) -> None:
    app = _ask(_chat(), "Who handles backups?")
    texts = _texts(app)
    assert any("-badge[" in t for t in texts), texts  # st.badge renders as a badge directive
    assert any(t.startswith("Confidence ") for t in texts)
    assert any("§" in t for t in (c.value for c in app.caption))  # a citation card's location

    app = _ask(app, "and who restores them?")
    captions = [c.value for c in app.caption]
    assert "Asked as: who restores backups?" in captions
    assert len(app.chat_message) == 4

    # A reload is a new session: the conversation comes back from AGREEMENTS_HOME.
    reloaded = _chat()
    assert len(reloaded.chat_message) == 4
    assert "Asked as: who restores backups?" in [c.value for c in reloaded.caption]


def test_review_is_saved_as_a_question_set_eval_can_run(with_sample: Path) -> None:
    app = _ask(_chat(), "Who handles backups?")
    next(b for b in app.button if b.label == "Correct").click().run()
    assert not app.exception, app.exception
    assert any("Review saved" in s.value for s in app.success)
    saved = with_sample / "reviews" / "tideline_subscription_agreement.yaml"
    suite = load_question_set(saved, saved.parent)  # the reviews folder is its own corpus
    assert [case.question for case in suite.cases] == ["Who handles backups?"]

    listing = AppTest.from_function(_reviews_script, default_timeout=TIMEOUT)
    listing.run()
    assert not listing.exception, listing.exception
    assert listing.metric[0].value == "1 of 1"


def test_a_correction_records_the_right_label(with_sample: Path) -> None:
    app = _ask(_chat(), "Who must train our staff on the moon base?")
    answered = AgreementAssistant(Settings()).conversations.list()[0].turns[0].answer
    assert answered is not None
    right = Verdict.NOT_ADDRESSED if answered.verdict is not Verdict.NOT_ADDRESSED else Verdict.CUSTOMER
    # Inside a form, the choice and the submit travel in one run.
    next(s for s in app.selectbox if s.label == "Wrong, it should be").select(right)
    next(b for b in app.button if b.label == "Save correction").click()
    app.run()
    assert not app.exception, app.exception
    assert any("Review saved" in s.value for s in app.success), _texts(app)
    review = AgreementAssistant(Settings()).reviews.reviews()[0]
    assert review.label is right and review.answered is answered.verdict
    assert not review.correct


def test_matrix_answers_every_topic_and_is_cached(with_sample: Path) -> None:
    app = AppTest.from_function(_matrix_script, default_timeout=TIMEOUT)
    app.run()
    next(b for b in app.button if b.label == "Answer every topic").click().run()
    assert not app.exception, app.exception
    table = app.table[0].value
    assert len(table) == 26 and "backups" in table.index
    assert str(table.loc["backups"].iloc[0]).split(" ")[0] in {
        "Customer", "Provider", "Shared", "Silent"
    }
    assert (with_sample / "matrix" / "tideline_subscription_agreement.json").is_file()
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Download CSV", "Download XLSX"]


def test_remove_asks_for_confirmation(with_sample: Path) -> None:
    app = _chat()
    next(b for b in app.button if b.label == "Remove").click().run()
    assert any("Remove tideline_subscription_agreement" in w.value for w in app.warning)
    assert AgreementAssistant(Settings()).agreements()  # nothing removed yet
    next(b for b in app.button if b.label == "Yes, remove").click().run()
    assert not app.exception, app.exception
    assert AgreementAssistant(Settings()).agreements() == []
    assert not (with_sample / "files" / SAMPLE.name).exists()


def test_a_failing_page_shows_a_message_not_a_traceback(home: Path) -> None:
    def script() -> None:
        from assistant.web.state import guarded

        @guarded
        def page() -> None:
            raise RuntimeError("boom")

        page()

    app = AppTest.from_function(script, default_timeout=TIMEOUT)
    app.run()
    assert not app.exception
    assert "Something went wrong (RuntimeError)" in app.error[0].value
