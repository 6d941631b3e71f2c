"""Activity pages, types and counts, and the HTTP error mapping, on generated answers."""

from __future__ import annotations

import contextlib

import httpx
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz.conftest import PAYLOADS
from tests.fuzz.strategies import encoded, fuzz, garbled, json_value, text
from viewer.api.activity import ActivityClient
from viewer.api.activity_types import UnreadCount, parse_unread_count
from viewer.api.errors import ApiError
from viewer.api.http import NO_RETRY

maybe_text = st.none() | text
activity = st.fixed_dictionaries(
    {"uuid": st.uuids().map(str) | text},
    optional={
        "title": maybe_text,
        "description": maybe_text,
        "type": maybe_text,
        "subtype": maybe_text,
        "is_read": st.none() | st.booleans(),
        "is_push_sent": st.none() | st.booleans(),
        "meta_data": json_value | encoded(json_value).map(bytes.decode),
        "created_at": st.none() | st.sampled_from(["2024-05-01T10:00:00Z", "soon"]) | text,
    },
)
page = st.fixed_dictionaries(
    {"data": st.lists(activity, max_size=6)},
    optional={
        "meta": st.fixed_dictionaries(
            {},
            optional={
                "page": st.none() | st.integers(1, 5),
                "per_page": st.none() | st.integers(1, 100),
                "total": st.none() | st.integers(0, 1000),
            },
        )
    },
)
count_value = json_value | st.integers(-5, 10**6) | st.sampled_from(["12", "²", "٣", " 7 "])
unread = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {},
        optional={
            "unread": count_value,
            "total": count_value,
            "types": st.dictionaries(
                text,
                count_value
                | st.fixed_dictionaries(
                    {},
                    optional={
                        "total": count_value,
                        "subtypes": st.dictionaries(text, count_value, max_size=3)
                        | st.lists(
                            st.fixed_dictionaries(
                                {},
                                optional={"name": json_value, "count": count_value},
                            ),
                            max_size=3,
                        ),
                    },
                ),
                max_size=3,
            )
            | st.lists(st.dictionaries(st.sampled_from(["name", "type", "total"]), count_value)),
        },
    ),
)


def _client(status: int, body: bytes, headers: dict[str, str]) -> ActivityClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    return ActivityClient(
        "https://api.example.test",
        "secret-token",
        transport=httpx.MockTransport(answer),
        retry=NO_RETRY,
    )


@fuzz()
@given(st.one_of(encoded(page), garbled(encoded(page)), encoded(json_value)))
def test_pages_are_decoded_or_refused_with_the_apps_error(body: bytes):
    PAYLOADS["activity: pages"] += 1
    with _client(200, body, {}) as client:
        try:
            result = client.page()
        except ApiError:
            return
    for item in result.data:
        item.meta()  # never raises, whatever meta_data holds


@fuzz()
@given(st.one_of(encoded(json_value), garbled(encoded(json_value))))
def test_types_are_decoded_or_refused_with_the_apps_error(body: bytes):
    PAYLOADS["activity: types"] += 1
    with _client(200, body, {}) as client, contextlib.suppress(ApiError):
        client.types()


@fuzz()
@given(unread)
def test_unread_count_is_read_or_declined_never_fails(value):
    PAYLOADS["activity: unread counts"] += 1
    counts = parse_unread_count(value)
    assert counts is None or isinstance(counts, UnreadCount)
    if counts is not None:
        assert isinstance(counts.unread, int)
        assert all(isinstance(t.total, int) for t in counts.types.values())


header_value = st.one_of(
    st.sampled_from(
        ["0", "7", "-1", "1e999", "inf", "nan", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", ""]
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
)


@fuzz()
@given(
    status=st.sampled_from([429, 429, 503, 401, 404, 500, 200]) | st.integers(200, 599),
    body=st.one_of(encoded(json_value), st.binary(max_size=100)),
    headers=st.dictionaries(
        st.sampled_from(["Retry-After", "Content-Type", "Content-Encoding", "X-Other"]),
        header_value,
        max_size=3,
    ),
)
@example(status=429, body=b"", headers={"Retry-After": "1e999"})
@example(status=429, body=b"", headers={"Retry-After": "Fri, 31 Dec 99999 23:59:59 GMT"})
def test_any_status_body_and_headers_end_in_the_apps_error_or_a_result(status, body, headers):
    PAYLOADS["http: status, body and headers"] += 1
    if status in (301, 302, 303, 307, 308):
        headers.pop("Location", None)
    with _client(status, body, headers) as client:
        for call in (client.page, client.types, client.unread_count):
            try:
                call()
            except ApiError as exc:
                assert "secret-token" not in str(exc)
                assert str(exc).strip()
