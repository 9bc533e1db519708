"""The Slack bot over Slack's real HTTP protocol, on loopback.

`agreements slack --port N` runs as its own process (the real facade, model and Chroma). Events
and slash commands are POSTed to it signed as Slack signs them (v0 HMAC-SHA256 over
"v0:timestamp:body"). Its WebClient's base URL points at a stand-in of Slack's Web API, which
records chat.postMessage / chat.update / files.info calls, answers auth.test, takes
slash-command responses and serves a shared file only to the bot token. The one fake is
Slack's servers, at the HTTP boundary.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SAMPLES
from tests.servers import free_port, wait_until_healthy

pytestmark = pytest.mark.e2e

SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
SHARED_PDF = SAMPLES / "harborstack_paas_terms.pdf"
_WAIT = 120.0


@dataclass
class SlackStandIn:
    """Slack's Web API as far as the bot uses it; every call is recorded."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def record(self, method: str, args: dict[str, Any]) -> None:
        with self.lock:
            self.calls.append((method, args))

    def of(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [args for name, args in self.calls if name == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = _WAIT) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        pytest.fail(f"no {count} {method} call(s) within {timeout:.0f} s; calls: {self.calls}")


def _serve_stand_in(stand_in: SlackStandIn) -> ThreadingHTTPServer:
    counter = iter(range(1, 1_000_000))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, status: int, payload: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            if self.path.startswith("/files/"):
                if self.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
                    self._reply(403, b"forbidden", "text/plain")
                    return
                good = self.path == "/files/harborstack_paas_terms.pdf"
                data = SHARED_PDF.read_bytes() if good else b"%PDF-1.7 broken in transit"
                self._reply(200, data, "application/pdf")
                return
            self._reply(404, b"", "text/plain")

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            if "json" in (self.headers.get("Content-Type") or ""):
                args = json.loads(raw or "{}")
            else:
                args = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
            if self.path.startswith("/respond/"):
                stand_in.record("response_url", args)
                self._reply(200, b"ok", "text/plain")
                return
            method = self.path.removeprefix("/api/")
            stand_in.record(method, args)
            body: dict[str, Any] = {"ok": True}
            if method == "auth.test":
                body.update(user_id="UBOT", bot_id="BBOT", team_id="T1", user="agreements")
            elif method == "chat.postMessage":
                body.update(ts=f"1700000000.{next(counter):06d}", channel=args.get("channel"))
            elif method == "chat.update":
                body.update(ts=args.get("ts"), channel=args.get("channel"))
            elif method == "files.info":
                name = "harborstack_paas_terms.pdf" if args.get("file") == "F1" else "broken.pdf"
                body["file"] = {
                    "id": args.get("file"),
                    "name": name,
                    "url_private_download": f"{stand_in.url}/files/{name}",
                }
            self._reply(200, json.dumps(body).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Bot:
    url: str
    home: Path
    stand_in: SlackStandIn
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        port = urllib.parse.urlsplit(self.url).port
        env = dict(
            os.environ,
            AGREEMENTS_HOME=str(self.home),
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            AGREEMENTS_SLACK_API_URL=f"{self.stand_in.url}/api/",
        )
        env.pop("SLACK_APP_TOKEN", None)
        log = (self.home.parent / "bot.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "slack", "--host", "127.0.0.1",
             "--port", str(port)],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        wait_until_healthy(f"{self.url}/healthz", b"ok", self.process,
                           self.home.parent / "bot.log", _WAIT)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def post(self, body: str, content_type: str, timestamp: int | None = None,
             secret: str = SECRET, headers: dict[str, str] | None = None) -> tuple[int, str]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signature = "v0=" + hmac.new(
            secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256
        ).hexdigest()
        request = urllib.request.Request(
            f"{self.url}/slack/events",
            data=body.encode(),
            headers={"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
                     "X-Slack-Signature": signature, **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def event(self, event: dict[str, Any], event_id: str, **kwargs: Any) -> tuple[int, str]:
        envelope = {"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
                    "event_id": event_id, "event_time": int(time.time()), "event": event}
        return self.post(json.dumps(envelope), "application/json", **kwargs)

    def command(self, text: str, channel: str) -> tuple[int, str]:
        form = urllib.parse.urlencode({
            "command": "/agreements", "text": text, "channel_id": channel, "team_id": "T1",
            "user_id": "U1", "response_url": f"{self.stand_in.url}/respond/1",
            "trigger_id": "1.2.3",
        })
        return self.post(form, "application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """One bot for the module (starting one loads the model): tests use their own channels
    and event ids, and the restart test restarts it."""
    stand_in = SlackStandIn()
    server = _serve_stand_in(stand_in)
    home = tmp_path_factory.mktemp("slack") / "home"
    running = Bot(url=f"http://127.0.0.1:{free_port()}", home=home, stand_in=stand_in)
    subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest",
         str(SAMPLES / "tideline_subscription_agreement.md")],
        cwd=REPO, env=dict(os.environ, AGREEMENTS_HOME=str(home)), check=True,
        capture_output=True,
    )
    running.start()
    yield running
    running.stop()
    server.shutdown()


@pytest.fixture()
def bot(running_bot: Bot) -> Bot:
    time.sleep(0.5)  # let a previous test's last call land before the record is cleared
    with running_bot.stand_in.lock:
        running_bot.stand_in.calls.clear()
    return running_bot


def _mention(text: str, ts: str, channel: str = "C1", **extra: Any) -> dict[str, Any]:
    return {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {text}", "ts": ts,
            "channel": channel, "event_ts": ts, **extra}


def _blocks_text(update: dict[str, Any]) -> str:
    blocks = update.get("blocks")
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks or []
    return json.dumps(blocks, ensure_ascii=False)


def test_a_mention_is_answered_in_its_thread_with_the_citation(bot: Bot) -> None:
    status, _ = bot.event(_mention("Who handles backups?", "1700000001.000100", "C1"), "Ev1")
    assert status == 200
    placeholder = bot.stand_in.wait_for("chat.postMessage")[0]
    assert placeholder["thread_ts"] == "1700000001.000100"
    update = bot.stand_in.wait_for("chat.update")[0]
    shown = _blocks_text(update)
    assert update["ts"].startswith("1700000000.")  # the placeholder, updated in place
    assert "Confidence" in shown and "tideline_subscription_agreement" in shown
    assert "§" in shown  # the cited clause's section

    # A follow-up in the thread leans on the thread's question.
    bot.event(_mention("and who restores them?", "1700000001.000200", "C1",
                       thread_ts="1700000001.000100"), "Ev2")
    follow_up = bot.stand_in.wait_for("chat.update", 2)[1]
    assert "who restores backups?" in _blocks_text(follow_up)


def test_bad_signatures_and_stale_timestamps_get_401_and_no_reply(bot: Bot) -> None:
    forged = bot.event(_mention("Who handles backups?", "1700000002.000100", "C2"), "Ev3",
                       secret="not-the-secret")
    stale = bot.event(_mention("Who handles backups?", "1700000002.000200", "C2"), "Ev4",
                      timestamp=int(time.time()) - 6 * 60)
    assert forged[0] == 401 and stale[0] == 401
    time.sleep(2)
    assert bot.stand_in.of("chat.postMessage") == []


def test_a_retried_event_is_answered_once(bot: Bot) -> None:
    event = _mention("Who handles backups?", "1700000003.000100", "C3")
    assert bot.event(event, "Ev5")[0] == 200
    assert bot.event(event, "Ev5", headers={"X-Slack-Retry-Num": "1",
                                            "X-Slack-Retry-Reason": "http_timeout"})[0] == 200
    bot.stand_in.wait_for("chat.update")
    time.sleep(3)
    assert len(bot.stand_in.of("chat.postMessage")) == 1
    assert len(bot.stand_in.of("chat.update")) == 1


def test_a_channel_scope_survives_a_restart(bot: Bot) -> None:
    status, reply = bot.command("use no_such_agreement", "C9")
    assert status == 200 and "not in the index" in reply
    status, reply = bot.command("use tideline_subscription_agreement", "C9")
    assert status == 200 and "now asks about: tideline_subscription_agreement" in reply
    bot.stop()
    bot.start()
    status, reply = bot.command("list", "C9")
    assert "This channel asks about: tideline_subscription_agreement" in reply
    status, reply = bot.command("list", "C10")
    assert "This channel asks about: all of them" in reply


def test_a_shared_pdf_is_downloaded_with_the_token_and_ingested(bot: Bot) -> None:
    event = _mention("", "1700000004.000100", "C4",
                     files=[{"id": "F1", "name": "harborstack_paas_terms.pdf"}])
    assert bot.event(event, "Ev6")[0] == 200
    reply = bot.stand_in.wait_for("chat.postMessage")[0]
    assert "Added *harborstack_paas_terms*" in reply["text"], reply
    assert bot.stand_in.of("files.info")[0]["file"] == "F1"
    _, listing = bot.command("list", "C4")
    assert "harborstack_paas_terms" in listing


def test_a_direct_message_is_answered_and_a_broken_file_is_named(bot: Bot) -> None:
    direct = {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1",
              "text": "Who may suspend the service?", "ts": "1700000005.000100"}
    assert bot.event(direct, "Ev7")[0] == 200
    update = bot.stand_in.wait_for("chat.update")[0]
    assert update["channel"] == "D1" and "Confidence" in _blocks_text(update)
    # The bot's own posts come back as message events with a bot_id: never answered.
    own = {**direct, "bot_id": "BBOT", "ts": "1700000005.000200", "text": "Provider: ..."}
    bot.event(own, "Ev8")

    broken = _mention("", "1700000006.000100", "C5",
                      files=[{"id": "F2", "name": "broken.pdf"}])
    assert bot.event(broken, "Ev9")[0] == 200
    replies = bot.stand_in.wait_for("chat.postMessage", 2)
    failure = next(r for r in replies if r["channel"] == "C5")
    assert failure["thread_ts"] == "1700000006.000100"
    assert ":warning:" in failure["text"] and "broken.pdf" in failure["text"]
    time.sleep(2)
    assert len([r for r in bot.stand_in.of("chat.postMessage") if r["channel"] == "D1"]) == 1


def test_the_matrix_command_answers_through_the_response_url(bot: Bot) -> None:
    status, reply = bot.command("matrix tideline_subscription_agreement", "C11")
    assert status == 200 and "Answering every topic" in reply  # acknowledged at once
    response = bot.stand_in.wait_for("response_url")[0]
    assert "backups:" in response["text"] and "data deletion:" in response["text"]
    bot.command("matrix no_such_agreement", "C11")
    failure = bot.stand_in.wait_for("response_url", 2)[1]
    assert ":warning:" in failure["text"] and "no_such_agreement" in failure["text"]
