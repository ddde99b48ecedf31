"""Redirects are followed by hand and to the configured origin only: the key is never sent anywhere else."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urljoin, urlsplit

import httpx

from batchtui.api.errors import RedirectRefusedError
from batchtui.api.redaction import Redactor

MAX_REDIRECTS = 5

Origin = tuple[str, str, int | None]


def origin_of(url: str) -> Origin:
    """Scheme, lowercased host and port (the scheme's default when absent)."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, (parts.hostname or "").lower(), port)


def redirected_request(
    http: httpx.AsyncClient,
    request: httpx.Request,
    response: httpx.Response,
    *,
    origin: Origin,
    auth_headers: Mapping[str, str],
    redact: Redactor,
) -> httpx.Request:
    """The request a redirect asks for, or RedirectRefusedError when it leaves `origin`."""
    location = response.headers.get("location", "")
    try:
        target = httpx.URL(urljoin(str(request.url), location))
        target_origin = origin_of(str(target))
    except (httpx.InvalidURL, ValueError):
        raise RedirectRefusedError("The server redirected to an address that is not a valid URL.") from None
    if target_origin != origin:
        raise RedirectRefusedError(
            redact(
                f"The server redirected to {target.scheme}://{target.host}, which is not the configured "
                f"base URL; not following it with your API key. Set the base URL to the final address."
            )
        )
    keeps_body = response.status_code in (307, 308)
    headers = dict(auth_headers)
    if keeps_body and "content-type" in request.headers:
        # The body is resent as is, so the server must still be told it is JSON.
        headers["Content-Type"] = request.headers["content-type"]
    return http.build_request(
        request.method if keeps_body else "GET",
        target,
        headers=headers,
        content=request.content if keeps_body else None,
    )
