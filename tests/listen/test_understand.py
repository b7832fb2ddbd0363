"""What the judge's free text means."""

from __future__ import annotations

import pytest

from voice_rehab.core.events import Command
from voice_rehab.core.phrases import END_CHECK, HURT_CHECK, Phrases, phrases_for
from voice_rehab.listen.grammar import COMMANDS, grammar_for
from voice_rehab.listen.listener import prompt_for
from voice_rehab.listen.understand import (
    answers_written,
    halt_in_words,
    judged_fields,
    normalise,
    only_noise_words,
    sounds_like_pain,
    stop_in_talk,
    understand,
)

EN = phrases_for("en")


@pytest.mark.parametrize(
    "text, normal",
    [("Stop!", "stop"), ("2.", "two"), ("Seven out of ten.", "seven"), ("7 out of 10", "seven"),
     ("That\u2019s too much.", "that's too much"), ("Okay, next, please.", "okay next please")],
)  # fmt: skip
def test_normalise(text: str, normal: str) -> None:
    assert normalise(text) == normal


@pytest.mark.parametrize(
    "text, meaning",
    [
        ("Stop.", "stop"),
        ("stop, stop.", "stop"),
        ("Okay, next, please.", "next"),
        ("Ouch, my back.", "hurts"),
        ("Ow!", "hurts"),
        ("That's too much.", "hurts"),
        ("I need to stop.", "hurts"),  # a person in pain, not the end of a workout
        ("Four.", None),
        ("Stopwatch.", None),
        ("Let me get my water.", None),
        ("Next one is hard.", None),
        ("Ooh!", "maybe hurts"),  # a sound of pain said alone: asked about
        ("Ooh, that's nice.", None),
        ("", None),
    ],
)
def test_commands_and_pain_in_free_text(en: Phrases, text: str, meaning: str | None) -> None:
    assert understand(text, grammar_for(en, COMMANDS), en).meaning == meaning


def test_the_words_that_carry_pain_are_kept_to_check_against_the_players_own_voice(en: Phrases) -> None:
    assert understand("Ouch, my back!", grammar_for(en, COMMANDS), en).words == "ouch my back"


@pytest.mark.parametrize(
    "question, text, answer",
    [("severity", "7.", "7"), ("severity", "Seven out of ten.", "7"), ("severity", "Zero.", "0"),
     ("pain_type", "Sharp.", "sharp"), ("yes_no", "Yeah.", "yes"), ("yes_no", "No.", "no"),
     (HURT_CHECK, "Ouch.", "yes"), (HURT_CHECK, "Stop.", "stop"), (HURT_CHECK, "I need to stop.", "yes"), ("choice", "Skip it.", "skip"), ("severity", "Dog.", None),
     (END_CHECK, "Yes.", "yes"), (END_CHECK, "Stop!", "yes"), (END_CHECK, "No.", "no"),
     (END_CHECK, "Ouch, my back.", "hurts"), (END_CHECK, "Dog.", None),
     # the stop among a few words (babble: "and stop"), but not beside a no
     (END_CHECK, "And stop.", "yes"), (END_CHECK, "I'll stop.", "yes"), (END_CHECK, "No, stop.", None),
     # the judge's words for an "ouch, my back" it did not catch: pain, where the question asks
     (HURT_CHECK, "I'll to my back.", "yes"), (END_CHECK, "I'll to my back.", "hurts"), ("yes_no", "My back.", None)],
)  # fmt: skip
def test_answers_in_free_text(en: Phrases, question: str, text: str, answer: str | None) -> None:
    assert understand(text, grammar_for(en, question), en).meaning == answer


def test_the_judge_is_told_the_phrases_expected_but_those_it_then_writes_for_other_words(en: Phrases) -> None:
    prompt = prompt_for(grammar_for(en, COMMANDS), en)
    assert "that hurts" in prompt and "stop" in prompt
    assert "ouch" not in prompt.split(", ")  # "off" was written "ouch"; it is still heard (pain_said)
    assert "hold on" not in prompt.split(", ")  # "off" and "on" were written "hold on"
    assert understand("Hold on.", grammar_for(en, COMMANDS), en).meaning == "pause"  # still heard


def test_my_back_anywhere_asks_whether_something_hurts() -> None:
    """The judge's words for an "ouch, my back" it did not catch: "oh my back", "I'll check my back"."""
    commands = grammar_for(EN, COMMANDS)
    for text in ("Oh, my back.", "I'll check my back.", "don't my back"):
        assert understand(text, commands, EN).meaning == Command.MAYBE_HURTS.value, text


def test_need_to_just_stop_is_pain_said() -> None:
    assert understand("I need to just stop.", grammar_for(EN, COMMANDS), EN).meaning == "hurts"


def test_oh_alone_sounds_like_pain_but_means_nothing_by_itself() -> None:
    assert sounds_like_pain("Oh.", EN) and sounds_like_pain("out", EN)
    assert not sounds_like_pain("Oh my.", EN)
    assert understand("Oh.", grammar_for(EN, COMMANDS), EN).meaning is None


def test_only_noise_words_are_the_judge_s_filler_alone() -> None:
    assert only_noise_words("Okay.", EN) and only_noise_words("All right.", EN)
    assert not only_noise_words("Okay, that hurts.", EN) and not only_noise_words("", EN)


@pytest.mark.parametrize(
    "text, meaning",
    [
        ("The next.", "next"),
        ("All right, next.", "next"),  # other people's words around it, in babble
        ("Yeah, skip.", "next"),
        ("Do it again.", "repeat"),
        ("Okay, continue.", "resume"),
        ("Don't skip.", None),  # a negation
        ("Not again!", None),
        ("Next, repeat.", None),  # two commands
        ("Skip, stop.", None),  # a halt among them: that rule is lopsided, not this one
        ("And stop.", None),  # a halt among words pauses (halt_in_words), it is never a stop here
        ("That was your resume.", None),  # talk
    ],
)
def test_a_command_other_than_a_halt_among_a_few_words_is_that_command(text: str, meaning: str | None) -> None:
    assert understand(text, grammar_for(EN, COMMANDS), EN).meaning == meaning


def test_a_command_among_words_is_only_heard_while_commands_are_listened_for() -> None:
    assert understand("Yeah, skip.", grammar_for(EN, "choice"), EN).meaning is None
    assert understand("All right, next.", grammar_for(EN, "yes_no"), EN).meaning is None


def test_every_answer_the_judge_wrote_is_noted_but_not_while_commands_are_listened_for() -> None:
    severity = grammar_for(EN, "severity")
    fields = judged_fields(understand("Three, two.", severity, EN), "Three, two.", EN, -0.7, (), None, severity)
    assert fields["answers_written"] == ("2", "3")
    assert answers_written("That's three.", severity) == ("3",)
    assert answers_written("Good.", severity) == ()
    commands = grammar_for(EN, COMMANDS)
    assert (
        judged_fields(understand("Stop.", commands, EN), "Stop.", EN, -0.2, (), None, commands)["answers_written"] == ()
    )


def test_a_stop_in_talk_is_found_in_any_number_of_words_but_not_after_a_negation() -> None:
    for text in ("Stop!", "Stop, we're in a tree.", "She don't have a word, stop, stop.", "I'll end session now."):
        assert stop_in_talk(text, EN), text
    for text in ("Don't stop.", "We can't stop now.", "Stopwatch.", "Bus top."):
        assert not stop_in_talk(text, EN), text


def test_a_halt_in_a_few_words_is_found_but_not_in_talk_or_inside_other_words() -> None:
    for text in ("Please stop.", "Stop it!", "I want to stop.", "And pause."):
        assert halt_in_words(text, EN), text
    for text in ("We can stop by the shop later.", "Stopped.", "Unstoppable.", "Pass."):
        assert not halt_in_words(text, EN), text


@pytest.mark.parametrize(
    "question, text, answer",
    [
        ("yes_no", "No, sorry.", "no"),
        ("yes_no", "And no.", "no"),
        ("yes_no", "Yes, sir.", "yes"),
        ("yes_no", "Now.", "no"),  # the judge's spelling of a "no"
        ("yes_no", "Yeah, no.", None),  # two answers: asked again
        ("yes_no", "Yes, no.", None),
        ("yes_no", "No matter what I do.", None),  # talk, not an answer
        ("yes_no", "I don't know.", None),
        (HURT_CHECK, "Oh no.", None),  # "Does something hurt?" takes no answer among other words
        (HURT_CHECK, "Now.", None),
        ("severity", "Five minutes.", None),  # nor does "How bad is the pain?"
    ],
)
def test_an_answer_among_a_few_words_only_where_the_question_allows_it(
    question: str, text: str, answer: str | None
) -> None:
    assert understand(text, grammar_for(EN, question), EN).meaning == answer


def test_the_judge_s_next_guesses_that_hold_a_halt_are_kept_with_how_far_below_they_scored() -> None:
    fields = judged_fields(
        understand("All right, bye.", grammar_for(EN, COMMANDS), EN),
        "All right, bye.",
        EN,
        logprob=-0.9,
        others=[("Stop.", -1.0), ("All right.", -1.1), ("Okay, stop it.", -1.4), ("Stopper.", -1.2)],
        plain=None,
    )
    assert fields["halt_guesses"] == (0.1, 0.5)  # "stopper" holds no halt
    assert fields["plain_safety"] is None  # not heard without the prompt


def test_the_judge_s_next_guesses_that_mean_a_command_are_kept_while_it_listens_for_commands() -> None:
    commands = grammar_for(EN, COMMANDS)
    others = [("Skip.", -0.6), ("Let's go.", -0.7), ("Do it again.", -1.3)]
    fields = judged_fields(understand("It's good.", commands, EN), "It's good.", EN, -0.5, others, None, commands)
    assert fields["command_guesses"] == (("next", 0.1), ("repeat", 0.8))
    # not while a question waits for its answer
    answers = grammar_for(EN, "yes_no")
    assert (
        judged_fields(understand("Yes.", answers, EN), "Yes.", EN, -0.5, others, None, answers)["command_guesses"] == ()
    )


@pytest.mark.parametrize(
    ("plain", "holds"),
    [
        ("House.", False),
        ("Next.", False),
        ("Thanks for watching.", False),
        ("Stop.", True),
        ("Okay, stop it.", True),  # a halt among a few words
        ("Ouch, my back.", True),  # pain anywhere
        ("Ooh.", True),  # a pain sound
        ("Oh.", True),  # what it writes for an "ow" it did not catch
        ("We can stop by the shop on the way home.", False),  # a halt in talk
    ],
)
def test_the_judge_s_words_without_the_prompt_say_whether_they_hold_a_halt_or_pain(plain: str, holds: bool) -> None:
    commands = grammar_for(EN, COMMANDS)
    fields = judged_fields(
        understand("Pause.", commands, EN), "Pause.", EN, logprob=-0.3, others=[], plain=understand(plain, commands, EN)
    )
    assert fields["plain_safety"] is holds


def test_what_the_judge_s_words_without_the_prompt_mean_is_kept() -> None:
    check = grammar_for(EN, HURT_CHECK)
    told = understand("Yes.", check, EN)
    for plain, meaning in [("Yes.", "yes"), ("House.", None), ("Ouch, my back.", "yes")]:
        fields = judged_fields(
            told, "Yes.", EN, logprob=-0.3, others=[], plain=understand(plain, check, EN), grammar=check
        )
        assert fields["plain_meaning"] == meaning, plain
    assert judged_fields(told, "Yes.", EN, logprob=-0.3, others=[], plain=None)["plain_meaning"] is None


@pytest.mark.parametrize(
    ("text", "others", "written"),
    [
        ("House, stop.", [], True),
        ("End session.", [], True),
        ("Sheila, pause.", [], False),
        ("Sheila, pause.", [("Sheila, stop.", -2.5)], True),  # however far below, a guess counts
        ("Stopper.", [], False),
    ],
)
def test_a_stop_anywhere_in_the_judge_s_words_or_guesses_is_noted(
    text: str, others: list[tuple[str, float]], written: bool
) -> None:
    fields = judged_fields(understand(text, grammar_for(EN, COMMANDS), EN), text, EN, -0.5, iter(others), None)
    assert fields["stop_written"] is written
    # the guesses, given once as an iterator, still give how far below each halt-holding one scored
    assert fields["halt_guesses"] == tuple(round(-0.5 - score, 3) for _, score in others)
