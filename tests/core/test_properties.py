"""Property-based tests: whatever a shared routine file or a history line holds, the loader and the
reader give a result or their own error, never a traceback. Derandomised, so every run is the same."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voice_rehab.core.routine import load_routine
from voice_rehab.core.yamlfile import ProblemsError
from voice_rehab.io.history import read_history, summarize
from voice_rehab.io.history_report import table, timeline, to_csv, to_json

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20,
)
FIELDS = ["title", "exercises", "name", "reps", "hold", "timer", "sets", "sides", "tempo", "cues", "rest", "language",
          "voice", "rate", "use", "remind_every", "prepare", "count"]  # fmt: skip
routine_like = st.fixed_dictionaries(
    {"title": scalars},
    optional={
        "exercises": st.lists(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6), max_size=4),
        **{f: values for f in FIELDS[2:8]},
    },
)


def _loads_or_says_why(path: Path) -> None:
    try:
        load_routine(path)
    except ProblemsError as exc:
        assert exc.problems and all(str(p).startswith(str(path)) for p in exc.problems)


@SETTINGS
@given(routine_like)
def test_any_routine_shaped_data_loads_or_is_refused_with_its_place(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("r") / "r.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _loads_or_says_why(path)


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_loads_or_is_refused_with_its_place(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("t") / "r.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _loads_or_says_why(path)


record_like = st.fixed_dictionaries(
    {"session": st.one_of(st.text(max_size=8), scalars), "kind": st.one_of(st.sampled_from(
        ["session_start", "session_resume", "set_done", "exercise_done", "pain_report", "pain_answer", "session_end",
         "pause", "command", "hearing", "halt"]), scalars)},
    optional={k: values for k in ["v", "seq", "at", "t", "routine", "reps", "seconds", "severity", "red_flags",
                                  "exercise", "side", "dose", "exercises", "planned", "reason", "value"]},
)  # fmt: skip


@SETTINGS
@given(st.lists(st.one_of(record_like.map(json.dumps), st.text(max_size=60)), max_size=12))
def test_any_history_lines_are_read_summarised_and_shown(tmp_path_factory, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("h") / "history.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    reading = read_history(path)
    sessions = summarize(reading.events)
    table(sessions)
    to_csv(sessions)
    to_json(sessions)
    for session in sessions:
        timeline(session)
