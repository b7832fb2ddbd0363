"""The small typed messages between the world and the session engine.

Events go in (each carries `now`, the runner's monotonic time in seconds); effects come out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any


class Command(str, Enum):
    """What a person can tell the player to do, by voice or key."""

    PAUSE = "pause"
    RESUME = "resume"
    NEXT = "next"
    REPEAT = "repeat"
    STOP = "stop"
    HURTS = "hurts"
    # "that hurts" heard by the grammar but doubted by the verifier: it halts and asks, since a
    # voice unlike any the verifier learnt may be doubted (BENCHMARKS.md, "the verifier on voices it never learnt")
    MAYBE_HURTS = "maybe hurts"
    # A "stop" the listener's judge wrote but doubts: it pauses; said again while paused, it asks
    # "Shall I end the session?" (a pause said again asks whether something hurts instead).
    MAYBE_STOP = "maybe stop"
    TOGGLE = "toggle"  # the space bar: pause when running, resume when paused
    # The listener's fast stage heard what may be a safety command: speech and timers stop at once,
    # silently, until its judge decides what was said (a command) or that nothing was (RELEASE).
    HALT = "halt"
    RELEASE = "release"


class Source(str, Enum):
    """Where a command or answer came from (kept in the history)."""

    KEYBOARD = "keyboard"
    VOICE = "voice"
    INTERRUPT = "interrupt"  # Ctrl-C or `kill`
    SIMULATE = "simulate"  # `voice-rehab simulate --say`
    LISTENER = "listener"  # the listener itself (it lost the microphone)


class Priority(IntEnum):
    """How a cue may be treated by the speaker."""

    LOW = 0  # counts: dropped rather than said late
    NORMAL = 1  # instructions: queued behind what is playing
    URGENT = 2  # acknowledgements and questions: ahead of anything queued (StopSpeech cuts)


# ---- events in ----


@dataclass(frozen=True)
class Start:
    """Begin the session."""

    now: float


@dataclass(frozen=True)
class Tick:
    """Time has passed; `now` is the current monotonic time."""

    now: float


@dataclass(frozen=True)
class Heard:
    """A command was decided (by voice or key)."""

    now: float
    command: Command
    heard: str = ""  # what was recognised or typed, for the log
    source: Source = Source.KEYBOARD


@dataclass(frozen=True)
class Answer:
    """A reply to the current question of the stop-and-assess dialogue."""

    now: float
    text: str
    source: Source = Source.KEYBOARD


@dataclass(frozen=True)
class Typed:
    """A key or a line typed by the person; its meaning depends on the session's state."""

    now: float
    text: str


@dataclass(frozen=True)
class Hearing:
    """The voice listener stopped hearing the person (`ok` False, `reason` says why: the microphone
    went quiet, the listener failed) or hears them again (`ok` True)."""

    now: float
    ok: bool
    reason: str = ""


Event = Start | Tick | Heard | Answer | Typed | Hearing


# ---- effects out ----


@dataclass(frozen=True)
class Say:
    """Speak `text` (and show it as a caption)."""

    text: str
    priority: Priority = Priority.NORMAL


@dataclass(frozen=True)
class StopSpeech:
    """Stop speaking at once and drop anything queued."""


@dataclass(frozen=True)
class Show:
    """Update the display with what the person needs to see from the floor."""

    view: View


@dataclass(frozen=True)
class Log:
    """Record an event in the session history."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StateChanged:
    """The session moved to another state (for timelines and tests)."""

    state: str


class Listening(str, Enum):
    """What the microphone listens for: the commands, or the answers to the question asked (each
    the name of a table in the language file)."""

    COMMANDS = "commands"
    SEVERITY = "severity"
    PAIN_TYPE = "pain_type"
    YES_NO = "yes_no"
    CHOICE = "choice"
    HURT_CHECK = "hurt_check"  # "Does something hurt?": yes/no, and the pain said again
    END_CHECK = "end_check"  # "Shall I end the session?": yes/no, the stop said again, or the pain


@dataclass(frozen=True)
class Expect:
    """Listen for these phrases from now on: the commands, or the answers to the current question."""

    what: Listening


Effect = Say | StopSpeech | Show | Log | StateChanged | Expect


@dataclass(frozen=True)
class Hint:
    """What the person can do now. The engine says what; a presenter (`io/hints.py`) puts it in the
    routine's language."""

    say: tuple[Command, ...] = ()  # the commands one can say now
    keys: tuple[str, ...] = ()  # the keys one can press now ("space", "n")
    question: str = ""  # the question waiting for an answer: a `Question` value, "hurt_check" or "end_check"
    voice: bool = True  # what is said is heard (if not, only the keys are offered)


@dataclass(frozen=True)
class View:
    """What the screen shows, as data: a presenter (`io/screen_words.py`) puts it in the routine's
    language, and the terminal draws it large enough to read from a mat two metres away."""

    title: str
    state: str
    exercise: str = ""  # the exercise's name ("" outside any)
    set_no: int = 0
    sets: int = 1
    side: str | None = None  # "left" or "right" for per-side work
    resting: bool = False
    count: str = ""  # the rep count "3/10", the countdown "0:25", the count-in "2", "?" while asking
    caption: str = ""  # the last thing said
    coming_up: str = ""
    hint: Hint = field(default_factory=Hint)  # the commands one can say or press now
