"""Files replaced whole or not at all: written beside the target, then renamed over it.

Everything the product keeps under AGREEMENTS_HOME besides the index (conversations, reviews,
the matrix cache, copies of agreements, channel scopes) is written this way, so a crash or a
full disk mid-write leaves the previous version, never half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
