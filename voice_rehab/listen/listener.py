"""The command listener: audio in, decided commands (or answers) out, never the player's own voice.

With a judge (English): the fast stage below only *halts* (a silent HALT the moment it may have
heard "pause", "stop" or "that hurts"); when the utterance has ended, the judge hears all of it at
the next chunk (so the halt reaches the player first) and the rules of `policy.py` decide: a
command, an answer, RELEASE, or nothing. Without a judge (Korean), the fast stage decides, as
follows.

Pipeline, each 20 ms chunk: echo cancellation and noise suppression against what the player is
playing -> speech segmentation (on the suppressed signal; with vosk, in a quiet room, on what the
recogniser hears; a speech detector may start an utterance the level alone would not, under
music) -> a recogniser (hearing the suppressed
signal only in a noisy room, chosen once per utterance) restricted to the phrases expected now -> rules:
- an utterance must be exactly one expected phrase (fillers such as "okay" aside), or the same
  command said again ("stop, stop"); in a quiet room the recogniser also knows words that are no
  command (counting along, "two"), so that it can hear them as themselves and decide nothing,
  unless the second opinion (below), which lacks them, hears a safety command in the same audio;
- an utterance longer than `max_utterance` is talk, not a command, and decides nothing;
- a verifier (`verifier.py`, where the language has one): a learnt judge of the same audio must
  find the command likely enough; it may turn a doubted halt into the halt it believes ("that
  hurts" heard as "pause"), and, once an utterance has ended, act alone where it is sure and the
  grammar made no command of it ("next" heard as "wait");
- a second opinion (the recogniser's, where it has one): the same audio heard with the phrases
  repeatable must be a run of that same command, or talk explained as several different phrases
  would act; the safety commands (that hurts, pause, stop) never wait for it;
- a phrase is decided as soon as it is complete and followed by a short dip in level
  (`early_quiet_frames`), without waiting for the end-of-utterance hangover, where the engine's
  partial results can be trusted (pocketsphinx's; vosk's are decided at the end);
- while the player speaks, a phrase that the player itself is saying is its own echo: rejected;
  and only the safety commands (`OVER_SPEECH`: that hurts, pause, stop) act, because speech
  heard over the player's voice is misrecognised far more often (measured: see BENCHMARKS.md).
  Without an echo canceller the listener falls back to ignoring speech while the player talks,
  and so it does until the canceller has learnt the room from the player's first seconds.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from voice_rehab.core.phrases import Phrases
from voice_rehab.listen.audio import CHUNK, RATE
from voice_rehab.listen.enrolment import VoiceProfile
from voice_rehab.listen.frontend import Cleaned, FrontEnd, PassThrough
from voice_rehab.listen.grammar import COMMANDS, SAFETY, Grammar, grammar_for
from voice_rehab.listen.judge import Judge
from voice_rehab.listen.policy import HALT, HURTS, RELEASE, STOP, Utterance, Verdict, decide, may_halt
from voice_rehab.listen.policy import Thresholds as PolicyThresholds
from voice_rehab.listen.recognizers import Recognizer
from voice_rehab.listen.segmenter import Edge, Segmenter, SegmenterSettings
from voice_rehab.listen.speech_detector import SpeechDetector
from voice_rehab.listen.understand import judged_fields, understand
from voice_rehab.listen.verifier import DOUBTED_HURTS, Thresholds, Verifier, alone, judged

CHUNK_SECONDS = CHUNK / RATE
# The listener keeps its recent verdicts and rejections (for benchmarks and diagnostics), not a
# whole session's: past this many, the older half is let go.
KEPT = 1000
T = TypeVar("T")
OVER_SPEECH = SAFETY | {DOUBTED_HURTS}  # commands that may act while the player is talking: they halt


@dataclass(frozen=True)
class Decision:
    """A phrase the listener decided it heard."""

    kind: str  # "command", "answer", or "unclear" (speech that answered nothing)
    value: str  # the command name, or the canonical answer
    t: float  # audio time of the decision, seconds
    heard: str  # the recognised text
    confidence: float | None = None  # the verifier's posterior of the command, where it judged
    grammar: str = COMMANDS


@dataclass
class ListenerSettings:
    max_utterance: float = 1.5  # seconds of speech; longer is talk, not a command
    early_quiet_frames: int = 6  # quiet frames (120 ms) after a complete phrase: decide early
    preroll_frames: int = 15  # audio kept from before speech started (300 ms)
    # The judge hears more of the room before the utterance (600 ms): where other people talk, the
    # segmenter starts late on a soft first sound, and a short cut of babble is what the judge
    # then writes (tuning speakers' "stop" in babble, written as a stop: 46 -> 52 of 71).
    judge_lead_frames: int = 30
    echo_window: float = 0.6  # seconds: how long the player's words count as possible echo
    second_opinion: bool = True  # ask the recogniser's second opinion (benchmarks turn it off)
    # In a quiet room, find where speech starts and ends in the signal the recogniser hears rather
    # than the noise-suppressed one. None: where the recogniser decides at the end of an utterance
    # (vosk), which then hears the whole of its last word: Korean, quiet, recall 61.5 -> 68.3 % on
    # held-out voices; pocketsphinx, which decides early, lost "that hurts" on held-out English
    # voices with it (measured: BENCHMARKS.md, "What changed").
    find_speech_in_heard_signal: bool | None = None
    segmenter: SegmenterSettings = field(default_factory=SegmenterSettings)
    verifier: Thresholds = field(default_factory=Thresholds)  # when the verifier (if any) lets a command act
    # With a judge: speech longer than this is talk (a person in pain may say a few words:
    # "ouch, my back, that's too much"); the judge's numbers for the rules
    judged_max_utterance: float = 3.0
    judge_prompt: bool = True  # tell the judge the phrases expected now (benchmarks compare without)
    talk_window: float = 60.0  # seconds over which the other talk heard is counted (`Utterance.talk_before`)
    policy: PolicyThresholds = field(default_factory=PolicyThresholds)


@dataclass(frozen=True)
class _Ended:
    """An utterance that has ended and waits for the judge (heard at the next chunk, so that a
    halt the fast stage decided at its end reaches the player before the judge's work)."""

    audio: np.ndarray
    lead: np.ndarray  # the room before it, which only the judge hears
    grammar: Grammar
    fast: str | None
    halted: bool
    started: float
    too_long: bool


def _keep(kept: list[T], item: T) -> None:
    """Append `item`, letting the older half go once there are more than `KEPT`."""
    kept.append(item)
    if len(kept) > KEPT:
        del kept[: KEPT // 2]


@dataclass
class Rejection:
    """Something heard and not acted on, with why (for benchmarks and diagnostics)."""

    t: float
    heard: str
    reason: str


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


class CommandListener:
    def __init__(
        self,
        recognizer: Recognizer,
        phrases: Phrases,
        front_end: FrontEnd | None = None,
        settings: ListenerSettings | None = None,
        verifier: Verifier | None = None,
        judge: Judge | None = None,
        profile: VoiceProfile | None = None,
        speech_detector: SpeechDetector | None = None,
    ):
        self.recognizer = recognizer
        self.speech_detector = speech_detector  # finds soft words the level alone misses (music)
        self.verifier = verifier
        self.judge = judge
        self.profile = profile  # the person's enrolled voice, if they enrolled
        self._ended: _Ended | None = None
        self._halted = False  # the fast stage halted the player for this utterance
        self.phrases = phrases
        # "Stop." and "Ouch." as the judge writes them said alone: how likely it finds each without
        # the prompt (the first one-word phrase of each command)
        self._said_alone = {
            command: f"{words[0].capitalize()}."
            for command in (STOP, HURTS)
            if (words := [p for p in phrases.commands.get(command, []) if " " not in p])
        }
        self.front_end = front_end or PassThrough()
        self.s = settings or ListenerSettings()
        self.segmenter = Segmenter(self.s.segmenter)
        self.second = recognizer.second_opinion() if self.s.second_opinion else None
        self._find_speech_in_heard = (
            not recognizer.stable_partials
            if self.s.find_speech_in_heard_signal is None
            else self.s.find_speech_in_heard_signal
        )
        self._second_text = ""
        self._second_heard = -1  # how many chunks of the utterance `_second_text` is about
        self._utterance: list[np.ndarray] = []  # what the recogniser heard of this utterance
        self._plain: list[np.ndarray] = []  # the echo-cancelled, unsuppressed signal of it: the verifier's
        self._verdict: tuple[int, dict[str, float]] = (-1, {})  # the verifier's posteriors, and of how many chunks
        self.rejections: list[Rejection] = []
        self.verdicts: list[tuple[Utterance, Verdict]] = []  # the judge's utterances and what they decided
        self._lock = threading.Lock()
        self._wanted = COMMANDS
        self._loaded: tuple[str, tuple[str, ...]] = ("", ())  # what the recognisers hold: grammar, rejected words
        self.grammar: Grammar = grammar_for(self.phrases, COMMANDS)
        self._hold(self.grammar, quiet=True)
        self._preroll: deque[Cleaned] = deque(maxlen=max(self.s.preroll_frames, self.s.judge_lead_frames))
        self._judge_lead: list[np.ndarray] = []  # the room before this utterance, for the judge
        self._player_text: deque[tuple[float, str]] = deque()
        self._talk: deque[float] = deque()  # when each recent utterance that was no command ended
        self._suppressed = False
        self._reset_utterance(0.0)

    @property
    def hearing(self) -> bool:
        """Is the person speaking (an utterance in progress)? Not until the echo canceller has
        learnt the room: before that, what is heard may be what is left of the player's voice."""
        return self.segmenter.in_speech and self.front_end.learnt_the_room()

    @property
    def name(self) -> str:
        return f"{self.recognizer.name}+{self.front_end.name}"

    def _hold(self, grammar: Grammar, quiet: bool) -> None:
        """Load `grammar` into the recognisers unless they already hold it."""
        # The words that are no command only in a quiet room: in noise they took true commands
        # (on the tuning voices at 10 dB, recall 92.4 -> 88.4 %; measured: BENCHMARKS.md), and
        # noise that started a moment ago was heard as "two" or "seven" instead of "that hurts".
        # They need the second recogniser, which checks what they caught for a safety command.
        rejects = grammar.rejects if quiet and self.second is not None else ()
        if (grammar.name, rejects) == self._loaded:
            return
        self.recognizer.set_phrases([*grammar.phrases, *rejects], grammar.before, grammar.after)
        if self.second is not None and grammar.name == COMMANDS:  # it is asked about commands only
            # never with them: it then heard some true "next"s and "again"s as a command and a
            # number, and disagreed
            self.second.set_phrases(grammar.phrases, grammar.before, grammar.after)
        self._loaded = (grammar.name, rejects)

    def _accept(self, cleaned: Cleaned) -> None:
        samples = cleaned.segment if self._suppressed else cleaned.recognise
        if self.second is not None:
            self._utterance.append(samples)
        if self.verifier is not None or self.judge is not None:
            self._plain.append(cleaned.recognise)
        self.recognizer.accept(samples)

    def expect(self, what: str) -> None:
        """Listen for `what` ("commands" or an answer table) from the next utterance on."""
        with self._lock:
            self._wanted = what

    def _reset_utterance(self, t: float) -> None:
        self._started = t
        self._speech_frames = 0
        self._decided = False
        self._too_long = False
        self._wait_for_end = False  # the second opinion disagreed early: decide at the end

    # ---- streaming ----

    def feed(
        self, chunk: np.ndarray, t: float, reference: np.ndarray | None = None, reference_text: str = ""
    ) -> list[Decision]:
        """Process one 20 ms chunk ending at audio time `t`; return any decisions."""
        judged = self._judge_ended(t) if self._ended is not None else []
        return judged + self._feed_chunk(chunk, t, reference, reference_text)

    def flush(self, t: float) -> list[Decision]:
        """The input has ended (a file, not a room): an utterance still going ends here, and
        everything it decides is decided now."""
        decisions: list[Decision] = []
        if self.segmenter.in_speech:
            self.segmenter.end_utterance()
            decision = self._finish(t)
            decisions += [decision] if decision else []
        if self._ended is not None:
            decisions += self._judge_ended(t)
        return decisions

    def _feed_chunk(
        self, chunk: np.ndarray, t: float, reference: np.ndarray | None, reference_text: str
    ) -> list[Decision]:
        if reference_text:
            self._player_text.append((t, reference_text))
        while self._player_text and self._player_text[0][0] < t - 30.0:
            self._player_text.popleft()
        cleaned = self.front_end.process(chunk, reference)
        # the detector hears the echo-cancelled signal, not the suppressed one: as it was trained
        speech = self.speech_detector.push(cleaned.recognise) if self.speech_detector is not None else None
        edge = self.segmenter.push(self._where_speech_is_found(cleaned), speech)
        decisions: list[Decision] = []
        if edge is Edge.SILENCE:
            self._preroll.append(cleaned)
            return decisions
        if edge is Edge.START:
            self._begin(t)
            before = list(self._preroll)
            cut = max(0, len(before) - self.s.preroll_frames)
            self._judge_lead = [frame.recognise for frame in before[:cut]]
            for frame in before[cut:]:
                self._accept(frame)
            self._preroll.clear()
        if edge is Edge.END:
            decision = self._finish(t)
            self._preroll.append(cleaned)
            return [decision] if decision else []
        self._speech_frames += 1
        self._accept(cleaned)
        if self._speech_frames * CHUNK_SECONDS > self.s.max_utterance:
            self._too_long = True
        if self.judge is not None:
            if self.grammar.name == COMMANDS and not self._halted and (found := self._complete_phrase(edge)):
                meaning, partial = found
                halt = self._halt_for(self._verified(meaning), partial, t)
                decisions += [halt] if halt else []
            return decisions
        if not self._decided and not self._wait_for_end and (found := self._complete_phrase(edge)):
            meaning, partial = found
            # the verifier first: where it rejects (or doubts), the second opinion need not be heard
            if self._verified(meaning) in (None, DOUBTED_HURTS) or not self._second_opinion_agrees(meaning):
                self._wait_for_end = True  # hear the rest before deciding (or rejecting)
                return decisions
            decision = self._decide(partial, None, t)
            if decision:
                decisions.append(decision)
        return decisions

    def _complete_phrase(self, edge: Edge) -> tuple[str, str] | None:
        """At a dip in a short utterance, where partial results can decide: the meaning of the
        phrase the partial result already is, and its text (None: not a whole phrase yet)."""
        if (
            edge is not Edge.DIP
            or not self.recognizer.stable_partials
            or self._too_long
            or self.segmenter.quiet_run < self.s.early_quiet_frames
        ):
            return None
        partial = self.recognizer.partial()  # asked last: vosk's lattice search for it costs
        meaning = self.grammar.meaning(partial)
        return (meaning, partial) if meaning is not None else None

    def _where_speech_is_found(self, cleaned: Cleaned) -> np.ndarray:
        return cleaned.recognise if self._find_speech_in_heard and not self.front_end.noisy() else cleaned.segment

    def _begin(self, t: float) -> None:
        self._suppressed = self.front_end.noisy()  # fixed for the whole utterance
        with self._lock:
            wanted = self._wanted
        if wanted != self.grammar.name:
            self.grammar = grammar_for(self.phrases, wanted)
        self._hold(self.grammar, quiet=self.front_end.quiet_lately())  # was the pause before it quiet?
        self.recognizer.begin("suppressed" if self._suppressed else "plain")
        self._utterance = []
        self._plain = []
        self._second_heard = -1
        self._verdict = (-1, {})
        self._reset_utterance(t)
        self._halted = False

    def _finish(self, t: float) -> Decision | None:
        text, confidence = self.recognizer.end()
        if self.judge is not None:
            return self._end_for_judge(text, t)
        if self._decided:
            return None
        if self._too_long:
            if text:
                _keep(self.rejections, Rejection(t, text, "too long"))
            return self._unclear(text, t)
        return self._decide(text, confidence, t, final=True)

    # ---- with a judge: the fast stage halts, the judge decides (rules: policy.py) ----

    def _halt_for(self, fast: str | None, text: str, t: float) -> Decision | None:
        """A halt, where what the fast stage made of `text` (already verified) may be a safety
        command and the player is not saying it itself."""
        if fast is None or not may_halt(fast) or self._player_said([self.grammar.core(text)]):
            return None
        self._halted = True
        confidence = self._posteriors().get(fast) if self.verifier is not None else None
        return Decision("command", HALT, round(t, 3), text, confidence, COMMANDS)

    def _end_for_judge(self, text: str, t: float) -> Decision | None:
        """The utterance ended: halt now if the fast stage may have heard a safety command and
        has not halted yet, and leave the utterance for the judge."""
        fast: str | None = None
        if text and not self._too_long:
            if self.grammar.name == COMMANDS:
                meaning, _ = self._meaning(text)
                fast = self._verified(meaning) if meaning is not None else None
            else:
                fast = self.grammar.meaning(text)
        halt = None
        if self.grammar.name == COMMANDS and not self._halted:
            halt = self._halt_for(fast, text, t)
        audio = np.concatenate(self._plain) if self._plain else np.zeros(0, np.float32)
        lead = np.concatenate(self._judge_lead) if self._judge_lead else np.zeros(0, np.float32)
        long_talk = self._speech_frames * CHUNK_SECONDS > self.s.judged_max_utterance
        self._ended = _Ended(audio, lead, self.grammar, fast, self._halted, self._started, long_talk)
        return halt

    def _judge_ended(self, t: float) -> list[Decision]:
        """The judge's hearing of the utterance that ended, and what the rules decide of it."""
        assert self.judge is not None and self._ended is not None
        ended, self._ended = self._ended, None
        scored = tuple(self._said_alone.values()) if ended.grammar.name == COMMANDS else ()
        transcript = self.judge.hear(
            np.concatenate([ended.lead, ended.audio]),
            prompt_for(ended.grammar, self.phrases) if self.s.judge_prompt else "",
            scored,
        )
        understood = understand(transcript.text, ended.grammar, self.phrases)
        plain_scores = dict(transcript.plain_scores)
        enrolled = None
        if self.profile is not None and ended.grammar.name == COMMANDS and understood.meaning is None:
            enrolled = self.profile.match(ended.audio).command
        record = Utterance(
            expecting=ended.grammar.name,
            fast=ended.fast,
            halted=ended.halted,
            **judged_fields(
                understood,
                transcript.text,
                self.phrases,
                transcript.logprob,
                transcript.others,
                None if transcript.plain is None else understand(transcript.plain, ended.grammar, self.phrases),
                ended.grammar,
            ),
            no_speech=transcript.no_speech,
            logprob=transcript.logprob,
            echo=(understood.meaning is not None and self._player_said([understood.words], ended.started))
            or (enrolled is not None and self._player_said(self.phrases.commands[enrolled], ended.started)),
            over_player=self._player_talking(ended.started),
            too_long=ended.too_long,
            enrolled=enrolled,
            talk_before=self._talk_before(t),
            plain_stop=plain_scores.get(self._said_alone.get(STOP, "")),
            plain_pain=plain_scores.get(self._said_alone.get(HURTS, "")),
        )
        verdict = decide(record, self.s.policy)
        _keep(self.verdicts, (record, verdict))
        if record.judge_words and (verdict.kind == "none" or verdict.value == RELEASE):
            self._talk.append(t)  # words that were no command: talk in the room
        if verdict.kind == "none":
            if transcript.text:
                _keep(self.rejections, Rejection(t, transcript.text, verdict.rule))
            return []
        return [Decision(verdict.kind, verdict.value, round(t, 3), transcript.text, None, ended.grammar.name)]

    def _talk_before(self, t: float) -> int:
        """How many utterances of words that were no command ended in the last `talk_window` s
        (a stream that starts again at 0, as a new recording does, starts with none)."""
        if self._talk and self._talk[-1] > t:
            self._talk.clear()
        while self._talk and self._talk[0] < t - self.s.talk_window:
            self._talk.popleft()
        return len(self._talk)

    def _unclear(self, text: str, t: float) -> Decision | None:
        """While a question waits, speech that is no answer is reported, so it is asked again."""
        if self.grammar.name == COMMANDS:
            return None
        return Decision("unclear", "", round(t, 3), text, None, self.grammar.name)

    def _decide(self, text: str, confidence: float | None, t: float, final: bool = False) -> Decision | None:
        """What an utterance decides, heard as `text`; `final`: it has ended (else it may go on)."""
        self._decided = True
        meaning, why = self._meaning(text)
        if meaning is not None:
            verified = self._verified(meaning)
            if verified is None:
                why = f"verifier: {self._doubt()}"
            elif not self._second_opinion_agrees(verified):
                verified, why = None, f"second opinion: {self._second_text}"
            meaning = verified
        if meaning is None and final and self.verifier is not None and self.grammar.name == COMMANDS:
            meaning = alone(self._posteriors(), self.s.verifier)  # sure by itself: "next" heard as "wait"
        if meaning is None:
            if text and why:
                _keep(self.rejections, Rejection(t, text, why))
            return self._unclear(text, t)
        if self.verifier is not None and self.grammar.name == COMMANDS:
            confidence = self._posteriors().get(meaning)
        # the player's echo of the phrase heard, or, where the verifier chose the command, of any of its own
        said = [self.grammar.core(text)]
        if self.grammar.name == COMMANDS and self.grammar.meaning(text) != meaning:
            said += self.phrases.commands.get(meaning, [])  # a doubted "that hurts": the phrase heard
        if self._player_said(said):
            _keep(self.rejections, Rejection(t, text, "player's own speech"))
            return None
        if self.grammar.name == COMMANDS and meaning not in OVER_SPEECH and self._player_talking():
            _keep(self.rejections, Rejection(t, text, "over the player's speech"))
            return None
        kind = "command" if self.grammar.name == COMMANDS else "answer"
        return Decision(kind, meaning, round(t, 3), text, confidence, self.grammar.name)

    def _meaning(self, text: str) -> tuple[str | None, str]:
        """The command or answer the grammar makes of `text`, and if none, why (empty: nothing was heard)."""
        meaning = self.grammar.meaning(text)
        no_command = meaning is None and self.grammar.rejected(text)
        if no_command:
            meaning = self._safety_command_behind()
        if meaning is None:
            return None, ("no command" if no_command else "not a phrase") if text else ""
        return meaning, ""

    def _posteriors(self) -> dict[str, float]:
        """The verifier's posteriors for the utterance so far (heard once per stretch of audio)."""
        assert self.verifier is not None
        if self._verdict[0] != len(self._plain):
            heard = np.concatenate(self._plain) if self._plain else np.zeros(0, np.float32)
            self._verdict = (len(self._plain), self.verifier.posteriors(heard))
        return self._verdict[1]

    def _verified(self, meaning: str) -> str | None:
        """The command the verifier lets act for a heard `meaning` (answers are not its business)."""
        if self.verifier is None or self.grammar.name != COMMANDS:
            return meaning
        return judged(self._posteriors(), meaning, self.s.verifier)

    def _doubt(self) -> str:
        best = max(self._posteriors().items(), key=lambda kv: kv[1])
        return f"{best[0]} {best[1]:.2f}"

    def _safety_command_behind(self) -> str | None:
        """A word that is no command ("two") was heard: the safety command that the second
        recogniser, whose grammar lacks those words, hears in the same audio, if it hears one.
        Held-out voices' "ouch" and "it hurts" were heard as "two" and "one please"; with this,
        "that hurts" halted as often as before the words were added (measured: BENCHMARKS.md)."""
        heard = self._second_meanings()
        return next(iter(heard)) if heard is not None and len(heard) == 1 and heard <= SAFETY else None

    def _second_meanings(self) -> set[str] | None:
        """What the second recogniser hears in the utterance so far: the meanings of its whole
        phrases (None: no whole phrase)."""
        assert self.second is not None
        # heard only now, on the utterance so far: it costs CPU only where a command is at stake
        # (and once per stretch of audio: deciding early asks twice about the same chunks)
        if self._second_heard != len(self._utterance):
            self.second.begin("suppressed" if self._suppressed else "plain")
            self.second.accept(np.concatenate(self._utterance) if self._utterance else np.zeros(0, np.float32))
            self._second_text = self.second.end()[0]
            self._second_heard = len(self._utterance)
        # At the end of a path it could not finish ("skip it", "it" from "it hurts") only the
        # whole phrases before it count.
        words = self._second_text.split()
        for end in range(len(words), 0, -1):
            heard = self.grammar.meanings_of(" ".join(words[:end]))
            if heard is not None:
                return heard
        return None

    def _second_opinion_agrees(self, meaning: str | None) -> bool:
        if self.second is None or self.grammar.name != COMMANDS or meaning in OVER_SPEECH:
            return True  # the safety commands act on the first opinion alone: never miss them
        heard = self._second_meanings()  # it disagrees when it hears other phrases
        return heard is None or heard == {meaning}  # no whole phrase: no opinion

    def _player_talking(self, started: float | None = None) -> bool:
        since = (self._started if started is None else started) - self.s.echo_window
        return any(when >= since for when, _ in self._player_text)

    def _player_said(self, phrases: list[str], started: float | None = None) -> bool:
        """Was the player speaking around this utterance, and saying one of these phrases?"""
        since = (self._started if started is None else started) - self.s.echo_window
        recent = [said for when, said in self._player_text if when >= since]
        if not recent:
            return False
        if not self.front_end.cancels_echo or not self.front_end.learnt_the_room():
            return True  # no echo canceller, or one still learning the room: anything is suspect
        # within words too: Korean "시작" is inside the player's "시작합니다", English "pause" in "Paused."
        heard = [" ".join(_words(phrase)) for phrase in phrases]
        return any(h and h in " ".join(_words(said)) for h in heard for said in recent)


def prompt_for(grammar: Grammar, phrases: Phrases) -> str:
    """What the judge is told may be said: the phrases expected now (but those it then writes for
    other words: `judge_unprompted` in the language file)."""
    return ", ".join(p for p in grammar.phrases if p not in phrases.judge_unprompted) + "."
