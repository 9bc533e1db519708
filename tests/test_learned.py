"""The learned judge: its weights file, its fitting, and its answers through the facade."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.answering.candidates import party_normalised
from assistant.answering.judge_model import DEFAULT_MODEL_PATH, JudgeModel, LinearHead
from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.index.embeddings import Embedder
from assistant.settings import AnsweringSettings, Settings
from assistant.types import Verdict
from eval.labels import LabeledSentence
from eval.train_judge import fit_logistic, labels_digest, sentence_target
from ingest.types import PartyAliases

AGREEMENT = """# Nimbusfold Hosting Terms

These terms are between Nimbusfold Ltd ("Nimbusfold", "we", "us") and the customer ("Customer",
"you").

## 4. Backups

4.1 Nimbusfold will back up Customer Data stored on the hosting platform every 24 hours and will
keep each backup for 30 days.

## 5. Accounts

5.1 You are responsible for keeping your passwords and API tokens confidential and for all
activity under your account.

## 6. Fees

6.1 You will pay the fees stated in your order within 30 days of the invoice date.
"""


def test_the_shipped_weights_are_small_and_trained_on_todays_labels() -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    model = JudgeModel.load()
    assert model.meta["trained_by"] == "python -m eval.train_judge"
    # Labels changed without retraining would leave the shipped judge behind its data.
    assert model.meta["labels_sha256"] == labels_digest(), (
        "eval/labeled changed since judge.npz was trained: run `python -m eval.train_judge`"
    )


def test_weights_survive_a_save_and_load(tmp_path: Path) -> None:
    model = JudgeModel.load()
    path = tmp_path / "judge.npz"
    model.save(path)
    again = JudgeModel.load(path)
    x = np.random.default_rng(0).normal(size=(3, model.relevance.weights.shape[0]))
    assert np.allclose(again.relevance(x), model.relevance(x), atol=1e-5)
    assert again.top_k == model.top_k and again.topic_ids == model.topic_ids


def test_a_damaged_weights_file_is_named_in_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "judge.npz"
    path.write_bytes(b"not a numpy archive")
    with pytest.raises(AgreementsError, match=r"judge\.npz.*retrain"):
        JudgeModel.load(path)


def test_a_fitted_head_predicts_what_its_logistic_regression_predicts() -> None:
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    x = rng.normal(loc=3.0, scale=[1.0, 5.0, 0.2], size=(300, 3))
    y = (x[:, 0] + 0.2 * x[:, 1] > 3.5).astype(np.int64) + (x[:, 2] > 3.1)
    head = fit_logistic(x, y, 1.0, 3)
    z = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-6)
    reference = LogisticRegression(C=1.0, max_iter=2000).fit(z, y).predict_proba(z)
    assert isinstance(head, LinearHead)
    assert np.allclose(head(x), reference, atol=1e-4)


@pytest.mark.parametrize(
    ("holder", "kind", "target"),
    [
        ("provider", "duty", "provider"),
        ("customer", "prohibition", "customer"),
        ("provider", "disclaimer", "customer"),
        ("customer", "disclaimer", "provider"),
        ("both", "duty", "shared"),
        ("both", "disclaimer", "none"),
        ("provider", "definition", "none"),
        ("neither", "duty", "none"),
    ],
)
def test_a_labeled_sentence_allocates_as_the_labeling_guide_says(
    holder: str, kind: str, target: str
) -> None:
    sentence = LabeledSentence.model_validate(
        {"agreement": "x.md", "text": "a sentence", "holder": holder, "kind": kind, "decides": True}
    )
    assert sentence_target(sentence) == target


def test_party_names_read_alike_across_agreements() -> None:
    aliases = PartyAliases(customer=["Customer", "you"], provider=["Nimbusfold", "we"])
    text = "Nimbusfold will notify you; we may suspend Customer accounts."
    assert party_normalised(text, aliases) == (
        "PROVIDER will notify CUSTOMER; PROVIDER may suspend CUSTOMER accounts."
    )


@pytest.fixture()
def learned(tmp_path: Path, embedder: Embedder) -> AgreementAssistant:
    settings = Settings(home=tmp_path / "home", answering=AnsweringSettings(answerer="learned"))
    helper = AgreementAssistant(settings)
    source = tmp_path / "nimbusfold_terms.md"
    source.write_text(AGREEMENT, encoding="utf-8")
    assert not helper.ingest([source]).failed
    return helper


def test_the_learned_judge_names_the_party_and_quotes_the_clause(
    learned: AgreementAssistant,
) -> None:
    backups = learned.ask("Who backs up the data we store on the platform?")
    assert backups.answerer == "learned"
    assert backups.verdict is Verdict.PROVIDER
    assert backups.citations and "back up Customer Data" in backups.citations[0].quote
    assert backups.citations[0].section == "4.1"
    tokens = learned.ask("If one of our API tokens leaks and is misused, who answers for it?")
    assert tokens.verdict is Verdict.CUSTOMER
    assert any("API tokens" in c.quote for c in tokens.citations)
    assert 0.0 <= tokens.confidence <= 1.0


QUIET = """# Quietcloud Subscription Terms

## 1. Fees

1.1 The Subscriber shall pay Quietcloud the subscription fees monthly in advance.

## 2. Term

2.1 These terms run for twelve months and renew for further twelve-month periods unless either
party gives thirty days' notice.
"""


def test_over_two_agreements_each_gets_its_own_answer(
    learned: AgreementAssistant, tmp_path: Path
) -> None:
    quiet = tmp_path / "quietcloud_terms.md"
    quiet.write_text(QUIET, encoding="utf-8")
    assert not learned.ingest([quiet]).failed
    answer = learned.ask("Who backs up the data we store on the platform?")
    parts = {a.agreements[0]: a for a in answer.by_agreement}
    assert set(parts) == {"nimbusfold_terms", "quietcloud_terms"}
    assert parts["nimbusfold_terms"].verdict is Verdict.PROVIDER
    assert all(c.agreement == "nimbusfold_terms" for c in parts["nimbusfold_terms"].citations)
    assert all(c.agreement == "quietcloud_terms" for c in parts["quietcloud_terms"].citations)


def test_the_learned_judge_says_silent_where_the_agreement_is(
    learned: AgreementAssistant,
) -> None:
    answer = learned.ask(
        "Who must tell the data protection authority about a personal data breach?"
    )
    assert answer.verdict is Verdict.NOT_ADDRESSED
    assert "silent" in answer.answer
