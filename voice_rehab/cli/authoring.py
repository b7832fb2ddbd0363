"""Commands for writing routines: `schema`, `exercises`, `new`."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from voice_rehab.cli.common import fail
from voice_rehab.core.phrases import available_languages


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write it to a file.")
def schema(output: Path | None) -> None:
    """The JSON Schema of the routine format (for editors: the shipped routines name it in a
    `# yaml-language-server: $schema=...` first line)."""
    from voice_rehab.authoring.schema import schema_text
    from voice_rehab.io.files import write_atomically

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    try:
        write_atomically(output, schema_text().encode("utf-8"))
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})")
    click.echo(f"Wrote {output}")


@click.command()
@click.argument("exercise", required=False)
def exercises(exercise: str | None) -> None:
    """The exercise library: use one in a routine with `- use: ID` and override what differs.
    With EXERCISE, show its fields."""
    import yaml

    from voice_rehab.core.routine import Exercise, library_entries

    library = library_entries()
    if exercise is not None:
        if exercise not in library:
            close = difflib.get_close_matches(exercise, list(library), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else " (`voice-rehab exercises` lists them)"
            fail(f"'{exercise}' is not in the exercise library{hint}")
        click.echo(yaml.safe_dump(library[exercise], allow_unicode=True, sort_keys=False), nl=False)
        return
    click.echo(f"{'id':<18} {'name':<30} dose")
    for key, entry in library.items():
        click.echo(f"{key:<18} {entry['name']:<30} {Exercise.model_validate(entry).dose}")


def _unknown_exercises(chosen: str, library: list[str]) -> str:
    """What is wrong with a comma-separated list of library ids ("" if nothing), with the nearest."""
    wrong = [e.strip() for e in chosen.split(",") if e.strip() and e.strip() not in library]
    if not wrong:
        return ""
    hints = [f"'{w}'" + (f" (did you mean '{c[0]}'?)" if (c := difflib.get_close_matches(w, library, n=1)) else "")
             for w in wrong]  # fmt: skip
    return f"not in the exercise library: {', '.join(hints)}"


@click.command()
@click.argument("name")
@click.option("--title", help="The routine's title (asked if not given).")
@click.option("--exercises", "chosen", help="Library ids, comma-separated (asked if not given).")
@click.option(
    "--language", type=click.Choice(available_languages()), help="Language of the routine (asked if not given)."
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Where to write it (default: your routines folder)."
)
@click.option("-y", "--yes", is_flag=True, help="Take the defaults instead of asking.")
def new(name: str, title: str | None, chosen: str | None, language: str | None, output: Path | None, yes: bool) -> None:
    """Start a routine NAME from the exercise library; it validates as written. Never overwrites."""

    from voice_rehab.authoring.scaffold import GENTLE_START, scaffold
    from voice_rehab.core.routine import library_entries
    from voice_rehab.io.files import write_atomically
    from voice_rehab.io.paths import user_routines_dir

    default_title = name.replace("-", " ").replace("_", " ").capitalize()
    if title is None:
        title = default_title if yes else click.prompt("Title", default=default_title)
    library = list(library_entries())
    if chosen is None and yes:
        chosen = ",".join(GENTLE_START)
    elif chosen is None:
        click.echo("Exercises in the library: " + ", ".join(library))
        while True:  # a mistyped one is asked again at once, with the nearest id
            chosen = click.prompt("Exercises, in order, comma-separated", default=",".join(GENTLE_START))
            unknown = _unknown_exercises(chosen, library)
            if not unknown:
                break
            click.echo(unknown)
    elif unknown := _unknown_exercises(chosen, library):
        fail(unknown)
    if language is None:
        language = "en" if yes else click.prompt("Language", default="en", type=click.Choice(available_languages()))
    path = output or user_routines_dir() / f"{name}.yaml"
    if path.exists():
        fail(f"{path} already exists; nothing was changed (choose another name or -o)")
    try:
        text = scaffold(title, [e.strip() for e in chosen.split(",") if e.strip()], language, path.parent)
        write_atomically(path, text.encode("utf-8"))
    except ValueError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror})")
    click.echo(f"Wrote {path}. Play it with `voice-rehab play {name}`; edit it, then `voice-rehab validate {path}`.")
