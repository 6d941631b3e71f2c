"""Qt-free clients for the pathway-logs and activity-log APIs."""

from viewer.api.activity import ActivityClient, ActivityPager
from viewer.api.errors import (
    ApiError,
    ApiReportedError,
    ApiTimeoutError,
    AuthError,
    BadResponseError,
    Cancelled,
    InsecureUrlError,
    InvalidUrlError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from viewer.api.http import CancelToken, RetryPolicy, normalize_base_url
from viewer.api.pathway import PathwayClient, PathwayQuery

__all__ = [
    "ActivityClient",
    "ActivityPager",
    "ApiError",
    "ApiReportedError",
    "ApiTimeoutError",
    "AuthError",
    "BadResponseError",
    "CancelToken",
    "Cancelled",
    "InsecureUrlError",
    "InvalidUrlError",
    "NetworkError",
    "NotFoundError",
    "PathwayClient",
    "PathwayQuery",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "normalize_base_url",
]
