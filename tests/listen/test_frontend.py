"""The front end's building blocks against plain, slow reference computations."""

from __future__ import annotations

import numpy as np
import pytest

from voice_rehab.listen.apm_calls import PreparedCall, frame_call
from voice_rehab.listen.audio import RATE, RunningMinimum, level_db, noise_floor, to_float, to_int16
from voice_rehab.listen.frontend import FRAME, WARM_UP_CHUNKS, PassThrough, WebRtcFrontEnd
from voice_rehab.listen.voices import espeak

# real speech through real recognisers: the audio tier (CI runs it; `pytest -m audio`)
pytestmark = pytest.mark.audio


def test_the_running_minimum_is_the_lowest_of_the_last_window_values() -> None:
    rng = np.random.default_rng(3)
    values = [float(v) for v in rng.integers(-20, 20, 2000)]  # many ties, rises and falls
    for window in (1, 2, 7, 100):
        minimum = RunningMinimum(window)
        got = [minimum.push(v) for v in values]
        assert got == [min(values[max(0, i - window + 1) : i + 1]) for i in range(len(values))]


def test_the_level_of_a_frame_is_the_same_from_int16_and_from_float() -> None:
    sine = 0.5 * np.sin(2 * np.pi * 500 * np.arange(FRAME) / RATE).astype(np.float32)
    assert abs(level_db(sine) - 10 * np.log10(0.125)) < 0.01  # whole periods: half the peak squared
    samples = to_int16(sine)
    assert abs(level_db(samples) - level_db(to_float(samples))) < 1e-9
    assert level_db(np.zeros(FRAME, np.float32)) <= -119.0
    assert level_db(np.zeros(0, np.float32)) <= -119.0


def test_the_cancellers_frames_made_once_give_what_fresh_frames_give() -> None:
    """The front end reuses one frame per direction; livekit's own way is a new frame each time."""
    from livekit import rtc

    person = espeak("that hurts", "en-us") * 0.3
    played = espeak("hold for 20 seconds", "en-gb") * 0.3
    n = min(len(person), len(played)) // 320 * 320
    mic = person[:n] + 0.5 * np.concatenate([np.zeros(800, np.float32), played[: n - 800]]) + noise_floor(n)
    front = WebRtcFrontEnd(suppression="never")
    ours = np.concatenate([front.process(mic[i : i + 320], played[i : i + 320]).segment for i in range(0, n, 320)])

    apm = rtc.AudioProcessingModule(
        echo_cancellation=True, noise_suppression=True, high_pass_filter=True, auto_gain_control=False
    )
    apm.set_stream_delay_ms(0)
    fresh = []
    for i in range(0, n, FRAME):
        apm.process_reverse_stream(rtc.AudioFrame(to_int16(played[i : i + FRAME]).tobytes(), RATE, 1, FRAME))
        frame = rtc.AudioFrame(to_int16(mic[i : i + FRAME]).tobytes(), RATE, 1, FRAME)
        apm.process_stream(frame)
        fresh.append(np.frombuffer(frame.data, dtype=np.int16))
    assert np.array_equal(ours, to_float(np.concatenate(fresh)))
    assert not np.array_equal(ours, to_float(to_int16(mic)))  # and it did process the signal


def test_the_canceller_has_learnt_the_room_after_5_s_of_the_players_audio_not_of_silence() -> None:
    front = WebRtcFrontEnd()
    silence, played = np.zeros(320, np.float32), espeak("Hold for 20 seconds.", "en-us")[:320] + 0.01
    for _ in range(1000):  # 20 s of the player being silent teaches it nothing
        front.process(noise_floor(320), silence)
        front.process(noise_floor(320), None)
    assert not front.learnt_the_room()
    for _ in range(WARM_UP_CHUNKS):
        front.process(noise_floor(320), played)
    assert not front.learnt_the_room()
    front.process(noise_floor(320), played)
    assert front.learnt_the_room()
    assert PassThrough().learnt_the_room()  # no canceller, nothing to learn


def _module():  # type: ignore[no-untyped-def]
    from livekit import rtc

    apm = rtc.AudioProcessingModule(
        echo_cancellation=True, noise_suppression=True, high_pass_filter=True, auto_gain_control=False
    )
    apm.set_stream_delay_ms(0)
    return apm


def test_a_prepared_call_processes_the_frame_as_livekits_own_method_does() -> None:
    from livekit import rtc

    person = espeak("pause", "en-us") * 0.3
    played = espeak("breathe out slowly", "en-gb") * 0.3
    n = min(len(person), len(played)) // FRAME * FRAME
    mic = person[:n] + 0.5 * played[:n] + noise_floor(n)
    prepared, public = _module(), _module()
    mic_buffer, played_buffer = bytearray(FRAME * 2), bytearray(FRAME * 2)
    process = frame_call(prepared, rtc.AudioFrame(mic_buffer, RATE, 1, FRAME), "apm_process_stream")
    process_played = frame_call(prepared, rtc.AudioFrame(played_buffer, RATE, 1, FRAME), "apm_process_reverse_stream")
    assert isinstance(process, PreparedCall) and isinstance(process_played, PreparedCall)  # not the fallback
    ours, theirs = [], []
    for i in range(0, n, FRAME):
        played_buffer[:] = to_int16(played[i : i + FRAME]).tobytes()
        process_played()
        mic_buffer[:] = to_int16(mic[i : i + FRAME]).tobytes()
        process()
        ours.append(np.frombuffer(mic_buffer, dtype=np.int16).copy())
        public.process_reverse_stream(rtc.AudioFrame(to_int16(played[i : i + FRAME]).tobytes(), RATE, 1, FRAME))
        frame = rtc.AudioFrame(to_int16(mic[i : i + FRAME]).tobytes(), RATE, 1, FRAME)
        public.process_stream(frame)
        theirs.append(np.frombuffer(frame.data, dtype=np.int16))
    assert np.array_equal(np.concatenate(ours), np.concatenate(theirs))
    assert not np.array_equal(np.concatenate(ours), to_int16(mic))  # and it did process the signal


def test_a_frame_the_module_cannot_write_into_gets_livekits_own_method() -> None:
    from livekit import rtc

    frame = rtc.AudioFrame(bytes(FRAME * 2), RATE, 1, FRAME)
    frame._data = bytes(FRAME * 2)  # as livekit keeps read-only samples until its method copies them
    call = frame_call(_module(), frame, "apm_process_stream")
    assert not isinstance(call, PreparedCall)
    call()  # livekit's own method copies the samples into a buffer it can write and processes them
    assert isinstance(frame._data, bytearray)


def test_a_module_livekit_does_not_know_is_an_error_not_a_silent_pass() -> None:
    from livekit import rtc

    apm = _module()
    call = frame_call(apm, rtc.AudioFrame(bytearray(FRAME * 2), RATE, 1, FRAME), "apm_process_stream")
    call()
    apm._ffi_handle.handle += 1_000_000  # a handle livekit never gave out
    gone = frame_call(apm, rtc.AudioFrame(bytearray(FRAME * 2), RATE, 1, FRAME), "apm_process_stream")
    with pytest.raises(RuntimeError, match="refused"):
        gone()
    apm._ffi_handle.handle -= 1_000_000  # so that livekit frees the real one


def test_a_prepared_call_keeps_the_samples_it_points_at_even_when_the_frame_is_gone() -> None:
    """The module writes through an address: were the samples freed with a temporary frame, it would
    write into whatever Python put there next (a crash in a later, unrelated import, once)."""
    from livekit import rtc

    call = frame_call(_module(), rtc.AudioFrame(bytearray(FRAME * 2), RATE, 1, FRAME), "apm_process_stream")
    assert isinstance(call, PreparedCall)
    pattern = to_int16(np.full(FRAME, 0.5, np.float32)).tobytes()  # a step the high-pass filter changes
    others = [bytearray(pattern) for _ in range(200)]  # same size: they would take the freed memory
    for _ in range(10):
        call()
    assert all(other == pattern for other in others)
