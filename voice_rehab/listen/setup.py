"""Command-line helpers for listening: which language, and the person's speech in the virtual room."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from voice_rehab.listen.audio import read_wav
from voice_rehab.listen.models import _language_of
from voice_rehab.listen.voices import espeak

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


def user_speech(spec: str, voice: str) -> np.ndarray:
    """`say:PHRASE` synthesised in the person's voice, or `wav:FILE` read from disk (16 kHz)."""
    kind, _, value = spec.partition(":")
    if kind == "wav":
        return read_wav(Path(value))
    return espeak(value, voice)
