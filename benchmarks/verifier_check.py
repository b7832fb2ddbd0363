"""What a verifier head lets act, counted on isolated utterances of voices it never learnt.

The listener asks the verifier only about what its grammar heard as a command, so each utterance
is judged as the grammar could have heard it: a command as itself, and anything that is no command
both as a safety command (it acts unless the head is all but sure nothing halting was said; a
"that hurts" it doubts still halts, as `DOUBTED_HURTS`, but is counted here as doubted) and as
each of the other commands. This bounds what the head can do in the stream benchmark: recall there
is at most this, false triggers at most this. What the head would decide *alone* (where the grammar
made no command of the utterance, or the wrong one) is counted at several thresholds, for a
command other than a safety one: its misheard utterances recovered, and distractors acting.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from voice_rehab.listen.grammar import SAFETY
from voice_rehab.listen.verifier import DOUBTED_HURTS, OTHER, Thresholds, alone, halting, judged

HALT = "pause"  # any safety command: `judged` lets each act on the same sum ("hurts" would only be doubted)
# where a doubted "that hurts" could be dropped: from the safety threshold itself down to never
FLOORS = (0.05, 0.02, 0.01, 0.005, 0.001, 0.0)
# where a command other than a safety one could act on the head alone (0.8 was the first choice)
ALONE = (0.3, 0.4, 0.5, 0.65, 0.8)


@dataclass
class HeadTally:
    """Counts for one head in one condition."""

    counts: Counter = field(default_factory=Counter)

    def add(
        self,
        kind: str,
        command: str | None,
        posteriors: dict[str, float],
        thresholds: Thresholds = Thresholds(),  # noqa: B008 (frozen: shared safely)
    ) -> None:
        """One utterance: `kind` "command" (said `command`) or a distractor class ("cue", ...)."""
        c = self.counts
        halts = halting(posteriors)
        for floor in FLOORS:  # heard as "that hurts": dropped below the floor (a real one), else it halts
            if command == "hurts":
                c[f"hurts dropped at {floor}"] += halts < floor
            elif command is None:
                c[f"{kind} halts at {floor}"] += halts >= floor
        for sure in ALONE:  # decided alone as a command other than a safety one
            best = alone(posteriors, Thresholds(alone=sure, alone_hurts=1.0))
            if command is None:
                c[f"{kind} alone at {sure}"] += best is not None and best not in SAFETY
            elif command not in SAFETY:
                c[f"other alone at {sure}"] += best == command
        if command in SAFETY:
            c["halt said"] += 1
            c["hurts said"] += command == "hurts"
            c["halt acts"] += judged(posteriors, command, thresholds) not in (None, DOUBTED_HURTS)
            c["halt as itself"] += max(posteriors, key=posteriors.__getitem__) == command
        elif command is not None:
            c["other said"] += 1
            c["other acts"] += judged(posteriors, command, thresholds) == command
        else:
            c[f"{kind} said"] += 1
            c[f"{kind} as halt"] += judged(posteriors, HALT, thresholds) is not None
            others = (m for m in posteriors if m not in SAFETY and m != OTHER)
            c[f"{kind} as other"] += any(judged(posteriors, m, thresholds) == m for m in others)


def table_row(name: str, condition: str, row: dict[str, int], kinds: tuple[str, ...]) -> str:
    """A Markdown row: halts acting, as themselves, other commands acting, and per distractor
    class how many would act as a halt + as another command."""

    def frac(a: str, b: str) -> str:
        return f"{row.get(a, 0)}/{row.get(b, 0)}"

    cells = [
        name,
        condition,
        frac("halt acts", "halt said"),
        frac("halt as itself", "halt said"),
        frac("other acts", "other said"),
    ]
    cells += [
        f"{row.get(f'{k} as halt', 0)} + {row.get(f'{k} as other', 0)} / {row.get(f'{k} said', 0)}" for k in kinds
    ]
    return "| " + " | ".join(cells) + " |"


def floors_row(name: str, row: dict[str, int], kinds: tuple[str, ...]) -> str:
    """A Markdown row: per floor, "that hurts" dropped / said, and distractors that would halt / said."""
    said = sum(row.get(f"{k} said", 0) for k in kinds)
    hurts = row.get("hurts said", 0)
    cells = [
        f"{row.get(f'hurts dropped at {f}', 0)}/{hurts}; {sum(row.get(f'{k} halts at {f}', 0) for k in kinds)}/{said}"
        for f in FLOORS
    ]
    return "| " + " | ".join([name, *cells]) + " |"


def alone_row(name: str, row: dict[str, int], kinds: tuple[str, ...]) -> str:
    """A Markdown row: per threshold of the head alone, commands other than safety ones it decides
    as themselves / said, and distractors it decides as one / said."""
    said = sum(row.get(f"{k} said", 0) for k in kinds)
    cells = [
        f"{row.get(f'other alone at {a}', 0)}/{row.get('other said', 0)}; "
        f"{sum(row.get(f'{k} alone at {a}', 0) for k in kinds)}/{said}"
        for a in ALONE
    ]
    return "| " + " | ".join([name, *cells]) + " |"
