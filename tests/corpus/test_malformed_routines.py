"""Every file of the malformed-routine corpus (`routines/`, crafted as a careful tester or a shared
file gone wrong would have it) through the commands that read routines: one line naming the file
and what is wrong, exit 1, at once, and nothing written."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_rehab.cli.main import main

CORPUS = Path(__file__).with_name("routines")
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(CORPUS.glob("*.yaml"))


def test_the_corpus_and_its_expectations_list_the_same_files() -> None:
    assert {f.name for f in FILES} == set(EXPECTED)


@pytest.mark.parametrize("command", ["validate", "simulate", "render"])
@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_a_malformed_routine_is_refused_in_one_line_naming_the_file(path: Path, command: str, tmp_path: Path) -> None:
    out = tmp_path / "routine.wav"
    args = [command, str(path)] + (["-o", str(out)] if command == "render" else [])
    started = time.monotonic()
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    took = time.monotonic() - started
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert errors and all(str(path) in line for line in errors), result.output
    assert EXPECTED[path.name] in result.output
    assert "Traceback" not in result.output
    assert took < 10  # the alias bomb and the huge numbers had run for minutes
    assert not out.exists()
