"""The runner: the only loop, driving the session with honest fakes on a virtual clock."""

from __future__ import annotations

import json

from tests.fakes import ListLog, RecordingDisplay, RecordingSpeaker
from tests.helpers import EN, PLAN_SIMPLE, at
from voice_rehab.core.events import Command, Heard, Priority, Source, Typed
from voice_rehab.core.ports import InboxClosed
from voice_rehab.core.session import Session
from voice_rehab.io.history import HistoryLog, read_history
from voice_rehab.io.records import PainReport
from voice_rehab.runner import Runner
from voice_rehab.sim.virtual import VirtualInbox


def test_runner_carries_out_every_kind_of_effect() -> None:
    speaker, display, log = RecordingSpeaker(), RecordingDisplay(), ListLog()
    inbox = VirtualInbox([at(12.0, "pause"), at(20.0, "resume")])
    session = Runner(Session(PLAN_SIMPLE, EN), inbox, speaker, display, log).run()
    assert session.finished and speaker.closed
    assert speaker.said[0].startswith("T. 1 exercise") and speaker.said[-1] == "Routine complete. Well done."
    assert ("stop", None) in speaker.calls  # the pause cut speech
    assert "Paused." in speaker.said and "Back in 3" in speaker.said
    assert display.views[-1].state == "finished"
    assert display.captions == speaker.said  # everything said is shown too
    assert log.kinds()[0] == "session_start" and log.kinds()[-1] == "session_end"
    assert [t for kind, t, _ in log.records if kind == "pause"] == [12.0]


def test_runner_passes_input_from_threads_through_the_inbox() -> None:
    inbox = VirtualInbox()
    speaker = RecordingSpeaker()
    inbox.put(Typed(0.0, "q"))  # as the keyboard thread would
    Runner(Session(PLAN_SIMPLE, EN), inbox, speaker, RecordingDisplay()).run()
    assert "Ending the session." in speaker.said


class InterruptingInbox(VirtualInbox):
    """Raises KeyboardInterrupt once the clock passes `at`, as Ctrl-C would in the loop."""

    def __init__(self, at: float):
        super().__init__()
        self.at = at

    def wait(self, deadline: float | None):  # type: ignore[no-untyped-def]
        event = super().wait(deadline)
        if self.now() >= self.at:
            raise KeyboardInterrupt
        return event


def test_ctrl_c_ends_the_session_and_logs_it_as_interrupted() -> None:
    log, speaker = ListLog(), RecordingSpeaker()
    Runner(Session(PLAN_SIMPLE, EN), InterruptingInbox(5.0), speaker, RecordingDisplay(), log).run()
    end = [data for kind, _, data in log.records if kind == "session_end"]
    assert end and end[0]["reason"] == "interrupted"
    assert speaker.closed and ("stop", None) in speaker.calls


def test_paused_with_nothing_left_to_happen_ends_a_virtual_run() -> None:
    session = Runner(
        Session(PLAN_SIMPLE, EN), VirtualInbox([at(3.0, "pause")]), RecordingSpeaker(), RecordingDisplay()
    ).run()
    assert session.state.value == "paused"
    try:
        VirtualInbox().wait(None)
    except InboxClosed:
        pass
    else:
        raise AssertionError("an empty virtual inbox with no deadline must close")


def test_runner_writes_the_history_as_it_goes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.jsonl"
    log = HistoryLog(path, "T", session_id="abc")
    inbox = VirtualInbox([at(12.0, "hurts"), at(13.0, "answer:2"), at(14.0, "answer:dull"), at(15.0, "answer:end")])
    Runner(Session(PLAN_SIMPLE, EN), inbox, RecordingSpeaker(), RecordingDisplay(), log).run()
    log.close()
    events = read_history(path).events
    assert {e.session for e in events} == {"abc"}
    report = next(e for e in events if isinstance(e, PainReport))
    assert (report.severity, report.pain_type, report.outcome) == (2, "dull", "end")
    assert [e.seq for e in events] == list(range(len(events)))
    assert all(json.loads(line) for line in path.read_text().splitlines())
    assert not read_history(path).skipped_lines  # every record the engine writes reads back as its kind


def test_urgent_priority_reaches_the_speaker() -> None:
    class PrioritySpeaker(RecordingSpeaker):
        def say(self, text: str, priority: Priority) -> None:
            self.calls.append(("say", (text, priority)))

    speaker = PrioritySpeaker()
    Runner(Session(PLAN_SIMPLE, EN), VirtualInbox([at(12.0, "pause")]), speaker, RecordingDisplay()).run()
    assert ("say", ("Paused.", Priority.URGENT)) in speaker.calls


def test_heard_commands_carry_their_source_into_the_log() -> None:
    log = ListLog()
    inbox = VirtualInbox([(4.0, lambda now: Heard(now, Command.PAUSE, heard="wait", source=Source.VOICE))])
    Runner(Session(PLAN_SIMPLE, EN), inbox, RecordingSpeaker(), RecordingDisplay(), log).run()
    [command] = [d for k, _, d in log.records if k == "command"]
    assert command == {"command": "pause", "heard": "wait", "source": "voice", "state": "running"}
