"""What the judge's free text means: a command, an answer, or nothing.

The judge writes what it heard as a person would ("Stop!", "2.", "Ouch, my back."); the grammar
knows phrases. This maps one to the other: punctuation and case go, digits become words, and a
pain phrase anywhere in the utterance means "that hurts" (a person in pain does not say a fixed
phrase). Everything else must be exactly one phrase of what is expected now, as the grammar
requires of the fast stage, so ordinary words and talk mean nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from voice_rehab.core.events import Command
from voice_rehab.core.phrases import END_CHECK, HURT_CHECK, Phrases
from voice_rehab.listen.grammar import COMMANDS, SAFETY, Grammar

_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_OUT_OF = re.compile(r"\s+out of (ten|10)$")


def normalise(text: str) -> str:
    """Lower case, digits as words ("7" -> "seven"), no punctuation but apostrophes."""
    said = text.lower().replace("\u2019", "'")
    said = re.sub(r"\b(10|[0-9])\b", lambda m: f" {_NUMBERS[int(m[1])]} ", said)
    said = re.sub(r"[^\w' ]+", " ", said)
    said = _OUT_OF.sub("", " ".join(said.split()))  # "seven out of ten"
    return said


@dataclass(frozen=True)
class Understood:
    """The meaning of an utterance, and the words of it that carry that meaning."""

    meaning: str | None  # a command, a canonical answer, or None (no command, no answer)
    words: str  # what carried the meaning ("ouch" in "ouch my back"), or all of it


def pain_phrase_in(said: str, phrases: Phrases) -> str | None:
    """The longest pain phrase that `said` (normalised) contains as whole words, or None."""
    return _phrase_in(said, phrases.pain_said)


def _phrase_in(said: str, candidates: tuple[str, ...]) -> str | None:
    """The longest of `candidates` that `said` contains as whole words, or None."""
    found = [p for p in candidates if re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", said)]
    return max(found, key=len) if found else None


# What pain said means where it is listened for: among the commands, "that hurts"; to "Does
# something hurt?", yes; to "Shall I end the session?", the pain (it starts the pain questions).
PAIN_MEANS = {COMMANDS: "hurts", HURT_CHECK: "yes", END_CHECK: "hurts"}


def understand(text: str, grammar: Grammar, phrases: Phrases) -> Understood:
    """What the judge's `text` means when `grammar` is what the player listens for now."""
    said = normalise(text)
    if grammar.name in PAIN_MEANS:
        pain = pain_phrase_in(said, phrases)
        if pain is not None:
            return Understood(PAIN_MEANS[grammar.name], pain)
        if grammar.name == COMMANDS and said in phrases.pain_sounds:
            return Understood(Command.MAYBE_HURTS.value, said)
        # "my back" (the judge's words for an "ouch, my back" it did not catch): asked about among
        # commands; where the question is whether something hurts or whether to end, it is pain
        hint = _phrase_in(said, phrases.pain_hints)
        if hint is not None:
            return Understood(Command.MAYBE_HURTS.value if grammar.name == COMMANDS else PAIN_MEANS[grammar.name], hint)
    meaning = grammar.meaning(said)
    if meaning is None and grammar.name in phrases.answers_among_words:
        meaning = answer_among_words(said, grammar, phrases)
    if meaning is None and grammar.name == COMMANDS:
        meaning = command_among_words(said, phrases)
    return Understood(meaning, said)


# An answer among this many words at most is that answer ("no, sorry"); in more, it is talk.
ANSWER_AMONG_WORDS_AT_MOST = 3


def answer_among_words(said: str, grammar: Grammar, phrases: Phrases) -> str | None:
    """The one answer among the few words `said` (normalised), the judge's own spellings of the
    answers counted ("now" for "no"), or None where there is none or more than one ("yeah no")."""
    words = said.split()
    if len(words) > ANSWER_AMONG_WORDS_AT_MOST:
        return None
    spelt = {w: answer for answer, ws in phrases.judge_answers.get(grammar.name, {}).items() for w in ws}
    meanings = {grammar.meanings.get(w) or spelt.get(w) for w in words} - {None}
    return meanings.pop() if len(meanings) == 1 else None


# A command among this many words at most is that command ("do it again"); in more, it is
# talk ("that was your resume").
COMMAND_AMONG_WORDS_AT_MOST = 3


def command_among_words(said: str, phrases: Phrases) -> str | None:
    """The one command of `phrases.commands_among_words` among the few words `said` (normalised),
    or None where there is none, another command too, or a negation ("don't skip")."""
    words = said.split()
    if len(words) > COMMAND_AMONG_WORDS_AT_MOST or set(words) & set(phrases.negations):
        return None
    found = {command for command, ps in phrases.commands.items() if _phrase_in(said, tuple(ps)) is not None}
    return found.pop() if len(found) == 1 and found <= set(phrases.commands_among_words) else None


def judged_fields(
    understood: Understood,
    text: str,
    phrases: Phrases,
    logprob: float,
    others: Iterable[tuple[str, float]],
    plain: Understood | None,
    grammar: Grammar | None = None,
) -> dict[str, Any]:
    """What an utterance record (`policy.Utterance`) takes from the judge's `text` (of mean
    log-probability `logprob`), its next guesses `others` and its words heard without the prompt
    (`plain`, understood; None where it was not heard so), once understood: its meaning, its
    words, and the flags the rules read. The listener and the benchmark's rescoring both build
    records with it, so a replay decides on exactly what the listener saw."""
    guesses = tuple(others)
    return {
        "plain_safety": None if plain is None else holds_safety(plain, phrases),
        "plain_meaning": None if plain is None else plain.meaning,
        "stop_written": any(
            _phrase_in(normalise(said), tuple(phrases.commands.get(Command.STOP.value, ()))) is not None
            for said in [text, *(said for said, _ in guesses)]
        ),
        # how far below the judge's words each of its next guesses that holds a halt scored
        "halt_guesses": tuple(round(logprob - score, 3) for said, score in guesses if halt_in_words(said, phrases)),
        # each next guess that means a command, with how far below the judge's words it scored
        "command_guesses": ()
        if grammar is None or grammar.name != COMMANDS
        else tuple(
            (meaning, round(logprob - score, 3))
            for said, score in guesses
            if (meaning := understand(said, grammar, phrases).meaning) in phrases.commands
        ),
        "judged": understood.meaning,
        "judge_words": normalise(text),
        "sounds_like_pain": sounds_like_pain(text, phrases),
        "noise_words": only_noise_words(text, phrases),
        "halt_in_words": halt_in_words(text, phrases),
        "stop_in_talk": stop_in_talk(text, phrases),
        "answers_written": () if grammar is None or grammar.name == COMMANDS else answers_written(text, grammar),
    }


def answers_written(text: str, grammar: Grammar) -> tuple[str, ...]:
    """Every answer of `grammar` that the judge's `text` holds as whole words ("three two" holds
    "3" and "2"), in order of meaning."""
    said = normalise(text)
    return tuple(sorted({meaning for p, meaning in grammar.meanings.items() if _phrase_in(said, (p,)) is not None}))


# "Stop" among this many words at most is a halt the judge doubts; in more, it is talk ("we can
# stop by the shop on the way home").
HALT_IN_WORDS_AT_MOST = 4


def halt_in_words(text: str, phrases: Phrases) -> bool:
    """Did the judge write a halt ("stop") in a few words that are not exactly a command ("stop it")?"""
    said = normalise(text)
    return len(said.split()) <= HALT_IN_WORDS_AT_MOST and _phrase_in(said, phrases.halt_said) is not None


def stop_in_talk(text: str, phrases: Phrases) -> bool:
    """Did the judge write a stop anywhere in its words, however many, but not right after a
    negation ("don't stop")?"""
    words = normalise(text).split()
    for phrase in phrases.commands.get(Command.STOP.value, ()):
        said = phrase.split()
        for at in range(len(words) - len(said) + 1):
            if words[at : at + len(said)] == said and (at == 0 or words[at - 1] not in phrases.negations):
                return True
    return False


def holds_safety(understood: Understood, phrases: Phrases) -> bool:
    """Do these words hold a halt or pain: a safety command or pain as their meaning, a halt among
    a few words, or a sound the judge writes for a pain?"""
    return (
        understood.meaning in SAFETY | {Command.MAYBE_HURTS.value}
        or halt_in_words(understood.words, phrases)
        or sounds_like_pain(understood.words, phrases)
    )


def only_noise_words(text: str, phrases: Phrases) -> bool:
    """Is the judge's `text` only what it writes for noise or a word it cannot place ("Okay.")?"""
    said = normalise(text)
    return bool(said) and _phrase_in(said, phrases.judge_noise_words) == said


def sounds_like_pain(text: str, phrases: Phrases) -> bool:
    """Is the judge's `text`, alone, a sound it writes for a pain it did not catch ("oh" for "ow")?"""
    return normalise(text) in phrases.pain_sounds_if_heard
