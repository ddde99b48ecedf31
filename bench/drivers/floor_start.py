"""The floor for start-up: import textual, httpx and pydantic, make one GET of the first page, print the first id.

--textual-app also imports textual.app (what any Textual program needs before it can draw).
"""

import os
import sys

import httpx
import pydantic  # noqa: F401 - the floor pays for the import, as batchtui does
import textual

if "--textual-app" in sys.argv:
    import textual.app  # noqa: F401

base_url = os.environ["OPENAI_BASE_URL"]
response = httpx.get(
    f"{base_url}/batches", params={"limit": 20}, headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"}
)
print(response.json()["data"][0]["id"], flush=True)
