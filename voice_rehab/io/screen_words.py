"""The screen's words, in the routine's language: the engine's `View` (data) as the lines a
person reads (the exercise, its set and side, the large count or "paused", what is next)."""

from __future__ import annotations

from dataclasses import dataclass

from voice_rehab.core.events import View
from voice_rehab.core.phrases import Phrases


@dataclass(frozen=True)
class ScreenWords:
    heading: str  # the exercise, "Rest · next: ...", "Done", or the routine's title
    detail: str  # "Set 1 of 2 · left side"
    large: str  # the count, or "PAUSED"
    next_up: str  # "Next: Hip hinge"


def screen_words(view: View, phrases: Phrases) -> ScreenWords:
    words = phrases.table["screen"]
    if view.resting and view.coming_up:
        heading = words["rest_next"].format(name=view.coming_up)
    elif view.exercise:
        heading = view.exercise
    else:
        heading = words["done"] if view.state == "finished" else view.title
    details = []
    if view.sets > 1 and view.set_no:
        details.append(words["set_of"].format(set=view.set_no, sets=view.sets))
    if view.side:
        details.append(words["side"][view.side])
    large = words["paused"] if view.state == "paused" and not view.count else view.count
    next_up = words["next"].format(name=view.coming_up) if view.coming_up else ""
    return ScreenWords(heading, " · ".join(details), large, next_up)
