"""The keys actually bound: a user keymap (binding id -> keys) applied to our bindings, for help and hints.

Textual applies a keymap to the live bindings itself, so the footer follows it; the help screen lists
screens that are not open and the texts name keys in words, so both ask here instead.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class KeyGroup:
    """One section of the help screen: a screen's title and the keys bound there."""

    title: str
    rows: tuple[tuple[str, str], ...]


def bindings_of(bindings: Iterable[BindingType]) -> list[Binding]:
    return [binding for binding in bindings if isinstance(binding, Binding)]


def bound_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The comma-separated keys this binding answers to, the keymap's if it names the binding."""
    return keymap.get(binding.id, binding.key) if binding.id else binding.key


def key_label(app: App[object], binding: Binding, keymap: Mapping[str, str]) -> str:
    """How the keys of a binding are written for a person: `?`, `^s`, `y enter`."""
    keys = bound_keys(binding, keymap)
    if binding.key_display and keys == binding.key:
        return binding.key_display
    return " ".join(app.get_key_display(Binding(key.strip(), "")) for key in keys.split(","))


def key_names(app: App[object], bindings: Iterable[BindingType], keymap: Mapping[str, str]) -> dict[str, str]:
    """Binding id -> the first key it answers to, as written in hints ("press r")."""
    names = {}
    for binding in bindings_of(bindings):
        if binding.id:
            first = bound_keys(binding, keymap).split(",")[0].strip()
            names[binding.id] = app.get_key_display(Binding(first, "", key_display=_display(binding, first)))
    return names


def _display(binding: Binding, key: str) -> str | None:
    return binding.key_display if key == binding.key else None


def with_fallbacks(keymap: Mapping[str, str], fallbacks: Mapping[str, str]) -> dict[str, str]:
    """Bind each fallback ("why is this dimmed") to whatever key its primary binding has moved to."""
    extended = dict(keymap)
    for fallback, primary in fallbacks.items():
        if primary in keymap and fallback not in keymap:
            extended[fallback] = keymap[primary]
    return extended


def key_group(
    app: App[object],
    title: str,
    bindings: Iterable[BindingType],
    keymap: Mapping[str, str],
    *,
    extra: Iterable[tuple[str, str]] = (),
    also: Collection[str] = (),
) -> KeyGroup:
    """`also`: ids of bindings kept out of the footer that help should list all the same."""
    rows = [*extra]
    rows += [
        (key_label(app, binding, keymap), binding.tooltip or binding.description)
        for binding in bindings_of(bindings)
        if binding.show or binding.id in also
    ]
    return KeyGroup(title, tuple(rows))
