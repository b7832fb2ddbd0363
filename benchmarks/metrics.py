"""Scoring decisions against a manifest: recall, false triggers, latency."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from benchmarks.corpus import Item
from voice_rehab.listen.policy import LEAVES_STOPPED

MATCH_BEFORE = 0.1  # a decision may come this early (seconds before the utterance starts)
MATCH_AFTER = 1.2  # and this late after its last word
# Commands that halt the movement at once: "that hurts" decided as any of them still stops the
# person's exercise (then the dialogue, a pause, or the end), so for safety it counts separately.
HALTS = LEAVES_STOPPED  # a doubted "that hurts" pauses and asks


@dataclass
class Score:
    commands: int = 0
    hits: int = 0
    distractors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    false: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    latencies: list[float] = field(default_factory=list)
    per_command: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    audio_seconds: float = 0.0
    stray: int = 0  # decisions near no item at all
    wrong: int = 0  # command items on which a different command was decided ("next" heard as "stop")
    hurts_halted: int = 0  # "that hurts" items on which a halting command was decided

    @property
    def recall(self) -> float:
        return self.hits / self.commands if self.commands else float("nan")

    def false_rate(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(self.distractors)
        total = sum(self.distractors[k] for k in kinds)
        return sum(self.false[k] for k in kinds) / total if total else float("nan")

    @property
    def wrong_rate(self) -> float:
        return self.wrong / self.commands if self.commands else float("nan")

    @property
    def false_per_hour(self) -> float:
        hours = self.audio_seconds / 3600
        return (sum(self.false.values()) + self.stray) / hours if hours else float("nan")

    def latency(self, q: float) -> float:
        return float(np.percentile(self.latencies, q)) if self.latencies else float("nan")


def windows(
    items: list[Item], decisions: list[tuple[float, str]]
) -> Iterator[tuple[Item, list[tuple[int, float, str]]]]:
    """Each item with the decisions (index, time, command) in its window that no earlier item took."""
    used: set[int] = set()
    for item in items:
        window = [
            (i, t, c)
            for i, (t, c) in enumerate(decisions)
            if item.start - MATCH_BEFORE <= t <= item.word_end + MATCH_AFTER and i not in used
        ]
        used.update(i for i, _, _ in window)
        yield item, window


def score(items: list[Item], decisions: list[tuple[float, str]], audio_seconds: float) -> Score:
    """Match (time, command) decisions to items; each item takes the decisions in its window."""
    s = Score(audio_seconds=audio_seconds)
    used = 0
    for item, window in windows(items, decisions):
        used += len(window)
        if item.command is not None:
            s.commands += 1
            s.per_command[item.command][1] += 1
            right = [t for _, t, c in window if c == item.command]
            if right:
                s.hits += 1
                s.per_command[item.command][0] += 1
                s.latencies.append(right[0] - item.word_end)
            if any(c != item.command for _, _, c in window):
                s.wrong += 1
            if item.command == "hurts" and any(c in HALTS for _, _, c in window):
                s.hurts_halted += 1
        else:
            s.distractors[item.kind] += 1
            if window:
                s.false[item.kind] += 1
    s.stray = len(decisions) - used
    return s


@dataclass(frozen=True)
class PipelineLatency:
    """One command heard right through the real pipeline, in seconds."""

    audio: float  # from the end of its last word to the decision, in the audio (as `recognize` reports it)
    wall: float  # from that word end reaching the microphone to the event reaching the inbox
    lag: float  # from the chunk the decision was made on reaching the microphone to the event: the processing


def pipeline_latencies(
    items: list[Item], decided: list[tuple[float, str, float]], captured_at: Callable[[float], float]
) -> list[PipelineLatency]:
    """`decided`: (audio time, command, wall time the event reached the inbox) of each decision;
    `captured_at`: the wall time a given audio time reached the microphone."""
    latencies = []
    for item, window in windows(items, [(t, c) for t, c, _ in decided]):
        right = [i for i, _, c in window if c == item.command]
        if item.command is not None and right:
            t, _, arrived = decided[right[0]]
            latencies.append(
                PipelineLatency(t - item.word_end, arrived - captured_at(item.word_end), arrived - captured_at(t))
            )
    return latencies
