"""The service layer: HTTP client, models, errors and retry policy. Never imports Textual."""

from batchtui.api.client import AmbiguousCreateError, BatchClient, ClientConfig, RetryNotice, Timeouts
from batchtui.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BatchAPIError,
    InvalidResponseError,
    NotFoundError,
    PaginationStalledError,
    RateLimitError,
    describe,
)
from batchtui.api.models import Batch, BatchPage, FileObject
from batchtui.api.retry import RetryPolicy

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousCreateError",
    "AuthenticationError",
    "Batch",
    "BatchAPIError",
    "BatchClient",
    "BatchPage",
    "ClientConfig",
    "FileObject",
    "InvalidResponseError",
    "NotFoundError",
    "PaginationStalledError",
    "RateLimitError",
    "RetryNotice",
    "RetryPolicy",
    "Timeouts",
    "describe",
]
