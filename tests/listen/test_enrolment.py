"""Enrolment: the person's own takes are kept whole and teach the listener their voice."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.listening import utterance
from voice_rehab.cli.main import main
from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import CHUNK, write_wav16
from voice_rehab.listen.enrolment import (
    TALK,
    VoiceProfile,
    cut_utterance,
    enrolment_dir,
    prompts,
    read_takes,
    save_take,
)
from voice_rehab.listen.policy import Utterance, decide
from voice_rehab.listen.verifier import CommandVerifier
from voice_rehab.listen.voices import espeak


def chunks_of(samples: np.ndarray) -> list[np.ndarray]:
    return [samples[i : i + CHUNK] for i in range(0, len(samples) - CHUNK + 1, CHUNK)]


def test_each_command_is_asked_three_times_then_the_talk() -> None:
    asked = prompts(phrases_for("en"), ["My back feels stiff."])
    assert asked[:3] == [("pause", "pause")] * 3
    assert ("that hurts", "hurts") in asked and asked[-1] == ("My back feels stiff.", TALK)


def test_the_first_utterance_is_cut_out_of_the_stream() -> None:
    said = espeak("stop", "en-us")
    stream = utterance(said, before=1.0, after=1.0)
    cut = cut_utterance(chunks_of(stream))
    assert cut is not None and len(said) <= len(cut) < len(stream) - 0.5 * 16000
    assert cut_utterance(chunks_of(utterance(np.zeros(0, np.float32)))) is None  # nobody spoke


def test_each_take_is_saved_whole_and_named_in_the_manifest(tmp_path: Path) -> None:
    takes = save_take(tmp_path, [], "stop", "stop", espeak("stop", "en-us"))
    takes = save_take(tmp_path, takes, "My back is stiff.", TALK, espeak("My back is stiff", "en-us"))
    assert read_takes(tmp_path) == takes
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == ["stop-01.wav", "talk-02.wav"]
    assert json.loads((tmp_path / "manifest.json").read_text())["version"] == 1
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


@pytest.mark.audio
def test_a_profile_knows_the_persons_command_and_not_their_talk(tmp_path: Path) -> None:
    voice = "en-gb-x-rp+m3"
    takes: list = []
    for rate in (150, 170):
        takes = save_take(tmp_path, takes, "stop", "stop", utterance(espeak("stop", voice, rate), 0.3, 0.3))
    for sentence in ("My back is stiff", "One two three four"):
        takes = save_take(tmp_path, takes, sentence, TALK, utterance(espeak(sentence, voice), 0.3, 0.3))
    profile = VoiceProfile.from_takes(tmp_path, takes, CommandVerifier.for_language("en").standardised)
    assert profile.match(utterance(espeak("stop", voice, 160), 0.3, 0.3)).command == "stop"
    assert profile.match(utterance(espeak("dog", voice, 160), 0.3, 0.3)).command is None


def test_the_enrolled_voice_decides_where_the_judge_could_not() -> None:
    unplaced = Utterance("commands", None, False, None, "stuff", 0.1, -0.9, False, False, False, enrolled="stop")
    assert decide(unplaced).value == "stop"
    placed = Utterance("commands", None, False, "next", "next", 0.1, -0.1, False, False, False, enrolled="stop")
    assert decide(placed).value == "next"  # the judge's words come first


@pytest.mark.audio
def test_enroll_from_a_folder_then_recognize_as_that_person(tmp_path: Path) -> None:
    folder = tmp_path / "takes"
    folder.mkdir()
    for n, rate in enumerate((150, 170), 1):
        write_wav16(folder / f"stop-{n}.wav", utterance(espeak("stop", "en-us+m3", rate), 0.3, 0.3))
    write_wav16(folder / "talk-1.wav", utterance(espeak("my back is stiff", "en-us+m3"), 0.3, 0.3))
    result = CliRunner().invoke(main, ["enroll", "--from-folder", str(folder)])
    assert result.exit_code == 0, result.output
    assert len(read_takes(enrolment_dir("en"))) == 3
    said = tmp_path / "said.wav"
    write_wav16(said, utterance(espeak("stop", "en-us+m3", 160)))
    heard = CliRunner().invoke(main, ["recognize", str(said), "--enrolled", "--json"])
    assert "knows your voice (enrolled: stop)" in heard.output
    assert [json.loads(line)["command"] for line in heard.output.splitlines() if line.startswith("{")] == ["stop"]


def test_enroll_refuses_files_it_cannot_place(tmp_path: Path) -> None:
    (tmp_path / "hello-1.wav").write_bytes(b"")
    result = CliRunner().invoke(main, ["enroll", "--from-folder", str(tmp_path)])
    assert result.exit_code == 1 and "must start with one of" in result.output
