"""Markdown tables from the listener benchmark's JSON rows, so the report can be rebuilt from the
results alone (`scripts/bench_listener.py --report`)."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable

Row = dict  # one method in one split and condition, as bench_listener writes it
NAN = float("nan")
OURS = "ours"


def machine() -> dict[str, object]:
    """What a benchmark ran on, stored with its results."""
    return {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()}


def _line(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _header(*names: str) -> list[str]:
    return [_line(names), _line("---" for _ in names)]


def pooled_false_rate(row: Row) -> float:
    """Share of all distractor utterances (every class together) on which anything was decided."""
    counts = row.get("distractors", {})
    total = sum(counts.values())
    if not total:
        return NAN
    return sum(row["false_by_class"][kind] * n for kind, n in counts.items()) / total


def results_table(rows: list[Row]) -> str:
    lines = _header("method", "split", "condition", "recall", "wrong command", "false (cue / chatter / look-alike)",
                    "false/h", "latency median / p95", "RTF", "peak MB")
    for r in rows:
        f = r["false_by_class"]
        lines.append(_line([
            r["method"], r["split"], r["condition"], f"{r['recall']:.1%}", f"{r.get('wrong_command', NAN):.1%}",
            f"{f.get('cue', NAN):.0%} / {f.get('chatter', NAN):.0%} / {f.get('look-alike', NAN):.0%}",
            f"{r['false_per_hour']:.0f}", f"{r['latency_median']:.2f} / {r['latency_p95']:.2f} s",
            f"{r['rtf']:.3f}", f"{r['peak_mb']:.0f}"]))
    return "\n".join(lines).replace("nan%", "–")


def margin_table(rows: list[Row], split: str) -> str:
    """Ours against each baseline in the same condition: recall points gained, and points of
    distractors (all classes pooled) on which it decided nothing where the baseline decided."""
    lines = _header("condition", "baseline", "recall: ours − baseline", "false triggers: baseline − ours",
                    "wrong command: baseline − ours")
    for condition in dict.fromkeys(r["condition"] for r in rows if r["split"] == split):
        here = {r["method"]: r for r in rows if r["split"] == split and r["condition"] == condition}
        ours = here.get(OURS)
        if ours is None:
            continue
        for method, base in here.items():
            if method == OURS or method.startswith(OURS):
                continue
            recall = (ours["recall"] - base["recall"]) * 100
            false = (pooled_false_rate(base) - pooled_false_rate(ours)) * 100
            wrong = (base.get("wrong_command", NAN) - ours.get("wrong_command", NAN)) * 100
            lines.append(_line([condition, method, f"{recall:+.1f}", f"{false:+.1f}", f"{wrong:+.1f}"]))
    return "\n".join(lines).replace("+nan", "–")


def safety_table(rows: list[Row], split: str) -> str:
    """"That hurts" in every condition: heard as itself, and heard as anything that halts."""
    methods = list(dict.fromkeys(r["method"] for r in rows if r["split"] == split))
    lines = _header("condition", *methods)
    for condition in dict.fromkeys(r["condition"] for r in rows if r["split"] == split):
        cells = []
        for method in methods:
            row = next((r for r in rows if (r["split"], r["condition"], r["method"]) == (split, condition, method)),
                       None)
            if row is None:
                cells.append("–")
                continue
            heard, total = row["per_command"]["hurts"]
            halted = f" ({row['hurts_halted'][0]})" if "hurts_halted" in row else ""  # older results lack it
            cells.append(f"{heard}/{total}{halted}")
        lines.append(_line([condition, *cells]))
    return "\n".join(lines)


def per_command_table(rows: list[Row], split: str, method: str = OURS) -> str:
    mine = [r for r in rows if r["split"] == split and r["method"] == method]
    commands = list(mine[0]["per_command"]) if mine else []
    lines = _header("condition", *commands)
    for r in mine:
        lines.append(_line([r["condition"], *(f"{r['per_command'][c][0]}/{r['per_command'][c][1]}" for c in commands)]))
    return "\n".join(lines)


def full_report(rows: list[Row]) -> str:
    parts = []
    for split in dict.fromkeys(r["split"] for r in rows):
        parts += [f"## {split} voices", "", results_table([r for r in rows if r["split"] == split]), "",
                  f"### ours against each baseline ({split})", "", margin_table(rows, split), "",
                  f"### \"that hurts\" ({split}): heard as itself / total (heard as hurts, pause or stop)", "",
                  safety_table(rows, split), "", f"### ours per command ({split})", "",
                  per_command_table(rows, split), ""]
    return "\n".join(parts)
