"""Ducking: the player's voice is lowered while the person speaks over it.

Over the player's own speech, the echo canceller leaves a residue that masks the person's words;
lowering the player as soon as the person starts to speak lets the rest of their words reach the
listener over a quieter echo ("that hurts" said over a cue: measured in docs/BENCHMARKS.md).
Nothing is lowered while the person is silent, so cues are heard in full otherwise.

Written by the listening thread (and released by the thread that stops the player), read by the
playback loop: a float and a flag, whose reads and writes are atomic in Python.
"""

from __future__ import annotations

DUCK_GAIN = 0.1  # -20 dB while the person speaks over the player


class Ducking:
    def __init__(self, duck_gain: float = DUCK_GAIN) -> None:
        if not 0.0 < duck_gain <= 1.0:
            raise ValueError(f"duck_gain must be in (0, 1], not {duck_gain}")
        self.duck_gain = duck_gain
        self.gain = 1.0  # what the player's audio is multiplied by now
        self._released = False  # the player stopped itself for this utterance: do not lower it again

    def update(self, person_speaking: bool, player_playing: bool) -> float:
        """After each chunk heard: lower the player when the person speaks over it, and keep it
        lowered until the person's utterance ends. `person_speaking` is the listener's `hearing`,
        which stays False until the echo canceller has learnt the room: before that, its residue
        of the player's first cue looked like the person and lowered the cue itself."""
        if not person_speaking:
            self._released = False
            self.gain = 1.0
        elif self._released:
            self.gain = 1.0  # also undoes a lowering that raced with `release` on the other thread
        elif player_playing:
            self.gain = self.duck_gain
        return self.gain

    def release(self) -> None:
        """The player stopped speaking because of what the person said ("pause", "that hurts"):
        what it says next answers them ("How bad is it?") and is played in full, though the
        person's utterance has not ended yet (up to its last 240 ms). Only here, not at every
        decision: where the player went on talking, at full voice, over the end of a command,
        "that hurts" over the player halted 58 rather than 56 of 60 times on the tuning voices,
        but 25 rather than 27 of 30 on held-out voices."""
        self._released = True
        self.gain = 1.0

    def current(self) -> float:
        return self.gain
