"""Where speech starts and ends, from frame levels against an adaptive noise floor.

Runs after noise suppression, so stationary noise sits far below speech. The floor is the
minimum frame level over the last `floor_window` frames (minimum statistics): pauses between
words pull it down to the noise, so it follows the room without being dragged up by speech.
Hysteresis (a higher level to start than to continue) and a short hangover keep words whole.

Where the noise is other people talking (babble, a TV), its level swings by 20 dB from frame to
frame, so its loud moments sit far above the minimum and would be speech for ever: the floor is
then raised to a high percentile of the room's own levels (the frames heard outside speech), so
that only a voice louder than the room's usual peaks starts or continues an utterance. A voice
that goes on longer than any command is counted as the room's too, so a TV that starts playing
does not hold an utterance open for ever.

Where the room is loud and varies (music), its usual peaks hide a soft, short word: the level
alone never rises far enough above them. A speech detector (`speech_detector.py`) then finds the
word instead: frames it takes for speech start an utterance a little above the room's level, but
only in a room whose own sound it does not take for speech (not where other people talk: there
every moment is speech). It only starts utterances; the level alone continues and ends them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum

import numpy as np

from voice_rehab.listen.audio import RunningMinimum, level_db


class Edge(str, Enum):
    SILENCE = "silence"
    START = "start"  # this frame starts speech
    SPEECH = "speech"
    DIP = "dip"  # still in speech, but this frame is quiet (a word may have ended)
    END = "end"  # the hangover ran out: the utterance ended before this frame


@dataclass
class SegmenterSettings:
    start_db: float = 10.0  # above the floor, to start
    continue_db: float = 6.0  # above the floor, to count as speech inside an utterance
    start_frames: int = 2  # loud frames in a row to start
    hangover_frames: int = 12  # quiet frames in a row to end (12 x 20 ms)
    floor_window: int = 100  # frames (2 s) over which the noise floor is the minimum level
    min_floor_db: float = -85.0  # digital silence must not make every breath "speech"
    # The room's level: this percentile of its frames over the last `room_frames` (3 s), and frames
    # of speech longer than `room_after_frames` (4 s: no command is that long) count as the room's.
    room_percentile: float | None = 80.0  # None: the minimum alone
    room_frames: int = 150
    room_after_frames: int = 200
    # A frame this far above the quietest moments is someone close by talking, never the room's
    # (babble's loud moments sit about 20-25 dB above them): a person who talks from the first
    # moment the listener hears would otherwise become the room and never start an utterance.
    room_above_minimum_db: float = 30.0
    # The speech detector's part (None: levels alone): `speech_frames` frames in a row at a speech
    # probability of `speech_start` or more, `speech_above_room_db` above the room's level, start an
    # utterance; not where the room's own frames (those heard outside speech) are speech to it:
    # their `room_speech_percentile`th percentile above `room_speech_at_most`. The median let it
    # start utterances in babble (tuning speakers: 8 clips of 895; the 90th percentile, none).
    speech_start: float | None = 0.5
    speech_frames: int = 3
    speech_above_room_db: float = 3.0
    room_speech_at_most: float = 0.3
    room_speech_percentile: float = 90.0


class Segmenter:
    def __init__(self, settings: SegmenterSettings | None = None):
        self.s = settings or SegmenterSettings()
        self._minimum = RunningMinimum(self.s.floor_window)
        self._room: deque[float] = deque(maxlen=self.s.room_frames)
        self._room_speech: deque[float] = deque(maxlen=self.s.room_frames)
        self._room_level = self.s.min_floor_db
        self._spoken = 0  # frames in a row the speech detector took for speech
        self._speech_run = 0  # frames since this utterance started
        self.floor = self.s.min_floor_db
        self.in_speech = False
        self._loud = 0
        self._quiet = 0
        self.quiet_run = 0  # quiet frames since the last loud one, inside speech

    def _track_floor(self, level: float, speech: float | None) -> None:
        minimum = self._minimum.push(level)
        close_by = level > minimum + self.s.room_above_minimum_db
        if self.s.room_percentile is not None and (
            (not self.in_speech and not close_by) or self._speech_run >= self.s.room_after_frames
        ):
            self._room.append(level)
            self._room_level = float(np.percentile(self._room, self.s.room_percentile))
            if speech is not None:
                self._room_speech.append(speech)
        room = self._room_level if self.s.room_percentile is not None else minimum
        self.floor = max(minimum, room, self.s.min_floor_db)

    def _detector_starts(self, speech: float | None) -> bool:
        """Does the speech detector take this frame for the person's speech: speech, in a room whose
        own sound it does not take for speech?"""
        return (
            self.s.speech_start is not None
            and speech is not None
            and speech >= self.s.speech_start
            and bool(self._room_speech)
            and float(np.percentile(self._room_speech, self.s.room_speech_percentile)) <= self.s.room_speech_at_most
        )

    def end_utterance(self) -> None:
        """The input ended: whatever was being said has ended with it."""
        self.in_speech = False
        self._loud = 0
        self._spoken = 0

    def push(self, frame: np.ndarray, speech: float | None = None) -> Edge:
        """One frame, with the speech detector's probability that it is speech (None: no detector)."""
        level = level_db(frame)
        self._track_floor(level, speech)
        self._speech_run = self._speech_run + 1 if self.in_speech else 0
        above = level - self.floor
        if not self.in_speech:
            self._loud = self._loud + 1 if above >= self.s.start_db else 0
            spoken = above >= self.s.speech_above_room_db and self._detector_starts(speech)
            self._spoken = self._spoken + 1 if spoken else 0
            if self._loud >= self.s.start_frames or self._spoken >= self.s.speech_frames:
                self.in_speech = True
                self._quiet = 0
                self.quiet_run = 0
                self._spoken = 0
                return Edge.START
            return Edge.SILENCE
        if above >= self.s.continue_db:
            self._quiet = 0
            self.quiet_run = 0
            return Edge.SPEECH
        self._quiet += 1
        self.quiet_run = self._quiet
        if self._quiet >= self.s.hangover_frames:
            self.in_speech = False
            self._loud = 0
            return Edge.END
        return Edge.DIP
