"""The bot's message parts that need no Slack: Block Kit limits, scopes, credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import AgreementsError
from assistant.settings import Settings, SlackSettings
from assistant.slack.blocks import answer_blocks, answer_fallback
from assistant.slack.bot import DraftUpdates, build_app, thread_conversation_id
from assistant.slack.scopes import ChannelScopes
from assistant.types import Answer, Citation, Verdict


def _answer(quote: str, citations: int = 1) -> Answer:
    return Answer(
        question="Who handles backups?",
        verdict=Verdict.PROVIDER,
        answer="The provider backs up the databases.",
        confidence=0.8,
        citations=[Citation(agreement="acme", section="3.4", page=2, quote=quote,
                            chunk_id=f"c{i}") for i in range(citations)],
    )


def test_blocks_stay_within_slacks_limits() -> None:
    blocks = answer_blocks(_answer("word " * 2000, citations=9), "who backs up?")
    assert len(blocks) <= 50
    for block in blocks:
        texts = [block["text"]["text"]] if "text" in block else [
            e["text"] for e in block.get("elements", [])]
        assert all(len(t) <= 3000 for t in texts)
    assert "acme §3.4, p. 2" in str(blocks)
    assert answer_fallback(_answer("x")).startswith("Provider: ")


def test_contract_text_cannot_ping_a_channel_or_forge_a_link() -> None:
    hostile = "Notify <!channel> and <@U123ABC> at <https://evil.example|your bank> & co."
    answer = _answer(hostile).model_copy(update={"answer": hostile})
    shown = json.dumps(answer_blocks(answer, "who?")) + answer_fallback(answer)
    assert "<!channel>" not in shown and "<@U123ABC>" not in shown and "<https://" not in shown
    assert "&lt;!channel&gt;" in shown and "&amp; co." in shown


class _RecordingClient:
    def __init__(self) -> None:
        self.updates: list[str] = []

    def chat_update(self, **kwargs: str) -> None:
        self.updates.append(kwargs["text"])


def test_drafts_are_throttled_and_escaped() -> None:
    client, now = _RecordingClient(), [0.0]
    draft = DraftUpdates(client, "C1", "1.0", interval=1.5, clock=lambda: now[0])  # type: ignore[arg-type]
    for step, text in enumerate(["The", "The cust", "The customer <!here>", "The customer keeps"]):
        now[0] = step * 1.0
        draft(text)
    # at 0 s and 2 s; 1 s and 3 s fall inside the interval
    assert client.updates == ["The :writing_hand:", "The customer &lt;!here&gt; :writing_hand:"]


def test_scopes_are_kept_and_cleared(tmp_path: Path) -> None:
    scopes = ChannelScopes(tmp_path / "slack" / "channels.json")
    scopes.set("C1", ["acme"])
    assert ChannelScopes(tmp_path / "slack" / "channels.json").get("C1") == ["acme"]
    scopes.set("C1", [])
    assert scopes.get("C1") == []
    (tmp_path / "slack" / "channels.json").write_text("{broken")
    assert scopes.get("C1") == []  # a damaged file means "all", with a warning


def test_thread_ids_are_stable_and_distinct() -> None:
    one = thread_conversation_id("C1", "1.1")
    assert one == thread_conversation_id("C1", "1.1") != thread_conversation_id("C2", "1.1")
    assert len(one) == 32


def test_missing_credentials_are_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    from assistant.facade import AgreementAssistant

    with pytest.raises(AgreementsError, match="SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"):
        build_app(AgreementAssistant(Settings(home=tmp_path)), SlackSettings())


def test_secrets_do_not_show_in_settings_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing-very-secret")
    shown = repr(SlackSettings()) + str(SlackSettings().model_dump())
    assert "very-secret" not in shown


@pytest.mark.parametrize("name", ["manifest.yaml", "manifest-socket-mode.yaml"])
def test_the_manifests_ask_for_what_the_bot_uses(name: str) -> None:
    import yaml

    from tests.conftest import REPO

    manifest = yaml.safe_load((REPO / "slack" / name).read_text())
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == {"app_mention", "message.im"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "files:read", "im:history"} <= scopes
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/agreements"]
    http = name == "manifest.yaml"
    assert manifest["settings"]["socket_mode_enabled"] is not http
    if http:
        assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
