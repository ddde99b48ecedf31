"""What the app told the user in toasts: the ones showing now, or every one raised."""

from __future__ import annotations

from textual.app import App


def toasts(app: App) -> list[str]:
    """The messages of the toasts showing now, oldest first."""
    return [str(note.message) for note in app._notifications]


def heard_notifications(app: App) -> list[str]:
    """Every notification the app raises from now on, in order, expired or not.

    A toast leaves `app._notifications` once its timeout has passed on the wall clock, which a long flow on a busy
    machine can outlast; `toasts` reads only the ones still showing.
    """
    heard: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        heard.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return heard
