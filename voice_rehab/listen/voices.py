"""Speech synthesised for the listener: a person's voice in the virtual room, corpora, tests."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np

from voice_rehab.listen.audio import RATE, resample


class VoiceUnavailable(RuntimeError):
    """The synthesiser for a voice is not installed."""


def espeak(text: str, voice: str = "en-us", rate: int = 160, pitch: int | None = None) -> np.ndarray:
    """`text` spoken by espeak-ng's `voice` (variants such as en-us+f3 allowed), at 16 kHz."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise VoiceUnavailable("espeak-ng is not installed: sudo apt-get install espeak-ng")
    args = [exe, "-v", voice, "-s", str(rate), "--stdout"]
    if pitch is not None:
        args += ["-p", str(pitch)]
    return _run(args + [text])


def flite(text: str, voice: str = "slt", rate: float = 1.0) -> np.ndarray:
    """`text` spoken by flite's `voice`; rate > 1 speaks faster."""
    exe = shutil.which("flite")
    if exe is None:
        raise VoiceUnavailable("flite is not installed: sudo apt-get install flite")
    args = [exe, "-voice", voice, "--setf", f"duration_stretch={1 / rate:.3f}", "-t", text, "-o", "/dev/stdout"]
    return _run(args)


def _run(args: list[str]) -> np.ndarray:
    result = subprocess.run(args, capture_output=True, check=False)
    if result.returncode != 0 or not result.stdout:
        raise VoiceUnavailable(f"{args[0]} failed: {result.stderr.decode(errors='replace').strip()}")
    with wave.open(io.BytesIO(result.stdout), "rb") as wav:
        rate = wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    data = np.frombuffer(frames, dtype=np.int16).astype(np.float32) / 32768.0
    return resample(data, rate, RATE)
