from __future__ import annotations

import httpx
import pytest

from batchtui.sim import Simulator
from tests.support.loopback import PLAIN_HTTP

from .support import StartSim

KEY = "sk-test-0123456789abcdef"


@pytest.fixture
def locked(start_sim: StartSim) -> Simulator:
    return start_sim(api_key=KEY)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer sk-wrong-key"},
        {"api-key": "sk-wrong-key"},
        {"authorization": KEY},
        {"authorization": f"Basic {KEY}"},
    ],
)
def test_a_missing_or_wrong_key_is_a_401_that_echoes_no_key(locked: Simulator, headers: dict[str, str]) -> None:
    for method, path in (("GET", "/batches"), ("POST", "/batches/batch_x/cancel"), ("GET", "/nowhere")):
        response = httpx.request(method, locked.base_url + path, headers=headers, verify=PLAIN_HTTP)
        assert response.status_code == 401
        assert response.json() == {
            "error": {
                "message": "Incorrect API key provided.",
                "type": "invalid_request_error",
                "param": None,
                "code": "invalid_api_key",
            }
        }
        assert KEY not in response.text and "wrong" not in response.text


@pytest.mark.parametrize(
    "headers", [{"authorization": f"Bearer {KEY}"}, {"authorization": f"bearer {KEY}"}, {"api-key": KEY}]
)
def test_the_key_is_accepted_openai_or_azure_style(locked: Simulator, headers: dict[str, str]) -> None:
    assert httpx.get(f"{locked.base_url}/batches", headers=headers, verify=PLAIN_HTTP).status_code == 200


def test_without_a_configured_key_any_or_no_key_works(sim: Simulator) -> None:
    assert httpx.get(f"{sim.base_url}/batches", verify=PLAIN_HTTP).status_code == 200
    assert (
        httpx.get(
            f"{sim.base_url}/batches", headers={"authorization": "Bearer anything"}, verify=PLAIN_HTTP
        ).status_code
        == 200
    )
