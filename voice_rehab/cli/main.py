"""The command line: parse, pick adapters, call the runner. Nothing else lives here."""

from __future__ import annotations

import json
import sys
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from voice_rehab.authoring.names import DEFAULT_ROUTINE
from voice_rehab.cli.common import fail as _fail
from voice_rehab.cli.common import sessions as known_sessions

# Only what --help needs is imported here (it answers in a blink); each command imports the rest.
if TYPE_CHECKING:
    from voice_rehab.core.phrases import Phrases
    from voice_rehab.core.plan import Plan
    from voice_rehab.core.routine import Routine
    from voice_rehab.core.today import Today
    from voice_rehab.io.history import SessionSummary
    from voice_rehab.sim.virtual import EventAt


def _load(name: str, rate: int | None = None, voice: str | None = None) -> tuple[Routine, Phrases, Plan]:
    """Load a routine by name or path, apply --rate/--voice, and compile it; exit 1 on errors."""
    from voice_rehab.core.plan import build_plan

    routine, phrases = _load_routine(name, rate, voice)
    return routine, phrases, build_plan(routine, phrases)


def _load_routine(name: str | Path, rate: int | None = None, voice: str | None = None) -> tuple[Routine, Phrases]:
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


EXIT_CODES = """\b
Exit codes: 0 done; 1 bad input (the message names the file, line and field) or a missing part
(`check`); 2 a wrong option or argument; 130 ended by Ctrl-C, 143 by `kill` (the session is recorded
and can be resumed)."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(package_name="voice-rehab")
def main() -> None:
    """Offline, voice-guided player for back-rehab routines. Not medical advice: see a clinician
    for severe pain, pain spreading below the knee, numbness or weakness."""


# ---- play ----


def _play_options(command):  # type: ignore[no-untyped-def]
    """The options `play` and `resume` share."""
    for option in reversed(
        [
            click.option("--voice", help="TTS voice (an espeak-ng name such as en-us or en-gb)."),
            click.option("--rate", type=click.IntRange(60, 400), help="Speaking rate, words per minute."),
            click.option("--no-audio", is_flag=True, help="Show cues as text only."),
            click.option("--no-history", is_flag=True, help="Do not record this session."),
            click.option(
                "--engine",
                type=click.Choice(["auto", "vosk", "pocketsphinx", "keyboard"]),
                default="auto",
                show_default=True,
                help="How spoken commands are heard.",
            ),
            click.option("--model", type=click.Path(path_type=Path), help="A vosk model folder."),
        ]
    ):
        command = option(command)
    return command


@main.command()
@click.argument("routine", required=False)
@click.option(
    "--resume", "resume_it", is_flag=True, help="Continue the last interrupted session of ROUTINE where it stopped."
)
@_play_options
def play(routine: str | None, resume_it: bool, **options: Any) -> None:
    """Play ROUTINE (a name from `voice-rehab list`, or a file) at today's dose (see `progress`).
    Say "pause", "resume", "next", "repeat", "stop" or "that hurts"; or press space
    pause/resume, n next, r repeat, h that hurts, q stop."""
    _play(routine or DEFAULT_ROUTINE, resume_it, **options)


@main.command()
@_play_options
def resume(**options: Any) -> None:
    """Continue the last session interrupted by a crash, Ctrl-C or "stop", from the exercise and
    set where it stopped. The history shows both parts as one session."""
    _play(None, True, **options)


def _play(
    name: str | None,
    resume_it: bool,
    voice: str | None,
    rate: int | None,
    no_audio: bool,
    no_history: bool,
    engine: str,
    model: Path | None,
) -> None:
    from voice_rehab.authoring import catalog
    from voice_rehab.core.resume import RESUMABLE, CannotResume, latest_resumable
    from voice_rehab.core.today import continued_session, routine_file_of
    from voice_rehab.core.yamlfile import ProblemsError
    from voice_rehab.io.history import HistoryError, HistoryLog
    from voice_rehab.io.paths import history_file
    from voice_rehab.player import play_session

    sessions = known_sessions(quiet=no_history)
    try:
        if name is None:  # `resume`: whichever routine was interrupted last
            summary = latest_resumable(sessions)
            path = routine_file_of(summary)
        else:
            path = catalog.resolve(name)
        loaded, phrases = _load_routine(path, rate, voice)
        if resume_it:
            summary = latest_resumable(sessions, loaded.title)
            today = continued_session(loaded, phrases, summary)
        else:
            today = _next_session(loaded, phrases, sessions)
    except CannotResume as exc:
        _fail(f"cannot resume: {exc}")
    except (ProblemsError, HistoryError) as exc:
        _fail(str(exc))
    log = None
    if not no_history:
        try:
            log = HistoryLog(
                history_file(),
                loaded.title,
                session_id=today.session_id,
                t_offset=today.t_offset,
                start_fields={"routine_file": str(path.resolve()), "dose": today.dose.factor},
            )
        except HistoryError as exc:
            _fail(f"{exc} (use --no-history to play without recording)")
    played = play_session(
        today.routine, phrases, today.plan, audio=not no_audio, log=log, engine=engine, model=model, resume=today.resume
    )
    session = played.session
    click.echo(
        f"Session {'recorded' if log and not log.unwritten else 'ended'}: {len(session.completed)} of "
        f"{len(today.plan.exercise_names)} exercises completed, {len(session.pain_reports)} "
        f"pain report{'' if len(session.pain_reports) == 1 else 's'}."
        + (" Continue it with `voice-rehab resume`." if log and session.end_reason in RESUMABLE else "")
    )
    if played.signal is not None:
        sys.exit(128 + played.signal)  # as shells expect: 130 after Ctrl-C, 143 after `kill`


@main.command()
@click.argument("routine", default=DEFAULT_ROUTINE)
@click.option(
    "--reset",
    is_flag=True,
    help="Start progression afresh from the routine as written "
    "(after a clinician has seen warning signs, or a new start).",
)
def progress(routine: str, reset: bool) -> None:
    """Show the dose of ROUTINE's next session and why: reps and holds grow by at most 10 % a week
    after sessions without pain, hold or drop after pain, and stop after warning signs."""
    from datetime import datetime

    from voice_rehab.core.yamlfile import ProblemsError
    from voice_rehab.io.history import HistoryError
    from voice_rehab.io.progress_store import reset as reset_progress

    loaded, phrases = _load_routine(routine)
    if reset:
        try:
            reset_progress(loaded.title, datetime.now(UTC))
        except (ProblemsError, HistoryError) as exc:
            _fail(str(exc))
        click.echo(f"Progression of '{loaded.title}' reset: the next session is the routine as written.")
        return
    today = _next_session(loaded, phrases)
    click.echo(f"{loaded.title}: next session at {today.dose.factor:.0%} of the routine as written")
    click.echo(f"  why: {today.dose.reason}")
    for written, dosed in zip(loaded.exercises, today.routine.exercises):
        click.echo(f"  {written.name:<28} {written.dose:>24} -> {dosed.dose}")


def _next_session(loaded: Routine, phrases: Phrases, sessions: list[SessionSummary] | None = None) -> Today:
    """The routine's next session at the dose `play` would give it today (`sessions`: the history,
    read here if not given); exit 1 on bad data."""
    from voice_rehab.core.today import new_session
    from voice_rehab.core.yamlfile import ProblemsError
    from voice_rehab.io.history import HistoryError
    from voice_rehab.io.progress_store import reset_time
    from voice_rehab.io.settings import load_settings

    try:
        settings = load_settings().progression
        history = known_sessions() if sessions is None else sessions
        return new_session(loaded, phrases, history, settings, reset_time(loaded.title))
    except (ProblemsError, HistoryError) as exc:
        _fail(str(exc))


def _todays_plan(loaded: Routine, phrases: Phrases, to_stderr: bool = False) -> Plan:
    """The plan of the session `play` would give today; says its dose and why (on stderr where
    stdout is for machines)."""

    session = _next_session(loaded, phrases)
    click.echo(
        f"Today's dose: {session.dose.factor:.0%} of the routine as written; why: {session.dose.reason}.", err=to_stderr
    )
    return session.plan


# ---- validate and list ----


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def validate(files: tuple[str, ...], strict: bool) -> None:
    """Check routine FILES; print every problem as FILE:LINE:COL: message, and warnings about
    routines that load but would not work well (see docs/ROUTINES.md)."""
    from voice_rehab.authoring.lint import lint
    from voice_rehab.core.phrases import UnknownLanguage, phrases_for
    from voice_rehab.core.plan import build_plan
    from voice_rehab.core.routine import RoutineError, read_routine

    failed = warned = False
    for name in files:
        try:
            routine, document = read_routine(name)
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
            f"{name}: ok: '{routine.title}', {len(routine.exercises)} exercises, about {_minutes(plan.duration)}"
        )
        for warning in lint(routine, document, phrases):
            warned = True
            click.echo(str(warning))
    sys.exit(1 if failed or (strict and warned) else 0)


def _minutes(seconds: float) -> str:
    from voice_rehab.core.plan import spoken_minutes
    from voice_rehab.core.routine import written_duration

    return f"{spoken_minutes(seconds)} min" if seconds >= 90 else written_duration(seconds)


@main.command(name="list")
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


@main.command()
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
    from voice_rehab.sim.simulation import effect_record, run_virtual
    from voice_rehab.speech.synth import SpeechUnavailable, Synthesizer, speaking_voice

    loaded, phrases, plan = _load(routine)
    if today:
        plan = _todays_plan(loaded, phrases, to_stderr=True)
    script = [_scripted(spec) for spec in events]
    if room is None:
        room = snr is not None or any(audio for _, audio, _ in script)
    if not room:
        _, timeline = run_virtual(plan, phrases, [(t, make) for t, _, make in script if make])
        for t, effect in timeline:
            record = effect_record(effect)
            if record is not None:
                _print_record({"t": round(t, 3), **record}, as_json)
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


def choose_listener(engine: str, phrases: Phrases, model: Path | None, enrolled: bool = True):  # type: ignore[no-untyped-def]
    """A listener for the room or the microphone; exit 1 with the reason if there is none."""
    from voice_rehab.listen.engines import choose

    choice = choose(engine, phrases, model, enrolled=enrolled)
    if choice.listener is None:
        _fail(choice.reason)
    return choice


@main.command()
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
    from voice_rehab.sim.render import render_session, write_wav
    from voice_rehab.speech.synth import SpeechUnavailable, Synthesizer, speaking_voice

    loaded, phrases, plan = _load(routine, rate, voice)
    if today:
        plan = _todays_plan(loaded, phrases)
    try:
        synth = Synthesizer(*speaking_voice(loaded, phrases))
        samples, sample_rate, drift = render_session(plan, phrases, synth)
    except SpeechUnavailable as exc:
        _fail(str(exc))
    try:
        write_wav(output, samples, sample_rate)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
    click.echo(
        f"Wrote {output}: {len(samples) / sample_rate / 60:.1f} min of audio"
        + (f" (cues moved up to {drift:.1f} s to avoid overlap)" if drift > 0.05 else "")
    )


# ---- listening: recognize, models, check ----


@main.command()
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


@main.group()
def models() -> None:
    """Speech models: list what is found, install one, show the one a language uses."""


@models.command(name="list")
@click.option("--model", type=click.Path(path_type=Path), help="Also consider this folder.")
def models_list(model: Path | None) -> None:
    """Every vosk model found, in resolution order, and which one each language uses."""
    from voice_rehab.listen.models import CATALOG, POCKETSPHINX_FALLBACK, all_models, user_models_dir

    found = all_models(model)
    for m in found:
        click.echo(f"{m.language:<4} {m.origin:<18} {m.path}")
    if not found:
        click.echo("No vosk models found. " + POCKETSPHINX_FALLBACK + ".")
    click.echo(f"\nInstall into {user_models_dir()} with: voice-rehab models install NAME")
    for name, entry in CATALOG.items():
        click.echo(f"  {name}  ({entry['language']})")


@models.command(name="path")
@click.argument("language", default="en")
@click.option("--model", type=click.Path(path_type=Path))
def models_path(language: str, model: Path | None) -> None:
    """The model folder LANGUAGE would use; exit 1 if none."""
    from voice_rehab.listen.models import POCKETSPHINX_FALLBACK, ModelError, resolve

    try:
        found = resolve(language, model)
    except ModelError as exc:
        _fail(str(exc))
    if found is None:
        _fail(f"no vosk model for '{language}'" + (f"; {POCKETSPHINX_FALLBACK}" if language == "en" else ""))
    click.echo(str(found.path))


@models.command(name="install")
@click.argument("name")
@click.option("--sha256", help="Expected SHA-256 of the archive.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), help="Target folder.")
def models_install(name: str, sha256: str | None, into: Path | None) -> None:
    """Install NAME (from `models list`), a URL or a local .zip into your models folder."""
    from voice_rehab.listen.models import ModelError, install

    def progress(done: int, total: int | None) -> None:

        shown = f"{done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else "")
        click.echo(f"\r  downloading {shown}", nl=False, err=True)

    try:
        path = install(name, into, sha256, progress)
    except ModelError as exc:
        click.echo("", err=True)
        _fail(str(exc))
    click.echo(f"\nInstalled {path}")


@main.command()
@click.option(
    "--listen-seconds",
    type=float,
    default=5.0,
    show_default=True,
    help="How long the live microphone test listens, where there is a microphone.",
)
def check(listen_seconds: float) -> None:
    """What works on this machine, and the one command that fixes each missing piece. Exits 1 when
    a part a spoken session needs is missing (speech, speakers, recogniser, microphone)."""
    from voice_rehab.cli.check import run_checks

    sys.exit(1 if run_checks(click.echo, listen_seconds) else 0)


from voice_rehab.cli.authoring import exercises, new, schema  # noqa: E402 - registered on `main` below
from voice_rehab.cli.enroll import enroll  # noqa: E402
from voice_rehab.cli.history import history  # noqa: E402

for _command in (history, schema, exercises, new, enroll):
    main.add_command(_command)
