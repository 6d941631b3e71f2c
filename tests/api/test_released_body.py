"""Giving back an answer's memory as it is read (``body.release``, ``read_pathway_logs``'s
``release``): the logs handed on are those a plain read gives, and errors read the same."""

from __future__ import annotations

import json
import mmap
import sys
from pathlib import Path

import pytest

from tests.pathway.made_answers import answer
from viewer.api.body import release
from viewer.api.errors import BadResponseError
from viewer.api.pathway import read_pathway_logs
from viewer.api.pathway_slices import array_starts
from viewer.pathway.fetch import build_pathway_data

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="pages are given back on Linux")


def _resident() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * mmap.PAGESIZE


@linux_only
def test_released_pages_go_back_to_the_system_and_read_as_zeros():
    body = bytearray(b"x" * (64 << 20))
    before = _resident()
    given = release(body, 10, 48 << 20)
    assert given > 47 << 20 and given % mmap.PAGESIZE == 0
    assert before - _resident() > 40 << 20
    assert body[:10] == b"x" * 10  # what the call was not given is left as it was
    assert body[(48 << 20) :] == b"x" * (16 << 20)
    assert body[mmap.PAGESIZE * 2 : mmap.PAGESIZE * 3] == bytes(mmap.PAGESIZE)
    assert len(body) == 64 << 20


def test_only_whole_pages_of_a_bytearray_are_given_back():
    assert release(b"x" * (1 << 20), 0, 1 << 20) == 0  # bytes never change
    small = bytearray(b"y" * 100)
    assert release(small, 0, 100) == 0 and small == b"y" * 100


def _logs_of(body: bytes | bytearray, **options):
    seen: dict[int, list] = {}
    calls: list[int] = []

    def consume(index, logs):
        calls.append(index)
        # Copies: a log's fulfilment is a view of the body, which release may clear.
        seen[index] = [(log.email, log.status.state, bytes(log.fulfilment)) for log in logs]

    head = read_pathway_logs(body, consume, **options)
    return head, seen, calls


@linux_only
def test_an_answer_read_with_release_hands_on_what_a_plain_read_does():
    body = answer(users=3000, activities=4)
    plain_head, plain, _ = _logs_of(body)
    released = bytearray(body)
    head, seen, calls = _logs_of(released, release=True)
    assert seen == plain and calls == [0, 1, 2, 3]
    assert head.spans == plain_head.spans and head.activities == plain_head.activities
    start = head.spans[1][0]
    assert released[start + mmap.PAGESIZE : start + 2 * mmap.PAGESIZE] == bytes(mmap.PAGESIZE)
    # Outside the arrays the answer is as it came (the envelope was read from there).
    assert released[: head.spans[0][0]] == body[: head.spans[0][0]]
    data, kept = build_pathway_data(bytearray(body), release=True), build_pathway_data(body)
    assert [u.email for u in data.users] == [u.email for u in kept.users]
    for activity, same in zip(data.activities, kept.activities, strict=True):
        assert activity.fulfilment == same.fulfilment and activity.states == same.states
        assert activity.timestamps == same.timestamps and activity.users == same.users


def test_a_bad_log_after_released_activities_reads_as_without_release():
    doc = json.loads(answer(users=3000, activities=4))
    doc["data"][0]["activities"][2]["logs"][5]["email"] = 12  # not a string
    body = json.dumps(doc).encode()
    with pytest.raises(BadResponseError) as plain:
        _logs_of(body)
    calls: list[int] = []
    with pytest.raises(BadResponseError) as released:
        read_pathway_logs(bytearray(body), lambda i, _logs: calls.append(i), release=True)
    assert str(released.value) == str(plain.value)
    assert "Activity 2" in str(released.value)
    assert calls == [0, 1]  # the first two once, not again from the start


def test_an_answer_with_logs_elsewhere_is_read_whole_and_nothing_is_let_go():
    doc = json.loads(answer(users=3000, activities=3))
    # A "logs" array that is no activity's: the quick path cannot trust what it finds.
    doc["data"][0]["activities"][1]["extra"] = {"logs": [{"email": "nobody"}]}
    body = json.dumps(doc).encode()
    assert array_starts(body) is not None and len(array_starts(body)) == 4
    _, plain, _ = _logs_of(body)
    released = bytearray(body)
    _, seen, _ = _logs_of(released, release=True)
    assert seen == plain and released == body
