#!/usr/bin/env python3
"""Listener benchmark: recall, false triggers, latency, real-time factor and memory of our listener
and of the usual approaches (pocketsphinx for English, vosk for Korean), in the same run on the same audio.

\b
    .venv/bin/python scripts/bench_listener.py [--language en|ko] [--quick] [--jobs N] [--methods a,b]
                                               [--conditions a,b] [--merge] [--out FILE] [--report]
                                               [--rescore]

Prints a table and writes the JSON results the table came from, every decision each method made
(`*.decisions.jsonl`) and the manifests of the streams they were made on, so that `--rescore`
can score them again without decoding.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import multiprocessing.connection
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import (  # noqa: E402
    LANGUAGES,
    LEVEL,
    RATES,
    add_noise,
    build_stream,
    player_cues,
    read_manifest,
    utterances,
    write_manifest,
)
from benchmarks.endpointed import EndpointedListener, SphinxUtterance, command_in, grammar_utterance, sphinx_decoder  # noqa: E402
from benchmarks.metrics import score  # noqa: E402
from benchmarks.report import (  # noqa: E402
    KEYWORD_THRESHOLD,
    KEYWORDS,
    OURS,
    full_report,
    keyword_method_name,
    keyword_sweep_table,
    keyword_threshold,
    machine,
    matched_keyword_table,
    results_table,
)
from benchmarks.results import measured, read_decisions, rescored, row_key, scored_row, write_decisions  # noqa: E402
from benchmarks.spotting import KeywordSpotter, keyword_decoder  # noqa: E402
from voice_rehab.authoring.catalog import shipped_routines_dir  # noqa: E402
from voice_rehab.core.phrases import Phrases, phrases_for  # noqa: E402
from voice_rehab.listen.audio import RATE, active_rms  # noqa: E402
from voice_rehab.listen.ducking import Ducking  # noqa: E402
from voice_rehab.listen.engines import verifier_for  # noqa: E402
from voice_rehab.listen.frontend import FrontEnd, PassThrough, WebRtcFrontEnd  # noqa: E402
from voice_rehab.listen.listener import CommandListener, ListenerSettings  # noqa: E402
from voice_rehab.listen.models import resolve  # noqa: E402
from voice_rehab.listen.recognizers import PocketSphinxRecognizer, Recognizer, VoskRecognizer  # noqa: E402
from voice_rehab.listen.stream import Echo, decide_stream  # noqa: E402
from voice_rehab.listen.voices import espeak  # noqa: E402

CONDITIONS = {"clean": None, "20 dB": 20.0, "10 dB": 10.0, "5 dB": 5.0}
OVER_THE_PLAYER = "over the player"
ECHO = Echo(
    delay=int(0.05 * RATE), gain=0.3
)  # the player's voice at the microphone: 50 ms later, about as loud as the person
PHRASES: Phrases = phrases_for("en")  # the language being measured (--language); forked runs inherit it


def _vosk_model() -> Path:
    found = resolve(PHRASES.language, None)
    if found is None:
        sys.exit(f"no vosk model for '{PHRASES.language}'")
    return found.path


def _recognizer() -> Recognizer:
    """The recogniser the player itself would choose: pocketsphinx for English, vosk where a model is."""
    return PocketSphinxRecognizer() if PHRASES.language == "en" else VoskRecognizer(_vosk_model())


def _commands(listener: CommandListener, mic, reference, spans, person=None):  # type: ignore[no-untyped-def]
    """With `person` (over the player: their audio alone), the player's echo is mixed in as the
    listener hears, lowered while it hears the person speak over it, as the player does."""
    if person is not None:
        decided = decide_stream(listener, person, reference, spans, ECHO, Ducking())
    else:
        decided = decide_stream(listener, mic, reference, spans)
    return [(d.t, d.value) for d in decided if d.kind == "command"]


# ---- the methods: each builds its recogniser (its start-up, timed apart) and returns what
# listens: (mic, reference, player spans, person) -> [(t, command)] ----

Listen = Callable[..., list[tuple[float, str]]]


def _listening(listener: CommandListener, ducking: bool = True) -> Listen:
    return lambda mic, reference, spans, person=None: _commands(
        listener, mic, reference, spans, person if ducking else None
    )


def _ours(
    front_end: FrontEnd | None = None, settings: ListenerSettings | None = None, verifier: bool = True
) -> CommandListener:
    """The player's own listener (engines.py builds it the same way), less what an ablation takes away."""
    return CommandListener(
        _recognizer(),
        PHRASES,
        front_end or WebRtcFrontEnd(),
        settings,
        verifier_for(PHRASES.language)[0] if verifier else None,
    )


def ours() -> Listen:
    return _listening(_ours())


def ours_without_ducking() -> Listen:
    """Ablation (over the player): the player's voice is not lowered while the person speaks."""
    return _listening(_ours(), ducking=False)


def ours_without_verifier() -> Listen:
    """Ablation: no command verifier (the listener as it was before it had one)."""
    return _listening(_ours(verifier=False))


def ours_without_second_opinion() -> Listen:
    """Ablation: no second hearing with the phrases repeatable."""
    return _listening(_ours(settings=ListenerSettings(second_opinion=False)))


def ours_without_front_end() -> Listen:
    """Ablation: the same rules with no echo cancellation or noise suppression (and no muting)."""
    front = PassThrough()
    front.cancels_echo = True  # judge recognition alone: do not mute while the player talks
    listener = _ours(front)
    return lambda mic, reference, spans, person=None: _commands(listener, mic, None, spans)


class _Vosk:
    """vosk the same way, with a grammar of phrases or (None) its whole vocabulary."""

    def __init__(self, phrases: list[str] | None) -> None:
        import vosk

        vosk.SetLogLevel(-1)
        model = vosk.Model(str(_vosk_model()))
        grammar = [json.dumps(phrases, ensure_ascii=False)] if phrases else []
        self.recognizer = vosk.KaldiRecognizer(model, RATE, *grammar)
        self.said: list[str] = []

    def start(self) -> None:
        self.recognizer.Reset()
        self.said = []

    def feed(self, data: bytes) -> None:
        if self.recognizer.AcceptWaveform(data):
            self.said.append(json.loads(self.recognizer.Result()).get("text", ""))

    def text(self) -> str:
        return " ".join([*self.said, json.loads(self.recognizer.FinalResult()).get("text", "")]).strip()


def _endpointed(mic, utterance, decide):  # type: ignore[no-untyped-def]
    """pocketsphinx's own Endpointer (its VAD) cutting utterances for `utterance` (SphinxUtterance or _Vosk)."""
    return [(d.t, d.value) for d in EndpointedListener(utterance, decide).feed(mic)]


def ps_grammar() -> Listen:
    """Endpointer -> closed JSGF grammar of the phrases; whatever it returns is a command."""
    return _endpointing(grammar_utterance(list(PHRASES.command_of)))


def ps_full_lm() -> Listen:
    """Endpointer -> pocketsphinx's full English language model -> look for a command phrase."""
    return _endpointing(SphinxUtterance(sphinx_decoder()))


def vosk_grammar() -> Listen:
    """Endpointer -> vosk restricted to the phrases; whatever it returns is a command."""
    return _endpointing(_Vosk(list(PHRASES.command_of)))


def vosk_full() -> Listen:
    """Endpointer -> vosk with its whole vocabulary -> look for a command phrase."""
    return _endpointing(_Vosk(None))


def _endpointing(utterance) -> Listen:  # type: ignore[no-untyped-def]
    return lambda mic, reference, spans, person=None: _endpointed(mic, utterance, _command_in)


def ps_keywords(threshold: float = KEYWORD_THRESHOLD) -> Listen:
    """Continuous keyword spotting, every phrase at one threshold."""
    decoder = keyword_decoder(list(PHRASES.command_of), threshold)

    def listen(mic, reference, spans, person=None):  # type: ignore[no-untyped-def]
        spotter = KeywordSpotter(decoder, _command_in)
        decided = [(d.t, d.value) for d in spotter.feed(mic)]
        spotter.close()
        return decided

    return listen


def _command_in(text: str) -> str | None:
    return command_in(PHRASES, text)


METHODS = {
    "ours": ours,
    "ours without ducking": ours_without_ducking,
    "ours without verifier": ours_without_verifier,
    "ours without second opinion": ours_without_second_opinion,
    "ours without front end": ours_without_front_end,
    "ps grammar": ps_grammar,
    "ps keywords": ps_keywords,
    "ps full LM": ps_full_lm,
    "vosk grammar": vosk_grammar,
    "vosk full": vosk_full,
}
BY_LANGUAGE = {
    "en": [
        "ours",
        "ours without ducking",
        "ours without verifier",
        "ours without second opinion",
        "ours without front end",
        "ps grammar",
        "ps keywords",
        "ps full LM",
    ],
    # pocketsphinx has no Korean model; the Korean vosk model is the one a package ships
    "ko": [
        "ours",
        "ours without ducking",
        "ours without verifier",
        "ours without front end",
        "vosk grammar",
        "vosk full",
    ],
}


def keyword_method(threshold: float) -> str:
    """Registers keyword spotting at `threshold` as a method of its own (for --keyword-thresholds)."""
    name = keyword_method_name(threshold)
    METHODS[name] = lambda: ps_keywords(threshold)
    return name


SLOW = {"ps full LM", "vosk full"}  # run only on clean and 10 dB (RTF 0.1 to 0.5)
OVER_PLAYER_ONLY = {"ours without ducking"}  # elsewhere the player is silent: the same as ours


# ---- running ----


def _run(method: str, mic: np.ndarray, reference, spans, person, conn) -> None:  # type: ignore[no-untyped-def]
    conn.send(measured(METHODS[method], len(mic) / RATE, mic, reference, spans, person))


def run_methods(
    methods: list[str],
    mic: np.ndarray,
    reference=None,
    spans=None,  # type: ignore[no-untyped-def]
    person=None,
    jobs: int = 1,
) -> dict[str, dict]:
    """Each method in its own forked process, `jobs` at a time, all on the same audio. CPU time is
    per process, so running side by side does not change a method's real-time factor. `person`:
    the person's audio alone, for the methods that lower the player (`mic` has the echo mixed in)."""
    waiting = list(methods)
    running: dict = {}
    done: dict[str, dict] = {}
    while waiting or running:
        while waiting and len(running) < jobs:
            method = waiting.pop(0)
            parent, child = mp.Pipe()
            proc = mp.get_context("fork").Process(target=_run, args=(method, mic, reference, spans, person, child))
            proc.start()
            running[parent] = (method, proc)
        for ready in mp.connection.wait(list(running)):
            conn = cast(multiprocessing.connection.Connection, ready)  # the pipes' ends waited on
            method, proc = running.pop(conn)
            decisions, cost = conn.recv()
            proc.join()
            done[method] = {"decisions": decisions, **cost}
    return {m: done[m] for m in methods}


def barge_in_stream(items_parts, split: str, cues: list[str], seed: int):  # type: ignore[no-untyped-def]
    """Commands spoken while the player talks: a cue starts 0.6 s before each command. Returns the
    person's audio alone; `ECHO` says how the player's reaches the microphone."""
    rng = random.Random(seed)
    stream, items = build_stream(f"{split}-barge-in", items_parts, split, gap=3.0, seed=seed)
    reference = np.zeros_like(stream)
    spans = []
    for item in items:
        cue = rng.choice(cues)
        speech = espeak(cue, PHRASES.tts_voice, 160)
        speech = speech * (0.15 / max(active_rms(speech), 1e-6))  # what the speaker plays
        start = int(max(0.0, item.start - 0.6) * RATE)
        end = min(len(stream), start + len(speech))
        reference[start:end] += speech[: end - start]
        spans.append((start / RATE, end / RATE, cue))
    return stream, reference, spans, items


@click.command(help=__doc__)
@click.option("--quick", is_flag=True, help="one rate and fewer cues (minutes, not hours)")
@click.option("--language", type=click.Choice(sorted(BY_LANGUAGE)), default="en", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="default: results/listener[-LANGUAGE][-quick].json")
@click.option("--methods", help="default: every method for the language")
@click.option("--conditions", default=",".join([*CONDITIONS, OVER_THE_PLAYER]), show_default=True)
@click.option("--splits", default="tune,held-out", show_default=True, help="the voices to run: tune, held-out or both")
@click.option("--jobs", type=int, default=os.cpu_count() or 1, show_default=True, help="methods run side by side")
@click.option(
    "--merge",
    is_flag=True,
    help="keep the other rows of --out (same corpus, same audio), replace these methods' rows for these conditions",
)
@click.option(
    "--keyword-thresholds",
    help="instead of --methods: keyword spotting at each of these thresholds (comma-separated), "
    "for results/keyword-sweep.json",
)
@click.option(
    "--against",
    type=click.Path(path_type=Path),
    help="with --keyword-thresholds: the results whose 'ours' the thresholds are compared to "
    "(default: results/listener[-LANGUAGE][-quick].json; same corpus)",
)
@click.option("--report", is_flag=True, help="only print the tables of --out's results")
@click.option(
    "--rescore", is_flag=True, help="score --out's saved decisions again on its manifests (no decoding), rewrite it"
)
def main(**options: Any) -> None:
    args = SimpleNamespace(**options)
    suffix = ("" if args.language == "en" else f"-{args.language}") + ("-quick" if args.quick else "")
    args.against = args.against or Path(f"results/listener{suffix}.json")
    args.out = args.out or Path(f"results/{'keyword-sweep' if args.keyword_thresholds else 'listener'}{suffix}.json")
    if args.report:
        rows = json.loads(args.out.read_text())["results"]
        print(full_report(rows))
        if any(keyword_threshold(r["method"]) is not None for r in rows):
            print(keyword_sweep_report(args.out, args.against))
        return
    if args.rescore:
        rescore(args.out)
        return
    rates = (1.0,) if args.quick else RATES
    global PHRASES
    PHRASES = phrases_for(args.language)
    language = LANGUAGES[args.language]
    cues = player_cues(sorted(shipped_routines_dir().glob("*.yaml")), PHRASES)
    cues = cues[:: max(1, len(cues) // (25 if args.quick else 80))]
    chosen = args.methods.split(",") if args.methods else BY_LANGUAGE[args.language]
    if args.keyword_thresholds:
        chosen = [keyword_method(float(t)) for t in args.keyword_thresholds.split(",")]
    methods = sorted(chosen, key=lambda m: m not in SLOW)  # the slowest first: better packing
    conditions = args.conditions.split(",")
    results = []
    decisions = {}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    splits = args.splits.split(",")
    for split, voices in (("tune", language.tune), ("held-out", language.held_out)):
        if split not in splits:
            continue
        parts = list(utterances(PHRASES, voices, split, cues, rates))
        stream, items = build_stream(split, parts, split)
        write_manifest(_manifest(args.out, split), items)
        seconds = len(stream) / RATE
        print(f"{split}: {len(items)} utterances, {seconds / 60:.1f} min of audio", flush=True)
        for condition, snr in CONDITIONS.items():
            if condition not in conditions:
                continue
            mic = add_noise(stream, snr)
            these = [
                m for m in methods if (m not in SLOW or condition in ("clean", "10 dB")) and m not in OVER_PLAYER_ONLY
            ]
            for method, run in run_methods(these, mic, jobs=args.jobs).items():
                s = score(items, run["decisions"], seconds)
                results.append(scored_row(method, split, condition, s, run))
                decisions[row_key(results[-1])] = run["decisions"]
                print(results_table(results[-1:]).splitlines()[-1], flush=True)
        if OVER_THE_PLAYER not in conditions:
            continue
        commands = [p for p in parts if p[0] == "command" and p[4] == 1.0]
        person, reference, spans, bitems = barge_in_stream(commands, split, cues, seed=7)
        write_manifest(_manifest(args.out, split, OVER_THE_PLAYER), bitems)
        mic = ECHO.mixed(person, reference)
        these = [m for m in methods if m not in SLOW]
        for method, run in run_methods(these, mic, reference, spans, person, jobs=args.jobs).items():
            s = score(bitems, run["decisions"], len(mic) / RATE)
            results.append(scored_row(method, split, OVER_THE_PLAYER, s, run))
            decisions[row_key(results[-1])] = run["decisions"]
            print(results_table(results[-1:]).splitlines()[-1], flush=True)
    host = machine()
    for row in results:  # merged rows may come from another host: each row says how fast its host was
        row["reference_cpu_s"] = host["reference_cpu_s"]
    if args.merge and args.out.exists():
        earlier = json.loads(args.out.read_text())
        if (earlier.get("quick"), earlier.get("language", "en")) != (args.quick, args.language):
            sys.exit(
                f"{args.out} was run with quick={earlier.get('quick')}, language={earlier.get('language', 'en')}; "
                "cannot merge"
            )
        kept = [
            r
            for r in earlier["results"]
            if r["method"] not in methods or r["condition"] not in conditions or r["split"] not in splits
        ]
        results += kept
        earlier_decisions = read_decisions(_decisions(args.out))
        decisions.update({row_key(r): earlier_decisions[row_key(r)] for r in kept if row_key(r) in earlier_decisions})
    every_condition = [*CONDITIONS, OVER_THE_PLAYER]
    results.sort(
        key=lambda r: (r["split"] != "tune", every_condition.index(r["condition"]), _method_order(r["method"]))
    )
    report = {
        "machine": host,
        "language": args.language,
        "quick": args.quick,
        "speech_level_rms": LEVEL,
        "results": results,
    }
    args.out.write_text(json.dumps(report, indent=1))
    write_decisions(_decisions(args.out), decisions)
    print()
    print(full_report(results))
    print(f"wrote {args.out}")
    if args.keyword_thresholds:
        print(keyword_sweep_report(args.out, args.against))


def keyword_sweep_report(sweep: Path, against: Path) -> str:
    """Keyword spotting at every swept threshold next to ours and the baseline's threshold, from
    `against`; the two must have been measured on the same streams (their manifests are compared)."""
    rows = json.loads(sweep.read_text())["results"]
    conditions = {r["condition"] for r in rows}
    for split in {r["split"] for r in rows}:
        if _manifest(sweep, split).read_text() != _manifest(against, split).read_text():
            sys.exit(f"{sweep} and {against} were not measured on the same {split} stream")
    rows += [
        r
        for r in json.loads(against.read_text())["results"]
        if r["method"] in (OURS, KEYWORDS) and r["condition"] in conditions
    ]
    parts = []
    for split in ("tune", "held-out"):
        parts += [
            f"### keyword spotting at each threshold, against ours ({split})",
            "",
            keyword_sweep_table(rows, split),
            "",
        ]
    parts += [
        "### keyword spotting tuned to ours's false triggers on the tuning voices (held-out)",
        "",
        matched_keyword_table(rows),
        "",
    ]
    return "\n".join(parts)


def _method_order(method: str) -> tuple[int, float]:
    """Methods in the order they are listed; keyword spotting at swept thresholds by threshold."""
    if method in METHODS:
        return list(METHODS).index(method), 0.0
    return len(METHODS), keyword_threshold(method) or 0.0


def _manifest(out: Path, split: str, condition: str = "") -> Path:
    """The utterances of one split's long stream, or of its stream over the player."""
    over = "-over-the-player" if condition == OVER_THE_PLAYER else ""
    return out.with_name(f"{out.stem}.manifest-{split}{over}.jsonl")


def _decisions(out: Path) -> Path:
    return out.with_name(f"{out.stem}.decisions.jsonl")


def rescore(out: Path) -> None:
    """Score the saved decisions again on the saved manifests; rows without saved decisions stay."""
    report = json.loads(out.read_text())
    decisions = read_decisions(_decisions(out))
    manifests: dict[Path, list] = {}
    missing = 0
    for i, row in enumerate(report["results"]):
        if row_key(row) not in decisions or "audio_seconds" not in row:
            missing += 1
            continue
        path = _manifest(out, row["split"], row["condition"])
        items = manifests.setdefault(path, read_manifest(path))
        report["results"][i] = rescored(row, items, decisions[row_key(row)])
    out.write_text(json.dumps(report, indent=1))
    print(full_report(report["results"]))
    print(
        f"rescored {len(report['results']) - missing} rows of {out}"
        + (f"; {missing} had no saved decisions" if missing else "")
    )


if __name__ == "__main__":
    main()
