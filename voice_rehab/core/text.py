"""Text from files people share, made safe to print."""

from __future__ import annotations

import re

# Control characters (escape sequences among them) would reach the terminal raw and could retitle
# or clear it; tabs and newlines are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters."""
    return _CONTROL.sub("", text)
