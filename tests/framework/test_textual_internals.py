"""Guards for the private parts of Textual the UI touches, each failing with the upstream issue and what to re-check.

An upgrade that renames or changes one of them would otherwise fail quietly: a leak, a slow cursor, a column that
keeps its old width. Run this file first whenever the textual pin in pyproject.toml moves (docs/architecture.md).
The cursor-row highlight itself is checked by
tests/ui/test_batches_screen.py::test_only_the_cursor_row_is_highlighted_after_moves_and_scrolling.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import tomllib
from collections import Counter
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Label

from batchtui.api.models import Batch
from batchtui.ui.widgets.batch_table import RENDER_CACHE_SIZES, BatchTable
from batchtui.ui.widgets.lean_footer import LeanFooter
from tests.support.batches import NOW, numbered_batch

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
TEXTUAL = version("textual")
NO_ISSUE = "no upstream issue found"
ROW_RENDER = "BatchTable._render_line_in_row (DataTable keys row renders on the cursor; " + NO_ISSUE + ")"
FOOTER_LEAK = "LeanFooter.recompose (textual#6666: watchers of removed widgets stay on the watched one)"
# What BatchTable._render_line_in_row overrides and passes on, in DataTable's order (its caller passes keywords).
RENDER_LINE_IN_ROW = [
    ("self", inspect.Parameter.empty),
    ("row_key", "RowKey"),
    ("line_no", "int"),
    ("base_style", "Style"),
    ("cursor_location", "Coordinate"),
    ("hover_location", "Coordinate"),
]


def test_the_installed_textual_is_within_the_pin():
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    pin = next(Requirement(line) for line in dependencies if Requirement(line).name == "textual")
    assert pin.specifier.contains(TEXTUAL), (
        f"textual {TEXTUAL} is installed but pyproject pins {pin.specifier}: the guards in this file were checked "
        "against the pin, so run them against the new version before moving it"
    )


# DataTable's render caches


def test_datatable_render_caches_are_lru_caches_batch_table_can_bound():
    stock, table = DataTable(), BatchTable()
    for name, size in RENDER_CACHE_SIZES.items():
        cache = getattr(stock, name, None)
        assert isinstance(cache, LRUCache) and isinstance(cache.maxsize, int), (
            f"DataTable.{name} is gone or no longer an LRUCache with a maxsize in textual {TEXTUAL} ({NO_ISSUE}): "
            "BatchTable bounds it so refreshes do not keep ~10 MB of stale renders. Find where DataTable keeps "
            "those renders now and bound that (RENDER_CACHE_SIZES), or delete the sizing if they are bounded upstream"
        )
        bounded = getattr(table, name)
        for key in range(size + 10):
            bounded[key] = key
        assert bounded.maxsize == size and len(bounded) == size, (
            f"BatchTable's {name} holds {len(bounded)} entries, not the {size} its maxsize allows, in textual "
            f"{TEXTUAL} ({NO_ISSUE}): LRUCache no longer evicts by the maxsize we set; re-check textual.cache.LRUCache"
        )


# BatchTable._render_line_in_row: rows away from the cursor share one render


def test_render_line_in_row_still_takes_what_batch_table_passes_on():
    stock = inspect.signature(DataTable._render_line_in_row)
    assert [(name, parameter.annotation) for name, parameter in stock.parameters.items()] == RENDER_LINE_IN_ROW, (
        f"DataTable._render_line_in_row{stock} in textual {TEXTUAL} is not what {ROW_RENDER} overrides: match "
        "the override to it, then re-run this file and "
        "tests/ui/test_batches_screen.py::test_only_the_cursor_row_is_highlighted_after_moves_and_scrolling"
    )
    ours = inspect.signature(BatchTable._render_line_in_row)
    assert list(ours.parameters) == [name for name, _ in RENDER_LINE_IN_ROW], f"BatchTable's override takes {ours}"


class TableApp(App):
    def __init__(self, table: DataTable) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def fill(table: DataTable) -> None:
    if isinstance(table, BatchTable):
        table.show_batches([Batch.model_validate(numbered_batch(index)) for index in range(40)], NOW)
    else:
        table.add_columns("id", "status")
        for index in range(40):
            table.add_row(f"batch_{index:04d}", "in_progress", key=f"batch_{index:04d}")


async def rows_rendered_by_a_cursor_move(table: DataTable) -> int:
    """Row renders made when the cursor moves one row and the whole table is painted again, as when it scrolls."""
    async with TableApp(table).run_test(size=(150, 30)) as pilot:
        fill(table)
        await pilot.pause()
        table.refresh()  # every row drawn as things stand, so only the move can make new renders
        await pilot.pause()
        before = set(table._row_render_cache.keys())
        await pilot.press("down")
        table.refresh()
        await pilot.pause()
        assert table.cursor_row == 1
        return len(table._row_render_cache.keys() - before)


async def test_a_cursor_move_renders_only_the_two_rows_whose_highlight_changed():
    rendered = await rows_rendered_by_a_cursor_move(BatchTable())
    assert rendered == 2, (
        f"a cursor move made BatchTable render {rendered} rows again, not the 2 it left and entered, in textual "
        f"{TEXTUAL}: DataTable no longer caches row renders where {ROW_RENDER} shares them "
        "(_row_render_cache, keyed in _render_line_in_row); find the new cache key and re-check the key-latency bench"
    )


async def test_a_stock_datatable_still_renders_every_row_after_a_cursor_move():
    # The day this fails, DataTable stopped keying row renders on the cursor and the override can go.
    rendered = await rows_rendered_by_a_cursor_move(DataTable(cursor_type="row"))
    assert rendered > 2, (
        f"a stock DataTable rendered only {rendered} rows after a cursor move in textual {TEXTUAL}: it no longer "
        f"keys row renders on the cursor, so delete {ROW_RENDER}, NO_ROW and these two tests"
    )


async def test_row_locations_still_map_row_keys_to_their_index():
    table = BatchTable()
    async with TableApp(table).run_test(size=(150, 30)) as pilot:
        fill(table)
        await pilot.pause()
        table.sort("id", key=lambda cell: -cell.position)
        await pilot.pause()
        locations = table._row_locations
        for row_key in table.rows:
            shown_at = 39 - int(row_key.value.removeprefix("batch_"))  # sorted last to first
            assert row_key in locations and locations.get(row_key) == shown_at, (
                f"DataTable._row_locations does not map {row_key.value!r} to the row it is shown on in textual "
                f"{TEXTUAL}: {ROW_RENDER} reads it to tell the cursor's row from the others; find where DataTable "
                "keeps row order now"
            )
        assert table._header_row_key not in locations, (
            f"the header is in DataTable._row_locations in textual {TEXTUAL}: {ROW_RENDER} counts a key it cannot "
            "find as the header (-1); re-check how the header's row index is told apart"
        )


# BatchTable.on_resize: the metadata column takes the width the others leave


async def test_a_new_column_width_reaches_the_table_through_require_update_dimensions():
    assert DataTable()._require_update_dimensions is False, (
        f"DataTable._require_update_dimensions is gone in textual {TEXTUAL} ({NO_ISSUE}): BatchTable.on_resize "
        "sets it after changing Column.width; find what makes DataTable measure its columns again now"
    )
    table = BatchTable()
    async with TableApp(table).run_test(size=(150, 30)) as pilot:
        fill(table)
        for width in (150, 190):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            content = sum(column.get_render_width(table) for column in table.columns.values())
            assert table.virtual_size.width == content <= table.scrollable_content_region.width, (
                f"at {width} columns the table is {table.virtual_size.width} wide but its columns take {content} in "
                f"textual {TEXTUAL} ({NO_ISSUE}): setting _require_update_dimensions no longer makes DataTable "
                "measure a new Column.width; find what does (BatchTable.on_resize)"
            )


# LeanFooter: prunes the `compact` watchers Footer's removed keys leave behind


class FooterApp(App):
    BINDINGS = [Binding("a", "first", "First"), Binding("b", "second", "Second"), Binding("c", "third", "Third")]
    ENABLE_COMMAND_PALETTE = False  # three keys, no palette hint beside them

    def __init__(self, footer: Footer) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield Label("keys below")
        yield self.footer

    # Flipped before each refresh, so every refresh changes a key (LeanFooter skips one that changes nothing).
    third_enabled = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "third" and not self.third_enabled else True

    def action_first(self) -> None: ...

    def action_second(self) -> None: ...

    def action_third(self) -> None: ...


async def compact_watchers_after_binding_refreshes(footer: Footer, refreshes: int = 20) -> tuple[list, int]:
    """Footer's `compact` watchers after many binding refreshes, and how many keys it shows."""
    app = FooterApp(footer)
    async with app.run_test() as pilot:
        await pilot.pause()
        for _ in range(refreshes):
            app.third_enabled = not app.third_enabled
            footer.screen.refresh_bindings()
            await pilot.pause()
        watchers = getattr(footer, "__watchers", None)
        assert isinstance(watchers, dict) and isinstance(watchers.get("compact"), list), (
            f"Footer keeps no `__watchers` dict with a `compact` list in textual {TEXTUAL}: {FOOTER_LEAK} prunes "
            "there and now silently prunes nothing. If #6666 is fixed, delete the override; if not, prune where "
            "Textual keeps watchers now (textual.reactive._watch)"
        )
        return list(watchers["compact"]), len(footer.query("FooterKey"))


async def test_the_lean_footer_keeps_one_compact_watcher_per_key_shown():
    watchers, keys = await compact_watchers_after_binding_refreshes(LeanFooter())
    assert keys == 3 and all(isinstance(entry, tuple) and len(entry) == 2 for entry in watchers), watchers
    assert len(watchers) == keys, (
        f"after 20 binding refreshes the footer holds {len(watchers)} `compact` watchers for {keys} keys in textual "
        f"{TEXTUAL}: {FOOTER_LEAK} no longer prunes the removed keys' (node, callback) entries"
    )


async def test_a_stock_footer_still_keeps_the_watchers_of_removed_keys():
    # The day this fails, textual#6666 shipped and LeanFooter.recompose can go.
    watchers, keys = await compact_watchers_after_binding_refreshes(Footer())
    assert len(watchers) > keys, (
        f"a stock Footer holds {len(watchers)} `compact` watchers for {keys} keys after 20 binding refreshes in "
        f"textual {TEXTUAL}: textual#6666 looks fixed, so delete {FOOTER_LEAK} and these footer tests"
    )


# LeanFooter.compose: each key given `-compact` before it is mounted, so its compact watcher restyles nothing

FOOTER_COMPACT = (
    "LeanFooter.compose (FooterKey gets its compact class only from a watcher after mounting; " + NO_ISSUE + ")"
)


async def key_stylings(footer: Footer, monkeypatch: pytest.MonkeyPatch) -> tuple[list[set[str]], list[int]]:
    """The classes of each key a footer shows, and how often the stylesheet styled each while it came up."""
    from textual.css.stylesheet import Stylesheet
    from textual.widgets._footer import FooterKey

    apply, styled = Stylesheet.apply, Counter[int]()

    def counting(self: Stylesheet, node: object, *args: object, **kwargs: object) -> object:
        if isinstance(node, FooterKey):
            styled[id(node)] += 1
        return apply(self, node, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Stylesheet, "apply", counting)
    app = FooterApp(footer)
    async with app.run_test() as pilot:
        await pilot.pause()
        keys = list(footer.query(FooterKey))
        return [set(key.classes) for key in keys], [styled[id(key)] for key in keys]


async def test_compact_keys_carry_the_stock_footers_classes_and_are_styled_once(monkeypatch):
    stock_classes, stock_styled = await key_stylings(Footer(compact=True), monkeypatch)
    lean_classes, lean_styled = await key_stylings(LeanFooter(), monkeypatch)
    assert lean_classes == stock_classes and all("-compact" in classes for classes in stock_classes), (
        f"a compact Footer's keys carry {stock_classes} in textual {TEXTUAL}, LeanFooter's {lean_classes}: "
        f"{FOOTER_COMPACT} adds `-compact` itself; give the keys the class FooterKey's compact watcher gives now"
    )
    assert lean_styled == [1, 1, 1], (
        f"LeanFooter's keys were styled {lean_styled} times each in textual {TEXTUAL}: {FOOTER_COMPACT} no "
        "longer spares the second styling"
    )
    # The day this fails, FooterKey comes up compact by itself and the class added in LeanFooter.compose can go.
    assert stock_styled == [2, 2, 2], stock_styled


# App._driver.write: the terminal notification when a batch finishes (BatchesScreen._write_to_terminal)

TERMINAL_WRITE = (
    "BatchesScreen._write_to_terminal (Textual has no public way to write an escape sequence to the terminal; "
    "App.bell() is silent when headless; " + NO_ISSUE + ")"
)


async def test_the_app_still_writes_escape_sequences_through_its_driver():
    from textual.driver import Driver

    assert callable(getattr(Driver, "write", None)), (
        f"textual {TEXTUAL}'s Driver has no write(): {TERMINAL_WRITE} can no longer send OSC 777/9 or the bell; "
        "find how App.copy_to_clipboard writes OSC 52 now and do the same"
    )
    app = App()
    async with app.run_test() as pilot:
        driver = getattr(app, "_driver", None)
        assert isinstance(driver, Driver), (
            f"App._driver is gone or not a Driver in textual {TEXTUAL}: {TERMINAL_WRITE} silently writes nothing; "
            "look where App.copy_to_clipboard and App.bell write now"
        )
        written: list[str] = []
        driver.write = written.append
        app.copy_to_clipboard("x")
        await pilot.pause()
        assert written == ["\x1b]52;c;eA==\a"], (
            f"App.copy_to_clipboard no longer writes through App._driver.write in textual {TEXTUAL}: "
            f"{TERMINAL_WRITE} may write where nothing reads it; re-check how the App reaches the terminal"
        )


# BatchTable._render_cell: a cell's render reused while its value is the same object

CELL_RENDER = (
    "BatchTable._render_cell (DataTable keys every cell render on one table-wide update count; " + NO_ISSUE + ")"
)


def test_render_cell_still_takes_what_batch_table_passes_on():
    stock = list(inspect.signature(DataTable._render_cell).parameters)
    assert stock == ["self", "row_index", "column_index", "base_style", "width", "cursor", "hover"], (
        f"DataTable._render_cell{inspect.signature(DataTable._render_cell)} in textual {TEXTUAL} is not what "
        f"{CELL_RENDER} overrides: match the new signature or delete the override"
    )


@contextlib.contextmanager
def calls_to(method: str) -> Iterator[list[int]]:
    """Counts the calls to one of DataTable's methods while the block runs (the count in a one-item list)."""
    calls = [0]
    original = getattr(DataTable, method)

    def counting(self, *args, **kwargs):
        calls[0] += 1
        return original(self, *args, **kwargs)

    setattr(DataTable, method, counting)
    try:
        yield calls
    finally:
        setattr(DataTable, method, original)


async def calls_after_one_cell_changes(table: DataTable, method: str) -> tuple[int, list[str]]:
    """Calls to DataTable.`method` made when one cell of a 40-row table changes and the table is painted
    again, and the lines painted."""
    async with TableApp(table).run_test(size=(150, 30)) as pilot:
        fill(table)
        await pilot.pause()
        with calls_to(method) as calls:
            table.update_cell_at(Coordinate(3, 1), "changed")
            table.refresh()
            await pilot.pause()
        return calls[0], [strip.text for strip in table.render_lines(table.size.region)]


async def test_one_changed_cell_is_the_only_cell_batch_table_renders_again():
    table = BatchTable()
    rendered, _ = await calls_after_one_cell_changes(table, "_render_cell")
    assert rendered <= len(table.columns) + 1, (  # the header row (never kept) and the changed cell
        f"one changed cell made BatchTable render {rendered} cells again in textual {TEXTUAL}: {CELL_RENDER} no "
        "longer reuses the others; check how DataTable._render_cell is called and re-check the idle bench"
    )


async def test_a_stock_datatable_still_renders_every_cell_after_one_changes():
    # The day this fails, DataTable keys cell renders per cell and the override can go.
    rendered, _ = await calls_after_one_cell_changes(DataTable(cursor_type="row"), "_render_cell")
    assert rendered > 10, (
        f"a stock DataTable rendered only {rendered} cells after one changed in textual {TEXTUAL}: it no longer "
        f"keys every cell on the update count, so delete {CELL_RENDER} and these tests"
    )


# BatchTable._render_line: a line reused while its row holds the same values

LINE_RENDER = (
    "BatchTable._render_line (DataTable keys every line render on one table-wide update count; " + NO_ISSUE + ")"
)


def test_render_line_still_takes_what_batch_table_passes_on():
    stock = list(inspect.signature(DataTable._render_line).parameters)
    assert stock == ["self", "y", "x1", "x2", "base_style"], (
        f"DataTable._render_line{inspect.signature(DataTable._render_line)} in textual {TEXTUAL} is not what "
        f"{LINE_RENDER} overrides: match the new signature or delete the override"
    )


async def test_get_offsets_still_tells_the_header_rows_and_the_end_apart():
    table = BatchTable()
    async with TableApp(table).run_test(size=(150, 30)) as pilot:
        fill(table)
        await pilot.pause()
        header, _ = table._get_offsets(0)
        first, line = table._get_offsets(table.header_height)
        assert header not in table._row_locations and (first, line) == (table.coordinate_to_cell_key((0, 0))[0], 0), (
            f"DataTable._get_offsets no longer maps a line to (row key, line in row) in textual {TEXTUAL}: "
            f"{LINE_RENDER} reads it to find the row a line belongs to; find how DataTable does that now"
        )
        try:
            table._get_offsets(table.header_height + table.row_count + 1)
        except LookupError:
            pass
        else:
            raise AssertionError(
                f"DataTable._get_offsets no longer raises LookupError below the last row in textual {TEXTUAL}: "
                f"{LINE_RENDER} leaves those lines to DataTable on that error"
            )


async def test_one_changed_cell_is_the_only_line_batch_table_puts_together_again():
    rendered, lines = await calls_after_one_cell_changes(BatchTable(), "_render_line_in_row")
    assert rendered <= 2, (  # the header (never kept) and the changed row
        f"one changed cell made BatchTable put {rendered} lines together again in textual {TEXTUAL}: "
        f"{LINE_RENDER} no longer reuses the others; check how DataTable._render_line is called and re-check "
        "the idle bench"
    )
    assert "changed" in lines[table_line(3)] and "changed" not in "".join(lines[: table_line(3)])


async def test_a_stock_datatable_still_puts_every_line_together_after_one_cell_changes():
    # The day this fails, DataTable keys line renders per row and the override can go.
    rendered, _ = await calls_after_one_cell_changes(DataTable(cursor_type="row"), "_render_line_in_row")
    assert rendered > 10, (
        f"a stock DataTable put only {rendered} lines together after one cell changed in textual {TEXTUAL}: it no "
        f"longer keys every line on the update count, so delete {LINE_RENDER} and these tests"
    )


async def test_the_focus_and_hover_states_batch_table_keys_on_still_change_what_is_drawn():
    # BatchTable's line and cell keys copy two parts of DataTable's own: `_pseudo_class_state` (focus, hover,
    # disabled, read in render_lines) and `_show_hover_cursor`. Each must still be set as the state changes, and
    # a focus change must still draw the cursor row anew rather than reuse a kept line.
    table = BatchTable()
    async with TableApp(table).run_test(size=(150, 30)) as pilot:
        fill(table)
        table.focus()
        await pilot.pause()
        cursor_line = table.header_height + table.cursor_row
        focused = table.render_line(cursor_line)
        assert table._pseudo_class_state == table.get_pseudo_class_state(), (
            f"DataTable._pseudo_class_state no longer holds the table's pseudo-class state in textual {TEXTUAL}: "
            f"{LINE_RENDER} keys kept lines on it; key them on what DataTable's own caches use now"
        )
        pilot.app.set_focus(None)
        await pilot.pause()
        table.render_lines(table.size.region)
        assert table.render_line(cursor_line) != focused, (
            f"the cursor row looks the same focused and unfocused in textual {TEXTUAL}: {LINE_RENDER} reused a "
            "line drawn under another focus state; key kept lines on what DataTable's own caches use now"
        )
        assert table._show_hover_cursor is False
        await pilot.hover(table, offset=(2, table.header_height + 5))
        assert table._show_hover_cursor is True, (
            f"DataTable._show_hover_cursor is not set by a mouse hover in textual {TEXTUAL}: {LINE_RENDER} and "
            "BatchTable._render_cell key kept renders on it; key them on what DataTable's own caches use now"
        )


def table_line(row: int) -> int:
    return 1 + row  # under the one-line header


# QuietLinuxDriver: a copy of LinuxDriver.run_input_thread that waits instead of polling

QUIET_DRIVER = "batchtui/ui/quiet_driver.py (Textual's input thread polls ten times a second; " + NO_ISSUE + ")"
# sha256 of LinuxDriver.run_input_thread's source in textual 8.2.8, the version the copy was made from.
RUN_INPUT_THREAD_SHA256 = "d796af6d69db337d6fa6bd463984f7d17188d991dbb22f60efb92a8a9619507c"


def test_the_input_thread_batchtui_copied_is_unchanged():
    from textual.drivers.linux_driver import LinuxDriver

    source = inspect.getsource(LinuxDriver.run_input_thread)
    assert hashlib.sha256(source.encode()).hexdigest() == RUN_INPUT_THREAD_SHA256, (
        f"LinuxDriver.run_input_thread changed in textual {TEXTUAL}: {QUIET_DRIVER} runs a copy of the old one. "
        "Copy the new one into QuietLinuxDriver.run_input_thread, keeping its wait (no timeout unless the parser "
        "has a deadline) and its wake pipe, then put the new hash here; or delete the driver if the new one "
        "no longer polls"
    )


def test_the_parser_still_has_a_deadline_only_while_an_escape_may_start_a_sequence():
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    assert parser._timeout_time is None, (
        f"XTermParser._timeout_time is not None at rest in textual {TEXTUAL}: {QUIET_DRIVER} waits for input "
        "with no timeout only while it is None; find where the parser keeps its Escape deadline now"
    )
    list(parser.feed("\x1b"))
    deadline = parser._timeout_time
    assert isinstance(deadline, float), (
        f"XTermParser._timeout_time is {deadline!r} after a lone Escape in textual {TEXTUAL}: {QUIET_DRIVER} "
        "would wait forever instead of until the Escape's deadline, and Escape would never arrive alone"
    )


# LeanFooter._restate: a key dimmed or enabled in place, as FooterKey.__init__ would make it

FOOTER_RESTATE = "LeanFooter._restate (Footer rebuilds every key when one is dimmed; " + NO_ISSUE + ")"


def test_a_dimmed_footer_key_is_still_its_class_and_private_flag():
    from textual.widgets._footer import FooterKey

    dimmed, enabled = FooterKey("c", "c", "Cancel", "cancel", disabled=True), FooterKey("c", "c", "Cancel", "cancel")
    assert (dimmed._disabled, dimmed.has_class("-disabled"), dimmed.action) == (True, True, "cancel"), (
        f"FooterKey no longer marks a dimmed key with `_disabled` and the `-disabled` class in textual {TEXTUAL}: "
        f"{FOOTER_RESTATE} sets those two to dim a key without a rebuild; match what FooterKey.__init__ does now"
    )
    assert (enabled._disabled, enabled.has_class("-disabled")) == (False, False)


# tests/ui/conftest.py: frames composed only when a test looks (the tests' own use, not the app's)

HEADLESS_FRAMES = "tests/ui/conftest.py frames_composed_only_when_looked_at (" + NO_ISSUE + ")"


def test_a_screens_own_refresh_still_asks_for_a_partial_frame_and_a_screenshot_for_a_full_one():
    from textual._compositor import Compositor
    from textual.screen import Screen

    parameters = list(inspect.signature(Compositor.render_update).parameters)
    assert parameters[:2] == ["self", "full"], (
        f"Compositor.render_update takes {parameters} in textual {TEXTUAL}: {HEADLESS_FRAMES} tells a frame for the "
        "terminal (full=False) from one a test asked for (full=True) by its first argument"
    )
    refresh = inspect.getsource(Screen._compositor_refresh)
    assert "self._compositor.render_update(\n" in refresh and "full=" not in refresh, (
        f"Screen._compositor_refresh no longer asks for a partial frame in textual {TEXTUAL}: {HEADLESS_FRAMES} "
        "skips only those; check which frames it would now skip or compose"
    )
    assert "render_update(\n            full=True" in inspect.getsource(App.export_screenshot), (
        f"App.export_screenshot no longer asks for a full frame in textual {TEXTUAL}: with {HEADLESS_FRAMES}, "
        "screenshots taken in tests/ui would come back empty"
    )
    assert "_dirty_regions" in inspect.getsource(Compositor.render_partial_update), (
        f"Compositor keeps what to redraw elsewhere than `_dirty_regions` in textual {TEXTUAL}: {HEADLESS_FRAMES} "
        "clears it for each skipped frame"
    )


# tests/support/parsed_css.py: each piece of CSS parsed once per worker (the tests' own use, not the app's)

PARSED_CSS = "tests/support/parsed_css.py parse_each_css_once (" + NO_ISSUE + ")"


def test_a_stylesheet_still_parses_through_parse_rules_on_what_the_shared_parses_are_keyed_by():
    from textual.css.stylesheet import Stylesheet

    from tests.support.parsed_css import TEXTUALS_PARSE

    parameters = list(inspect.signature(TEXTUALS_PARSE).parameters)
    assert parameters == ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"], (
        f"Stylesheet._parse_rules takes {parameters} in textual {TEXTUAL}: {PARSED_CSS} keys its parses on the "
        "old arguments and the CSS variables, and passes them on by position"
    )
    assert "self._parse_rules(" in inspect.getsource(Stylesheet.parse), (
        f"Stylesheet.parse no longer parses through _parse_rules in textual {TEXTUAL}: {PARSED_CSS} no longer "
        "saves anything"
    )
    source = inspect.getsource(TEXTUALS_PARSE)
    assert "variable_tokens=self._variable_tokens" in source, (
        f"Stylesheet._parse_rules reads more than the CSS variables in textual {TEXTUAL}: {PARSED_CSS} would "
        "share a parse between stylesheets that differ in it"
    )
    module = inspect.getsource(inspect.getmodule(Stylesheet))
    assert "self._variables = variables" in inspect.getsource(Stylesheet.set_variables), (
        f"Stylesheet.set_variables no longer replaces the variables dict in textual {TEXTUAL}: {PARSED_CSS} "
        "numbers each theme by the dict it last saw"
    )
    assert "_variables[" not in module and "_variables.update(" not in module, (
        f"Stylesheet changes its variables in place in textual {TEXTUAL}: {PARSED_CSS} would keep a theme's "
        "number for a dict whose values changed"
    )


# tests/support/notifications.py: the notifications showing now (the tests' own use, not the app's)

NOTIFICATIONS = "tests/support/notifications.py notifications (" + NO_ISSUE + ")"


async def test_the_notifications_showing_are_still_kept_on_the_app_in_order():
    from tests.support.notifications import notifications

    app = App()
    async with app.run_test() as pilot:
        app.notify("first", severity="warning")
        app.notify("second", title="Title")
        await pilot.pause()
        shown = [(str(note.message), note.severity, note.title) for note in notifications(app)]
        assert shown == [("first", "warning", ""), ("second", "information", "Title")], (
            f"App._notifications no longer holds the notifications showing in textual {TEXTUAL}: {NOTIFICATIONS} "
            f"read {shown}"
        )
        app.clear_notifications()
        await pilot.pause()
        assert notifications(app) == [], f"cleared notifications stay in App._notifications in textual {TEXTUAL}"
