"""A history with every kind of unreadable line in it (`history/bad-lines.jsonl`: deep nesting, a
5,000-digit number, wrong types, NaN and Infinity, lone surrogates, a time without a zone, escape
codes, blank lines) through every command that reads the history: the unreadable lines are set
aside and said so, the sessions around them are read, and the file is left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_rehab.cli.main import main

CORPUS = Path(__file__).with_name("history") / "bad-lines.jsonl"


@pytest.mark.parametrize(
    "args",
    [
        ["history"],
        ["history", "export", "--json"],
        ["history", "show", "a"],
        ["progress", "gentle-mobility"],
        ["resume"],
        ["history", "plot", "-o", "{tmp}/trend.png"],
    ],  # fmt: skip
    ids=["history", "export", "show", "progress", "resume", "plot"],
)
def test_every_command_sets_the_bad_lines_aside_and_reads_the_rest(
    args: list[str], private_data_dir: Path, tmp_path: Path
) -> None:
    private_data_dir.mkdir(parents=True, exist_ok=True)
    history = private_data_dir / "history.jsonl"
    shutil.copy(CORPUS, history)
    result = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args], catch_exceptions=False)
    assert "set aside 12 unreadable line(s)" in result.output
    assert "Traceback" not in result.output and "\x1b" not in result.output
    if args == ["resume"]:  # the last session was completed: nothing to resume, said plainly
        assert result.exit_code == 1 and "cannot resume" in result.output
    else:
        assert result.exit_code == 0, result.output
    if args == ["history"]:
        assert [line.split()[0] for line in result.output.splitlines()[2:]] == ["a", "naive", "b"]
    assert history.read_bytes() == CORPUS.read_bytes()  # nothing the person had is lost or rewritten
