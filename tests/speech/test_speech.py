"""Speech output: real pyttsx3/espeak-ng synthesis, the threaded speaker, the fallback, render."""

from __future__ import annotations

import subprocess
import sys
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.fakes import GatedOutput, RecordingDisplay
from tests.helpers import EN, PLAN_SIMPLE, plan_of
from voice_rehab.core.events import Priority
from voice_rehab.core.routine import parse_routine
from voice_rehab.player import make_speaker
from voice_rehab.sim.render import render_session, render_to_wav, scripted_cues, write_wav
from voice_rehab.speech.output import NullOutput, OutputUnavailable, SoundDeviceOutput
from voice_rehab.speech.speaker import AudioSpeaker, CaptionSpeaker
from voice_rehab.speech.synth import Synthesizer


@pytest.fixture(scope="module")
def synth() -> Synthesizer:
    return Synthesizer("en-us", 160)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


def test_synthesis_is_real_speech_of_plausible_length(synth: Synthesizer) -> None:
    samples, rate = synth.synthesize("Hold for twenty seconds.")
    seconds = len(samples) / rate
    assert rate == 22050 and 0.8 < seconds < 4.0
    assert rms(samples) > 300  # clearly not silence (int16 full scale is 32767)


def test_synthesis_is_cached_for_repeated_cues(synth: Synthesizer) -> None:
    first, _ = synth.synthesize("3")
    again, _ = synth.synthesize("3")
    assert first is again


def test_rate_and_voice_change_the_audio() -> None:
    text = "Lie on your back with your knees bent."
    slow, rate = Synthesizer("en-us", 100).synthesize(text)
    fast, _ = Synthesizer("en-us", 260).synthesize(text)
    assert len(slow) > 1.8 * len(fast)
    american, _ = Synthesizer("en-us", 160).synthesize(text)
    british, _ = Synthesizer("en-gb-x-rp", 160).synthesize(text)
    assert abs(len(american) - len(british)) > 1000  # another voice, another timing


def test_an_unknown_voice_warns_and_falls_back() -> None:
    synth = Synthesizer("klingon-x", 160)
    assert "klingon-x" in synth.voice_warning
    samples, _ = synth.synthesize("Halfway.")
    assert rms(samples) > 300


def test_stop_cuts_speech_mid_cue_and_drops_the_queue() -> None:
    output = NullOutput(realtime=True)  # plays at real pace, with no sound card
    speaker = AudioSpeaker(lambda: Synthesizer("en-us", 160), output)
    assert speaker.wait_ready() == ""
    speaker.say("Lie on your back with your knees bent and your feet flat on the floor.", Priority.NORMAL)
    speaker.say("This sentence is queued and must never be played.", Priority.NORMAL)
    while not output.played and not speaker._busy:  # wait for playback to begin
        speaker.wait_idle(0.01)
    speaker.stop()
    speaker.wait_idle(5.0)
    speaker.close()
    [(played, given)] = output.played
    assert played < given / 2


def test_urgent_goes_first_and_stale_counts_are_dropped(synth: Synthesizer) -> None:
    now = [0.0]
    output = GatedOutput(hold_first=True)
    speaker = AudioSpeaker(lambda: Synthesizer("en-us", 160), output, clock=lambda: now[0])
    speaker.say("First.", Priority.NORMAL)
    assert output.started.wait(10)
    speaker.say("Second.", Priority.NORMAL)
    speaker.say("7", Priority.LOW)
    speaker.say("Paused.", Priority.URGENT)
    now[0] = 5.0  # the count is now five seconds late
    output.release.set()
    speaker.wait_idle(10)
    speaker.close()
    # espeak-ng's output length varies by a few samples between runs; the texts differ by far more.
    expected = [len(synth.synthesize(t)[0]) for t in ("First.", "Paused.", "Second.")]
    assert len(output.lengths) == 3
    assert all(abs(got - want) < 200 for got, want in zip(output.lengths, expected))


def test_no_output_device_falls_back_to_captions_and_says_so() -> None:
    try:
        SoundDeviceOutput()
    except OutputUnavailable:
        pass
    else:
        pytest.skip("this machine has a sound card; the no-device path cannot be exercised here")
    display = RecordingDisplay()
    routine = parse_routine("title: T\nexercises:\n  - {name: A, hold: 12}\n")
    speaker = make_speaker(routine, EN, PLAN_SIMPLE, display)
    assert isinstance(speaker, CaptionSpeaker)
    assert len(display.notices) == 1 and display.notices[0].startswith("No speakers found, so the cues are shown")
    assert "Error querying device" not in display.notices[0]  # the technical detail is for `check`


def test_render_places_every_cue_at_its_time(synth: Synthesizer, tmp_path: Path) -> None:
    plan = plan_of("title: T\nprepare: 1\nexercises:\n  - {name: A, hold: 14}\n")
    samples, rate, drift = render_session(plan, EN, synth)
    assert plan.duration <= len(samples) / rate < plan.duration + 3  # the last words may run on
    cues = scripted_cues(plan, EN)
    for t, text in cues:
        start = int(t * rate)
        window = samples[start : start + int(0.3 * rate)]
        assert rms(window) > 100, f"no speech at {t:.1f}s for {text!r}"
    halfway = dict((x, t) for t, x in cues)["Halfway."]
    quiet = samples[int((halfway - 1.2) * rate) : int((halfway - 0.1) * rate)]
    assert rms(quiet) < 50  # silence during the hold between cues
    path = tmp_path / "s.wav"
    write_wav(path, samples, rate)
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getframerate(), wav.getnframes()) == (1, rate, len(samples))


def test_rendering_to_a_file_piece_by_piece_writes_the_session_in_memory(synth: Synthesizer, tmp_path: Path) -> None:
    """`render` writes cue by cue (a 2 h timer had reached 4 GB in memory); the file holds exactly
    the samples of the session rendered whole."""
    plan = plan_of("title: T\nprepare: 1\nexercises:\n  - {name: A, hold: 14}\n  - {name: B, reps: 2}\n")
    samples, rate, drift = render_session(plan, EN, synth)
    path = tmp_path / "piecewise.wav"
    done = render_to_wav(path, plan, EN, synth)
    assert (done.rate, done.samples, round(done.drift, 3)) == (rate, len(samples), round(drift, 3))
    with wave.open(str(path)) as wav:
        written = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    assert np.array_equal(written, samples)
    assert not path.with_name(path.name + ".part").exists()


def test_portaudio_checks_name_the_device_that_is_missing() -> None:
    from voice_rehab.io.portaudio import sounddevice_with

    def no_device(sd: object) -> None:
        raise ValueError("No input device matching")

    with pytest.raises(OutputUnavailable, match=r"^no usable microphone \(No input device matching\)$"):
        sounddevice_with(no_device, "microphone", OutputUnavailable)
    sd = sounddevice_with(lambda sd: sd.get_portaudio_version(), "speaker", OutputUnavailable)
    assert sd.__name__ == "sounddevice"


def test_one_synthesizer_used_from_two_threads_gives_each_its_own_audio() -> None:
    """Each call reads back the file of its own synthesis: reading it after the engine's lock was
    let go lost it to the other thread ("produced no audio") or gave that thread's audio."""
    synth = Synthesizer("en-us", 160)
    texts = {
        name: [f"{word} {n}" for n in range(12)]
        for name, word in (("short", "Rest"), ("long", "Breathe out slowly and tilt"))
    }
    results: dict[str, list[int]] = {"short": [], "long": []}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            results[name] = [len(synth.synthesize(text)[0]) for text in texts[name]]
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert min(results["long"]) > max(results["short"])  # no call got the other thread's audio


def test_the_first_cues_of_a_new_process_are_whole() -> None:
    """A new pyttsx3 engine returned from its first runAndWait while espeak-ng, on its own thread,
    was still synthesising: the first cue was read before it was written ("text-to-speech
    produced no audio"), and its late end cut the next cue short (no audio at all)."""
    code = (
        "from voice_rehab.speech.synth import Synthesizer\n"
        "synth = Synthesizer('en-us', 160)\n"
        "text = 'Lie on your back with your knees bent and your feet flat on the floor. ' * 3\n"
        "for _ in range(3):\n"
        "    synth._cache.clear()\n"
        "    print(len(synth.synthesize(text)[0]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lengths = [int(n) for n in done.stdout.split()]
    # about 12 s of speech each time (espeak-ng varies by a few ms from one call to the next)
    assert len(lengths) == 3 and max(lengths) - min(lengths) < min(lengths) * 0.01 and min(lengths) > 10 * 22050


def test_a_cue_asked_for_while_espeak_ng_is_still_busy_is_whole(synth: Synthesizer) -> None:
    """pyttsx3 first stops whatever espeak-ng is doing; a stop that found it busy stayed pending
    and cancelled the next cue, which came out empty. Here espeak-ng is kept busy on purpose."""
    from pyttsx3.drivers import _espeak

    text = "Lie on your back with your knees bent and your feet flat on the floor."
    whole = len(Synthesizer("en-us", 160).synthesize(text)[0])
    for _ in range(3):
        _espeak.Synth(("Keep your breathing slow and easy. " * 20).encode(), flags=_espeak.CHARS_UTF8)
        again = len(Synthesizer("en-us", 160).synthesize(text)[0])
        assert abs(again - whole) < whole * 0.01  # espeak-ng varies by a few ms; a cancelled cue is empty or cut


def test_long_text_reaches_espeak_in_pieces_and_every_word_is_said(synth: Synthesizer) -> None:
    """espeak-ng segfaulted on about 12,000 words at once; a routine's longest spoken text (an
    intro with 20 cues of 2,000 characters) is cut between words into pieces it handles."""
    from voice_rehab.speech.synth import MAX_PIECE, pieces_of

    text = " ".join(f"word{i}." for i in range(600))
    pieces = pieces_of(text)
    assert len(pieces) > 1 and all(len(p) <= MAX_PIECE for p in pieces) and " ".join(pieces).split() == text.split()
    samples, rate = synth.synthesize(text)
    one, _ = synth.synthesize(pieces[0])
    assert len(samples) > len(one) * (len(pieces) - 1)  # every piece was said


class _HeldSynth:
    """A synthesizer that says the first cue at once and holds every other until released, so the
    test sees what the speaker waits for before it is ready (no timing)."""

    def __init__(self, first: str, release: threading.Event) -> None:
        self.first, self.release, self.said = first, release, []  # type: ignore[var-annotated]

    def synthesize(self, text: str):  # type: ignore[no-untyped-def]
        if text != self.first:
            assert self.release.wait(10)
        self.said.append(text)
        return np.ones(160, np.int16), 16000

    def close(self) -> None:
        pass


def test_the_speaker_is_ready_after_the_first_cue_and_warms_the_rest_behind_it() -> None:
    """Play took 1.3-1.9 s to its first cue: the speaker synthesised every known cue first."""
    release = threading.Event()
    synth = _HeldSynth("Gentle mobility.", release)
    output = GatedOutput()
    warm = ["Gentle mobility.", *[f"cue {k}" for k in range(50)]]
    speaker = AudioSpeaker(lambda: synth, output, warm_up=warm)  # type: ignore[arg-type]
    assert speaker.wait_ready(timeout=5) == "" and synth.said == ["Gentle mobility."]
    assert speaker._ready.is_set()  # ready, not timed out: the other cues are still held
    release.set()
    speaker.say("Gentle mobility.", Priority.NORMAL)
    speaker.wait_idle(5)
    assert output.lengths  # it was said
    deadline = threading.Event()
    for _ in range(100):  # the rest are warmed in the background, in order
        if len(synth.said) >= 51:
            break
        deadline.wait(0.05)
    speaker.close()
    assert [t for t in synth.said if t.startswith("cue")][:3] == ["cue 0", "cue 1", "cue 2"]
