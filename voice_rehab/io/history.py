"""The session history: an append-only JSON Lines log, one event a line, synced as it goes.

Nothing is ever rewritten: a crash can at worst tear the last line, which readers set aside.
A resumed session appends to the same session id, so the history shows it as one session.

Format versions: 1 had no per-set events ("set_done") and no "session_resume"; it is read as is.
Lines from a newer version are set aside with a note, never deleted. Each line is checked against
its kind's typed record (`records.py`) as it is read: one bad line is set aside, never fatal.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voice_rehab.io.records import (
    FORMAT_VERSION,
    BadRecord,
    PainReport,
    Record,
    SessionEnd,
    SessionResume,
    SessionStart,
    SetDone,
    Where,
    parse_record,
)

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
        # Lines that could not be written (a full disk): kept here, tried again before each next
        # one and at close. `on_trouble` is told once, in words a person reads.
        self._pending: list[bytes] = []
        self.on_trouble: Callable[[str], None] | None = None
        self._told = False
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
        try:
            parse_record(record)
        except BadRecord as exc:
            # A record its own reader would set aside is a bug here; it is still written (nothing
            # is lost, and the reader says a line was set aside) rather than ending the session.
            record["invalid"] = str(exc)
        self._seq += 1
        self._pending.append(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self._write_pending()

    def _write_pending(self) -> bool:
        """Write every line kept back, in order; False (and said once) if the disk refuses."""
        try:
            while self._pending:
                self._file.write(self._pending[0])
                self._file.flush()
                os.fsync(self._file.fileno())
                self._pending.pop(0)
        except OSError as exc:
            self._discard_partial()
            if not self._told and self.on_trouble is not None:
                self._told = True
                self.on_trouble(
                    f"Cannot record this session ({exc.strerror}); it goes on, and what happens is kept "
                    f"to write when there is room in {self.path.parent}."
                )
            return False
        return True

    def _discard_partial(self) -> None:
        """After a failed write, forget what the file object still buffers: the whole line is
        kept and written again, so no torn half of it may follow later."""
        with contextlib.suppress(OSError, ValueError):
            self._file.close()
        with contextlib.suppress(OSError):
            self._file = open(self.path, "ab")  # noqa: SIM115 - kept open for the whole session
            self._start_on_new_line()

    @property
    def unwritten(self) -> int:
        """How many records are kept in memory, not yet on disk."""
        return len(self._pending)

    def close(self) -> None:
        """Write what is left; if the disk still refuses, say so (and where) and keep nothing
        half-written."""
        if self._pending and not self._write_pending():
            raise HistoryError(
                f"{self.path}: {len(self._pending)} record(s) of this session could not be written "
                "(no room on the disk); the history before them is intact"
            )
        with contextlib.suppress(OSError):
            self._file.close()


def _refuse_foreign(path: Path) -> None:
    """Never append to a file that is not a history (a foreign file put there by mistake)."""
    if path.is_dir():
        raise HistoryError(f"{path}: is a directory, not the history file; move it away")
    if path.is_file() and path.stat().st_size > 0 and not _blank(path) and not _has_a_history_line(path):
        raise HistoryError(
            f"{path}: is not a voice-rehab history (no line is a session event); "
            "move it away or set VOICE_REHAB_HOME to another folder"
        )


def _blank(path: Path) -> bool:
    """Only blank lines (an emptied file): nothing in it is anyone's, so it may be written to."""
    try:
        with open(path, "rb") as f:
            return not any(line.strip() for line in f)
    except OSError:
        return False


def _has_a_history_line(path: Path) -> bool:
    """Whether any line is a session event (of this version or a newer one); stops at the first,
    so a long history is not read twice at the start of a session."""
    try:
        with open(path, "rb") as f:
            return any(_line_kind(line)[0] != "skipped" for line in f if line.strip())
    except OSError as exc:
        raise HistoryError(f"{path}: cannot read the history ({exc.strerror})") from None


MAX_LINE = 1 << 20  # bytes: no record is near this; a longer line is not one of ours


def _line_kind(line: bytes) -> tuple[str, Record | None]:
    """("event", the record), ("newer", None) for a newer version's line, or ("skipped", None)."""
    if len(line) > MAX_LINE:
        return "skipped", None
    try:
        fields = json.loads(line)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, too deep, a number too long
        return "skipped", None
    if not isinstance(fields, dict) or "session" not in fields or "kind" not in fields:
        return "skipped", None
    version = fields.get("v", 1)
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        return "newer", None
    if "invalid" in fields:
        return "skipped", None
    try:
        return "event", parse_record(fields)
    except BadRecord:
        return "skipped", None


@dataclass
class Reading:
    events: list[Record]
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
    pain_reports: list[PainReport] = field(default_factory=list)
    events: list[Record] = field(default_factory=list)
    in_pain_questions: bool = False  # its last record is inside the pain questions (a crash there)

    @property
    def worst_pain(self) -> int | None:
        scores = [r.severity for r in self.pain_reports if r.severity is not None]
        return max(scores) if scores else None

    @property
    def red_flag(self) -> bool:
        return any(r.red_flags is True for r in self.pain_reports)

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


def summarize(events: list[Record]) -> list[SessionSummary]:
    """One summary per session (all its runs), in the order the sessions started."""
    sessions: dict[str, SessionSummary] = {}
    for event in events:
        s = sessions.get(event.session)
        if s is None:
            started = event.at.isoformat(timespec="seconds") if event.at else ""
            s = sessions[event.session] = SessionSummary(event.session, started, event.routine)
        s.events.append(event)
        s.duration = max(s.duration, event.t)
        if isinstance(event, (SessionStart, SessionResume)):
            s.runs += 1
            s.ended = "interrupted"  # until this run's end is logged
            s.routine_file = event.routine_file or s.routine_file
            s.dose = event.dose if "dose" in event.model_fields_set else s.dose
            if isinstance(event, SessionStart):
                s.planned = event.planned
                s.exercises = list(event.exercises)
        elif isinstance(event, SetDone):
            if not event.partial:  # a set left part way is not done (its reps and seconds still count)
                s.sets_done.append((event.exercise or 0, event.set or 0, event.side))
            s.reps += event.reps or 0
            s.hold_seconds += event.seconds or 0.0
        elif isinstance(event, Where) and event.kind in ("exercise_done", "exercise_skipped"):
            done = s.completed if event.kind == "exercise_done" else s.skipped
            if (event.exercise or 0) not in done:
                done.append(event.exercise or 0)
        elif event.kind == "pause":
            s.pauses += 1
        elif event.kind == "pain_start":
            s.in_pain_questions = True
        elif isinstance(event, PainReport):
            s.pain_reports.append(event)
            s.in_pain_questions = False
        elif isinstance(event, SessionEnd):
            s.ended = event.reason
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
