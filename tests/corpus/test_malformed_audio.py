"""Crafted audio files (`audio/`: odd byte counts, impossible headers, chunks that lie about their
length, not audio at all) through `recognize`: what can be read is heard, what cannot is refused in
one line naming the file, never a traceback, and in bounded time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_rehab.cli.main import main

CORPUS = Path(__file__).with_name("audio")
# file -> what `recognize` says (None: it reads the file, exit 0)
EXPECTED: dict[str, str | None] = {
    "odd-byte-count.wav": None,  # the stray last byte is no sample
    "stereo-odd-sample-count.wav": None,
    "data-longer-than-file.wav": None,  # read up to where the file ends
    "claims-1-hz.wav": "claims 1 Hz",  # had grown past 2 GB as it was resampled
    "rate-zero.wav": "not an audio file this program can read",
    "no-channels.wav": "not an audio file this program can read",
    "lying-list-chunk.wav": "not an audio file this program can read",
    "truncated-header.wav": "not an audio file this program can read",
    "empty.wav": "not an audio file this program can read",
    "text-not-audio.wav": "not an audio file this program can read",
}


def test_the_corpus_and_its_expectations_list_the_same_files() -> None:
    assert {p.name for p in CORPUS.glob("*.wav")} == set(EXPECTED)


@pytest.mark.audio
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_crafted_audio_file_is_heard_or_refused_in_one_line(name: str) -> None:
    path = CORPUS / name
    started = time.monotonic()
    result = CliRunner().invoke(main, ["recognize", str(path)], catch_exceptions=False)
    assert time.monotonic() - started < 60
    assert "Traceback" not in result.output
    message = EXPECTED[name]
    if message is None:
        assert result.exit_code == 0, result.output
        assert not [
            line for line in result.output.splitlines() if line and not line.startswith("#")
        ]  # a tone says nothing
    else:
        assert result.exit_code == 1 and message in result.output and str(path) in result.output, result.output
