"""Learnt command models compared with the judge: training data from real voices and varied rooms.

Two models are learnt over Google's speech embedding (`voice_rehab/listen/embedding.py`):
- the verifier's head retrained (`Head`: a linear head over a summary of the cut utterance), and
- a keyword model as openWakeWord trains one: a small neural network over a fixed window of 16
  embeddings (about 2 s of audio) ending where the keyword ends, run over the stream window by
  window, firing where a command's score passes a threshold.

Both learn from the tuning speakers of Speech Commands (real voices: "stop", and every other word
as what is no command) and from the synthetic training utterances of the verifier, each heard in a
room drawn at random: quiet, pink noise or babble at 0-20 dB, or a reverberant room; real clips
also at 0.9 and 1.1 times their speed. The rooms' seeds are disjoint from the benchmark's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.real_people import LEVEL, at_level, babble, room_impulse
from voice_rehab.listen.audio import RATE, noise_floor, pink_noise, speech_bounds
from voice_rehab.listen.embedding import MEL_FRAMES, MEL_STEP, SpeechEmbedding
from voice_rehab.listen.verifier import OTHER, padded, summary

WINDOW_FRAMES = 16  # openWakeWord's window: 16 embeddings, 1.28 s apart at the ends
WINDOW_SAMPLES = ((WINDOW_FRAMES - 1) * MEL_STEP + MEL_FRAMES + 3) * RATE // 100  # about 2 s of audio
ROOMS = ("quiet", "pink", "babble", "reverb")
TRAINING_SEEDS = 1_000_000  # the benchmark's rooms use seeds far below this
SPEEDS = (0.9, 1.0, 1.1)


def at_speed(samples: np.ndarray, speed: float) -> np.ndarray:
    """Speed perturbation (as Kaldi's recipes do): resampled, so pitch and tempo change together."""
    if speed == 1.0:
        return samples
    points = np.arange(0, len(samples) - 1, speed)
    return np.interp(points, np.arange(len(samples)), samples).astype(np.float32)


def in_a_room(speech: np.ndarray, room: str, rng: np.random.Generator, talkers: list[np.ndarray]) -> np.ndarray:
    """`speech` (any level) as a laptop hears it in `room`, with 1.6 s of the room before it and
    0.6 s after (the cuts below take what they need)."""
    speech = at_level(speech)
    seed = TRAINING_SEEDS + int(rng.integers(1 << 20))
    if room == "reverb":
        speech = at_level(np.convolve(speech, room_impulse(seed))[: len(speech) + RATE // 4].astype(np.float32))
    heard = np.concatenate([np.zeros(int(1.6 * RATE), np.float32), speech, np.zeros(int(0.6 * RATE), np.float32)])
    heard = heard + noise_floor(len(heard), seed=seed)
    if room in ("pink", "babble"):
        noise = pink_noise(len(heard), seed=seed) if room == "pink" else babble(len(heard), talkers, seed)
        heard = heard + noise * (LEVEL / 10 ** (rng.uniform(0.0, 20.0) / 20))
    return heard.astype(np.float32)


@dataclass(frozen=True)
class Heard:
    """One training example, as each model sees it."""

    label: str  # a command, or OTHER
    summary: np.ndarray  # the verifier's features of the cut utterance
    window: np.ndarray  # (16, 96) embeddings ending where the speech ends
    shifted: np.ndarray | None  # (16, 96) ending elsewhere (a negative for the keyword model)


def example(
    embedding: SpeechEmbedding, clean: np.ndarray, label: str, room: str, rng: np.random.Generator, talkers: list
) -> Heard:
    """`clean` (an utterance with little silence around it) heard in `room`, cut for each model."""
    start, end = speech_bounds(clean)
    heard = in_a_room(clean, room, rng, talkers)
    lead = 1.6 - start  # where the clip's own start sits in `heard`, in seconds
    s, e = lead + start, lead + end
    a, b = int((s - rng.uniform(0.22, 0.32)) * RATE), int((e + rng.uniform(0.10, 0.28)) * RATE)
    cut = heard[max(a, 0) : min(b, len(heard))]
    window_end = int((e + rng.uniform(0.05, 0.35)) * RATE)
    window = keyword_window(embedding, heard, window_end)
    shifted = None
    if label == OTHER or rng.random() < 0.5:
        # a window ending mid-word or long after it: only the window ending at a command may fire
        other_end = int((s + rng.uniform(0.1, max(0.2, e - s))) * RATE) if rng.random() < 0.5 else len(heard)
        shifted = keyword_window(embedding, heard, other_end)
    return Heard(label, summary(embedding.frames(padded(cut))), window, shifted)


def keyword_window(embedding: SpeechEmbedding, heard: np.ndarray, end: int) -> np.ndarray:
    """The 16 embeddings of the ~2 s of `heard` that end at sample `end` (the room repeated before
    the start where there is not enough)."""
    end = min(max(end, 1), len(heard))
    start = end - WINDOW_SAMPLES
    audio = heard[max(start, 0) : end]
    if start < 0:
        room = heard[: int(0.3 * RATE)]
        audio = np.concatenate([np.tile(room, -start // len(room) + 1)[:-start], audio])
    return embedding.frames(audio)[-WINDOW_FRAMES:]


class KeywordModel:
    """A multilayer perceptron over a flattened window of embeddings (weights as numpy arrays, so
    running it needs no learning library)."""

    def __init__(self, classes: tuple[str, ...], layers: list[tuple[np.ndarray, np.ndarray]]) -> None:
        self.classes = classes
        self.layers = layers

    @classmethod
    def fit(cls, windows: np.ndarray, labels: list[str], seed: int = 0) -> KeywordModel:
        from sklearn.neural_network import MLPClassifier  # training only

        model = MLPClassifier(hidden_layer_sizes=(128, 128), alpha=1e-3, early_stopping=True, random_state=seed,
                              max_iter=200)  # fmt: skip
        flat = windows.reshape(len(windows), -1)
        # the rare commands weigh as much as the many windows of no command: resample them up
        rng = np.random.default_rng(seed)
        counts = {label: labels.count(label) for label in set(labels)}
        most = max(counts.values())
        picks = np.concatenate(
            [rng.choice(np.flatnonzero(np.array(labels) == label), most, replace=True) for label in sorted(counts)]
        )
        model.fit(flat[picks], np.array(labels)[picks])
        layers = [(w.astype(np.float32), b.astype(np.float32)) for w, b in zip(model.coefs_, model.intercepts_)]
        return cls(tuple(str(c) for c in model.classes_), layers)

    def scores(self, windows: np.ndarray) -> np.ndarray:
        """(windows, classes) posteriors."""
        x = windows.reshape(len(windows), -1)
        for w, b in self.layers[:-1]:
            x = np.maximum(x @ w + b, 0.0)
        w, b = self.layers[-1]
        logits = x @ w + b
        if logits.shape[1] == 1:  # two classes: one logistic output
            p = 1 / (1 + np.exp(-logits[:, 0]))
            return np.stack([1 - p, p], axis=1)
        odds = np.exp(logits - logits.max(axis=1, keepdims=True))
        return odds / odds.sum(axis=1, keepdims=True)

    def peaks(self, embedding: SpeechEmbedding, stream: np.ndarray) -> dict[str, float]:
        """Each command's highest score over every window of `stream`."""
        if len(stream) < WINDOW_SAMPLES:
            stream = np.concatenate([np.zeros(WINDOW_SAMPLES - len(stream), np.float32), stream])
        frames = embedding.frames(stream)
        windows = np.stack([frames[i - WINDOW_FRAMES : i] for i in range(WINDOW_FRAMES, len(frames) + 1)])
        best = self.scores(windows).max(axis=0)
        return {label: float(score) for label, score in zip(self.classes, best) if label != OTHER}


def spotted(peaks: dict[str, float], threshold: float = 0.5) -> str | None:
    """The command scoring highest past `threshold` (openWakeWord's default: 0.5), else None."""
    label = max(peaks, key=lambda k: peaks[k]) if peaks else None
    return label if label is not None and peaks[label] >= threshold else None
