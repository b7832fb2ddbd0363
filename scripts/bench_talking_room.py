#!/usr/bin/env python3
"""A room where other people talk: how often does the listener act on them, and does it still hear the person?

A television or people chatting near the mat for minutes on end: babble of 1, 3 or 12 other
people (tuning speakers' ordinary words, one after another with the pauses people leave) at the
speech level and 10 dB under it, streamed through the listener while it listens for commands.
Among them the person says "stop" every half minute (`--person held-out`: held-out speakers'
real stops, never tuned on; `tune`: the tuning speakers', to choose a rule on; `none`). Counted:
the person's stops that left the player stopped within 3 s, and every other decision, none of
which should act. Each room is heard once by the listener as it ships and decided by its rules
as they ship (`ours`) and without those for a talking room (`ours-no-talk-rule`).

\b
    .venv/bin/python scripts/bench_talking_room.py [--minutes 10] [--talkers 1,3,12] [--levels 0,10] [--jobs 2]
    .venv/bin/python scripts/bench_talking_room.py --minutes 2 --talkers 1:0,3:10 --person tune --enrolled 6 \
        --out results/talking-room-enrolled-tune.json     # one enrolled person per room, with a voice check

Prints a table and writes results/talking-room.json (each row as it finishes), and each room's
hearing (every judged utterance's record) to results/talking-room.hearings.jsonl, which
`--replay` decides again with this tree's rules. Credit: Speech
Commands v0.02, Pete Warden, Google (CC-BY-4.0).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import click
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real_people import listener_for  # noqa: E402
from rescore_real_people import heard_again  # noqa: E402

from benchmarks.real_people import LEVEL, Clip, at_level, babble, babble_voices, load, read_clips  # noqa: E402
from benchmarks.report import machine  # noqa: E402
from benchmarks.timed_judge import TimedJudge  # noqa: E402
from benchmarks.voice_encoder import VoiceEncoder  # noqa: E402
from voice_rehab.listen.audio import CHUNK, RATE, noise_floor  # noqa: E402
from voice_rehab.listen.judge import Transcript  # noqa: E402
from voice_rehab.listen.policy import HALT, LEAVES_STOPPED, RELEASE, Utterance, decide  # noqa: E402
from voice_rehab.listen.policy import Thresholds as PolicyThresholds  # noqa: E402
from voice_rehab.listen.stream import chunks  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "results" / "talking-room.json"


STOP_EVERY = 30.0  # seconds between the person's stops, where the room has them
LEFT_STOPPED = LEAVES_STOPPED
HEARD_WITHIN = 3.0  # seconds after a stop is said in which its decision counts
# the rules each room is decided by: as shipped, and without those for a talking room
RULES = {"ours": PolicyThresholds(), "ours-no-talk-rule": PolicyThresholds(talking_room=10**9)}


def person_stops(split: str) -> list[np.ndarray]:
    """The person: real "stop"s of the `split` speakers (held-out: never tuned on)."""
    return [load(c) for c in read_clips() if c.split == split and c.word == "stop"]


def rooms(talkers: str, levels: str) -> list[tuple[str, str]]:
    """Every (talkers, dB under) asked for, or the pairs given as "1:0,3:10" in --talkers."""
    if ":" in talkers:
        return [(p.split(":")[0], p.split(":")[1]) for p in talkers.split(",")]
    return [(t, db) for t in talkers.split(",") for db in levels.split(",")]


def enrolled_speakers(split: str, most: int) -> list[str]:
    """Speakers of `split` who said "stop" at least twice and four other words: the person of a
    room with a voice check, most stops first."""
    said: dict[str, list[str]] = {}
    for clip in read_clips():
        if clip.split == split:
            said.setdefault(clip.speaker, []).append(clip.word)
    fit = [s for s, words in said.items() if words.count("stop") >= 2 and len(words) - words.count("stop") >= 4]
    return sorted(fit, key=lambda s: (-said[s].count("stop"), s))[:most]


def talking_room(
    minutes: float, talkers: int, below_db: float, clips: list[Clip], without: str | None = None
) -> np.ndarray:
    """`minutes` of `talkers` people (tuning speakers other than `without`) saying ordinary words one
    after another, `below_db` under the speech level, over the room's noise floor."""
    voices = [load(c) for c in babble_voices(clips) if c.speaker != without]
    n = int(minutes * 60 * RATE)
    return noise_floor(n, seed=5) + babble(n, voices, seed=11, talkers=talkers) * (LEVEL / 10 ** (below_db / 20))


def hear_the_room(job: tuple[float, int, float, str | None, str | None]) -> dict:
    """`minutes` of `talkers` people talking `below_db` under the speech level, through the
    listener as it ships; with `person` (a split), the person says "stop" every half minute
    among them. With `speaker`, the person is that one speaker (their stops in turn), enrolled on
    up to eight of their other words, and no talker is them. The hearing: when each stop was
    said and each judged utterance's record."""
    minutes, talkers, below_db, person, speaker = job
    clips = read_clips()
    room = talking_room(minutes, talkers, below_db, clips, without=speaker)
    n = len(room)
    said_at: list[float] = []
    if speaker:  # the one person's stops in turn, one every half minute
        own = [load(c) for c in clips if c.speaker == speaker and c.word == "stop"]
        said = [own[k % len(own)] for k in range(int(minutes * 60 / STOP_EVERY))]
    else:
        said = person_stops(person) if person else []
    for k, clip in enumerate(said):
        at = STOP_EVERY * (k + 0.5)
        if (at + 1.0) * RATE > n:
            break
        room[int(at * RATE) : int(at * RATE) + len(clip)] += at_level(clip)
        said_at.append(at)
    listener, judge = listener_for("ours")
    likeness = _voice_check(judge, clips, speaker) if speaker and judge else None
    listener.expect("commands")
    halts = 0
    records: list[list] = []  # each judged utterance: when it was decided, its record (and its voice)
    for index, chunk in enumerate(chunks(room.astype(np.float32))):
        t = (index + 1) * CHUNK / RATE
        last = listener.verdicts[-1] if listener.verdicts else None
        halts += sum(d.value == HALT for d in listener.feed(chunk, t))
        if listener.verdicts and listener.verdicts[-1] is not last:
            voice = [round(likeness[-1], 3)] if likeness else []
            records.append([round(t, 3), asdict(listener.verdicts[-1][0]), *voice])
    return {
        "minutes": minutes,
        "talkers": talkers,
        "below_speech_db": below_db,
        "person": f"{person} {speaker}" if speaker else person,
        "said_at": said_at,
        "halts": halts,
        "utterances_judged": len(judge.heard) if judge else 0,
        "records": records,
    }


def _voice_check(judge: TimedJudge, clips: list, speaker: str) -> list[float]:
    """How like the enrolled speaker's voice each utterance the judge hears is (the cosine of the
    voice encoder's embeddings; enrolled on up to eight of their words other than "stop"), filled
    in as the judge hears: the listener itself has no voice check (docs/BENCHMARKS.md)."""
    encoder = VoiceEncoder()
    takes = [encoder.embed(at_level(load(c))) for c in clips if c.speaker == speaker and c.word != "stop"][:8]
    person = np.mean(takes, axis=0)
    person /= np.linalg.norm(person)
    heard: list[float] = []
    hear = judge.hear

    def hear_and_check(samples: np.ndarray, prompt: str, scored: tuple[str, ...] = ()) -> Transcript:
        heard.append(float(encoder.embed(samples) @ person))
        return hear(samples, prompt, scored)

    judge.hear = hear_and_check  # type: ignore[method-assign]
    return heard


def _voices(room: dict, records: list[tuple[float, Utterance]]) -> dict | None:
    """With the person enrolled: how like their voice their own stops were (the utterances with a
    stop in the judge's words within 3 s of one) and everyone else's utterances."""
    voices = [saved[2] for saved in room["records"] if len(saved) > 2]
    if not voices:
        return None
    near = [any(0 <= t - at <= HEARD_WITHIN for at in room["said_at"]) for t, _ in records]
    own = np.array([v for v, n, (_, u) in zip(voices, near, records) if n and u.stop_in_talk])
    others = np.array([v for v, n in zip(voices, near) if not n])
    return {
        "person": len(own),
        "others": len(others),
        "median": [round(float(np.median(x)), 3) if len(x) else None for x in (own, others)],
        # the share of each below a threshold: (the person's, the others')
        "below": {f"{t:g}": [round(float((x < t).mean()), 3) if len(x) else None for x in (own, others)]
                  for t in (0.6, 0.65, 0.7)},
    }  # fmt: skip


def decided_rows(room: dict) -> list[dict]:
    """One row for each rule set, each deciding the room's saved hearing (the rules are pure)."""
    said_at = room["said_at"]
    records = [(t, heard_again(u)) for t, u, *_ in room["records"]]
    rows = []
    voices = _voices(room, records)
    for rules, thresholds in RULES.items():
        decided = [(t, decide(u, thresholds).value, u.judge_words) for t, u in records]
        acted = [(t, v, words) for t, v, words in decided if v and v != RELEASE]
        others = [a for a in acted if not any(0 <= a[0] - at <= HEARD_WITHIN for at in said_at)]
        stopped = [any(0 <= t - at <= HEARD_WITHIN and v in LEFT_STOPPED for t, v, _ in acted) for at in said_at]
        rows.append(
            {
                **{k: room[k] for k in ("minutes", "talkers", "below_speech_db", "person")},
                "method": rules,
                "stops_said": len(said_at),
                "stops_left_stopped": sum(stopped),
                "utterances_judged": room["utterances_judged"],
                "halts": room["halts"],
                "acted": dict(Counter(v for _, v, _ in others)),
                "acted_per_hour": round(len(others) * 60 / room["minutes"], 1),
                **({"voice": voices} if voices else {}),
                "examples": [[v, round(t, 1), words] for t, v, words in others[:10]],
                # what the judge wrote and the rules decided within 3 s of each of the person's stops
                "stops": [
                    [at, [[v, round(t - at, 2), words] for t, v, words in decided if 0 <= t - at <= HEARD_WITHIN]]
                    for at in said_at
                ],
            }
        )
    return rows


@click.command()
@click.option("--minutes", type=float, default=10.0, show_default=True)
@click.option("--talkers", default="1,3,12", show_default=True, help='or rooms as talkers:dB pairs, "1:0,3:10"')
@click.option("--levels", default="0,10", show_default=True, help="dB under the speech level")
@click.option("--person", default="held-out", show_default=True, help="whose stops: held-out, tune or none")
@click.option("--enrolled", type=int, default=0, help="a room for each of this many enrolled speakers of --person")
@click.option("--jobs", type=int, default=2, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=OUT, show_default=True)
@click.option("--replay", is_flag=True, help="decide the hearings saved beside OUT again with this tree's rules")
def main(
    minutes: float, talkers: str, levels: str, person: str, enrolled: int, jobs: int, out: Path, replay: bool
) -> None:
    heard = out.with_suffix(".hearings.jsonl")  # each room's hearing, saved as it finishes
    rows: list[dict] = []
    if replay:
        for line in heard.read_text(encoding="utf-8").splitlines():
            rows += decided_rows(json.loads(line))
    else:
        speakers: list[str | None] = [*enrolled_speakers(person, enrolled)] if enrolled else [None]
        todo = [
            (minutes, int(t), float(db), None if person == "none" else person, speaker)
            for speaker in speakers
            for t, db in rooms(talkers, levels)
        ]
        heard.write_text("", encoding="utf-8")
        with mp.get_context("spawn").Pool(jobs) as pool:
            for room in pool.imap_unordered(hear_the_room, todo):
                with heard.open("a", encoding="utf-8") as saved:
                    saved.write(json.dumps(room) + "\n")
                rows += decided_rows(room)
                rows.sort(key=lambda r: (r["person"] or "", r["talkers"], r["below_speech_db"], r["method"]))
                out.write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1) + "\n")
    rows.sort(key=lambda r: (r["person"] or "", r["talkers"], r["below_speech_db"], r["method"]))
    if replay:
        out.write_text(json.dumps({"machine": machine(), "rules": "as of this commit", "rows": rows}, indent=1) + "\n")
    print(
        "| talkers | under speech | rules | the person's stops left stopped | halts | acted on the others | acted per hour |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        acted = ", ".join(f"{k} {v}" for k, v in r["acted"].items()) or "none"
        print(
            f"| {r['talkers']} | {r['below_speech_db']:g} dB | {r['method']} | "
            f"{r['stops_left_stopped']}/{r['stops_said']} | {r['halts']} | {acted} | {r['acted_per_hour']} |"
        )


if __name__ == "__main__":
    main()
