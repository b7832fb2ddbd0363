"""A whole routine as one audio file: every cue at its time, silence for holds and rests."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voice_rehab.core.events import Say
from voice_rehab.core.phrases import Phrases
from voice_rehab.core.plan import Plan
from voice_rehab.sim.simulation import run_virtual
from voice_rehab.speech.synth import Synthesizer


def scripted_cues(plan: Plan, phrases: Phrases) -> list[tuple[float, str]]:
    """(time, text) of every cue of an uninterrupted session, from the real engine."""
    _, timeline = run_virtual(plan, phrases)
    return [(t, effect.text) for t, effect in timeline if isinstance(effect, Say)]


def render_session(plan: Plan, phrases: Phrases, synth: Synthesizer) -> tuple[np.ndarray, int, float]:
    """(samples, rate, drift): cues start at their time, or after the previous cue ends.

    `drift` is the most any cue had to be moved later because the one before ran long.
    """
    cues = scripted_cues(plan, phrases)
    rendered = [(t, *synth.synthesize(text)) for t, text in cues]
    rate = rendered[0][2] if rendered else 22050
    placed: list[tuple[int, np.ndarray]] = []
    end, drift = 0, 0.0
    for t, samples, _ in rendered:
        start = max(int(round(t * rate)), end)
        drift = max(drift, (start - t * rate) / rate)
        placed.append((start, samples))
        end = start + len(samples)
    total = max(end, int(round(plan.duration * rate)))
    out = np.zeros(total, dtype=np.int16)
    for start, samples in placed:
        out[start : start + len(samples)] = samples
    return out, rate, drift


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write mono 16-bit PCM, via a temporary file so a failed write leaves nothing half-done."""
    tmp = path.with_name(path.name + ".part")
    with wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype(np.int16).tobytes())
    tmp.replace(path)
