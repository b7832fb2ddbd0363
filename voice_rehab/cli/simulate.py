"""`simulate` and `render`: a session on the virtual clock, in silence or in a virtual room."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from voice_rehab.cli.common import fail as _fail
from voice_rehab.cli.listen import choose_listener
from voice_rehab.cli.play import todays_plan
from voice_rehab.cli.routines import load_plan

if TYPE_CHECKING:
    from voice_rehab.core.events import Effect
    from voice_rehab.sim.virtual import EventAt


_EVENT_HELP = (
    "T:EVENT, T in seconds; EVENT is pause|resume|next|repeat|stop|hurts, answer:TEXT, "
    "say:PHRASE (spoken into the virtual room) or wav:FILE"
)


def _scripted(spec: str) -> tuple[float, str, EventAt | None]:
    """(time, audio spec or '', event maker or None) for one --at."""
    from voice_rehab.core.events import Answer, Command, Heard, Source

    time_text, sep, what = spec.partition(":")
    try:
        at = float(time_text)
    except ValueError:
        raise click.BadParameter(f"'{spec}': the time must be seconds, as in 12.5:pause") from None
    if not sep or at < 0:
        raise click.BadParameter(f"'{spec}': expected {_EVENT_HELP}")
    if what.startswith(("say:", "wav:")):
        return at, what, None
    if what.startswith("answer:"):
        text = what.removeprefix("answer:")
        return at, "", lambda now: Answer(now, text, source=Source.SIMULATE)
    try:
        command = Command(what)
    except ValueError:
        raise click.BadParameter(f"'{spec}': unknown event '{what}' ({_EVENT_HELP})") from None
    return at, "", lambda now: Heard(now, command, heard=what, source=Source.SIMULATE)


def _print_record(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
        return
    body = record.get("text") or record.get("state") or record.get("event") or record.get("heard", "")
    data = record.get("data", {k: v for k, v in record.items() if k in ("command", "answer", "confidence")})
    extra = " ".join(f"{k}={v}" for k, v in data.items())
    click.echo(f"{record['t']:9.2f}  {record['kind']:<11} {body} {extra}".rstrip())


@click.command()
@click.argument("routine")
@click.option("--at", "events", multiple=True, metavar="T:EVENT", help=_EVENT_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option("--snr", type=float, help="Pink noise in the virtual room, dB below the person's voice.")
@click.option("--user-voice", help="espeak-ng voice of the person for say: events (e.g. en-gb-x-rp+f3).")
@click.option(
    "--engine",
    type=click.Choice(["auto", "vosk", "pocketsphinx"]),
    default="auto",
    show_default=True,
    help="The listener in the virtual room.",
)
@click.option("--model", type=click.Path(path_type=Path), help="A vosk model folder.")
@click.option(
    "--room/--no-room",
    default=None,
    help="Stream audio through the listener (default: when say:, wav: or --snr is given).",
)
@click.option(
    "--today", is_flag=True, help="At today's dose, as `play` would play it (see `progress`), not as written."
)
def simulate(
    routine: str,
    events: tuple[str, ...],
    as_json: bool,
    snr: float | None,
    user_voice: str | None,
    engine: str,
    model: Path | None,
    room: bool | None,
    today: bool,
) -> None:
    """Run ROUTINE on a virtual clock (no waiting, no devices) and print its timeline.

    With a virtual room, the person's speech (say:/wav:), the player's own speech as echo and
    noise are mixed into a microphone signal that goes through the real listener."""
    from voice_rehab.listen.audio import AudioFileError
    from voice_rehab.sim.simulation import effect_record, stream_virtual
    from voice_rehab.speech.synth import SpeechUnavailable, Synthesizer, speaking_voice

    loaded, phrases, plan = load_plan(routine)
    if today:
        plan = todays_plan(loaded, phrases, to_stderr=True)
    script = [_scripted(spec) for spec in events]
    if room is None:
        room = snr is not None or any(audio for _, audio, _ in script)
    if not room:

        def show(t: float, effect: Effect) -> None:  # printed as it happens, never kept
            record = effect_record(effect)
            if record is not None:
                _print_record({"t": round(t, 3), **record}, as_json)

        stream_virtual(plan, phrases, show, [(t, make) for t, _, make in script if make])
        return
    from voice_rehab.listen.ducking import Ducking
    from voice_rehab.listen.room import VirtualRoom
    from voice_rehab.listen.setup import DEFAULT_USER_VOICE, user_speech
    from voice_rehab.listen.voices import VoiceUnavailable
    from voice_rehab.sim.simulation import run_in_room

    choice = choose_listener(engine, phrases, model)
    voice = user_voice or DEFAULT_USER_VOICE.get(phrases.language, phrases.tts_voice)
    try:
        synth = Synthesizer(*speaking_voice(loaded, phrases))
        virtual = VirtualRoom(choice.listener, synth.synthesize, snr_db=snr, ducking=Ducking())
        for t, audio, make in script:
            if audio:
                virtual.add_speech(t, user_speech(audio, voice))
            elif make:
                virtual.add_event(t, make)
    except (SpeechUnavailable, VoiceUnavailable, AudioFileError) as exc:
        _fail(str(exc))
    click.echo(f"# {choice.reason}", err=True)
    for t, record in run_in_room(plan, phrases, virtual):
        _print_record({"t": round(t, 3), **record}, as_json)


@click.command()
@click.argument("routine")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The WAV file to write."
)
@click.option("--voice", help="TTS voice (an espeak-ng name such as en-us).")
@click.option("--rate", type=click.IntRange(60, 400), help="Speaking rate, words per minute.")
@click.option(
    "--today", is_flag=True, help="At today's dose, as `play` would play it (see `progress`), not as written."
)
def render(routine: str, output: Path, voice: str | None, rate: int | None, today: bool) -> None:
    """Write the whole of ROUTINE as one audio file, cues at their times, silence between."""
    from voice_rehab.sim.render import render_to_wav
    from voice_rehab.speech.synth import SpeechUnavailable, Synthesizer, speaking_voice

    loaded, phrases, plan = load_plan(routine, rate, voice)
    if today:
        plan = todays_plan(loaded, phrases)
    try:
        synth = Synthesizer(*speaking_voice(loaded, phrases))
        done = render_to_wav(output, plan, phrases, synth)  # piece by piece: memory bounded by one cue
    except SpeechUnavailable as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
    click.echo(
        f"Wrote {output}: {done.samples / done.rate / 60:.1f} min of audio"
        + (f" (cues moved up to {done.drift:.1f} s to avoid overlap)" if done.drift > 0.05 else "")
    )


# ---- listening: recognize, models, check ----
