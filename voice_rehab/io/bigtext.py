"""Large block digits for the countdown, readable from a mat two metres away."""

from __future__ import annotations

_FONT = {
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


def big(text: str) -> list[str]:
    """Five lines drawing `text` in block characters; None-drawable text is returned as is."""
    if not text or any(ch not in _FONT for ch in text):
        return [text]
    return ["  ".join(_FONT[ch][row] for ch in text) for row in range(5)]
