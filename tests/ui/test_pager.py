"""The pager without an app: the cursor stack, the batch remembered per page, and refused pages."""

from __future__ import annotations

from batchtui.api.models import BatchPage
from batchtui.ui.pager import FIRST_PAGE, Landing, Pager, PageRequest
from tests.support.batches import page_json


def page(*ids: str, has_more: bool = True) -> BatchPage:
    return BatchPage.model_validate(page_json(list(ids), has_more=has_more))


def pager_on_page_two() -> Pager:
    pager = Pager()
    pager.accept(FIRST_PAGE, page("a1", "a2"), None)
    request = pager.next()
    assert request == PageRequest(1, "a2")
    assert pager.accept(request, page("b1", "b2"), "a2") == Landing(shown=True, keep_id=None)
    return pager


def test_a_new_pager_loads_page_one_without_a_cursor() -> None:
    pager = Pager()
    assert pager.current() == FIRST_PAGE
    assert pager.number == 1
    assert pager.next() is None and pager.previous() is None
    assert not pager.has_next and not pager.has_previous


def test_the_next_page_is_loaded_after_the_last_id() -> None:
    pager = Pager()
    pager.accept(FIRST_PAGE, page("a1", "a2"), None)
    assert pager.has_next
    assert pager.next() == PageRequest(1, "a2")


def test_the_last_page_has_no_next() -> None:
    pager = Pager()
    pager.accept(FIRST_PAGE, page("a1", has_more=False), None)
    assert not pager.has_next and pager.next() is None


def test_paging_forward_pushes_the_cursor_and_lands_on_the_first_row() -> None:
    pager = pager_on_page_two()
    assert pager.number == 2
    assert pager.cursors == [None, "a2"]
    assert pager.current() == PageRequest(1, "a2")
    assert pager.previous() == FIRST_PAGE


def test_going_back_restores_the_batch_selected_there() -> None:
    pager = pager_on_page_two()
    landing = pager.accept(FIRST_PAGE, page("a1", "a2"), "b2")
    assert landing == Landing(shown=True, keep_id="a2")
    assert pager.number == 1 and pager.cursors == [None]


def test_a_page_visited_before_restores_its_selection_going_forward_too() -> None:
    pager = pager_on_page_two()
    pager.accept(FIRST_PAGE, page("a1", "a2"), "b2")
    assert pager.accept(PageRequest(1, "a2"), page("b1", "b2"), "a1").keep_id == "b2"
    assert pager.accept(PageRequest(2, "b2"), page("c1", "c2"), "b1").keep_id is None


def test_a_reload_keeps_the_current_selection() -> None:
    pager = pager_on_page_two()
    assert pager.accept(pager.current(), page("b0", "b1", "b2"), "b2") == Landing(shown=True, keep_id="b2")
    assert pager.number == 2


def test_a_reload_after_going_back_keeps_the_selection_made_since() -> None:
    pager = pager_on_page_two()
    pager.accept(FIRST_PAGE, page("a1", "a2"), "b2")
    assert pager.accept(FIRST_PAGE, page("a1", "a2"), "a1").keep_id == "a1"


def test_an_empty_next_page_is_refused_and_paging_stops() -> None:
    pager = Pager()
    pager.accept(FIRST_PAGE, page("a1", "a2"), None)
    request = pager.next()
    assert request is not None
    assert pager.accept(request, page(has_more=False), "a1") == Landing(shown=False)
    assert pager.number == 1
    assert pager.note == "No more batches after this page."
    assert not pager.has_next


def test_a_next_page_repeating_the_current_one_is_refused() -> None:
    pager = Pager()
    pager.accept(FIRST_PAGE, page("a1", "a2"), None)
    request = pager.next()
    assert request is not None
    assert not pager.accept(request, page("a2", "a3"), "a1").shown
    assert pager.note is not None and "same batches again" in pager.note
    assert pager.page is not None and [batch.id for batch in pager.page.data] == ["a1", "a2"]


def test_a_next_page_that_leads_back_to_an_earlier_page_is_refused() -> None:
    pager = pager_on_page_two()
    request = pager.next()
    assert request == PageRequest(2, "b2")
    # Page three's own cursor is "a2" again: the server would loop between pages two and three.
    looping = BatchPage.model_validate(page_json(["c1", "c2"], has_more=True, last_id="a2"))
    assert not pager.accept(request, looping, "b1").shown
    assert pager.number == 2 and not pager.has_next


def test_a_shown_page_clears_an_earlier_refusal() -> None:
    pager = Pager()
    pager.accept(FIRST_PAGE, page("a1", "a2"), None)
    request = pager.next()
    assert request is not None
    pager.accept(request, page(has_more=False), None)
    pager.accept(FIRST_PAGE, page("a0", "a1", "a2"), "a1")
    assert pager.note is None and pager.has_next


def test_a_batch_set_aside_for_page_one_is_selected_there_from_any_page() -> None:
    pager = pager_on_page_two()
    pager.select_later(FIRST_PAGE, "new")
    assert pager.accept(FIRST_PAGE, page("new", "a1"), "b1").keep_id == "new"

    pager = Pager()
    pager.accept(FIRST_PAGE, page("a1"), None)
    pager.select_later(FIRST_PAGE, "new")
    assert pager.accept(FIRST_PAGE, page("new", "a1"), "a1").keep_id == "new"
    # Set aside once: the next reload keeps whatever is selected then.
    assert pager.accept(FIRST_PAGE, page("new", "a1"), "a1").keep_id == "a1"
