"""The person's settings (`settings.yaml` in the data folder): all optional, with safe defaults.

progression:
  sessions_needed: 3   # clean sessions in a row before the dose may grow
  pain_threshold: 3    # pain scores above this count as "it hurt"
  weekly_step: 0.10    # growth per week (at most 0.10)
  max_dose: 1.5
  min_dose: 0.5
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from voice_rehab.core.progression import ProgressionSettings
from voice_rehab.core.yamlfile import ProblemsError, parse_document, read_text, validate
from voice_rehab.io.paths import config_dir, data_dir


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    progression: ProgressionSettings = Field(default_factory=ProgressionSettings)


def settings_file() -> Path:
    """Where settings belong: the configuration folder."""
    return config_dir() / "settings.yaml"


def old_settings_file() -> Path:
    """Where earlier versions kept them: the data folder (still read, with a note to move it)."""
    return data_dir() / "settings.yaml"


def settings_note() -> str:
    """What a person should know about where their settings were read from ("" if nothing)."""
    new, old = settings_file(), old_settings_file()
    if old != new and old.exists() and not new.exists():
        return f"settings read from {old}; their place is now {new} (move the file there)"
    return ""


def _blank(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False  # read_text says what is wrong with it
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def load_settings(path: Path | None = None) -> Settings:
    """The settings file if there is one, else the defaults; ProblemsError names file:line:col."""
    if path is None:
        path = settings_file()
        if not path.exists() and old_settings_file().exists():
            path = old_settings_file()  # an earlier version's place (settings_note says so)
    if not path.exists():
        return Settings()
    if _blank(path):  # every key is optional: an empty or comment-only file means the defaults
        return Settings()
    text = read_text(path, what="settings")
    return validate(parse_document(text, str(path), what="settings", expects="a progression section"), Settings)


__all__ = ["ProblemsError", "Settings", "load_settings", "settings_file"]
