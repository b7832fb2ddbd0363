"""Speech output (pyttsx3 synthesis, playback, rendering) and, later, speech input."""
