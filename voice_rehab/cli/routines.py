"""Loading routines for every command, and `validate` and `list`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voice_rehab.cli.common import fail as _fail

if TYPE_CHECKING:
    from voice_rehab.core.phrases import Phrases
    from voice_rehab.core.plan import Plan
    from voice_rehab.core.routine import Routine


def load_plan(name: str, rate: int | None = None, voice: str | None = None) -> tuple[Routine, Phrases, Plan]:
    """Load a routine by name or path, apply --rate/--voice, and compile it; exit 1 on errors."""
    from voice_rehab.core.plan import build_plan

    routine, phrases = load_routine_or_exit(name, rate, voice)
    return routine, phrases, build_plan(routine, phrases)


def load_routine_or_exit(
    name: str | Path, rate: int | None = None, voice: str | None = None
) -> tuple[Routine, Phrases]:
    """A routine by name or path (and its language's phrases), with --rate/--voice; exit 1 on errors."""
    from voice_rehab.authoring import catalog
    from voice_rehab.core.phrases import UnknownLanguage, phrases_for
    from voice_rehab.core.routine import RoutineError, load_routine

    try:
        routine = load_routine(catalog.resolve(str(name)))
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
    from voice_rehab.speech.espeak_voices import voice_problem

    if routine.voice and (unknown := voice_problem(routine.voice)):
        _fail(f"{'--voice' if voice else f'{name}: voice'}: {unknown}")
    return routine, phrases


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def validate(files: tuple[str, ...], strict: bool) -> None:
    """Check routine FILES; print every problem as FILE:LINE:COL: message, and warnings about
    routines that load but would not work well (see docs/ROUTINES.md)."""
    from voice_rehab.authoring import catalog
    from voice_rehab.authoring.lint import lint
    from voice_rehab.core.phrases import UnknownLanguage, phrases_for
    from voice_rehab.core.plan import build_plan
    from voice_rehab.core.routine import RoutineError, read_routine

    failed = warned = False
    for name in files:
        try:
            routine, document = read_routine(catalog.resolve(name))
            phrases = phrases_for(routine.language)
        except RoutineError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem))
            continue
        except UnknownLanguage as exc:
            failed = True
            click.echo(f"{name}:1:1: language: {exc}")
            continue
        from voice_rehab.speech.espeak_voices import voice_problem

        if routine.voice and (unknown := voice_problem(routine.voice)):
            failed = True
            click.echo(str(document.problem(("voice",), f"voice: {unknown}")))
            continue
        plan = build_plan(routine, phrases)
        click.echo(
            f"{name}: ok: '{routine.title}', {_count(len(routine.exercises), 'exercise')}, "
            f"about {_minutes(plan.duration)}"
        )
        for warning in lint(routine, document, phrases):
            warned = True
            click.echo(str(warning))
    sys.exit(1 if failed or (strict and warned) else 0)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _minutes(seconds: float) -> str:
    from voice_rehab.core.plan import spoken_minutes
    from voice_rehab.core.routine import written_duration

    return f"{spoken_minutes(seconds)} min" if seconds >= 90 else written_duration(seconds)


@click.command(name="list")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def list_cmd(paths: tuple[Path, ...]) -> None:
    """List the shipped routines, your own (in the data folder), and any PATHS given."""
    from voice_rehab.authoring import catalog

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
