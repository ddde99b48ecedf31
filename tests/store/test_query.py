"""The search bar's language: what each token means, what an unreadable one says, and no input raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from batchtui.store.query import (
    MAX_TERMS,
    Activity,
    CreatedAge,
    CreatedAt,
    EndpointIn,
    MetadataPair,
    ModelPrefix,
    StatusIn,
    Term,
    Words,
    parse_query,
    toggle_active,
)

DAY = 86_400
NOV_1 = 1_793_491_200  # 2026-11-01T00:00:00Z


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("", ()),
        ("   ", ()),
        ("apollo", (Words("apollo"),)),
        ("apollo nightly", (Words("apollo"), Words("nightly"))),
        ('"nightly run"', (Words("nightly run"),)),
        ('"status:failed"', (Words("status:failed"),)),
        ('"unclosed quote', (Words("unclosed quote"),)),
        ("-apollo", (Words("apollo", negated=True),)),
        ("batch_abc", (Words("batch_abc"),)),
        ("status:failed", (StatusIn(("failed",)),)),
        ("STATUS:Failed,expired", (StatusIn(("failed", "expired")),)),
        ("status:In-Progress", (StatusIn(("in_progress",)),)),
        ("status:cancel", (StatusIn(("cancelling", "cancelled")),)),
        ("status:failed,", (StatusIn(("failed",)),)),
        ("-status:failed", (StatusIn(("failed",), negated=True),)),
        ("is:active", (Activity(active=True),)),
        ("is:done", (Activity(active=False),)),
        ("-is:active", (Activity(active=False),)),
        ("model:gpt-4.1", (ModelPrefix(("gpt-4.1",)),)),
        ("model:gpt-4.1,gpt-4o", (ModelPrefix(("gpt-4.1", "gpt-4o")),)),
        ('model:"my model"', (ModelPrefix(("my model",)),)),
        ("endpoint:embeddings", (EndpointIn(("/v1/embeddings",)),)),
        ("endpoint:chat", (EndpointIn(("/v1/chat/completions",)),)),
        ("endpoint:completions", (EndpointIn(("/v1/completions",)),)),
        ("endpoint:images", (EndpointIn(("/v1/images/generations", "/v1/images/edits")),)),
        ("endpoint:chat/completions", (EndpointIn(("/v1/chat/completions",)),)),
        ('endpoint:"image edits"', (EndpointIn(("/v1/images/edits",)),)),
        ("endpoint:/v1/custom", (EndpointIn(("/v1/custom",)),)),
        ("-endpoint:chat,embeddings", (EndpointIn(("/v1/chat/completions", "/v1/embeddings"), negated=True),)),
        ("project=apollo", (MetadataPair("project", "apollo"),)),
        ("project=", (MetadataPair("project", ""),)),
        ('owner="Ada Lovelace"', (MetadataPair("owner", "Ada Lovelace"),)),
        ('"team name"=core', (MetadataPair("team name", "core"),)),
        ("url=https://x.test/a=b", (MetadataPair("url", "https://x.test/a=b"),)),
        ("-project=apollo", (MetadataPair("project", "apollo", negated=True),)),
        ("created:<7d", (CreatedAge("<", 7 * DAY),)),
        ("created:<=12h", (CreatedAge("<=", 12 * 3600),)),
        ("created:>30m", (CreatedAge(">", 30 * 60),)),
        ("created:>=2w", (CreatedAge(">=", 14 * DAY),)),
        ("created:7d", (CreatedAge("<=", 7 * DAY),)),
        ("created:>2026-11-01", (CreatedAt(">", NOV_1, DAY),)),
        ("created:<=2026-11-01", (CreatedAt("<=", NOV_1, DAY),)),
        ("created:2026-11-01", (CreatedAt("=", NOV_1, DAY),)),
        ("created:>2026-11-01T06:00", (CreatedAt(">", NOV_1 + 6 * 3600, 1),)),
        ("created:<2026-11-01T06:00+01:00", (CreatedAt("<", NOV_1 + 5 * 3600, 1),)),
        ("-created:<7d", (CreatedAge("<", 7 * DAY, negated=True),)),
        (
            'apollo status:failed -model:gpt-4o "a b" k=v',
            (
                Words("apollo"),
                StatusIn(("failed",)),
                ModelPrefix(("gpt-4o",), negated=True),
                Words("a b"),
                MetadataPair("k", "v"),
            ),
        ),
        # Punctuation alone has nothing to search for, and is dropped rather than matching nothing.
        ('* AND "" ...', (Words("AND"),)),
        (":apollo", (Words(":apollo"),)),
    ],
)
def test_each_token_means_one_term(text: str, terms: tuple[Term, ...]) -> None:
    query = parse_query(text)
    assert query.problems == ()
    assert query.terms == terms
    assert query.ok


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-", "a '-' must stand right before a word or filter"),
        ("status:", "status: needs a value, as in status:failed"),
        ("status:,", "status: needs a value"),
        ("status:faild", "unknown status 'faild' (expected validating, failed,"),
        ("is:", "is: needs a value"),
        ("is:running", "is:running is not something a batch can be (expected is:active or is:done)"),
        ("model:", "model: needs a value, as in model:gpt-4.1"),
        ("endpoint:chats", "unknown endpoint 'chats' (expected chat, responses, embeddings,"),
        ("created:", "created: needs a value"),
        ("created:<7y", "created:<7y is neither an age nor a date"),
        ("created:>2026-13-01", "created:>2026-13-01 is neither an age nor a date"),
        ("created:yesterday", "created:yesterday is neither an age nor a date"),
        ("=apollo", "a metadata pair needs a key before '='"),
        ("owner:alice", "unknown filter 'owner:' (expected status:, is:, model:, endpoint: or created:"),
        ("https://example.test", "unknown filter 'https:'"),
    ],
)
def test_an_unreadable_token_says_what_was_expected_in_one_line(text: str, problem: str) -> None:
    query = parse_query(text)
    assert not query.ok
    assert len(query.problems) == 1
    assert query.problems[0].startswith(problem)
    assert "\n" not in query.problems[0]
    # Not "no results": a query with a problem is never mistaken for an empty one.
    assert not query.is_empty


def test_the_readable_part_of_a_query_with_a_problem_still_parses() -> None:
    query = parse_query("apollo status:nope is:done")
    assert query.terms == (Words("apollo"), Activity(active=False))
    assert len(query.problems) == 1


def test_a_huge_age_is_capped_so_it_still_fits_a_number() -> None:
    (term,) = parse_query("created:<999999999999w").terms
    assert isinstance(term, CreatedAge)
    assert term.seconds <= 100 * 366 * DAY


def test_too_many_terms_is_a_problem_and_the_rest_is_dropped() -> None:
    query = parse_query(" ".join(f"w{n}" for n in range(MAX_TERMS + 5)))
    assert len(query.terms) == MAX_TERMS
    assert query.problems == (f"too many words and filters: {MAX_TERMS + 5} (at most {MAX_TERMS})",)


def test_control_characters_from_a_paste_separate_words() -> None:
    assert parse_query("apollo\x00gemini\nvoyager\u2028x").terms == (
        Words("apollo"),
        Words("gemini"),
        Words("voyager"),
        Words("x"),
    )


def test_the_a_key_toggles_is_active_in_the_text() -> None:
    assert toggle_active("apollo") == "apollo is:active"
    assert toggle_active("apollo is:active status:failed") == "apollo status:failed"
    assert toggle_active("") == "is:active"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=200))
def test_no_text_makes_the_parser_raise(text: str) -> None:
    query = parse_query(text)
    assert query.text == text
    assert all(isinstance(problem, str) and "\n" not in problem for problem in query.problems)
    assert len(query.terms) <= MAX_TERMS


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["status:", "is:", "model:", "endpoint:", "created:", "-", "=", '"', ",", "<", ">=", "7d", "x"]
        ),
        max_size=12,
    ).map("".join)
)
def test_no_mix_of_the_language_own_characters_makes_the_parser_raise(text: str) -> None:
    parse_query(text)
