"""Finding routines: the shipped ones, the user's own folder, and paths given on the command line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from voice_rehab.authoring.names import DEFAULT_ROUTINE  # noqa: F401 - shown in help, kept here too
from voice_rehab.core.phrases import phrases_for
from voice_rehab.core.plan import build_plan
from voice_rehab.core.routine import Routine, RoutineError, load_routine
from voice_rehab.core.yamlfile import Problem
from voice_rehab.io.paths import user_routines_dir

_PACKAGE = Path(__file__).resolve().parents[1]


def shipped_routines_dir() -> Path:
    """The repository's routines/ (source checkout) or the copy inside an installed wheel."""
    for candidate in (_PACKAGE.parent / "routines", _PACKAGE / "shipped_routines"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / "routines"


@dataclass(frozen=True)
class Entry:
    name: str
    path: Path
    origin: str  # "shipped", "user" or "path"
    routine: Routine | None
    error: str = ""

    @property
    def minutes(self) -> float:
        if self.routine is None:
            return 0.0
        return build_plan(self.routine, phrases_for(self.routine.language)).duration / 60


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _entry(path: Path, origin: str) -> Entry:
    try:
        return Entry(path.stem, path, origin, load_routine(path))
    except RoutineError as exc:
        return Entry(path.stem, path, origin, None, str(exc.problems[0]))


def list_routines(extra: list[Path] | None = None) -> list[Entry]:
    entries = [_entry(p, "shipped") for p in _yaml_files(shipped_routines_dir())]
    entries += [_entry(p, "user") for p in _yaml_files(user_routines_dir())]
    for path in extra or []:
        files = _yaml_files(path) if path.is_dir() else [path]
        entries += [_entry(p, "path") for p in files]
    return entries


def resolve(name_or_path: str) -> Path:
    """A routine file from a path, or from a name in the user's folder or the shipped ones; a name
    that is neither raises RoutineError, with the nearest name there is."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in name_or_path:
        return path
    for folder in (user_routines_dir(), shipped_routines_dir()):
        for suffix in (".yaml", ".yml"):
            candidate = folder / f"{name_or_path}{suffix}"
            if candidate.is_file():
                return candidate
    known = [p.stem for folder in (user_routines_dir(), shipped_routines_dir()) for p in _yaml_files(folder)]
    close = [n for n in known if n.startswith(name_or_path)] or difflib.get_close_matches(name_or_path, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise RoutineError(
        [
            Problem(
                name_or_path, 0, 0, f"no such file, nor a routine of that name (`voice-rehab list` shows them).{hint}"
            )
        ]
    )
