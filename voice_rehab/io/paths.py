"""Where the user's own files live: routines, history and models (data), settings (configuration).

The folders are each platform's own (platformdirs): on Linux $XDG_DATA_HOME/voice-rehab (else
~/.local/share/voice-rehab) and $XDG_CONFIG_HOME/voice-rehab (else ~/.config/voice-rehab); macOS
and Windows get theirs. $VOICE_REHAB_HOME puts everything in one folder instead (tests, a USB stick).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "voice-rehab"


def data_dir() -> Path:
    """$VOICE_REHAB_HOME, else the platform's data folder for voice-rehab."""
    explicit = os.environ.get("VOICE_REHAB_HOME")
    return Path(explicit) if explicit else platformdirs.user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    """$VOICE_REHAB_HOME, else the platform's configuration folder for voice-rehab."""
    explicit = os.environ.get("VOICE_REHAB_HOME")
    return Path(explicit) if explicit else platformdirs.user_config_path(APP, appauthor=False)


def user_routines_dir() -> Path:
    return data_dir() / "routines"


def history_file() -> Path:
    return data_dir() / "history.jsonl"
