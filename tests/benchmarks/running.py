"""Running a benchmark script as a person would: a fresh interpreter, its output as text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def run_script(
    name: str, *args: str | Path, timeout: float = 600, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `scripts/<name>` with `args`; with `check`, a non-zero exit fails the test."""
    return subprocess.run(
        [sys.executable, str(SCRIPTS / name), *map(str, args)],
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
