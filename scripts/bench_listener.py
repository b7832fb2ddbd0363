#!/usr/bin/env python3
"""Listener benchmark: recall, false triggers, latency, real-time factor and memory of our listener
and of the usual pocketsphinx approaches, in the same run on the same audio.

    .venv/bin/python scripts/bench_listener.py [--quick] [--out results/listener.json]

Prints a table and writes the JSON results the table came from.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voice_rehab.bench.corpus import (HELD_OUT_VOICES, LEVEL, RATES, TUNE_VOICES, Item, add_noise,  # noqa: E402
                                      build_stream, player_cues, utterances, write_manifest)
from voice_rehab.bench.metrics import score  # noqa: E402
from voice_rehab.catalog import shipped_routines_dir  # noqa: E402
from voice_rehab.listen.audio import CHUNK, RATE, active_rms, to_int16  # noqa: E402
from voice_rehab.listen.frontend import PassThrough, WebRtcFrontEnd  # noqa: E402
from voice_rehab.listen.listener import CommandListener  # noqa: E402
from voice_rehab.listen.recognizers import PocketSphinxRecognizer  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402
from voice_rehab.listen.voices import espeak  # noqa: E402
from voice_rehab.phrases import phrases_for  # noqa: E402

EN = phrases_for("en")
PHRASE_TO_COMMAND = {p: c for c, ps in EN.commands.items() for p in ps}
CONDITIONS = {"clean": None, "20 dB": 20.0, "10 dB": 10.0, "5 dB": 5.0}


# ---- the methods: each takes (mic, reference, player spans) and returns [(t, command)] ----

def ours(mic, reference, spans):  # type: ignore[no-untyped-def]
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    return [(d.t, d.value) for d in decide_stream(listener, mic, reference, spans) if d.kind == "command"]


def ours_without_front_end(mic, reference, spans):  # type: ignore[no-untyped-def]
    """Ablation: the same rules with no echo cancellation or noise suppression (and no muting)."""
    front = PassThrough()
    front.cancels_echo = True  # judge recognition alone: do not mute while the player talks
    listener = CommandListener(PocketSphinxRecognizer(), EN, front)
    return [(d.t, d.value) for d in decide_stream(listener, mic, None, spans) if d.kind == "command"]


def _decoder(**kw):  # type: ignore[no-untyped-def]
    from pocketsphinx import Config, Decoder, get_model_path

    model = Path(get_model_path()) / "en-us"
    return Decoder(Config(hmm=str(model / "en-us"), dict=str(model / "cmudict-en-us.dict"), loglevel="FATAL", **kw))


def _endpointed(mic, decoder, decide):  # type: ignore[no-untyped-def]
    """pocketsphinx's own Endpointer (its VAD) cutting utterances for `decoder`."""
    from pocketsphinx import Endpointer

    ep = Endpointer()
    frame = ep.frame_bytes
    data = to_int16(mic).tobytes()
    out = []
    in_speech = False
    for i in range(0, len(data) - frame + 1, frame):
        speech = ep.process(data[i:i + frame])
        t = (i + frame) / 2 / RATE
        if speech is not None:
            if not in_speech:
                decoder.start_utt()
                in_speech = True
            decoder.process_raw(speech)
            if not ep.in_speech:
                decoder.end_utt()
                in_speech = False
                hyp = decoder.hyp()
                command = decide(hyp.hypstr if hyp else "")
                if command:
                    out.append((t, command))
    return out


def ps_grammar(mic, reference, spans):  # type: ignore[no-untyped-def]
    """Endpointer -> closed JSGF grammar of the phrases; whatever it returns is a command."""
    decoder = _decoder(lm=None)
    body = " | ".join(PHRASE_TO_COMMAND)
    decoder.add_jsgf_string("g", f"#JSGF V1.0;\ngrammar g;\npublic <c> = [okay] ( {body} ) [please];\n")
    decoder.activate_search("g")
    return _endpointed(mic, decoder, lambda h: _command_in(h))


def ps_full_lm(mic, reference, spans):  # type: ignore[no-untyped-def]
    """Endpointer -> pocketsphinx's full English language model -> look for a command phrase."""
    decoder = _decoder()
    return _endpointed(mic, decoder, lambda h: _command_in(h))


def ps_keywords(mic, reference, spans):  # type: ignore[no-untyped-def]
    """Continuous keyword spotting, every phrase at threshold 1e-15."""
    with tempfile.NamedTemporaryFile("w", suffix=".kws", delete=False) as f:
        for phrase in PHRASE_TO_COMMAND:
            f.write(f"{phrase} /1e-15/\n")
    decoder = _decoder(lm=None)
    decoder.add_kws("k", f.name)
    decoder.activate_search("k")
    os.unlink(f.name)
    out = []
    decoder.start_utt()
    data = to_int16(mic)
    for i in range(0, len(data), CHUNK):
        decoder.process_raw(data[i:i + CHUNK].tobytes())
        hyp = decoder.hyp()
        if hyp and hyp.hypstr.strip():
            command = _command_in(hyp.hypstr.split("  ")[0].strip())
            if command:
                out.append(((i + CHUNK) / RATE, command))
            decoder.end_utt()
            decoder.start_utt()
    decoder.end_utt()
    return out


def _command_in(text: str) -> str | None:
    words = f" {text.lower().strip()} "
    for phrase, command in sorted(PHRASE_TO_COMMAND.items(), key=lambda p: -len(p[0])):
        if f" {phrase} " in words:
            return command
    return None


METHODS = {"ours": ours, "ours without front end": ours_without_front_end, "ps grammar": ps_grammar,
           "ps keywords": ps_keywords, "ps full LM": ps_full_lm}
SLOW = {"ps full LM"}  # run only on clean and 10 dB (RTF about 0.4)


# ---- running ----

def _run(method: str, mic: np.ndarray, reference, spans, conn) -> None:  # type: ignore[no-untyped-def]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    decisions = METHODS[method](mic, reference, spans)
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send((decisions, cpu, peak, before))


def run_method(method: str, mic: np.ndarray, reference=None, spans=None) -> dict:  # type: ignore[no-untyped-def]
    """In a fresh process, so CPU time and peak memory are the method's own."""
    parent, child = mp.Pipe()
    proc = mp.get_context("fork").Process(target=_run, args=(method, mic, reference, spans, child))
    proc.start()
    decisions, cpu, peak, before = parent.recv()
    proc.join()
    return {"decisions": decisions, "rtf": cpu / (len(mic) / RATE), "peak_mb": peak / 1024,
            "added_mb": (peak - before) / 1024}


def barge_in_stream(items_parts, split: str, cues: list[str], seed: int):  # type: ignore[no-untyped-def]
    """Commands spoken while the player talks: a cue starts 0.6 s before each command."""
    rng = random.Random(seed)
    stream, items = build_stream(f"{split}-barge-in", items_parts, split, gap=3.0, seed=seed)
    reference = np.zeros_like(stream)
    spans = []
    for item in items:
        cue = rng.choice(cues)
        speech = espeak(cue, "en-us", 160)
        speech = speech * (0.15 / max(active_rms(speech), 1e-6))  # what the speaker plays
        start = int(max(0.0, item.start - 0.6) * RATE)
        end = min(len(stream), start + len(speech))
        reference[start:end] += speech[: end - start]
        spans.append((start / RATE, end / RATE, cue))
    echo = np.roll(reference, int(0.05 * RATE)) * 0.3  # 50 ms later, about as loud as the person
    return stream + echo, reference, spans, items


def table(results: list[dict]) -> str:
    lines = ["| method | split | condition | recall | false (cue / chatter / look-alike) | false/h "
             "| latency median / p95 | RTF | peak MB |", "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        f = r["false_by_class"]
        lines.append(
            f"| {r['method']} | {r['split']} | {r['condition']} | {r['recall']:.1%} | "
            f"{f.get('cue', float('nan')):.0%} / {f.get('chatter', float('nan')):.0%} / "
            f"{f.get('look-alike', float('nan')):.0%} | {r['false_per_hour']:.0f} | "
            f"{r['latency_median']:.2f} / {r['latency_p95']:.2f} s | {r['rtf']:.3f} | {r['peak_mb']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one rate and fewer cues (minutes, not hours)")
    parser.add_argument("--out", type=Path, default=Path("results/listener.json"))
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--merge", action="store_true",
                        help="keep the other methods' rows of --out (same corpus, same audio) and replace these")
    args = parser.parse_args()
    rates = (1.0,) if args.quick else RATES
    cues = player_cues(sorted(shipped_routines_dir().glob("*.yaml")), EN)
    cues = cues[:: max(1, len(cues) // (25 if args.quick else 80))]
    methods = args.methods.split(",")
    results = []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for split, voices in (("tune", TUNE_VOICES), ("held-out", HELD_OUT_VOICES)):
        parts = list(utterances(EN, voices, split, cues, rates))
        stream, items = build_stream(split, parts, split)
        write_manifest(args.out.with_name(f"manifest-{split}.jsonl"), items)
        seconds = len(stream) / RATE
        print(f"{split}: {len(items)} utterances, {seconds / 60:.1f} min of audio", flush=True)
        for condition, snr in CONDITIONS.items():
            mic = add_noise(stream, snr)
            for method in methods:
                if method in SLOW and condition not in ("clean", "10 dB"):
                    continue
                run = run_method(method, mic)
                s = score(items, run["decisions"], seconds)
                results.append(_record(method, split, condition, s, run))
                print(table(results[-1:]).splitlines()[-1], flush=True)
        commands = [p for p in parts if p[0] == "command" and p[4] == 1.0]
        mic, reference, spans, bitems = barge_in_stream(commands, split, cues, seed=7)
        for method in methods:
            if method in SLOW:
                continue
            run = run_method(method, mic, reference, spans)
            s = score(bitems, run["decisions"], len(mic) / RATE)
            results.append(_record(method, split, "over the player", s, run))
            print(table(results[-1:]).splitlines()[-1], flush=True)
    if args.merge and args.out.exists():
        earlier = json.loads(args.out.read_text())
        if earlier.get("quick") != args.quick:
            sys.exit(f"{args.out} was run with quick={earlier.get('quick')}; cannot merge")
        kept = [r for r in earlier["results"] if r["method"] not in methods]
        order = {m: i for i, m in enumerate(METHODS)}
        results = sorted(kept + results, key=lambda r: (r["split"] != "tune", list(CONDITIONS).index(r["condition"])
                                                          if r["condition"] in CONDITIONS else 9, order[r["method"]]))
    report = {"machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()},
              "quick": args.quick, "speech_level_rms": LEVEL, "results": results}
    args.out.write_text(json.dumps(report, indent=1))
    print()
    print(table(results))
    print(f"\nwrote {args.out}")


def _record(method: str, split: str, condition: str, s, run) -> dict:  # type: ignore[no-untyped-def]
    return {"method": method, "split": split, "condition": condition, "recall": s.recall,
            "commands": s.commands, "per_command": {k: v for k, v in s.per_command.items()},
            "false_by_class": {k: s.false_rate(k) for k in s.distractors},
            "distractors": dict(s.distractors), "false_per_hour": s.false_per_hour, "stray": s.stray,
            "latency_median": s.latency(50), "latency_p95": s.latency(95), "rtf": run["rtf"],
            "peak_mb": run["peak_mb"], "added_mb": run["added_mb"]}


if __name__ == "__main__":
    main()
