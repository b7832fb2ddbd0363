"""Where speech starts and ends: frames at chosen levels through the segmenter."""

from __future__ import annotations

import numpy as np

from voice_rehab.listen.audio import CHUNK, level_db
from voice_rehab.listen.segmenter import Edge, Segmenter, SegmenterSettings

RNG = np.random.default_rng(11)


def frame_at(db: float) -> np.ndarray:
    """A 20 ms frame of white noise whose level is `db` dBFS."""
    noise = RNG.standard_normal(CHUNK)
    return (noise / np.sqrt(np.mean(noise**2)) * 10 ** (db / 20)).astype(np.float32)


def babble_levels(frames: int) -> list[float]:
    """Frame levels of other people talking: swinging between -58 and -35 dBFS from frame to frame."""
    return [float(v) for v in RNG.uniform(-58, -35, frames)]


def edges(segmenter: Segmenter, levels: list[float]) -> list[Edge]:
    return [segmenter.push(frame_at(db)) for db in levels]


def spans(found: list[Edge]) -> list[tuple[int, int]]:
    """(start, end) frame indices of each utterance: from its START to the frame its END came at."""
    starts = [i for i, e in enumerate(found) if e is Edge.START]
    ends = [i for i, e in enumerate(found) if e is Edge.END]
    return list(zip(starts, ends, strict=False))


def test_the_frame_helper_makes_the_level_asked_for() -> None:
    assert abs(level_db(frame_at(-40.0)) + 40.0) < 0.01


def test_a_word_in_a_quiet_room_starts_at_once_and_ends_after_the_hangover() -> None:
    segmenter = Segmenter()
    found = edges(segmenter, [-70.0] * 100 + [-30.0] * 30 + [-70.0] * 50)
    assert spans(found) == [(101, 130 + SegmenterSettings().hangover_frames - 1)]


def test_babble_alone_is_no_speech() -> None:
    found = edges(Segmenter(), [-70.0] * 50 + babble_levels(500))
    assert Edge.START not in found[200:]  # once the room's level is learnt (3 s), never


def test_with_the_minimum_alone_as_floor_babble_is_speech_for_ever() -> None:
    """Why the floor follows the room's percentile: babble's loud moments are far above its quiet ones."""
    found = edges(Segmenter(SegmenterSettings(room_percentile=None)), [-70.0] * 50 + babble_levels(500))
    assert Edge.START in found and Edge.END not in found[200:]


def test_a_voice_louder_than_the_babble_starts_and_ends_with_the_word() -> None:
    levels = [-70.0] * 50 + babble_levels(300)
    voice = [-28.0 + (3.0 if i % 3 else -3.0) for i in range(35)]  # 0.7 s, 10 dB above the babble
    found = edges(Segmenter(), levels + voice + babble_levels(100))
    (start, end), *rest = [s for s in spans(found) if s[0] >= 200]
    assert not rest
    assert 350 <= start <= 352
    assert 385 <= end <= 385 + SegmenterSettings().hangover_frames + 2


def test_a_tv_that_starts_playing_ends_the_utterance_it_started_soon_after_any_command_would() -> None:
    settings = SegmenterSettings()
    # a quiet room, then a loud television that does not stop
    found = edges(Segmenter(settings), [-70.0] * 200 + [db + 25 for db in babble_levels(800)])
    (start, end), *_ = spans(found)
    assert start <= 202
    assert end - start < settings.room_after_frames + settings.room_frames


def test_a_person_who_talks_from_the_first_moment_is_heard_within_seconds() -> None:
    """Words from the very first frame had made the room's level their own: every later word was
    then no louder than the room, stayed in the room's levels, and nothing ever started again."""
    settings = SegmenterSettings()
    word_then_pause = [-20.0] * 15 + [-70.0] * 25  # one word every 0.8 s, from the first frame
    found = edges(Segmenter(settings), word_then_pause * 10)
    starts = [i for i, e in enumerate(found) if e is Edge.START]
    assert starts and starts[0] < settings.room_frames  # within the 3 s the room's levels span
    assert len(starts) >= 6  # and every word from then on
