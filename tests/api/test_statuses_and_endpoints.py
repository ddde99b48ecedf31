"""The shared facts: status groups that agree with each other and with Batch, endpoints with their short names."""

from __future__ import annotations

import pytest

from batchtui.api import endpoints, statuses
from batchtui.api.models import Batch
from tests.support.batches import batch_json


def test_every_known_status_is_either_active_or_terminal() -> None:
    assert set(statuses.KNOWN) == statuses.ACTIVE | statuses.TERMINAL
    assert not statuses.ACTIVE & statuses.TERMINAL
    assert len(statuses.KNOWN) == len(set(statuses.KNOWN))


def test_a_batch_can_be_cancelled_only_while_it_runs() -> None:
    assert statuses.ACTIVE - {"cancelling"} == statuses.CANCELLABLE


@pytest.mark.parametrize("status", statuses.KNOWN)
def test_a_batch_answers_from_the_same_groups(status: str) -> None:
    batch = Batch.model_validate(batch_json(status=status))
    assert batch.is_known_status
    assert batch.is_terminal == (status in statuses.TERMINAL)
    assert batch.is_cancellable == (status in statuses.CANCELLABLE)


def test_every_batch_endpoint_has_a_short_name() -> None:
    assert set(endpoints.ENDPOINT_NAMES) == set(endpoints.BATCH_ENDPOINTS)
    assert endpoints.EMBEDDINGS_ENDPOINT in endpoints.BATCH_ENDPOINTS
