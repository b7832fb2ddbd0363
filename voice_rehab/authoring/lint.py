"""Warnings about routines that load but would not work well on the mat (part of `validate`).

Each warning is a Problem at the line where the field was written, its message starting with
"warning:". The rules, and why:
- a spoken text (title, name, intro, cue, tempo phase) containing a command phrase: the player
  would say "stop" and the microphone might act on it;
- a hold longer than two minutes, or more than 50 reps in a set: rarely what rehab asks for,
  more often a typo (300 for 30);
- an exercise that talks about sides ("each side", "left") but has no `sides`;
- a tempo too fast to follow: a phase shorter than the word said at it, or a rep under 1.5 s;
- no rest at all in a routine with more than one set;
- a library exercise in a routine that is not English, whose words would be English;
- a form cue of a hold that is too short to say it (cues go in the hold's first half, 2 s apart
  from its start and from "Halfway"), and a timer's `remind_every` that gives no reminder (they
  stop 90 s before the end, where "1 minute left" and "Time is up" take over): never dropped in
  silence.
"""

from __future__ import annotations

import re
from typing import Any

from voice_rehab.core.phrases import Phrases, speech_seconds
from voice_rehab.core.plan import StepKind, build_plan
from voice_rehab.core.routine import Exercise, Routine
from voice_rehab.core.yamlfile import Document, Path_, Problem, field_name

MAX_HOLD = 120.0
MAX_REPS = 50
MIN_REP_SECONDS = 1.5
SIDE_WORDS = re.compile(
    r"\b(each side|per side|both sides|other side|one side|side plank|single[- ]leg|"
    r"left|right)\b",
    re.IGNORECASE,
)


def _spoken(routine: Routine) -> list[tuple[Path_, str]]:
    texts: list[tuple[Path_, str]] = [(("title",), routine.title)]
    for i, ex in enumerate(routine.exercises):
        texts.append((("exercises", i, "name"), ex.name))
        texts.append((("exercises", i, "intro"), ex.intro))
        texts.extend((("exercises", i, "cues", k), cue) for k, cue in enumerate(ex.cues))
        texts.extend((("exercises", i, "tempo", phase), phase) for phase in (ex.tempo or {}))
    return texts


def _tempo_problem(ex: Exercise, phrases: Phrases, wpm: int) -> str | None:
    if not ex.tempo:
        return None
    rep = sum(ex.tempo.values())
    if rep < MIN_REP_SECONDS:
        return f"a rep of {rep:g} s is too fast to follow by voice (at least {MIN_REP_SECONDS:g} s)"
    for index, (phase, seconds) in enumerate(ex.tempo.items()):
        word = phase if ex.count == "phases" else ("10" if index == 0 else "")
        needed = speech_seconds(word, wpm) if word else 0.0
        if needed > seconds:
            return f"'{phase}' lasts {seconds:g} s but takes about {needed:.1f} s to say; slow the tempo"
    return None


def lint(routine: Routine, document: Document, phrases: Phrases) -> list[Problem]:
    warnings: list[Problem] = []

    def warn(path: Path_, message: str, key: bool = False) -> None:
        warnings.append(document.problem(path, f"warning: {field_name(path, 'routine')}: {message}", key=key))

    for path, text in _spoken(routine):
        phrase = phrases.command_in(text)
        if phrase:
            warn(
                path,
                f"says '{phrase}', a spoken command: the microphone could take the player's "
                "own words for it; reword it",
                key=path[-2:-1] == ("tempo",),
            )
    wpm = routine.rate or phrases.words_per_minute
    items: list[Any] = document.data.get("exercises", [])
    for i, ex in enumerate(routine.exercises):
        where: Path_ = ("exercises", i)
        if ex.hold is not None and ex.hold > MAX_HOLD:
            warn(
                where + ("hold",),
                f"a {ex.hold:g} s hold is longer than two minutes; split it into sets (or was it a typo?)",
            )
        if ex.reps is not None and ex.reps > MAX_REPS:
            warn(where + ("reps",), f"{ex.reps} reps in one set is more than {MAX_REPS}; split it into sets")
        if ex.sides is None:
            mention = next((m for t in (ex.name, ex.intro, *ex.cues) if (m := SIDE_WORDS.search(t))), None)
            if mention:
                warn(
                    where,
                    f"'{ex.name}' talks about sides ('{mention.group(0)}') but has no "
                    "sides: [left, right]; only one side would be done",
                )
        problem = _tempo_problem(ex, phrases, wpm)
        if problem:
            warn(where + ("tempo",), problem)
        own = items[i] if i < len(items) and isinstance(items[i], dict) else {}
        if ex.use and routine.language != "en" and not {"name", "intro", "cues"} <= set(own):
            warn(
                where,
                f"the library's '{ex.use}' is written in English; give name, intro and cues "
                f"in this routine's language ({routine.language})",
            )
    plan = build_plan(routine, phrases)
    for i, ex in enumerate(routine.exercises):
        said = {c.text for step in plan.steps if step.exercise == i and step.kind is StepKind.WORK for c in step.cues}
        if ex.hold is not None:
            for k, cue in enumerate(ex.cues):
                if cue not in said:
                    warn(
                        ("exercises", i, "cues", k),
                        f"not said: a {ex.hold:g} s hold has no room for it (cues need 2 s each in the first "
                        "half); lengthen the hold or move it to intro",
                    )
        if ex.timer is not None and ex.remind_every is not None:
            reminders = [c for step in plan.steps if step.exercise == i and step.kind is StepKind.WORK
                         for c in step.cues if 0 < c.at < step.duration - 60]  # fmt: skip
            if not reminders:
                warn(
                    ("exercises", i, "remind_every"),
                    f"no reminder is said: they stop 90 s before the end of the {ex.timer:g} s timer "
                    "(the last minute has its own cues); lengthen the timer or drop remind_every",
                )
    several = len(routine.exercises) > 1 or any(ex.sets > 1 for ex in routine.exercises)
    if several and not any(step.kind is StepKind.REST for step in plan.steps):
        warn(
            ("rest_between_exercises",),
            "there is no rest at all; give the back a pause between sets and exercises",
            key=True,
        )
    return sorted(warnings, key=lambda p: (p.line, p.column))
