"""Modal dialogs: each asks one thing or shows one thing, and returns its answer to the caller."""
