"""Large block letters and digits, readable from a mat two metres away.

Digits (the count, the countdown) are five columns wide; letters four (three or five where the
shape needs it), so that an exercise's name, PAUSED and a pain question fit an ordinary terminal.
Text with a character the font does not have (another script, most punctuation) is left as it is.
"""

from __future__ import annotations

_DIGITS = {
    "0": ["█████", "█   █", "█   █", "█   █", "█████"],
    "1": ["  █  ", " ██  ", "  █  ", "  █  ", " ███ "],
    "2": ["█████", "    █", "█████", "█    ", "█████"],
    "3": ["█████", "    █", " ████", "    █", "█████"],
    "4": ["█   █", "█   █", "█████", "    █", "    █"],
    "5": ["█████", "█    ", "█████", "    █", "█████"],
    "6": ["█████", "█    ", "█████", "█   █", "█████"],
    "7": ["█████", "    █", "   █ ", "  █  ", "  █  "],
    "8": ["█████", "█   █", "█████", "█   █", "█████"],
    "9": ["█████", "█   █", "█████", "    █", "█████"],
    ":": ["     ", "  █  ", "     ", "  █  ", "     "],
    "/": ["    █", "   █ ", "  █  ", " █   ", "█    "],
    "?": ["█████", "    █", "  ███", "     ", "  █  "],
    " ": ["     "] * 5,
}
_LETTERS = {
    "A": [" ██ ", "█  █", "████", "█  █", "█  █"],
    "B": ["███ ", "█  █", "███ ", "█  █", "███ "],
    "C": [" ███", "█   ", "█   ", "█   ", " ███"],
    "D": ["███ ", "█  █", "█  █", "█  █", "███ "],
    "E": ["████", "█   ", "███ ", "█   ", "████"],
    "F": ["████", "█   ", "███ ", "█   ", "█   "],
    "G": [" ███", "█   ", "█ ██", "█  █", " ███"],
    "H": ["█  █", "█  █", "████", "█  █", "█  █"],
    "I": ["███", " █ ", " █ ", " █ ", "███"],
    "J": ["  ██", "   █", "   █", "█  █", " ██ "],
    "K": ["█  █", "█ █ ", "██  ", "█ █ ", "█  █"],
    "L": ["█   ", "█   ", "█   ", "█   ", "████"],
    "M": ["█   █", "██ ██", "█ █ █", "█   █", "█   █"],
    "N": ["█  █", "██ █", "█ ██", "█  █", "█  █"],
    "O": [" ██ ", "█  █", "█  █", "█  █", " ██ "],
    "P": ["███ ", "█  █", "███ ", "█   ", "█   "],
    "Q": [" ██ ", "█  █", "█  █", "█ ██", " ███"],
    "R": ["███ ", "█  █", "███ ", "█ █ ", "█  █"],
    "S": [" ███", "█   ", " ██ ", "   █", "███ "],
    "T": ["███", " █ ", " █ ", " █ ", " █ "],
    "U": ["█  █", "█  █", "█  █", "█  █", " ██ "],
    "V": ["█  █", "█  █", "█  █", " ██ ", " ██ "],
    "W": ["█   █", "█   █", "█ █ █", "██ ██", "█   █"],
    "X": ["█  █", "█  █", " ██ ", "█  █", "█  █"],
    "Y": ["█ █", "█ █", " █ ", " █ ", " █ "],
    "Z": ["████", "   █", " ██ ", "█   ", "████"],
    "0": [" ██ ", "█  █", "█  █", "█  █", " ██ "],
    "1": [" █ ", "██ ", " █ ", " █ ", "███"],
    "2": ["███ ", "   █", " ██ ", "█   ", "████"],
    "3": ["███ ", "   █", " ██ ", "   █", "███ "],
    "4": ["█  █", "█  █", "████", "   █", "   █"],
    "5": ["████", "█   ", "███ ", "   █", "███ "],
    "6": [" ██ ", "█   ", "███ ", "█  █", " ██ "],
    "7": ["████", "   █", "  █ ", " █  ", " █  "],
    "8": [" ██ ", "█  █", " ██ ", "█  █", " ██ "],
    "9": [" ██ ", "█  █", " ███", "   █", " ██ "],
    "-": ["   ", "   ", "███", "   ", "   "],
    "'": ["█", "█", " ", " ", " "],
    ".": [" ", " ", " ", " ", "█"],
    ",": [" ", " ", " ", "█", "█"],
    "!": ["█", "█", "█", " ", "█"],
    "?": ["███ ", "   █", " ██ ", "    ", " █  "],
    ":": [" ", "█", " ", "█", " "],
    "/": ["   █", "  █ ", " █  ", "█   ", "    "],
    "(": [" █", "█ ", "█ ", "█ ", " █"],
    ")": ["█ ", " █", " █", " █", "█ "],
}
ROWS = 5


def big(text: str) -> list[str]:
    """Five lines drawing `text` (the count: digits, ':', '/', '?', or a word) in block characters;
    text the font cannot draw is returned as is."""
    if text and all(ch in _DIGITS for ch in text):
        return ["  ".join(_DIGITS[ch][row] for ch in text) for row in range(ROWS)]
    drawn = big_words(text, width=10_000)
    return drawn if len(drawn) == ROWS else [text]


def _word(word: str) -> list[str]:
    return [" ".join(_LETTERS[ch][row] for ch in word) for row in range(ROWS)]


def big_words(text: str, width: int) -> list[str]:
    """`text` in block letters, wrapped on words to `width` columns (five rows a line, a blank row
    between lines); as it is if the font lacks a character or a word is wider than `width`."""
    words = text.upper().split()
    if not words or any(ch not in _LETTERS for w in words for ch in w):
        return [text] if text else []
    drawn = [_word(w) for w in words]
    if any(len(d[0]) > width for d in drawn):
        return [text]
    lines: list[list[str]] = []
    current: list[str] | None = None
    for glyphs in drawn:
        if current is not None and len(current[0]) + 3 + len(glyphs[0]) <= width:
            current = [a + "   " + b for a, b in zip(current, glyphs)]
            lines[-1] = current
        else:
            current = glyphs
            lines.append(current)
    out: list[str] = []
    for k, line in enumerate(lines):
        out += ([""] if k else []) + line
    return out
