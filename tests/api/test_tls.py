"""TLS: full verification for https; a plain-http client skips loading CAs and could never connect unverified."""

from __future__ import annotations

import ssl

from batchtui.api.client import BatchClient, ClientConfig


def _context(client: BatchClient) -> ssl.SSLContext:
    return client._http._transport._pool._ssl_context  # httpx keeps it on the connection pool


async def test_https_verifies_certificates_and_hostnames_against_a_ca_bundle():
    client = BatchClient(ClientConfig(api_key="k", base_url="https://api.openai.com/v1"))
    context = _context(client)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0
    await client.aclose()


async def test_plain_http_loads_no_cas_and_would_fail_closed():
    client = BatchClient(ClientConfig(api_key="k", base_url="http://127.0.0.1:8000/v1"))
    context = _context(client)
    # No CA is trusted, yet verification stays required: a TLS connection could never succeed unverified.
    assert context.cert_store_stats()["x509_ca"] == 0
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    await client.aclose()
