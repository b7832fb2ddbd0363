"""What the person can say and press now, in the routine's language (the engine's `Hint` in words)."""

from __future__ import annotations

from voice_rehab.core.events import Hint
from voice_rehab.core.phrases import Phrases

GAP = "    "  # between what one can say and the keys


def hint_text(hint: Hint, phrases: Phrases) -> str:
    """ "say: pause · next · stop · that hurts    keys: space n q h"; an answer's prompt while a
    question waits; the keys alone where nothing said is heard."""
    words = phrases.table["hints"]
    keys = " ".join(words["key_names"].get(k, k) for k in hint.keys)
    if hint.question:
        said = words[hint.question]
        keys_text = words.get(f"{hint.question}_keys", "")
        if not hint.voice and keys_text:
            return str(keys_text)
        return GAP.join(str(part) for part in (said, keys_text) if part)
    parts = []
    if hint.say and hint.voice:
        parts.append(words["say"].format(words=" · ".join(phrases.commands[c.value][0] for c in hint.say)))
    if keys:
        parts.append(words["keys"].format(keys=keys))
    return GAP.join(parts)
