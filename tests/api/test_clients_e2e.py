"""The clients against the real demo server on loopback."""

from __future__ import annotations

import pytest

from viewer.api import ActivityClient, AuthError, PathwayClient, PathwayQuery, RetryPolicy

NO_RETRY = RetryPolicy(attempts=1)


@pytest.fixture
def inbox(demo_server):
    with ActivityClient(demo_server.url + "/v1/", demo_server.activity_token, retry=NO_RETRY) as c:
        yield c


def test_walk_yields_every_activity_once_while_new_ones_arrive(demo_server, inbox):
    before = {a.uuid for a in inbox.walk(per_page=100)}
    assert len(before) == 230
    walked = []
    for activity in inbox.walk(per_page=250):  # more than the server's cap of 100
        walked.append(activity.uuid)
        if len(walked) in (1, 150):
            demo_server.add_activities(7)
    assert len(walked) == len(set(walked))
    assert set(walked) == before


def test_walk_with_filters_matches_the_servers_total(demo_server, inbox):
    kind = inbox.types()[0]
    page = inbox.page(1, 5, types=(kind.name,))
    walked = list(inbox.walk(per_page=7, types=(kind.name,)))
    assert len(walked) == page.meta.total
    assert {a.type for a in walked} == {kind.name}


def test_mark_read_and_mark_all_read_move_the_unread_count(inbox):
    unread = [a for a in inbox.walk(per_page=100) if not a.is_read]
    counts = inbox.unread_count()
    assert counts.unread == len(unread)
    inbox.mark_read(unread[0].uuid)
    assert inbox.unread_count().unread == len(unread) - 1
    inbox.mark_read(unread[0].uuid, read=False)
    assert inbox.unread_count().unread == len(unread)
    kind = unread[0].type
    inbox.mark_all_read(True, kind)
    after = inbox.unread_count()
    assert after.for_type(kind) == 0
    assert after.unread == len(unread) - counts.for_type(kind)


def test_pathway_fetch_with_base_url_variants_and_filters(demo_server):
    for base in (demo_server.url, demo_server.url + "/", demo_server.url + "/v1"):
        with PathwayClient(base, demo_server.pathway_token, retry=NO_RETRY) as client:
            result = client.fetch(PathwayQuery("Pathway A", activities=("Story A",)))
        assert [a.name for a in result.activities] == ["Story A"]
        assert result.hash and result.response_time is not None
    with PathwayClient(demo_server.url, demo_server.pathway_token, retry=NO_RETRY) as client:
        joe = client.fetch(PathwayQuery("Pathway A", users=("joe.soap@example.com",)))
    assert {log.email for a in joe.activities for log in a.logs} == {"joe.soap@example.com"}


def test_each_service_refuses_the_others_token(demo_server):
    pathways = PathwayClient(demo_server.url, demo_server.activity_token, retry=NO_RETRY)
    with pathways, pytest.raises(AuthError, match="401"):
        pathways.fetch(PathwayQuery("Pathway A"))
    inbox = ActivityClient(demo_server.url, demo_server.pathway_token, retry=NO_RETRY)
    with inbox, pytest.raises(AuthError):
        inbox.types()
