"""Pure functions that turn state into the Rich Text the user reads: no widgets, no app."""
