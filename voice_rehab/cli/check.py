"""`voice-rehab check`: what works on this machine, and for each missing piece the fixing command."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import click

from voice_rehab.core.phrases import available_languages, phrases_for

Echo = Callable[[str], None]
FIXES = {
    "espeak": "sudo apt-get install espeak-ng libespeak-ng1",
    "portaudio": "sudo apt-get install libportaudio2",
    "speakers": "connect speakers or headphones (meanwhile every cue is shown as text)",
    "microphone": "connect a microphone (meanwhile the keyboard works: space, n, r, h, q)",
    "webrtc": "pip install livekit",
    "en": "voice-rehab models install vosk-model-small-en-us-0.15 (optional: pocketsphinx works now)",
}


def _line(echo: Echo, ok: bool, what: str, detail: str, fix: str = "") -> None:
    echo(f"[{'ok' if ok else '--'}] {what}: {detail}")
    if not ok and fix:
        echo(f"     fix: {fix}")


def run_checks(echo: Echo, listen_seconds: float = 5.0) -> list[str]:
    """Check every part and say how to fix each missing one; return the parts a voice session
    needs that are missing (speech synthesis, speakers, an English recogniser, a microphone)."""
    from voice_rehab.speech.output import OutputUnavailable, SoundDeviceOutput
    from voice_rehab.speech.synth import SpeechUnavailable, Synthesizer

    missing: list[str] = []
    try:
        samples, rate = Synthesizer("en-us", 160).synthesize("Check.")
        _line(echo, len(samples) > 0, "speech synthesis", f"pyttsx3 + espeak-ng ({len(samples) / rate:.1f} s test)")
    except SpeechUnavailable as exc:
        missing.append("speech synthesis")
        _line(echo, False, "speech synthesis", str(exc), FIXES["espeak"])
    try:
        SoundDeviceOutput()
        _line(echo, True, "speakers", "an output device is available")
    except OutputUnavailable as exc:
        missing.append("speakers")
        fix = FIXES["portaudio"] if "PortAudio" in str(exc) else FIXES["speakers"]
        _line(echo, False, "speakers", str(exc), fix)

    try:
        from voice_rehab.listen.frontend import WebRtcFrontEnd

        WebRtcFrontEnd()
        _line(echo, True, "echo canceller", "WebRTC audio processing (the player will not hear itself)")
    except ImportError as exc:
        _line(
            echo,
            False,
            "echo canceller",
            f"not installed ({exc}); the microphone is muted while the player talks",
            FIXES["webrtc"],
        )

    from voice_rehab.listen.engines import MODEL_EXTRAS, choose

    # a language whose model an extra installs: the line `play` says too, and a checkout's own
    fixes = FIXES | {lang: f"{line} (in a checkout: .venv/bin/pip install -e '.[{lang}]')"
                     for lang, line in MODEL_EXTRAS.items()}  # fmt: skip

    listeners = {}
    for language in available_languages():
        choice = choose("auto", phrases_for(language))
        listeners[language] = choice
        ok = choice.listener is not None and not choice.missing
        _line(
            echo,
            ok,
            f"recogniser ({language})",
            choice.reason.removeprefix("listening: "),
            fixes.get(language, "") if choice.listener is None or "vosk" not in choice.reason else "",
        )
        if choice.listener is not None and "pocketsphinx" in choice.reason:
            echo(f"     better: {fixes.get(language, '')}")
    if listeners.get("en") is None or listeners["en"].listener is None:
        missing.append("recogniser (en)")
    if not _check_microphone(echo, listeners.get("en"), listen_seconds):
        missing.append("microphone")
    if missing:
        echo(
            f"Missing for a spoken session: {', '.join(missing)}. The player still runs: cues are shown as text "
            "where it cannot speak, and the keys work where it cannot hear."
        )
    else:
        echo("Everything a spoken session needs is here.")
    return missing


def _check_microphone(echo: Echo, choice: object, listen_seconds: float) -> bool:
    """Is there a microphone? (Its live voice test is advice, not a missing part.)"""
    import numpy as np

    from voice_rehab.listen.microphone import MicrophoneUnavailable, SoundDeviceSource

    try:
        source = SoundDeviceSource()
    except MicrophoneUnavailable as exc:
        fix = FIXES["portaudio"] if "PortAudio" in str(exc) else FIXES["microphone"]
        _line(echo, False, "microphone", str(exc), fix)
        return False
    _line(echo, True, "microphone", f'listening for {listen_seconds:g} s: say "pause"')
    listener = getattr(choice, "listener", None)
    heard: list[str] = []
    levels: list[float] = []
    clock = [0.0]

    def on_chunk(chunk: np.ndarray) -> None:
        clock[0] += len(chunk) / 16000
        level = 20 * np.log10(float(np.sqrt(np.mean(chunk**2))) + 1e-9)
        levels.append(level)
        bar = "#" * max(0, int((level + 70) / 2))
        echo(f"\r     level {level:6.1f} dB {bar:<35}")
        if listener is not None:
            heard.extend(d.value for d in listener.feed(chunk, clock[0]))

    source.start(on_chunk)
    time.sleep(listen_seconds)  # a live test: the person needs these seconds to speak
    source.close()
    if "pause" in heard:
        _line(echo, True, "voice test", 'heard "pause"')
    else:
        _line(
            echo,
            False,
            "voice test",
            f'did not hear "pause" (loudest {max(levels, default=-99):.0f} dB)',
            "move closer to the microphone, or raise its input level",
        )
    return True


@click.command()
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
    sys.exit(1 if run_checks(click.echo, listen_seconds) else 0)
