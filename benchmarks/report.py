"""Markdown tables from the listener benchmark's JSON rows, so the report can be rebuilt from the
results alone (`scripts/bench_listener.py --report`)."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable

Row = dict  # one method in one split and condition, as bench_listener writes it
NAN = float("nan")
OURS = "ours"


def pct(pair: list[int] | None) -> str:
    """ "95.5 % (21/22)", or "-" where nothing was counted."""
    if not pair or not pair[1]:
        return "-"
    right, n = pair
    return f"{100 * right / n:5.1f} % ({right}/{n})"


def machine() -> dict[str, object]:
    """What a benchmark ran on, stored with its results. Machines of the same kind differ in
    speed (the same Korean row measured an RTF of 0.027 on one host and 0.048 to 0.056 on another,
    with the same decisions), so the record has the CPU time of a fixed workload to compare RTFs by."""
    return {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "cpu": _cpu_model(),
        "reference_cpu_s": round(reference_cpu_seconds(), 3),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "unknown")
    except OSError:
        return platform.processor() or "unknown"


# FFTs of audio frames and a Python loop per frame, like the listener's work; run in a fresh
# interpreter, since a process that has loaded the recognisers ran it twice as fast
_WORKLOAD = """
import time
import numpy as np
start = time.process_time()
block = np.random.default_rng(0).standard_normal((500, 512)).astype(np.float32)
for _ in range(100):
    np.fft.rfft(block, axis=1)
total = 0
for i in range(2_000_000):
    total += i & 7
print(time.process_time() - start)
"""


def reference_cpu_seconds(runs: int = 3) -> float:
    """CPU seconds of a fixed workload on this host (the median of `runs`): an RTF measured where
    this is twice as long would be about twice as high."""
    import statistics
    import subprocess
    import sys

    times = [
        float(subprocess.run([sys.executable, "-c", _WORKLOAD], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(times)


KEYWORDS = "ps keywords"
KEYWORD_THRESHOLD = 1e-15  # the "ps keywords" baseline's threshold


def keyword_method_name(threshold: float) -> str:
    """The method name of keyword spotting at one threshold, as a threshold sweep writes it."""
    return f"{KEYWORDS} {threshold:g}"


def keyword_threshold(method: str) -> float | None:
    """The threshold in a swept keyword-spotting method's name (None for any other method)."""
    prefix = KEYWORDS + " "
    if not method.startswith(prefix):
        return None
    try:
        return float(method[len(prefix) :])
    except ValueError:
        return None


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


def _host(row: Row) -> str:
    """How fast the row's host was: the CPU seconds of the fixed workload (twice as many, about
    twice the RTF; rows measured before hosts were timed show "–")."""
    return f"{row['reference_cpu_s']:.2f} s" if "reference_cpu_s" in row else "–"


def results_table(rows: list[Row]) -> str:
    lines = _header(
        "method",
        "split",
        "condition",
        "recall",
        "wrong command",
        "false (cue / chatter / look-alike)",
        "false/h",
        "latency median / p95",
        "RTF",
        "host",
        "start-up CPU",
        "peak MB",
    )
    for r in rows:
        f = r["false_by_class"]
        lines.append(
            _line(
                [
                    r["method"],
                    r["split"],
                    r["condition"],
                    f"{r['recall']:.1%}",
                    f"{r.get('wrong_command', NAN):.1%}",
                    f"{f.get('cue', NAN):.0%} / {f.get('chatter', NAN):.0%} / {f.get('look-alike', NAN):.0%}",
                    f"{r['false_per_hour']:.0f}",
                    f"{r['latency_median']:.2f} / {r['latency_p95']:.2f} s",
                    f"{r['rtf']:.3f}",
                    _host(r),
                    f"{r['startup_s']:.1f} s" if "startup_s" in r else "–",
                    f"{r['peak_mb']:.0f}",
                ]
            )
        )
    return "\n".join(lines).replace("nan%", "–")


def margin_table(rows: list[Row], split: str) -> str:
    """Ours against each baseline in the same condition: recall points gained, and points of
    distractors (all classes pooled) on which it decided nothing where the baseline decided."""
    lines = _header(
        "condition",
        "baseline",
        "recall: ours − baseline",
        "false triggers: baseline − ours",
        "wrong command: baseline − ours",
    )
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
    """ "That hurts" in every condition: heard as itself, and heard as anything that halts."""
    methods = list(dict.fromkeys(r["method"] for r in rows if r["split"] == split))
    lines = _header("condition", *methods)
    for condition in dict.fromkeys(r["condition"] for r in rows if r["split"] == split):
        cells = []
        for method in methods:
            row = next(
                (r for r in rows if (r["split"], r["condition"], r["method"]) == (split, condition, method)), None
            )
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
        parts += [
            f"## {split} voices",
            "",
            results_table([r for r in rows if r["split"] == split]),
            "",
            f"### ours against each baseline ({split})",
            "",
            margin_table(rows, split),
            "",
            f'### "that hurts" ({split}): heard as itself / total (halting: heard as hurts, pause, stop or maybe hurts)',
            "",
            safety_table(rows, split),
            "",
            f"### ours per command ({split})",
            "",
            per_command_table(rows, split),
            "",
        ]
    return "\n".join(parts)


# ---- keyword spotting at every threshold against ours (results/keyword-sweep.json) ----


def _keyword_rows(rows: list[Row], split: str, condition: str) -> list[tuple[float, Row]]:
    """Keyword spotting's rows in one split and condition with their thresholds, strictest first."""
    found = []
    for r in rows:
        threshold = KEYWORD_THRESHOLD if r["method"] == KEYWORDS else keyword_threshold(r["method"])
        if threshold is not None and (r["split"], r["condition"]) == (split, condition):
            found.append((threshold, r))
    return sorted(found, key=lambda tr: -tr[0])


def _ours(rows: list[Row], split: str, condition: str) -> Row | None:
    return next((r for r in rows if (r["method"], r["split"], r["condition"]) == (OURS, split, condition)), None)


def matched_keyword_threshold(rows: list[Row], condition: str, split: str = "tune") -> float | None:
    """The threshold at which keyword spotting hears most while deciding on no more distractors
    than ours, chosen on `split` (the tuning voices), as one would tune it: None if no threshold
    is that strict."""
    ours = _ours(rows, split, condition)
    if ours is None:
        return None
    limit = pooled_false_rate(ours)
    fair = [(r["recall"], t) for t, r in _keyword_rows(rows, split, condition) if pooled_false_rate(r) <= limit]
    return max(fair, key=lambda rt: (rt[0], -rt[1]))[1] if fair else None


def keyword_sweep_table(rows: list[Row], split: str) -> str:
    """Ours and keyword spotting at each threshold: recall against distractors decided on."""
    lines = _header(
        "condition",
        "method",
        "recall",
        "false (pooled)",
        "false (cue / chatter / look-alike)",
        "wrong command",
        "ahead of ours on both",
    )
    for condition in dict.fromkeys(r["condition"] for r in rows if r["split"] == split):
        ours = _ours(rows, split, condition)
        listed = ([(None, ours)] if ours else []) + list(_keyword_rows(rows, split, condition))
        for threshold, r in listed:
            f = r["false_by_class"]
            ahead = (
                "–"
                if ours is None or r is ours
                else (
                    "yes" if r["recall"] >= ours["recall"] and pooled_false_rate(r) <= pooled_false_rate(ours) else "no"
                )
            )
            name = OURS if threshold is None else f"{KEYWORDS} at {threshold:g}"
            lines.append(
                _line(
                    [
                        condition,
                        name,
                        f"{r['recall']:.1%}",
                        f"{pooled_false_rate(r):.0%}",
                        f"{f.get('cue', NAN):.0%} / {f.get('chatter', NAN):.0%} / {f.get('look-alike', NAN):.0%}",
                        f"{r.get('wrong_command', NAN):.1%}",
                        ahead,
                    ]
                )
            )
    return "\n".join(lines).replace("nan%", "–")


def matched_keyword_table(rows: list[Row], split: str = "held-out") -> str:
    """Per condition: keyword spotting at the threshold tuned to ours's false triggers on the tuning
    voices, against ours, on `split`."""
    lines = _header("condition", "threshold (tuned)", "recall: ours / keywords", "false (pooled): ours / keywords")
    for condition in dict.fromkeys(r["condition"] for r in rows if r["split"] == split):
        ours = _ours(rows, split, condition)
        threshold = matched_keyword_threshold(rows, condition)
        if ours is None:
            continue
        if threshold is None:
            lines.append(
                _line(
                    [condition, "none strict enough", f"{ours['recall']:.1%} / –", f"{pooled_false_rate(ours):.0%} / –"]
                )
            )
            continue
        kw = dict(_keyword_rows(rows, split, condition)).get(threshold)
        if kw is None:
            continue
        lines.append(
            _line(
                [
                    condition,
                    f"{threshold:g}",
                    f"{ours['recall']:.1%} / {kw['recall']:.1%}",
                    f"{pooled_false_rate(ours):.0%} / {pooled_false_rate(kw):.0%}",
                ]
            )
        )
    return "\n".join(lines)
