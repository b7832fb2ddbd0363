"""The command verifier: Google's speech embedding (real ONNX models) and the shipped head, on
speech synthesised by espeak-ng and flite in tuning voices, and its rules in the listener."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.corpus import LANGUAGES, LEVEL, player_cues
from benchmarks.verifier_check import HeadTally, alone_row, floors_row, table_row
from benchmarks.verifier_training import (
    LEAD,
    LONGEST,
    TAIL,
    as_the_listener_hears,
    fit_head,
    texts,
    texts_digest,
    training_utterances,
    training_voices,
)
from tests.listening import heard, utterance
from voice_rehab.authoring.catalog import shipped_routines_dir
from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen import verifier as verifier_module
from voice_rehab.listen.audio import RATE, active_rms, noise_floor
from voice_rehab.listen.embedding import DIMENSIONS, MIN_SAMPLES, SpeechEmbedding
from voice_rehab.listen.engines import choose, verifier_for
from voice_rehab.listen.frontend import PassThrough, WebRtcFrontEnd
from voice_rehab.listen.listener import CommandListener
from voice_rehab.listen.models import resolve
from voice_rehab.listen.recognizers import PocketSphinxRecognizer, VoskRecognizer
from voice_rehab.listen.stream import decide_stream
from voice_rehab.listen.verifier import (
    DOUBTED_HURTS,
    OTHER,
    PAD_SECONDS,
    ROOM_SECONDS,
    CommandVerifier,
    Head,
    Thresholds,
    alone,
    head_path,
    judged,
    padded,
    summary,
)
from voice_rehab.listen.voices import espeak, flite

# real speech through real recognisers: the audio tier (CI runs it; `pytest -m audio`)
pytestmark = pytest.mark.audio

EN = phrases_for("en")
KO = phrases_for("ko")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def verifier() -> CommandVerifier:
    found, why = verifier_for("en")
    assert found is not None, why
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _at_level(speech: np.ndarray) -> np.ndarray:
    return speech * (LEVEL / max(active_rms(speech), 1e-6))


def _listener(verifier: CommandVerifier | None) -> CommandListener:
    return CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd(), None, verifier)


# ---- the embedding and the summary ----


def test_the_embedding_gives_96_numbers_every_80_ms_and_the_same_for_the_same_audio() -> None:
    embedding = SpeechEmbedding()
    audio = noise_floor(RATE * 2, seed=3) + 0.05 * np.sin(np.arange(RATE * 2) * 0.05).astype(np.float32)
    frames = embedding.frames(audio)
    mel_frames = len(audio) // 160 - 3
    assert frames.shape == ((mel_frames - 76) // 8 + 1, DIMENSIONS)
    assert np.array_equal(frames, embedding.frames(audio))
    assert not np.allclose(frames, embedding.frames(noise_floor(RATE * 2, seed=4)))


def test_an_utterance_is_followed_by_the_room_it_was_heard_in() -> None:
    room = noise_floor(int(ROOM_SECONDS * RATE), seed=1) * 100
    speech = np.full(RATE // 2, 0.3, np.float32)
    out = padded(np.concatenate([room, speech]))
    assert len(out) == len(room) + len(speech) + int(PAD_SECONDS * RATE)
    tail = out[len(room) + len(speech) :]
    assert np.array_equal(tail[: len(room)], room) and np.array_equal(tail[len(room) : 2 * len(room)], room)
    assert len(padded(np.zeros(100, np.float32))) >= MIN_SAMPLES  # always long enough for one embedding


def test_the_summary_is_one_length_for_any_utterance() -> None:
    for n in (1, 4, 17):
        frames = np.arange(n * DIMENSIONS, dtype=np.float32).reshape(n, DIMENSIONS)
        out = summary(frames)
        assert out.shape == (8 * DIMENSIONS,)
        assert np.array_equal(out[:DIMENSIONS], frames[0])
        assert np.array_equal(out[5 * DIMENSIONS : 6 * DIMENSIONS], frames[-1])
        assert np.array_equal(out[-DIMENSIONS:], frames.max(axis=0))


# ---- the head ----


def test_a_head_is_saved_and_loaded_with_what_it_was_trained_on(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    centres = {"pause": 3.0, OTHER: -3.0}
    features = np.concatenate([rng.normal(c, 1.0, (40, 5)) for c in centres.values()]).astype(np.float32)
    labels = [label for label in centres for _ in range(40)]
    head = fit_head(features, labels, {"voices": ["espeak:en-us"]})
    head.save(tmp_path / "h.npz")
    loaded = Head.load(tmp_path / "h.npz")
    assert loaded.classes == ("other", "pause") and loaded.info["voices"] == ["espeak:en-us"] and "C" in loaded.info
    near_pause = loaded.posteriors(np.full(5, 2.5, np.float32))
    assert near_pause["pause"] > 0.75 and abs(sum(near_pause.values()) - 1.0) < 1e-6
    assert loaded.posteriors(np.full(5, -2.5, np.float32))[OTHER] > 0.75


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_shipped_head_fits_the_installed_embedding_and_names_its_training_voices(language: str) -> None:
    head = Head.load(head_path(language))
    info = head.info
    assert info["language"] == language and set(head.classes) == {*phrases_for(language).commands, OTHER}
    assert head.weights.shape == (len(head.classes), 8 * DIMENSIONS)
    assert sorted(info["voices"]) == sorted(f"{e}:{n}" for e, n in training_voices(language))
    # trained on what the texts file says now (a changed file needs `scripts/train_verifier.py` again)
    assert info["texts"] == texts_digest(list(training_utterances(phrases_for(language))))
    digest = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'scripts'); "
            "from train_verifier import _embedding_digest; print(_embedding_digest())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert info["embedding"] == digest


@pytest.mark.parametrize("command", sorted(EN.commands))
def test_the_verifier_hears_each_command_in_tuning_voices(verifier: CommandVerifier, command: str) -> None:
    for phrase in EN.commands[command]:
        for speech in (espeak(phrase, "en-us"), flite(phrase, "slt")):
            posteriors = verifier.posteriors(as_the_listener_hears(_at_level(speech), np.random.default_rng(1)))
            assert max(posteriors, key=posteriors.get) == command, (phrase, posteriors)


def test_the_verifier_hears_talk_as_no_command(verifier: CommandVerifier) -> None:
    for sentence in ("The weather is lovely today", "Let me get a towel"):
        posteriors = verifier.posteriors(
            as_the_listener_hears(_at_level(espeak(sentence, "en-us")), np.random.default_rng(2))
        )
        assert max(posteriors, key=posteriors.get) == OTHER, (sentence, posteriors)


# ---- its rules (pure) ----


def test_a_command_other_than_a_halt_acts_only_if_the_verifier_is_convinced() -> None:
    assert judged({"next": 0.31, OTHER: 0.69}, "next") == "next"
    assert judged({"next": 0.2, OTHER: 0.8}, "next") is None
    assert judged({"repeat": 0.9, "next": 0.1}, "next") is None  # no relabelling outside the halts


def test_a_halt_acts_unless_the_verifier_is_all_but_sure_no_halt_was_said() -> None:
    assert judged({"pause": 0.06, OTHER: 0.94}, "pause") == "pause"
    assert judged({"pause": 0.01, "hurts": 0.6, OTHER: 0.39}, "pause") == "hurts"  # "that hurts" heard as "pause"
    assert judged({"stop": 0.01, "pause": 0.01, "hurts": 0.01, OTHER: 0.97}, "stop") is None
    assert judged({"pause": 0.03, "stop": 0.03, OTHER: 0.94}, "pause") == "pause"  # halts together: 0.06


def test_a_that_hurts_the_verifier_is_all_but_sure_of_is_doubted_not_dropped() -> None:
    assert judged({"hurts": 0.01, "pause": 0.01, "stop": 0.01, OTHER: 0.97}, "hurts") == DOUBTED_HURTS
    assert judged({"hurts": 0.01, "next": 0.98, OTHER: 0.01}, "hurts") == DOUBTED_HURTS  # sure of "next": still asked
    assert judged({"hurts": 0.06, OTHER: 0.94}, "hurts") == "hurts"
    assert judged({"hurts": 0.002, "pause": 0.002, OTHER: 0.996}, "hurts") is None  # surer still: dropped
    assert judged({"hurts": 0.002, OTHER: 0.998}, "hurts", Thresholds(doubted_hurts=0.0)) == DOUBTED_HURTS


def test_the_verifier_alone_acts_when_sure_and_sooner_for_pain() -> None:
    assert alone({"next": 0.55, OTHER: 0.45}) == "next"
    assert alone({"next": 0.45, OTHER: 0.3, "repeat": 0.25}) is None
    assert alone({"stop": 0.7, OTHER: 0.3}) is None  # a halt alone must be surer
    assert alone({"stop": 0.85, OTHER: 0.15}) == "stop"
    assert alone({"hurts": 0.55, OTHER: 0.45}) == "hurts"
    assert alone({OTHER: 0.9, "hurts": 0.1}) is None
    assert alone({"next": 0.85, OTHER: 0.15}, Thresholds(alone=0.9)) is None


# ---- in the listener, on real audio ----


@pytest.mark.parametrize(
    "word, voice, without",
    [
        ("pose", "en-us", "pause"),
        ("resin", "en-us", "repeat"),
        ("pass", "en-gb", "pause"),
        ("stopper", "en-us+f3", "stop"),
    ],
)
def test_a_word_that_sounds_like_a_command_is_rejected(
    verifier: CommandVerifier, word: str, voice: str, without: str
) -> None:
    audio = utterance(espeak(word, voice), before=2.0)
    assert heard(_listener(None), audio) == [without]  # what the grammar alone made of it
    listener = _listener(verifier)
    assert heard(listener, audio) == []
    assert any(r.reason.startswith("verifier:") for r in listener.rejections)


@pytest.mark.parametrize(
    "phrase, voice, without, command",
    [
        ("next", "en-gb-scotland+m3", "repeat", "next"),
        ("okay next", "en-us", "repeat", "next"),
        ("that hurts", "en-gb-scotland+m3", "pause", "hurts"),
        ("that hurts", "en-029+f2", "pause", "hurts"),
    ],
)
def test_a_command_the_grammar_mistook_is_heard_as_itself(
    verifier: CommandVerifier, phrase: str, voice: str, without: str, command: str
) -> None:
    audio = utterance(espeak(phrase, voice), before=2.0)
    assert heard(_listener(None), audio) == [without]
    decisions = decide_stream(_listener(verifier), audio)
    assert [d.value for d in decisions] == [command]
    assert decisions[0].confidence is not None and decisions[0].confidence > 0.5


class MisheardVosk(VoskRecognizer):
    """The real Korean vosk recogniser, except that what it heard is what vosk was measured to
    mishear on one machine: its choice among near-equal hypotheses shifts from machine to machine,
    so a test of the verifier's correction cannot wait for vosk to make the same mistake."""

    def __init__(self, heard_as: str):
        super().__init__(resolve("ko", None).path)
        self.heard_as = heard_as

    def partial(self) -> str:
        return ""

    def end(self) -> tuple[str, float | None]:
        super().end()
        return self.heard_as, (0.5 if self.heard_as else None)


@pytest.mark.parametrize(
    "said, rate, heard_as, without, command",
    [
        ("반복", 160, "다음", ["next"], ["repeat"]),
        ("그만", 160, "아파", ["hurts"], ["stop"]),
        ("다음", 200, "", [], ["next"]),
        ("그림", 160, "다음", ["next"], []),
    ],
)
def test_in_korean_the_verifier_corrects_what_vosk_misheard(
    said: str, rate: int, heard_as: str, without: list[str], command: list[str]
) -> None:
    verifier, why = verifier_for("ko")
    assert verifier is not None, why
    audio = utterance(espeak(said, "ko", rate), before=2.0)
    assert heard(CommandListener(MisheardVosk(heard_as), KO, WebRtcFrontEnd(), None, None), audio) == without
    assert heard(CommandListener(MisheardVosk(heard_as), KO, WebRtcFrontEnd(), None, verifier), audio) == command


@pytest.mark.parametrize(
    "said, rate, command",
    [
        ("멈춰", 160, "pause"),
        ("계속", 160, "resume"),
        ("다시", 160, "repeat"),
        ("아파", 160, "hurts"),
        ("반복", 140, "repeat"),
        ("그만", 140, "stop"),
    ],
)
def test_in_korean_vosk_and_the_verifier_hear_commands_through_the_player(said: str, rate: int, command: str) -> None:
    choice = choose("vosk", KO)
    assert choice.listener is not None and choice.listener.verifier is not None, choice.reason
    assert heard(choice.listener, utterance(espeak(said, "ko", rate), before=2.0)) == [command]


def test_a_halt_the_verifier_chose_is_still_rejected_as_the_players_echo(verifier: CommandVerifier) -> None:
    """The grammar heard "pause" where the verifier heard pain: if the player was saying "Paused."
    then, what was heard may be its own voice, and nothing acts."""
    front = PassThrough()
    front.cancels_echo = True  # an echo canceller that has learnt the room: only the echo rule decides
    audio = utterance(espeak("that hurts", "en-gb-scotland+m3"), before=2.0)
    assert heard(CommandListener(PocketSphinxRecognizer(), EN, front, None, verifier), audio) == ["hurts"]
    listener = CommandListener(PocketSphinxRecognizer(), EN, front, None, verifier)
    spans = [(1.8, 3.5, "Paused.")]
    assert decide_stream(listener, audio, reference_text=spans) == []
    assert [r.reason for r in listener.rejections] == ["player's own speech"]


class SureOfNothing:
    """A verifier (the `Verifier` protocol) that is all but sure nothing was said: a voice unlike
    any the head learnt, whose "that hurts" it doubts."""

    def posteriors(self, samples: np.ndarray) -> dict[str, float]:
        return {
            "pause": 0.003,
            "resume": 0.005,
            "next": 0.005,
            "repeat": 0.005,
            "stop": 0.003,
            "hurts": 0.004,
            OTHER: 0.975,
        }


def test_a_that_hurts_the_verifier_doubts_halts_and_asks_even_over_the_player() -> None:
    """Real speech through the real recogniser; only the judge is one that doubts everything."""
    front = PassThrough()
    front.cancels_echo = True
    for spans in ([], [(1.0, 3.5, "Hold for twenty seconds.")]):  # alone, and while the player talks
        listener = CommandListener(PocketSphinxRecognizer(), EN, front, None, SureOfNothing())
        audio = utterance(espeak("that hurts", "en-us"), before=2.0)
        decided = [(d.kind, d.value) for d in decide_stream(listener, audio, reference_text=spans)]
        assert decided == [("command", DOUBTED_HURTS)]
    listener = CommandListener(PocketSphinxRecognizer(), EN, front, None, SureOfNothing())
    assert decide_stream(listener, utterance(espeak("stop", "en-us"), before=2.0)) == []  # a doubted stop: nothing


def test_answers_are_not_the_verifiers_business(verifier: CommandVerifier) -> None:
    listener = _listener(verifier)
    listener.expect("severity")
    assert [(d.kind, d.value) for d in decide_stream(listener, utterance(flite("seven", "slt")))] == [("answer", "7")]


def test_the_player_builds_its_listeners_with_the_verifier(verifier: CommandVerifier) -> None:
    for engine, phrases in (("pocketsphinx", EN), ("vosk", phrases_for("ko"))):
        choice = choose(engine, phrases)
        assert choice.listener is not None and isinstance(choice.listener.verifier, CommandVerifier), choice.reason
        assert "verifier" not in choice.reason


def test_without_a_trained_head_the_player_listens_as_before_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verifier_module, "HEADS", tmp_path)  # a language nobody has trained a head for
    choice = choose("pocketsphinx", EN)
    assert choice.listener is not None and choice.listener.verifier is None
    assert "no command verifier (no trained verifier for 'en' (verifier-en.npz))" in choice.reason
    assert heard(choice.listener, utterance(flite("resume", "slt"))) == ["resume"]


# ---- what it is trained on ----


@pytest.mark.parametrize("language", ["en", "ko"])
def test_it_is_trained_on_no_held_out_voice_and_on_none_of_the_benchmarks_non_commands(language: str) -> None:
    phrases, benchmark = phrases_for(language), LANGUAGES[language]
    voices = {u.voice for u in training_utterances(phrases)}
    assert set(benchmark.tune) <= voices and not voices & set(benchmark.held_out)
    cues = player_cues(sorted(shipped_routines_dir().glob("*.yaml")), phrases)
    trained = [f" {' '.join(_words(u.text))} " for u in training_utterances(phrases) if u.label == OTHER]
    assert cues and trained
    for text in [*benchmark.chatter, *benchmark.look_alikes, *cues]:
        said = f" {' '.join(_words(text))} "
        assert not any(said in t for t in trained), text  # not as such, nor as words of a sentence
    assert {u.label for u in training_utterances(phrases)} == {*phrases.commands, OTHER}
    assert len(texts(language)["near_words"]) >= 40


def test_training_cuts_an_utterance_as_the_listener_would() -> None:
    speech = np.concatenate(
        [np.zeros(RATE, np.float32), np.full(RATE * 3, 0.05, np.float32), np.zeros(RATE, np.float32)]
    )
    rng = np.random.default_rng(0)
    for _ in range(20):
        cut = as_the_listener_hears(speech, rng)
        seconds = len(cut) / RATE
        assert LEAD[0] + 0.4 + TAIL[0] - 0.01 <= seconds <= LEAD[1] + LONGEST + TAIL[1] + 0.01
    short = np.concatenate([np.zeros(RATE, np.float32), np.full(RATE // 2, 0.05, np.float32)])
    cut = as_the_listener_hears(short, rng, snr_db=10.0)
    assert LEAD[0] + 0.5 + TAIL[0] - 0.01 <= len(cut) / RATE <= LEAD[1] + 0.5 + TAIL[1] + 0.01
    assert np.sqrt(np.mean(cut[: int(0.1 * RATE)] ** 2)) > 0.01  # the noise is in the room before the word


def test_the_training_script_writes_a_head_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "head.npz"
    run = subprocess.run(
        [
            sys.executable,
            "scripts/train_verifier.py",
            "--voices",
            "1",
            "--rates",
            "1.0",
            "--limit",
            "40",
            "--jobs",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    head = Head.load(out)
    assert head.info["voices"] == ["espeak:en-us"] and OTHER in head.classes
    assert f"wrote {out}" in run.stdout


def _posteriors(**sure: float) -> dict[str, float]:
    rest = (1.0 - sum(sure.values())) / (7 - len(sure))
    return {c: sure.get(c, rest) for c in ("pause", "resume", "next", "repeat", "stop", "hurts", OTHER)}


def test_the_head_check_counts_what_each_utterance_would_let_act() -> None:
    tally = HeadTally()
    tally.add("command", "hurts", _posteriors(pause=0.5, hurts=0.3, other=0.2))  # halts, though not as itself
    tally.add("command", "stop", _posteriors(other=0.97))  # the head is all but sure: nothing halting
    tally.add("command", "next", _posteriors(next=0.25, other=0.7))  # not convinced enough
    tally.add("command", "repeat", _posteriors(repeat=0.9))
    tally.add("look-alike", None, _posteriors(pause=0.1, resume=0.4, other=0.46))  # as a halt and as "resume"
    tally.add("look-alike", None, _posteriors(other=0.995))  # the halts together: 0.0025
    tally.add("cue", None, _posteriors(next=0.5, other=0.49))  # the halts together: 0.006
    c = tally.counts
    assert (c["halt said"], c["halt acts"], c["halt as itself"]) == (2, 1, 0)
    assert (c["other said"], c["other acts"]) == (2, 1)
    assert (c["look-alike said"], c["look-alike as halt"], c["look-alike as other"]) == (2, 1, 1)
    assert (c["cue said"], c["cue as halt"], c["cue as other"]) == (1, 0, 1)
    assert (
        table_row("lr", "clean", c, ("look-alike", "cue")) == "| lr | clean | 1/2 | 0/2 | 1/2 | 1 + 1 / 2 | 0 + 1 / 1 |"
    )
    # heard as "that hurts", dropped below each floor: the real one (halts 0.8) never; of the
    # distractors, the first look-alike (0.12) halts at every floor, the cue from 0.005, the other look-alike from 0.001
    assert floors_row("lr", c, ("look-alike", "cue")) == (
        "| lr | 0/1; 1/3 | 0/1; 1/3 | 0/1; 1/3 | 0/1; 2/3 | 0/1; 3/3 | 0/1; 3/3 |"
    )
    # decided by the head alone (thresholds 0.3, 0.4, 0.5, 0.65, 0.8): "repeat" (0.9) at every one,
    # "next" (0.25) at none; the cue (next 0.5) up to 0.5
    assert alone_row("lr", c, ("look-alike", "cue")) == (
        "| lr | 1/2; 1/3 | 1/2; 1/3 | 1/2; 1/3 | 1/2; 0/3 | 1/2; 0/3 |"
    )
    sure_halt = HeadTally()
    sure_halt.add("cue", None, _posteriors(pause=0.9))  # a safety command alone keeps its own rule
    sure_halt.add("command", "pause", _posteriors(pause=0.9))
    assert (
        alone_row("lr", sure_halt.counts, ("cue",)) == "| lr | 0/0; 0/1 | 0/0; 0/1 | 0/0; 0/1 | 0/0; 0/1 | 0/0; 0/1 |"
    )


@pytest.mark.slow
def test_the_head_check_script_judges_every_utterance_in_each_condition(tmp_path: Path) -> None:
    out = tmp_path / "voices.json"
    run = subprocess.run(
        [
            sys.executable,
            "scripts/bench_verifier.py",
            "--limit",
            "100",
            "--heads",
            "lr0.05",
            "--jobs",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    judged_line = re.search(r"judged: (\d+) utterances", run.stdout)
    assert judged_line is not None
    assert "Decided by the head alone" in run.stdout
    (result,) = json.loads(out.read_text())["runs"]
    rows = {(r["condition"], r["voices"]): r for r in result["rows"]}
    assert sorted(rows) == sorted((c, v) for c in ("clean", "10 dB", "5 dB") for v in ("all", "espeak", "flite"))
    for condition in ("clean", "10 dB", "5 dB"):
        said = {
            v: sum(rows[condition, v].get(f"{k} said", 0) for k in ("halt", "other", "look-alike", "cue", "chatter"))
            for v in ("all", "espeak", "flite")
        }
        assert said["all"] == int(judged_line[1])  # each utterance of both halves, once per condition
        assert said["espeak"] + said["flite"] == said["all"] and said["flite"] > 0
    assert "| lr0.05 | 5 dB | flite |" in run.stdout
    # another head run later is added to the same run's rows; the first head's rows stay as they were
    again = subprocess.run(
        [
            sys.executable,
            "scripts/bench_verifier.py",
            "--limit",
            "100",
            "--heads",
            "lr0.02",
            "--jobs",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    (merged,) = json.loads(out.read_text())["runs"]
    assert sorted({r["head"] for r in merged["rows"]}) == ["lr0.02", "lr0.05"]
    assert [r for r in merged["rows"] if r["head"] == "lr0.05"] == result["rows"]
