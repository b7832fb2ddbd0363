"""Wires the real devices to a session: terminal, keyboard, speech (or captions), history."""

from __future__ import annotations

import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from voice_rehab.core.phrases import Phrases
from voice_rehab.core.plan import Plan
from voice_rehab.core.ports import Display, Speaker
from voice_rehab.core.routine import Routine
from voice_rehab.core.session import ResumeFrom, Session
from voice_rehab.io.clock import MonotonicInbox
from voice_rehab.io.history import HistoryError, HistoryLog
from voice_rehab.io.terminal import KeyboardInput, LineDisplay, ScreenDisplay
from voice_rehab.listen.ducking import Ducking
from voice_rehab.listen.engines import choose
from voice_rehab.listen.microphone import (
    NO_SOUND_TIMEOUT,
    MicrophoneInput,
    MicrophoneUnavailable,
    ReferenceTap,
    SoundDeviceSource,
    StartingMicrophone,
)
from voice_rehab.runner import Runner
from voice_rehab.speech.output import OutputUnavailable, SoundDeviceOutput
from voice_rehab.speech.speaker import AudioSpeaker, CaptionSpeaker, PlaybackTap
from voice_rehab.speech.synth import Synthesizer, speaking_voice


def make_display(phrases: Phrases) -> Display:
    return ScreenDisplay(phrases) if sys.stdout.isatty() else LineDisplay(phrases)


def make_speaker(
    routine: Routine,
    phrases: Phrases,
    plan: Plan,
    display: Display,
    audio: bool = True,
    tap: PlaybackTap | None = None,
    ducking: Ducking | None = None,
) -> Speaker:
    """An audio speaker where speech and an output device work; otherwise captions, said once."""
    if not audio:
        return CaptionSpeaker()
    try:
        output = SoundDeviceOutput()
    except OutputUnavailable:
        # the technical reason is `check`'s to give; here, what it means and what to do
        display.notice(
            "No speakers found, so the cues are shown as text. Connect speakers or headphones, or choose "
            "a sound device in your system settings; `voice-rehab check` says what it found."
        )
        return CaptionSpeaker()
    voice, rate = speaking_voice(routine, phrases)
    # The plan's cues are known in advance: synthesise them before they are due.
    warm_up = plan.spoken()[:200]
    speaker = AudioSpeaker(lambda: Synthesizer(voice, rate), output, warm_up=warm_up, tap=tap, ducking=ducking)
    error = speaker.wait_ready()
    if error:
        speaker.close()
        display.notice(f"No speech: {error}. Showing cues as text instead.")
        return CaptionSpeaker()
    return speaker


class _EndOnce:
    """The first Ctrl-C or `kill` (SIGTERM) ends the session like "stop"; more of them while it is
    being ended and recorded are ignored. A second one had cut the recording short and lost the
    pain answers just given: `timeout`, for one, signals the player and then its whole group."""

    def __init__(self) -> None:
        self.signalled = False
        self.signal: int | None = None  # the first signal, which ended the session

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if not self.signalled:
            self.signalled = True
            self.signal = signum
            raise KeyboardInterrupt


def start_microphone(
    engine: str,
    model: Path | None,
    phrases: Phrases,
    inbox: MonotonicInbox,
    display: Display,
    tap: ReferenceTap,
    ducking: Ducking | None = None,
) -> MicrophoneInput | None:
    """The voice listener on the default microphone, or None (keyboard only), saying why once."""
    if engine == "keyboard":
        display.notice("Listening: keyboard only (as asked).")
        return None
    try:
        source = SoundDeviceSource()
    except MicrophoneUnavailable as exc:
        display.notice(f"No microphone: {exc}. Use the keys instead.")
        return None
    choice = choose(engine, phrases, model)
    display.notice(choice.reason[0].upper() + choice.reason[1:] + ".")
    if choice.listener is None:
        return None
    tap.skip_backlog()  # the echo canceller's reference starts with what the microphone hears
    try:
        return MicrophoneInput(source, choice.listener, inbox, tap, ducking, NO_SOUND_TIMEOUT).start()
    except MicrophoneUnavailable as exc:
        display.notice(f"No microphone: {exc}. Use the keys instead.")
        return None


@dataclass(frozen=True)
class Played:
    """A session played to its end, and the signal that ended it, if one did (the exit code says so)."""

    session: Session
    signal: int | None


def play_session(
    routine: Routine,
    phrases: Phrases,
    plan: Plan,
    audio: bool,
    log: HistoryLog | None,
    engine: str = "auto",
    model: Path | None = None,
    resume: ResumeFrom | None = None,
) -> Played:
    display = make_display(phrases)
    tap = ReferenceTap()
    ducking = Ducking()  # the player is lowered while the person speaks over it
    speaker = make_speaker(routine, phrases, plan, display, audio, tap, ducking)
    inbox = MonotonicInbox()
    # `kill` (SIGTERM) ends the session like Ctrl-C: logged as interrupted, terminal restored.
    end_once = _EndOnce()
    before = {signum: signal.signal(signum, end_once) for signum in (signal.SIGINT, signal.SIGTERM)}
    microphone = keyboard = None
    if log is not None:
        log.on_trouble = display.notice  # a full disk is said once; the session goes on
    try:
        # the first cue need not wait for the recognisers and the judge to load
        microphone = StartingMicrophone(
            lambda: start_microphone(engine, model, phrases, inbox, display, tap, ducking),
            lambda why: display.notice(f"No voice listening: {why}. Use the keys instead."),
        )
        keyboard = KeyboardInput(inbox).start() if sys.stdin and not sys.stdin.closed else None
        session = Runner(Session(plan, phrases, resume), inbox, speaker, display, log=log, ears=microphone).run()
        return Played(session, end_once.signal)
    finally:
        if microphone:
            microphone.close()
        if keyboard:
            keyboard.close()
        if log:
            try:
                log.close()
            except HistoryError as exc:
                display.notice(str(exc))
        for signum, handler in before.items():
            signal.signal(signum, handler)
