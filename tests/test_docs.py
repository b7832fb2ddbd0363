"""The command examples in the README and the routine guide run as written, and end as they say."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_rehab.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "ROUTINES.md"]


def examples() -> list[str]:
    """Every `voice-rehab ...` line of a bash block that runs on its own (no device, no network, no
    file of the reader's)."""
    found = []
    for doc in DOCS:
        for block in re.findall(r"```bash\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            for line in block.splitlines():
                command = line.split("#", 1)[0].strip()
                if command.startswith("voice-rehab ") and not re.search(r"\b(play|enroll|models install)\b|~", command):
                    found.append(command)
    return found


def test_the_docs_have_examples_to_run() -> None:
    assert any("simulate" in e for e in examples()) and any(e.startswith("voice-rehab new") for e in examples())


@pytest.mark.audio  # the virtual room's examples synthesise speech and run the real listener
@pytest.mark.parametrize("command", examples())
def test_every_example_runs_and_a_pain_report_that_continues_does_continue(
    command: str, private_data_dir: Path
) -> None:
    result = CliRunner().invoke(main, shlex.split(command)[1:], input="\n" * 5)  # the defaults, if it asks
    assert result.exit_code == 0, (command, result.output[-2000:])
    if "answer:continue" in command or "say:continue" in command:
        report = [line for line in result.output.splitlines() if re.search(r"\bpain_report\b(?!s)", line)]
        assert report and "outcome" in report[-1] and "continue" in report[-1], (command, report)
