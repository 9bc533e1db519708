"""Topic detection, query expansion and clause-term matching."""

from __future__ import annotations

import pytest

from assistant.questions.topics import (
    TOPICS,
    detect_topics,
    expand_query,
    get_topic,
    topic_match_strength,
    topic_regex,
    topic_terms,
)

EXPECTED_IDS = {
    "data_accuracy", "backups", "data_location", "data_privacy", "confidentiality",
    "breach_notification", "encryption", "access_control", "configuration",
    "third_party_integrations", "security_measures", "vulnerability_patching", "monitoring",
    "customer_systems", "platform_maintenance", "availability", "support", "user_management",
    "training", "legal_compliance", "acceptable_use", "data_ownership", "audits",
    "data_deletion", "suspension", "liability",
}


def test_all_26_topics_present_once() -> None:
    ids = [t.id for t in TOPICS]
    assert len(ids) == 26
    assert set(ids) == EXPECTED_IDS


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Who handles backups?", "backups"),
        ("Do we need to keep our own back-up copies of the database?", "backups"),
        ("Who must notify regulators of a breach?", "breach_notification"),
        ("Will they tell us if attackers get into the systems?", "breach_notification"),
        ("Is the provider on the hook for OS patches?", "vulnerability_patching"),
        ("Who applies security fixes to the operating system?", "vulnerability_patching"),
        ("Is our traffic encrypted in transit?", "encryption"),
        ("Who keeps the passwords and login credentials secret?", "access_control"),
        ("Can the vendor suspend our account?", "suspension"),
        ("Can the vendor cut off our access?", "suspension"),
        ("What uptime does the vendor guarantee?", "availability"),
        ("If someone sues over the service, who pays?", "liability"),
        ("Who deletes our data after termination?", "data_deletion"),
        ("May we audit the vendor's data handling?", "audits"),
        ("Who owns the feedback we submit?", "data_ownership"),
        ("In which country is our data stored?", "data_location"),
        ("Does the vendor have to train its staff?", "training"),
        ("Are we allowed to scrape the website with a crawler?", "acceptable_use"),
        ("Must the vendor warn us before using a new subprocessor?", "third_party_integrations"),
        ("How fast must the vendor answer support tickets?", "support"),
    ],
)
def test_detect_topics_best_first(question: str, topic: str) -> None:
    assert detect_topics(question)[0] == topic


def test_detect_topics_empty_when_nothing_matches() -> None:
    assert detect_topics("What is the weather like in Paris?") == []


def test_detect_topics_drops_weak_tail() -> None:
    found = detect_topics("Who handles backups?")
    assert found == ["backups"]


def test_expand_query_appends_legal_words_not_already_present() -> None:
    expanded = expand_query("Who handles backups?", ["backups"])
    assert expanded.startswith("Who handles backups?")
    assert "snapshot" in expanded
    assert expanded.count("backups") == 1


def test_expand_query_without_topics_is_the_question() -> None:
    assert expand_query("Who handles it?", []) == "Who handles it?"


def test_expand_query_ignores_unknown_topic() -> None:
    assert expand_query("Who handles it?", ["nope"]) == "Who handles it?"


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        ("Provider performs a daily backup of the database.", "backups"),
        ("Customer shall maintain back-up copies of its files.", "backups"),
        ("Snapshots are kept for seven days.", "backups"),
        ("All traffic is encrypted with TLS 1.2.", "encryption"),
        ("Provider applies security patches within 30 days.", "vulnerability_patching"),
        ("Provider shall notify the supervisory authority within 72 hours.",
         "breach_notification"),
        ("Customer is responsible for all activity under its user accounts.", "user_management"),
    ],
)
def test_topic_regex_finds_sentences_on_topic(sentence: str, topic: str) -> None:
    assert topic_regex(topic).search(sentence)


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        ("Customer shall pay all fees within 30 days.", "backups"),
        ("This Agreement is governed by the laws of Ireland.", "encryption"),
        ("Provider may update these terms from time to time.", "vulnerability_patching"),
    ],
)
def test_topic_regex_ignores_other_sentences(sentence: str, topic: str) -> None:
    assert topic_regex(topic).search(sentence) is None


def test_topic_terms_lists_keywords_then_related() -> None:
    terms = topic_terms("backups")
    assert terms[0] == get_topic("backups").keywords[0]
    assert "copies" in terms


def test_match_strength_counts_distinct_keywords() -> None:
    one = topic_match_strength("We keep a backup.", "backups")
    two = topic_match_strength("We keep a backup and test the restore.", "backups")
    assert 0 < one < two
    assert topic_match_strength("Fees are due monthly.", "backups") == 0


def test_unknown_topic_raises() -> None:
    with pytest.raises(KeyError):
        get_topic("coffee")
