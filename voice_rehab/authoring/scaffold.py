"""`voice-rehab new`: a routine file to start from, built from the exercise library, that
validates as written and names the schema so editors autocomplete it."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from voice_rehab.authoring.catalog import shipped_routines_dir
from voice_rehab.authoring.schema import SCHEMA_NAME
from voice_rehab.core.routine import Exercise, library_entries, parse_routine

GENTLE_START = ("pelvic-tilt", "cat-cow", "knee-to-chest", "childs-pose")


def schema_path(folder: Path | None = None) -> str:
    """The schema beside the shipped routines (the repository's, or the installed package's), as a
    path from `folder` (where the routine is written) so the line works where the file lives;
    absolute where no such path exists (another drive)."""
    schema = (shipped_routines_dir().parent / SCHEMA_NAME).resolve()
    if folder is None:
        return str(schema)
    try:
        return os.path.relpath(schema, folder.resolve())
    except ValueError:
        return str(schema)


def scaffold(title: str, exercises: list[str], language: str = "en", folder: Path | None = None) -> str:
    """The routine text. In English each exercise is `use: ID` (the library's words and dose);
    in another language the library's fields are written out, to be translated in place."""
    library = library_entries()
    unknown = [e for e in exercises if e not in library]
    if unknown:
        raise ValueError(f"not in the exercise library: {', '.join(unknown)} (see `voice-rehab exercises`)")
    lines = [
        f"# yaml-language-server: $schema={schema_path(folder)}",
        "# Made with `voice-rehab new`. Check it with `voice-rehab validate FILE`; every field is",
        "# explained in docs/ROUTINES.md. Agree doses with your physiotherapist.",
        yaml.safe_dump({"title": title, "language": language}, allow_unicode=True, sort_keys=False).rstrip(),
        "rest_between_sets: 15",
        "rest_between_exercises: 20",
        "exercises:",
    ]
    for name in exercises:
        if language == "en":
            lines.append(f"  - use: {name}")
            exercise = Exercise.model_validate(library[name])
            kind = exercise.kind
            lines.append(
                f"    # the library's dose: {exercise.dose}; to change it, write e.g. "
                f"`{kind}: {library[name][kind]}` here"
            )
        else:
            entry = {k: v for k, v in library[name].items() if k != "source"}
            lines.append(f"  # from the library's '{name}': translate name, intro and cues")
            block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)
            lines.extend("  " + line for line in block.rstrip().splitlines())
    text = "\n".join(lines) + "\n"
    parse_routine(text, "<new routine>")  # it must validate as written
    return text
