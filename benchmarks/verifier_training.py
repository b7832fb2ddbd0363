"""What the command verifier is trained on: the commands and words that are no command, said by
the tuning voices (and more variants of their accents), cut as the listener cuts an utterance.

Nothing here is in the benchmark's distractors, and no held-out voice is used, so the benchmark
measures the verifier on voices and non-commands it never heard.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from benchmarks.corpus import LANGUAGES, LEVEL, RATES, TUNE_VOICES, Voice, synthesize
from voice_rehab.core.phrases import Phrases
from voice_rehab.listen.audio import RATE, active_rms, noise_floor, pink_noise, speech_bounds
from voice_rehab.listen.embedding import SpeechEmbedding
from voice_rehab.listen.verifier import OTHER, Head, padded, summary

# espeak-ng variants change timbre and pitch; these are of the tuning voices' accents only, and
# none is a variant any held-out voice uses (English: f2, m2, f4, m4; Korean: m3, f4)
EXTRA_VOICES: dict[str, list[Voice]] = {
    "en": [
        ("espeak", f"{accent}+{variant}")
        for accent in ("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp")
        for variant in ("m1", "m3", "m6", "f1", "f3", "f5")
        if ("espeak", f"{accent}+{variant}") not in TUNE_VOICES
    ],
    "ko": [("espeak", f"ko+{variant}") for variant in ("m1", "m5", "m6", "m7", "f1", "f3", "f5")],
}


def training_voices(language: str) -> list[Voice]:
    voices = LANGUAGES[language].tune + EXTRA_VOICES[language]
    assert not set(voices) & set(LANGUAGES[language].held_out)
    return voices


# How the listener cuts an utterance (listener.py, segmenter.py): speech is found two 20 ms frames
# after it starts, and 300 ms from before that are kept; it is decided 120 ms after a phrase
# (early) or ends 240 ms after the last loud frame.
LEAD = (0.22, 0.32)  # seconds of the room before the first word
TAIL = (0.10, 0.28)  # seconds after the last word
LONGEST = 1.5  # the listener decides nothing on longer utterances; a sentence is heard up to here
NOISE_SNRS = (20.0, 10.0, 5.0)


@dataclass(frozen=True)
class Utterance:
    kind: str  # "command", "near", "word", "count", "sentence"
    text: str
    label: str  # the command, or OTHER
    voice: Voice
    rate: float


@cache
def texts(language: str) -> dict[str, list[str]]:
    """The language's words and sentences that are no command (`verifier-texts-LANGUAGE.yaml`)."""
    return yaml.safe_load(Path(__file__).with_name(f"verifier-texts-{language}.yaml").read_text(encoding="utf-8"))


def training_utterances(
    phrases: Phrases, voices: list[Voice] | None = None, rates: tuple[float, ...] = RATES
) -> Iterator[Utterance]:
    """Every command phrase at every rate (with the fillers, and what a person in pain says in one
    breath, at the normal one), and what is no command: near words at every rate, the rest at the
    normal rate."""
    t = texts(phrases.language)
    carriers = LANGUAGES[phrases.language].safety_carriers
    for voice in voices if voices is not None else training_voices(phrases.language):
        for rate in rates:
            for command, said in phrases.commands.items():
                for text in said:
                    yield Utterance("command", text, command, voice, rate)
                    if rate == 1.0:
                        yield from (
                            Utterance("command", f"{b} {text}", command, voice, rate) for b in phrases.fillers_before
                        )
                        yield from (
                            Utterance("command", f"{text} {a}", command, voice, rate) for a in phrases.fillers_after
                        )
            near = t["near_words"] if rate == 1.0 else t["near_words"][::3]
            yield from (Utterance("near", w, OTHER, voice, rate) for w in near)
            if rate != 1.0:
                continue
            yield from (
                Utterance("command", text, command, voice, rate)
                for command, texts_ in carriers.items()
                for text in texts_
            )
            yield from (Utterance("count", w, OTHER, voice, rate) for w in t["counts"])
            yield from (Utterance("word", w, OTHER, voice, rate) for w in t["other_words"][::2])
            yield from (Utterance("sentence", s, OTHER, voice, rate) for s in t["sentences"] + t["word_strings"][::2])


def texts_digest(utterances: list[Utterance]) -> str:
    """Which words and sentences a head was trained on (its info keeps this, so that a changed
    texts file shows as a head to train again)."""
    said = sorted({f"{u.kind}\t{u.label}\t{u.text}" for u in utterances})
    return hashlib.sha256("\n".join(said).encode()).hexdigest()[:16]


def as_the_listener_hears(
    speech: np.ndarray, rng: np.random.Generator, snr_db: float | None = None, cut_long: bool = True
) -> np.ndarray:
    """`speech` (at the corpus level) in a room, cut as the listener would cut it: a little of the
    room before, a little after, and no more than `LONGEST` seconds of speech (the start of a
    sentence is what an early decision hears)."""
    start, end = speech_bounds(speech)
    if cut_long and end - start > LONGEST:
        end = start + rng.uniform(0.4, LONGEST)
    lead, tail = rng.uniform(*LEAD), rng.uniform(*TAIL)
    a, b = int((start - lead) * RATE), int((end + tail) * RATE)
    before, after = max(0, -a), max(0, b - len(speech))
    cut = np.concatenate(
        [np.zeros(before, np.float32), speech[max(a, 0) : min(b, len(speech))], np.zeros(after, np.float32)]
    )
    seed = int(rng.integers(1 << 30))
    cut = cut + noise_floor(len(cut), seed=seed)
    if snr_db is not None:
        cut = cut + pink_noise(len(cut), seed=seed + 1) * LEVEL / 10 ** (snr_db / 20)
    return cut.astype(np.float32)


CUTS = ("quiet", "quiet", "noise")  # how each utterance is heard: two cuts in a quiet room, one in noise


def at_level(voice: Voice, text: str, rate: float) -> np.ndarray:
    """`text` said by `voice` at the corpus's speech level."""
    speech = synthesize(voice, text, rate)
    return speech * (LEVEL / max(active_rms(speech), 1e-6))


def heard_summary(
    embedding: SpeechEmbedding, speech: np.ndarray, rng: np.random.Generator, snr_db: float | None
) -> np.ndarray:
    """What the verifier judges of `speech` in a room (`as_the_listener_hears`)."""
    return summary(embedding.frames(padded(as_the_listener_hears(speech, rng, snr_db))))


def training_summaries(embedding: SpeechEmbedding, utterance: Utterance, seed: int) -> list[np.ndarray]:
    """The summaries the head learns from: the utterance heard in each of `CUTS` (a noisy cut at
    one of `NOISE_SNRS`, drawn with `seed`)."""
    speech = at_level(utterance.voice, utterance.text, utterance.rate)
    rng = np.random.default_rng(seed)
    out = []
    for cut in CUTS:
        snr = float(rng.choice(NOISE_SNRS)) if cut == "noise" else None
        out.append(heard_summary(embedding, speech, rng, snr))
    return out


C = 0.05  # the head's regularisation (inverse strength): chosen once on the tuning voices' streams


def fit_head(features: np.ndarray, labels: list[str], info: dict, c: float = C) -> Head:
    """A linear head over standardised summaries: multinomial logistic regression, every class
    weighted alike (the commands are far fewer than what is no command)."""
    from sklearn.linear_model import LogisticRegression  # training only: the player never imports it

    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    model.fit((features - mean) / scale, labels)
    weights, bias = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # one logit for the second class: as a softmax, the first's is zero
        weights, bias = np.vstack([np.zeros_like(weights), weights]), np.concatenate([[0.0], bias])
    return Head(
        tuple(str(c) for c in model.classes_),
        mean.astype(np.float32),
        scale.astype(np.float32),
        weights.astype(np.float32),
        bias.astype(np.float32),
        {**info, "C": c},
    )
