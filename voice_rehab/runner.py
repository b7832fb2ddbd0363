"""The only loop: events from the inbox go into the session; its effects go out to the devices.

Timing is by absolute monotonic deadlines from the session (`next_deadline`), never by sleeping
for accumulated intervals, so a long session does not drift. Input threads (keyboard, listener)
only put events into the inbox; speech runs on the speaker's own thread.
"""

from __future__ import annotations

from collections.abc import Callable

from voice_rehab.core.events import Command, Effect, Expect, Heard, Log, Say, Show, Source, Start, StopSpeech, Tick
from voice_rehab.core.ports import Display, Ears, Inbox, InboxClosed, LogSink, Speaker
from voice_rehab.core.session import Session

Observer = Callable[[float, Effect], None]
LAST_WORDS_TIMEOUT = 15.0


class Runner:
    def __init__(
        self,
        session: Session,
        inbox: Inbox,
        speaker: Speaker,
        display: Display,
        log: LogSink | None = None,
        observer: Observer | None = None,
        ears: Ears | None = None,
    ):
        self.session = session
        self.inbox = inbox
        self.speaker = speaker
        self.display = display
        self.log = log
        self.observer = observer
        self.ears = ears
        self.started = 0.0

    def run(self) -> Session:
        """Play the session to its end; Ctrl-C ends it like "stop", keeping the log whole."""
        self.started = self.inbox.now()
        try:
            self._apply(self.session.handle(Start(self.started)))
            while not self.session.finished:
                deadline = self.session.next_deadline()
                try:
                    event = self.inbox.wait(deadline)
                except InboxClosed:
                    break
                self._apply(self.session.handle(event or Tick(self.inbox.now())))
            self.speaker.wait_idle(LAST_WORDS_TIMEOUT)
        except KeyboardInterrupt:
            self.speaker.stop()
            interrupt = Heard(self.inbox.now(), Command.STOP, heard="ctrl-c", source=Source.INTERRUPT)
            self._apply([e for e in self.session.handle(interrupt) if not isinstance(e, Say)])
        finally:
            self.speaker.close()
        return self.session

    def _apply(self, effects: list[Effect]) -> None:
        now = self.inbox.now()
        for effect in effects:
            if self.observer:
                self.observer(now - self.started, effect)
            if isinstance(effect, Say):
                self.speaker.say(effect.text, effect.priority)
                self.display.caption(effect.text)
            elif isinstance(effect, StopSpeech):
                self.speaker.stop()
            elif isinstance(effect, Show):
                self.display.show(effect.view)
            elif isinstance(effect, Expect) and self.ears is not None:
                self.ears.expect(effect.what)
            elif isinstance(effect, Log) and self.log is not None:
                self.log.write(effect.kind, round(now - self.started, 3), effect.data)
