"""`play`, `resume` and `progress`: a session at today's dose."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from voice_rehab.authoring.names import DEFAULT_ROUTINE
from voice_rehab.cli.common import fail as _fail
from voice_rehab.cli.common import sessions as known_sessions
from voice_rehab.cli.routines import load_routine_or_exit

if TYPE_CHECKING:
    from voice_rehab.core.phrases import Phrases
    from voice_rehab.core.plan import Plan
    from voice_rehab.core.routine import Routine
    from voice_rehab.core.today import Today
    from voice_rehab.io.history import SessionSummary


def _play_options(command):  # type: ignore[no-untyped-def]
    """The options `play` and `resume` share."""
    for option in reversed(
        [
            click.option("--voice", help="TTS voice (an espeak-ng name such as en-us or en-gb)."),
            click.option("--rate", type=click.IntRange(60, 400), help="Speaking rate, words per minute."),
            click.option("--no-audio", is_flag=True, help="Show cues as text only."),
            click.option("--no-history", is_flag=True, help="Do not record this session."),
            click.option(
                "--engine",
                type=click.Choice(["auto", "vosk", "pocketsphinx", "keyboard"]),
                default="auto",
                show_default=True,
                help="How spoken commands are heard.",
            ),
            click.option("--model", type=click.Path(path_type=Path), help="A vosk model folder."),
        ]
    ):
        command = option(command)
    return command


@click.command()
@click.argument("routine", required=False)
@click.option(
    "--resume", "resume_it", is_flag=True, help="Continue the last interrupted session of ROUTINE where it stopped."
)
@_play_options
def play(routine: str | None, resume_it: bool, **options: Any) -> None:
    """Play ROUTINE (a name from `voice-rehab list`, or a file) at today's dose (see `progress`).
    Say "pause", "resume", "next", "repeat", "stop" or "that hurts"; or press space
    pause/resume, n next, r repeat, h that hurts, q stop."""
    _play(routine or DEFAULT_ROUTINE, resume_it, **options)


@click.command()
@_play_options
def resume(**options: Any) -> None:
    """Continue the last session interrupted by a crash, Ctrl-C or "stop", from the exercise and
    set where it stopped. The history shows both parts as one session."""
    _play(None, True, **options)


def _play(
    name: str | None,
    resume_it: bool,
    voice: str | None,
    rate: int | None,
    no_audio: bool,
    no_history: bool,
    engine: str,
    model: Path | None,
) -> None:
    from voice_rehab.authoring import catalog
    from voice_rehab.core.resume import RESUMABLE, CannotResume, latest_resumable
    from voice_rehab.core.today import continued_session, routine_file_of
    from voice_rehab.core.yamlfile import ProblemsError
    from voice_rehab.io.history import HistoryError, HistoryLog
    from voice_rehab.io.paths import history_file
    from voice_rehab.player import play_session

    sessions = known_sessions(quiet=no_history)
    try:
        if name is None:  # `resume`: whichever routine was interrupted last
            summary = latest_resumable(sessions)
            path = routine_file_of(summary)
        else:
            path = catalog.resolve(name)
        loaded, phrases = load_routine_or_exit(path, rate, voice)
        if resume_it:
            summary = latest_resumable(sessions, loaded.title)
            today = continued_session(loaded, phrases, summary)
        else:
            today = _next_session(loaded, phrases, sessions)
    except CannotResume as exc:
        _fail(f"cannot resume: {exc}")
    except (ProblemsError, HistoryError) as exc:
        _fail(str(exc))
    log = None
    if not no_history:
        try:
            log = HistoryLog(
                history_file(),
                loaded.title,
                session_id=today.session_id,
                t_offset=today.t_offset,
                start_fields={"routine_file": str(path.resolve()), "dose": today.dose.factor},
            )
        except HistoryError as exc:
            _fail(f"{exc} (use --no-history to play without recording)")
    played = play_session(
        today.routine, phrases, today.plan, audio=not no_audio, log=log, engine=engine, model=model, resume=today.resume
    )
    session = played.session
    click.echo(
        f"Session {'recorded' if log and not log.unwritten else 'ended'}: {len(session.completed)} of "
        f"{len(today.plan.exercise_names)} exercises completed, {len(session.pain_reports)} "
        f"pain report{'' if len(session.pain_reports) == 1 else 's'}."
        + (" Continue it with `voice-rehab resume`." if log and session.end_reason in RESUMABLE else "")
    )
    if played.signal is not None:
        sys.exit(128 + played.signal)  # as shells expect: 130 after Ctrl-C, 143 after `kill`


@click.command()
@click.argument("routine", default=DEFAULT_ROUTINE)
@click.option(
    "--reset",
    is_flag=True,
    help="Start progression afresh from the routine as written "
    "(after a clinician has seen warning signs, or a new start).",
)
def progress(routine: str, reset: bool) -> None:
    """Show the dose of ROUTINE's next session and why: reps and holds grow by at most 10 % a week
    after sessions without pain, hold or drop after pain, and stop after warning signs."""
    from datetime import datetime

    from voice_rehab.core.yamlfile import ProblemsError
    from voice_rehab.io.history import HistoryError
    from voice_rehab.io.progress_store import reset as reset_progress

    loaded, phrases = load_routine_or_exit(routine)
    if reset:
        try:
            reset_progress(loaded.title, datetime.now(UTC))
        except (ProblemsError, HistoryError) as exc:
            _fail(str(exc))
        click.echo(f"Progression of '{loaded.title}' reset: the next session is the routine as written.")
        return
    today = _next_session(loaded, phrases)
    click.echo(f"{loaded.title}: next session at {today.dose.factor:.0%} of the routine as written")
    click.echo(f"  why: {today.dose.reason}")
    for written, dosed in zip(loaded.exercises, today.routine.exercises):
        click.echo(f"  {written.name:<28} {written.dose:>24} -> {dosed.dose}")


def _next_session(loaded: Routine, phrases: Phrases, sessions: list[SessionSummary] | None = None) -> Today:
    """The routine's next session at the dose `play` would give it today (`sessions`: the history,
    read here if not given); exit 1 on bad data."""
    from voice_rehab.core.today import new_session
    from voice_rehab.core.yamlfile import ProblemsError
    from voice_rehab.io.history import HistoryError
    from voice_rehab.io.progress_store import reset_time
    from voice_rehab.io.settings import load_settings, settings_note

    if note := settings_note():
        click.echo(f"note: {note}", err=True)
    try:
        settings = load_settings().progression
        history = known_sessions() if sessions is None else sessions
        return new_session(loaded, phrases, history, settings, reset_time(loaded.title))
    except (ProblemsError, HistoryError) as exc:
        _fail(str(exc))


def todays_plan(loaded: Routine, phrases: Phrases, to_stderr: bool = False) -> Plan:
    """The plan of the session `play` would give today; says its dose and why (on stderr where
    stdout is for machines)."""

    session = _next_session(loaded, phrases)
    click.echo(
        f"Today's dose: {session.dose.factor:.0%} of the routine as written; why: {session.dose.reason}.", err=to_stderr
    )
    return session.plan


# ---- validate and list ----
