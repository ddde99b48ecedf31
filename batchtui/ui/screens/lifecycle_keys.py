"""The keys of the create, results and retry screens, for the help screen."""

from __future__ import annotations

from textual.binding import Binding

from batchtui.ui.screens.create_batch import CreateBatchScreen
from batchtui.ui.screens.recovery import RecoveryScreen
from batchtui.ui.screens.results import ResultsScreen

LIFECYCLE_BINDINGS: tuple[Binding, ...] = tuple(
    binding
    for screen in (CreateBatchScreen, ResultsScreen, RecoveryScreen)
    for binding in screen.BINDINGS
    if isinstance(binding, Binding)
)
