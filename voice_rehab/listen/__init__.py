"""Speech input: audio front end, recognisers, the command listener, microphone and models."""
