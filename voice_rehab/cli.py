"""The command line: parse, pick adapters, call the runner. Nothing else lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import catalog
from .events import Answer, Command, Effect, Heard, Log, Say, StateChanged, StopSpeech
from .history import HistoryError, HistoryLog, read_history, summarize
from .paths import history_file
from .phrases import Phrases, UnknownLanguage, phrases_for
from .plan import Plan, build_plan
from .routine import Routine, RoutineError, load_routine
from .simulation import run_virtual
from .virtual import EventAt


def _fail(message: str) -> None:
    click.echo(f"voice-rehab: {message}", err=True)
    sys.exit(1)


def _load(name: str, rate: int | None = None, voice: str | None = None) -> tuple[Routine, Phrases, Plan]:
    """Load a routine by name or path, apply --rate/--voice, and compile it; exit 1 on errors."""
    try:
        routine = load_routine(catalog.resolve(name))
        phrases = phrases_for(routine.language)
    except RoutineError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except UnknownLanguage as exc:
        _fail(str(exc))
    overrides = {k: v for k, v in (("rate", rate), ("voice", voice)) if v is not None}
    if overrides:
        routine = routine.model_copy(update=overrides)
    return routine, phrases, build_plan(routine, phrases)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="voice-rehab")
def main() -> None:
    """Offline, voice-guided player for back-rehab routines. Not medical advice: see a clinician
    for severe pain, pain spreading below the knee, numbness or weakness."""


# ---- play ----


@main.command()
@click.argument("routine", default=catalog.DEFAULT_ROUTINE)
@click.option("--voice", help="TTS voice (an espeak-ng name such as en-us or en-gb).")
@click.option("--rate", type=click.IntRange(60, 400), help="Speaking rate, words per minute.")
@click.option("--no-audio", is_flag=True, help="Show cues as text only.")
@click.option("--no-history", is_flag=True, help="Do not record this session.")
def play(routine: str, voice: str | None, rate: int | None, no_audio: bool, no_history: bool) -> None:
    """Play ROUTINE (a name from `voice-rehab list`, or a file). Keys: space pause/resume,
    n next, r repeat, h that hurts, q stop."""
    from .player import play_session

    loaded, phrases, plan = _load(routine, rate, voice)
    log = None
    if not no_history:
        try:
            log = HistoryLog(history_file(), loaded.title)
        except HistoryError as exc:
            _fail(f"{exc} (use --no-history to play without recording)")
    session = play_session(loaded, phrases, plan, audio=not no_audio, log=log)
    click.echo(
        f"Session {'recorded' if log else 'ended'}: {len(session.completed)} of "
        f"{len(plan.exercise_names)} exercises completed, {len(session.pain_reports)} pain reports."
    )


# ---- validate and list ----


@main.command()
@click.argument("files", nargs=-1, required=True)
def validate(files: tuple[str, ...]) -> None:
    """Check routine FILES; print every problem as FILE:LINE:COL: message."""
    failed = False
    for name in files:
        try:
            routine = load_routine(name)
        except RoutineError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem))
            continue
        try:
            plan = build_plan(routine, phrases_for(routine.language))
        except UnknownLanguage as exc:
            failed = True
            click.echo(f"{name}:1:1: language: {exc}")
            continue
        click.echo(f"{name}: ok: '{routine.title}', {len(routine.exercises)} exercises, "
                   f"about {_minutes(plan.duration)}")
    sys.exit(1 if failed else 0)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


@main.command(name="list")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def list_cmd(paths: tuple[Path, ...]) -> None:
    """List the shipped routines, your own (in the data folder), and any PATHS given."""
    entries = catalog.list_routines(list(paths))
    if not entries:
        click.echo("No routines found.")
        return
    width = max(len(e.name) for e in entries)
    for e in entries:
        if e.routine is None:
            click.echo(f"{e.name:<{width}}  {e.origin:<7}  INVALID: {e.error}")
        else:
            click.echo(f"{e.name:<{width}}  {e.origin:<7}  {_minutes(e.minutes * 60):>7}  {e.routine.title}")


# ---- simulate and render ----

_EVENT_HELP = "T:EVENT, T in seconds; EVENT is pause|resume|next|repeat|stop|hurts or answer:TEXT"


def _scripted(spec: str) -> tuple[float, EventAt]:
    time_text, sep, what = spec.partition(":")
    try:
        at = float(time_text)
    except ValueError:
        raise click.BadParameter(f"'{spec}': the time must be seconds, as in 12.5:pause") from None
    if not sep or at < 0:
        raise click.BadParameter(f"'{spec}': expected {_EVENT_HELP}")
    if what.startswith("answer:"):
        text = what.removeprefix("answer:")
        return at, lambda now: Answer(now, text, source="simulate")
    try:
        command = Command(what)
    except ValueError:
        raise click.BadParameter(f"'{spec}': unknown event '{what}' ({_EVENT_HELP})") from None
    return at, lambda now: Heard(now, command, heard=what, source="simulate")


def _effect_record(t: float, effect: Effect) -> dict[str, Any] | None:
    if isinstance(effect, Say):
        return {"t": t, "kind": "say", "text": effect.text, "priority": effect.priority.name.lower()}
    if isinstance(effect, StopSpeech):
        return {"t": t, "kind": "stop_speech"}
    if isinstance(effect, StateChanged):
        return {"t": t, "kind": "state", "state": effect.state}
    if isinstance(effect, Log):
        return {"t": t, "kind": "log", "event": effect.kind, "data": effect.data}
    return None  # display updates are left out of timelines


@main.command()
@click.argument("routine")
@click.option("--at", "events", multiple=True, metavar="T:EVENT", help=_EVENT_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def simulate(routine: str, events: tuple[str, ...], as_json: bool) -> None:
    """Run ROUTINE on a virtual clock (no waiting, no devices) and print its timeline."""
    _, phrases, plan = _load(routine)
    script = [_scripted(spec) for spec in events]
    _, timeline = run_virtual(plan, phrases, script)
    for t, effect in timeline:
        record = _effect_record(round(t, 3), effect)
        if record is None:
            continue
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        body = record.get("text") or record.get("state") or record.get("event", "")
        extra = " ".join(f"{k}={v}" for k, v in record.get("data", {}).items())
        click.echo(f"{record['t']:9.2f}  {record['kind']:<11} {body} {extra}".rstrip())


@main.command()
@click.argument("routine")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The WAV file to write.")
@click.option("--voice", help="TTS voice (an espeak-ng name such as en-us).")
@click.option("--rate", type=click.IntRange(60, 400), help="Speaking rate, words per minute.")
def render(routine: str, output: Path, voice: str | None, rate: int | None) -> None:
    """Write the whole of ROUTINE as one audio file, cues at their times, silence between."""
    from .speech.render import render_session, write_wav
    from .speech.synth import SpeechUnavailable, Synthesizer

    loaded, phrases, plan = _load(routine, rate, voice)
    try:
        synth = Synthesizer(loaded.voice or phrases.tts_voice, loaded.rate or phrases.words_per_minute)
        samples, sample_rate, drift = render_session(plan, phrases, synth)
    except SpeechUnavailable as exc:
        _fail(str(exc))
    try:
        write_wav(output, samples, sample_rate)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
    click.echo(f"Wrote {output}: {len(samples) / sample_rate / 60:.1f} min of audio"
               + (f" (cues moved up to {drift:.1f} s to avoid overlap)" if drift > 0.05 else ""))


# ---- history ----


@main.command()
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
def history(limit: int) -> None:
    """Show your last sessions: date, routine, exercises completed, pain reports."""
    path = history_file()
    try:
        reading = read_history(path)
    except HistoryError as exc:
        _fail(str(exc))
    if reading.skipped_lines:
        click.echo(f"note: {path}: set aside {len(reading.skipped_lines)} unreadable line(s) "
                   f"({', '.join(map(str, reading.skipped_lines[:5]))})", err=True)
    sessions = summarize(reading.events)[-limit:]
    if not sessions:
        click.echo(f"No sessions yet ({path}).")
        return
    click.echo(f"{'date':<17} {'routine':<28} {'done':>6} {'ended':<12} {'pain':<10}")
    for s in sessions:
        pain = "-" if not s.pain_reports else f"{len(s.pain_reports)} (worst {s.worst_pain})"
        date = s.started[:16].replace("T", " ")
        click.echo(f"{date:<17} {s.routine[:28]:<28} {s.completed:>2}/{s.planned:<3} {s.ended:<12} {pain}")
