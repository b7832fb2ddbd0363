"""The session history file: appended and synced as it goes, readable after a torn write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_rehab.io.history import HistoryError, HistoryLog, read_history, summarize


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


BAD_LINES = {
    "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "a 5,000-digit number": '{"v": 2, "session": "x", "kind": "pause", "t": ' + "9" * 5000 + "}",
    "exercises: 3": '{"v": 2, "session": "x", "kind": "session_start", "exercises": 3}',
    "t as text": '{"v": 2, "session": "x", "kind": "pause", "t": "abc"}',
    "t NaN": '{"v": 2, "session": "x", "kind": "pause", "t": NaN}',
    "t Infinity": '{"v": 2, "session": "x", "kind": "pause", "t": Infinity}',
    "seconds as text": '{"v": 2, "session": "x", "kind": "set_done", "seconds": "abc"}',
    "dose NaN": '{"v": 2, "session": "x", "kind": "session_start", "dose": NaN}',
    "side as a list": '{"v": 2, "session": "x", "kind": "set_done", "side": ["left"]}',
    "severity as text": '{"v": 2, "session": "x", "kind": "pain_report", "severity": "seven"}',
    "a lone surrogate": '{"v": 2, "session": "x", "kind": "session_start", "routine": "a\\ud800b"}',
    "a lone surrogate in a list": '{"v": 2, "session": "x", "kind": "session_start", "exercises": ["a\\ud800"]}',
}


def test_each_unreadable_record_is_set_aside_and_the_rest_is_read(tmp_path: Path) -> None:
    """Each of these had crashed every command (play included) that read the history."""
    path = tmp_path / "h.jsonl"
    write_session(path, "a", pain=3)
    with open(path, "a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in BAD_LINES.values())
    write_session(path, "b")
    reading = read_history(path)
    assert len(reading.skipped_lines) == len(BAD_LINES)
    sessions = summarize(reading.events)
    assert [s.session for s in sessions] == ["a", "b"] and sessions[0].worst_pain == 3
    assert f"set aside {len(BAD_LINES)} unreadable line(s)" in reading.notes(path)[0]


def test_a_time_without_a_zone_is_read_as_utc(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text('{"v": 2, "session": "x", "kind": "session_start", "at": "2026-01-02T03:04:05", "t": 0}\n')
    [session] = summarize(read_history(path).events)
    assert session.when is not None and session.when.utcoffset() is not None


def test_a_version_1_history_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text(
        '{"session": "old", "kind": "session_start", "at": "2025-05-01T10:00:00+00:00", "t": 0, "planned": 2}\n'
        '{"session": "old", "kind": "exercise_done", "t": 60, "exercise": 0}\n'
        '{"session": "old", "kind": "session_end", "t": 61, "reason": "stopped"}\n'
    )
    [session] = summarize(read_history(path).events)
    assert (session.planned, session.completed, session.ended) == (2, [0], "stopped")


def test_a_full_disk_is_said_once_and_the_session_goes_on(tmp_path: Path) -> None:
    """A full disk had killed `play` from inside the live loop (guidance and listener with it).
    /dev/full is a real device that refuses every write with "No space left on device"."""
    told: list[str] = []
    log = HistoryLog(Path("/dev/full"), "R", session_id="s1")
    log.on_trouble = told.append
    for t in range(5):
        log.write("pause", float(t), {})  # never raises
    assert log.unwritten == 5
    assert len(told) == 1 and "Cannot record this session (No space left on device)" in told[0]
    with pytest.raises(HistoryError, match="5 record\\(s\\) of this session could not be written"):
        log.close()


def test_records_kept_back_are_written_in_order_when_room_returns(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    log = HistoryLog(path, "R", session_id="s1")
    real_file = log._file

    class Full:
        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

        def flush(self) -> None: ...
        def close(self) -> None: ...
        def fileno(self) -> int:
            return real_file.fileno()

    log._file = Full()  # type: ignore[assignment]  # the disk fills up mid-session
    log._discard_partial = lambda: None  # type: ignore[method-assign]  # stays full until we say
    log.write("session_start", 0.0, {"planned": 1})
    log.write("pause", 1.0, {})
    assert log.unwritten == 2
    log._file = real_file  # room again
    log.write("session_end", 2.0, {"reason": "stopped"})
    log.close()
    assert [e.kind for e in read_history(path).events] == ["session_start", "pause", "session_end"]
    assert [e.seq for e in read_history(path).events] == [0, 1, 2]


def test_a_history_of_only_blank_lines_is_written_to(tmp_path: Path) -> None:
    """It had been refused as "not a voice-rehab history"."""
    path = tmp_path / "h.jsonl"
    path.write_text("\n\n  \n")
    write_session(path, "a")
    assert [s.session for s in summarize(read_history(path).events)] == ["a"]


def test_a_reset_time_without_a_zone_is_read_as_utc(tmp_path: Path) -> None:
    from voice_rehab.io.progress_store import reset_time

    path = tmp_path / "progress.json"
    path.write_text('{"resets": {"R": "2026-01-02T03:04:05"}}')
    when = reset_time("R", path)
    assert when is not None and when.utcoffset() is not None


def test_escape_codes_in_a_routine_name_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text(
        '{"v": 2, "session": "x", "kind": "session_start", "routine": "Evil\\u001b]0;owned\\u0007", "t": 0}\n'
    )
    [session] = summarize(read_history(path).events)
    assert session.routine == "Evil]0;owned"


def test_the_plot_has_one_column_per_session_a_colour_per_routine_and_no_pain_line_across_calm(
    tmp_path: Path,
) -> None:
    """Three sessions on one day had been one bar from 18:00 to 04:00; the pain line joined 7 to 4
    straight over a session without pain; routines were mixed unlabelled."""
    import math
    from datetime import UTC, datetime, timedelta

    from voice_rehab.io.history_report import plot_figure

    path = tmp_path / "h.jsonl"
    start = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    for k, (routine, pain) in enumerate([("Morning", 7), ("Evening", None), ("Morning", 4)]):
        log = HistoryLog(path, routine, session_id=f"s{k}", wall_clock=lambda k=k: start + timedelta(hours=3 * k))
        log.write("session_start", 0.0, {"planned": 1})
        log.write("set_done", 10.0, {"exercise": 0, "name": "A", "set": 1, "reps": 5 + k})
        if pain is not None:
            log.write("pain_report", 20.0, {"exercise": 0, "name": "A", "severity": pain, "outcome": "end"})
        log.write("session_end", 30.0, {"reason": "completed"})
        log.close()
    fig = plot_figure(summarize(read_history(path).events))
    pain_ax, volume_ax = fig.axes[0], fig.axes[1]
    labels = [t.get_text() for t in volume_ax.get_xticklabels()]
    assert labels == ["2026-03-02 18:00", "2026-03-02 21:00", "2026-03-03 00:00"]  # one column each
    worst = pain_ax.lines[0].get_ydata()
    assert worst[0] == 7 and math.isnan(worst[1]) and worst[2] == 4  # the line breaks over the calm one
    assert list(pain_ax.lines[1].get_xdata()) == [1]  # marked "no pain reported"
    legend = [t.get_text() for t in volume_ax.get_legend().get_texts()]
    assert legend == ["Morning", "Evening"]
    colours = {bar.get_x(): bar.get_facecolor() for bar in volume_ax.patches}
    assert colours[-0.3] == colours[2 - 0.3] != colours[1 - 0.3]  # one colour per routine
