"""`voice-rehab recognize`, the microphone thread, and `voice-rehab check`."""

from __future__ import annotations

import json
import threading
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tests.fakes import ArraySource
from tests.listening import utterance
from voice_rehab.cli.main import main
from voice_rehab.core.events import Answer, Heard, Hearing
from voice_rehab.core.phrases import phrases_for
from voice_rehab.io.clock import MonotonicInbox
from voice_rehab.listen.audio import CHUNK, noise_floor, read_wav, resample
from voice_rehab.listen.ducking import DUCK_GAIN, Ducking
from voice_rehab.listen.engines import choose
from voice_rehab.listen.frontend import Cleaned, PassThrough, WebRtcFrontEnd
from voice_rehab.listen.listener import CommandListener
from voice_rehab.listen.microphone import MicrophoneInput, ReferenceTap
from voice_rehab.listen.recognizers import PocketSphinxRecognizer
from voice_rehab.listen.voices import espeak, flite

# real speech through real recognisers: the audio tier (CI runs it; `pytest -m audio`)
pytestmark = pytest.mark.audio


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000, channels: int = 1) -> None:
    data = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    if channels == 2:
        data = np.repeat(data[:, None], 2, axis=1).reshape(-1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())


def test_recognize_prints_each_decision_as_json(tmp_path: Path) -> None:
    audio = np.concatenate([utterance(flite("pause", "slt")), utterance(flite("that hurts", "slt"))])
    path = tmp_path / "two.wav"
    write_wav(path, audio)
    result = CliRunner().invoke(main, ["recognize", str(path), "--json", "--engine", "pocketsphinx"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["command"] for r in records] == ["pause", "hurts"]
    assert all({"command", "t", "heard", "confidence"} <= set(r) for r in records)
    assert records[0]["t"] < records[1]["t"]


def test_recognize_converts_rate_and_channels(tmp_path: Path) -> None:
    import soxr

    audio = soxr.resample(utterance(flite("stop", "slt")), 16000, 44100)
    path = tmp_path / "stereo44k.wav"
    write_wav(path, audio, rate=44100, channels=2)
    result = CliRunner().invoke(main, ["recognize", str(path), "--json"])
    assert [json.loads(line)["command"] for line in result.output.splitlines() if line.startswith("{")] == ["stop"]


def test_recognize_korean_with_the_packaged_vosk_model(tmp_path: Path) -> None:
    path = tmp_path / "ko.wav"
    write_wav(path, utterance(espeak("멈춰", "ko", 150)))
    result = CliRunner().invoke(main, ["recognize", str(path), "--language", "ko", "--engine", "vosk", "--json"])
    [record] = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert record["command"] == "pause" and record["heard"] == "멈춰"  # confidence: only at utterance end


def test_recognize_rejects_a_file_that_is_not_a_wav(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("hello")
    result = CliRunner().invoke(main, ["recognize", str(path)])
    assert result.exit_code == 1 and "not an audio file this program can read (format not recognised)" in result.output
    assert "Traceback" not in result.output


def test_the_microphone_thread_turns_decisions_into_events() -> None:
    inbox = MonotonicInbox()
    choice = choose("pocketsphinx", phrases_for("en"))
    audio = np.concatenate([utterance(flite("that hurts", "slt")), utterance(flite("seven", "slt"))])
    mic = MicrophoneInput(ArraySource(audio[: len(audio) // 2]), choice.listener, inbox)
    mic.start()
    mic.source.close()
    halt = inbox.wait(inbox.now() + 5)  # the fast stage halts at once; the judge then decides
    assert isinstance(halt, Heard) and halt.command.value == "halt" and halt.source == "voice"
    event = inbox.wait(inbox.now() + 5)
    assert isinstance(event, Heard) and event.command.value == "hurts" and event.source == "voice"
    mic.expect("severity")
    mic.source = ArraySource(audio[len(audio) // 2 :])
    mic.source.start(mic._chunks.put)
    mic.source.close()
    answer = inbox.wait(inbox.now() + 5)
    assert isinstance(answer, Answer) and answer.text == "7"
    mic.close()


def _english_listener() -> CommandListener:
    return CommandListener(PocketSphinxRecognizer(), phrases_for("en"), WebRtcFrontEnd())


def test_a_microphone_gone_quiet_is_told_once_and_so_is_its_return() -> None:
    """A real microphone sends a chunk every 20 ms; when they stop (unplugged), the session is told,
    because the person can no longer say "that hurts"."""
    inbox = MonotonicInbox()
    mic = MicrophoneInput(ArraySource(noise_floor(CHUNK * 10)), _english_listener(), inbox, no_sound_timeout=0.3)
    mic.start()
    lost = inbox.wait(inbox.now() + 10)
    assert isinstance(lost, Hearing) and not lost.ok and lost.reason == "the microphone stopped sending sound"
    mic.source = ArraySource(noise_floor(CHUNK * 10))  # plugged in again
    mic.source.start(mic._chunks.put)
    back = inbox.wait(inbox.now() + 10)
    assert isinstance(back, Hearing) and back.ok
    mic.close()


def test_a_microphone_that_goes_quiet_while_the_player_is_lowered_gives_it_its_full_voice_back() -> None:
    """Otherwise "I can no longer hear you" would be said at a tenth of the player's voice."""
    ducking = Ducking()
    assert ducking.update(True, True) == DUCK_GAIN  # the person was speaking over the player
    inbox = MonotonicInbox()
    mic = MicrophoneInput(
        ArraySource(np.zeros(0, np.float32)), _english_listener(), inbox, ducking=ducking, no_sound_timeout=0.1
    )
    mic.start()
    lost = inbox.wait(inbox.now() + 10)
    assert isinstance(lost, Hearing) and not lost.ok and ducking.gain == 1.0
    mic.close()


class _SlowToOpen(ArraySource):
    """A device that takes 1.5 s to deliver its first chunk (some audio servers do)."""

    def start(self, on_chunk) -> None:  # type: ignore[no-untyped-def]
        opened = threading.Timer(1.5, lambda: ArraySource.start(self, on_chunk))
        opened.start()
        self._opening = opened

    def close(self) -> None:
        self._opening.join()
        super().close()


def test_a_microphone_slow_to_open_is_not_taken_for_one_gone_quiet() -> None:
    inbox = MonotonicInbox()
    mic = MicrophoneInput(_SlowToOpen(noise_floor(CHUNK * 10)), _english_listener(), inbox, no_sound_timeout=1.0)
    mic.start()
    mic.close()  # after its chunks, and before it could be silent for 1 s after them
    assert inbox.wait(inbox.now()) is None  # no "stopped sending sound": the first chunk had 3 s


class _BrokenFrontEnd(PassThrough):
    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> Cleaned:
        raise RuntimeError("the audio processing module refused the frame")


def test_a_listener_that_fails_is_told_once_and_the_microphone_is_only_drained() -> None:
    inbox = MonotonicInbox()
    listener = CommandListener(PocketSphinxRecognizer(), phrases_for("en"), _BrokenFrontEnd())
    mic = MicrophoneInput(ArraySource(noise_floor(CHUNK * 50)), listener, inbox)
    mic.start()
    mic.close()
    lost = inbox.wait(inbox.now() + 10)
    assert isinstance(lost, Hearing) and not lost.ok
    assert lost.reason == "the listener failed (RuntimeError: the audio processing module refused the frame)"
    assert inbox.wait(inbox.now() + 0.2) is None  # told once, though every chunk failed alike


def test_the_reference_tap_hands_over_what_was_played() -> None:
    tap = ReferenceTap()
    tap.played(np.full(22050, 1000, dtype=np.int16), 22050, "Halfway.")
    ref, text = tap.take(CHUNK)
    assert ref is not None and len(ref) == CHUNK and text == "Halfway."
    tap.cut()
    assert tap.take(CHUNK) == (None, "")


def test_check_reports_each_piece_with_a_fix() -> None:
    result = CliRunner().invoke(main, ["check", "--listen-seconds", "0"])
    assert "[ok] speech synthesis" in result.output
    assert "recogniser (en)" in result.output and "recogniser (ko): vosk" in result.output
    for line in result.output.splitlines():
        if line.startswith("[--]"):
            following = result.output.split(line, 1)[1].splitlines()[1]
            assert following.strip().startswith("fix:")


@pytest.mark.parametrize("subtype, fmt", [("PCM_24", "WAV"), ("FLOAT", "WAV"), ("PCM_16", "FLAC")])
def test_recognize_reads_24_bit_float_and_flac_files(tmp_path: Path, subtype: str, fmt: str) -> None:
    import soundfile

    path = tmp_path / f"stop.{fmt.lower()}"
    soundfile.write(str(path), utterance(flite("stop", "slt")), 16000, subtype=subtype, format=fmt)
    result = CliRunner().invoke(main, ["recognize", str(path), "--json"])
    assert [json.loads(line)["command"] for line in result.output.splitlines() if line.startswith("{")] == ["stop"]


def test_a_file_that_starts_and_ends_with_speech_still_decides(tmp_path: Path) -> None:
    """The segmenter never saw the end of the word: the end of the input ends the utterance."""
    path = tmp_path / "bare.wav"
    write_wav(path, espeak("pause", "en-us", 160))  # no silence before or after it
    result = CliRunner().invoke(main, ["recognize", str(path), "--json"])
    assert [json.loads(line)["command"] for line in result.output.splitlines() if line.startswith("{")] == ["pause"]


@pytest.mark.parametrize(
    "expect, said, key",
    [
        ("severity", "seven", "7"),
        ("pain_type", "sharp", "sharp"),
        ("yes_no", "no", "no"),
        ("end_check", "stop", "yes"),  # "Shall I end the session?": the stop said again
        ("end_check", "ouch my back", "hurts"),  # the judge writes "I'll to my back": pain, when asked
        ("hurt_check", "ouch my back", "yes"),
        ("hurt_check", "stop", "stop"),  # "Does something hurt?": a stop still ends
    ],
)
def test_recognize_listens_for_the_answers_of_a_question(tmp_path: Path, expect: str, said: str, key: str) -> None:
    path = tmp_path / "answer.wav"
    write_wav(path, utterance(flite(said, "slt")))
    result = CliRunner().invoke(main, ["recognize", str(path), "--json", "--expect", expect])
    [record] = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert record["command"] == key and record["kind"] == "answer"


class _NoDevice:
    def __init__(self) -> None:
        from voice_rehab.listen.microphone import MicrophoneUnavailable

        raise MicrophoneUnavailable("no input device")


class _NoSpeakers:
    def __init__(self) -> None:
        from voice_rehab.speech.output import OutputUnavailable

        raise OutputUnavailable("no output device")


class _SilentMicrophone:
    """A sound card's microphone that hears a quiet room (no sound card exists on these machines)."""

    def start(self, on_chunk) -> None:  # type: ignore[no-untyped-def]
        on_chunk(np.zeros(320, np.float32))

    def close(self) -> None:
        pass


def test_check_exits_1_and_names_what_a_spoken_session_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("voice_rehab.speech.output.SoundDeviceOutput", _NoSpeakers)
    monkeypatch.setattr("voice_rehab.listen.microphone.SoundDeviceSource", _NoDevice)
    result = CliRunner().invoke(main, ["check", "--listen-seconds", "0"])
    assert result.exit_code == 1
    assert "Missing for a spoken session: speakers, microphone." in result.output


def test_check_exits_0_when_every_part_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("voice_rehab.speech.output.SoundDeviceOutput", lambda: None)
    monkeypatch.setattr("voice_rehab.listen.microphone.SoundDeviceSource", _SilentMicrophone)
    result = CliRunner().invoke(main, ["check", "--listen-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert "Everything a spoken session needs is here." in result.output


def test_reading_in_blocks_decides_as_reading_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long file is read and resampled block by block (bounded memory); the decisions are those
    of the whole file streamed at once."""
    from voice_rehab.listen.audio import audio_blocks
    from voice_rehab.listen.stream import decide_blocks, decide_stream

    said = resample(utterance(flite("stop", "slt")), 16000, 48000)
    speech = np.concatenate([np.zeros(24000, np.float32), said, np.zeros(24000, np.float32)])
    path = tmp_path / "stop.wav"
    import soundfile

    soundfile.write(str(path), np.tile(speech, 3), 48000)  # resampled too, in blocks
    monkeypatch.setattr("voice_rehab.listen.audio.BLOCK_SECONDS", 1.37)  # blocks that end mid-chunk
    assert len(list(audio_blocks(path))) > 5
    listeners = [choose("auto", phrases_for("en")).listener for _ in range(2)]
    assert listeners[0] is not None and listeners[1] is not None
    whole = [(d.value, d.t) for d in decide_stream(listeners[0], read_wav(path))]
    blocked = [(d.value, d.t) for d in decide_blocks(listeners[1], audio_blocks(path))]
    assert blocked == whole and [v for v, _ in whole].count("stop") == 3


@pytest.mark.parametrize(
    "header, message",
    [((1, 1), "claims 1 Hz"), ((16000, 0), "not an audio file")],
    ids=["1 Hz", "no channels"],
)
def test_an_absurd_header_is_refused_before_reading(tmp_path: Path, header: tuple[int, int], message: str) -> None:
    """A 192 KB file claiming 1 Hz had grown past 2 GB as it was resampled."""
    import struct

    rate, channels = header
    data = b"\x00\x01" * 96_000
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * max(channels, 1) * 2, max(channels, 1) * 2, 16)
    wav = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
    path = tmp_path / "absurd.wav"
    path.write_bytes(wav + b"data" + struct.pack("<I", len(data)) + data)
    result = CliRunner().invoke(main, ["recognize", str(path)])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_a_command_among_a_few_other_words_and_a_real_person_counting_aloud(tmp_path: Path) -> None:
    """The whole chain: "all right, next" is next; a real person's "three" said while commands are
    listened for decides nothing (Speech Commands, CC-BY-4.0)."""
    from benchmarks.real_people import load, read_clips

    path = tmp_path / "next.wav"
    write_wav(path, utterance(espeak("all right, next", "en-us", 160)))
    result = CliRunner().invoke(main, ["recognize", str(path), "--json"])
    assert [json.loads(line)["command"] for line in result.output.splitlines() if line.startswith("{")] == ["next"]
    three = next(c for c in read_clips() if c.word == "three" and c.split == "held-out")
    write_wav(path, utterance(load(three)))
    result = CliRunner().invoke(main, ["recognize", str(path), "--json"])
    assert [line for line in result.output.splitlines() if line.startswith("{")] == []
