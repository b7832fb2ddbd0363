"""The listener's decision rules: what one utterance decides, from what each stage heard.

Pure: an `Utterance` record in (what the fast stage and the judge made of it, whether the player
was talking), a `Verdict` out. No audio, no clock, no model here, so each rule is tested with a
record written by hand.

Two clocks, two jobs. The fast stage (closed grammar + verifier) may *halt* the player at once on
anything that may be a safety command (`SAFETY`): a false halt costs a moment's silence, a missed
one an injury. The judge decides, once the utterance has ended, what it was. The rules below run
in order; the first that applies decides. Where the fast stage halted and the judge finds no
command, the halt is released (the player carries on where it froze), except where safety may be
at stake: a doubted "that hurts" pauses and asks "Does something hurt?", and a "stop" or "pause"
the judge wrote but doubts pauses (a doubted stop is `DOUBTED_STOP`: said again while paused, the
player asks before it ends the session). The rules were chosen on the tuning speakers and voices and are
replayed on saved hearings by `scripts/rescore_real_people.py` (docs/BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from voice_rehab.core.events import Command
from voice_rehab.core.phrases import END_CHECK, HURT_CHECK
from voice_rehab.listen.grammar import COMMANDS, SAFETY

HALT = Command.HALT.value
STOP = Command.STOP.value
HURTS = Command.HURTS.value
RELEASE = Command.RELEASE.value
DOUBTED_HURTS = Command.MAYBE_HURTS.value
DOUBTED_STOP = Command.MAYBE_STOP.value
PAIN = {HURTS, DOUBTED_HURTS}  # what the fast stage may have heard of pain
HALTS = SAFETY | {DOUBTED_HURTS}  # what halts the player: the safety set, and a doubted pain
# The commands that never halt: where the judge nearly wrote one the fast stage heard, it may act
COMMANDS_NOT_HALTING = frozenset({Command.NEXT.value, Command.REPEAT.value, Command.RESUME.value})
# Every decision that leaves the player stopped (what the benchmarks count as a halt kept)
LEAVES_STOPPED = frozenset(SAFETY | {DOUBTED_HURTS, DOUBTED_STOP})
# The safety commands the judge is not let go of when unsure. "pause" joined "stop" once the tuning
# voices could be heard: their "pause" and "wait" written right but unsure had been let go
# (reverb 76 -> 80 of 100 safety phrases left stopped), for 3 more false pauses on 450 tuning
# speakers' words in noise, where unsure "hold on" and "wait" were mostly "off" and "left".
SAFE_WORDS = {Command.STOP.value, Command.PAUSE.value}


@dataclass(frozen=True)
class Thresholds:
    """The judge's numbers that the rules use, chosen on the tuning speakers (docs/BENCHMARKS.md)."""

    # Above this, the judge's own estimate says there was no speech: its words are a hallucination
    # ("Thank you." on a cough or on noise).
    no_speech: float = 0.8
    # The judge's words act alone at or above this mean token log-probability. In noise it writes
    # what the prompt suggests ("pause pause pause" in babble, "ouch" for "off"): those scored
    # -0.64 to -1.17, while 90 % of its right commands and answers scored above -0.63 in pink noise
    # and above -0.46 in quiet (tuning speakers; docs/BENCHMARKS.md, "The judge's numbers").
    confident: float = -0.65
    # A pain the fast stage heard is let go when the judge heard one other word, unless the judge
    # is this unsure of it. Where it mishears a "that hurts" it writes a few words ("That's
    # false.", "Let's do this.") or one it is unsure of ("Inverse.", -0.95); real "up", "down",
    # "house" that the fast stage took for pain scored -0.14 to -0.98.
    sure: float = -1.0
    # A pain the fast stage heard is let go where the judge is at least this sure of other words,
    # however many, and finds "Ouch." less likely than `unlikely_pain` not told the phrases. Tuning
    # voices: "That's good." at -0.05 to -0.29 with "Ouch." at -3.8 to -5.8; their pain misheard as
    # other words at -0.49 and below, but for one "ouch, my back" written "I'll slide back" at
    # -0.29, with "Ouch." at -2.8.
    sure_of_words: float = -0.3
    unlikely_pain: float = -3.5
    # A command that does not halt is the fast stage's where one of the judge's next guesses means it
    # and scored at most this far below its words.
    command_guess_gap: float = 0.2
    # A "stop" or "pause" the judge wrote pauses down to this mean log-probability.
    unsure_safety: float = -1.0
    # A halt among the judge's next guesses pauses when it scored at most this far below its words.
    halt_guess_gap: float = 0.2
    # A room where this many utterances in the last minute were words that were no command is
    # talking: people near the mat (one talker saying words one after another: about 47 a minute).
    talking_room: int = 10
    # A stop the judge wrote but doubts is a stop where, not told the phrases, it finds "Stop." at
    # least this likely (forced; mean token log-probability). In babble the person's stops it
    # doubted scored -1.1 to -2.4; ordinary words it wrote as a stop, -2.9 and below (tuning
    # speakers; docs/BENCHMARKS.md).
    plain_stop: float = -2.5
    # Words the judge could not place ask "Does something hurt?" where, not told the phrases, it
    # finds "Ouch." at least this likely: 18 of 20 tuning voices' "ouch" and "ouch, my back" in
    # quiet (it wrote "I'll" for some), 2 of 450 tuning speakers' words in quiet and pink noise.
    plain_pain: float = -2.0
    # At or above this probability of no speech, the judge's answer or pain is one the prompt put
    # on a sound that was no speech: told the numbers, "yes" and "it hurts", it wrote "three two
    # three four five", "Okay." and "It hurts." for a knock of dishes (0.6-0.87), while the tuning
    # speakers' answers and the tuning voices' pain scored below 0.6 but for 7 of 715 and 1 of 154
    # (docs/BENCHMARKS.md, "More rooms").
    no_speech_for_prompt: float = 0.6


@dataclass(frozen=True)
class Utterance:
    """Everything the rules need to know about one utterance that has ended."""

    expecting: str  # "commands", or the answer table of the question being asked
    fast: str | None  # what the fast stage made of it: a command, answer, DOUBTED_HURTS or None
    halted: bool  # the fast stage already halted the player for it
    judged: str | None  # what the judge's words mean (a command or answer), or None
    judge_words: str  # the judge's words, normalised ("" where it heard none)
    no_speech: float  # the judge's probability that there was no speech at all
    logprob: float  # the judge's mean token log-probability: how sure it is of its words
    echo: bool  # the words that carry the meaning are what the player itself is saying now
    over_player: bool  # the player was talking during the utterance
    too_long: bool  # longer than a command: talk
    enrolled: str | None = None  # the command the person's own enrolled takes say it is, if any
    sounds_like_pain: bool = False  # the judge's words alone are a sound it writes for a pain ("oh")
    noise_words: bool = False  # the judge's words are only what it writes for noise ("okay")
    halt_in_words: bool = False  # the judge wrote a halt in a few other words ("stop it", "and stop")
    # how far below its words the judge's next guesses that hold a halt scored (mean log-probability)
    halt_guesses: tuple[float, ...] = ()
    # the commands the judge's next guesses mean, each with how far below its words it scored
    command_guesses: tuple[tuple[str, float], ...] = ()
    # do the judge's words heard without the prompt hold a halt or pain (None: not heard so)
    plain_safety: bool | None = None
    plain_meaning: str | None = None  # what those words mean (None: nothing, or not heard so)
    talk_before: int = 0  # utterances of words that were no command in the last minute
    stop_written: bool = False  # a stop is in the judge's words or in any of its next guesses
    answers_written: tuple[str, ...] = ()  # every answer the judge's words hold ("three two": 3 and 2)
    stop_in_talk: bool = False  # a stop in the judge's words, however many, not after "don't"
    # how likely the judge finds "Stop." said alone when not told the phrases (None: not scored)
    plain_stop: float | None = None
    plain_pain: float | None = None  # the same for "Ouch."


@dataclass(frozen=True)
class Verdict:
    kind: str  # "command", "answer", "unclear" (speech that answered nothing) or "none"
    value: str  # the command or answer ("" for unclear and none)
    rule: str  # the name of the rule that decided


def _drop(u: Utterance, rule: str) -> Verdict:
    """Nothing was said to the player: let a halt go, else decide nothing."""
    return Verdict("command", RELEASE, rule) if u.halted else Verdict("none", "", rule)


def _doubted_halt(u: Utterance, rule: str) -> Verdict:
    """A halt the judge doubts pauses: as a doubted stop (said again while paused, it asks to end)
    where it wrote a stop, or wrote no halt but nearly wrote a stop (the fast stage hearing no pain)
    or the fast stage heard one; else as a pause."""
    if u.judged == STOP or u.stop_in_talk:
        stop = True
    elif u.judged == Command.PAUSE.value or u.halt_in_words:  # it wrote a pause ("don't stop" too)
        stop = False
    else:  # not where the fast stage heard pain: said again, that pause asks whether it hurts
        stop = (u.stop_written or u.fast == STOP) and u.fast not in PAIN
    return Verdict("command", DOUBTED_STOP if stop else Command.PAUSE.value, rule)


def _heard_words(u: Utterance, t: Thresholds) -> bool:
    return bool(u.judge_words) and u.no_speech < t.no_speech


def _one_clear_word(u: Utterance, t: Thresholds) -> bool:
    """The judge wrote one word (said once, or repeated as it often writes a short word: "up up"),
    and is not very unsure of it."""
    return _heard_words(u, t) and len(set(u.judge_words.split())) == 1 and u.logprob >= t.sure


def _pause_written(u: Utterance, t: Thresholds) -> bool:
    """The judge's words are a pause, hold one among a few words, or nearly did (a next guess),
    and hold no pain."""
    pause = u.judged == Command.PAUSE.value or u.halt_in_words or any(gap <= t.halt_guess_gap for gap in u.halt_guesses)
    return pause and u.judged not in PAIN and not u.sounds_like_pain


Rule = tuple[str, Callable[[Utterance, Thresholds], bool], Callable[[Utterance, str], Verdict]]

# The rules for commands, in order. (name, applies, verdict)
COMMAND_RULES: list[Rule] = [
    # The player's own words, heard back through the room ("if anything hurts, just tell me").
    ("echo of the player", lambda u, t: u.echo, _drop),
    # Over the player's voice, misrecognition is far more likely: only a halt may act there.
    ("no halt over the player", lambda u, t: u.over_player and u.judged not in HALTS, _drop),
    # In a talking room the person's "stop" merges with other people's words into one utterance
    # ("stop we're in a tree", "she don't have a word stop"), too long for a command: a stop the
    # judge wrote anywhere in it pauses (lopsided: a pause costs a "resume"). Not where the words
    # mean a command or pain ("I need to stop" is pain).
    (
        "a stop among talk pauses",
        lambda u, t: u.talk_before >= t.talking_room and u.stop_in_talk and u.judged is None,
        _doubted_halt,
    ),
    ("talk, not a command", lambda u, t: u.too_long and u.judged not in HALTS, _drop),
    # Told the phrases, the judge writes them for other people's words that sound alike ("Pause."
    # for "house", "Sheila, pause."). In a talking room, a pause that the fast stage did not hear
    # and that the judge does not write when not told the phrases is let go. Not a stop or pain:
    # those stay lopsided (a person's "stop" among other people's talk is often written only when
    # the judge is told the phrases).
    (
        "a pause only the prompt put there",
        lambda u, t: (
            u.talk_before >= t.talking_room
            and u.plain_safety is False
            and u.fast not in HALTS
            and not u.stop_written
            and _pause_written(u, t)
        ),
        _drop,
    ),
    (
        "the judge heard a command",
        lambda u, t: u.judged is not None and _heard_words(u, t) and u.logprob >= t.confident,
        lambda u, rule: Verdict("command", u.judged or "", rule),
    ),
    # Unsure of its words, the judge is believed where the fast stage heard the same command.
    (
        "both stages heard it",
        lambda u, t: u.judged is not None and u.judged == u.fast and _heard_words(u, t),
        lambda u, rule: Verdict("command", u.judged or "", rule),
    ),
    # The judge wrote other words for a command that is no halt ("let's get" for "skip"), with the
    # command the fast stage heard among its close next guesses.
    (
        "the fast stage's command among the judge's guesses",
        lambda u, t: (
            u.judged is None
            and u.fast in COMMANDS_NOT_HALTING
            and _heard_words(u, t)
            and any(meaning == u.fast and gap <= t.command_guess_gap for meaning, gap in u.command_guesses)
        ),
        lambda u, rule: Verdict("command", u.fast or "", rule),
    ),
    # Told the phrases, the judge doubts a person's stop among other people's words; not told them,
    # it still finds "Stop." likely there, and not for the ordinary words it wrote as a stop. Only
    # where its words are a stop: among a few words ("stop it", "stop her") they were "stopper".
    (
        "a stop the judge hears without the prompt",
        lambda u, t: (
            u.judged == STOP
            and _heard_words(u, t)
            and u.logprob >= t.unsure_safety
            and u.plain_stop is not None
            and u.plain_stop >= t.plain_stop
        ),
        lambda u, rule: Verdict("command", STOP, rule),
    ),
    # Safety stays lopsided: a "stop" or "pause" the judge wrote unsure is not let go, it pauses (in
    # noise it writes real stops at -0.66 to -0.93, and "stop" for "off" at -0.76 to -1.0: a pause
    # costs a "resume", a stop let go costs what the person was stopping for).
    (
        "a doubted safety command pauses",
        lambda u, t: u.judged in SAFE_WORDS and _heard_words(u, t) and u.logprob >= t.unsure_safety,
        _doubted_halt,
    ),
    # A halt the judge wrote among a few other words ("please stop", "stop it"; in babble, other
    # people's words around a "stop") pauses: as a doubted stop, it costs a "resume" if wrong.
    (
        "a halt in a few words pauses",
        lambda u, t: u.judged is None and u.halt_in_words and _heard_words(u, t) and u.logprob >= t.unsure_safety,
        _doubted_halt,
    ),
    # In other people's talk, the judge's best words are often theirs, and the person's "stop" is
    # its next guess: a halt it nearly wrote pauses.
    (
        "a halt the judge nearly wrote pauses",
        lambda u, t: u.judged is None and any(gap <= t.halt_guess_gap for gap in u.halt_guesses) and _heard_words(u, t),
        _doubted_halt,
    ),
    # Told "it hurts", the judge writes it for a knock or a clatter, doubting there was speech at
    # all; the fast stage heard no pain there. Not a halt kept: nothing was said.
    (
        "pain only the prompt put on a sound",
        lambda u, t: u.judged in PAIN and u.fast not in PAIN and u.no_speech >= t.no_speech_for_prompt,
        _drop,
    ),
    # Pain the judge alone heard, unsure: the player pauses and asks.
    (
        "unsure pain asks",
        lambda u, t: u.judged in PAIN and _heard_words(u, t),
        lambda u, rule: Verdict("command", DOUBTED_HURTS, rule),
    ),
    # Not told the phrases, the judge finds "Ouch." likely where it wrote other words for one
    # ("I'll", "I'll check my mac" for "ouch, my back"): the player pauses and asks.
    (
        "pain the judge hears without the prompt",
        lambda u, t: (
            u.judged is None and _heard_words(u, t) and u.plain_pain is not None and u.plain_pain >= t.plain_pain
        ),
        lambda u, rule: Verdict("command", DOUBTED_HURTS, rule),
    ),
    # The person enrolled their voice: an utterance the judge could not place that is close to their
    # own takes of a command (closer than to their talk) is that command.
    (
        "the enrolled voice says a command",
        lambda u, t: u.judged is None and u.enrolled is not None,
        lambda u, rule: Verdict("command", u.enrolled or "", rule),
    ),
    # A few words the judge is very sure of, where not told the phrases it finds "Ouch." unlikely, are
    # not a pain it misheard: "That's good." where the fast stage heard "that hurts" (tuning voices).
    (
        "words the judge is sure of let a pain go",
        lambda u, t: (
            u.fast in PAIN
            and u.judged is None
            and _heard_words(u, t)
            and u.logprob >= t.sure_of_words
            and not u.sounds_like_pain
            and u.plain_pain is not None
            and u.plain_pain < t.unlikely_pain
        ),
        _drop,
    ),
    # Safety stays lopsided: pain the fast stage heard and the judge did not pauses and asks,
    # unless the judge is sure it heard one other word (one that is not a sound it writes for a
    # pain, "oh"), or wrote only what it writes for noise ("okay").
    (
        "doubted pain asks",
        lambda u, t: u.fast in PAIN and not u.noise_words and (not _one_clear_word(u, t) or u.sounds_like_pain),
        lambda u, rule: Verdict("command", DOUBTED_HURTS, rule),
    ),
    # The judge heard no words at all (or only its own hallucination): the halt stands as a pause;
    # but not where all it wrote was noise words ("okay"), which it never wrote for a safety phrase.
    (
        "a halt the judge cannot check stays",
        lambda u, t: u.halted and not _heard_words(u, t) and not u.noise_words,
        _doubted_halt,
    ),
    ("the judge heard other words", lambda u, t: True, _drop),
]

# The questions whose answer may be the grammar's where the judge wrote it among other answers or
# words: told the numbers, the judge goes on counting ("three two" for "three"). Not the yes/no
# questions: there "oh no" must not carry on and "yeah, no" is asked again.
ANSWERS_BOTH_MAY_HEAR = ("severity", "pain_type")

# The questions asked while paused, whose yes starts the pain questions or ends the session
PAUSED_QUESTIONS = (HURT_CHECK, END_CHECK)

# The rules for answers to a question (nothing halts while a question waits).
ANSWER_RULES: list[Rule] = [
    # In a talking room the judge, told "yes", "no", "that hurts", writes them for other people's
    # words: "Does something hurt?" answered "yes" by talk began the pain questions (and, unanswered,
    # skipped the exercise). An answer to a question asked while paused that the judge does not
    # write when not told the phrases is asked again; the person is paused meanwhile.
    (
        "an answer only the prompt put there, in talk",
        lambda u, t: (
            u.expecting in PAUSED_QUESTIONS
            and u.talk_before >= t.talking_room
            and u.plain_safety is not None
            and u.judged is not None
            and u.plain_meaning != u.judged
        ),
        lambda u, rule: Verdict("unclear", "", rule),
    ),
    # Told the answers, the judge writes them for a knock or a clatter ("three two three four five",
    # "Okay.", "Yeah, yeah."), doubting there was speech: no answer, and nothing to ask again. Not
    # where the fast stage heard the very answer the judge wrote and the judge heard words.
    (
        "an answer only the prompt put on a sound",
        lambda u, t: (
            u.no_speech >= t.no_speech_for_prompt
            and (u.judge_words or u.fast is not None)
            and not (u.judged is not None and u.judged == u.fast and _heard_words(u, t))
        ),
        lambda u, rule: Verdict("none", "", rule),
    ),
    (
        "the judge heard an answer",
        lambda u, t: u.judged is not None and _heard_words(u, t),
        lambda u, rule: Verdict("answer", u.judged or "", rule),
    ),
    (
        "the judge wrote the grammar's answer among its words",
        lambda u, t: u.expecting in ANSWERS_BOTH_MAY_HEAR and u.fast in u.answers_written and _heard_words(u, t),
        lambda u, rule: Verdict("answer", u.fast or "", rule),
    ),
    (
        "the grammar's answer where the judge heard no words",
        lambda u, t: u.fast is not None and not _heard_words(u, t),
        lambda u, rule: Verdict("answer", u.fast or "", rule),
    ),
    (
        "speech that answers nothing is asked again",
        lambda u, t: _heard_words(u, t) or u.fast is not None,
        lambda u, rule: Verdict("unclear", "", rule),
    ),
    ("nothing heard", lambda u, t: True, lambda u, rule: Verdict("none", "", rule)),
]


def decide(u: Utterance, thresholds: Thresholds = Thresholds()) -> Verdict:
    """The first rule that applies to `u` decides."""
    rules = COMMAND_RULES if u.expecting == COMMANDS else ANSWER_RULES
    for name, applies, verdict in rules:
        if applies(u, thresholds):
            return verdict(u, name)
    raise AssertionError("the last rule always applies")


def may_halt(fast: str | None) -> bool:
    """Does the fast stage's meaning halt the player at once?"""
    return fast in HALTS
