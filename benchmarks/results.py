"""The listener benchmark's rows, and the decisions they were scored from, so that a changed metric
or a relabelled utterance can be scored again from the saved runs (`bench_listener.py --rescore`)
instead of an hour of decoding."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import Item
from benchmarks.metrics import Score, score

Row = dict  # one method in one split and condition
Decisions = list[tuple[float, str]]
# measured while running; scoring again keeps them. "startup_s": CPU seconds to load the model and
# build the listener, apart from "rtf" (rows measured before it was timed apart lack it).
# "reference_cpu_s": how fast the host was (`report.machine`), to compare RTFs across hosts.
COST = ("rtf", "startup_s", "peak_mb", "added_mb", "reference_cpu_s")


def measured(
    build: Callable[[], Callable[..., Decisions]], audio_seconds: float, *audio: object
) -> tuple[Decisions, dict[str, float]]:
    """Build a method (load its model, compile its grammars) and let it listen to `audio`: its
    decisions, and what it cost. Start-up is timed apart: the real-time factor is what listening
    costs per second of audio; a model's load would otherwise weigh on a short stream (vosk's
    Korean model takes 1.2 s of CPU, 0.008 of a 2.4-minute stream's real-time factor)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    listen = build()
    ready = time.process_time()
    decisions = listen(*audio)
    listening = time.process_time() - ready
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return decisions, {
        "rtf": listening / audio_seconds,
        "startup_s": ready - start,
        "peak_mb": peak / 1024,
        "added_mb": (peak - before) / 1024,
    }


def row_key(row: Row) -> tuple[str, str, str]:
    return row["method"], row["split"], row["condition"]


def scored_row(method: str, split: str, condition: str, s: Score, cost: dict[str, float]) -> Row:
    return {
        "method": method,
        "split": split,
        "condition": condition,
        "recall": s.recall,
        "commands": s.commands,
        "per_command": dict(s.per_command),
        "false_by_class": {k: s.false_rate(k) for k in s.distractors},
        "distractors": dict(s.distractors),
        "false_per_hour": s.false_per_hour,
        "stray": s.stray,
        "wrong_command": s.wrong_rate,
        "hurts_halted": [s.hurts_halted, s.per_command["hurts"][1]],
        "latency_median": s.latency(50),
        "latency_p95": s.latency(95),
        "audio_seconds": s.audio_seconds,
        **{k: cost[k] for k in COST if k in cost},
    }


def rescored(row: Row, items: list[Item], decisions: Decisions) -> Row:
    """The row scored again on `items` (its manifest), with the cost it was measured at."""
    s = score(items, decisions, row["audio_seconds"])
    return scored_row(row["method"], row["split"], row["condition"], s, row)


def write_decisions(path: Path, decisions: dict[tuple[str, str, str], Decisions]) -> None:
    """One line per row: its method, split and condition, and every (time, command) it decided."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for (method, split, condition), made in sorted(decisions.items()):
            f.write(
                json.dumps(
                    {
                        "method": method,
                        "split": split,
                        "condition": condition,
                        "decisions": [[round(t, 3), c] for t, c in made],
                    }
                )
                + "\n"
            )
    tmp.replace(path)


def read_decisions(path: Path) -> dict[tuple[str, str, str], Decisions]:
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row_key(r): [(t, c) for t, c in r["decisions"]] for r in rows}
