"""Real people: Speech Commands v0.02 clips (Pete Warden, Google; CC-BY-4.0) in the rooms a person
on a mat is in, and what a listener decides on each.

Speakers are split once, by a hash of their id, into a tuning part (thresholds and prompts may be
chosen on it) and a held-out part (reported, never tuned on). A clip is heard in a condition:
quiet, 10 dB of noise (pink, babble of other people's speech, or a fan, music, a kitchen, a street:
`room_noise.py`), a reverberant room (the person lying 1-3 m from a laptop, simulated with
pyroomacoustics), or a quiet room with the person speaking softly or loudly.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.room_noise import SOUNDS
from voice_rehab.core.events import Command
from voice_rehab.listen.audio import RATE, active_rms, noise_floor, pink_noise, read_wav, speech_bounds


def _speech_commands() -> Path:
    """The clips: $VOICE_REHAB_SPEECH_COMMANDS, else the shared data beside this checkout."""
    found = os.environ.get("VOICE_REHAB_SPEECH_COMMANDS")
    beside = [Path(__file__).resolve().parents[1].parent, Path("/work")]
    candidates = ([Path(found)] if found else []) + [b / "shared" / "data" / "speech-commands" for b in beside]
    return next((c for c in candidates if (c / "manifest.jsonl").is_file()), candidates[0])


DATA = _speech_commands()
LEVEL = 0.05  # speech RMS while speaking (about -26 dBFS), as the synthetic corpus
HELD_OUT_SHARE = 0.4
DIGITS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
          "six": "6", "seven": "7", "eight": "8", "nine": "9"}  # fmt: skip
CONDITIONS = ("quiet", "pink 10 dB", "babble 10 dB", "reverb")  # the four every benchmark reports
# More rooms (`room_noise.py`), and a person speaking softly or loudly in a quiet one
MORE_ROOMS = ("fan 10 dB", "music 10 dB", "kitchen 10 dB", "street 10 dB", "soft voice", "loud voice")
ALL_CONDITIONS = CONDITIONS + MORE_ROOMS
NOISY = ("pink 10 dB", "babble 10 dB", "fan 10 dB", "music 10 dB", "kitchen 10 dB", "street 10 dB")
# A soft voice is 12 dB under the speech level (about -38 dBFS: a person speaking quietly across
# the room), a loud one 10 dB over it (about -16 dBFS; its peaks clip, as a sound card's would).
VOICE_GAIN_DB = {"soft voice": -12.0, "loud voice": 10.0}
NOISE_LEAD = 2.5  # seconds of a noisy room before each clip
# ... and after it: a noisy room does not fall silent when the person has spoken, so what the
# listener has not decided by then (an utterance the noise holds open) is not decided in time
NOISE_TAIL = 2.5
COMMAND_LIKE = {"go", "on", "off", "up", "down", "left", "right"}  # said to devices; kept out of babble
NOT_ACTED = {Command.HALT.value, Command.RELEASE.value}  # a halt released is no decision


@dataclass(frozen=True)
class Clip:
    file: str
    word: str
    speaker: str

    @property
    def split(self) -> str:
        return split_of(self.speaker)


def split_of(speaker: str) -> str:
    """ "held-out" or "tune", fixed by the speaker's id (the same speaker is never in both)."""
    share = int(hashlib.sha256(speaker.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "held-out" if share < HELD_OUT_SHARE else "tune"


def read_clips(data: Path = DATA) -> list[Clip]:
    lines = (data / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [Clip(r["file"], r["word"], r["speaker"]) for r in map(json.loads, lines) if r]


def task_of(word: str) -> str | None:
    """What a clip of `word` measures: "stop" (a command), "yes_no" and "severity" (answers), or
    "distractor" (a word that is no command: nothing may act)."""
    if word == "stop":
        return "stop"
    if word in ("yes", "no"):
        return "yes_no"
    if word in DIGITS:
        return "severity"
    return "distractor"


def expected_of(clip: Clip) -> str | None:
    """The decision that is right for the clip (None: nothing may act)."""
    task = task_of(clip.word)
    return {"stop": "stop", "yes_no": clip.word, "severity": DIGITS.get(clip.word)}.get(task or "")


def listens_for(task: str) -> str:
    """What the player listens for while the clip is said."""
    return {"yes_no": "yes_no", "severity": "severity"}.get(task, "commands")


def at_level(samples: np.ndarray) -> np.ndarray:
    return (samples * (LEVEL / max(active_rms(samples), 1e-6))).astype(np.float32)


def room_impulse(seed: int) -> np.ndarray:
    """A room's impulse response from a person lying on the floor 1-3 m from a laptop on a table:
    a living room 4-6 x 3-5 x 2.5-2.8 m, RT60 0.3-0.6 s."""
    import pyroomacoustics as pra  # benchmark-only dependency (needs scipy)

    rng = np.random.default_rng(seed)
    size = [rng.uniform(4, 6), rng.uniform(3, 5), rng.uniform(2.5, 2.8)]
    absorption, order = pra.inverse_sabine(rng.uniform(0.3, 0.6), size)
    room = pra.ShoeBox(size, fs=RATE, materials=pra.Material(absorption), max_order=min(order, 12))
    laptop = np.array([0.8, size[1] / 2, 0.75])
    distance = rng.uniform(1.0, 3.0)
    angle = rng.uniform(-0.6, 0.6)
    mouth = laptop + [distance * np.cos(angle), distance * np.sin(angle), 0.0]
    mouth[2] = 0.25  # lying on a mat
    mouth[:2] = np.clip(mouth[:2], 0.3, np.array(size[:2]) - 0.3)
    room.add_source(mouth.tolist())
    room.add_microphone(laptop.tolist())
    room.compute_rir()
    return np.asarray(room.rir[0][0], dtype=np.float32)


def babble_voices(clips: list[Clip]) -> list[Clip]:
    """The clips babble is made of: tuning speakers saying words that are neither commands nor
    answers (babble of "stop" and "yes" would be a command said in the room, not noise)."""
    return [c for c in clips if c.split == "tune" and task_of(c.word) == "distractor" and c.word not in COMMAND_LIKE]


def babble(length: int, voices: list[np.ndarray], seed: int, talkers: int = 12) -> np.ndarray:
    """Unit-RMS babble: `talkers` other people talking at once, each saying one word after another
    (a different clip each time, with the pauses people leave), never a loop of one clip: a
    one-second clip tiled is a sound that repeats every second, which no room makes and which a
    recogniser hears as the same words over and over."""
    rng = np.random.default_rng(seed)
    words = [_speech_of(v) for v in voices]
    mix = np.zeros(length, np.float32)
    for _ in range(talkers):
        at = -int(rng.integers(RATE))  # each talker is mid-sentence when the recording starts
        while at < length:
            word = words[rng.integers(len(words))] * np.float32(10 ** (rng.uniform(-3, 3) / 20))
            part = word[max(-at, 0) : max(length - at, 0)]
            mix[max(at, 0) : max(at, 0) + len(part)] += part
            at += len(word) + int(rng.uniform(0.05, 0.4) * RATE)
    return (mix / max(float(np.sqrt(np.mean(mix**2))), 1e-9)).astype(np.float32)


def _speech_of(clip: np.ndarray) -> np.ndarray:
    """The spoken part of a one-second clip, at the speech level."""
    start, end = speech_bounds(clip, threshold_db=-35.0)
    spoken = clip[int(start * RATE) : int(end * RATE)] if end > start else clip
    return at_level(spoken)


def in_condition(samples: np.ndarray, condition: str, seed: int, talkers: list[np.ndarray] | None = None) -> np.ndarray:
    """The clip as the laptop hears it in `condition`, with the room before and after it (as a
    person speaks in a room, not at the start of a file)."""
    speech = at_level(samples)
    if condition == "reverb":
        speech = np.convolve(speech, room_impulse(seed))[: len(speech) + RATE // 2].astype(np.float32)
        speech = at_level(speech)
    speech = speech * np.float32(10 ** (VOICE_GAIN_DB.get(condition, 0.0) / 20))
    # In noise, the room has been noisy for a while before anyone speaks (the front end and the
    # segmenter have learnt it): 2.5 s of it before the clip and after it, half a second elsewhere.
    before = np.zeros(int((NOISE_LEAD if condition in NOISY else 0.5) * RATE), np.float32)
    after = np.zeros(int((NOISE_TAIL if condition in NOISY else 0.5) * RATE), np.float32)
    heard = np.concatenate([before, speech, after])
    heard = heard + noise_floor(len(heard), seed=seed)
    if condition in NOISY:
        heard = heard + noise_of(condition.split()[0], len(heard), seed, talkers) * (LEVEL / 10 ** (10 / 20))
    return (np.clip(heard, -1.0, 1.0) if condition in VOICE_GAIN_DB else heard).astype(np.float32)


def noise_of(kind: str, length: int, seed: int, talkers: list[np.ndarray] | None = None) -> np.ndarray:
    """Unit-RMS noise of a room: "pink", "babble" (of `talkers`) or one of `room_noise.SOUNDS`."""
    if kind == "pink":
        return pink_noise(length, seed=seed)
    if kind == "babble":
        return babble(length, talkers or [], seed)
    return SOUNDS[kind](length, seed)


def final_decision(decided: Iterable[str]) -> str | None:
    """What the person got: the last decision that is not a halt or its release."""
    acted = [d for d in decided if d not in NOT_ACTED]
    return acted[-1] if acted else None


def load(clip: Clip, data: Path = DATA) -> np.ndarray:
    return read_wav(data / clip.file)
