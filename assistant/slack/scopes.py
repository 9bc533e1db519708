"""Which agreements each channel asks about, kept under AGREEMENTS_HOME/slack."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from assistant.atomic_files import write_atomically

logger = logging.getLogger(__name__)


class ChannelScopes:
    """channel id -> agreement names; an absent channel asks about all of them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def get(self, channel: str) -> list[str]:
        return list(self._read().get(channel, []))

    def set(self, channel: str, agreements: list[str]) -> None:
        with self._lock:
            scopes = self._read()
            if agreements:
                scopes[channel] = agreements
            else:
                scopes.pop(channel, None)
            self._write(scopes)

    def _read(self) -> dict[str, list[str]]:
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            logger.warning("channel scopes %s cannot be read (%s); using none", self.path, exc)
            return {}
        return {str(k): [str(n) for n in v] for k, v in loaded.items() if isinstance(v, list)}

    def _write(self, scopes: dict[str, list[str]]) -> None:
        write_atomically(self.path, json.dumps(scopes, indent=1, sort_keys=True))
