"""`recognize`: what the listener decides on an audio file."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voice_rehab.cli.common import fail as _fail

if TYPE_CHECKING:
    from voice_rehab.core.phrases import Phrases
    from voice_rehab.listen.listener import Decision


@click.command()
@click.argument("wav", type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["auto", "vosk", "pocketsphinx"]), default="auto", show_default=True)
@click.option("--model", type=click.Path(path_type=Path), help="A vosk model folder.")
@click.option("--language", help="Phrases to listen for (default: the model's language, else en).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option(
    "--expect",
    type=click.Choice(["commands", "severity", "pain_type", "yes_no", "hurt_check", "end_check", "choice"]),
    default="commands",
    show_default=True,
    help="What to listen for: commands, or the answers to one of the pain questions.",
)
@click.option("--show-halts", is_flag=True, help="Also print the fast stage's halts and their releases.")
@click.option("--enrolled", is_flag=True, help="Listen as for the person who enrolled (voice-rehab enroll).")
def recognize(
    wav: Path,
    engine: str,
    model: Path | None,
    language: str | None,
    as_json: bool,
    expect: str,
    show_halts: bool,
    enrolled: bool,
) -> None:
    """Stream an audio file in 20 ms chunks through the player's own listener; print each decision
    (a command, or with --expect an answer: "7", "sharp", "yes", "skip")."""
    from voice_rehab.core.phrases import UnknownLanguage, phrases_for
    from voice_rehab.listen.audio import AudioFileError, audio_blocks
    from voice_rehab.listen.policy import HALT, RELEASE
    from voice_rehab.listen.setup import language_for
    from voice_rehab.listen.stream import decide_blocks

    try:
        blocks = audio_blocks(wav)
        first = next(blocks, None)  # the header is checked here, before any model is loaded
        phrases = phrases_for(language_for(model, language))
    except (AudioFileError, UnknownLanguage) as exc:
        _fail(str(exc))
    choice = choose_listener(engine, phrases, model, enrolled)
    click.echo(f"# {choice.reason}", err=True)
    choice.listener.expect(expect)
    try:
        for d in decide_blocks(choice.listener, itertools.chain([first] if first is not None else [], blocks)):
            _print_decision(d, as_json, show_halts, (HALT, RELEASE))
    except AudioFileError as exc:  # a file that lies past its header
        _fail(str(exc))


def _print_decision(d: Decision, as_json: bool, show_halts: bool, halts: tuple[str, ...]) -> None:
    """One decision, as a line (or a JSON object); the halts and their releases only if asked."""
    if d.value in halts and not show_halts:
        return
    record = {"command": d.value, "kind": d.kind, "t": d.t, "heard": d.heard, "confidence": d.confidence}
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
    else:
        click.echo(f"{d.t:8.2f}  {d.value or d.kind:<8} heard '{d.heard}'")


def choose_listener(engine: str, phrases: Phrases, model: Path | None, enrolled: bool = True):  # type: ignore[no-untyped-def]
    """A listener for the room or the microphone; exit 1 with the reason if there is none."""
    from voice_rehab.listen.engines import choose

    choice = choose(engine, phrases, model, enrolled=enrolled)
    if choice.listener is None:
        _fail(choice.reason)
    return choice
