"""The modes are what their names say, including those that borrow another mode's process."""

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


async def test_each_seed_gets_its_own_fixed_answers_from_the_one_process(prism_servers: dict[str, MockServer]) -> None:
    seeds = [prism_servers[f"dynamic-seed-{number}"] for number in (1, 2, 3)]
    assert len({server.process.pid for server in seeds}) == 1
    answers = []
    for number, server in enumerate(seeds, start=1):
        async with harness_for(server) as api:
            first = await api.client.retrieve_batch("batch_abc123")
            again = await api.client.retrieve_batch("batch_abc123")
        sent = api.last("GET").request.headers.get("prefer")
        assert sent == (None if number == 1 else f"seed=batchtui-{number}")
        # Fixed: Prism reseeds each request with the mode's seed, so a call answers as the one before it.
        assert again.raw == first.raw, number
        answers.append(first.raw)
    # Each seed its own: a seed the header failed to set would answer as the process's own (seed 1).
    assert answers[0] != answers[1] != answers[2] != answers[0]


async def test_the_random_mode_gets_new_answers_on_every_request_from_the_seeded_process(
    prism_servers: dict[str, MockServer],
) -> None:
    random, seeded = prism_servers["dynamic-random"], prism_servers["dynamic-seed-1"]
    assert random.process is seeded.process
    async with harness_for(random) as api:
        answers = [(await api.client.retrieve_batch("batch_abc123")).raw for _ in range(3)]
    seeds = [exchange.request.headers["prefer"] for exchange in api.exchanges]
    assert len(set(seeds)) == 3 and all(seed.startswith("seed=random-") for seed in seeds)
    # Random: a fresh seed each time, where the seeded mode answers every call alike.
    assert answers[0] != answers[1] != answers[2] != answers[0]
