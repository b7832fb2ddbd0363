"""The listener's rules: an utterance record in, a decision out (no audio, no model)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from voice_rehab.listen.policy import (
    COMMAND_RULES,
    DOUBTED_HURTS,
    DOUBTED_STOP,
    HALT,
    RELEASE,
    Utterance,
    Verdict,
    decide,
    may_halt,
)

QUIET = Utterance(
    expecting="commands",
    fast=None,
    halted=False,
    judged=None,
    judge_words="",
    no_speech=0.05,
    logprob=-0.2,
    echo=False,
    over_player=False,
    too_long=False,
)


def said(**fields: object) -> Utterance:
    return replace(QUIET, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "record, kind, value, rule",
    [
        # the judge decides what was said, whatever the fast stage made of it
        (
            said(fast="pause", halted=True, judged="stop", judge_words="stop"),
            "command",
            "stop",
            "the judge heard a command",
        ),
        (said(judged="next", judge_words="next please"), "command", "next", "the judge heard a command"),
        (
            said(fast="stop", halted=True, judged="hurts", judge_words="ouch my back"),
            "command",
            "hurts",
            "the judge heard a command",
        ),
        # a halt for words that are no command is let go
        (said(fast="stop", halted=True, judge_words="four"), "command", RELEASE, "the judge heard other words"),
        (said(judge_words="computer"), "none", "", "the judge heard other words"),
        # pain the judge did not hear: asked about, unless the judge is sure of other words
        (
            said(fast="hurts", halted=True, judge_words="up", logprob=-1.2),
            "command",
            DOUBTED_HURTS,
            "doubted pain asks",
        ),
        # a misheard "that hurts" comes out as a few words, not one: asked about
        (
            said(fast="hurts", halted=True, judge_words="that's false", logprob=-0.2),
            "command",
            DOUBTED_HURTS,
            "doubted pain asks",
        ),
        # a few words the judge is very sure of, where "Ouch." is unlikely without the prompt:
        # "that's good" where the fast stage heard "that hurts" is let go ...
        (
            said(fast="hurts", halted=True, judge_words="that's good", logprob=-0.07, plain_pain=-4.9),
            "command",
            RELEASE,
            "words the judge is sure of let a pain go",
        ),
        # ... not where "Ouch." is likely enough ("I'll slide back" for "ouch, my back"), nor where
        # the judge is less sure of its words
        (
            said(fast="hurts", halted=True, judge_words="i'll slide back", logprob=-0.29, plain_pain=-2.8),
            "command",
            DOUBTED_HURTS,
            "doubted pain asks",
        ),
        (
            said(fast="hurts", halted=True, judge_words="not odd", logprob=-0.49, plain_pain=-4.9),
            "command",
            DOUBTED_HURTS,
            "doubted pain asks",
        ),
        # a command that does not halt, which the judge wrote as other words with the fast stage's
        # command among its close next guesses ("let's get" for "skip") ...
        (
            said(fast="next", judge_words="it's good", logprob=-0.53, command_guesses=(("next", 0.1),)),
            "command",
            "next",
            "the fast stage's command among the judge's guesses",
        ),
        # ... but not a guess far below its words, nor one the fast stage did not hear
        (
            said(fast="next", judge_words="it's good", logprob=-0.53, command_guesses=(("next", 0.4),)),
            "none",
            "",
            "the judge heard other words",
        ),
        (
            said(fast="repeat", judge_words="it's good", logprob=-0.53, command_guesses=(("next", 0.1),)),
            "none",
            "",
            "the judge heard other words",
        ),
        # unsure of its words, the judge acts where the fast stage agrees, and asks about pain
        # (an unsure "pause" the judge wrote, even "pause pause" in babble, pauses: safety first)
        (
            said(judged="pause", judge_words="pause pause", logprob=-0.85),
            "command",
            "pause",
            "a doubted safety command pauses",
        ),
        # a stop said in a few other words ("please stop", or babble's words around it) pauses
        (
            said(judge_words="please stop", halt_in_words=True, logprob=-0.7),
            "command",
            "pause",
            "a halt in a few words pauses",
        ),
        (
            said(fast="stop", halted=True, judge_words="stop me", halt_in_words=True, logprob=-0.35),
            "command",
            "pause",
            "a halt in a few words pauses",
        ),
        # ... unless the judge is very unsure of the words
        (
            said(judge_words="and stop", halt_in_words=True, logprob=-1.3),
            "none",
            "",
            "the judge heard other words",
        ),
        (
            said(fast="stop", halted=True, judged="stop", judge_words="stop", logprob=-0.9),
            "command",
            "stop",
            "both stages heard it",
        ),
        (said(judged="hurts", judge_words="ouch ouch", logprob=-0.9), "command", DOUBTED_HURTS, "unsure pain asks"),
        (said(judged="next", judge_words="next", logprob=-0.9), "none", "", "the judge heard other words"),
        (
            said(fast="next", judged="next", judge_words="skip skip", logprob=-0.9),
            "command",
            "next",
            "both stages heard it",
        ),
        # a sound of pain alone ("Ooh!") asks, even over the player
        (
            said(judged=DOUBTED_HURTS, judge_words="ooh", over_player=True),
            "command",
            DOUBTED_HURTS,
            "the judge heard a command",
        ),
        (
            said(fast="hurts", halted=True, judge_words="up", logprob=-0.1),
            "command",
            RELEASE,
            "the judge heard other words",
        ),
        (said(fast=DOUBTED_HURTS, halted=True, judge_words=""), "command", DOUBTED_HURTS, "doubted pain asks"),
        # the judge heard no words (or hallucinated on noise): a halt stands as a pause (the fast
        # stage's stop as a doubted stop: said again while paused, it asks to end)
        (
            said(fast="stop", halted=True, judge_words=""),
            "command",
            DOUBTED_STOP,
            "a halt the judge cannot check stays",
        ),
        (said(fast="pause", halted=True, judge_words=""), "command", "pause", "a halt the judge cannot check stays"),
        (
            said(fast="stop", halted=True, judge_words="thank you", no_speech=0.95),
            "command",
            DOUBTED_STOP,
            "a halt the judge cannot check stays",
        ),
        # the player's own words and talk over the player
        (
            said(fast="hurts", halted=True, judged="hurts", judge_words="hurts", echo=True),
            "command",
            RELEASE,
            "echo of the player",
        ),
        (said(judged="next", judge_words="next", over_player=True), "none", "", "no halt over the player"),
        (said(judged="stop", judge_words="stop", over_player=True), "command", "stop", "the judge heard a command"),
        (said(judged="next", judge_words="next one is hard", too_long=True), "none", "", "talk, not a command"),
        (
            said(judged="hurts", judge_words="oh it hurts so much", too_long=True),
            "command",
            "hurts",
            "the judge heard a command",
        ),
    ],
)
def test_each_command_rule(record: Utterance, kind: str, value: str, rule: str) -> None:
    assert decide(record) == Verdict(kind, value, rule)


@pytest.mark.parametrize(
    "record, kind, value",
    [
        (said(expecting="severity", fast="1", judged="7", judge_words="seven"), "answer", "7"),
        (said(expecting="severity", fast="7", judge_words=""), "answer", "7"),
        (said(expecting="yes_no", fast="yes", judge_words="maybe"), "unclear", ""),
        (said(expecting="yes_no", judge_words=""), "none", ""),
        # told the numbers, the judge goes on counting: the grammar's answer among them is taken
        (said(expecting="severity", fast="3", judge_words="three two", answers_written=("2", "3")), "answer", "3"),
        (said(expecting="severity", fast="6", judge_words="seven six", answers_written=("6", "7")), "answer", "6"),
        (said(expecting="severity", fast="8", judge_words="three two", answers_written=("2", "3")), "unclear", ""),
        (
            said(expecting="pain_type", fast="sharp", judge_words="sharp sharp pain", answers_written=("sharp",)),
            "answer",
            "sharp",
        ),
        # not where yes or no decides what comes next: "yeah, no" is asked again
        (said(expecting="yes_no", fast="no", judge_words="yeah no", answers_written=("no", "yes")), "unclear", ""),
        (said(expecting="hurt_check", fast="no", judge_words="oh no", answers_written=("no",)), "unclear", ""),
    ],
)
def test_answers_take_the_judges_word_and_the_grammars_where_the_judge_heard_none(
    record: Utterance, kind: str, value: str
) -> None:
    verdict = decide(record)
    assert (verdict.kind, verdict.value) == (kind, value)


def test_the_safety_set_halts_and_nothing_else_does() -> None:
    assert all(may_halt(c) for c in ("pause", "stop", "hurts", DOUBTED_HURTS))
    assert not any(may_halt(c) for c in ("next", "resume", "repeat", None, HALT))


def test_every_rule_has_a_name_and_the_last_always_applies() -> None:
    names = [name for name, _, _ in COMMAND_RULES]
    assert len(set(names)) == len(names)
    assert decide(said(judge_words="anything at all")).rule == names[-1]


@pytest.mark.parametrize(
    "record, value, rule",
    [
        # unsure, in noise: a real stop at -0.92 was let go; it now pauses (lopsided safety), as a
        # doubted stop: said again while paused, the player asks whether to end
        (said(judged="stop", judge_words="stop stop", logprob=-0.92), DOUBTED_STOP, "a doubted safety command pauses"),
        # in babble the utterance never ends (too long for a command): a stop in it still pauses
        (
            said(judged="stop", judge_words="stop stop", logprob=-0.73, too_long=True),
            DOUBTED_STOP,
            "a doubted safety command pauses",
        ),
        # where the fast stage heard the same stop, it stops
        (
            said(fast="stop", halted=True, judged="stop", judge_words="stop", logprob=-0.9),
            "stop",
            "both stages heard it",
        ),
        # sure of it, it stops
        (said(judged="stop", judge_words="stop", logprob=-0.3), "stop", "the judge heard a command"),
    ],
)
def test_a_stop_the_judge_wrote_is_never_let_go(record: Utterance, value: str, rule: str) -> None:
    assert decide(record) == Verdict("command", value, rule)


def test_a_doubted_halt_is_a_doubted_stop_only_where_the_judge_wrote_a_stop() -> None:
    """Said again while paused, a doubted stop asks to end and a pause asks whether it hurts:
    which one depends on the word the judge wrote."""
    assert decide(said(judged="pause", judge_words="pause pause", logprob=-0.9)).value == "pause"
    few = said(judge_words="please wait", logprob=-0.5, halt_in_words=True)
    assert decide(few).value == "pause"
    assert decide(replace(few, judge_words="please stop", stop_in_talk=True)).value == DOUBTED_STOP
    # "don't stop": the stop follows a negation, so it is no stop (it still pauses, as any halt)
    assert decide(replace(few, judge_words="don't stop", stop_in_talk=False, stop_written=True)).value == "pause"
    # no halt written: a stop the judge nearly wrote, or the fast stage heard, is a doubted stop
    nearly = said(judge_words="all right bye", logprob=-0.9, halt_guesses=(0.1,))
    assert decide(nearly).value == "pause"
    assert decide(replace(nearly, stop_written=True)).value == DOUBTED_STOP
    assert decide(replace(nearly, fast="stop", halted=True)).value == DOUBTED_STOP
    # where the fast stage heard pain, a pause: said again, it asks whether something hurts
    assert decide(replace(nearly, stop_written=True, fast="hurts", halted=True)).value == "pause"
    # but a pause it wrote stays a pause, whatever it nearly wrote
    assert decide(said(judged="pause", judge_words="wait", logprob=-0.9, stop_written=True)).value == "pause"


def test_a_doubted_stop_the_judge_finds_likely_without_the_prompt_stops() -> None:
    """In babble the judge doubts a person's stop when told the phrases; not told them, it still
    finds "Stop." likely there (and not for the ordinary words it wrote as a stop)."""
    doubted = said(judged="stop", judge_words="stop stop", logprob=-0.8)
    rule = "a stop the judge hears without the prompt"
    assert decide(replace(doubted, plain_stop=-1.7)) == Verdict("command", "stop", rule)
    assert decide(replace(doubted, plain_stop=-3.2)).value == DOUBTED_STOP  # unlikely: it pauses
    assert decide(doubted).value == DOUBTED_STOP  # not scored: as before
    # only where the judge's words are a stop: among a few words it pauses, as before ("stop her"
    # was "stopper"), and a pause stays a pause
    few = said(judge_words="stop her", halt_in_words=True, stop_in_talk=True, logprob=-0.46, plain_stop=-1.4)
    assert decide(few) == Verdict("command", DOUBTED_STOP, "a halt in a few words pauses")
    assert decide(said(judged="pause", judge_words="wait", logprob=-0.8, plain_stop=-1.0)).value == "pause"
    # too unsure of its words, or its words a hallucination: the rule does not apply
    assert decide(replace(doubted, logprob=-1.3, plain_stop=-1.0)).kind == "none"
    assert decide(replace(doubted, no_speech=0.9, plain_stop=-1.0)).kind == "none"


def test_words_the_judge_could_not_place_ask_where_it_finds_ouch_likely_without_the_prompt() -> None:
    """Told the phrases, the judge wrote "I'll" for an "ouch"; not told them, it finds "Ouch." likely."""
    ouch = said(fast="hurts", halted=True, judge_words="i'll", logprob=-0.6, plain_pain=-1.5)
    rule = "pain the judge hears without the prompt"
    assert decide(ouch) == Verdict("command", DOUBTED_HURTS, rule)
    assert decide(replace(ouch, fast=None, halted=False)) == Verdict("command", DOUBTED_HURTS, rule)
    # unlikely, or not scored: as before (a clear other word lets the halt go)
    assert decide(replace(ouch, plain_pain=-3.0)).value == RELEASE
    assert decide(replace(ouch, plain_pain=None)).value == RELEASE
    # a command the judge heard is that command; over the player's voice only a halt may act
    assert decide(replace(ouch, judged="next", judge_words="next")).value == "next"
    assert decide(replace(ouch, over_player=True, fast=None, halted=False)).kind == "none"


@pytest.mark.parametrize(
    "record",
    [
        said(judged="stop", judge_words="stop", logprob=-1.3),  # very unsure
        said(judged="stop", judge_words="stop", logprob=-0.9, no_speech=0.9),  # its words are a hallucination
    ],
)
def test_a_stop_too_doubtful_or_an_unsure_pause_acts_on_nothing(record: Utterance) -> None:
    assert decide(record).kind == "none"


def test_a_short_word_the_judge_wrote_twice_lets_a_doubted_pain_go() -> None:
    """The judge often doubles a short word ("up up"); it is still one clear word, not pain."""
    record = said(fast="hurts", halted=True, judge_words="up up", logprob=-0.43)
    assert decide(record) == Verdict("command", RELEASE, "the judge heard other words")
    assert decide(replace(record, judge_words="love it")).value == DOUBTED_HURTS


def test_a_sound_the_judge_writes_for_pain_asks_where_the_fast_stage_heard_pain() -> None:
    """ "oh" for an "ow": clear as a word, but where the fast stage heard pain it asks."""
    record = said(fast="hurts", halted=True, judge_words="oh", logprob=-0.4, sounds_like_pain=True)
    assert decide(record) == Verdict("command", DOUBTED_HURTS, "doubted pain asks")
    assert decide(replace(record, fast=None, halted=False)).kind == "none"


def test_a_pain_the_judge_heard_only_as_noise_words_is_let_go() -> None:
    """ "Okay." is what the judge writes for noise and for a short word it cannot place ("up"), and
    never wrote for pain said alone: where it is all it wrote, the fast stage's pain is let go."""
    record = said(fast="hurts", halted=True, judge_words="okay", logprob=-1.3, noise_words=True)
    assert decide(record) == Verdict("command", RELEASE, "the judge heard other words")
    assert decide(replace(record, noise_words=False)).value == DOUBTED_HURTS


def test_a_halt_where_the_judge_wrote_only_noise_words_is_released() -> None:
    record = said(fast="hurts", halted=True, judge_words="okay", no_speech=0.85, logprob=-1.5, noise_words=True)
    assert decide(record) == Verdict("command", RELEASE, "the judge heard other words")
    # a halt for a stop the judge could not check at all still stands as a (doubted stop's) pause
    assert decide(replace(record, fast="stop", noise_words=False, judge_words="")).value == DOUBTED_STOP


def test_an_unsure_pause_the_judge_wrote_pauses() -> None:
    """The tuning voices' "pause" and "wait", written right but unsure, had been let go."""
    assert decide(said(judged="pause", judge_words="wait", logprob=-0.9)).value == "pause"


def test_a_halt_the_judge_nearly_wrote_pauses_and_one_it_barely_considered_does_not() -> None:
    """In babble the judge's best words are often the other people's, the person's "stop" its next guess."""
    record = said(judge_words="all right bye", logprob=-0.9, halt_guesses=(0.1,))
    assert decide(record) == Verdict("command", "pause", "a halt the judge nearly wrote pauses")
    assert decide(replace(record, halt_guesses=(0.4,))).kind == "none"
    # a command the judge heard is still that command
    assert decide(replace(record, judged="next", judge_words="next", logprob=-0.2)).value == "next"
    # and it needs words: a hallucination's guesses count for nothing
    assert decide(replace(record, no_speech=0.95)).kind == "none"


TALKING = 10  # utterances of other words in the last minute: a talking room


@pytest.mark.parametrize(
    "record",
    [
        said(judged="pause", judge_words="pause", logprob=-0.2),  # a sure "pause"
        said(judged="pause", judge_words="hold on", logprob=-0.8),  # a doubted one
        said(judge_words="sheila pause", logprob=-0.5, halt_in_words=True),  # a pause in a few words
        said(judge_words="forward", logprob=-0.6, halt_guesses=(0.1,)),  # a pause nearly written
    ],
)
def test_in_a_talking_room_a_pause_only_the_prompt_put_there_is_let_go(record: Utterance) -> None:
    """Told the phrases, the judge writes them for other people's words ("Pause." for "house")."""
    talking = replace(record, talk_before=TALKING, plain_safety=False)
    assert decide(talking) == Verdict("none", "", "a pause only the prompt put there")
    # a halt the fast stage made for it is released
    assert decide(replace(talking, halted=True)).value == RELEASE
    # the pause stays where the words without the prompt hold a halt or pain too,
    assert decide(replace(talking, plain_safety=True)).value == "pause"
    # where they were not heard,
    assert decide(replace(talking, plain_safety=None)).value == "pause"
    # where the fast stage heard a halt or pain itself,
    assert decide(replace(talking, fast="stop", halted=True)).value in ("stop", "pause", DOUBTED_STOP)
    # where a stop is in the judge's words or guesses (a pause it nearly wrote: a doubted stop),
    assert decide(replace(talking, stop_written=True)).value in ("pause", DOUBTED_STOP)
    # and in a room with less talk
    assert decide(replace(talking, talk_before=TALKING - 1)).value == "pause"


@pytest.mark.parametrize(
    "record, value",
    [
        (said(judged="stop", judge_words="stop", logprob=-0.3), "stop"),  # sure
        (said(judged="stop", judge_words="stop stop", logprob=-0.8), DOUBTED_STOP),  # doubted
        (said(judge_words="house stop", logprob=-0.5, halt_in_words=True, stop_in_talk=True), DOUBTED_STOP),
        (said(judged="hurts", judge_words="ouch my back", logprob=-0.3), "hurts"),
        (said(judged="hurts", judge_words="it hurts it hurts", logprob=-0.9), DOUBTED_HURTS),
    ],
)
def test_in_a_talking_room_a_stop_or_pain_stays_lopsided(record: Utterance, value: str) -> None:
    """A person's "stop" among other people's talk is often written only when the judge is told
    the phrases: it is never let go for that, nor is pain."""
    stop = "stop" in record.judge_words
    talking = replace(record, talk_before=TALKING, plain_safety=False, stop_written=stop)
    assert decide(talking).value == value


def test_a_command_that_is_no_halt_is_not_checked_in_a_talking_room() -> None:
    heard = said(judged="next", judge_words="next", logprob=-0.9, fast="next", plain_safety=False, talk_before=TALKING)
    assert decide(heard).value == "next"


def test_in_a_talking_room_a_stop_among_talk_pauses() -> None:
    """The person's "stop" merges with other people's words into one long utterance."""
    merged = said(judge_words="stop we're in a tree", logprob=-0.8, too_long=True, stop_in_talk=True)
    assert decide(replace(merged, talk_before=TALKING)) == Verdict("command", DOUBTED_STOP, "a stop among talk pauses")
    # in a room with less talk, long talk is still talk
    assert decide(replace(merged, talk_before=TALKING - 1)).rule == "talk, not a command"
    # a stop the judge is sure of still stops
    sure = said(judged="stop", judge_words="stop", logprob=-0.2, stop_in_talk=True, talk_before=TALKING)
    assert decide(sure).value == "stop"
    # the player's own words are never the person's
    assert decide(replace(merged, talk_before=TALKING, echo=True)).kind == "none"
    # words that mean pain stay pain: "I need to stop" asks how bad it is
    pain = said(judged="hurts", judge_words="i need to stop", logprob=-0.3, stop_in_talk=True, talk_before=TALKING)
    assert decide(pain).value == "hurts"


@pytest.mark.parametrize("expecting", ["hurt_check", "end_check"])
def test_in_a_talking_room_a_yes_only_the_prompt_put_there_is_asked_again(expecting: str) -> None:
    """Told "yes", the judge writes it for other people's words: "Does something hurt?" answered
    so by talk began the pain questions, and "Shall I end the session?" would end it."""
    talk = said(expecting=expecting, judged="yes", judge_words="yes", logprob=-0.5, talk_before=TALKING)
    assert decide(replace(talk, plain_safety=False, plain_meaning=None)) == Verdict(
        "unclear", "", "an answer only the prompt put there, in talk"
    )
    # written without the prompt too, it is an answer
    assert decide(replace(talk, plain_safety=False, plain_meaning="yes")).value == "yes"
    # where the words were not heard without the prompt, and in a room with less talk
    assert decide(replace(talk, plain_safety=None)).value == "yes"
    assert decide(replace(talk, plain_safety=False, talk_before=TALKING - 1)).value == "yes"
    # the pain questions themselves are not asked again for it
    severity = replace(talk, expecting="severity", judged="7", judge_words="seven", plain_safety=False)
    assert decide(severity).value == "7"


def test_answers_the_prompt_put_on_a_knock_are_no_answer_and_not_asked_again() -> None:
    """Told the answers, the judge writes them for a knock of dishes, doubting there was speech."""
    rule = "an answer only the prompt put on a sound"
    counting = said(expecting="severity", fast="4", judge_words="three two three four five six seven",
                    answers_written=("2", "3", "4", "5", "6", "7"), no_speech=0.72, logprob=-0.7)  # fmt: skip
    assert decide(counting) == Verdict("none", "", rule)
    assert decide(replace(counting, no_speech=0.1)) == Verdict(
        "answer", "4", "the judge wrote the grammar's answer among its words"
    )
    okay = said(expecting="yes_no", fast="yes", judge_words="okay", noise_words=True, no_speech=0.78, logprob=-1.5)
    assert decide(okay) == Verdict("none", "", rule)
    assert decide(replace(okay, no_speech=0.85)) == Verdict("none", "", rule)  # was the grammar's "yes"
    assert decide(replace(okay, no_speech=0.3)) == Verdict("unclear", "", "speech that answers nothing is asked again")
    # where the fast stage heard the very answer the judge wrote, it stands, if the judge heard words
    agreed = said(expecting="yes_no", fast="yes", judged="yes", judge_words="yep", no_speech=0.78, logprob=-0.6)
    assert decide(agreed) == Verdict("answer", "yes", "the judge heard an answer")
    assert decide(replace(agreed, fast="no")) == Verdict("none", "", rule)
    assert decide(replace(agreed, no_speech=0.85)) == Verdict("none", "", rule)  # words it says were no speech
    assert decide(said(expecting="yes_no", judge_words="", no_speech=0.9)).kind == "none"  # nothing at all


def test_pain_the_prompt_put_on_a_knock_lets_it_go_unless_the_fast_stage_heard_pain() -> None:
    knock = said(fast="pause", halted=True, judged="hurts", judge_words="it hurts", no_speech=0.65, logprob=-0.8)
    rule = "pain only the prompt put on a sound"
    assert decide(knock) == Verdict("command", RELEASE, rule)
    assert decide(replace(knock, fast=None, halted=False)) == Verdict("none", "", rule)
    # heard as pain by the fast stage too, or speech the judge does not doubt: as before
    assert decide(replace(knock, fast="hurts")) == Verdict("command", "hurts", "both stages heard it")
    assert decide(replace(knock, fast=DOUBTED_HURTS)).value == DOUBTED_HURTS
    assert decide(replace(knock, no_speech=0.4)) == Verdict("command", DOUBTED_HURTS, "unsure pain asks")
    # sure of its words, the judge's pain acts whatever it thought of the sound
    assert decide(replace(knock, logprob=-0.3)) == Verdict("command", "hurts", "the judge heard a command")
