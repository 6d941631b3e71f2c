"""Tokens stay out of the HTTP libraries' debug logs."""

from __future__ import annotations

import logging
import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.http_handler import QuietHandler
from viewer.api import ActivityClient, PathwayClient, PathwayQuery
from viewer.api.redaction import LOGGERS, REDACTED

TOKEN = "sekrit-token-0123456789"


class _Echo(QuietHandler):
    """Answers with the request's own Authorization header, as some debugging proxies do."""

    def _answer(self) -> None:
        self.drain_body()
        body = b'{"unread": 1, "types": {}}'
        self.send_response(200)
        self.send_header("Authorization", self.headers.get("Authorization", ""))
        self.send_header("Set-Cookie", f"echo={self.headers.get('Authorization', '')}")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture
def echo_url():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_debug_logs_of_a_server_echoing_the_token_do_not_show_it(caplog, echo_url):
    caplog.set_level(logging.DEBUG)
    with ActivityClient(echo_url, TOKEN) as client:
        assert client.unread_count().unread == 1
    with PathwayClient(echo_url, TOKEN) as client, pytest.raises(Exception):  # noqa: B017
        client.fetch(PathwayQuery("P"))  # the echo is no pathway answer: only the logs matter
    headers = [r for r in caplog.records if "receive_response_headers.complete" in r.getMessage()]
    assert len(headers) == 2  # httpcore did log the answers' headers
    assert all(REDACTED in record.getMessage() for record in headers)
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("name", LOGGERS)
def test_a_credential_quoted_in_any_http_log_is_hidden(caplog, name):
    caplog.set_level(logging.DEBUG)
    ActivityClient("http://127.0.0.1:1", "t").close()  # the API layer puts the filter on
    logger = logging.getLogger(name)
    logger.debug("send_request_headers.failed exception=%r", ValueError(f"b'Basic {TOKEN}\\n'"))
    logger.debug("headers %s", {"authorization": f"Bearer {TOKEN}"})
    logger.debug("Authorization: Bearer %s\r\nHost: x", TOKEN)
    logger.debug("challenge %s", 'WWW-Authenticate: Basic realm="pathway-logs"')
    assert len(caplog.records) == 4
    assert TOKEN not in caplog.text
    assert caplog.text.count(REDACTED) == 3
    assert 'realm="pathway-logs"' in caplog.text
