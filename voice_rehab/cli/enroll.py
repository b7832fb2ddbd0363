"""`voice-rehab enroll`: a minute of the person's voice, so the listener learns how they speak."""

from __future__ import annotations

import queue
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voice_rehab.cli.common import fail
from voice_rehab.core.phrases import UnknownLanguage, phrases_for

# Ordinary talk the person reads out: what the listener must learn *not* to act on in their voice.
TALK_EN = (
    "I'm lying on the mat now.",
    "My back feels a little stiff today.",
    "One, two, three, four, five.",
    "That was easier than yesterday.",
)
TAKE_TIMEOUT = 6.0  # seconds to wait for the person to speak each phrase


if TYPE_CHECKING:
    import numpy as np


def _chunks_from(source: object, timeout: float) -> Iterator[np.ndarray]:
    """20 ms chunks from a started microphone, until `timeout` seconds of them."""
    chunks: queue.Queue[np.ndarray] = queue.Queue()
    source.start(chunks.put)  # type: ignore[attr-defined]
    taken = 0.0
    while taken < timeout:
        try:
            chunk = chunks.get(timeout=1.0)
        except queue.Empty:
            return
        taken += len(chunk) / 16000
        yield chunk


@click.command()
@click.option("--language", default="en", show_default=True, help="The language of the commands to enrol.")
@click.option(
    "--from-folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Enrol from recordings instead of the microphone: COMMAND-N.wav and talk-N.wav files.",
)
@click.option("--clear", is_flag=True, help="Forget the recordings of an earlier enrolment first.")
def enroll(language: str, from_folder: Path | None, clear: bool) -> None:
    """Say each command a few times and a few sentences of ordinary talk (about a minute); the
    listener then knows your voice. The recordings stay in your data folder, on this machine."""
    from voice_rehab.listen.audio import read_wav
    from voice_rehab.listen.enrolment import TALK, Take, cut_utterance, enrolment_dir, prompts, read_takes, save_take

    try:
        phrases = phrases_for(language)
    except UnknownLanguage as exc:
        fail(str(exc))
    folder = enrolment_dir(language)
    if clear and folder.exists():
        shutil.rmtree(folder)
    takes: list[Take] = read_takes(folder)
    if from_folder is not None:
        known = {*phrases.commands, TALK}
        files = sorted(from_folder.glob("*.wav"))
        for path in files:
            command = path.stem.rsplit("-", 1)[0]
            if command not in known:
                fail(f"{path}: the name must start with one of {', '.join(sorted(known))} (then -N.wav)")
            said = phrases.commands[command][0] if command != TALK else "(talk)"
            takes = save_take(folder, takes, said, command, read_wav(path))
        if not files:
            fail(f"{from_folder}: no .wav files")
        click.echo(f"Enrolled {len(files)} recordings into {folder}.")
        return
    from voice_rehab.listen.microphone import MicrophoneUnavailable, SoundDeviceSource

    try:
        SoundDeviceSource()
    except MicrophoneUnavailable as exc:
        fail(f"no microphone to enrol with ({exc}); record the phrases elsewhere and use --from-folder")
    talk = TALK_EN if language == "en" else ()
    asked = prompts(phrases, talk)
    click.echo(f"Say each phrase when it is shown ({len(asked)} in all, about a minute).")
    for index, (said, command) in enumerate(asked, 1):
        click.echo(f"  {index:2d}/{len(asked)}  say: {said}")
        source = SoundDeviceSource()
        try:
            recording = cut_utterance(_chunks_from(source, TAKE_TIMEOUT))
        finally:
            source.close()
        if recording is None:
            click.echo("         (nothing heard; skipped)")
            continue
        takes = save_take(folder, takes, said, command, recording)
    click.echo(f"Enrolled {len(takes)} recordings into {folder}. The player now knows your voice.")
