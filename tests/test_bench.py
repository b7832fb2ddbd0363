"""The benchmark's corpus tools and metrics, on a tiny corpus with known answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_rehab.bench.corpus import (HELD_OUT_VOICES, TUNE_VOICES, Item, add_noise, build_stream, player_cues,
                                      read_manifest, utterances, write_manifest)
from voice_rehab.bench.metrics import score
from voice_rehab.catalog import shipped_routines_dir
from voice_rehab.listen.audio import RATE, active_rms
from voice_rehab.phrases import phrases_for

EN = phrases_for("en")


def item(kind: str, start: float, end: float, command: str | None) -> Item:
    return Item("s", kind, "x", command, "flite:slt", 1.0, "tune", start, end)


def test_tuning_and_held_out_voices_do_not_overlap() -> None:
    assert not set(TUNE_VOICES) & set(HELD_OUT_VOICES)


def test_the_corpus_has_every_command_carriers_and_every_distractor_class() -> None:
    cues = player_cues(sorted(shipped_routines_dir().glob("*.yaml")), EN)
    assert "Halfway." in cues and "Stopping. How bad is the pain, from zero to ten?" in cues
    parts = list(utterances(EN, [("flite", "slt")], "tune", cues[:3]))
    commands = {c for kind, _, c, _, _ in parts if kind == "command"}
    assert commands == set(EN.commands)
    assert any(text == "okay pause" for _, text, _, _, _ in parts)
    assert {kind for kind, *_ in parts} == {"command", "cue", "chatter", "look-alike"}
    assert {rate for *_, rate in parts} == {0.8, 1.0, 1.25}


def test_streams_place_utterances_where_the_manifest_says(tmp_path: Path) -> None:
    parts = [("command", "pause", "pause", ("flite", "slt"), 1.0), ("chatter", "hello there", None, ("flite", "slt"), 1.0)]
    stream, items = build_stream("s", parts, "tune", gap=1.0, lead=2.0)
    first = stream[int(items[0].start * RATE):int(items[0].word_end * RATE)]
    assert active_rms(first) == pytest.approx(0.05, rel=0.2)
    assert active_rms(stream[: int(1.9 * RATE)]) < 0.005  # only the faint floor before it
    assert items[0].start < items[0].word_end < items[1].start
    noisy = add_noise(stream, 10.0)
    assert active_rms(noisy[: int(1.9 * RATE)]) == pytest.approx(0.05 / 10 ** 0.5, rel=0.2)
    write_manifest(tmp_path / "m.jsonl", items)
    assert read_manifest(tmp_path / "m.jsonl") == items


def test_scoring_with_known_answers() -> None:
    items = [item("command", 1.0, 1.5, "pause"), item("command", 4.0, 4.6, "hurts"),
             item("cue", 7.0, 8.0, None), item("look-alike", 10.0, 10.4, None)]
    decisions = [(1.7, "pause"),  # right, 0.2 s after the word
                 (4.9, "next"),  # wrong command for "that hurts": a miss
                 (8.3, "stop"),  # a false trigger on the player's cue
                 (20.0, "pause")]  # near nothing: stray
    s = score(items, decisions, audio_seconds=3600.0)
    assert (s.commands, s.hits, s.recall) == (2, 1, 0.5)
    assert s.latencies == [pytest.approx(0.2)]
    assert s.false_rate("cue") == 1.0 and s.false_rate("look-alike") == 0.0
    assert s.stray == 1 and s.false_per_hour == 2.0
    assert s.per_command["hurts"] == [0, 1]
