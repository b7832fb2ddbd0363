"""The terminal: a full-screen view from the floor, a plain log when not a terminal, and keys."""

from __future__ import annotations

import os
import select
import shutil
import sys
import textwrap
import threading
from typing import TextIO

from voice_rehab.core.events import Typed, View
from voice_rehab.core.phrases import Phrases
from voice_rehab.core.ports import Inbox
from voice_rehab.io.bigtext import ROWS, big, big_words
from voice_rehab.io.hints import hint_text
from voice_rehab.io.screen_words import screen_words

CLEAR = "\x1b[H\x1b[2J"
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


class ScreenDisplay:
    """Redraws the whole screen: exercise, set and side, a large count, what is next, commands.

    The exercise's name, the count (or PAUSED) and a pain question are drawn in block letters to
    be read from the floor; every line wraps on words to the terminal's width, which is read at
    each redraw (the view grows with the window)."""

    def __init__(self, phrases: Phrases, out: TextIO | None = None, width: int | None = None):
        self.phrases = phrases  # the routine's language, for the hint line
        self.out = out or sys.stdout
        self.notices: list[str] = []
        self._width = width  # fixed (tests), else the terminal's

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def caption(self, text: str) -> None:
        pass  # the next view carries the latest caption

    def width(self) -> int:
        return self._width or shutil.get_terminal_size((80, 24)).columns

    def show(self, view: View) -> None:
        width = max(20, self.width() - 1)
        words = screen_words(view, self.phrases)
        lines = [f"{DIM}{row}{RESET}" for row in _wrap(view.title, width)] + [""]
        lines += [f"{BOLD}{row}{RESET}" for row in big_words(words.heading, width) or [""]]
        lines += _wrap(words.detail, width) + [""]
        lines += [f"{BOLD}{row}{RESET}" for row in big(words.large)]
        question = view.state == "assessing" and view.caption
        drawn = big_words(view.caption, width) if question else []
        if question and 1 < len(drawn) <= 3 * ROWS + 2:  # a question of up to three big lines
            lines += [""] + [f"{BOLD}{row}{RESET}" for row in drawn]
        else:
            lines += [""] + _wrap(f"» {view.caption}" if view.caption else "", width)
        if words.next_up:
            lines += [f"{DIM}{row}{RESET}" for row in _wrap(words.next_up, width)]
        lines += [""] + _wrap(hint_text(view.hint, self.phrases), width)
        lines += [f"{DIM}{row}{RESET}" for n in self.notices[-3:] for row in _wrap(n, width)]
        self.out.write(CLEAR + "\n".join(lines) + "\n")
        self.out.flush()


def _wrap(text: str, width: int) -> list[str]:
    """`text` broken on words (never inside one) to `width` columns."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""] if text else []


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
            heading = screen_words(view, self.phrases).heading
            print(f"[{view.state}] {heading}  {hint}".rstrip(), file=self.out, flush=True)


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
