"""The modes are what their names say, including the one that borrows another mode's process."""

from __future__ import annotations

from .harness import MockServer, harness_for


async def test_the_static_mode_gets_static_answers_from_the_seeded_process_it_shares(
    prism_servers: dict[str, MockServer],
) -> None:
    static, seeded = prism_servers["static"], prism_servers["dynamic-seed-1"]
    assert static.process is seeded.process
    async with harness_for(static) as static_api, harness_for(seeded) as seeded_api:
        static_batch = await static_api.client.retrieve_batch("batch_abc123")
        seeded_batch = await seeded_api.client.retrieve_batch("batch_abc123")
        static_page = await static_api.client.list_batches()
    # Prism's static answer fills a string with "string" and an integer with 0; the seeded one makes values up.
    assert (static_batch.id, static_batch.created_at, static_page.data[0].id) == ("string", 0, "string")
    assert seeded_batch.id != "string"
    assert static_api.last("GET").request.headers["prefer"] == "dynamic=false"
    assert "prefer" not in seeded_api.last("GET").request.headers
