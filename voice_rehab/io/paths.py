"""Where the user's own files live: routines, history, models."""

from __future__ import annotations

import os
from pathlib import Path

APP = "voice-rehab"


def data_dir() -> Path:
    """$VOICE_REHAB_HOME, else $XDG_DATA_HOME/voice-rehab, else ~/.local/share/voice-rehab."""
    explicit = os.environ.get("VOICE_REHAB_HOME")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / APP


def user_routines_dir() -> Path:
    return data_dir() / "routines"


def history_file() -> Path:
    return data_dir() / "history.jsonl"
