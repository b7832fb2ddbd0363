"""Streaming audio through a listener in 20 ms chunks, as the microphone would deliver it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from voice_rehab.listen.audio import CHUNK, RATE, noise_floor
from voice_rehab.listen.ducking import Ducking
from voice_rehab.listen.listener import CommandListener, Decision

ReferenceAt = Callable[[int], tuple[np.ndarray | None, str]]  # chunk start sample -> (ref, text)


def chunks(samples: np.ndarray) -> list[np.ndarray]:
    padded = np.concatenate([samples, np.zeros((-len(samples)) % CHUNK, dtype=np.float32)])
    return [padded[i : i + CHUNK] for i in range(0, len(padded), CHUNK)]


@dataclass(frozen=True)
class Echo:
    """How the player's audio reaches the microphone: `delay` samples later, times `gain`."""

    delay: int
    gain: float

    def mixed(self, person: np.ndarray, played: np.ndarray) -> np.ndarray:
        """The microphone's signal when nothing is ducked."""
        return person + self.gain * np.concatenate(
            [np.zeros(self.delay, np.float32), played[: len(played) - self.delay]]
        )


def _delayed(played: np.ndarray, start: int, delay: int) -> np.ndarray:
    """One chunk of `played`, `delay` samples late (silence before it began)."""
    a, b = start - delay, start - delay + CHUNK
    part = played[max(a, 0) : max(b, 0)]
    return np.concatenate([np.zeros(CHUNK - len(part), np.float32), part]) if len(part) < CHUNK else part


def decide_stream(
    listener: CommandListener,
    samples: np.ndarray,
    reference: np.ndarray | None = None,
    reference_text: list[tuple[float, float, str]] | None = None,
    echo: Echo | None = None,
    ducking: Ducking | None = None,
    ending: bool = True,
) -> list[Decision]:
    """Every decision the listener makes on `samples` (16 kHz), given the player's own audio.

    `reference_text` lists (start, end, text) of what the player said, in seconds. With `echo`,
    `samples` is the person's audio alone and the player's (`reference`) is mixed in chunk by
    chunk, lowered by `ducking` as the listener hears the person speak over it.
    """
    if ducking is not None and reference is not None:
        reference = reference.copy()  # lowered in place where ducked: what was really played
    decisions: list[Decision] = []
    spans = sorted(reference_text or [])
    upcoming = 0  # spans[upcoming:] have not started yet
    active: list[tuple[float, float, str]] = []
    for index, chunk in enumerate(chunks(samples)):
        start = index * CHUNK
        t_end = (start + CHUNK) / RATE
        ref = None
        if reference is not None:
            if ducking is not None:
                reference[start : start + CHUNK] *= ducking.gain
            ref = reference[start : start + CHUNK]
            if len(ref) < CHUNK:
                ref = np.concatenate([ref, np.zeros(CHUNK - len(ref), dtype=np.float32)])
            if echo is not None:
                chunk = chunk + echo.gain * _delayed(reference, start, echo.delay)
        # one walk through the spans, not a scan of all of them per chunk
        while upcoming < len(spans) and spans[upcoming][0] <= t_end:
            active.append(spans[upcoming])
            upcoming += 1
        active = [span for span in active if span[1] >= t_end - CHUNK / RATE]
        text = " ".join(said for _, _, said in active)
        decisions += listener.feed(chunk, t_end, ref, text)
        if ducking is not None:
            ducking.update(listener.hearing, ref is not None and bool(ref.any()))
    return decisions + (list(_ending(listener, len(samples))) if ending else [])


def _ending(listener: CommandListener, total: int) -> Iterator[Decision]:
    """After `total` samples of audio: let a final utterance end, with a faint floor rather than
    digital silence (which would drag the noise floor far below any real room), then flush."""
    tail = noise_floor(CHUNK * (listener.s.segmenter.hangover_frames + 1), seed=total)
    for extra, chunk in enumerate(chunks(tail)):
        yield from listener.feed(chunk, (total + (extra + 1) * CHUNK) / RATE)
    yield from listener.flush((total + len(tail)) / RATE)


def decide_blocks(listener: CommandListener, blocks: Iterable[np.ndarray]) -> Iterator[Decision]:
    """Every decision on audio that comes in blocks of any length (a long file read piece by
    piece), as it is made: memory does not grow with the length of the audio. The same decisions
    as `decide_stream` on the whole of it."""
    carry = np.zeros(0, np.float32)
    total = 0  # samples of audio so far
    for block in blocks:
        total += len(block)
        data = np.concatenate([carry, block.astype(np.float32)])
        whole = len(data) // CHUNK * CHUNK
        for start in range(0, whole, CHUNK):
            yield from listener.feed(data[start : start + CHUNK], (total - len(data) + start + CHUNK) / RATE)
        carry = data[whole:]
    if len(carry):
        yield from listener.feed(np.concatenate([carry, np.zeros(CHUNK - len(carry), np.float32)]),
                                 (total - len(carry) + CHUNK) / RATE)  # fmt: skip
    yield from _ending(listener, total)
