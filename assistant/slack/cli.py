"""`agreements slack`, registered through the `agreements.commands` entry point group so the
other commands never load Slack's libraries."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from assistant.facade import AgreementAssistant
from assistant.settings import Settings, SlackSettings
from assistant.slack.bot import build_app
from assistant.slack.server import EVENTS_PATH, make_http_server, serve_socket_mode

err = Console(stderr=True)


def slack(
    port: Annotated[int, typer.Option(help="HTTP mode's port (without SLACK_APP_TOKEN).")] = 3000,
    host: Annotated[str, typer.Option(help="HTTP mode's address to listen on.")] = "0.0.0.0",
) -> None:
    """Run the Slack bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP at /slack/events."""
    slack_settings = SlackSettings()
    assistant = AgreementAssistant(Settings())
    bot = build_app(assistant, slack_settings)
    assistant.embedder  # noqa: B018 (load the model now, not on the first question)
    if slack_settings.app_token is not None:
        err.print("Slack bot connected in Socket Mode (Ctrl-C stops it)")
        serve_socket_mode(bot, slack_settings.app_token.get_secret_value())
        return
    server = make_http_server(bot, host, port)
    err.print(f"Slack bot listening on http://{host}:{server.server_port}{EVENTS_PATH}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def register(app: typer.Typer) -> None:
    app.command()(slack)
