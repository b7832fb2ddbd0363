"""The session history: an append-only JSON Lines log, one event a line, synced as it goes.

Nothing is ever rewritten: a crash can at worst tear the last line, which readers set aside.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

FORMAT_VERSION = 1


class HistoryError(RuntimeError):
    """The history cannot be read or written; the message says which file and why."""


class HistoryLog:
    """Writes one session's events; implements the runner's LogSink."""

    def __init__(self, path: Path, routine: str, session_id: str | None = None,
                 wall_clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.path = path
        self.routine = routine
        self.session_id = session_id or uuid.uuid4().hex[:12]
        self._wall = wall_clock
        self._seq = 0
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
        record = {"v": FORMAT_VERSION, "session": self.session_id, "seq": self._seq,
                  "at": self._wall().isoformat(timespec="seconds"), "t": t,
                  "routine": self.routine, "kind": kind, **data}
        self._seq += 1
        self._file.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


@dataclass
class Reading:
    events: list[dict[str, Any]]
    skipped_lines: list[int] = field(default_factory=list)  # torn or foreign lines, 1-based


def read_history(path: Path) -> Reading:
    """Every readable event; lines that are not events are reported, never fatal."""
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
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            reading.skipped_lines.append(number)
            continue
        if not isinstance(record, dict) or "session" not in record or "kind" not in record:
            reading.skipped_lines.append(number)
            continue
        reading.events.append(record)
    return reading


@dataclass
class SessionSummary:
    session: str
    started: str
    routine: str
    planned: int = 0
    completed: int = 0
    ended: str = "interrupted"
    duration: float = 0.0
    pauses: int = 0
    pain_reports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def worst_pain(self) -> int | None:
        scores = [r["severity"] for r in self.pain_reports if isinstance(r.get("severity"), int)]
        return max(scores) if scores else None


def summarize(events: list[dict[str, Any]]) -> list[SessionSummary]:
    """One summary per session, oldest first."""
    sessions: dict[str, SessionSummary] = {}
    for event in events:
        sid = str(event["session"])
        summary = sessions.get(sid)
        if summary is None:
            summary = sessions[sid] = SessionSummary(sid, str(event.get("at", "")),
                                                     str(event.get("routine", "")))
        summary.duration = max(summary.duration, float(event.get("t", 0) or 0))
        kind = event["kind"]
        if kind == "session_start":
            summary.planned = int(event.get("planned", 0))
        elif kind == "exercise_done":
            summary.completed += 1
        elif kind == "pause":
            summary.pauses += 1
        elif kind == "pain_report":
            summary.pain_reports.append(event)
        elif kind == "session_end":
            summary.ended = str(event.get("reason", "ended"))
    return list(sessions.values())
