"""Defined terms and party aliases, from hand-made clauses and the real agreements."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.definitions import find_definitions
from ingest.parties import find_party_aliases
from ingest.types import PartyAliases

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _aliases(name: str) -> PartyAliases:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"real agreement {path} not available on this machine")
    text = path.read_text(encoding="utf-8")
    return find_party_aliases(text, find_definitions(text))


def _lower(words: list[str]) -> set[str]:
    return {w.lower() for w in words}


def test_means_patterns() -> None:
    text = (
        '"Customer Data" means all data provided by Customer. Other text.\n\n'
        '**"Security Incident"** means a breach of security.\n\n'
        "* **\"Customer\"**, **\"you\"**, **\"your\"** means the organization that agrees.\n\n"
        "Service Level: means the uptime promised.\n"
    )
    d = find_definitions(text)
    assert d["Customer Data"] == "means all data provided by Customer."
    assert d["Security Incident"].startswith("means a breach")
    assert d["you"] == d["Customer"] == d["your"]
    assert d["Service Level"] == "means the uptime promised."


def test_refers_to_and_parentheticals() -> None:
    text = (
        'This agreement is between OVH SAS (hereinafter "OVHcloud") and the customer '
        '(the "Client"), each a "Party".\n\n'
        '"Bitwarden", "We" and "Us" refer to 8bit Solutions LLC and its affiliates.\n\n'
        'Acme, Inc. (“Acme”, “we”, “us”) offers the Website (the "Service").\n'
    )
    d = find_definitions(text)
    assert "OVH SAS" in d["OVHcloud"]
    assert "Client" in d and "Party" in d
    assert d["Bitwarden"] == d["We"] == d["Us"]
    assert "8bit Solutions LLC" in d["Bitwarden"]
    assert "Acme, Inc." in d["Acme"] and d["we"] == d["Acme"]
    assert "Service" in d


def test_no_definitions_in_plain_text() -> None:
    assert find_definitions("The provider keeps backups. Nothing is defined here.") == {}


def test_aliases_from_hand_made_preamble() -> None:
    text = (
        'This agreement is between Acme Cloud GmbH ("Acme", "we", "us") and you. '
        "We host your data and you pay us. Our team helps you. We back up. You restore.\n"
        "Acme will notify you. Acme may suspend your account.\n"
    )
    aliases = find_party_aliases(text, find_definitions(text))
    assert aliases.provider_name == "Acme"
    assert {"acme", "we", "us", "our"} <= _lower(aliases.provider)
    assert {"you", "your"} <= _lower(aliases.customer)
    assert "customer" not in _lower(aliases.customer)  # not used as a name here


def test_pronouns_only_when_used() -> None:
    text = "Customer shall back up data. Provider shall keep logs. Customer pays Provider."
    aliases = find_party_aliases(text, {})
    assert aliases.customer == ["Customer"] and aliases.provider == ["Provider"]


def test_controller_processor_and_scc_roles() -> None:
    text = (
        "Customer is the controller and Provider acts as a processor. Customer pays. "
        "Provider hosts. The data exporter instructs the data importer."
    )
    aliases = find_party_aliases(text, {})
    assert {"customer", "controller", "data exporter"} <= _lower(aliases.customer)
    assert {"provider", "processor", "data importer"} <= _lower(aliases.provider)


def test_ovhcloud_dpa() -> None:
    aliases = _aliases("ovhcloud_dpa.md")
    assert "Client" in aliases.customer
    # The file names the provider "OVH" (it never writes "OVHcloud").
    assert aliases.provider_name == "OVH" and "OVH" in aliases.provider
    assert "Processor" in aliases.provider and "Controller" in aliases.customer


def test_commonpaper_csa() -> None:
    aliases = _aliases("commonpaper_csa.md")
    assert "Customer" in aliases.customer and "Provider" in aliases.provider
    assert "you" not in aliases.customer and "we" not in aliases.provider


@pytest.mark.parametrize(
    ("name", "provider"),
    [
        ("bitwarden_terms_of_service.md", "Bitwarden"),
        ("jottacloud_terms_and_conditions.md", "Jottacloud"),
        ("betterstack_terms_of_use.md", "Better Stack"),
    ],
)
def test_you_we_agreements(name: str, provider: str) -> None:
    aliases = _aliases(name)
    assert {"you", "your"} <= _lower(aliases.customer)
    assert {"we", "us"} <= _lower(aliases.provider)
    assert aliases.provider_name == provider


@pytest.mark.parametrize(
    ("name", "provider"),
    [
        ("github_dpa.md", "GitHub"),
        ("cloudant_terms_of_service.md", "IBM"),
        ("wpengine_data_privacy_addendum.md", "WP Engine"),
        ("logfire_dpa.md", "PSI"),
    ],
)
def test_provider_names(name: str, provider: str) -> None:
    assert _aliases(name).provider_name == provider
