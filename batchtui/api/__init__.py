"""The service layer: HTTP client, models, errors, retry policy and the Batch API's facts. Never imports Textual.

Import from the module that defines a name (`batchtui.api.client`, `batchtui.api.statuses`, ...):
this package re-exports nothing, so importing the plain facts loads no httpx.
"""
