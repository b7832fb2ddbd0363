"""The session history: an append-only JSON Lines log, one event a line, synced as it goes.

Nothing is ever rewritten: a crash can at worst tear the last line, which readers set aside.
A resumed session appends to the same session id, so the history shows it as one session.

Format versions: 1 had no per-set events ("set_done") and no "session_resume"; it is read as is.
Lines from a newer version are set aside with a note, never deleted.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT_VERSION = 2
STARTS = ("session_start", "session_resume")


class HistoryError(RuntimeError):
    """The history cannot be read or written; the message says which file and why."""


def _now() -> datetime:
    return datetime.now(UTC)


class HistoryLog:
    """Writes one session's events; implements the runner's LogSink.

    `start_fields` are added to the session's first record (the routine file, today's dose);
    `t_offset` continues a resumed session's clock where the earlier run stopped.
    """

    def __init__(
        self,
        path: Path,
        routine: str,
        session_id: str | None = None,
        wall_clock: Callable[[], datetime] = _now,
        start_fields: dict[str, Any] | None = None,
        t_offset: float = 0.0,
    ):
        self.path = path
        self.routine = routine
        self.session_id = session_id or uuid.uuid4().hex[:12]
        self._wall = wall_clock
        self._seq = 0
        self._start_fields = dict(start_fields or {})
        self._t_offset = t_offset
        _refuse_foreign(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(path, "ab")  # noqa: SIM115 - kept open for the whole session
            self._start_on_new_line()
        except OSError as exc:
            raise HistoryError(f"{path}: cannot write the history ({exc.strerror})") from None

    def _start_on_new_line(self) -> None:
        """After a crash mid-line, begin on a fresh line so the torn one stays alone."""
        if self._file.tell() > 0:
            with open(self.path, "rb") as existing:
                existing.seek(-1, os.SEEK_END)
                if existing.read(1) != b"\n":
                    self._file.write(b"\n")

    def write(self, kind: str, t: float, data: dict[str, Any]) -> None:
        record = {
            "v": FORMAT_VERSION,
            "session": self.session_id,
            "seq": self._seq,
            "at": self._wall().isoformat(timespec="seconds"),
            "t": round(t + self._t_offset, 3),
            "routine": self.routine,
            "kind": kind,
            **data,
        }
        if kind in STARTS:
            record.update(self._start_fields)
        self._seq += 1
        self._file.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


def _refuse_foreign(path: Path) -> None:
    """Never append to a file that is not a history (a foreign file put there by mistake)."""
    if path.is_dir():
        raise HistoryError(f"{path}: is a directory, not the history file; move it away")
    if path.is_file() and path.stat().st_size > 0 and not _has_a_history_line(path):
        raise HistoryError(
            f"{path}: is not a voice-rehab history (no line is a session event); "
            "move it away or set VOICE_REHAB_HOME to another folder"
        )


def _has_a_history_line(path: Path) -> bool:
    """Whether any line is a session event (of this version or a newer one); stops at the first,
    so a long history is not read twice at the start of a session."""
    try:
        with open(path, "rb") as f:
            return any(_line_kind(line)[0] != "skipped" for line in f if line.strip())
    except OSError as exc:
        raise HistoryError(f"{path}: cannot read the history ({exc.strerror})") from None


def _line_kind(line: bytes) -> tuple[str, dict[str, Any] | None]:
    """("event", the record), ("newer", None) for a newer version's line, or ("skipped", None)."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return "skipped", None
    if not isinstance(record, dict) or "session" not in record or "kind" not in record:
        return "skipped", None
    version = record.get("v", 1)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return "newer", None
    return "event", record


@dataclass
class Reading:
    events: list[dict[str, Any]]
    skipped_lines: list[int] = field(default_factory=list)  # torn or foreign lines, 1-based
    newer_lines: list[int] = field(default_factory=list)  # written by a newer version

    def notes(self, path: Path) -> list[str]:
        """What a person should know about lines that were not read."""
        notes = []
        if self.skipped_lines:
            notes.append(
                f"{path}: set aside {len(self.skipped_lines)} unreadable line(s) "
                f"({', '.join(map(str, self.skipped_lines[:5]))}); nothing was deleted"
            )
        if self.newer_lines:
            notes.append(
                f"{path}: {len(self.newer_lines)} line(s) were written by a newer voice-rehab; "
                "update it to read them (they are kept as they are)"
            )
        return notes


def read_history(path: Path) -> Reading:
    """Every readable event; lines that are not events are reported, never fatal."""
    if path.is_dir():
        raise HistoryError(f"{path}: is a directory, not the history file")
    if not path.exists():
        return Reading([])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HistoryError(f"{path}: cannot read the history ({exc.strerror})") from None
    reading = Reading([])
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        kind, record = _line_kind(line)
        if record is not None:
            reading.events.append(record)
        else:
            (reading.newer_lines if kind == "newer" else reading.skipped_lines).append(number)
    return reading


@dataclass
class SessionSummary:
    session: str
    started: str
    routine: str
    routine_file: str = ""
    dose: float = 1.0
    planned: int = 0
    exercises: list[str] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    sets_done: list[tuple[int, int, str | None]] = field(default_factory=list)
    reps: int = 0
    hold_seconds: float = 0.0
    ended: str = "interrupted"
    duration: float = 0.0
    runs: int = 0
    pauses: int = 0
    pain_reports: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    in_pain_questions: bool = False  # its last record is inside the pain questions (a crash there)

    @property
    def worst_pain(self) -> int | None:
        scores = [r["severity"] for r in self.pain_reports if isinstance(r.get("severity"), int)]
        return max(scores) if scores else None

    @property
    def red_flag(self) -> bool:
        return any(r.get("red_flags") is True for r in self.pain_reports)

    @property
    def date(self) -> str:
        """When it started, to the minute, as a person reads it."""
        return self.started[:16].replace("T", " ")

    @property
    def when(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.started)
        except ValueError:
            return None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def summarize(events: list[dict[str, Any]]) -> list[SessionSummary]:
    """One summary per session (all its runs), in the order the sessions started."""
    sessions: dict[str, SessionSummary] = {}
    for event in events:
        sid = str(event["session"])
        s = sessions.get(sid)
        if s is None:
            s = sessions[sid] = SessionSummary(sid, str(event.get("at", "")), str(event.get("routine", "")))
        s.events.append(event)
        t = event.get("t", 0)
        s.duration = max(s.duration, float(t) if isinstance(t, (int, float)) else 0.0)
        kind = event["kind"]
        exercise = event.get("exercise")
        if kind in STARTS:
            s.runs += 1
            s.ended = "interrupted"  # until this run's end is logged
            s.routine_file = str(event.get("routine_file", s.routine_file))
            dose = event.get("dose")
            s.dose = float(dose) if isinstance(dose, (int, float)) else s.dose
            if kind == "session_start":
                s.planned = _int(event.get("planned"))
                s.exercises = [str(e) for e in event.get("exercises", []) if isinstance(e, str)]
        elif kind == "set_done":
            s.sets_done.append((_int(exercise), _int(event.get("set")), event.get("side")))
            s.reps += _int(event.get("reps"))
            seconds = event.get("seconds")
            s.hold_seconds += float(seconds) if isinstance(seconds, (int, float)) else 0.0
        elif kind == "exercise_done" and _int(exercise) not in s.completed:
            s.completed.append(_int(exercise))
        elif kind == "exercise_skipped" and _int(exercise) not in s.skipped:
            s.skipped.append(_int(exercise))
        elif kind == "pause":
            s.pauses += 1
        elif kind == "pain_start":
            s.in_pain_questions = True
        elif kind == "pain_report":
            s.pain_reports.append(event)
            s.in_pain_questions = False
        elif kind == "session_end":
            s.ended = str(event.get("reason", "ended"))
    return list(sessions.values())


def find_session(sessions: list[SessionSummary], prefix: str) -> SessionSummary:
    """The one session whose id starts with `prefix`; HistoryError names the choices otherwise."""
    matches = [s for s in sessions if s.session.startswith(prefix)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise HistoryError(f"no session id starts with '{prefix}' (see `voice-rehab history`)")
    raise HistoryError(
        f"'{prefix}' matches {len(matches)} sessions: "
        + ", ".join(s.session for s in matches[:5])
        + "; give more of the id"
    )
