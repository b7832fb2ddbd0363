"""What progression remembers beyond the history: when a person reset a routine's progression.

Kept in `progress.json` in the data folder, written whole or not at all; the routine files the
person wrote are never touched.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from voice_rehab.io.files import write_atomically
from voice_rehab.io.history import HistoryError
from voice_rehab.io.paths import data_dir


def progress_file() -> Path:
    return data_dir() / "progress.json"


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HistoryError(
            f"{path}: cannot read the progression state ({exc}); move it away to start progression afresh"
        ) from None
    resets = data.get("resets") if isinstance(data, dict) else None
    if not isinstance(resets, dict):
        raise HistoryError(f"{path}: is not a voice-rehab progression file; move it away")
    return {str(k): str(v) for k, v in resets.items()}


def reset_time(routine: str, path: Path | None = None) -> datetime | None:
    """When progression of `routine` was last reset (sessions before it no longer count)."""
    value = _read(path or progress_file()).get(routine)
    try:
        when = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    # a time written without a zone (by hand, or elsewhere) is read as UTC, as the history's are:
    # compared with the history's aware times, a naive one had crashed `progress` and `play`
    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


def reset(routine: str, when: datetime, path: Path | None = None) -> None:
    path = path or progress_file()
    resets = _read(path)
    resets[routine] = when.isoformat(timespec="seconds")
    try:
        write_atomically(path, json.dumps({"resets": resets}, indent=1).encode("utf-8"))
    except OSError as exc:
        raise HistoryError(f"{path}: cannot write the progression state ({exc.strerror})") from None
