"""The layers' "never" rules (ARCHITECTURE.md), read from every import in the product's code.

Imports inside functions and under TYPE_CHECKING count too: a lazy import is still a
dependency. Each rule names the modules it covers and what they must never import.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

# What a front end may use: the facade and the public types, settings, errors and renderers.
FRONT_END_API = (
    "assistant.facade",
    "assistant.types",
    "assistant.errors",
    "assistant.settings",
    "assistant.rendering",
    # A stateless helper: front ends keep their own small files (a bot's channel scopes) safely.
    "assistant.atomic_files",
)


@dataclass(frozen=True)
class Rule:
    name: str
    covers: tuple[str, ...]  # module prefixes the rule applies to
    never: tuple[str, ...] = ()  # module prefixes they must not import
    only: tuple[str, ...] | None = None  # of assistant.* and ingest.*, just these
    exempt: tuple[str, ...] = ()  # modules the rule leaves out, each with its reason below


RULES = (
    Rule(
        "ingest is the bottom layer: files in, agreements out, nothing of the question side",
        covers=("ingest",),
        never=("assistant", "eval", "benchmarks", "app", "chromadb", "torch",
               "sentence_transformers", "transformers", "langchain", "langchain_core",
               "streamlit", "slack_bolt", "slack_sdk"),
    ),
    Rule(
        "nothing in assistant imports eval (nor its plotting)",
        covers=("assistant",),
        never=("eval", "benchmarks", "app", "matplotlib"),
    ),
    Rule(
        "answering never imports the index or the file side's loaders",
        covers=("assistant.answering",),
        never=("assistant.index", "assistant.facade", "assistant.cli", "ingest.loaders",
               "ingest.reading", "ingest.files", "chromadb"),
    ),
    Rule(
        "the index never imports answering (nor question reading: it gets the lexical query)",
        covers=("assistant.index",),
        never=("assistant.answering", "assistant.questions", "assistant.facade", "assistant.cli"),
    ),
    Rule(
        "question reading is vocabulary only",
        covers=("assistant.questions",),
        never=("assistant.index", "assistant.answering", "assistant.facade", "chromadb"),
    ),
    Rule(
        "front ends see the facade and the public types only",
        covers=("assistant.cli", "eval", "benchmarks"),
        only=FRONT_END_API,
        # The PDF fidelity benchmark measures the PDF reader itself against pypdf, page by
        # page with the furniture it removed: no facade call exposes that. Training the
        # learned judge (and its heads' benchmark) must compute exactly the features the
        # answerer computes, so it uses the answering modules that define them.
        exempt=("benchmarks.pdf_fidelity", "benchmarks.judge_heads", "eval.train_judge"),
    ),
    Rule(
        "the chat (app.py and its pages) sees the facade, the public types and its own widgets",
        covers=("app", "assistant.web"),
        only=(*FRONT_END_API, "assistant.web"),
    ),
    Rule(
        "the Slack bot sees the facade, the public types and its own modules",
        covers=("assistant.slack",),
        only=(*FRONT_END_API, "assistant.slack"),
    ),
)


def _modules() -> dict[str, Path]:
    found = {"app": REPO / "app.py"}
    for package in ("assistant", "ingest", "eval", "benchmarks"):
        for path in sorted((REPO / package).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path) -> set[str]:
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
            # "from assistant import facade" imports the submodule assistant.facade
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = _modules()
IMPORTS = {module: _imports(module, path) for module, path in MODULES.items()}


def _breaches(rule: Rule) -> list[str]:
    found = []
    for module, names in sorted(IMPORTS.items()):
        if not _within(module, rule.covers) or module in rule.exempt:
            continue
        for name in sorted(names):
            if _within(name, rule.never) or (
                rule.only is not None
                and _within(name, ("assistant", "ingest"))
                and not _within(name, rule.only)
                and name not in ("assistant", "ingest")
                and not any(p.startswith(name + ".") for p in rule.only)
            ):
                found.append(f"{module} imports {name}")
    return found


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_layer_rule_holds(rule: Rule) -> None:
    assert not _breaches(rule), f"{rule.name}:\n" + "\n".join(_breaches(rule))


def test_the_rules_read_real_imports() -> None:
    """The checker sees what it must: a rule over a module known to import chromadb breaks."""
    assert "chromadb" in IMPORTS["assistant.index.store"]
    assert "ingest.loaders.base" in IMPORTS["ingest.loaders.docx"]  # a relative import
    probe = Rule("probe", covers=("assistant.index.store",), never=("chromadb",))
    assert "assistant.index.store imports chromadb" in _breaches(probe)
    probe = Rule("probe", covers=("eval.runner",), only=("assistant.types",))
    assert "eval.runner imports assistant.facade" in _breaches(probe)


def test_asking_from_the_command_line_loads_no_evaluation_code() -> None:
    """`agreements ask` imports the CLI module; eval, matplotlib, Slack's libraries and
    Streamlit must stay out of it."""
    probe = (
        "import sys, assistant.cli; print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'eval', 'matplotlib', 'slack_bolt', 'slack_sdk', 'streamlit'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
