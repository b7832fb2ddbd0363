"""What the player says and which answers it accepts, per language, from `lang/<code>.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANG_DIR = Path(__file__).parent / "lang"


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def _is_one(value: Any) -> bool:
    try:
        return float(value) == 1.0
    except (TypeError, ValueError):
        return False


class UnknownLanguage(ValueError):
    """No phrase table exists for the requested language."""


@dataclass(frozen=True)
class Phrases:
    """One language's spoken phrases and answer words."""

    language: str
    tts_voice: str
    words_per_minute: int
    table: dict[str, Any]
    answers: dict[str, dict[str, list[str]]]
    commands: dict[str, list[str]]
    fillers_before: tuple[str, ...] = ()
    fillers_after: tuple[str, ...] = ()
    not_commands: tuple[str, ...] = ()  # words said on the mat that mean nothing to the player ("two")
    # what a person in pain says, wherever it is in what they say ("ouch, my back", "I need to stop"):
    # heard by the judge, which hears any words, not only the grammar's phrases
    pain_said: tuple[str, ...] = ()
    pain_sounds: tuple[str, ...] = ()  # said alone, a doubted pain ("ooh")
    # said anywhere, a doubted pain: the judge's words for an "ouch, my back" it did not catch
    pain_hints: tuple[str, ...] = ()
    # said alone, a doubted pain only where the fast stage heard pain too ("oh" for an "ow")
    pain_sounds_if_heard: tuple[str, ...] = ()
    # what the judge writes for noise and for a short word it cannot place, never for pain said alone
    judge_noise_words: tuple[str, ...] = ()
    judge_unprompted: tuple[str, ...] = ()  # phrases the judge is not told to expect
    # in a few words the judge wrote, a doubted halt ("stop it", "please stop", "and stop")
    halt_said: tuple[str, ...] = ()
    # questions whose answer may come among a few other words the judge wrote ("no, sorry")
    answers_among_words: tuple[str, ...] = ()
    # commands that may come among a few other words the judge wrote ("the next one", "yeah skip")
    commands_among_words: tuple[str, ...] = ()
    # words that turn a command among them into its opposite ("don't skip")
    negations: tuple[str, ...] = ()
    # per question, what the judge writes for an answer besides the answer's own words ("now" for "no")
    judge_answers: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    words_have_endings: bool = False  # Korean: "시작합니다" is "시작" with an ending, and may be heard as it

    def say(self, key: str, **fields: Any) -> str:
        """The phrase `key` with its placeholders filled in. `{n|one|other}` picks the word for
        the number in field `n` ("1 second", "2 seconds")."""
        text = _PLURAL.sub(lambda m: m[2] if _is_one(fields.get(m[1])) else m[3], str(self.table[key]))
        return text.format(**fields)

    def duration(self, seconds: float) -> str:
        """A length of time as said: "20 seconds", "2 minutes", "1 minute 30 seconds" (never
        "0.3 minutes"), to the nearest second."""
        minutes, rest = divmod(round(seconds), 60)
        forms = self.table["duration"]
        key = "seconds" if not minutes else "minutes" if not rest else "both"
        text = _PLURAL.sub(
            lambda m: m[2] if _is_one({"minutes": minutes, "seconds": rest}.get(m[1])) else m[3], str(forms[key])
        )
        return text.format(minutes=minutes, seconds=rest)

    def count_of(self, noun: str, n: int) -> str:
        """ "1 exercise", "3 exercises": the noun's form for `n` from the table's `plurals`."""
        forms = self.table["plurals"][noun]
        return f"{n} {forms['one'] if n == 1 else forms['other']}"

    @property
    def command_of(self) -> dict[str, str]:
        """Every command phrase, and the command it says."""
        return {p: command for command, said in self.commands.items() for p in said}

    def command_in(self, text: str) -> str | None:
        """The first command phrase that `text` contains (a whole word; or, where words take
        endings, any part of a word), or None."""
        for phrase in self.command_of:
            if self.words_have_endings:
                if phrase in text:
                    return phrase
            elif re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE):
                return phrase
        return None

    def side(self, side: str) -> str:
        return str(self.table["side"][side])

    def answer(self, question: str, text: str) -> str | None:
        """The canonical answer that `text` means for `question`, or None if it means none."""
        said = " ".join(text.lower().strip().rstrip(".!?").split())
        for canonical, words in self.answers[question].items():
            if said == canonical or said in words:
                return canonical
        return None


def available_languages() -> list[str]:
    return sorted(p.stem for p in LANG_DIR.glob("*.yaml"))


class PhraseFileError(ValueError):
    """A language file holds something that is no word where words belong."""


# the answers to "Does something hurt?": yes (or the pain said), no, or the stop said ("stop")
HURT_CHECK = "hurt_check"
# the answers to "Shall I end the session?": yes (or the stop said again), no, or the pain ("hurts")
END_CHECK = "end_check"


@cache
def phrases_for(language: str) -> Phrases:
    """The phrases of `language`, an id from `available_languages()` (never a path)."""
    path = LANG_DIR / f"{language}.yaml"
    if language not in available_languages() or not path.is_file():
        known = ", ".join(available_languages())
        raise UnknownLanguage(f"no phrases for language '{language}' (known: {known})")
    return load_phrases(path)


def load_phrases(path: Path) -> Phrases:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def words(field: str, values: Any) -> list[str]:
        # YAML reads an unquoted yes, no, on or off as true or false: a word lost without a word
        for value in values or ():
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise PhraseFileError(
                    f"{path}: {field}: {value!r} is not a word "
                    "(quote yes, no, on and off: YAML reads them as true and false)"
                )
        return [str(w).lower() for w in values or ()]

    answers = {q: {str(k): words(f"answers.{q}.{k}", v) for k, v in a.items()} for q, a in data["answers"].items()}
    commands = {str(k): words(f"commands.{k}", v) for k, v in data["commands"].items()}
    # "Does something hurt?": yes, or the pain said again (a person in pain says "that hurts", not
    # "yes"); yes_no's answers, but for what a language file gives instead (English: "nope" took "ouch")
    check = {**answers["yes_no"], **answers.get(HURT_CHECK, {})}
    answers[HURT_CHECK] = {
        "yes": [*check["yes"], *commands.get("hurts", [])],
        "no": list(check["no"]),
        "stop": list(commands.get("stop", [])),  # a person who says stop while it waits means it
    }
    # "Shall I end the session?" (a doubted stop said again while paused): yes, or the stop said
    # again; no as for "Does something hurt?"; the pain said starts the pain questions
    ending = {**check, **answers.get(END_CHECK, {})}
    answers[END_CHECK] = {
        "yes": [*ending["yes"], *commands.get("stop", [])],
        "no": list(ending["no"]),
        "hurts": [*ending.get("hurts", []), *commands.get("hurts", [])],
    }
    return Phrases(
        language=data["language"],
        tts_voice=data["tts_voice"],
        words_per_minute=int(data["words_per_minute"]),
        table=data["phrases"],
        answers=answers,
        commands=commands,
        fillers_before=tuple(words("fillers_before", data.get("fillers_before"))),
        fillers_after=tuple(words("fillers_after", data.get("fillers_after"))),
        not_commands=tuple(words("not_commands", data.get("not_commands"))),
        pain_said=tuple(words("pain_said", data.get("pain_said"))),
        pain_sounds=tuple(words("pain_sounds", data.get("pain_sounds"))),
        pain_hints=tuple(words("pain_hints", data.get("pain_hints"))),
        pain_sounds_if_heard=tuple(words("pain_sounds_if_heard", data.get("pain_sounds_if_heard"))),
        judge_noise_words=tuple(words("judge_noise_words", data.get("judge_noise_words"))),
        judge_unprompted=tuple(words("judge_unprompted", data.get("judge_unprompted"))),
        halt_said=tuple(words("halt_said", data.get("halt_said"))),
        answers_among_words=tuple(words("answers_among_words", data.get("answers_among_words"))),
        commands_among_words=tuple(words("commands_among_words", data.get("commands_among_words"))),
        negations=tuple(words("negations", data.get("negations"))),
        judge_answers={
            q: {str(k): words(f"judge_answers.{q}.{k}", v) for k, v in a.items()}
            for q, a in (data.get("judge_answers") or {}).items()
        },
        words_have_endings=bool(data.get("words_have_endings", False)),
    )


def speech_seconds(text: str, words_per_minute: int) -> float:
    """How long `text` takes to say, estimated generously so cues do not overlap."""
    words = max(1, len(text.split()))
    pauses = text.count(".") + text.count(",") + text.count("?")
    return words * 60.0 / words_per_minute + 0.25 * pauses + 0.4
