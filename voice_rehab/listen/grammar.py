"""What the listener listens for: the phrases of one moment (commands, or one question's answers)
and what each phrase means. An utterance must be one of these phrases, not merely contain one."""

from __future__ import annotations

from dataclasses import dataclass

from voice_rehab.core.phrases import Phrases

COMMANDS = "commands"
# The commands that halt the movement at once: never held back for a second opinion, and the only
# ones that act while the player talks.
SAFETY = frozenset({"hurts", "pause", "stop"})


@dataclass(frozen=True)
class Grammar:
    name: str  # "commands", or the answer table of the question being asked
    meanings: dict[str, str]  # spoken phrase -> command name or canonical answer
    before: tuple[str, ...] = ()  # fillers allowed before a phrase ("okay")
    after: tuple[str, ...] = ()  # fillers allowed after it ("please")
    # Heard as themselves and meaning nothing ("two" while counting along): without them a closed
    # grammar explains every sound as its nearest phrase.
    rejects: tuple[str, ...] = ()

    @property
    def phrases(self) -> list[str]:
        return list(self.meanings)

    @property
    def words(self) -> list[str]:
        return sorted({w for p in [*self.meanings, *self.before, *self.after, *self.rejects] for w in p.split()})

    def rejected(self, text: str) -> bool:
        """Is this utterance one of the words that mean nothing (fillers around it allowed)?"""
        return self.core(text) in self.rejects

    def meaning(self, text: str) -> str | None:
        """The meaning of an utterance that is exactly one phrase (fillers around it allowed), or
        phrases that all mean the same ("stop, stop"; "ouch, that hurts")."""
        meanings = self.meanings_of(text)
        return meanings.pop() if meanings is not None and len(meanings) == 1 else None

    def meanings_of(self, text: str) -> set[str] | None:
        """Every meaning in an utterance that is a run of phrases, or None if it is not one."""
        return self._meanings_of(tuple(self._without_fillers(text)))

    def core(self, text: str) -> str:
        """The utterance without the fillers around it ("okay pause" -> "pause")."""
        return " ".join(self._without_fillers(text))

    def _without_fillers(self, text: str) -> list[str]:
        words = text.lower().split()
        while words and words[0] in self.before:
            words.pop(0)
        while words and words[-1] in self.after:
            words.pop()
        return words

    def _meanings_of(self, words: tuple[str, ...]) -> set[str] | None:
        """What a run of whole phrases means (one set entry per distinct meaning), or None when the
        words are not a run of phrases."""
        if not words:
            return None
        for cut in range(len(words), 0, -1):  # the longest phrase first
            meaning = self.meanings.get(" ".join(words[:cut]))
            if meaning is None:
                continue
            if cut == len(words):
                return {meaning}
            rest = self._meanings_of(words[cut:])
            if rest is not None:
                return {meaning, *rest}
        return None


def _speakable(word: str) -> bool:
    """Keyboard shortcuts (single Latin letters, digits) are not spoken phrases."""
    return not (word.isascii() and (len(word) == 1 or word.isdigit()))


def grammar_for(phrases: Phrases, what: str) -> Grammar:
    """The grammar for `what`: "commands" or an answer table name (severity, pain_type, ...)."""
    if what == COMMANDS:
        meanings = {p: command for command, ps in phrases.commands.items() for p in ps}
        return Grammar(COMMANDS, meanings, phrases.fillers_before, phrases.fillers_after, phrases.not_commands)
    table = phrases.answers[what]
    meanings = {w: canonical for canonical, words in table.items() for w in words if _speakable(w)}
    return Grammar(what, meanings)
