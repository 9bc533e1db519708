"""Reading obligation language through an agreement's party aliases."""

from __future__ import annotations

import pytest

from assistant.answering.obligations import Obligation, read_obligations
from assistant.questions.parties import is_rights_question, party_asked
from assistant.types import Party
from ingest.types import PartyAliases

ROLES = PartyAliases(customer=["Customer", "Client"], provider=["Provider", "Nimbus"])
PRONOUNS = PartyAliases(customer=["you", "your", "Customer"], provider=["we", "us", "our"])

C, P = Party.CUSTOMER, Party.PROVIDER


def _summary(sentence: str, aliases: PartyAliases = ROLES) -> list[tuple[Party | None, str]]:
    return [(o.party, o.kind) for o in read_obligations(sentence, aliases)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Customer shall keep its administrator credentials confidential.", [(C, "duty")]),
        ("The Client must configure the firewall rules of its instances.", [(C, "duty")]),
        ("Nimbus will apply operating system patches monthly.", [(P, "duty")]),
        ("Customer agrees to maintain current contact details.", [(C, "duty")]),
        ("Provider is responsible for the physical security of its data centres.",
         [(P, "duty")]),
        ("The Client is solely responsible for exporting its files before termination.",
         [(C, "duty")]),
        ("Provider undertakes to restore service within four hours.", [(P, "duty")]),
        ("Nimbus commits to retaining audit logs for one year.", [(P, "duty")]),
        ("Customer is required to enable two-factor authentication.", [(C, "duty")]),
        ("Provider is obliged to inform Customer of any planned maintenance.", [(P, "duty")]),
        ("Provider ensures that staff receive annual security training.", [(P, "duty")]),
        ("Securing end-user devices is Customer's responsibility.", [(C, "duty")]),
        ("Monitoring of the network is the responsibility of Provider.", [(P, "duty")]),
        ("Nimbus maintains redundant copies of the control plane.", [(P, "duty")]),
    ],
)
def test_duties_attach_to_their_subject(
    sentence: str, expected: list[tuple[Party | None, str]]
) -> None:
    assert _summary(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("Customer shall not resell access to the platform.", C),
        ("The Client will not attempt to probe the network for weaknesses.", C),
        ("Provider must not disclose Client files to third parties.", P),
        ("Customer may not reverse engineer the agent software.", C),
        ("Customer agrees not to upload malicious code.", C),
        ("Client is prohibited from sharing login credentials.", C),
    ],
)
def test_prohibitions(sentence: str, party: Party) -> None:
    assert _summary(sentence) == [(party, "prohibition")]


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("Provider may suspend the account if invoices remain unpaid.", P),
        ("Customer is entitled to request a copy of the audit report.", C),
        ("Nimbus reserves the right to throttle excessive traffic.", P),
        ("The Client can terminate for convenience on 30 days' notice.", C),
        ("Provider has the right to remove content that breaks the policy.", P),
    ],
)
def test_rights(sentence: str, party: Party) -> None:
    assert _summary(sentence) == [(party, "right")]


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("Provider is not responsible for any loss of Client files.", P),
        ("Nimbus shall not be liable for outages caused by the Client's code.", P),
        ("Provider does not back up workloads running on dedicated servers.", P),
        ("Provider has no obligation to review content uploaded by users.", P),
        ("Nimbus disclaims all warranties regarding third-party plugins.", P),
        ("Provider makes no warranty that the platform will be error-free.", P),
        ("Provider is not required to retain logs beyond 30 days.", P),
        ("In no event will Nimbus be liable for lost profits.", P),
    ],
)
def test_disclaimers(sentence: str, party: Party) -> None:
    assert _summary(sentence) == [(party, "disclaimer")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Each party shall comply with applicable export control laws.",
        "Both parties will keep the terms of this agreement confidential.",
        "The parties shall cooperate on any regulatory inquiry.",
        "Customer and Provider shall each appoint a security contact.",
    ],
)
def test_mutual_duties(sentence: str) -> None:
    obs = read_obligations(sentence, ROLES)
    assert len(obs) == 1
    assert obs[0].mutual is True
    assert obs[0].party is None
    assert obs[0].kind == "duty"


def test_passive_with_agent_goes_to_the_agent() -> None:
    assert _summary("Snapshots are taken every night by Provider.") == [(P, "duty")]
    assert _summary("Client data will be deleted by Nimbus after 30 days.") == [(P, "duty")]


def test_agentless_passive_is_a_weak_provider_statement() -> None:
    obs = read_obligations("Stored volumes are encrypted at rest.", ROLES)
    assert [(o.party, o.kind) for o in obs] == [(P, "duty")]
    assert obs[0].strength < 0.5


def test_object_is_not_subject() -> None:
    assert _summary("Provider will notify Customer of any incident.") == [(P, "duty")]
    assert _summary("Provider will give Client notice before a change.") == [(P, "duty")]


def test_defined_terms_are_not_parties() -> None:
    # "Customer Data" is a thing, not the customer; the sentence has no party subject.
    assert _summary("Customer Data shall remain in the selected region.") == []


def test_possessive_in_prepositional_phrase_is_not_subject() -> None:
    got = _summary("Upon Customer's written request, Provider will return all files.")
    assert got == [(P, "duty")]


def test_conditional_subject_does_not_steal_main_clause() -> None:
    obs = read_obligations("If Customer fails to pay, Provider may suspend the service.", ROLES)
    assert [(o.party, o.kind) for o in obs] == [(P, "right")]


def test_two_parties_in_one_sentence_with_scopes() -> None:
    sentence = "Provider will patch the hypervisor, and Customer will patch guest systems."
    obs = read_obligations(sentence, ROLES)
    assert [(o.party, o.kind) for o in obs] == [(P, "duty"), (C, "duty")]
    first, second = obs
    assert "hypervisor" in sentence[first.scope[0]: first.scope[1]]
    assert "guest" not in sentence[first.scope[0]: first.scope[1]]
    assert "guest" in sentence[second.scope[0]: second.scope[1]]


def test_subject_with_companions() -> None:
    assert _summary("Customer and its Users must keep passwords secret.") == [(C, "duty")]
    assert _summary("Provider and its Sub-processors shall encrypt backups.") == [(P, "duty")]


def test_disclaimer_and_duty_in_one_sentence() -> None:
    got = _summary(
        "Provider is not responsible for restoring lost files, which is the Client's sole "
        "responsibility."
    )
    assert got == [(P, "disclaimer"), (C, "duty")]


def test_pronoun_aliases() -> None:
    assert _summary("You acknowledge that we do not back up your content.", PRONOUNS) == [
        (P, "disclaimer")
    ]
    assert _summary("It is your responsibility to rotate API keys.", PRONOUNS) == [(C, "duty")]
    assert _summary("We will notify you of any breach.", PRONOUNS) == [(P, "duty")]
    assert _summary("You must not share your account.", PRONOUNS) == [(C, "prohibition")]


def test_you_and_we_only_when_they_are_aliases() -> None:
    assert _summary("We will notify you of any breach.", ROLES) == []


def test_alias_matching_is_case_insensitive_on_word_boundaries() -> None:
    assert _summary("the client shall renew certificates.") == [(C, "duty")]
    # "Clientele" and "Providers" are other words, not the parties.
    assert _summary("Providers of services to Clientele must register.") == []


def test_chained_modals_count_once() -> None:
    got = _summary("Customer will not (and will not allow anyone else to) scan the network.")
    assert got == [(C, "prohibition")]


def test_no_obligation_language() -> None:
    assert _summary("This agreement starts on the effective date.") == []
    assert read_obligations("", ROLES) == []


def test_trigger_span_points_at_trigger_words() -> None:
    sentence = "Customer shall rotate keys."
    ob: Obligation = read_obligations(sentence, ROLES)[0]
    assert sentence[ob.span[0]: ob.span[1]] == "shall"
    assert 0 < ob.strength <= 1


def test_empty_aliases_fall_back_to_role_words() -> None:
    assert _summary("Customer shall rotate keys.", PartyAliases()) == [(C, "duty")]


@pytest.mark.parametrize(
    ("question", "party"),
    [
        ("Is the provider on the hook for OS patches?", P),
        ("Do we have to keep our own backups?", C),
        ("Does the vendor owe us technical help?", P),
        ("Are we allowed to run penetration tests?", C),
        ("Is Nimbus obliged to encrypt our data?", P),
        ("Must we notify the vendor of a suspected compromise?", C),
        ("Who handles backups?", None),
        ("Whose job is it to train staff?", None),
        ("Does the vendor back up our data, or do we keep our own copies?", None),
    ],
)
def test_party_asked(question: str, party: Party | None) -> None:
    assert party_asked(question, ["Nimbus"]) == party


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Can the provider suspend us?", True),
        ("May we audit them?", True),
        ("Are we allowed to scrape the site?", True),
        ("Is it okay to upload health records?", True),
        ("If invoices are late, can the vendor cut off access?", True),
        ("Who handles backups?", False),
        ("Does the vendor have to encrypt our data?", False),
    ],
)
def test_is_rights_question(question: str, expected: bool) -> None:
    assert is_rights_question(question) is expected


def test_cannot_review_is_a_disclaimer_not_a_prohibition() -> None:
    aliases = PartyAliases(customer=["you"], provider=["we", "Acme"])
    obligations = read_obligations(
        "Acme has not reviewed, and cannot review, the material posted by users.", aliases
    )
    assert obligations and all(o.kind == "disclaimer" for o in obligations)
    assert obligations[0].party is Party.PROVIDER
