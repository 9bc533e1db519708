"""The `agreements` command, run as a user runs it: a real process, a real home folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

AGREEMENT = """# Skyward Platform Terms

These terms are between Skyward Systems Inc. ("Skyward", "we", "us") and you ("you", "your").

## 4. Backups
4.1 We do not back up the applications or databases you deploy. You are solely responsible for making and testing your own backups of Your Content.

## 5. Patching
5.1 We will patch the operating system and runtime of the platform within 14 days of a security fix being released.
"""


def agreements_cli() -> list[str]:
    exe = Path(sys.executable).with_name("agreements")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant.cli"]


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AGREEMENTS_HOME": str(home)}
    return subprocess.run(
        [*agreements_cli(), *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.e2e
def test_ingest_list_ask_remove(tmp_path: Path) -> None:
    home = tmp_path / "home"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "skyward.md").write_text(AGREEMENT, encoding="utf-8")
    (docs / "notes.xyz").write_text("not an agreement", encoding="utf-8")
    (docs / "empty.txt").write_text("   \n", encoding="utf-8")

    ingested = run(home, "ingest", str(docs), str(docs / "notes.xyz"))
    assert ingested.returncode == 1, ingested.stderr
    assert "notes.xyz" in ingested.stderr and "unsupported" in ingested.stderr.lower()
    assert "empty.txt" in ingested.stderr
    assert "Traceback" not in ingested.stderr
    assert "1 added" in ingested.stdout

    listed = run(home, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [row["name"] for row in json.loads(listed.stdout)] == ["skyward"]

    asked = run(home, "ask", "Who is responsible for backups?", "--agreement", "skyward", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert set(answer) >= {"question", "verdict", "answer", "confidence", "citations"}
    assert answer["verdict"] == "customer"
    quote = answer["citations"][0]
    assert set(quote) >= {"agreement", "section", "page", "quote"}
    assert quote["agreement"] == "skyward" and quote["section"] == "4.1"
    assert "solely responsible for making and testing your own backups" in quote["quote"]

    patched = run(home, "ask", "Is the provider on the hook for OS patches?", "--json")
    assert json.loads(patched.stdout)["verdict"] == "provider"

    unknown = run(home, "ask", "Who handles backups?", "--agreement", "nope")
    assert unknown.returncode == 2
    assert "nope" in unknown.stderr and "Traceback" not in unknown.stderr

    assert run(home, "remove", "skyward").returncode == 0
    assert json.loads(run(home, "list", "--json").stdout) == []
    missing = run(home, "remove", "skyward")
    assert missing.returncode == 2 and "skyward" in missing.stderr


@pytest.mark.e2e
def test_ovhcloud_backups_answer_quotes_the_clause(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is absent ({CORPUS})")
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "ovhcloud_dpa.md", docs)
    home = tmp_path / "home"
    assert run(home, "ingest", str(docs)).returncode == 0
    asked = run(home, "ask", "Who handles backups?", "--agreement", "ovhcloud_dpa", "--json")
    answer = json.loads(asked.stdout)
    assert answer["verdict"] == "customer"
    quotes = [c["quote"] for c in answer["citations"]]
    assert any(
        "The Client is solely responsible for ensuring that the necessary operations (such as backup"
        in q
        for q in quotes
    ), quotes
    assert answer["citations"][0]["section"]


def test_an_error_line_keeps_a_long_path_whole(tmp_path: Path) -> None:
    """Rich wraps at 80 columns when stderr is not a terminal; an error must not break the
    file's name across lines."""
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "nested"
    deep.mkdir(parents=True)
    (deep / "empty.txt").write_text("  \n", encoding="utf-8")
    failed = run(tmp_path / "home", "ingest", str(deep / "empty.txt"))
    assert failed.returncode == 1
    error = next(line for line in failed.stderr.splitlines() if line.startswith("error"))
    assert str(deep / "empty.txt") in error


@pytest.mark.e2e
def test_files_with_one_name_never_replace_each_other(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    for folder in ("vendorA", "vendorB"):
        (docs / folder).mkdir(parents=True)
        text = AGREEMENT.replace("Skyward", folder.capitalize())
        (docs / folder / "terms.md").write_text(text, encoding="utf-8")
    (docs / "terms.txt").write_text(AGREEMENT.replace("Skyward", "Rootco"), encoding="utf-8")
    first = run(home, "ingest", str(docs))
    assert first.returncode == 0, first.stderr
    assert "3 added" in first.stdout
    assert "named 'vendorA-terms'" in first.stderr or "named 'vendorB-terms'" in first.stderr
    listed = {row["name"]: row for row in json.loads(run(home, "list", "--json").stdout)}
    assert sorted(listed) == ["terms", "vendorA-terms", "vendorB-terms"]
    again = run(home, "ingest", str(docs))  # names are stable: nothing is re-read
    assert "3 unchanged" in again.stdout, again.stdout + again.stderr
    # An explicit name is the one way to replace another file's agreement.
    replaced = run(home, "ingest", str(docs / "vendorA" / "terms.md"), "--name", "terms")
    assert "1 updated" in replaced.stdout, replaced.stdout + replaced.stderr


@pytest.mark.e2e
def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = run(tmp_path / "home", "ingest", str(tmp_path / "empty"))
    assert done.returncode == 1
    assert "no agreement files found in" in done.stderr and str(tmp_path / "empty") in done.stderr


@pytest.mark.e2e
def test_a_newline_in_a_file_name_keeps_the_listing_one_line_per_agreement(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    docs.mkdir()
    (docs / "odd\nname.md").write_text(AGREEMENT, encoding="utf-8")
    assert run(home, "ingest", str(docs)).returncode == 0
    listed = run(home, "list").stdout.strip().splitlines()
    assert len(listed) == 1 and listed[0].startswith("odd\\nname "), listed
