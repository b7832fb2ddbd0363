"""Wires the real devices to a session: terminal, keyboard, speech (or captions), history."""

from __future__ import annotations

import signal
import sys
from types import FrameType

from .clock import MonotonicInbox
from .history import HistoryLog
from .phrases import Phrases
from .plan import Plan
from .ports import Display, Speaker
from .routine import Routine
from .runner import Runner
from .session import Session
from .speech.output import OutputUnavailable, SoundDeviceOutput
from .speech.render import scripted_cues
from .speech.speaker import AudioSpeaker, CaptionSpeaker
from .speech.synth import Synthesizer
from .terminal import KeyboardInput, LineDisplay, ScreenDisplay


def make_display() -> Display:
    return ScreenDisplay() if sys.stdout.isatty() else LineDisplay()


def make_speaker(routine: Routine, phrases: Phrases, plan: Plan, display: Display,
                 audio: bool = True) -> Speaker:
    """An audio speaker where speech and an output device work; otherwise captions, said once."""
    if not audio:
        return CaptionSpeaker()
    try:
        output = SoundDeviceOutput()
    except OutputUnavailable as exc:
        display.notice(f"No sound: {exc}. Showing cues as text instead.")
        return CaptionSpeaker()
    voice = routine.voice or phrases.tts_voice
    rate = routine.rate or phrases.words_per_minute
    # The cues of an uninterrupted run are known in advance: synthesise them before they are due.
    warm_up = list(dict.fromkeys(text for _, text in scripted_cues(plan, phrases)))
    speaker = AudioSpeaker(lambda: Synthesizer(voice, rate), output, warm_up=warm_up[:200])
    error = speaker.wait_ready()
    if error:
        speaker.close()
        display.notice(f"No speech: {error}. Showing cues as text instead.")
        return CaptionSpeaker()
    return speaker


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def play_session(routine: Routine, phrases: Phrases, plan: Plan, audio: bool,
                 log: HistoryLog | None) -> Session:
    display = make_display()
    speaker = make_speaker(routine, phrases, plan, display, audio)
    inbox = MonotonicInbox()
    # `kill` (SIGTERM) ends the session like Ctrl-C: logged as interrupted, terminal restored.
    signal.signal(signal.SIGTERM, _interrupt)
    keyboard = KeyboardInput(inbox).start() if sys.stdin and not sys.stdin.closed else None
    try:
        return Runner(Session(plan, phrases), inbox, speaker, display, log=log).run()
    finally:
        if keyboard:
            keyboard.close()
        if log:
            log.close()


