"""The selected batch in the OpenAI web dashboard: only the OpenAI platform has one."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from rich.text import Text
from textual.content import Content

from batchtui.ui.formatting import clean

OPENAI_HOST = "api.openai.com"


def dashboard_url(batch_id: str) -> str:
    return f"https://platform.openai.com/batches/{quote(batch_id, safe='')}"


def host_problem(base_url: str) -> str | None:
    """Why this server has no web dashboard, or None for the OpenAI platform."""
    host = urlsplit(base_url).hostname or "?"
    if host == OPENAI_HOST:
        return None
    return f"The web dashboard is only for {OPENAI_HOST}; this is {clean(host)}."


def opened_markup(url: str) -> str:
    """ "Opened <url>" as a link the terminal can follow (OSC 8): Content markup made from Text, so nothing
    in it is read as markup."""
    message = Text("Opened ")
    message.append(url, style=f"link {url}")
    return Content.from_rich_text(message).markup
