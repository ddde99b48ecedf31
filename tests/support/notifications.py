"""What the app told the user in toasts: the ones showing now, or every one raised."""

from __future__ import annotations

from textual.app import App
from textual.notifications import Notification


def notifications(app: App) -> list[Notification]:
    """The notifications showing now, oldest first.

    Textual keeps them in the private `App._notifications` and has no public way to read them; this is the one
    place the tests do (tests/framework/test_textual_internals.py guards it).
    """
    return list(app._notifications)


def toasts(app: App) -> list[str]:
    """The messages of the toasts showing now, oldest first."""
    return [str(note.message) for note in notifications(app)]


def heard_notifications(app: App) -> list[str]:
    """Every notification the app raises from now on, in order, expired or not.

    A toast leaves the notifications showing once its timeout has passed on the wall clock, which a long flow on a
    busy machine can outlast; `toasts` reads only the ones still showing.
    """
    heard: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        heard.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return heard
