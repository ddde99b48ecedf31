"""The main screen: a page of batches, the selected one in detail, and a live status line.

This screen owns the truth: which page is shown (its Pager keeps the cursors to
get back to earlier ones, the API having no `before`), the selected batch id,
whether the refresh is paused, when data was last fetched, and the last error.
Widgets only render what they are given.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Static

from batchtui.api.client import BatchClient
from batchtui.api.errors import AuthenticationError, BatchAPIError, describe
from batchtui.api.models import Batch, BatchPage
from batchtui.api.sender import RetryNotice
from batchtui.clock import Clock
from batchtui.glance.insight import Insight
from batchtui.glance.thresholds import DEFAULT_THRESHOLDS, StuckThresholds
from batchtui.store import Sort, parse_query
from batchtui.ui import toasts
from batchtui.ui.batch_list import keys as list_keys
from batchtui.ui.batch_list.availability import availability, web_problem, why_unavailable
from batchtui.ui.batch_list.cancel_flows import CancelFlows
from batchtui.ui.batch_list.index_sync import IndexSync
from batchtui.ui.batch_list.save_marked_outputs import SaveMarkedOutputs
from batchtui.ui.batch_list.status_texts import status_texts
from batchtui.ui.batch_list.web_dashboard import dashboard_url, opened_markup
from batchtui.ui.batch_rules import can_retry
from batchtui.ui.dialogs.error_details import ErrorDetails
from batchtui.ui.formatting import clean
from batchtui.ui.history import History
from batchtui.ui.index_view import IndexView
from batchtui.ui.insight_feed import InsightFeed, day_start
from batchtui.ui.keys import key_names
from batchtui.ui.marks import Marks
from batchtui.ui.notifications import TransitionWatch, desktop_notification, finished_summary
from batchtui.ui.pager import FIRST_PAGE, Pager, PageRequest
from batchtui.ui.screen_work import while_open
from batchtui.ui.text.notices import LOADING, empty_text, failure_text, key_rejected_text, no_match_text
from batchtui.ui.widgets.batch_table import BatchTable
from batchtui.ui.widgets.detail_pane import DetailPane
from batchtui.ui.widgets.lean_footer import LeanFooter
from batchtui.ui.widgets.search_bar import SearchBar
from batchtui.ui.widgets.status_line import StatusLine
from batchtui.ui.widgets.summary_line import SummaryLine

# Seconds between two sums of the running batches' requests when only their counts moved (a status change,
# the walk or a new day sums at once).
SUMMARY_EVERY = 30.0


class BatchesScreen(Screen[None]):
    BINDING_GROUP_TITLE = list_keys.BINDING_GROUP_TITLE
    BINDINGS = list_keys.BINDINGS
    HELP_ONLY = list_keys.HELP_ONLY
    FALLBACKS: ClassVar[dict[str, str]] = list_keys.FALLBACKS

    @classmethod
    def table_keys(cls, app: App[object], keymap: Mapping[str, str]) -> list[tuple[str, str]]:
        """The batch table's own keys and Escape, for the help screen's batch-list section."""
        return list_keys.table_keys(app, keymap)

    def __init__(
        self,
        client: BatchClient,
        clock: Clock,
        *,
        page_size: int,
        refresh_seconds: float,
        server_label: str,
        key_hint: str = "OPENAI_API_KEY",
        history: History | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        read_only: bool = False,
        notify: bool = True,
        thresholds: StuckThresholds = DEFAULT_THRESHOLDS,
    ) -> None:
        """`read_only`: nothing that changes the account (cancel, create, retry) can be asked for.
        `notify`: a batch seen finishing rings the bell and asks the terminal for a desktop notification."""
        super().__init__()
        self.client = client
        self.clock = clock
        self.page_size = page_size
        self.refresh_seconds = refresh_seconds
        self.server_label = server_label
        self.key_hint = key_hint
        self.history = history
        # The index kept current behind the list (None without one).
        self.index_sync = (
            None
            if history is None
            else IndexSync(history, client, clock, page_size=page_size, refresh_seconds=refresh_seconds, sleep=sleep)
        )
        self.read_only = read_only
        self.notify_finished = notify
        # ETA, stuck and cost of the rows on screen, worked out after each load; the account's summary line.
        self.feed = InsightFeed(history, thresholds)
        self.insights: dict[str, Insight] = {}
        self.account_summary: str | None = None

        self.pager = Pager()
        self.marks = Marks()
        self.watch = TransitionWatch()
        self.cancels = CancelFlows(self)
        self.save_outputs = SaveMarkedOutputs(self)
        # A bulk action under way, for the status line ("saving output 2 of 5: …").
        self.activity: str | None = None
        # The rows on screen: the live page, or a page of the index's matches while searching.
        self.shown: list[Batch] = []
        self.view: IndexView | None = None
        self.cached_at: float | None = None
        self.paused = False
        self.fetching = False
        self.fetched_at: float | None = None
        self.next_refresh_at: float | None = None
        self.error: BatchAPIError | None = None
        self.error_at: float | None = None
        self.retry_notice: RetryNotice | None = None
        self.retry_at: float | None = None

        self._refresh_timer: Timer | None = None
        self._status_ticks: Timer | None = None
        # The screen's parts, held rather than queried: the status line is drawn every second (a query walks the
        # whole screen), and workers and key checks that end while the screen is torn down (quitting, a profile
        # switch) must find the widgets they update even after they were removed, not raise NoMatches.
        self._summary_line = SummaryLine(id="summary-line")
        self._search_bar = SearchBar(id="search-bar")
        self.table = BatchTable(id="batch-table")
        self._notice = Static(id="notice")
        self._detail_pane = DetailPane(id="detail-pane")
        self._status_line = StatusLine(id="status-line")
        # Set when another account's list replaced this one (see retire): nothing may start here any more.
        self.retired = False
        # The rows whose figures were worked out before they were drawn (see load_page).
        self._insights_fresh_for: list[Batch] | None = None
        # Each batch's status and counts as last sent, and how many times one of them moved: the summary's cue.
        self._last_state: dict[str, tuple[str, object]] = {}
        self._changes_seen = 0
        self._status_changes = 0
        self._summary_key: tuple[object, ...] | None = None
        self._summary_changes = 0
        self._summary_at = 0.0
        self._binding_state: tuple[bool | None, ...] = ()
        self._detail_pending = False
        self._suspended = False
        self._load_generation = 0

    # Layout

    def compose(self) -> ComposeResult:
        title = Text("batchtui", style="bold")
        title.append("  ·  ")
        title.append(clean(self.server_label))
        yield Static(title, id="title-bar")
        yield self._summary_line
        yield self._search_bar
        yield self.table
        yield self._notice
        yield self._detail_pane
        yield self._status_line
        yield LeanFooter()

    def on_mount(self) -> None:
        self.client.on_retry = self._on_retry
        self._status_ticks = self.set_interval(1.0, self._render_status)
        self._show_notice(LOADING)
        self._load(FIRST_PAGE)
        if self.history is not None:
            self.start_history()

    def retire(self) -> None:
        """Stop for good (another account's list replaces this one, which cannot be removed): no timer fires, the
        rows go, so nothing of this account stays in memory or on screen should it ever show again."""
        self.retired = True
        self._stop_timer()
        if self._status_ticks is not None:
            self._status_ticks.stop()
        self.shown, self.insights, self.account_summary = [], {}, None
        self.marks.clear()
        self.table.clear()
        self._detail_pane.show(None, self.clock.now(), None)
        self._summary_line.show("")

    @property
    def page(self) -> BatchPage | None:
        return self.pager.page

    @property
    def page_number(self) -> int:
        return self.pager.number

    @property
    def selected_id(self) -> str | None:
        """The batch under the table's cursor, asked of the table itself: a burst of keys moves the cursor
        before the highlight messages arrive, and a key acting on a stale selection could cancel the wrong batch."""
        return self.table.selected_id if self.shown else None

    @property
    def selected_batch(self) -> Batch | None:
        if self.selected_id is None:
            return None
        return next((batch for batch in self.shown if batch.id == self.selected_id), None)

    # Loading

    def _load(self, request: PageRequest) -> None:
        self._load_generation += 1
        self._stop_timer()
        self.fetching = True
        self._render_status()
        self.load_page(request, self._load_generation)

    @work(exclusive=True, group="page")
    async def load_page(self, request: PageRequest, generation: int) -> None:
        try:
            page = await self.client.list_batches(after=request.cursor, limit=self.page_size)
        except BatchAPIError as error:
            self._fetch_failed(error)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - a bug must still reach the user as words
            self._fetch_failed(BatchAPIError(describe(error)))
        else:
            if self.feed.warm and self.view is None:
                # The figures first, then one draw: drawn with the old ones and again, every refresh paid twice.
                self.insights = await self.feed.insights(page.data, self.clock.now())
                self._insights_fresh_for = page.data
            self._page_loaded(request, page)
            self._after_visible_load(request, page)
        finally:
            # A superseded load must not re-arm the timer: the newer load owns it.
            if generation == self._load_generation:
                self.fetching = False
                self.retry_notice = None
                self._arm_timer()
                self._render_status()

    def _page_loaded(self, request: PageRequest, page: BatchPage) -> None:
        self._received(page.data)
        landing = self.pager.accept(request, page, self.selected_id)
        if not landing.shown:
            self._update_bindings()
            return
        self.fetched_at = self.clock.now()
        self.error = None
        self.table.remove_class("-stale")
        if self.view is None:
            self._show_rows(page.data, landing.keep_id, empty_text(self.page_number, self.key_names()))
        self._update_bindings()

    def _show_rows(self, batches: list[Batch], keep_id: str | None, empty: Text) -> None:
        self.shown = list(batches)
        self._draw_rows(keep_id)
        if self.shown:
            self._show_table()
        else:
            self._show_notice(empty)
        self._show_detail()
        if batches is self._insights_fresh_for:
            return  # worked out for these very rows just before they were drawn
        # After the rows are painted: the first estimate loads the price list, and its thread must not hold
        # up the first page (it did, by a tenth of a second at start-up).
        self.call_after_refresh(self.update_insights)

    def _fetch_failed(self, error: BatchAPIError) -> None:
        self.error = error
        self.error_at = self.clock.now()
        if self.page is None and not self.shown:
            if isinstance(error, AuthenticationError):
                self._show_notice(key_rejected_text(error, self.server_label, self.key_hint, self.key_names()))
            else:
                self._show_notice(failure_text(error, self.refresh_seconds, self.key_names(), self._base_path()))
        else:
            # Rows already on screen stay, marked stale; the status line says why.
            self.table.add_class("-stale")
        self._update_bindings()

    def _on_retry(self, notice: RetryNotice) -> None:
        self.retry_notice = notice
        self.retry_at = self.clock.now() + notice.delay
        self._render_status()

    # Refresh timer: one-shot, re-armed after each load, so two refreshes are never in flight.

    def _arm_timer(self) -> None:
        self._stop_timer()
        if self.paused or self._suspended or self.retired:
            self.next_refresh_at = None
            return
        self.next_refresh_at = self.clock.now() + self.refresh_seconds
        self._refresh_timer = self.set_timer(self.refresh_seconds, self._timer_fired)

    def _stop_timer(self) -> None:
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
            self._refresh_timer = None

    def _timer_fired(self) -> None:
        self._refresh_timer = None
        if not (self.paused or self._suspended or self.fetching or self.retired):
            self._reload_current()

    def _reload_current(self) -> None:
        self._load(self.pager.current())

    @on(ScreenSuspend)
    def _pause_while_covered(self) -> None:
        # A modal is open: no refresh may change what it is asking about underneath it.
        self._suspended = True
        self._stop_timer()

    @on(ScreenResume)
    def _resume_when_uncovered(self) -> None:
        if not self._suspended:
            return
        self._suspended = False
        if not self.fetching:
            self._arm_timer()
        self._render_status()

    # Selection

    @on(DataTable.RowHighlighted, "#batch-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_bindings()
        # The highlight paints first; the detail (the costly part) follows, once per burst of key repeats.
        if not self._detail_pending:
            self._detail_pending = True
            self.call_after_refresh(self._show_pending_detail)

    def _show_pending_detail(self) -> None:
        self._detail_pending = False
        self._show_detail()

    @on(DataTable.RowSelected, "#batch-table")
    def _row_selected(self) -> None:
        self._detail_pane.detail.focus()

    def _show_detail(self) -> None:
        batch = self.selected_batch
        insight = self.insights.get(batch.id) if batch is not None else None
        self._detail_pane.show(batch, self.clock.now(), insight)

    # Actions

    def _update_bindings(self) -> None:
        """Tell the footer only when what is possible changed: each time, it rebuilds every key."""
        state = tuple(self.check_action(binding.action, ()) for binding in self.BINDINGS)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return availability(self, action)

    def action_next_page(self) -> None:
        if self.view is not None:
            if self.view.next():
                self.run_search()
            return
        request = self.pager.next()
        if request is not None:
            self._load(request)

    def action_previous_page(self) -> None:
        if self.view is not None:
            if self.view.previous():
                self.run_search()
            return
        request = self.pager.previous()
        if request is not None:
            self._load(request)

    def action_refresh_now(self) -> None:
        # A load already in flight brings the page soon enough: restarting it only costs the server a request.
        if not self.fetching:
            self._reload_current()

    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        if self.paused:
            self._stop_timer()
            self.next_refresh_at = None
        elif not self.fetching:
            self._arm_timer()
        self._render_status()

    def action_copy_id(self) -> None:
        batch_id = self.selected_id
        if batch_id:
            self.app.copy_to_clipboard(batch_id)
            self.tell(f"Copied {batch_id}", timeout=3)

    def action_focus_table(self) -> None:
        if self.view is not None and self.table.has_focus:
            self.close_search()
        else:
            self.table.focus()

    def action_show_error(self) -> None:
        if self.error is not None:
            self.app.push_screen(ErrorDetails(self.error.detail_lines(), self.error_at))

    def action_cancel_batch(self) -> None:
        if self.read_only:
            return
        if self.marks:
            self.cancels.cancel_marked()
            return
        batch = self.selected_batch
        if batch is not None and batch.is_cancellable:
            self.cancels.cancel_one(batch)

    # Marks: ids the screen keeps across refreshes, pages and search, for the bulk actions

    def action_toggle_mark(self) -> None:
        batch = self.selected_batch
        if batch is not None:
            self.marks.toggle(batch)
            self.marks_changed()

    def action_clear_marks(self) -> None:
        if self.marks:
            self.marks.clear()
            self.marks_changed()

    def marks_changed(self) -> None:
        self._draw_rows(self.selected_id)
        self._update_bindings()
        self._render_status()

    def action_download_marked(self) -> None:
        if self.marks:
            self.save_outputs.start()

    @while_open
    def show_activity(self, activity: str | None) -> None:
        """A bulk action's progress in the status line, or None when it is done."""
        self.activity = activity
        self._render_status()

    # The web dashboard: only the OpenAI platform has one

    def action_open_web(self) -> None:
        batch_id = self.selected_id
        if batch_id is None or web_problem(self) is not None:
            return
        url = dashboard_url(batch_id)
        self.app.open_url(url)
        self.notify(opened_markup(url), markup=True, timeout=8)

    # The lifecycle screens load when first opened: the batch list starts without them.

    def action_create_batch(self) -> None:
        if self.read_only:
            return
        from batchtui.ui.screens.create_batch import CreateBatchScreen

        self.app.push_screen(CreateBatchScreen(self.client), self.show_created)

    def action_open_results(self) -> None:
        batch = self.selected_batch
        if batch is not None and batch.output_file_id:
            from batchtui.ui.screens.results import ResultsScreen

            self.app.push_screen(ResultsScreen(self.client, batch, "output"))

    def action_open_errors(self) -> None:
        batch = self.selected_batch
        if batch is not None and batch.error_file_id:
            from batchtui.ui.screens.results import ResultsScreen

            self.app.push_screen(ResultsScreen(self.client, batch, "error"))

    def action_retry_batch(self) -> None:
        batch = self.selected_batch
        if batch is not None and can_retry(batch) and not self.read_only:
            from batchtui.ui.screens.recovery import RecoveryScreen

            self.app.push_screen(RecoveryScreen(self.client, batch), self.show_created)

    def action_explain_unavailable(self, what: str) -> None:
        reason = why_unavailable(self, what, self.key_names())
        if reason is not None:
            self.tell(reason.text, timeout=reason.timeout)

    def show_created(self, batch: Batch | None) -> None:
        """A batch was just created: back to page 1, reloaded, with the new batch selected."""
        if batch is None:
            return
        self.pager.select_later(FIRST_PAGE, batch.id)
        self._load(FIRST_PAGE)

    def replace_batch(self, updated: Batch) -> None:
        self._received([updated])
        if self.page is not None:
            self.page.data = [updated if batch.id == updated.id else batch for batch in self.page.data]
        self.shown = [updated if batch.id == updated.id else batch for batch in self.shown]
        # Its figures were for the batch as it was (a stuck validating one is not a stuck cancelling one).
        self.insights = {key: value for key, value in self.insights.items() if key != updated.id}
        self._draw_rows(self.selected_id)
        self._show_detail()
        self._update_bindings()
        self.update_insights()

    def _draw_rows(self, keep_id: str | None) -> None:
        self.table.show_batches(
            self.shown, self.clock.now(), keep_id=keep_id, insights=self.insights, marked=self.marks.ids
        )

    # At a glance: ETA, stuck and cost for the rows, the account's summary over them

    @work(exclusive=True, group="insights")
    async def update_insights(self) -> None:
        shown = self.shown
        was_warm = self.feed.warm
        insights = await self.feed.insights(shown, self.clock.now())
        if not was_warm:
            self.update_summary()  # the price list is in now: the summary can say what today cost
        if self.shown is not shown:
            return  # other rows came meanwhile: their own update follows
        if insights == self.insights:
            return  # a refresh of finished batches changes none of them: nothing to draw again
        self.insights = insights
        self._draw_rows(self.selected_id)
        self._show_detail()
        self._render_status()  # it ends with what the rows on screen cost

    @work(exclusive=True, group="summary")
    async def update_summary(self) -> None:
        summary = await self.feed.summary(self.clock.now())
        if summary is not None:
            self.account_summary = summary
        self._show_summary()

    def _show_summary(self) -> None:
        self._summary_line.show(self.account_summary or "")
        self._render_status()  # it ends with what the rows on screen cost

    # Every batch the server sends passes here: marks remember it, and a batch seen finishing is announced.

    def _received(self, batches: Sequence[Batch]) -> None:
        self.marks.see(batches)
        for batch in batches:
            state = (batch.status, batch.request_counts)
            last = self._last_state.get(batch.id)
            if last != state:
                self._last_state[batch.id] = state
                self._changes_seen += 1
                if last is None or last[0] != batch.status:
                    self._status_changes += 1
        finished = self.watch.see(batches)
        if not self.notify_finished:
            return
        if not finished:
            return
        text = finished_summary(finished)
        all_completed = all(batch.status == "completed" for batch in finished)
        self.tell(text, severity="information" if all_completed else "warning", timeout=10)
        self._write_to_terminal(desktop_notification(text))

    def _write_to_terminal(self, sequence: str) -> None:
        """Bytes for the terminal itself. Textual has no public writer (App.bell() is the only one, and it is
        silent when headless); tests/framework/test_textual_internals.py guards `App._driver.write`.
        Delete when Textual has a public way to write to the terminal (no upstream issue found)."""
        driver = getattr(self.app, "_driver", None)
        if driver is not None:
            driver.write(sequence)

    # The local index: the page on screen before the network answers, the history walks, search

    @work(group="history-open")
    async def start_history(self) -> None:
        history = self.history
        assert history is not None
        await history.open(self.clock.now())
        self._tell_history()
        if history.available and self.pager.page is None and not self.shown:
            cached = await history.page(parse_query(""), now=self.clock.now(), sort=Sort.CREATED, limit=self.page_size)
            if cached is not None and cached.batches and self.pager.page is None:
                self.cached_at = cached.fetched_at
                self._show_rows(cached.batches, None, LOADING)
        self._update_bindings()
        self._render_status()
        self.update_summary()
        if self.pager.page is not None:
            # The server answered before the index opened: its rows were estimated without the index's observations
            # (an ETA from the average since the start, no trend line). Work them out again, and index that page
            # now, not a refresh later.
            if history.available:
                self.update_insights()
            if self.index_sync is not None and self.index_sync.ready:
                self.sync_cycle(self.pager.current(), self.pager.page)

    @work(group="history-walk")
    async def walk_history(self) -> None:
        assert self.index_sync is not None
        await self.index_sync.walk(changed=self._history_changed)

    def _after_visible_load(self, request: PageRequest, page: BatchPage) -> None:
        self.cached_at = None
        if self.index_sync is not None and self.index_sync.ready:
            self.sync_cycle(request, page)

    # A description of its own: by default Textual names a worker by the repr of its arguments, here a whole
    # page of batches, every refresh.
    @work(group="history-cycle", description="sync_cycle")
    async def sync_cycle(self, request: PageRequest, page: BatchPage) -> None:
        """After each refresh: index the page, then bring active batches off the page up to date."""
        assert self.index_sync is not None
        await self.index_sync.cycle(request, page, start_walk=self.walk_history, received=self._received)
        self._history_changed()

    def _history_changed(self) -> None:
        self._tell_history()
        # The summary reads the index anew only when something it counts can have changed: a batch the server
        # sent moved, the walk indexed more, the day turned, or the price list came in.
        # Counts alone move every refresh while batches run: those are summed again at most every SUMMARY_EVERY s.
        now = self.clock.now()
        indexed = self.history.indexed if self.history is not None else 0
        key = (self._status_changes, indexed, day_start(now), self.feed.warm)
        counts_moved = self._changes_seen != self._summary_changes and now - self._summary_at >= SUMMARY_EVERY
        if key != self._summary_key or counts_moved:
            self._summary_key, self._summary_changes, self._summary_at = key, self._changes_seen, now
            self.update_summary()
        if self.view is not None:
            self.run_search()
        self._render_status()

    def _tell_history(self) -> None:
        if self.index_sync is None:
            return
        note, problem = self.index_sync.untold()
        if note:
            toasts.tell(self, note, timeout=8)
        if problem:
            toasts.tell(self, problem, severity="warning", timeout=8)
            self._update_bindings()

    def action_search(self) -> None:
        if self.check_action("search", ()):
            self._open_view()
            self._search_bar.open()

    def action_active_only(self) -> None:
        if self.check_action("active_only", ()):
            view = self._open_view()
            self._search_bar.open(view.toggle_active())
            self.table.focus()
            self.run_search()

    def action_cycle_sort(self) -> None:
        if self.view is not None:
            self.view.cycle_sort()
            self.run_search()

    def _open_view(self) -> IndexView:
        if self.view is None:
            self.view = IndexView(self.page_size)
            self.table.add_class("-index")
            self._update_bindings()
        return self.view

    @on(SearchBar.Changed)
    def _query_changed(self, event: SearchBar.Changed) -> None:
        if self.view is not None:
            self.view.set_text(event.text)
            self.run_search()

    @on(SearchBar.Done)
    def _query_done(self) -> None:
        self.table.focus()

    @on(SearchBar.Closed)
    def close_search(self) -> None:
        """Back to the live list, as the server last sent it."""
        if self.view is None:
            return
        self.view = None
        self._search_bar.close()
        self.table.mark_sorted(None)
        self.table.remove_class("-index")
        page = self.pager.page
        self._show_rows(page.data if page else [], self.selected_id, empty_text(self.page_number, self.key_names()))
        self.table.focus()
        self._update_bindings()
        self._render_status()

    @work(exclusive=True, group="search")
    async def run_search(self) -> None:
        view, history = self.view, self.history
        if view is None or history is None:
            return
        result = await history.page(
            view.query, now=self.clock.now(), sort=view.sort, limit=self.page_size, offset=view.offset
        )
        if result is None or self.view is not view:
            return
        if not view.accept(result):
            self.run_search()
            return
        self._received(result.batches)
        self._search_bar.show_problems(result.problems)
        self.table.mark_sorted(view.sort.value)
        self._show_rows(result.batches, self.selected_id, no_match_text(view.text, result.problems))
        self._update_bindings()
        self._render_status()

    # What the user reads

    def _base_path(self) -> str | None:
        # Azure's dated API lives under /openai with ?api-version: no version segment is missing there.
        config = self.client.config
        return None if config.api_version else urlsplit(config.base_url).path

    def key_names(self) -> dict[str, str]:
        """The keys bound now (a user keymap included), by binding id, for the hints in texts."""
        return key_names(self.app, self.BINDINGS, getattr(self.app, "keymap", {}))

    def tell(self, message: str, *, severity: toasts.Severity = "information", timeout: float = 6) -> None:
        """A toast for the outcome of something the user did; server text stays literal and is cut short."""
        toasts.tell(self, message, severity=severity, timeout=timeout)

    def _show_table(self) -> None:
        self._notice.display = False
        if not self.table.display:
            self.table.display = True
            # Hiding it moved focus elsewhere; keys like j/k belong to the table again, unless the user is typing.
            if not self._search_bar.input.has_focus:
                self.table.focus()

    def _show_notice(self, text: Text) -> None:
        notice = self._notice
        notice.update(text)
        notice.display = True
        self.table.display = False

    def _render_status(self) -> None:
        if not self._status_line.is_attached:  # the screen is being torn down
            return
        where, fetch = status_texts(self, self.clock.now(), self.key_names())
        self._status_line.show(where, fetch, problem=self.error is not None)
