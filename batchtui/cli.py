"""Command line: flags, environment and the config file → Settings → the App (or the demo)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from batchtui import __version__
from batchtui.config import MAX_PAGE_SIZE, MIN_PAGE_SIZE, ConfigError, Settings
from batchtui.config_file import (
    Flags,
    check_keymap,
    demo_settings,
    load_config,
    missing_key_message,
    settings_for,
)

EXIT_USAGE = 2
MAX_QUOTED = 40  # characters of a bad flag value quoted back in a message

DESCRIPTION = """\
A keyboard-first terminal dashboard for the OpenAI Batch API and the servers
that speak it (Azure OpenAI, OpenAI-compatible gateways).

Reads OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID and OPENAI_PROJECT_ID like
the official SDK; for Azure, AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and
OPENAI_API_VERSION. Flags override the environment, which overrides the
config file ($XDG_CONFIG_HOME/batchtui/config.toml, ~/.config/batchtui/config.toml
by default): its profiles, refresh, page_size, theme, notify, read_only,
[keymap] and [stuck]. Try it without a key: batchtui --demo
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own wording, minus the usage block that buries the one line that matters.
        self.exit(EXIT_USAGE, f"batchtui: {one_line(message)}\nTry 'batchtui --help'.\n")


def one_line(text: str) -> str:
    """Text quoted from the user on one printable line: line breaks and undecodable bytes as escapes."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _quoted(text: str) -> str:
    return repr(text if len(text) <= MAX_QUOTED else f"{text[:MAX_QUOTED]}…")


def _page_size(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        digits = text.strip().lstrip("+-")
        if digits.isdecimal():
            # Python refuses to parse more than 4300 digits; such a number is out of range anyway.
            raise argparse.ArgumentTypeError(
                f"--page-size must be between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE}, not a number of {len(digits)} digits"
            ) from None
        raise argparse.ArgumentTypeError(f"--page-size needs a whole number, not {_quoted(text)}") from None


def _refresh(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--refresh needs a number, not {_quoted(text)}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="batchtui",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"batchtui {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="run against a simulated Batch API on this machine; no key needed"
    )
    parser.add_argument(
        "--faults",
        action="store_true",
        help="with --demo: the simulator injects rate limits, errors and slow or garbled answers",
    )
    parser.add_argument(
        "--hostile",
        action="store_true",
        help="with --demo: add batches with hostile and odd data (markup, control characters, unknown statuses)",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="read settings and profiles from this TOML file (default: $XDG_CONFIG_HOME/batchtui/config.toml)",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="use this profile of the config file (default: its default_profile)"
    )
    parser.add_argument(
        "--base-url", metavar="URL", help="API base URL (default: $OPENAI_BASE_URL or https://api.openai.com/v1)"
    )
    parser.add_argument(
        "--org", metavar="ID", help="organization id, sent as OpenAI-Organization (default: $OPENAI_ORG_ID)"
    )
    parser.add_argument(
        "--project", metavar="ID", help="project id, sent as OpenAI-Project (default: $OPENAI_PROJECT_ID)"
    )
    parser.add_argument(
        "--azure",
        action="store_true",
        help="talk to Azure OpenAI: api-key header, $AZURE_OPENAI_API_KEY and $AZURE_OPENAI_ENDPOINT",
    )
    parser.add_argument(
        "--azure-endpoint",
        metavar="URL",
        help="Azure resource URL, e.g. https://NAME.openai.azure.com (implies --azure)",
    )
    parser.add_argument(
        "--api-version",
        metavar="VERSION",
        help="Azure api-version query parameter for the older dated API (default: $OPENAI_API_VERSION)",
    )
    parser.add_argument(
        "--refresh",
        type=_refresh,
        metavar="SECONDS",
        help="seconds between automatic refreshes, 1-3600 (default: refresh in the config file, or 5)",
    )
    parser.add_argument(
        "--page-size",
        type=_page_size,
        metavar="N",
        help="batches per page, 1-100 (default: page_size in the config file, or 20)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="cancel nothing and create nothing: batchtui sends no request that changes the account",
    )
    parser.add_argument(
        "--no-notify",
        action="store_true",
        help="no toast, bell or desktop notification when a watched batch ends",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="keep no local index of batches (search needs it; by default it lives in the cache folder)",
    )
    return parser


def parse_settings(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    *,
    known_binding_ids: Callable[[], Collection[str]] | None = None,
) -> Settings:
    """The settings to run with. known_binding_ids, called only when the file has a [keymap], checks its ids."""
    if (args.faults or args.hostile) and not args.demo:
        raise ConfigError("--faults and --hostile only apply to the simulated API: add --demo.")
    if args.demo and args.profile is not None:
        raise ConfigError("--profile chooses a real account and --demo a simulated one: drop one of them.")
    explicit = args.config is not None
    config = load_config(Path(args.config).expanduser() if explicit else None, explicit=explicit)
    if config is not None and config.keymap and known_binding_ids is not None:
        check_keymap(config, known_binding_ids())
    flags = Flags(
        base_url=args.base_url,
        organization=args.org,
        project=args.project,
        azure=args.azure,
        azure_endpoint=args.azure_endpoint,
        api_version=args.api_version,
        refresh_seconds=args.refresh,
        page_size=args.page_size,
        read_only=args.read_only,
        notify=not args.no_notify,
        index=not args.no_cache,
    )
    if args.demo:
        # The file's look and behaviour, none of its accounts: the demo never reads a real key.
        return demo_settings(config, flags)
    settings = settings_for(config, args.profile, environ, flags)
    if not settings.api_key:
        raise ConfigError(missing_key_message(settings))
    return settings


def binding_ids() -> frozenset[str]:
    """Every binding id a [keymap] may name: the app's, its screens' and the batch table's."""
    from batchtui.ui.app import BatchApp
    from batchtui.ui.keys import bindings_of
    from batchtui.ui.screens.batches import BatchesScreen
    from batchtui.ui.screens.create_batch import CreateBatchScreen
    from batchtui.ui.screens.recovery import RecoveryScreen
    from batchtui.ui.screens.results import ResultsScreen
    from batchtui.ui.widgets.batch_table import BatchTable

    owners = (BatchApp, BatchesScreen, CreateBatchScreen, ResultsScreen, RecoveryScreen, BatchTable)
    return frozenset(binding.id for owner in owners for binding in bindings_of(owner.BINDINGS) if binding.id)


def terminal_problem(keys: TextIO | None, screen: TextIO | None) -> str | None:
    """Why batchtui cannot run here, or None. Textual reads keys from stdin and draws on stderr."""
    # With keys from a pipe or a file, Textual's input thread spins on end-of-file at 100% of a core
    # and nothing can quit the app (Textualize/textual#6690).
    if keys is None or not keys.isatty():
        return "needs a terminal to read keys from, but its input is redirected (from a pipe or a file)."
    if screen is None or not screen.isatty():
        return "needs a terminal to draw on, but standard error is redirected; run it without 2>."
    return None


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = parse_settings(args, os.environ if environ is None else environ, known_binding_ids=binding_ids)
    except ConfigError as error:
        print(f"batchtui: {one_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    problem = terminal_problem(sys.stdin, sys.__stderr__)
    if problem:
        # With standard error redirected, the only place left that the user may see is standard output.
        visible = sys.stderr if sys.__stderr__ is not None and sys.__stderr__.isatty() else sys.stdout
        print(f"batchtui: {problem}", file=visible)
        return EXIT_USAGE
    if args.demo:
        from batchtui.demo import run_demo

        return run_demo(settings, faults=args.faults, hostile=args.hostile)
    from batchtui.ui.app import BatchApp

    return BatchApp(settings).run_in_terminal()
