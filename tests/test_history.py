"""The session history file: appended and synced as it goes, readable after a torn write."""

from __future__ import annotations

import json
from pathlib import Path

from voice_rehab.io.history import HistoryLog, read_history, summarize


def write_session(path: Path, sid: str, pain: int | None = None, end: str | None = "completed") -> None:
    log = HistoryLog(path, "Gentle mobility", session_id=sid)
    log.write("session_start", 0.0, {"planned": 4})
    log.write("exercise_done", 60.0, {"exercise": 0})
    log.write("pause", 70.0, {})
    if pain is not None:
        log.write("pain_report", 80.0, {"severity": pain, "pain_type": "dull"})
    if end:
        log.write("session_end", 90.0, {"reason": end})
    log.close()


def test_each_event_is_on_disk_before_the_next(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    log = HistoryLog(path, "R", session_id="s1")
    log.write("session_start", 0.0, {"planned": 2})
    assert json.loads(path.read_text())["kind"] == "session_start"  # readable while still open
    log.close()


def test_summaries_per_session(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    write_session(path, "a", pain=4)
    write_session(path, "b", pain=None, end=None)
    a, b = summarize(read_history(path).events)
    assert (a.session, len(a.completed), a.planned, a.pauses, a.ended, a.worst_pain) == ("a", 1, 4, 1, "completed", 4)
    assert (b.ended, b.worst_pain, b.duration) == ("interrupted", None, 70.0)


def test_a_torn_last_line_is_set_aside_and_the_next_session_starts_clean(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    write_session(path, "a")
    with open(path, "ab") as f:
        f.write(b'{"v": 1, "session": "b", "kind": "sess')  # a crash mid-write
    write_session(path, "c")
    reading = read_history(path)
    assert reading.skipped_lines == [5]
    assert [s.session for s in summarize(reading.events)] == ["a", "c"]


def test_foreign_lines_are_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    write_session(path, "a")
    with open(path, "a") as f:
        f.write('["not", "an", "event"]\n{"no": "session"}\n')
    write_session(path, "b")
    reading = read_history(path)
    assert reading.skipped_lines == [5, 6] and len(summarize(reading.events)) == 2
