"""A whole routine as one audio file: every cue at its time, silence for holds and rests."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_rehab.core.events import Say
from voice_rehab.core.phrases import Phrases
from voice_rehab.core.plan import Plan
from voice_rehab.sim.simulation import run_virtual
from voice_rehab.speech.synth import Synthesizer

DEFAULT_RATE = 22050  # espeak-ng's, for a session with nothing to say


def scripted_cues(plan: Plan, phrases: Phrases) -> list[tuple[float, str]]:
    """(time, text) of every cue of an uninterrupted session, from the real engine."""
    _, timeline = run_virtual(plan, phrases)
    return [(t, effect.text) for t, effect in timeline if isinstance(effect, Say)]


SILENCE_BLOCK = 1 << 16  # samples of silence written at a time


@dataclass
class Rendering:
    """What a rendering wrote: its rate, its length, and the most any cue had to be moved later
    because the one before it ran long."""

    rate: int = DEFAULT_RATE
    samples: int = 0
    drift: float = 0.0


def rendered_pieces(plan: Plan, phrases: Phrases, synth: Synthesizer, into: Rendering) -> Iterator[np.ndarray]:
    """The session as 16-bit pieces in order (silence, a cue, silence...): each cue at its time, or
    right after the one before if that ran long. One cue is held at a time, so memory does not grow
    with the length of the routine; `into` learns the rate first and the totals as it goes."""
    end = 0
    for t, text in scripted_cues(plan, phrases):
        samples, rate = synth.synthesize(text)
        if end == 0:
            into.rate = rate
        start = max(int(round(t * into.rate)), end)
        into.drift = max(into.drift, (start - t * into.rate) / into.rate)
        yield from _silence(start - end)
        yield samples.astype(np.int16)
        end = start + len(samples)
        into.samples = end
    total = max(end, int(round(plan.duration * into.rate)))
    yield from _silence(total - end)
    into.samples = total


def _silence(count: int) -> Iterator[np.ndarray]:
    while count > 0:
        n = min(count, SILENCE_BLOCK)
        yield np.zeros(n, dtype=np.int16)
        count -= n


def render_session(plan: Plan, phrases: Phrases, synth: Synthesizer) -> tuple[np.ndarray, int, float]:
    """(samples, rate, drift) of the whole session in memory (`rendered_pieces`, joined)."""
    rendering = Rendering()
    pieces = list(rendered_pieces(plan, phrases, synth, rendering))
    out = np.concatenate(pieces) if pieces else np.zeros(0, np.int16)
    return out, rendering.rate, rendering.drift


def render_to_wav(path: Path, plan: Plan, phrases: Phrases, synth: Synthesizer) -> Rendering:
    """Write the session to `path` as mono 16-bit PCM piece by piece (bounded memory), via a
    temporary file so a failed write leaves nothing half-done."""
    rendering = Rendering()
    pieces = rendered_pieces(plan, phrases, synth, rendering)
    first = next(pieces, None)  # the first cue sets the rate the header needs
    tmp = path.with_name(path.name + ".part")
    try:
        with wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rendering.rate)
            for piece in [first] if first is not None else []:
                wav.writeframes(piece.tobytes())
            for piece in pieces:
                wav.writeframes(piece.tobytes())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return rendering


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write mono 16-bit PCM, via a temporary file so a failed write leaves nothing half-done."""
    tmp = path.with_name(path.name + ".part")
    with wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.astype(np.int16).tobytes())
    tmp.replace(path)
