"""The history for people: a table of sessions, one session's timeline, CSV/JSON export, a plot."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voice_rehab.io.files import write_atomically
from voice_rehab.io.history import SessionSummary
from voice_rehab.io.records import PainReport, Record, SessionStart, SetDone

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLUMNS = [
    "session",
    "date",
    "routine",
    "dose",
    "duration_min",
    "completed",
    "planned",
    "skipped",
    "pauses",
    "pain_reports",
    "worst_pain",
    "red_flag",
    "ended",
    "runs",
    "reps",
    "hold_seconds",
]


def row(s: SessionSummary) -> dict[str, Any]:
    """One session as flat fields (the CSV columns and the table's source)."""
    return {
        "session": s.session,
        "date": s.date,
        "routine": s.routine,
        "dose": s.dose,
        "duration_min": round(s.duration / 60, 1),
        "completed": len(s.completed),
        "planned": s.planned,
        "skipped": len(s.skipped),
        "pauses": s.pauses,
        "pain_reports": len(s.pain_reports),
        "worst_pain": s.worst_pain,
        "red_flag": s.red_flag,
        "ended": s.ended,
        "runs": s.runs,
        "reps": s.reps,
        "hold_seconds": round(s.hold_seconds),
    }


def table(sessions: list[SessionSummary]) -> list[str]:
    lines = [f"{'id':<8} {'date':<16} {'routine':<24} {'time':>6} {'done':>6} {'pauses':>6}  {'pain':<12} ended"]
    for s in sessions:
        r = row(s)
        pain = (
            "-"
            if not s.pain_reports
            else f"{len(s.pain_reports)} (worst {s.worst_pain if s.worst_pain is not None else '?'})"
        )
        ended = s.ended + (" (resumed)" if s.runs > 1 else "")
        lines.append(
            f"{s.session[:8]:<8} {r['date']:<16} {s.routine[:24]:<24} {_clock(s.duration):>6} "
            f"{r['completed']:>2}/{r['planned']:<3} {s.pauses:>6}  {pain:<12} {ended}"
        )
    return lines


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _pain_report(e: Record) -> str:
    """What was answered, and only that: a question left unanswered (or never asked, as the warning
    signs are for mild, dull pain) must not read as a "no" to a clinician."""
    assert isinstance(e, PainReport)
    flags = (
        "not asked"
        if "red_flags" not in e.model_fields_set
        else {True: "yes", False: "no", None: "no answer"}[e.red_flags]
    )
    return (
        f"pain report: {e.severity if e.severity is not None else '?'}/10, {e.pain_type or 'kind not given'}, "
        f"warning signs {flags}, then {e.outcome}"
    )


def _field(e: Record, name: str) -> Any:
    """A field of the record's kind, or one kept from another version (None if it has neither)."""
    return getattr(e, name, None)


def _side(e: Record) -> str:
    return f", {_field(e, 'side')} side" if _field(e, "side") else ""


def _set_done(e: Record) -> str:
    assert isinstance(e, SetDone)
    amount = f", {e.reps} reps" if e.reps is not None else f", {e.seconds or 0:g} s"
    return f"{e.name}: set {e.set}{_side(e)} done{amount}"


def _started(e: Record) -> str:
    assert isinstance(e, SessionStart)
    dose = f", dose {e.dose:.0%}" if "dose" in e.model_fields_set else ""
    return f"started '{e.routine}' ({e.planned} exercises{dose})"


_DESCRIBE: dict[str, Callable[[Record], str]] = {
    "session_start": _started,
    "session_resume": lambda e: f"resumed at {_field(e, 'name')}, set {_field(e, 'set')}" + _side(e),
    "set_done": _set_done,
    "exercise_done": lambda e: f"{_field(e, 'name')} completed",
    "exercise_skipped": lambda e: f"{_field(e, 'name')} skipped",
    "command": lambda e: f'heard "{_field(e, "heard")}" ({_field(e, "command")}, {_field(e, "source")})',
    "pause": lambda e: f"paused in {_field(e, 'name')}",
    "resume": lambda e: "resumed",
    "repeat": lambda e: f"repeating {_field(e, 'name')}",
    "hurt_check_asked": lambda e: (
        '"that hurts" heard, but not surely: paused and asked whether something hurts'
        if _field(e, "why") == "doubted"
        else '"pause" heard while paused: asked whether something hurts'
    ),
    "hurt_check": lambda e: f"  does something hurt? {_field(e, 'answer') or 'no answer'}",
    "end_check_asked": lambda e: '"stop" heard again while paused, but not surely: asked whether to end',
    "end_check": lambda e: f"  end the session? {_field(e, 'answer') or 'no answer'}",
    "pain_start": lambda e: (
        f"pain reported during {_field(e, 'name')}" if _field(e, "name") else "pain reported before the first exercise"
    ),
    "pain_answer": lambda e: f'  {_field(e, "question")}: "{_field(e, "heard")}" -> {_field(e, "value")}',
    "pain_report": _pain_report,
    "session_end": lambda e: (
        f"ended: {_field(e, 'reason')} ({_field(e, 'completed')} of {_field(e, 'planned')} exercises)"
    ),
}


def timeline(s: SessionSummary) -> list[str]:
    """One session, event by event, as a person would read it."""
    lines = [f"Session {s.session}: {s.routine}, {s.date}"]
    for event in s.events:
        describe = _DESCRIBE.get(event.kind)
        text = describe(event) if describe else event.kind
        lines.append(f"  {_clock(event.t):>6}  {text}")
    return lines


def to_csv(sessions: list[SessionSummary]) -> str:
    """Header and one row per session; opens in any spreadsheet."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for s in sessions:
        writer.writerow(row(s))
    return out.getvalue()


def to_json(sessions: list[SessionSummary]) -> str:
    """Every session with its pain reports in full (for a physiotherapist's own tools)."""
    keep = {"severity", "pain_type", "red_flags", "choice", "outcome", "name", "set", "side"}
    data = [
        {
            **row(s),
            "exercises": s.exercises,
            "pain": [r.model_dump(include=keep & r.model_fields_set) for r in s.pain_reports],
        }
        for s in sessions
    ]
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def export(text: str, output: Path | None) -> None:
    """To a file (written whole or not at all), or to stdout."""
    if output is None:
        print(text, end="")
    else:
        write_atomically(output, text.encode("utf-8"))


def plot_figure(sessions: list[SessionSummary]) -> Figure:
    """Pain and completed volume, one column per session (its date and time below it, so three
    sessions on one day are three columns), one colour per routine, a legend of them; a session
    without pain reports is marked as such, and the pain line never joins across one."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    dated = [s for s in sessions if s.when is not None]
    x = list(range(len(dated)))
    routines = list(dict.fromkeys(s.routine for s in dated))
    colour = {r: plt.get_cmap("tab10")(k % 10) for k, r in enumerate(routines)}
    fig, (pain_ax, volume_ax) = plt.subplots(2, 1, sharex=True, figsize=(9, 6), height_ratios=(1, 1))
    fig.suptitle("voice-rehab: pain and completed volume, session by session")
    # NaN where a session had no pain report: the line breaks there instead of joining 7 to 4
    worst = [float(s.worst_pain) if s.worst_pain is not None else math.nan for s in dated]
    pain_ax.plot(x, worst, "o-", color="tab:red", label="worst pain reported")
    calm = [k for k, s in enumerate(dated) if not s.pain_reports]
    pain_ax.plot(calm, [0] * len(calm), "o", color="tab:green", label="no pain reported")
    flags = [k for k, s in enumerate(dated) if s.red_flag]
    if flags:
        pain_ax.plot(flags, [10] * len(flags), "X", color="black", markersize=10, label="warning signs")
    pain_ax.set_ylim(-0.5, 10.5)
    pain_ax.set_ylabel("pain (0-10)")
    pain_ax.legend(loc="upper right", fontsize="small")
    pain_ax.grid(alpha=0.3)
    for routine in routines:
        mine = [k for k, s in enumerate(dated) if s.routine == routine]
        volume_ax.bar(mine, [dated[k].reps for k in mine], width=0.6, color=colour[routine], label=routine)
    volume_ax.set_ylabel("reps completed")
    holds = volume_ax.twinx()
    holds.plot(x, [s.hold_seconds / 60 for s in dated], "s", color="black", label="minutes held")
    holds.set_ylabel("minutes held")
    if routines:
        volume_ax.legend(loc="upper left", fontsize="small", title="routine")
    volume_ax.grid(alpha=0.3)
    volume_ax.set_xticks(x, [s.date for s in dated], rotation=30, ha="right", fontsize="small")
    fig.tight_layout()
    return fig


def plot(sessions: list[SessionSummary], output: Path) -> None:
    """`plot_figure`, as a PNG written whole or not at all."""
    import matplotlib.pyplot as plt

    fig = plot_figure(sessions)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    write_atomically(output, buffer.getvalue())
