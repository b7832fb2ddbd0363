"""The hint line says what one can say and press now, in the routine's language."""

from __future__ import annotations

from voice_rehab.core.events import Command, Hint
from voice_rehab.core.phrases import phrases_for
from voice_rehab.io.hints import hint_text

RUNNING = Hint((Command.PAUSE, Command.NEXT, Command.STOP, Command.HURTS), ("space", "n", "q", "h"))


def test_the_commands_one_can_say_and_the_keys_in_english() -> None:
    assert hint_text(RUNNING, phrases_for("en")) == "say: pause · next · stop · that hurts    keys: space n q h"


def test_the_hint_follows_the_routines_language() -> None:
    text = hint_text(RUNNING, phrases_for("ko"))
    assert text == "말하기: 멈춰 · 다음 · 그만 · 아파    키: 스페이스 n q h"


def test_without_a_listener_only_the_keys_are_offered() -> None:
    deaf = Hint(RUNNING.say, RUNNING.keys, voice=False)
    assert hint_text(deaf, phrases_for("en")) == "keys: space n q h"
    check = Hint(keys=("h", "space"), question="hurt_check", voice=False)
    assert hint_text(check, phrases_for("en")) == "keys: h (it hurts) space (resume)"


def test_a_waiting_question_shows_how_to_answer_it() -> None:
    en = phrases_for("en")
    assert hint_text(Hint(question="severity"), en) == "answer 0-10 (key x = 10)"
    assert hint_text(Hint(keys=("h", "space"), question="hurt_check"), en).startswith(
        "does something hurt? say yes or no"
    )
    assert hint_text(Hint(keys=("q", "space"), question="end_check"), en) == (
        "end the session? say yes or no    keys: q (end) space (resume)"
    )


def test_every_language_words_every_hint() -> None:
    en_hints = phrases_for("en").table["hints"]
    assert set(phrases_for("ko").table["hints"]) == set(en_hints)
