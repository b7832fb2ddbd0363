"""`voice-rehab history`: the table of sessions, one session's timeline, export and plot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from voice_rehab.cli.common import fail, sessions


@click.group(invoke_without_command=True)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.pass_context
def history(ctx: click.Context, limit: int) -> None:
    """Your sessions: date, routine, time, exercises done, pauses, pain reports (worst score).
    Subcommands: show ID, export, plot."""
    from voice_rehab.io.history_report import table
    from voice_rehab.io.paths import history_file

    if ctx.invoked_subcommand is not None:
        return
    recent = sessions()[-limit:]
    if not recent:
        click.echo(f"No sessions yet ({history_file()}).")
        return
    for line in table(recent):
        click.echo(line)


@history.command()
@click.argument("session_id")
def show(session_id: str) -> None:
    """One session's full timeline (SESSION_ID: the id from the table, or its first letters)."""
    from voice_rehab.io.history import HistoryError, find_session
    from voice_rehab.io.history_report import timeline

    try:
        summary = find_session(sessions(), session_id)
    except HistoryError as exc:
        fail(str(exc))
    for line in timeline(summary):
        click.echo(line)


@history.command(name="export")
@click.option("--csv", "fmt", flag_value="csv", default=True, help="One row per session (default).")
@click.option("--json", "fmt", flag_value="json", help="Sessions with their pain reports in full.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="A file (default: standard output).")
def export_cmd(fmt: str, output: Path | None) -> None:
    """Every session, for a spreadsheet or a physiotherapist."""
    from voice_rehab.io.history_report import export, to_csv, to_json

    every = sessions()
    text = to_csv(every) if fmt == "csv" else to_json(every)
    try:
        export(text, output)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})")
    if output:
        click.echo(f"Wrote {output}: {_sessions(len(every))}.", err=True)


# matplotlib (about 100 MB with its fonts and images) is an extra: playing never needs it
PLOT_INSTALL = "pip install 'voice-rehab[plot]'"


@history.command(name="plot")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The PNG file to write.")
def plot_cmd(output: Path) -> None:
    """Pain scores and completed volume over time, as a PNG picture."""
    from voice_rehab.io.history_report import plot
    from voice_rehab.io.paths import history_file

    every = sessions()
    if not every:
        fail(f"no sessions to plot yet ({history_file()})")
    if importlib.util.find_spec("matplotlib") is None:
        fail(f"drawing the plot needs matplotlib, which playing does not: {PLOT_INSTALL}")
    try:
        plot(every, output)
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror})")
    click.echo(f"Wrote {output}: {_sessions(len(every))}.")


def _sessions(count: int) -> str:

    return f"{count} session{'' if count == 1 else 's'}"
