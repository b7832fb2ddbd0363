"""The terminal: what a person sees from the floor, and keys from a real terminal or a pipe."""

from __future__ import annotations

import io
import os
import pty
import queue

from voice_rehab.core.events import Command, Hint, Typed, View
from voice_rehab.core.phrases import phrases_for
from voice_rehab.io.bigtext import big, big_words
from voice_rehab.io.clock import MonotonicInbox
from voice_rehab.io.terminal import KeyboardInput, LineDisplay, ScreenDisplay

VIEW = View(
    title="Gentle mobility",
    state="running",
    exercise="Knee-to-chest",
    side="left",
    count="17",
    caption="Halfway.",
    coming_up="Hip hinge",
    hint=Hint((Command.PAUSE,), ("space",)),
)
EN = phrases_for("en")


def test_screen_shows_exercise_large_count_next_and_commands() -> None:
    out = io.StringIO()
    ScreenDisplay(EN, out, width=100).show(VIEW)
    text = out.getvalue()
    for row in big_words("Knee-to-chest", 99) + big("17"):  # the name and the count in block letters
        assert row in text
    assert "left side" in text and "Next: Hip hinge" in text
    assert "» Halfway." in text and "say: pause    keys: space" in text


def test_big_digits_and_words_are_five_rows_and_other_scripts_pass_through() -> None:
    assert len(big("1:05")) == 5 and all("█" in row for row in big("1:05"))
    assert len(big("PAUSED")) == 5  # read from the floor too
    assert big_words("무릎 당기기", 80) == ["무릎 당기기"]


def test_block_words_wrap_between_words_never_inside_one() -> None:
    rows = big_words("Cat cow stretch", 40)
    assert len(rows) == 5 + 1 + 5 and all(len(r) <= 40 for r in rows)
    assert rows[:5] == big_words("Cat cow", 40) and rows[6:] == big_words("stretch", 40)
    assert big_words("Supercalifragilistic", 30) == ["Supercalifragilistic"]  # wider than the screen: plain


def test_long_lines_wrap_on_words_and_a_pain_question_is_drawn_large() -> None:
    """A cue broke mid-word on a narrow terminal ("like a c / at")."""
    out = io.StringIO()
    cue = "Arch your back up like a cat, then let it sag gently."
    ScreenDisplay(EN, out, width=30).show(View(title="T", state="running", exercise="Cat-cow", caption=cue))
    text = out.getvalue()
    assert "like a cat," in text.replace("\n", " ") and "c\nat" not in text
    out = io.StringIO()
    question = View(title="T", state="assessing", exercise="Cat-cow", count="?", caption="Sharp or dull?")
    ScreenDisplay(EN, out, width=80).show(question)
    for row in big_words("Sharp or dull?", 79):
        assert row in out.getvalue()


def test_line_display_prints_every_caption_and_each_state_once() -> None:
    out = io.StringIO()
    display = LineDisplay(EN, out)
    display.show(VIEW)
    display.show(VIEW)
    display.caption("Ending the session.")
    display.caption("You completed 0 of 1 exercises.")
    display.notice("No sound")
    text = out.getvalue()
    assert text.count("[running] Knee-to-chest") == 1 and "! No sound" in text
    assert "  Ending the session.\n  You completed 0 of 1 exercises.\n" in text


def collect(inbox: MonotonicInbox, count: int) -> list[str]:
    texts = []
    for _ in range(count):
        event = inbox._queue.get(timeout=5)
        assert isinstance(event, Typed)
        texts.append(event.text)
    return texts


def test_lines_from_a_pipe_become_typed_events() -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"pause\n\nthat hurts\n")
    os.close(write_fd)
    inbox = MonotonicInbox()
    keyboard = KeyboardInput(inbox, os.fdopen(read_fd)).start()
    assert not keyboard.single_keys
    assert collect(inbox, 2) == ["pause", "that hurts"]
    keyboard.close()


def test_single_keys_from_a_real_terminal() -> None:
    leader, follower = pty.openpty()
    inbox = MonotonicInbox()
    keyboard = KeyboardInput(inbox, os.fdopen(follower)).start()
    assert keyboard.single_keys
    os.write(leader, b" nh")  # no Enter: cbreak mode delivers each key
    assert collect(inbox, 3) == [" ", "n", "h"]
    keyboard.close()
    try:
        inbox._queue.get_nowait()
    except queue.Empty:
        pass


def test_the_screen_words_follow_the_routine_s_language() -> None:
    """ "Set 1 of 2", "Rest · next:", "PAUSED" were English strings inside the engine."""
    from voice_rehab.io.screen_words import screen_words

    view = View(title="T", state="paused", exercise="A", set_no=1, sets=2, side="left")
    en, ko = screen_words(view, EN), screen_words(view, phrases_for("ko"))
    assert (en.detail, en.large) == ("Set 1 of 2 · left side", "PAUSED")
    assert (ko.detail, ko.large) == ("1/2 세트 · 왼쪽", "일시 정지")
    rest = View(title="T", state="running", resting=True, coming_up="B", count="0:12")
    assert screen_words(rest, EN).heading == "Rest · next: B"
    assert screen_words(View(title="T", state="finished"), EN).heading == "Done"
