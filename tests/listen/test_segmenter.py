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


def music_levels(frames: int) -> list[float]:
    """Frame levels of music: notes swinging between -50 and -36 dBFS, never silent."""
    return [float(v) for v in RNG.uniform(-50, -36, frames)]


def edges_heard(segmenter: Segmenter, levels: list[float], speech: list[float | None]) -> list[Edge]:
    """Frames at `levels`, each with what the speech detector said of it."""
    return [segmenter.push(frame_at(db), p) for db, p in zip(levels, speech, strict=True)]


SOFT_WORD = [-32.0] * 12  # 0.24 s, about 6 dB above music's usual peaks: under the level to start


def test_a_soft_word_under_music_starts_only_where_the_detector_hears_speech() -> None:
    levels = [-70.0] * 20 + music_levels(300) + SOFT_WORD + music_levels(100)
    speech = [0.02] * 320 + [0.9] * len(SOFT_WORD) + [0.02] * 100
    for heard, started in ((speech, True), ([None] * len(levels), False), ([0.02] * len(levels), False)):
        found = edges_heard(Segmenter(), levels, heard)
        assert (Edge.START in found[320:334]) is started
        assert Edge.START not in found[200:320] and Edge.START not in found[350:]  # the music alone never


def test_the_detector_starts_nothing_where_the_room_itself_is_speech() -> None:
    """Where other people talk, every moment is speech to the detector: only the level decides."""
    levels = [-70.0] * 20 + babble_levels(300) + SOFT_WORD + babble_levels(100)
    found = edges_heard(Segmenter(), levels, [0.9] * len(levels))
    assert Edge.START not in found[200:]


def test_the_detector_needs_a_few_frames_of_speech_above_the_room() -> None:
    settings = SegmenterSettings()
    levels = [-70.0] * 20 + music_levels(300)
    few = settings.speech_frames - 1
    short = [0.02] * 320 + [0.9] * few + [0.02] * 48
    assert Edge.START not in edges_heard(Segmenter(), levels + SOFT_WORD[:few] + [-50.0] * 48, short)[300:]
    quiet_word = [-48.0] * 12  # speech to the detector, but no louder than the music
    found = edges_heard(Segmenter(), levels + quiet_word + [-50.0] * 40, [0.02] * 320 + [0.9] * 12 + [0.02] * 40)
    assert Edge.START not in found[300:]


def test_the_level_alone_ends_what_the_detector_started() -> None:
    settings = SegmenterSettings()
    levels = [-70.0] * 20 + music_levels(300) + SOFT_WORD + [-50.0] * 40
    speech = [0.02] * 320 + [0.9] * len(SOFT_WORD) + [0.9] * 40  # the detector still says speech
    found = edges_heard(Segmenter(), levels, speech)
    start = found.index(Edge.START, 320)
    end = found.index(Edge.END, start)
    assert end - start <= len(SOFT_WORD) + settings.hangover_frames
