"""The spec copy in this directory: in step with the shared one, served whole by Prism, loaded clean by Steady."""

from __future__ import annotations

import re

from .harness import SHARED_SPEC, SPEC, PrismServer, SteadyServer

# Every operation the client calls, as Prism lists it at start-up (path parameters as '*').
CLIENT_OPERATIONS = {
    ("GET", "/batches"),
    ("POST", "/batches"),
    ("GET", "/batches/*"),
    ("POST", "/batches/*/cancel"),
    ("POST", "/files"),
    ("GET", "/files/*"),
    ("GET", "/files/*/content"),
}
ROUTE_LINE = re.compile(r"\b(GET|POST|DELETE|PUT|PATCH)\s+http://127\.0\.0\.1:\d+(/[^\s?]*)")


def operations_prism_serves(server: PrismServer) -> set[tuple[str, str]]:
    startup = server.log_bytes().decode("utf-8", "replace").split("Prism is listening", 1)[0]
    operations = set()
    for method, path in ROUTE_LINE.findall(startup):
        segments = path.strip("/").split("/")
        # Prism fills path parameters with sample words: the segment after 'batches' or 'files'.
        shape = ["*" if index == 1 else part for index, part in enumerate(segments)]
        operations.add((method, "/" + "/".join(shape)))
    return operations


def test_prism_serves_every_operation_the_client_calls(static_prism: PrismServer) -> None:
    served = operations_prism_serves(static_prism)
    assert served >= CLIENT_OPERATIONS, f"missing from the spec copy: {sorted(CLIENT_OPERATIONS - served)}"


def test_spec_copy_matches_the_shared_spec(static_prism: PrismServer) -> None:
    if SHARED_SPEC.exists():
        assert SPEC.read_bytes() == SHARED_SPEC.read_bytes(), (
            f"{SPEC} has drifted from {SHARED_SPEC}: copy it again (cp {SHARED_SPEC} {SPEC}) and rerun these tests"
        )
    else:
        # A clone on its own: the copy must still say where it came from and be a spec Prism serves.
        head = SPEC.read_text(encoding="utf-8")[:600]
        assert re.search(r"openai/openai-openapi .*@ [0-9a-f]{40}", head), "the copy lost its provenance header"
        assert re.search(r"^openapi: 3\.", SPEC.read_text(encoding="utf-8"), re.MULTILINE)
        assert operations_prism_serves(static_prism) >= CLIENT_OPERATIONS


def test_steady_loads_the_spec_copy_without_diagnostics(seeded_steady: SteadyServer) -> None:
    # Steady checks the spec itself at start-up (its E1xxx codes: unresolved $ref, impossible
    # constraints, …); a finding there would make its request verdicts doubtful.
    startup = next(record for record in seeded_steady.log_records() if record.get("type") == "startup")
    assert startup["diagnostics"] == [], startup["diagnostics"]
    assert startup["spec"]["endpointCount"] >= len(CLIENT_OPERATIONS)
    assert startup["server"]["url"] == seeded_steady.url
    assert startup["server"]["rejectOnSdkError"] is True
