"""What the tests' own HTTP calls to the simulator and the mock servers share: all plain http on loopback."""

from __future__ import annotations

import ssl

# httpx's default verification loads certifi's CA bundle for each client it makes (about 40 ms of CPU, most
# of what a one-off `httpx.get` costs). These servers speak plain http, so no CA is needed; a context that
# trusts none would fail closed should anything here ever try TLS, as the app's own plain-http client does.
PLAIN_HTTP = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
