"""`recognize`: what the listener decides on an audio file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voice_rehab.cli.common import fail as _fail

if TYPE_CHECKING:
    from voice_rehab.core.phrases import Phrases


@click.command()
@click.argument("wav", type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(["auto", "vosk", "pocketsphinx"]), default="auto", show_default=True)
@click.option("--model", type=click.Path(path_type=Path), help="A vosk model folder.")
@click.option("--language", help="Phrases to listen for (default: the model's language, else en).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option(
    "--expect",
    type=click.Choice(["commands", "severity", "pain_type", "yes_no", "hurt_check", "choice"]),
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
    from voice_rehab.listen.audio import AudioFileError, read_wav
    from voice_rehab.listen.policy import HALT, RELEASE
    from voice_rehab.listen.setup import language_for
    from voice_rehab.listen.stream import decide_stream

    try:
        samples = read_wav(wav)
        phrases = phrases_for(language_for(model, language))
    except (AudioFileError, UnknownLanguage) as exc:
        _fail(str(exc))
    choice = choose_listener(engine, phrases, model, enrolled)
    click.echo(f"# {choice.reason}", err=True)
    choice.listener.expect(expect)
    for d in decide_stream(choice.listener, samples):
        if d.value in (HALT, RELEASE) and not show_halts:
            continue
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
