"""A learnt second judge of commands: is this utterance really the command the grammar heard?

pocketsphinx's closed grammar explains every sound as its nearest phrase and has no score that
tells "pass" from "pause" (measured: docs/BENCHMARKS.md, "What limits it"). This judge hears the
same utterance through Google's speech embedding (`embedding.py`) and a linear head over its
summary, trained by `scripts/train_verifier.py` on the tuning voices alone, with words and
sentences that are never in the benchmark, so its numbers on held-out voices are not flattered.

The head is a small file in the package (`verifier-en.npz`): the classes (the commands and
"other"), how to standardise the summary, the weights, and what it was trained on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from voice_rehab.core.events import Command
from voice_rehab.listen.audio import RATE
from voice_rehab.listen.embedding import MIN_SAMPLES, EmbeddingUnavailable, SpeechEmbedding
from voice_rehab.listen.grammar import SAFETY

OTHER = "other"  # the class of everything that is no command
# "that hurts" heard, which the verifier is all but sure was no halt (but not quite sure): it still
# halts and asks whether something hurts, since on a voice unlike any it learnt the verifier doubts
# real ones (BENCHMARKS.md, "The verifier on voices it never learnt")
DOUBTED_HURTS = Command.MAYBE_HURTS.value
SUMMARY_POINTS = 6  # embeddings taken evenly across the utterance, besides their mean and maximum
# What follows the utterance before it is heard: an embedding sees 0.775 s, and a short word
# cut 120 ms after its end sits at the very edge of the last one (held-out "next" went from
# 0.96 to 0.0 with 0.25 s of tail instead of 0.6 s). The room's own sound is repeated after it.
PAD_SECONDS = 0.5
ROOM_SECONDS = 0.2  # the start of an utterance (the audio kept from before speech): the room
HEADS = Path(__file__).parent


def padded(samples: np.ndarray) -> np.ndarray:
    """The utterance followed by `PAD_SECONDS` of the room: its first `ROOM_SECONDS` (heard
    before speech started) repeated, so a noisy room stays noisy where the utterance ends."""
    room = samples[: int(ROOM_SECONDS * RATE)]
    if not len(room):
        room = np.zeros(int(ROOM_SECONDS * RATE), np.float32)
    need = max(int(PAD_SECONDS * RATE), MIN_SAMPLES - len(samples))
    tail = np.tile(room, need // len(room) + 1)[:need]
    return np.concatenate([samples, tail]).astype(np.float32)


def summary(frames: np.ndarray) -> np.ndarray:
    """A fixed-length description of a variable-length utterance: embeddings at evenly spaced
    points (its course in time), their mean and their maximum."""
    picks = np.round(np.linspace(0, len(frames) - 1, SUMMARY_POINTS)).astype(int)
    return np.concatenate([*frames[picks], frames.mean(axis=0), frames.max(axis=0)]).astype(np.float32)


@dataclass(frozen=True)
class Head:
    """Multinomial logistic regression over the standardised summary."""

    classes: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (classes, features)
    bias: np.ndarray  # (classes,)
    info: dict  # what it was trained on, for the record

    def posteriors(self, features: np.ndarray) -> dict[str, float]:
        logits = self.weights @ ((features - self.mean) / self.scale) + self.bias
        odds = np.exp(logits - logits.max())
        return dict(zip(self.classes, (odds / odds.sum()).tolist()))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            mean=self.mean,
            scale=self.scale,
            weights=self.weights,
            bias=self.bias,
            info=np.array(json.dumps(self.info)),
        )

    @classmethod
    def load(cls, path: Path) -> Head:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                tuple(str(c) for c in data["classes"]),
                data["mean"],
                data["scale"],
                data["weights"],
                data["bias"],
                json.loads(str(data["info"])),
            )


def head_path(language: str) -> Path:
    return HEADS / f"verifier-{language}.npz"


class Verifier(Protocol):
    def posteriors(self, samples: np.ndarray) -> dict[str, float]:
        """How likely each command (and `OTHER`) is to be what these 16 kHz samples say."""


class VerifierUnavailable(RuntimeError):
    """No trained head for the language, or the embedding cannot run; the message says why."""


class CommandVerifier:
    """Posteriors of the commands and "other" for one utterance of 16 kHz audio."""

    def __init__(self, head: Head, embedding: SpeechEmbedding | None = None) -> None:
        self.head = head
        self.embedding = embedding or SpeechEmbedding()

    @classmethod
    def for_language(cls, language: str) -> CommandVerifier:
        path = head_path(language)
        if not path.is_file():
            raise VerifierUnavailable(f"no trained verifier for '{language}' ({path.name})")
        try:
            return cls(Head.load(path))
        except EmbeddingUnavailable as exc:
            raise VerifierUnavailable(str(exc)) from None

    def features(self, samples: np.ndarray) -> np.ndarray:
        return summary(self.embedding.frames(padded(samples)))

    def posteriors(self, samples: np.ndarray) -> dict[str, float]:
        return self.head.posteriors(self.features(samples))

    def standardised(self, samples: np.ndarray) -> np.ndarray:
        """The utterance's summary on the head's scale (each feature as the head weighs it)."""
        return (self.features(samples) - self.head.mean) / self.head.scale


@dataclass(frozen=True)
class Thresholds:
    """When the verifier lets a command act, chosen on the tuning voices' streams (BENCHMARKS.md)."""

    # The safety commands act unless the verifier is all but sure that no halt was said: a "that
    # hurts" heard as "pause" must still halt. Everything else must convince it a little.
    safety: float = 0.05
    other: float = 0.3
    # Speech the grammar made no command of (or one the verifier rejected) acts on the verifier
    # alone when it is sure: "next" heard as "wait", "ouch" as "two". "resume", "next", "repeat":
    # chosen on tuning voices the head was trained without (bench_verifier.py, decided alone): from
    # 0.8 to 0.5 flite's misheard ones acted 56 -> 71 of 96 in quiet, distractors 11 -> 17 of 360.
    alone: float = 0.5
    alone_halt: float = 0.8  # "pause", "stop": as first chosen on the tuning streams (never measured lower)
    alone_hurts: float = 0.5  # it need be less sure of pain
    # A "that hurts" below `safety` but not below this still halts and asks (`DOUBTED_HURTS`); below
    # it, it is dropped. Chosen on tuning voices the head was trained without (bench_verifier.py):
    # their "that hurts" dropped 6 of 144 flite / 0 of 216 espeak-ng at `safety`, 3 / 0 at this.
    doubted_hurts: float = 0.005


def judged(posteriors: dict[str, float], heard: str, thresholds: Thresholds = Thresholds()) -> str | None:
    """What may act when the grammar heard the command `heard` (None: nothing). A safety command
    the verifier doubts may still act as the safety command it believes more: each halts. A "that
    hurts" it is all but sure of is no halt is `DOUBTED_HURTS`, unless it is surer still."""
    if heard not in SAFETY:
        return heard if posteriors.get(heard, 0.0) >= thresholds.other else None
    if posteriors.get(heard, 0.0) >= thresholds.safety:
        return heard
    if halting(posteriors) >= thresholds.safety:
        return max(sorted(SAFETY), key=lambda c: (posteriors.get(c, 0.0), c == heard))  # a tie: as heard
    if heard == "hurts" and halting(posteriors) >= thresholds.doubted_hurts:
        return DOUBTED_HURTS
    return None


def halting(posteriors: dict[str, float]) -> float:
    """How likely the verifier finds it that some safety command was said: each of them halts."""
    return sum(posteriors.get(c, 0.0) for c in SAFETY)


def alone(posteriors: dict[str, float], thresholds: Thresholds = Thresholds()) -> str | None:
    """The command the verifier is sure of by itself, or None."""
    best = max(posteriors, key=posteriors.__getitem__)
    if best == OTHER:
        return None
    sure = thresholds.alone_hurts if best == "hurts" else thresholds.alone_halt if best in SAFETY else thresholds.alone
    return best if posteriors[best] >= sure else None
