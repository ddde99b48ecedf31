"""The official SDK's start-up: list one page of batches, print the first id (reads OPENAI_BASE_URL/OPENAI_API_KEY)."""

from openai import OpenAI

page = OpenAI().batches.list(limit=20)
print(page.data[0].id, flush=True)
