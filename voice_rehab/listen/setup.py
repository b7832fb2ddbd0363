"""Building listeners and rooms from command-line choices (shared by play, recognize, simulate)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..phrases import Phrases, phrases_for
from .audio import RATE, read_wav
from .engines import Choice, choose
from .models import _language_of
from .room import VirtualRoom
from .voices import espeak

DEFAULT_USER_VOICE = {"en": "en-gb-x-rp+f3", "ko": "ko+f3"}


def language_for(model: Path | None, language: str | None) -> str:
    """--language, else the language a --model folder is named for, else English."""
    if language:
        return language
    if model is not None:
        guessed = _language_of(model)
        if guessed != "?":
            return guessed
    return "en"


def listener_for(engine: str, language: str, model: Path | None) -> tuple[Choice, Phrases]:
    phrases = phrases_for(language)
    return choose(engine, phrases, model), phrases


def user_speech(spec: str, voice: str) -> np.ndarray:
    """`say:PHRASE` synthesised in the person's voice, or `wav:FILE` read from disk (16 kHz)."""
    kind, _, value = spec.partition(":")
    if kind == "wav":
        return read_wav(Path(value))
    return espeak(value, voice)


def seconds(samples: np.ndarray) -> float:
    return len(samples) / RATE


__all__ = ["VirtualRoom", "language_for", "listener_for", "user_speech", "DEFAULT_USER_VOICE", "seconds"]
