"""The microphone's helpers: the echo canceller's reference tap, and starting behind the first cue."""

from __future__ import annotations

import threading

import numpy as np

from voice_rehab.io.clock import MonotonicInbox
from voice_rehab.listen.audio import RATE
from voice_rehab.listen.microphone import MicrophoneInput, ReferenceTap, StartingMicrophone


class Ears:
    """A listener that only remembers what it was told to expect."""

    def __init__(self) -> None:
        self.expected: list[str] = []
        self.hearing = False

    def expect(self, what: str) -> None:
        self.expected.append(what)

    def feed(self, chunk: np.ndarray, t: float, ref: np.ndarray | None = None, text: str = "") -> list:  # type: ignore[type-arg]
        return []


class Silence:
    """An audio source that never sends anything (closing it is all it does)."""

    closed = False

    def start(self, on_chunk: object) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def microphone() -> tuple[MicrophoneInput, Ears, Silence]:
    ears, source = Ears(), Silence()
    return MicrophoneInput(source, ears, MonotonicInbox()).start(), ears, source


def test_the_tap_keeps_at_most_two_seconds_that_nobody_read() -> None:
    tap = ReferenceTap()
    block = np.ones(RATE // 10, np.float32)
    for _ in range(600):  # a minute of playing with no microphone reading it
        tap.played(block, RATE, "cue")
    ref, text = tap.take(int(ReferenceTap.MAX_BACKLOG * RATE) + RATE)
    assert ref is not None and text == "cue"
    assert np.count_nonzero(ref) == ReferenceTap.MAX_BACKLOG * RATE  # the rest had been let go


def test_a_microphone_that_starts_late_reads_from_now_on() -> None:
    tap = ReferenceTap()
    tap.played(np.ones(RATE, np.float32), RATE, "earlier")
    tap.skip_backlog()
    assert tap.take(160) == (None, "")
    tap.played(np.full(RATE, 0.5, np.float32), RATE, "now")
    ref, text = tap.take(160)
    assert ref is not None and float(ref[0]) == 0.5 and text == "now"


def test_the_session_goes_on_while_the_microphone_starts_and_what_it_expects_is_passed_on() -> None:
    release = threading.Event()
    mic, ears, _ = microphone()

    def slow_start() -> MicrophoneInput:
        release.wait(5)  # loading the recognisers and the judge
        return mic

    starting = StartingMicrophone(slow_start)
    starting.expect("severity")  # returns at once: the session is not held up
    assert starting.microphone is None
    release.set()
    assert starting.wait_started(5) is mic
    assert ears.expected == ["severity"]
    starting.expect("commands")
    assert ears.expected == ["severity", "commands"]
    starting.close()


def test_a_session_that_ends_before_the_microphone_started_closes_it_when_it_comes() -> None:
    release = threading.Event()
    mic, _, source = microphone()
    starting = StartingMicrophone(lambda: (release.wait(5), mic)[1])
    starting.close()
    release.set()
    assert starting.wait_started(5) is None
    assert source.closed


def test_no_microphone_to_be_had_leaves_the_keys() -> None:
    starting = StartingMicrophone(lambda: None)
    assert starting.wait_started(5) is None
    starting.expect("commands")  # nothing to tell, nothing fails
    starting.close()


def test_a_listener_that_fails_to_start_is_told_and_the_keys_remain() -> None:
    told: list[str] = []

    def broken() -> MicrophoneInput:
        raise RuntimeError("model file damaged")

    starting = StartingMicrophone(broken, told.append)
    assert starting.wait_started(5) is None
    assert told == ["the listener could not start (RuntimeError: model file damaged)"]
    starting.expect("commands")
    starting.close()
