"""The voices espeak-ng has, so that a misspelt `--voice` or `voice:` is refused with a
did-you-mean instead of being replaced by the default voice in silence."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from functools import cache


def _listed(argument: str) -> frozenset[str]:
    """Names in `espeak-ng --voices[=variant]`: the language code, the voice name and the file."""
    try:
        out = subprocess.run(["espeak-ng", argument], capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    names: set[str] = set()
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5:
            names.update(p.lower() for p in (parts[1], parts[3], parts[4].rsplit("/", 1)[-1]))
    names.discard("variant")
    return frozenset(names)


@cache
def espeak_voices() -> tuple[frozenset[str], frozenset[str]]:
    """(voices, variants) espeak-ng knows, lower case; both empty where espeak-ng is not installed."""
    if shutil.which("espeak-ng") is None:
        return frozenset(), frozenset()
    return _listed("--voices"), _listed("--voices=variant")


def voice_problem(voice: str) -> str | None:
    """Why espeak-ng has no voice `voice` ("en-gb", "en-us+f3"), with the nearest it has; None if
    it has it, or if espeak-ng is not here to ask (the speaker then says why it cannot speak)."""
    voices, variants = espeak_voices()
    if not voices:
        return None
    base, _, variant = voice.lower().partition("+")
    if base not in voices:
        close = difflib.get_close_matches(base, sorted(voices), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else " (see: espeak-ng --voices)"
        return f"unknown voice '{voice}'{hint}"
    if variant and variant not in variants:
        close = difflib.get_close_matches(variant, sorted(variants), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(f'{base}+{c}') for c in close)}?)" if close else ""
        return f"unknown voice variant '+{variant}'{hint} (see: espeak-ng --voices=variant)"
    return None
