"""Speech as data: plans, the utterance manager and engine drivers (no Textual here)."""
