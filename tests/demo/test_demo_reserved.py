"""A demo server reserved before it is loaded: its address and credentials are known at once,
and requests made before it starts are answered once it does."""

from __future__ import annotations

import socket
import threading

import httpx

from viewer.demo.reserved import ReservedDemo
from viewer.demo.server import DemoServer


def test_reserved_address_and_credentials_are_those_of_the_server_it_starts():
    demo = ReservedDemo(seed=5, users=10, inbox=10)
    try:
        with DemoServer(seed=5, users=10, inbox=10) as alike:
            expected = (alike.pathway_token, alike.activity_token)
            expected += (alike.client_id, alike.client_secret)
        assert (demo.pathway_token, demo.activity_token, demo.client_id, demo.client_secret) == (
            expected
        )
        assert demo.server is None
        demo.start()
        assert demo.server is not None
        assert demo.server.url == demo.url
        assert demo.server.connect_url == demo.connect_url
    finally:
        demo.stop()


def test_a_request_made_before_the_start_waits_and_is_answered_after_it():
    demo = ReservedDemo(seed=5, users=10, inbox=10)
    answers: list[int] = []
    sent = threading.Event()

    def ask() -> None:
        with httpx.Client(timeout=30) as client:
            sent.set()
            response = client.get(
                f"{demo.url}/v1/activities/types",
                headers={"Authorization": f"Bearer {demo.activity_token}"},
            )
            answers.append(response.status_code)

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        sent.wait(10)
        assert not answers  # nothing serves the socket yet
        demo.start()
        asker.join(30)
        assert answers == [200]
    finally:
        demo.stop()
        asker.join(30)


def test_stopping_before_the_start_gives_the_address_up_and_a_later_start_does_nothing():
    demo = ReservedDemo(seed=5, users=10, inbox=10)
    demo.stop()
    demo.start()
    assert demo.server is None
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", demo.port)) != 0


def test_stop_after_the_start_stops_the_server():
    demo = ReservedDemo(seed=5, users=10, inbox=10)
    demo.start()
    demo.stop()
    demo.stop()  # twice is harmless
    assert demo.server is None
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", demo.port)) != 0
