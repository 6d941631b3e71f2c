"""The demo data moves by itself, the same way for a seed, driven here by a clock of our own."""

from __future__ import annotations

from viewer.api.activity import ActivityClient
from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.demo.motion import MAX_CATCH_UP, STEP_SECONDS
from viewer.demo.server import DemoServer

PATHWAY = "Pathway A"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def completed(client: PathwayClient) -> tuple[int, list[str]]:
    data = client.fetch(PathwayQuery(PATHWAY))
    logs = [log for activity in data.activities for log in activity.logs]
    stamps = sorted(log.status.timestamp or "" for log in logs)
    done = sum(1 for log in logs if log.status.state == "completed")
    return done, stamps


def test_logs_progress_and_activities_arrive_as_the_clock_moves():
    clock = Clock()
    with DemoServer(users=40, inbox=20, clock=clock) as server:
        pathways = PathwayClient(server.url, server.pathway_token)
        inbox = ActivityClient(server.url, server.activity_token)
        with pathways, inbox:
            first = completed(pathways)
            unread = inbox.unread_count().unread
            assert completed(pathways) == first  # no time has gone by: nothing moved
            clock.now += STEP_SECONDS * 10
            later = completed(pathways)
            assert later != first
            assert later[0] >= first[0]
            assert later[1][-1] > first[1][-1]  # the moved logs are the newest
            assert inbox.unread_count().unread > unread
            assert server.motion is not None and server.motion.steps == 10


def test_the_motion_is_the_same_for_a_seed_and_a_time():
    seen = []
    for clock in (Clock(), Clock(), None):
        with (
            DemoServer(users=30, inbox=10, seed=5, clock=clock) as server,
            PathwayClient(server.url, server.pathway_token) as client,
        ):
            completed(client)
            if clock is not None:
                clock.now += STEP_SECONDS * 7 + 5
            seen.append(_without_timings(client.fetch_body(PathwayQuery(PATHWAY))))
    moved, again, still = seen
    assert moved == again
    assert moved != still


def _without_timings(body: bytes) -> bytes:
    return body.split(b',"response_time":')[0]


def test_a_long_sleep_moves_the_data_a_bounded_amount():
    clock = Clock()
    with DemoServer(users=20, inbox=5, clock=clock) as server:
        with ActivityClient(server.url, server.activity_token) as client:
            client.unread_count()
            clock.now += STEP_SECONDS * 10_000
            client.unread_count()
        assert server.motion is not None
        assert server.motion.steps == 10_000
        assert server.motion.arrived <= 3 * MAX_CATCH_UP


def test_without_a_clock_the_data_stays_as_generated(demo_server):
    assert demo_server.motion is None
