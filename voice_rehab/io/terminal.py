"""The terminal: a full-screen view from the floor, a plain log when not a terminal, and keys."""

from __future__ import annotations

import os
import select
import sys
import threading
from typing import TextIO

from voice_rehab.core.events import Typed, View
from voice_rehab.core.phrases import Phrases
from voice_rehab.core.ports import Inbox
from voice_rehab.io.bigtext import big
from voice_rehab.io.hints import hint_text

CLEAR = "\x1b[H\x1b[2J"
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


class ScreenDisplay:
    """Redraws the whole screen: exercise, set and side, a large count, what is next, commands."""

    def __init__(self, phrases: Phrases, out: TextIO | None = None):
        self.phrases = phrases  # the routine's language, for the hint line
        self.out = out or sys.stdout
        self.notices: list[str] = []

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def caption(self, text: str) -> None:
        pass  # the next view carries the latest caption

    def show(self, view: View) -> None:
        lines = [f"{DIM}{view.title}{RESET}", "", f"{BOLD}{view.exercise.upper()}{RESET}"]
        if view.detail:
            lines.append(view.detail)
        lines.append("")
        lines += [f"{BOLD}{row}{RESET}" for row in big(view.big)]
        lines += ["", f"» {view.caption}" if view.caption else ""]
        if view.coming_up:
            lines.append(f"{DIM}Next: {view.coming_up}{RESET}")
        lines += ["", hint_text(view.hint, self.phrases)]
        lines += [f"{DIM}{n}{RESET}" for n in self.notices[-3:]]
        self.out.write(CLEAR + "\n".join(lines) + "\n")
        self.out.flush()


class LineDisplay:
    """Prints every caption, state change and notice as a line: for pipes, logs, screen readers."""

    def __init__(self, phrases: Phrases, out: TextIO | None = None):
        self.phrases = phrases
        self.out = out or sys.stdout
        self._state = ""

    def notice(self, text: str) -> None:
        print(f"! {text}", file=self.out, flush=True)

    def caption(self, text: str) -> None:
        print(f"  {text}", file=self.out, flush=True)

    def show(self, view: View) -> None:
        if view.state != self._state:
            self._state = view.state
            hint = hint_text(view.hint, self.phrases)
            print(f"[{view.state}] {view.exercise}  {hint}".rstrip(), file=self.out, flush=True)


class KeyboardInput:
    """Reads single keys in a real terminal (cbreak mode), or whole lines from a pipe."""

    def __init__(self, inbox: Inbox, stream: TextIO | None = None):
        self.inbox = inbox
        self.stream = stream or sys.stdin
        self._stop = threading.Event()
        self._saved: list | None = None  # type: ignore[type-arg]
        self.single_keys = self.stream.isatty()
        self._thread = threading.Thread(target=self._run, name="keyboard", daemon=True)

    def start(self) -> KeyboardInput:
        if self.single_keys:
            import termios
            import tty

            self._saved = termios.tcgetattr(self.stream.fileno())
            tty.setcbreak(self.stream.fileno())
        self._thread.start()
        return self

    def _run(self) -> None:
        if not self.single_keys:
            # A pipe: plain blocking reads (select would miss lines already in Python's buffer).
            for line in self.stream:
                if self._stop.is_set():
                    return
                if line.strip():
                    self.inbox.put(Typed(self.inbox.now(), line.strip()))
            return  # end of input: the session goes on by itself
        fd = self.stream.fileno()
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                key = os.read(fd, 1).decode(errors="ignore")
                if key:
                    self.inbox.put(Typed(self.inbox.now(), key))

    def close(self) -> None:
        self._stop.set()
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None
