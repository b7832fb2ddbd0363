#!/usr/bin/env python3
"""One run, real voices: which model should decide what an utterance was?

\b
    .venv/bin/python scripts/compare_command_models.py features   # training examples (~10 min)
    .venv/bin/python scripts/compare_command_models.py train      # the two learnt models
    .venv/bin/python scripts/compare_command_models.py evaluate [--limit N] [--conditions quiet,reverb]

Compared on the held-out speakers of Speech Commands, every clip heard while the player listens for
commands ("stop" must stop; every other word, "yes", "no" and digits included, must not act):
- the listener as shipped (fast stage + Whisper tiny.en judge + policy),
- the judge alone (Whisper's words of each utterance, understood, no policy),
- the verifier's head as shipped (trained on synthetic voices) and retrained on real + varied data,
  each deciding alone on the utterances the listener cut,
- the fast stage with the retrained head (what halts at once),
- an openWakeWord-style keyword model run over the whole stream.
Rows go to results/command-models.jsonl as pieces finish (a rerun continues); the table is printed
and written to results/command-models.json. Training data: benchmarks/command_models.py.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.command_models import ROOMS, SPEEDS, TRAINING_SEEDS, KeywordModel, at_speed, example, spotted  # noqa: E402
from benchmarks.real_people import CONDITIONS, Clip, babble_voices, in_condition, load, read_clips  # noqa: E402
from benchmarks.report import machine, pct  # noqa: E402
from benchmarks.verifier_training import at_level as synthetic_at_level  # noqa: E402
from benchmarks.verifier_training import fit_head, training_utterances  # noqa: E402
from voice_rehab.core.phrases import phrases_for  # noqa: E402
from voice_rehab.listen.embedding import SpeechEmbedding  # noqa: E402
from voice_rehab.listen.engines import judge_for  # noqa: E402
from voice_rehab.listen.frontend import make_front_end  # noqa: E402
from voice_rehab.listen.grammar import COMMANDS, grammar_for  # noqa: E402
from voice_rehab.listen.judge import Transcript  # noqa: E402
from voice_rehab.listen.listener import CommandListener, ListenerSettings  # noqa: E402
from voice_rehab.listen.policy import HALT, LEAVES_STOPPED  # noqa: E402
from voice_rehab.listen.recognizers import PocketSphinxRecognizer  # noqa: E402
from voice_rehab.listen.stream import decide_stream  # noqa: E402
from voice_rehab.listen.understand import understand  # noqa: E402
from voice_rehab.listen.verifier import OTHER, CommandVerifier, Head, head_path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "results" / "tmp"
FEATURES = CACHE / "command-models-features.npz"
RETRAINED_HEAD = CACHE / "verifier-en-real.npz"
KEYWORD = CACHE / "keyword-en.npz"
RAW = ROOT / "results" / "command-models.jsonl"
SUMMARY = ROOT / "results" / "command-models.json"
EN = phrases_for("en")
SYNTHETIC_EVERY = 3  # every third synthetic training utterance: real voices are the point
NOT_ACTED = {"halt", "release"}
HALTING = LEAVES_STOPPED | {HALT}  # each stops speech and timers

_embedding: SpeechEmbedding | None = None
_talkers: list[np.ndarray] = []


def _setup() -> SpeechEmbedding:
    global _embedding, _talkers
    if _embedding is None:
        _embedding = SpeechEmbedding()
        _talkers = [load(c) for c in babble_voices(read_clips())]
    return _embedding


def _real_examples(job: tuple[int, str, str]) -> list:
    """A tuning speaker's clip heard once in every room, each at a speed drawn at random."""
    index, file, word = job
    embedding = _setup()
    rng = np.random.default_rng(TRAINING_SEEDS + index)
    clean = load(Clip(file, word, ""))
    label = "stop" if word == "stop" else OTHER
    return [
        example(embedding, at_speed(clean, float(rng.choice(SPEEDS))), label, room, rng, _talkers) for room in ROOMS
    ]


def _synthetic_examples(job: tuple[int, object]) -> list:
    index, utterance = job
    embedding = _setup()
    rng = np.random.default_rng(2 * TRAINING_SEEDS + index)
    speech = synthetic_at_level(utterance.voice, utterance.text, utterance.rate)  # type: ignore[attr-defined]
    room = ROOMS[index % len(ROOMS)]
    return [example(embedding, speech, utterance.label, room, rng, _talkers)]  # type: ignore[attr-defined]


def _gathered(results: Iterable[list], what: str) -> list:
    heard: list = []
    for index, examples in enumerate(results, 1):
        heard += examples
        if index % 500 == 0:
            print(f"  {what}: {index}", flush=True)
    return heard


@click.group()
def cli() -> None:
    """Compare the learnt command models with the judge on real voices."""


@cli.command()
@click.option("--jobs", default=2, show_default=True)
def features(jobs: int) -> None:
    """Hear every training example in its rooms and keep what each model learns from."""
    real = [(i, c.file, c.word) for i, c in enumerate(read_clips()) if c.split == "tune"]
    synthetic = list(training_utterances(EN))[::SYNTHETIC_EVERY]
    print(f"{len(real)} real clips x {len(ROOMS)} rooms, {len(synthetic)} synthetic utterances", flush=True)
    with mp.get_context("fork").Pool(jobs) as pool:
        heard = _gathered(pool.imap(_real_examples, real, chunksize=8), "real")
        n_real = len(heard)
        heard += _gathered(pool.imap(_synthetic_examples, list(enumerate(synthetic)), chunksize=16), "synthetic")
    CACHE.mkdir(parents=True, exist_ok=True)
    shifted = [h.shifted for h in heard if h.shifted is not None]
    np.savez_compressed(
        FEATURES,
        labels=np.array([h.label for h in heard]),
        real=np.array([i < n_real for i in range(len(heard))]),
        summaries=np.stack([h.summary for h in heard]),
        windows=np.stack([h.window for h in heard]),
        shifted=np.stack(shifted),
    )
    print(f"wrote {FEATURES}: {len(heard)} examples, {len(shifted)} shifted windows")


@cli.command()
def train() -> None:
    """Fit the retrained verifier head and the keyword model on the saved examples."""
    data = np.load(FEATURES)
    labels = [str(x) for x in data["labels"]]
    info = {"language": "en", "trained on": "Speech Commands tuning speakers + synthetic voices, varied rooms"}
    head = fit_head(data["summaries"], labels, info)
    head.save(RETRAINED_HEAD)
    windows = np.concatenate([data["windows"], data["shifted"]])
    keyword = KeywordModel.fit(windows, labels + [OTHER] * len(data["shifted"]))
    # Any: numpy's stubs read a **dict of arrays as possibly `allow_pickle`
    layers: dict[str, Any] = {f"w{i}": w for i, (w, _) in enumerate(keyword.layers)}
    layers |= {f"b{i}": b for i, (_, b) in enumerate(keyword.layers)}
    np.savez_compressed(KEYWORD, classes=np.array(keyword.classes), **layers)
    print(f"wrote {RETRAINED_HEAD} ({head.classes}) and {KEYWORD} ({keyword.classes})")


def load_keyword() -> KeywordModel:
    data = np.load(KEYWORD)
    n = sum(1 for k in data.files if k.startswith("w"))
    return KeywordModel(tuple(str(c) for c in data["classes"]), [(data[f"w{i}"], data[f"b{i}"]) for i in range(n)])


class RecordingJudge:
    """The judge, keeping each utterance it hears and its words."""

    def __init__(self) -> None:
        judge, why = judge_for("en")
        if judge is None:
            sys.exit(f"no judge: {why}")
        self.judge = judge
        self.name = judge.name
        self.heard: list[tuple[np.ndarray, Transcript]] = []

    def hear(self, samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        transcript = self.judge.hear(samples, prompt, scored)
        self.heard.append((samples, transcript))
        return transcript


def _alone(head: CommandVerifier, audio: np.ndarray) -> str | None:
    posteriors = head.posteriors(audio)
    best = max(posteriors, key=lambda k: posteriors[k])
    return best if best != OTHER and posteriors[best] >= 0.5 else None


def _evaluate(job: tuple[str, list[tuple[int, str, str, str]]]) -> list[dict]:
    condition, clips = job
    embedding = _setup()
    judge = RecordingJudge()
    shipped = CommandVerifier(Head.load(head_path("en")), embedding)
    retrained = CommandVerifier(Head.load(RETRAINED_HEAD), embedding)
    keyword = load_keyword()
    ours = CommandListener(PocketSphinxRecognizer(), EN, make_front_end(True), ListenerSettings(), shipped, judge)
    fast = CommandListener(PocketSphinxRecognizer(), EN, make_front_end(True), ListenerSettings(), retrained, None)
    commands = grammar_for(EN, COMMANDS)
    rows = []
    for seed, file, word, speaker in clips:
        heard = in_condition(load(Clip(file, word, speaker)), condition, seed=seed, talkers=_talkers)
        before = len(judge.heard)
        decided = [d.value for d in decide_stream(ours, heard)]
        utterances = judge.heard[before:]
        fast_decided = [d.value for d in decide_stream(fast, heard)]
        rows.append(
            {
                "condition": condition, "file": file, "word": word, "speaker": speaker,
                "ours": next((d for d in reversed(decided) if d not in NOT_ACTED), None),
                "ours_halted": any(d in HALTING for d in decided),
                "judge_alone": [understand(t.text, commands, EN).meaning for _, t in utterances],
                "judge_words": [t.text for _, t in utterances],
                "shipped_head_alone": [_alone(shipped, a) for a, _ in utterances],
                "retrained_head_alone": [_alone(retrained, a) for a, _ in utterances],
                "fast_retrained": fast_decided,
                "keyword_peaks": {k: round(v, 4) for k, v in keyword.peaks(embedding, heard).items()},
            }
        )  # fmt: skip
    return rows


def _seed(file: str, condition: str) -> int:
    return int(hashlib.sha256(f"{file}|{condition}".encode()).hexdigest()[:6], 16)


# How each method's row says what it decided on a clip: the command it acted on, else None
DECIDED = {
    "listener as shipped": lambda r: r["ours"],
    "judge alone": lambda r: next((m for m in r["judge_alone"] if m), None),
    "verifier head as shipped, alone": lambda r: next((m for m in r["shipped_head_alone"] if m), None),
    "verifier head retrained, alone": lambda r: next((m for m in r["retrained_head_alone"] if m), None),
    "fast stage, retrained head": lambda r: next((d for d in r["fast_retrained"] if d not in NOT_ACTED), None),
    "keyword model (openWakeWord way)": lambda r: spotted(r["keyword_peaks"]),
}
HALTED = {  # what stopped speech and timers at once (a halt, or a safety command decided)
    "listener as shipped": lambda r: r["ours_halted"],
    "fast stage, retrained head": lambda r: any(d in HALTING for d in r["fast_retrained"]),
}


def summarise(rows: list[dict]) -> list[dict]:
    table = []
    by_condition: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_condition[r["condition"]].append(r)
    for condition in [c for c in CONDITIONS if c in by_condition]:
        rs = by_condition[condition]
        stops = [r for r in rs if r["word"] == "stop"]
        others = [r for r in rs if r["word"] != "stop"]
        for method, decided in DECIDED.items():
            line = {
                "condition": condition,
                "method": method,
                "stop": [sum(decided(r) == "stop" for r in stops), len(stops)],
                "words_acting": [sum(decided(r) is not None for r in others), len(others)],
            }
            if method in HALTED:
                line["stop_halted"] = [sum(HALTED[method](r) for r in stops), len(stops)]
                line["words_halting"] = [sum(HALTED[method](r) for r in others), len(others)]
            table.append(line)
    return table


@cli.command()
@click.option("--jobs", default=2, show_default=True)
@click.option("--limit", default=0, help="at most N clips per word (a quick look)")
@click.option("--conditions", default=",".join(CONDITIONS), show_default=True)
@click.option("--report-only", is_flag=True)
def evaluate(jobs: int, limit: int, conditions: str, report_only: bool) -> None:
    """Every model on the held-out speakers' clips, in every condition."""
    if not report_only:
        done = set()
        if RAW.is_file():
            done = {(r["condition"], r["file"]) for r in map(json.loads, RAW.read_text().splitlines()) if r}
        per_word: dict[str, int] = defaultdict(int)
        clips = []
        for c in read_clips():
            if c.split != "held-out":
                continue
            per_word[c.word] += 1
            if not limit or per_word[c.word] <= limit:
                clips.append(c)
        work = []
        for condition in conditions.split(","):
            todo = [
                (_seed(c.file, condition), c.file, c.word, c.speaker) for c in clips if (condition, c.file) not in done
            ]
            work += [(condition, todo[k : k + 25]) for k in range(0, len(todo), 25)]
        with mp.get_context("spawn").Pool(jobs) as pool:
            for rows in pool.imap_unordered(_evaluate, work):
                with RAW.open("a", encoding="utf-8") as out:
                    out.writelines(json.dumps(r) + "\n" for r in rows)
                print(f"# {rows[0]['condition']}: {len(rows)} clips", file=sys.stderr, flush=True)
    rows = [json.loads(line) for line in RAW.read_text().splitlines() if line.strip()]
    table = summarise(rows)
    print("| condition | model | 'stop' decided | other words acting | 'stop' halted at once | other words halting |")
    print("|---|---|---|---|---|---|")
    for line in table:
        print(
            f"| {line['condition']} | {line['method']} | {pct(line['stop'])} | {pct(line['words_acting'])} |"
            f" {pct(line.get('stop_halted'))} | {pct(line.get('words_halting'))} |"
        )
    SUMMARY.write_text(json.dumps({"machine": machine(), "rows": table}, indent=1) + "\n")


if __name__ == "__main__":
    cli()
