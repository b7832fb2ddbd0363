"""Ducking: the player's voice is lowered while the person speaks over it, and only then."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tests.fakes import ArraySource
from voice_rehab.authoring.catalog import shipped_routines_dir
from voice_rehab.core.events import Command, Heard, Priority
from voice_rehab.core.phrases import phrases_for
from voice_rehab.core.plan import build_plan
from voice_rehab.core.routine import load_routine
from voice_rehab.io.clock import MonotonicInbox
from voice_rehab.listen.audio import CHUNK, active_rms, noise_floor, resample
from voice_rehab.listen.ducking import DUCK_GAIN, Ducking
from voice_rehab.listen.frontend import PassThrough, WebRtcFrontEnd
from voice_rehab.listen.listener import CommandListener
from voice_rehab.listen.microphone import MicrophoneInput, ReferenceTap
from voice_rehab.listen.recognizers import PocketSphinxRecognizer
from voice_rehab.listen.room import VirtualRoom
from voice_rehab.listen.stream import Echo, decide_stream
from voice_rehab.listen.voices import espeak, flite
from voice_rehab.sim.simulation import run_in_room
from voice_rehab.speech.output import NullOutput, scaled
from voice_rehab.speech.speaker import AudioSpeaker
from voice_rehab.speech.synth import Synthesizer

# real speech through real recognisers: the audio tier (CI runs it; `pytest -m audio`)
pytestmark = pytest.mark.audio

EN = phrases_for("en")
CUE = "Rest for twenty seconds. Coming up: cat cow, ten slow cycles on your hands and knees."
ECHO = Echo(delay=800, gain=0.3)  # 50 ms later, about as loud as the person


class RecordedDucking(Ducking):
    """The real rule, with every gain it set kept."""

    def __init__(self) -> None:
        super().__init__()
        self.history: list[float] = []
        self.speaking: list[bool] = []  # was the person heard, at each update

    def update(self, person_speaking: bool, player_playing: bool) -> float:
        self.history.append(super().update(person_speaking, player_playing))
        self.speaking.append(person_speaking)
        return self.gain


def test_lowered_only_while_the_person_speaks_over_the_player() -> None:
    ducking = Ducking()
    assert ducking.update(person_speaking=False, player_playing=False) == 1.0
    assert ducking.update(person_speaking=False, player_playing=True) == 1.0
    assert ducking.update(person_speaking=True, player_playing=False) == 1.0  # nothing to lower
    assert ducking.update(person_speaking=True, player_playing=True) == DUCK_GAIN
    # the player's cue ends while the person still speaks: stays low until they finish
    assert ducking.update(person_speaking=True, player_playing=False) == DUCK_GAIN
    assert ducking.update(person_speaking=False, player_playing=True) == 1.0
    with pytest.raises(ValueError, match="duck_gain"):
        Ducking(0.0)


def test_once_the_player_stopped_for_the_person_it_is_not_lowered_until_they_start_again() -> None:
    ducking = Ducking()
    assert ducking.update(person_speaking=True, player_playing=True) == DUCK_GAIN
    ducking.release()  # "that hurts" stopped the player; it answers while the utterance ends
    assert ducking.gain == 1.0
    assert ducking.update(person_speaking=True, player_playing=True) == 1.0
    ducking.gain = DUCK_GAIN  # a lowering written by the listening thread as `release` ran
    assert ducking.update(person_speaking=True, player_playing=True) == 1.0  # undone at once
    assert ducking.update(person_speaking=False, player_playing=True) == 1.0
    assert ducking.update(person_speaking=True, player_playing=True) == DUCK_GAIN  # a new utterance


WELCOME = "Gentle mobility. 4 exercises, about 6 minutes. If anything hurts, just tell me and I will halt at once."
PERSON_AT = 10.0  # seconds: 0.6 s into the second cue, once the echo canceller has heard the first


def _cue_with_person(person_text: str | None) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float, str]]]:
    """The player's welcome, then a cue; the person speaks 0.6 s into the cue."""
    played = np.zeros(16000 * 22, np.float32)
    spans = []
    for start, text in ((0.5, WELCOME), (PERSON_AT - 0.6, CUE)):
        cue = espeak(text, "en-us")
        at = int(start * 16000)
        played[at : at + len(cue)] = cue * (0.15 / active_rms(cue))
        spans.append((start, start + len(cue) / 16000, text))
    assert spans[0][1] < spans[1][0]
    person = noise_floor(len(played))
    if person_text:
        speech = flite(person_text, "slt")
        at = int(PERSON_AT * 16000)
        person[at : at + len(speech)] += speech * (0.05 / active_rms(speech))
    return person, played, spans


def test_that_hurts_over_the_player_lowers_it_and_is_heard() -> None:
    person, played, spans = _cue_with_person("that hurts")
    ducking = RecordedDucking()
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    decisions = decide_stream(listener, person, played, spans, ECHO, ducking)
    assert [d.value for d in decisions] == ["hurts"]
    lowered = [i for i, g in enumerate(ducking.history) if g < 1.0]
    assert lowered, "the player was never lowered"
    first = lowered[0] * CHUNK / 16000
    assert PERSON_AT <= first <= PERSON_AT + 0.4  # within a few chunks of the person starting
    assert ducking.history[-1] == 1.0  # and back up once they stopped


def test_the_players_own_voice_never_lowers_it() -> None:
    person, played, spans = _cue_with_person(None)
    ducking = RecordedDucking()
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    assert decide_stream(listener, person, played, spans, ECHO, ducking) == []
    assert set(ducking.history) == {1.0}


def test_the_playback_loop_plays_each_block_at_the_current_gain() -> None:
    ducking = Ducking()
    ducking.gain = 0.25
    output = NullOutput(realtime=False)
    speaker = AudioSpeaker(lambda: Synthesizer("en-us", 160), output, ducking=ducking)
    assert speaker.wait_ready() == ""
    speaker.say("Halfway.", Priority.NORMAL)
    speaker.wait_idle(5.0)
    speaker.close()
    assert output.gains and set(output.gains) == {0.25}
    block = np.array([1000, -2000, 32767], dtype=np.int16)
    assert scaled(block, 0.25).tolist() == [250, -500, 8191] and scaled(block, 0.25).dtype == np.int16


def test_the_player_stopping_for_the_person_plays_its_answer_in_full() -> None:
    """The session stops the speaker on "pause", "stop" and "that hurts"; what follows answers."""
    ducking = Ducking()
    ducking.update(person_speaking=True, player_playing=True)
    output = NullOutput(realtime=False)
    speaker = AudioSpeaker(lambda: Synthesizer("en-us", 160), output, ducking=ducking)
    assert speaker.wait_ready() == ""
    speaker.stop()
    ducking.update(person_speaking=True, player_playing=True)  # the end of "that hurts"
    speaker.say("Stopping. How bad is the pain, from zero to ten?", Priority.URGENT)
    speaker.wait_idle(5.0)
    speaker.close()
    assert output.gains and set(output.gains) == {1.0}


def test_the_microphone_thread_lowers_the_player_and_its_reference_alike() -> None:
    """The echo canceller's reference must be what was really played: lowered as the player is."""
    person, played, _ = _cue_with_person("that hurts")
    tap = ReferenceTap()
    tap.played(played, 16000, CUE)
    ducking = RecordedDucking()
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    references: list[np.ndarray] = []
    feed = listener.feed

    def spy(chunk, t, reference=None, reference_text=""):  # type: ignore[no-untyped-def]
        references.append(reference)
        return feed(chunk, t, reference, reference_text)

    listener.feed = spy  # type: ignore[method-assign]
    microphone = MicrophoneInput(ArraySource(ECHO.mixed(person, played)), listener, MonotonicInbox(), tap, ducking)
    microphone.start()
    microphone.close()
    microphone._thread.join()  # every chunk heard, however slow the machine
    assert DUCK_GAIN in ducking.history
    gains_before = [1.0, *ducking.history[:-1]]  # each chunk is played at the gain set after the last
    for index, (reference, gain) in enumerate(zip(references, gains_before)):
        assert np.allclose(reference, played[index * CHUNK : (index + 1) * CHUNK] * gain)


def test_the_virtual_room_lowers_the_player_while_the_person_speaks() -> None:
    """A session in the virtual room: the player's welcome and intro never lower it; the person
    saying "that hurts" over the intro does, at once, and until the player stops for them: its
    answer, the first pain question, is played in full, though the person is still speaking."""
    plan = build_plan(load_routine(shipped_routines_dir() / "gentle-mobility.yaml"), EN)
    intro_at = plan.steps[0].duration
    ducking = RecordedDucking()
    room = VirtualRoom(
        CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd()),
        Synthesizer("en-us", 160).synthesize,
        ducking=ducking,
    )
    room.add_speech(intro_at + 1.0, espeak("that hurts", "en-us"))
    room.add_event(intro_at + 6.0, lambda now: Heard(now, Command.STOP))
    timeline = run_in_room(plan, EN, room)
    decided = next(t for t, record in timeline if record.get("event") == "pain_start")
    lowered = [i * CHUNK / 16000 for i, gain in enumerate(ducking.history) if gain < 1.0]
    assert lowered and intro_at + 1.0 <= lowered[0] <= intro_at + 1.4
    assert lowered[-1] <= intro_at + 3.0  # back up once they stopped
    # the end of their utterance, after it was decided (the segmenter waits for a silence)
    after = range(round(decided * 16000 / CHUNK), len(ducking.speaking))
    ending = list(itertools.takewhile(lambda i: ducking.speaking[i], after))
    assert ending, "the utterance had ended when it was decided: this shows nothing"
    assert [ducking.history[i] for i in ending] == [1.0] * len(ending)  # the answer in full


def test_a_cue_that_starts_while_the_person_speaks_starts_lowered_and_comes_back_to_full() -> None:
    """A cue that is due while the person is still speaking (the next count, a step's intro)."""
    text = "Halfway. Keep breathing slowly."
    synth = Synthesizer("en-us", 160)
    ducking = Ducking()
    room = VirtualRoom(
        CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd()), synth.synthesize, ducking=ducking
    )
    ducking.gain = DUCK_GAIN  # the person is speaking
    room.say(text, Priority.URGENT)
    room.wait_idle(0.1)  # the room hears no one after the first chunk: back to full
    playing = room._playing
    assert playing is not None and playing.gain == 1.0
    samples, rate = synth.synthesize(text)
    cue = resample(samples.astype(np.float32) / 32768.0, rate)
    assert np.allclose(playing.samples[:CHUNK], cue[:CHUNK] * DUCK_GAIN)
    assert np.allclose(playing.samples[CHUNK:], cue[CHUNK:], atol=1e-6)  # as loud as the cue, not louder


def test_the_listener_hears_the_person_only_once_the_canceller_has_learnt_the_room() -> None:
    """Until then the player is not lowered: its own first words could look like the person."""

    class Learning(PassThrough):
        learnt = False

        def learnt_the_room(self) -> bool:
            return self.learnt

    front = Learning()
    listener = CommandListener(PocketSphinxRecognizer(), EN, front)
    speech = np.concatenate([noise_floor(16000), flite("that hurts", "slt") * 0.3, noise_floor(16000)])
    speaking = []
    for learnt in (False, True):
        front.learnt = learnt
        during = []
        for start in range(0, len(speech) - CHUNK + 1, CHUNK):
            listener.feed(speech[start : start + CHUNK], (start + CHUNK) / 16000)
            during.append(listener.hearing)
        speaking.append(any(during))
    assert speaking == [False, True]
