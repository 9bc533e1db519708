"""How the bot meets Slack: Socket Mode with an app token, else the HTTP Events API.

HTTP mode serves Bolt's own WSGI adapter at /slack/events from the standard library's WSGI
server, one thread per request, plus GET /healthz ("ok" once the model is loaded) for
whatever supervises the bot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
StartResponse = Callable[..., Any]


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("http: " + format, *args)


def wsgi_app(app: App) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        result: Iterable[bytes] = bolt(environ, start_response)
        return result

    return application


def make_http_server(app: App, host: str, port: int) -> WSGIServer:
    return make_server(host, port, wsgi_app(app), server_class=_ThreadingWSGIServer,
                       handler_class=_QuietHandler)


def serve_socket_mode(app: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token).start()  # type: ignore[no-untyped-call]
