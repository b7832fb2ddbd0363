"""The names of things shipped with the player that the command line shows in its help."""

DEFAULT_ROUTINE = "gentle-mobility"
