"""The Bolt app: mentions and direct messages answered in their thread, `/agreements`, files.

Bolt checks every request's signature and its five-minute timestamp window before a listener
runs, and acknowledges events at once, running the listener after; so the bot posts "looking
it up" and then updates that message with the answer. Slack retries an event it thinks was
lost (`X-Slack-Retry-Num`) under the same event id: seen ids are answered once. Question and
contract text go to the log at DEBUG only.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
import urllib.parse
import urllib.request
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.settings import SlackSettings
from assistant.slack.blocks import (
    answer_blocks,
    answer_fallback,
    escape_mrkdwn,
    ingest_text,
    matrix_text,
)
from assistant.slack.scopes import ChannelScopes
from assistant.types import FileResult

logger = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SEEN_EVENTS = 2048  # event ids remembered for retries (Slack retries within minutes)
_DOWNLOAD_TIMEOUT = 60
_MAX_DOWNLOAD = 100 * 1024 * 1024
LOOKING = ":mag: Looking it up…"
DRAFT_INTERVAL = 1.5  # seconds between updates of a drafted answer
HELP = (
    "`/agreements list`: the agreements and this channel's scope\n"
    "`/agreements use NAME...`: ask about these agreements here (`use all` for every one)\n"
    "`/agreements matrix NAME`: who holds each duty in that agreement"
)


class _SeenEvents:
    """The last few thousand event ids, so a retried delivery is acknowledged, not answered."""

    def __init__(self, size: int = _SEEN_EVENTS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def thread_conversation_id(channel: str, thread_ts: str) -> str:
    """A thread's conversation id: stable across restarts, the store's 32-hex form."""
    return hashlib.md5(f"slack:{channel}:{thread_ts}".encode(), usedforsecurity=False).hexdigest()


def build_app(assistant: AgreementAssistant, slack: SlackSettings) -> App:
    if slack.bot_token is None or slack.signing_secret is None:
        raise AgreementsError("set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to run the Slack bot")
    token = slack.bot_token.get_secret_value()
    client = WebClient(token=token, base_url=slack.api_url)
    app = App(
        client=client,
        signing_secret=slack.signing_secret.get_secret_value(),
        logger=logging.getLogger("assistant.slack.bolt"),
    )
    scopes = ChannelScopes(assistant.settings.home_dir / "slack" / "channels.json")
    seen = _SeenEvents()

    @app.middleware
    def answer_each_event_once(body: dict[str, Any], next: Callable[[], BoltResponse]) -> Any:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not seen.first_time(event_id):
            logger.info("event %s delivered again; already answered", event_id)
            return BoltResponse(status=200, body="")
        return next()

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        _handle_message(assistant, scopes, client, token, event)

    @app.event("message")
    def on_message(event: dict[str, Any], client: WebClient) -> None:
        # Direct messages only; channel messages reach the bot as mentions. Edits, joins and
        # bot posts carry a subtype and are not questions.
        if event.get("channel_type") == "im" and not event.get("subtype") \
                and not event.get("bot_id"):
            _handle_message(assistant, scopes, client, token, event)

    @app.command("/agreements")
    def on_command(ack: Callable[..., None], command: dict[str, Any],
                   respond: Callable[..., None]) -> None:
        words = str(command.get("text", "")).split()
        channel = str(command.get("channel_id", ""))
        verb, names = (words[0].lower(), words[1:]) if words else ("help", [])
        if verb == "matrix" and names:
            ack(f"Answering every topic for {' '.join(names)}…")
            try:
                respond(f"```{matrix_text(assistant.matrix(names))}```")
            except AgreementsError as exc:
                respond(f":warning: {exc}")
            return
        ack(_command_reply(assistant, scopes, channel, verb, names))

    return app


def _command_reply(
    assistant: AgreementAssistant, scopes: ChannelScopes, channel: str, verb: str,
    names: list[str],
) -> str:
    known = [a.name for a in assistant.agreements()]
    if verb == "list":
        scope = scopes.get(channel)
        listed = "\n".join(f"• {name}" for name in known) or "none yet"
        here = ", ".join(scope) if scope else "all of them"
        return f"Agreements:\n{listed}\nThis channel asks about: {here}"
    if verb == "use" and names:
        if [n.lower() for n in names] == ["all"]:
            scopes.set(channel, [])
            return "This channel now asks about every agreement."
        unknown = [n for n in names if n not in known]
        if unknown:
            return f":warning: not in the index: {', '.join(unknown)} (known: {', '.join(known)})"
        scopes.set(channel, list(dict.fromkeys(names)))
        return f"This channel now asks about: {', '.join(names)}"
    return HELP


def _handle_message(
    assistant: AgreementAssistant,
    scopes: ChannelScopes,
    client: WebClient,
    token: str,
    event: dict[str, Any],
) -> None:
    channel = str(event["channel"])
    thread = str(event.get("thread_ts") or event["ts"])
    question = _MENTION.sub("", str(event.get("text", ""))).strip()
    logger.debug("question in %s: %s", channel, question)
    try:
        for shared in event.get("files") or []:
            result = _ingest_file(assistant, client, token, shared)
            client.chat_postMessage(channel=channel, thread_ts=thread, text=ingest_text(result))
        if not question:
            if not event.get("files"):
                client.chat_postMessage(channel=channel, thread_ts=thread,
                                        text="Ask me who holds a duty, e.g. “Who handles backups?”")
            return
        placeholder = client.chat_postMessage(channel=channel, thread_ts=thread, text=LOOKING)
        _answer(assistant, scopes, client, channel, thread, str(placeholder["ts"]), question)
    except Exception as exc:
        # Never silence: the thread gets one short line, the log the traceback.
        logger.exception("could not answer in %s", channel)
        message = str(exc) if isinstance(exc, AgreementsError) else "something went wrong"
        client.chat_postMessage(channel=channel, thread_ts=thread,
                                text=f":warning: I could not answer: {message}")


def _answer(
    assistant: AgreementAssistant, scopes: ChannelScopes, client: WebClient, channel: str,
    thread: str, placeholder_ts: str, question: str,
) -> None:
    conversation = assistant.conversations.open(thread_conversation_id(channel, thread))
    draft = DraftUpdates(client, channel, placeholder_ts)
    conversation = assistant.ask_in(conversation, question, scopes.get(channel), on_text=draft)
    turn = conversation.turns[-1]
    if turn.answer is None:
        client.chat_update(channel=channel, ts=placeholder_ts,
                           text=f":warning: I could not answer: {turn.error}")
        return
    client.chat_update(
        channel=channel,
        ts=placeholder_ts,
        text=answer_fallback(turn.answer),
        blocks=answer_blocks(turn.answer, turn.asked),
    )


class DraftUpdates:
    """Shows a model's answer in the placeholder message as it is written, at most one
    `chat.update` per `interval` seconds (Slack rate-limits updates to about one a second
    per channel); the final answer replaces the draft whatever was last shown."""

    def __init__(
        self, client: WebClient, channel: str, ts: str, interval: float = DRAFT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client, self._channel, self._ts = client, channel, ts
        self._interval, self._clock = interval, clock
        self._last: float | None = None

    def __call__(self, text: str) -> None:
        now = self._clock()
        if self._last is not None and now - self._last < self._interval:
            return
        self._last = now
        try:
            self._client.chat_update(channel=self._channel, ts=self._ts,
                                     text=f"{escape_mrkdwn(text)} :writing_hand:")
        except SlackApiError as error:  # a draft is a courtesy: the final update still comes
            logger.warning("draft update failed: %s", error.response.get("error"))


def _slack_host(url: str, api_url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    api_host = urllib.parse.urlsplit(api_url).hostname or ""
    return host == api_host or host.endswith((".slack.com", ".slack-edge.com"))


def _ingest_file(
    assistant: AgreementAssistant, client: WebClient, token: str, shared: dict[str, Any]
) -> FileResult:
    api_url = client.base_url
    info = client.files_info(file=str(shared["id"]))["file"]
    name = str(info.get("name") or shared.get("name") or "shared-file")
    url = str(info.get("url_private_download") or info.get("url_private"))
    # Slack serves private files only with the bot token, so the token goes only to Slack's
    # own hosts (or the configured Web API's host), never to one a message could name.
    if not _slack_host(url, api_url):
        raise AgreementsError(f"{name}: not a Slack file address; not downloaded")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=_DOWNLOAD_TIMEOUT) as reply:
        data = reply.read(_MAX_DOWNLOAD + 1)
    if len(data) > _MAX_DOWNLOAD:
        raise AgreementsError(f"{name}: larger than {_MAX_DOWNLOAD // (1024 * 1024)} MB")
    return assistant.ingest_bytes(name, data)
