"""What every command of the command line shares."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from voice_rehab.io.history import SessionSummary


def fail(message: str) -> NoReturn:
    """Say what went wrong in one line on stderr and exit 1."""
    click.echo(f"voice-rehab: {message}", err=True)
    sys.exit(1)


def sessions(quiet: bool = False) -> list[SessionSummary]:
    """Every session in the history; notes about lines set aside go to stderr. An unreadable
    history exits 1, unless `quiet` (playing without history), where it counts as empty."""
    from voice_rehab.io.history import HistoryError, read_history, summarize
    from voice_rehab.io.paths import history_file

    path = history_file()
    try:
        reading = read_history(path)
    except HistoryError as exc:
        if quiet:
            return []
        fail(f"{exc} (use --no-history to play without it)")
    for note in reading.notes(path):
        click.echo(f"note: {note}", err=True)
    return summarize(reading.events)
