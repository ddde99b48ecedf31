"""httpx's transport failures as APIConnectionError, in words a user can act on."""

from __future__ import annotations

import ssl

import httpx

from batchtui.api.errors import APIConnectionError

_DNS_FAILURES = ("name or service not known", "nodename", "getaddrinfo", "name resolution")


def connection_error(error: httpx.TransportError, url: str) -> APIConnectionError:
    text = str(error) or type(error).__name__
    lowered = text.lower()
    cause = error.__cause__ or error.__context__
    if isinstance(cause, ssl.SSLError) or "ssl" in lowered or "certificate" in lowered:
        return APIConnectionError(f"TLS handshake with {url} failed: {text}", url=url, kind="tls")
    if any(word in lowered for word in _DNS_FAILURES):
        return APIConnectionError(f"Could not resolve the host of {url}.", url=url, kind="dns")
    if "refused" in lowered:
        return APIConnectionError(f"Connection refused by {url}: is the server running?", url=url, kind="refused")
    if isinstance(error, httpx.RemoteProtocolError):
        return APIConnectionError(f"The server closed the connection without answering ({text}).", url=url)
    return APIConnectionError(f"Could not reach {url}: {text}", url=url)


def timeout_kind(error: httpx.TimeoutException) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return "connecting took too long"
    if isinstance(error, httpx.ReadTimeout):
        return "no response within the read timeout"
    return "timed out"


def safe_url(url: httpx.URL) -> str:
    """Scheme, host and port only: enough to say where, without query strings."""
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"
