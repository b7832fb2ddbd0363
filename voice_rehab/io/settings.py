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
from voice_rehab.io.paths import data_dir


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    progression: ProgressionSettings = Field(default_factory=ProgressionSettings)


def settings_file() -> Path:
    return data_dir() / "settings.yaml"


def _blank(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False  # read_text says what is wrong with it
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def load_settings(path: Path | None = None) -> Settings:
    """The settings file if there is one, else the defaults; ProblemsError names file:line:col."""
    path = path or settings_file()
    if not path.exists():
        return Settings()
    if _blank(path):  # every key is optional: an empty or comment-only file means the defaults
        return Settings()
    text = read_text(path, what="settings")
    return validate(parse_document(text, str(path), what="settings", expects="a progression section"), Settings)


__all__ = ["ProblemsError", "Settings", "load_settings", "settings_file"]
