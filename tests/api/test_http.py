"""HTTP behaviour both clients share, with ``httpx.MockTransport`` standing in for servers."""

from __future__ import annotations

import httpx
import pytest

from viewer import USER_AGENT
from viewer.api import (
    ActivityClient,
    ApiReportedError,
    ApiTimeoutError,
    AuthError,
    BadResponseError,
    Cancelled,
    CancelToken,
    InsecureUrlError,
    InvalidUrlError,
    NetworkError,
    NotFoundError,
    PathwayClient,
    PathwayQuery,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    normalize_base_url,
)
from viewer.api.http import parse_retry_after

FAST = RetryPolicy(attempts=3, backoff=0.001, max_wait=0.05)
OK_TYPES = {"data": []}


class Recorder:
    """A scripted server: answers in turn, remembering every request."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def activity_client(handler, **kwargs) -> ActivityClient:
    kwargs.setdefault("retry", FAST)
    return ActivityClient(
        "https://api.example.com/v1/",
        "secret-token",
        transport=httpx.MockTransport(handler),
        **kwargs,
    )


def pathway_client(handler, **kwargs) -> PathwayClient:
    kwargs.setdefault("retry", FAST)
    return PathwayClient(
        "https://falkor.example.com", "QmFzZTY0", transport=httpx.MockTransport(handler), **kwargs
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://api.example.com", "https://api.example.com"),
        ("https://api.example.com/", "https://api.example.com"),
        ("https://api.example.com/v1", "https://api.example.com"),
        ("https://api.example.com/v1/", "https://api.example.com"),
        (" https://host:8443/prefix/v1/ ", "https://host:8443/prefix"),
        ("http://127.0.0.1:5000/?x=1#f", "http://127.0.0.1:5000"),
    ],
)
def test_base_url_works_with_or_without_slash_and_v1(given, expected):
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize("bad", ["", "api.example.com", "ftp://host", "https://"])
def test_unusable_base_url_is_refused_with_advice(bad):
    with pytest.raises(InvalidUrlError):
        normalize_base_url(bad)


def test_plain_http_to_another_machine_is_refused_unless_allowed():
    with pytest.raises(InsecureUrlError, match="unencrypted"):
        ActivityClient("http://api.example.com", "t")
    ActivityClient("http://api.example.com", "t", allow_insecure_http=True).close()
    for loopback in ("http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"):
        ActivityClient(loopback, "t").close()


def test_requests_carry_auth_user_agent_and_gzip():
    server = Recorder(httpx.Response(200, json=OK_TYPES))
    with activity_client(server) as client:
        client.types()
    request = server.requests[0]
    assert request.url == "https://api.example.com/v1/activities/types"
    assert request.headers["Authorization"] == "Bearer secret-token"
    assert request.headers["User-Agent"] == USER_AGENT
    assert "gzip" in request.headers["Accept-Encoding"]


def test_pathway_token_is_sent_as_given_after_basic():
    body = b'{"status": "success", "data": [{"pathway": {"name": "P"}, "activities": []}]}'
    server = Recorder(httpx.Response(200, content=body))
    with pathway_client(server) as client:
        result = client.fetch(PathwayQuery("P", users=("joe@example.com",)))
    request = server.requests[0]
    assert request.method == "POST"
    assert request.url.path == "/v1/logs/pathway-logs"
    assert request.headers["Authorization"] == "Basic QmFzZTY0"
    assert request.read() == b'{"pathway":"P","users":["joe@example.com"]}'
    assert result.pathway.name == "P"


def test_token_never_appears_in_repr_or_error_messages():
    server = Recorder(httpx.Response(401, json={"message": "bad token secret-token"}))
    with activity_client(server) as client:
        assert "secret-token" not in repr(client)
        with pytest.raises(AuthError) as caught:
            client.types()
    assert "secret-token" not in str(caught.value)


@pytest.mark.parametrize(
    ("status", "error", "fragment"),
    [
        (401, AuthError, "expired"),
        (403, AuthError, "permission"),
        (404, NotFoundError, "404"),
        (400, ApiReportedError, "400"),
        (500, ServerError, "500"),
    ],
)
def test_status_codes_map_to_errors_that_say_what_to_do(status, error, fragment):
    server = Recorder(httpx.Response(status, text="oops"))
    with activity_client(server) as client, pytest.raises(error, match=fragment) as caught:
        client.types()
    assert caught.value.status == status


def test_the_apis_own_error_message_is_shown():
    server = Recorder(httpx.Response(400, json={"status": "error", "message": "Unknown group"}))
    with pathway_client(server) as client, pytest.raises(ApiReportedError, match="Unknown group"):
        client.fetch(PathwayQuery("P"))
    server = Recorder(
        httpx.Response(404, json={"statusCode": 404, "error_code": "NOT_FOUND", "trace_id": "t-1"})
    )
    with activity_client(server) as client, pytest.raises(NotFoundError, match=r"NOT_FOUND.*t-1"):
        client.mark_read("u")


def test_get_is_retried_on_503_then_succeeds():
    server = Recorder(httpx.Response(503), httpx.Response(502), httpx.Response(200, json=OK_TYPES))
    with activity_client(server) as client:
        assert client.types() == []
    assert len(server.requests) == 3


def test_retries_give_up_after_the_policy_attempts():
    server = Recorder(httpx.Response(504))
    with activity_client(server) as client, pytest.raises(ServerError, match="504"):
        client.types()
    assert len(server.requests) == FAST.attempts


def test_500_is_not_retried():
    server = Recorder(httpx.Response(500))
    with activity_client(server) as client, pytest.raises(ServerError):
        client.types()
    assert len(server.requests) == 1


def test_post_is_not_retried_blindly_but_pathway_query_is():
    server = Recorder(httpx.Response(503))
    with activity_client(server) as client, pytest.raises(ServerError):
        client.mark_read("u1")
    assert len(server.requests) == 1

    body = b'{"status": "success", "data": [{"pathway": {"name": "P"}}]}'
    server = Recorder(httpx.Response(503), httpx.Response(200, content=body))
    with pathway_client(server) as client:
        client.fetch(PathwayQuery("P"))
    assert len(server.requests) == 2


def test_connect_failure_is_retried_even_for_post():
    request = httpx.Request("POST", "https://api.example.com")
    server = Recorder(
        httpx.ConnectError("Connection refused", request=request), httpx.Response(204)
    )
    with activity_client(server) as client:
        client.mark_read("u1")
    assert len(server.requests) == 2


def test_429_honours_short_retry_after_and_reports_long_ones():
    server = Recorder(
        httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, json=OK_TYPES)
    )
    with activity_client(server) as client:
        client.types()
    assert len(server.requests) == 2

    server = Recorder(httpx.Response(429, headers={"Retry-After": "120"}))
    with (
        activity_client(server) as client,
        pytest.raises(RateLimitedError, match="2 minutes") as caught,
    ):
        client.types()
    assert caught.value.retry_after == 120
    assert len(server.requests) == 1


def test_retry_after_as_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == 30
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("exception", "error", "fragment"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), NetworkError, "refused"),
        (
            httpx.ConnectError("[Errno -2] Name or service not known"),
            NetworkError,
            "could not be found",
        ),
        (httpx.ConnectTimeout("timed out"), ApiTimeoutError, "connection in time"),
        (httpx.ReadTimeout("timed out"), ApiTimeoutError, "too long"),
        (httpx.RemoteProtocolError("peer closed"), NetworkError, "broke"),
        (httpx.ReadError("reset by peer"), NetworkError, "broke"),
    ],
)
def test_network_failures_become_network_errors(exception, error, fragment):
    server = Recorder(exception)
    with activity_client(server) as client, pytest.raises(error, match=fragment):
        client.types()


def test_redirect_to_another_origin_drops_the_token():
    server = Recorder(
        httpx.Response(
            302, headers={"Location": "https://elsewhere.example.net/v1/activities/types"}
        ),
        httpx.Response(200, json=OK_TYPES),
    )
    with activity_client(server) as client:
        client.types()
    first, second = server.requests
    assert first.headers["Authorization"] == "Bearer secret-token"
    assert second.url.host == "elsewhere.example.net"
    assert "Authorization" not in second.headers


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "empty"),
        (b"<html>Gateway</html>", "not JSON"),
        (b'{"data": "nope"}', "unexpected"),
    ],
)
def test_odd_bodies_with_200_are_bad_responses(body, fragment):
    server = Recorder(httpx.Response(200, content=body))
    with activity_client(server) as client, pytest.raises(BadResponseError, match=fragment):
        client.types()


def test_cancelled_token_stops_before_sending():
    server = Recorder(httpx.Response(200, json=OK_TYPES))
    token = CancelToken()
    token.cancel()
    with activity_client(server) as client, pytest.raises(Cancelled):
        client.types(cancel=token)
    assert server.requests == []


def test_progress_reports_bytes_received():
    body = b'{"status": "success", "data": [{"pathway": {"name": "P"}}]}'
    server = Recorder(httpx.Response(200, content=body))
    seen = []
    with pathway_client(server) as client:
        client.fetch(PathwayQuery("P"), progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == len(body)


def test_activity_page_sends_filters_and_repeats_type():
    page = {"data": [], "meta": {"page": 2, "per_page": 10, "total": 0}}
    server = Recorder(httpx.Response(200, json=page))
    with activity_client(server) as client:
        client.page(2, 10, types=("security", "identity"), subtype="login", reference_uuid="r-1")
    params = server.requests[0].url.params
    assert params.get_list("type") == ["security", "identity"]
    assert (params["page"], params["per_page"], params["subtype"], params["reference_uuid"]) == (
        "2",
        "10",
        "login",
        "r-1",
    )


def test_mark_read_quotes_the_uuid_into_one_path_segment():
    server = Recorder(httpx.Response(204))
    with activity_client(server) as client:
        client.mark_read("a b:c+é", read=False)
        with pytest.raises(BadResponseError):  # a slash is refused rather than encoded
            client.mark_read("../../admin", read=False)
    [request] = server.requests
    assert request.url.raw_path == b"/v1/activities/a%20b%3Ac%2B%C3%A9/read"
    assert request.read() == b'{"read":false}'


def test_mark_all_read_omits_what_is_not_given():
    server = Recorder(httpx.Response(204))
    with activity_client(server) as client:
        client.mark_all_read(True, "security")
        client.mark_all_read(False, "security", "login")
    assert server.requests[0].read() == b'{"isRead":true,"type":"security"}'
    assert server.requests[1].read() == b'{"isRead":false,"type":"security","subtype":"login"}'
