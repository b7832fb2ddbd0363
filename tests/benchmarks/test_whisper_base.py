"""Whisper base, the judge compared against tiny.en: joined from the halves its packages ship."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.whisper_base import whisper_base_dir
from voice_rehab.listen.judge import WhisperJudge
from voice_rehab.listen.voices import espeak

pytestmark = pytest.mark.audio


def test_the_halves_are_joined_once_and_whisper_base_hears_a_command(tmp_path: Path) -> None:
    folder = whisper_base_dir(tmp_path)
    model = folder / "model.bin"
    joined_at = model.stat().st_mtime_ns
    assert whisper_base_dir(tmp_path) == folder and model.stat().st_mtime_ns == joined_at  # not joined again
    assert not list(folder.glob("*.partial"))
    judge = WhisperJudge(folder, threads=1)
    heard = judge.hear(np.concatenate([np.zeros(8000, np.float32), espeak("stop", "en-us")]), "pause, stop, next.")
    assert heard.text.strip(" .!").lower() == "stop"


def test_a_half_joined_model_is_joined_again(tmp_path: Path) -> None:
    folder = whisper_base_dir(tmp_path)
    whole = (folder / "model.bin").stat().st_size
    with (folder / "model.bin").open("r+b") as torn:
        torn.truncate(whole // 2)
    assert (whisper_base_dir(tmp_path) / "model.bin").stat().st_size == whole
