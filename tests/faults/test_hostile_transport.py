"""The HTTP core against servers that trickle, fall silent, never accept, or send bombs."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable

import httpx
import pytest

from tests.faults.hostile import (
    HostileServer,
    gzip_bomb,
    gzip_bomb_answer,
    head,
    json_answer,
    pathway_answer,
    sends,
    silent,
    trickle,
)
from tests.faults.support import never_accepting
from viewer.api import (
    ApiTimeoutError,
    BadResponseError,
    Cancelled,
    CancelToken,
    PathwayClient,
    PathwayQuery,
    ServerError,
)
from viewer.api.errors import AnswerTooLargeError
from viewer.api.http import NO_RETRY

#: Long enough that a test only passes when cancelling or the deadline ends the request.
PATIENT = httpx.Timeout(30.0)
#: What "at once" means on a loaded two-core machine; the measured figure is far smaller.
PROMPTLY = 1.5
QUERY = PathwayQuery("Pathway A")


def _client(url: str, **options) -> PathwayClient:
    options.setdefault("timeout", PATIENT)
    options.setdefault("retry", NO_RETRY)
    return PathwayClient(url, "token", **options)


class Background:
    """Runs ``fn`` in a thread; keeps what it returned or raised."""

    def __init__(self, fn: Callable[[], object]) -> None:
        self.result: object = None
        self.error: BaseException | None = None
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[[], object]) -> None:
        try:
            self.result = fn()
        except BaseException as exc:
            self.error = exc
        finally:
            self.ended.set()


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "the server never got that far"
        time.sleep(0.01)


def _cancel_and_time(token: CancelToken, job: Background) -> float:
    started = time.monotonic()
    token.cancel()
    assert job.ended.wait(10), "the request went on after it was cancelled"
    return time.monotonic() - started


STUCK = {
    "silent": silent(),
    "trickled-head": trickle(pathway_answer(), interval=1.0),
    "trickled-body": trickle(pathway_answer(), interval=1.0, headers_first=True),
}


@pytest.mark.parametrize("behaviour", STUCK.values(), ids=STUCK.keys())
def test_cancel_stops_a_request_at_once_whatever_the_server_does(behaviour):
    with HostileServer(behaviour) as server, _client(server.url) as client:
        token = CancelToken()
        job = Background(lambda: client.fetch_body(QUERY, cancel=token))
        _wait_for(lambda: bool(server.requests))
        time.sleep(0.3)  # the request is now inside a read that waits on the server
        elapsed = _cancel_and_time(token, job)
    assert isinstance(job.error, Cancelled), job.error
    assert elapsed < PROMPTLY


def test_cancel_stops_a_connection_that_is_never_accepted():
    with never_accepting() as url, _client(url) as client:
        token = CancelToken()
        job = Background(lambda: client.fetch_body(QUERY, cancel=token))
        time.sleep(0.3)
        elapsed = _cancel_and_time(token, job)
    assert isinstance(job.error, Cancelled), job.error
    assert elapsed < PROMPTLY


def test_a_connection_cancelled_mid_request_is_not_reused():
    """The next request on the same client works: the broken connection was dropped."""
    answers = iter([silent(), sends(pathway_answer())])

    def behaviour(conn, request, stop):
        next(answers)(conn, request, stop)

    with HostileServer(behaviour) as server, _client(server.url) as client:
        token = CancelToken()
        job = Background(lambda: client.fetch_body(QUERY, cancel=token))
        _wait_for(lambda: bool(server.requests))
        _cancel_and_time(token, job)
        assert isinstance(job.error, Cancelled)
        assert b"Pathway A" in client.fetch_body(QUERY)


def test_a_trickling_server_is_stopped_by_the_overall_deadline():
    # A byte every 0.2 s never lets the 30 s read timeout run out.
    behaviour = trickle(pathway_answer(), interval=0.2, headers_first=True)
    with HostileServer(behaviour) as server, _client(server.url, deadline=1.0) as client:
        started = time.monotonic()
        with pytest.raises(ApiTimeoutError) as caught:
            client.fetch_body(QUERY)
        elapsed = time.monotonic() - started
    assert elapsed < 1.0 + PROMPTLY
    message = str(caught.value)
    assert "127.0.0.1" in message and "1 second" in message, message


def test_the_deadline_covers_retries_and_their_waits():
    behaviour = sends(head(503, "Busy", Retry_After="5", Content_Length="0"))
    with HostileServer(behaviour) as server:
        client = PathwayClient(server.url, "token", deadline=1.0, timeout=PATIENT)
        with client:
            started = time.monotonic()
            with pytest.raises((ServerError, ApiTimeoutError)):
                client.fetch_body(QUERY)
        assert time.monotonic() - started < 1.0 + PROMPTLY


def test_a_silent_server_ends_at_the_deadline_with_the_time_waited():
    with (
        HostileServer(silent()) as server,
        _client(server.url, deadline=0.5) as client,
        pytest.raises(ApiTimeoutError, match=r"no complete answer within 0.5 seconds"),
    ):
        client.fetch_body(QUERY)


# -- what one answer may cost -------------------------------------------------------------

MB = 1_000_000


def _peak_while(fn: Callable[[], object]) -> tuple[int, object]:
    tracemalloc.start()
    try:
        try:
            outcome: object = fn()
        except Exception as exc:
            outcome = exc
        return tracemalloc.get_traced_memory()[1], outcome
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_is_stopped_at_the_cap_without_expanding_it():
    start = b'{"status": "success", "data": [{"pathway": {"name": "'
    bomb = gzip_bomb_answer(64 << 20, prefix=start)
    with HostileServer(bomb) as server, _client(server.url, max_answer_bytes=2 * MB) as client:
        peak, outcome = _peak_while(lambda: client.fetch_body(QUERY))
    assert isinstance(outcome, AnswerTooLargeError), outcome
    assert "2 MB" in str(outcome) and outcome.limit == 2 * MB
    assert peak < 12 * MB, f"{peak / MB:.0f} MB held while reading a 2 MB capped answer"


def test_an_answer_declared_larger_than_the_cap_is_refused_before_reading():
    body = b"x" * (3 * MB)
    payload = head(200, "OK", Content_Type="application/json", Content_Length=str(len(body)))
    with (
        HostileServer(sends(payload + body)) as server,
        _client(server.url, max_answer_bytes=MB, limit_hint="raise --max-answer-mb") as client,
        pytest.raises(AnswerTooLargeError, match="raise --max-answer-mb"),
    ):
        client.fetch_body(QUERY)


def test_an_answer_of_unknown_length_is_cut_at_the_cap():
    def pieces():
        yield head(200, "OK", Content_Type="application/json", Transfer_Encoding="chunked")
        chunk = b"y" * 65536
        for _ in range(64):
            yield b"%x\r\n%s\r\n" % (len(chunk), chunk)
        yield b"0\r\n\r\n"

    with HostileServer(sends(pieces)) as server, _client(server.url, max_answer_bytes=MB) as c:
        peak, outcome = _peak_while(lambda: c.fetch_body(QUERY))
    assert isinstance(outcome, AnswerTooLargeError), outcome
    assert peak < 6 * MB


def test_an_error_answer_that_is_a_bomb_is_read_only_as_far_as_its_excerpt():
    packed = b"".join(gzip_bomb(200 * MB, prefix=b'{"message": "broken"}', fill=b" "))

    def bomb_500(conn, request, stop):
        conn.sendall(head(500, "Oops", Content_Encoding="gzip", Connection="close") + packed)
        conn.close()

    with HostileServer(bomb_500) as server, _client(server.url) as client:
        peak, outcome = _peak_while(lambda: client.fetch_body(QUERY))
    assert isinstance(outcome, ServerError), outcome
    assert peak < 8 * MB


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "x-gzip", "zlib-deflate"])
def test_compressed_answers_within_the_cap_are_read(encoding):
    body = pathway_answer().split(b"\r\n\r\n", 1)[1]
    if encoding == "deflate":
        packed = zlib.compress(body)
    elif encoding == "zlib-deflate":  # some servers send raw deflate under that name
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed, encoding = compressor.compress(body) + compressor.flush(), "deflate"
    else:
        packed = gzip.compress(body)
    payload = head(200, "OK", Content_Encoding=encoding, Content_Length=str(len(packed)))
    with HostileServer(sends(payload + packed)) as server, _client(server.url) as client:
        assert client.fetch_body(QUERY) == body


def test_an_answer_in_an_encoding_nobody_asked_for_is_refused():
    payload = head(200, "OK", Content_Encoding="br", Content_Length="4") + b"abcd"
    with (
        HostileServer(sends(payload)) as server,
        _client(server.url) as client,
        pytest.raises(BadResponseError, match="br"),
    ):
        client.fetch_body(QUERY)


def test_an_answer_exactly_at_the_cap_is_read():
    body = json_answer({"status": "success", "pad": "z" * 1000}).split(b"\r\n\r\n", 1)[1]
    payload = head(200, "OK", Content_Length=str(len(body))) + body
    with (
        HostileServer(sends(payload)) as server,
        _client(server.url, max_answer_bytes=len(body)) as client,
    ):
        assert client.fetch_body(QUERY) == body
