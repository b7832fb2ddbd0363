"""The per-language phrase tables: what the player says never contains what it listens for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from voice_rehab.core.phrases import LANG_DIR, PhraseFileError, available_languages, load_phrases, phrases_for

DIALOGUE_QUESTIONS = {"ask_choice"}  # said while only answers are listened for


def texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)
    elif isinstance(value, str):
        yield value


SHOWN_ONLY = {"hints", "screen"}  # on the screen, never said: the microphone cannot hear them


@pytest.mark.parametrize("language", available_languages())
def test_no_fixed_phrase_says_a_command(language: str) -> None:
    phrases = phrases_for(language)
    said = [
        (key, text)
        for key, value in phrases.table.items()
        if key not in DIALOGUE_QUESTIONS and key not in SHOWN_ONLY
        for text in texts(value)
    ]
    assert said
    offending = [(key, text, phrases.command_in(text)) for key, text in said if phrases.command_in(text)]
    assert offending == []


def test_commands_inside_korean_words_are_found() -> None:
    ko, en = phrases_for("ko"), phrases_for("en")
    assert ko.command_in("시작합니다.") == "시작"  # a command with a verb ending
    assert en.command_in("Stopper.") is None and en.command_in("Please stop now.") == "stop"


@pytest.mark.parametrize("language", available_languages())
def test_every_language_has_every_phrase(language: str) -> None:
    assert set(phrases_for(language).table) == set(phrases_for("en").table)


def test_counts_of_one_take_the_singular() -> None:
    en = phrases_for("en")
    assert en.say("hold_dose", seconds="1") == "Hold for 1 second."
    assert en.say("hold_dose", seconds="30") == "Hold for 30 seconds."
    assert en.say("hold_dose", seconds="1.5") == "Hold for 1.5 seconds."
    assert en.say("minutes_left", duration=en.duration(60)) == "1 minute left."
    assert phrases_for("ko").say("hold_dose", seconds="1") == "1초 동안 유지합니다."


@pytest.mark.parametrize(
    "seconds, said",
    [(20, "20 seconds"), (1, "1 second"), (60, "1 minute"), (90, "1 minute 30 seconds"), (121, "2 minutes 1 second"),
     (300, "5 minutes"), (59.6, "1 minute")],
)  # fmt: skip
def test_a_duration_is_said_in_seconds_under_a_minute_and_minutes_and_seconds_above(seconds: float, said: str) -> None:
    """A 20 s timer had been announced as "0.3 minutes" and 90 s as "1.5 minutes"."""
    assert phrases_for("en").duration(seconds) == said


def test_a_korean_duration_reads_minutes_and_seconds() -> None:
    assert phrases_for("ko").duration(90) == "1분 30초"
    assert phrases_for("ko").duration(20) == "20초"


def test_a_word_yaml_reads_as_true_or_false_is_an_error_that_names_the_file_and_field(tmp_path: Path) -> None:
    """Unquoted, `no` is YAML's false: the listener would have held the word "false" instead."""
    text = (LANG_DIR / "en.yaml").read_text(encoding="utf-8").replace("not_commands: [one,", "not_commands: [no, one,")
    broken = tmp_path / "en.yaml"
    broken.write_text(text, encoding="utf-8")
    assert text.count("not_commands: [no, one,") == 1
    with pytest.raises(PhraseFileError, match=rf"{re.escape(str(broken))}: not_commands: False is not a word"):
        load_phrases(broken)
    assert load_phrases(LANG_DIR / "en.yaml") == phrases_for("en")


def test_the_pain_said_again_answers_does_something_hurt_with_yes() -> None:
    for language in available_languages():
        phrases = phrases_for(language)
        for phrase in phrases.commands["hurts"]:
            assert phrases.answer("hurt_check", phrase) == "yes", (language, phrase)
        assert phrases.answer("hurt_check", phrases.answers["yes_no"]["no"][0]) == "no"
        for phrase in phrases.commands["stop"]:
            assert phrases.answer("hurt_check", phrase) == "stop", (language, phrase)
    english = phrases_for("en")
    assert english.answer("hurt_check", "nope") is None  # its own table: "ouch" was heard as "nope"
    assert english.answer("yes_no", "nope") == "no"  # the warning-signs question keeps it
    assert phrases_for("ko").answers["hurt_check"]["no"] == phrases_for("ko").answers["yes_no"]["no"]


def test_shall_i_end_the_session_is_answered_by_yes_the_stop_again_no_or_the_pain() -> None:
    for language in available_languages():
        phrases = phrases_for(language)
        for phrase in [*phrases.answers["yes_no"]["yes"], *phrases.commands["stop"]]:
            assert phrases.answer("end_check", phrase) == "yes", (language, phrase)
        for phrase in phrases.commands["hurts"]:
            assert phrases.answer("end_check", phrase) == "hurts", (language, phrase)
        assert phrases.answer("end_check", phrases.answers["hurt_check"]["no"][0]) == "no"
        assert phrases.answers["end_check"]["no"] == phrases.answers["hurt_check"]["no"]
        # the question holds no command (as a whole word; in Korean, inside words too): the
        # player must not hear itself say one
        asked = phrases.say("ask_to_end").lower()
        said = [p for ps in phrases.commands.values() for p in ps]
        held = [p for p in said if re.search(rf"(?<!\w){p}(?!\w)" if p.isascii() else p, asked)]
        assert not held, (language, held)
