"""An activity's UUID from the server cannot turn mark-read into another request."""

from __future__ import annotations

import pytest

from viewer.api import ActivityClient, BadResponseError
from viewer.api.http import NO_RETRY


@pytest.mark.parametrize(
    "uuid", [".", "..", "", "a/b", "../../v1/activities", "x?read=0", "x#y", "a\\..", "a\nb"]
)
@pytest.mark.parametrize("read", [True, False])
def test_a_uuid_that_would_change_the_address_is_refused_before_any_request(
    demo_server, uuid, read
):
    with ActivityClient(demo_server.url, demo_server.activity_token, retry=NO_RETRY) as inbox:
        unread = inbox.unread_count().unread
        demo_server.clear_request_log()
        with pytest.raises(BadResponseError, match="cannot be marked"):
            inbox.mark_read(uuid, read)
        assert demo_server.request_log == []
        assert inbox.unread_count().unread == unread


def test_an_ordinary_uuid_is_still_marked(demo_server):
    with ActivityClient(demo_server.url, demo_server.activity_token, retry=NO_RETRY) as inbox:
        first = inbox.page(1, 1).data[0]
        inbox.mark_read(first.uuid, not first.is_read)
        assert inbox.page(1, 1).data[0].is_read is (not first.is_read)
