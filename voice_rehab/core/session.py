"""The session engine: every rule of a session lives in this module, and nowhere else.

It is pure (sans-IO): `Session.handle(event)` takes an event carrying the current monotonic time
and returns the effects to carry out; `Session.next_deadline()` says when it next needs a Tick.
It must never import time, threading, audio, TTS or recogniser modules, so a whole routine runs
in a test in milliseconds on a fake clock.

Rules
- Steps come from the plan; cues are said at their offsets. Elapsed time in a step is derived from
  an absolute anchor (`now - anchor`), never accumulated, so timing does not drift.
- pause: stop speech at once, freeze every timer. Pausing again by voice asks "Does something
  hurt?" (a "that hurts" the recogniser hears as "pause" would otherwise never reach the pain
  questions: it is heard the same way when said again); yes, or the pain said again, starts them;
  "stop" ends the session; no, or nothing within QUESTION_WAIT, stays paused. Pausing again by
  key says "already paused".
- resume: "Back in 3", "2", "1", then continue where it froze. Counted reps restart at the start of
  the interrupted rep; spoken instructions (intro, get-ready) are said again from the start.
- next: skip to the next exercise (the current one is logged as skipped unless already done).
- repeat: restart the current set (the current side of a per-side exercise).
- stop: end with a short spoken summary.
- that hurts: stop speech and timers at once and run the stop-and-assess dialogue:
  severity 0-10 -> sharp or dull -> (if severity >= 7 or sharp) red flags: spreads below the
  knee, numbness or weakness? A yes ends the session with advice to see a clinician. Otherwise
  the person chooses: skip this exercise, end the session, or continue gently.
  An unclear answer (or none within ANSWER_TIMEOUT) is asked again once; a second one takes the
  safe choice: end the exercise and wait, paused, at the next one. Every answer is logged.
- halt (from the listener's fast stage): stop speech and timers at once, silently; the listener's
  judge then sends what was said (pause says "Paused.", the others act as themselves) or release:
  carry on at once, no count-in, from where it froze (as resume would). A halt neither confirmed
  nor released within HALT_LIMIT becomes a spoken pause.
- A command that makes no sense in a state is harmless and says so in a few words. What every
  command does in every state is one table, `COMMAND_TABLE`; the rules above say what each act is.
- stop during the pain questions ends the session as ended by pain (not resumable as it was);
  stop by Ctrl-C or `kill` ends it as interrupted (resumable).
- A "that hurts" the listener doubted pauses and asks "Does something hurt?" (as pausing again by
  voice does). A "stop" it doubted pauses; said again while paused, it asks "Shall I end the
  session?": yes (or the stop said again) ends it, the pain said starts the pain questions, no or
  nothing within QUESTION_WAIT stays paused. Either question is forgotten on any change of state.
- Strong pain (severity >= STRONG_PAIN) with no red flag: the choice is offered after advice that
  ending here is the safe choice, and to see a clinician if it does not ease in a few days.
- An exercise counts as done when its last set (and side) of work ends, unless it was skipped.
- Losing the voice listener pauses a running routine (no "that hurts" can be said) and says once
  to use the keys; the hint line then offers keys alone. Hearing again is said once.
- Resuming an earlier session: the opening words are said, then the session continues at the
  given step; the exercises done before count as done, and the log says "session_resume".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from voice_rehab.core.events import (
    Answer,
    Command,
    Effect,
    Event,
    Expect,
    Heard,
    Hearing,
    Hint,
    Listening,
    Log,
    Priority,
    Say,
    Show,
    Source,
    Start,
    StateChanged,
    StopSpeech,
    Tick,
    Typed,
    View,
)
from voice_rehab.core.phrases import Phrases
from voice_rehab.core.plan import Plan, Step, StepKind

RESUME_COUNTDOWN = 3
ANSWER_TIMEOUT = 30.0
# A halt the listener never confirms nor releases (its judge failed) becomes a spoken pause then.
# The judge decides when the utterance ends: in other people's talk that came up to 3.3 s after
# the halt, and a 3 s limit turned those releases into pauses (docs/BENCHMARKS.md).
HALT_LIMIT = 5.0
# seconds a question asked while paused ("Does something hurt?", "Shall I end the session?") waits
# for an answer before listening for commands again
QUESTION_WAIT = 8.0
STRONG_PAIN = 7
_EPS = 1e-9

# Single keys in a terminal (the same in every language), and words typed on a line, outside the
# dialogue: the commands' own names here, and each language's phrases (`Session._typed_words`).
KEYS: dict[str, Command] = {
    " ": Command.TOGGLE,
    "p": Command.PAUSE,
    "c": Command.RESUME,
    "n": Command.NEXT,
    "r": Command.REPEAT,
    "h": Command.HURTS,
    "q": Command.STOP,
}
LISTENER_ONLY = {Command.MAYBE_HURTS, Command.MAYBE_STOP, Command.HALT, Command.RELEASE}  # never typed
TYPED_NAMES: dict[str, Command] = {c.value: c for c in Command if c not in LISTENER_ONLY} | {
    "space": Command.TOGGLE,
    "quit": Command.STOP,
}
STOP_NAMES = {"q", "stop", "quit"}  # typed in the pain dialogue, they still end the session


class State(str, Enum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    RESUMING = "resuming"
    ASSESSING = "assessing"
    FINISHED = "finished"


class Question(str, Enum):
    SEVERITY = "severity"
    PAIN_TYPE = "pain_type"
    RED_FLAGS = "red_flags"
    CHOICE = "choice"


class Act(str, Enum):
    """What a command does (`COMMAND_TABLE`); each is one method of `Session` (`_act_<name>`)."""

    PAUSE = "pause"
    PAUSE_AND_ASK = "pause_and_ask"  # a doubted "that hurts": pause and ask "Does something hurt?"
    ASK_TO_END = "ask_to_end"  # a doubted "stop" while paused: ask "Shall I end the session?"
    RESUME = "resume"
    ALREADY_RUNNING = "already_running"
    NEXT = "next"
    REPEAT = "repeat"
    END = "end"
    ASSESS = "assess"
    NOT_STARTED = "not_started"
    ANSWER_FIRST = "answer_first"


_STATES = (State.READY, State.RUNNING, State.RESUMING, State.PAUSED, State.ASSESSING)
_A = Act
# What each command does in each state, before the session has ended (after it, nothing). Toggle
# (space) is pause or resume; halt and release, and a pause or doubted pain that confirms a halt,
# are the listener's and come first (`_command`).
# fmt: off
COMMAND_TABLE: dict[Command, dict[State, Act]] = {
    command: dict(zip(_STATES, row)) for command, row in {
        #                   READY           RUNNING              RESUMING             PAUSED           ASSESSING
        Command.PAUSE:       (_A.NOT_STARTED, _A.PAUSE,            _A.PAUSE,            _A.PAUSE,         _A.ANSWER_FIRST),
        Command.MAYBE_HURTS: (_A.NOT_STARTED, _A.PAUSE_AND_ASK,    _A.PAUSE_AND_ASK,    _A.PAUSE_AND_ASK, _A.ANSWER_FIRST),
        Command.MAYBE_STOP:  (_A.NOT_STARTED, _A.PAUSE,            _A.PAUSE,            _A.ASK_TO_END,    _A.ANSWER_FIRST),
        Command.RESUME:      (_A.NOT_STARTED, _A.ALREADY_RUNNING,  _A.ALREADY_RUNNING,  _A.RESUME,        _A.ANSWER_FIRST),
        Command.NEXT:        (_A.NOT_STARTED, _A.NEXT,             _A.NEXT,             _A.NEXT,          _A.ANSWER_FIRST),
        Command.REPEAT:      (_A.NOT_STARTED, _A.REPEAT,           _A.REPEAT,           _A.REPEAT,        _A.ANSWER_FIRST),
        Command.STOP:        (_A.END,         _A.END,              _A.END,              _A.END,           _A.END),
        Command.HURTS:       (_A.ASSESS,      _A.ASSESS,           _A.ASSESS,           _A.ASSESS,        _A.ASSESS),
    }.items()
}
# fmt: on


# Which table of accepted answers (in the language file) each question uses.
_ANSWER_TABLE = {
    Question.SEVERITY: Listening.SEVERITY,
    Question.PAIN_TYPE: Listening.PAIN_TYPE,
    Question.RED_FLAGS: Listening.YES_NO,
    Question.CHOICE: Listening.CHOICE,
}


_ASK = {
    Question.SEVERITY: "ask_severity",
    Question.PAIN_TYPE: "ask_kind",
    Question.RED_FLAGS: "ask_red_flags",
    Question.CHOICE: "ask_choice",
}
_C = Command
# What one can say and press in each state (the words are the presenter's: io/hints.py)
_HINTS = {
    State.RUNNING: Hint((_C.PAUSE, _C.NEXT, _C.REPEAT, _C.STOP, _C.HURTS), ("space", "n", "r", "q", "h")),
    State.RESUMING: Hint((_C.PAUSE, _C.STOP, _C.HURTS), ("space", "q", "h")),
    State.PAUSED: Hint((_C.RESUME, _C.NEXT, _C.REPEAT, _C.STOP, _C.HURTS), ("space", "n", "r", "q", "h")),
}
# The yes/no questions asked while paused, and what each says when asked
_CHECK_ASKED = {Listening.HURT_CHECK: "hurt_check_asked", Listening.END_CHECK: "end_check_asked"}
_CHECK_KEYS = {Listening.HURT_CHECK: ("h", "space"), Listening.END_CHECK: ("q", "space")}


@dataclass(frozen=True)
class _Check:
    """A yes/no question asked while paused: "Does something hurt?" or "Shall I end the session?"."""

    table: Listening  # its answers: Listening.HURT_CHECK or Listening.END_CHECK
    asked: float


@dataclass
class _Assessment:
    """The pain report being collected."""

    started: float
    where: dict[str, Any]
    question: Question = Question.SEVERITY
    asked_at: float = 0.0
    retries: int = 0
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResumeFrom:
    """Where a resumed session continues, and what the earlier run(s) already did."""

    step: int  # index of the plan step to continue at, after the opening words
    completed: tuple[int, ...] = ()
    skipped: tuple[int, ...] = ()


class Session:
    """One run through a plan. Feed it events; carry out the effects it returns."""

    def __init__(self, plan: Plan, phrases: Phrases, resume: ResumeFrom | None = None):
        self.plan = plan
        self.resume = resume
        self.p = phrases
        self.state = State.READY
        self.step_index = 0
        self.anchor = 0.0  # absolute time at which the current step's elapsed time was 0
        self.frozen = 0.0  # elapsed time in the step while not running
        self.next_cue = 0
        self.resume_started = 0.0
        self.countdown_said = 0
        self.completed: list[int] = []
        self.skipped: list[int] = []
        self.pain_reports: list[dict[str, Any]] = []
        self.end_reason = ""
        self.assessment: _Assessment | None = None
        self.check: _Check | None = None  # the yes/no question asked while paused, if any
        self.halted: float | None = None  # when the listener halted the session, until it decides
        self.voice = True  # is the voice listener hearing (as far as it told)?
        self.caption = ""
        self.now = 0.0  # the time of the latest event
        self._last_view: View | None = None
        self._expecting = Listening.COMMANDS
        # what a person may type, in the routine's language too ("skip", "다음")
        self._typed_words = TYPED_NAMES | {p: Command(c) for p, c in phrases.command_of.items()}
        self._stop_words = STOP_NAMES | set(phrases.commands.get(Command.STOP.value, []))
        self._out: list[Effect] = []

    # ---- public interface ----

    @property
    def finished(self) -> bool:
        return self.state is State.FINISHED

    @property
    def step(self) -> Step:
        return self.plan.steps[self.step_index]

    def handle(self, event: Event) -> list[Effect]:
        self._out = []
        self.now = max(self.now, getattr(event, "now", self.now))
        if isinstance(event, Start):
            self._start(event.now)
        elif isinstance(event, Tick):
            self._tick(event.now)
        elif isinstance(event, Heard):
            self._command(event.command, event.now, event.heard, event.source)
        elif isinstance(event, Answer):
            self._answer(event.text, event.now, event.source)
        elif isinstance(event, Typed):
            self._typed(event.text, event.now)
        elif isinstance(event, Hearing):
            self._hearing(event.ok, event.reason, event.now)
        self._show(self.now)
        self._listen_for()
        out, self._out = self._out, []
        return out

    def next_deadline(self) -> float | None:
        """The absolute time at which the session next needs a Tick (None: only on input)."""
        if self.state is State.RUNNING:
            step = self.step
            elapsed_next = step.duration
            if self.next_cue < len(step.cues):
                elapsed_next = min(elapsed_next, step.cues[self.next_cue].at)
            if _counts_down(step):  # the big countdown changes at each whole second remaining
                remaining = step.duration - (self.now - self.anchor)
                elapsed_next = min(elapsed_next, step.duration - (math.ceil(remaining - _EPS) - 1))
            return self.anchor + elapsed_next
        if self.state is State.RESUMING:
            return self.resume_started + self.countdown_said
        if self.state is State.ASSESSING and self.assessment:
            return self.assessment.asked_at + ANSWER_TIMEOUT
        if self.halted is not None:
            return self.halted + HALT_LIMIT
        if self.check is not None:
            return self.check.asked + QUESTION_WAIT
        return None

    # ---- helpers that produce effects ----

    def _say(self, text: str, priority: Priority = Priority.NORMAL) -> None:
        if text:
            self.caption = text
            self._out.append(Say(text, priority))

    def _log(self, kind: str, /, **data: Any) -> None:
        self._out.append(Log(kind, data))

    def _set_state(self, state: State) -> None:
        if state is not self.state:
            self.check = None  # asked only while paused
            self.halted = None
            self.state = state
            self._out.append(StateChanged(state.value))

    def _where(self) -> dict[str, Any]:
        return self._where_at(self.step_index)

    def _where_at(self, index: int) -> dict[str, Any]:
        step = self.plan.steps[index]
        return {"exercise": step.exercise, "name": step.name, "set": step.set_no, "side": step.side}

    # ---- time ----

    def _start(self, now: float) -> None:
        if self.state is not State.READY:
            return
        if self.resume:
            self.completed, self.skipped = list(self.resume.completed), list(self.resume.skipped)
            self._log("session_resume", **self._where_at(self.plan.next_work(self.resume.step)))
        else:
            self._log(
                "session_start",
                title=self.plan.title,
                planned=len(self.plan.exercise_names),
                exercises=list(self.plan.exercise_names),
                estimated_seconds=round(self.plan.duration),
            )
        self.anchor = now
        self._set_state(State.RUNNING)
        self._tick(now)

    def _tick(self, now: float) -> None:
        if self.state is State.RUNNING:
            self._advance(now)
        elif self.state is State.RESUMING:
            self._count_in(now)
        elif self.state is State.ASSESSING and self.assessment:
            if now >= self.assessment.asked_at + ANSWER_TIMEOUT - _EPS:
                self._unclear(now, reason="no answer")
        elif self.halted is not None and now >= self.halted + HALT_LIMIT - _EPS:
            self.halted = None  # never decided: a pause, said
            self._paused_aloud(ask=False)
        elif self.check is not None and now >= self.check.asked + QUESTION_WAIT - _EPS:
            self._log(self.check.table.value, answer=None)
            self.check = None  # no answer: listen for commands again, still paused

    def _advance(self, now: float) -> None:
        while self.state is State.RUNNING:
            step = self.step
            elapsed = now - self.anchor
            while self.next_cue < len(step.cues) and step.cues[self.next_cue].at <= elapsed + _EPS:
                cue = step.cues[self.next_cue]
                self._say(cue.text, cue.priority)
                self.next_cue += 1
            if elapsed + _EPS < step.duration:
                return
            self._finish_step(step)
            self.anchor += step.duration
            if self.step_index + 1 >= len(self.plan.steps):
                self._end(now, reason="completed", summary=False)
                return
            if step.kind is StepKind.START and self.resume:
                self._enter(self.resume.step)
            else:
                self._enter(self.step_index + 1)

    def _enter(self, index: int, elapsed: float = 0.0) -> None:
        self.step_index = index
        self.next_cue = 0
        cues = self.step.cues
        while self.next_cue < len(cues) and cues[self.next_cue].at < elapsed - _EPS:
            self.next_cue += 1

    def _finish_step(self, step: Step) -> None:
        if step.kind is StepKind.WORK:
            volume = {"reps": step.reps} if step.work == "reps" else {"seconds": step.duration}
            self._log("set_done", **self._where(), **volume)
        if step.kind is StepKind.WORK and self._is_last_work(self.step_index):
            if step.exercise not in self.completed and step.exercise not in self.skipped:
                self.completed.append(step.exercise)
                self._log("exercise_done", exercise=step.exercise, name=step.name)

    def _is_last_work(self, index: int) -> bool:
        exercise = self.plan.steps[index].exercise
        return not any(s.kind is StepKind.WORK and s.exercise == exercise for s in self.plan.steps[index + 1 :])

    def _freeze(self, now: float) -> None:
        if self.state is State.RUNNING:
            self.frozen = max(0.0, now - self.anchor)

    def _count_in(self, now: float) -> None:
        while self.countdown_said <= RESUME_COUNTDOWN and now + _EPS >= self.resume_started + self.countdown_said:
            remaining = RESUME_COUNTDOWN - self.countdown_said
            if remaining == 0:
                self.anchor = self.resume_started + RESUME_COUNTDOWN - self.frozen
                self._set_state(State.RUNNING)
                self._advance(now)
                return
            if self.countdown_said == 0:
                self._say(f"{self.p.say('ack_resume')} {remaining}", Priority.URGENT)
            else:
                self._say(str(remaining), Priority.URGENT)
            self.countdown_said += 1

    def _continue_from(self) -> None:
        """Go back to where the session froze: the start of the interrupted rep; spoken
        instructions from their start (see the rules above)."""
        step = self.step
        if step.kind is StepKind.WORK and step.work == "reps" and step.rep_seconds:
            self.frozen = math.floor(self.frozen / step.rep_seconds + _EPS) * step.rep_seconds
        elif step.kind in (StepKind.START, StepKind.INTRO, StepKind.READY, StepKind.END):
            self.frozen = 0.0
        self._enter(self.step_index, self.frozen)

    def _carry_on(self, now: float) -> None:
        """A released halt: continue at once, no count-in."""
        self._continue_from()
        self.anchor = now - self.frozen
        self._set_state(State.RUNNING)
        self._advance(now)

    def _resume(self, now: float) -> None:
        """Count in, then continue from where the session froze (see the rules above)."""
        self._continue_from()
        self.resume_started = now
        self.countdown_said = 0
        self._set_state(State.RESUMING)
        self._count_in(now)

    # ---- commands ----

    def _typed(self, text: str, now: float) -> None:
        said = text.strip().lower() if text.strip() else text
        if self.state is State.ASSESSING and said not in self._stop_words:
            self._answer(said, now, Source.KEYBOARD)
            return
        # "yes" typed answers the question asked while paused; a key ("n": next) keeps its meaning
        if self.check is not None and said not in KEYS and self._answer_check(said, now, Source.KEYBOARD):
            return
        command = KEYS.get(said) if len(said) == 1 else self._typed_words.get(said)
        if command is not None:
            self._command(command, now, text, Source.KEYBOARD)

    def _command(self, command: Command, now: float, heard: str, source: Source) -> None:
        state = self.state
        if state is State.FINISHED:
            return
        if command is Command.TOGGLE:
            command = Command.RESUME if state is State.PAUSED else Command.PAUSE
        if command in (Command.HALT, Command.RELEASE):
            self._halt_or_release(command, now, heard)
            return
        halted, self.halted = self.halted is not None, None
        self._log("command", command=command.value, heard=heard, source=source.value, state=state.value)
        if halted and command in (Command.PAUSE, Command.MAYBE_STOP, Command.MAYBE_HURTS):
            # halted already, silently: now it is said, as a pause would have said it
            self._paused_aloud(ask=command is Command.MAYBE_HURTS)
            if command is Command.MAYBE_HURTS:
                self._ask_while_paused(Listening.HURT_CHECK, now, "doubted", "pause_ask_if_hurts")
            return
        act = COMMAND_TABLE[command][state]
        if act is Act.END:
            self._out.append(StopSpeech())
            self._say(self.p.say("ack_stop"), Priority.URGENT)
            # ended in the pain dialogue, it ended because it hurt: not to be resumed as it was
            reason = "pain" if state is State.ASSESSING else "interrupted" if source is Source.INTERRUPT else "stopped"
            self._end(now, reason=reason)
        elif act is Act.ASSESS:
            self._begin_assessment(now)
        elif act in (Act.ANSWER_FIRST, Act.NOT_STARTED, Act.ALREADY_RUNNING):
            self._say(self.p.say(act.value), Priority.URGENT)
        elif act in (Act.PAUSE, Act.PAUSE_AND_ASK):
            self._pause(now, source, ask=act is Act.PAUSE_AND_ASK)
        elif act is Act.ASK_TO_END:
            self._ask_while_paused(Listening.END_CHECK, now, "doubted stop", "ask_to_end")
        elif act is Act.RESUME:
            self._log("resume")
            self._resume(now)
        elif act is Act.NEXT:
            self._out.append(StopSpeech())
            self._say(self.p.say("ack_next"), Priority.URGENT)
            self._skip_exercise(now, paused=False)
        elif act is Act.REPEAT:
            self._repeat(now)

    def _halt_or_release(self, command: Command, now: float, heard: str) -> None:
        """The listener's halt (silent, until its judge decides) and its release."""
        if command is Command.HALT:
            if self.state in (State.RUNNING, State.RESUMING) and self.halted is None:
                self._freeze(now)
                self._out.append(StopSpeech())
                self._log("halt", heard=heard, **self._where())
                self._set_state(State.PAUSED)
                self.halted = now
            return
        if self.halted is None or self.state is not State.PAUSED:
            return
        self.halted = None
        self._log("release", heard=heard)
        self._carry_on(now)

    def _hearing(self, ok: bool, reason: str, now: float) -> None:
        """Voice control went or came back. Gone, a running routine pauses: "that hurts" can no
        longer be said, so it must not lead on through exercises the person cannot stop by voice."""
        if ok == self.voice or self.finished:
            return
        self.voice = ok
        self._log("hearing", ok=ok, reason=reason)
        if ok:
            self._say(self.p.say("hearing_again"), Priority.URGENT)
            return
        if self.state in (State.RUNNING, State.RESUMING):
            self._pause(now, Source.LISTENER)
        self._say(self.p.say("hearing_lost"), Priority.URGENT)

    def _pause(self, now: float, source: Source, ask: bool = False) -> None:
        """Pause; `ask`: and ask whether something hurts (a "that hurts" the listener doubted)."""
        if self.state is State.PAUSED:
            if (source is Source.VOICE or ask) and self.check is None:
                self._ask_while_paused(Listening.HURT_CHECK, now, "doubted" if ask else "paused again", "ask_if_hurts")
            else:
                self._say(self.p.say("already_paused"), Priority.URGENT)
            return
        self._freeze(now)
        self._out.append(StopSpeech())
        self._paused_aloud(ask)
        self._set_state(State.PAUSED)
        if ask:  # once paused: leaving another state forgets a question asked
            self._ask_while_paused(Listening.HURT_CHECK, now, "doubted", "pause_ask_if_hurts")

    def _paused_aloud(self, ask: bool) -> None:
        """Say "Paused." (unless a question saying it follows) and log the pause."""
        if not ask:
            self._say(self.p.say("ack_pause"), Priority.URGENT)
        self._log("pause", **self._where())

    def _ask_while_paused(self, table: Listening, now: float, why: str, question: str) -> None:
        """Ask a yes/no question while paused (`table`: its answers; `question`: its words)."""
        self.check = _Check(table, now)
        self._log(_CHECK_ASKED[table], why=why)
        self._say(self.p.say(question), Priority.URGENT)

    def _skip_exercise(self, now: float, paused: bool, via_rest: bool = False) -> None:
        """Leave the current exercise for the next one (through the rest after it, if asked)."""
        current = self.step.exercise
        if current >= 0 and current not in self.completed and current not in self.skipped:
            self._log_partial_set(now)
            self.skipped.append(current)
            self._log("exercise_skipped", exercise=current, name=self.step.name)
        target = self.plan.first_step_of(current + 1)
        if target is None:
            target = len(self.plan.steps) - 1  # the closing words
        elif via_rest and target > 0 and self.plan.steps[target - 1].kind is StepKind.REST:
            target -= 1
        self._enter(target)
        self.frozen = 0.0
        if paused:
            self._set_state(State.PAUSED)
        else:
            self.anchor = now
            self._set_state(State.RUNNING)
            self._advance(now)

    def _log_partial_set(self, now: float) -> None:
        """A set left part way (skipped, or ended by pain) is recorded with what was done of it:
        the whole reps, or the seconds held."""
        step = self.step
        if step.kind is not StepKind.WORK:
            return
        elapsed = self.frozen if self.state is not State.RUNNING else max(0.0, now - self.anchor)
        if step.work == "reps" and step.rep_seconds:
            done = min(step.reps, int(elapsed / step.rep_seconds + _EPS))
            if done:
                self._log("set_done", **self._where(), reps=done, partial=True)
        elif elapsed >= 1.0:
            self._log("set_done", **self._where(), seconds=round(min(elapsed, step.duration), 1), partial=True)

    def _repeat(self, now: float) -> None:
        index = self.step_index
        steps = self.plan.steps
        exercise = steps[index].exercise
        target = None
        for i in range(index, -1, -1):
            if steps[i].exercise != exercise:
                break
            if steps[i].kind is StepKind.WORK:
                target = i
                break
            if steps[i].kind is StepKind.INTRO:
                target = i
        if exercise < 0 or target is None:
            self._say(self.p.say("nothing_to_repeat"), Priority.URGENT)
            return
        if steps[target].kind is StepKind.WORK and target > 0 and steps[target - 1].kind is StepKind.READY:
            target -= 1
        self._out.append(StopSpeech())
        self._say(self.p.say("ack_repeat"), Priority.URGENT)
        self._log("repeat", **self._where())
        self._enter(target)
        self.frozen = 0.0
        self.anchor = now
        self._set_state(State.RUNNING)
        self._advance(now)

    def _end(self, now: float, reason: str, summary: bool = True) -> None:
        if self.assessment is not None:  # ended mid-dialogue: keep what was answered
            self._close_report(now, outcome="ended")
        done, planned = len(self.completed), len(self.plan.exercise_names)
        if summary or reason == "completed":
            text = self.p.say("summary", done=done, planned=planned)
            if self.pain_reports:
                text += " " + self.p.say("pain_summary", count=len(self.pain_reports))
            if summary:
                self._say(text, Priority.NORMAL)
        self._log(
            "session_end",
            reason=reason,
            completed=done,
            planned=planned,
            skipped=len(self.skipped),
            pain_reports=len(self.pain_reports),
        )
        self.assessment = None
        self.end_reason = reason
        self._set_state(State.FINISHED)

    # ---- stop-and-assess ----

    def _begin_assessment(self, now: float) -> None:
        if self.state is State.ASSESSING and self.assessment:
            self._ask(self.assessment.question, now)
            return
        self._freeze(now)
        self._out.append(StopSpeech())
        self.assessment = _Assessment(started=now, where=self._where())
        self._log("pain_start", **self._where())
        self._set_state(State.ASSESSING)
        self._ask(Question.SEVERITY, now)

    def _ask(self, question: Question, now: float, prefix: str = "") -> None:
        assert self.assessment is not None
        self.assessment.question = question
        self.assessment.asked_at = now
        text = self.p.say(_ASK[question])
        self._say(f"{prefix} {text}".strip(), Priority.URGENT)

    def _answer(self, text: str, now: float, source: Source) -> None:
        if self.check is not None:
            self._answer_check(text, now, source)
            return
        a = self.assessment
        if self.state is not State.ASSESSING or a is None:
            return  # answers outside the dialogue mean nothing
        value = self.p.answer(_ANSWER_TABLE[a.question], text)
        if value is None:
            self._log("pain_answer", question=a.question.value, heard=text, value=None, source=source.value)
            self._unclear(now, reason="unclear")
            return
        self._log("pain_answer", question=a.question.value, heard=text, value=value, source=source.value)
        a.retries = 0
        a.answers[a.question.value] = value
        if a.question is Question.SEVERITY:
            a.answers["severity"] = int(value)
            self._ask(Question.PAIN_TYPE, now)
        elif a.question is Question.PAIN_TYPE:
            if a.answers["severity"] >= STRONG_PAIN or value == "sharp":
                self._ask(Question.RED_FLAGS, now)
            else:
                self._ask(Question.CHOICE, now)
        elif a.question is Question.RED_FLAGS:
            a.answers["red_flags"] = value == "yes"  # stored as a yes/no truth, not the word
            if value == "yes":
                self._say(self.p.say("red_flag_advice"), Priority.URGENT)
                self._close_report(now, outcome="red_flag")
                self._end(now, reason="red_flag")
            elif a.answers["severity"] >= STRONG_PAIN:
                self._ask(Question.CHOICE, now, prefix=self.p.say("strong_pain_advice"))
            else:
                self._ask(Question.CHOICE, now)
        elif a.question is Question.CHOICE:
            self._choose(value, now)

    def _answer_check(self, text: str, now: float, source: Source) -> bool:
        """Act on an answer to the question asked while paused; False if `text` is none (it keeps
        waiting, until QUESTION_WAIT)."""
        assert self.check is not None
        table = self.check.table
        value = self.p.answer(table.value, text)
        if value is None:
            return False
        self._log(table.value, answer=value, heard=text, source=source.value)
        self.check = None
        if value == "hurts" or (value == "yes" and table is Listening.HURT_CHECK):
            self._begin_assessment(now)
        elif value == "stop" or value == "yes":  # "stop" to either question; yes to "Shall I end?"
            self._out.append(StopSpeech())
            self._say(self.p.say("ack_stop"), Priority.URGENT)
            self._end(now, reason="stopped")
        else:
            self._say(self.p.say("still_paused"), Priority.URGENT)
        return True

    def _unclear(self, now: float, reason: str) -> None:
        a = self.assessment
        assert a is not None
        if a.retries == 0:
            a.retries = 1
            self._ask(a.question, now, prefix=self.p.say("not_understood"))
            return
        a.answers[a.question.value] = None
        self._say(self.p.say("safe_choice"), Priority.URGENT)
        self._close_report(now, outcome="safe_choice", reason=reason)
        self._skip_exercise(now, paused=True)

    def _choose(self, choice: str, now: float) -> None:
        if choice == "end":
            self._say(self.p.say("choice_end"), Priority.URGENT)
            self._close_report(now, outcome="end")
            self._end(now, reason="pain")
        elif choice == "skip":
            self._say(self.p.say("choice_skip"), Priority.URGENT)
            self._close_report(now, outcome="skip")
            self._skip_exercise(now, paused=False, via_rest=True)
        else:
            self._say(self.p.say("choice_continue"), Priority.URGENT)
            self._close_report(now, outcome="continue")
            self._resume(now)

    def _close_report(self, now: float, outcome: str, **extra: Any) -> None:
        a = self.assessment
        assert a is not None
        report = {**a.where, **a.answers, "outcome": outcome, **extra}
        self.pain_reports.append(report)
        self._log("pain_report", **report)
        self.assessment = None

    # ---- what the microphone should listen for ----

    def _listen_for(self) -> None:
        wanted = (
            _ANSWER_TABLE[self.assessment.question]
            if self.assessment
            else self.check.table
            if self.check is not None
            else Listening.COMMANDS
        )
        if wanted != self._expecting:
            self._expecting = wanted
            self._out.append(Expect(wanted))

    # ---- display ----

    def _show(self, now: float) -> None:
        view = self._view(now)
        if view != self._last_view:
            self._last_view = view
            self._out.append(Show(view))

    def _view(self, now: float) -> View:
        step = self.step
        big = ""
        elapsed = self.frozen if self.state is not State.RUNNING else max(0.0, now - self.anchor)
        if self.state is State.RESUMING:
            big = str(max(1, RESUME_COUNTDOWN - self.countdown_said + 1))
        elif self.state is State.ASSESSING:
            big = "?"
        elif self.state is State.PAUSED:
            big = ""  # the presenter says "paused"
        elif step.kind is StepKind.WORK and step.work == "reps" and step.rep_seconds:
            rep = min(step.reps, int(elapsed / step.rep_seconds + _EPS) + 1)
            big = f"{rep}/{step.reps}"
        elif _counts_down(step):
            big = _clock(step.duration - elapsed)
        hint = _HINTS.get(self.state, Hint())
        if self.state is State.ASSESSING and self.assessment:
            hint = Hint(question=self.assessment.question.value)
        elif self.check is not None:
            hint = Hint(keys=_CHECK_KEYS[self.check.table], question=self.check.table.value)
        hint = replace(hint, voice=self.voice)
        return View(
            title=self.plan.title,
            state=self.state.value,
            exercise=step.name,
            set_no=step.set_no or 0,
            sets=step.sets,
            side=step.side,
            resting=step.kind is StepKind.REST,
            count=big,
            caption=self.caption,
            coming_up=step.coming_up,
            hint=hint,
        )


def _counts_down(step: Step) -> bool:
    return step.kind is StepKind.REST or (step.kind is StepKind.WORK and step.work in ("hold", "timer"))


def _clock(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - _EPS))
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else str(whole)
