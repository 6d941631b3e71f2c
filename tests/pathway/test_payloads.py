"""An activity's raw fulfilments kept in compressed blocks (``viewer.pathway.data.Payloads``)."""

from __future__ import annotations

import msgspec
import pytest

from viewer.pathway.data import Payloads

_RAWS = [b'{"a":1}', b"[]", b'"x"', b'{"b":[1,2]}']
_SEEN = [b'{"a":1}', None, b'"x"', b'{"b":[1,2]}']


def test_each_payload_reads_as_sent_and_an_empty_one_as_none():
    payloads = Payloads(msgspec.Raw(raw) for raw in _RAWS)
    assert len(payloads) == 4
    assert [payloads[row] for row in range(4)] == _SEEN
    assert list(payloads) == _SEEN
    assert payloads == _SEEN


def test_rows_count_from_the_end_and_slices_are_lists():
    payloads = Payloads(_RAWS)
    assert payloads[-1] == b'{"b":[1,2]}'
    assert payloads[-4] == b'{"a":1}'
    assert payloads[1:3] == [None, b'"x"']
    assert payloads[::-2] == [b'{"b":[1,2]}', None]
    with pytest.raises(IndexError):
        payloads[4]
    with pytest.raises(IndexError):
        payloads[-5]


def test_payloads_are_equal_by_what_they_hold():
    assert Payloads(msgspec.Raw(raw) for raw in _RAWS) == Payloads(_RAWS)
    assert Payloads() == [] == Payloads([])
    assert Payloads([b"[]"]) == [None]
    assert Payloads([b"[]"]) != Payloads([b"[1]"])
    assert Payloads([b"ab", b"c"]) != Payloads([b"a", b"bc"])


def test_picking_rows_gives_what_indexing_each_gives():
    payloads = Payloads(_RAWS)
    for rows in ([3, 0, 1], [], [1, 1], range(len(_RAWS)), range(1, 3), [-1, 2]):
        assert payloads.pick(rows) == [payloads[row] for row in rows]
    assert Payloads().pick(range(0)) == []


def test_an_activity_of_many_logs_reads_the_same_across_its_blocks():
    raws = [b"[]" if n % 7 == 0 else b'{"n":%d}' % n for n in range(20_000)]
    seen = [None if raw == b"[]" else raw for raw in raws]
    payloads = Payloads(raws)
    assert len(payloads._blocks) > 2  # the test crosses blocks
    assert list(payloads) == seen
    assert [payloads[row] for row in (0, 8191, 8192, 8193, 16383, 16384, 19_999)] == [
        seen[row] for row in (0, 8191, 8192, 8193, 16383, 16384, 19_999)
    ]
    assert payloads[-1] == seen[-1] and payloads[-8193] == seen[-8193]
    for rows in (range(20_000), range(8000, 8400), range(8192, 16384), range(5, 5), range(3, 1)):
        assert payloads.pick(rows) == seen[rows.start : rows.stop]
    rows = [19_999, 0, 8192, -1, -20_000, 8191, 8191]
    assert payloads.pick(rows) == [seen[row] for row in rows]
    assert payloads == Payloads(raws) and payloads != Payloads(raws[:-1])


def test_picking_rows_that_are_not_there_fails_as_indexing_does():
    payloads = Payloads(_RAWS)
    for rows in ([4], [-5], range(2, 5)):
        with pytest.raises(IndexError):
            payloads.pick(rows)


def test_payloads_keep_compressed_and_read_back_whole():
    raws = [b'{"type":"data","state":"completed","data":{"current":%d}}' % n for n in range(20_000)]
    payloads = Payloads(raws)
    _, blocks = payloads.parts()
    assert sum(map(len, blocks)) * 4 < sum(map(len, raws))
    assert list(payloads) == raws
    assert Payloads.from_parts(*payloads.parts()) == payloads


def test_rows_read_in_turn_from_many_activities_are_each_their_own():
    # More activities than blocks kept open: each read must open its own block again.
    activities = [Payloads([b'{"a":%d,"r":%d}' % (a, r) for r in range(3)]) for a in range(9)]
    for turn in range(2):
        for a, payloads in enumerate(activities):
            assert payloads[turn] == b'{"a":%d,"r":%d}' % (a, turn)
            assert payloads.pick([2, 0]) == [b'{"a":%d,"r":2}' % a, b'{"a":%d,"r":0}' % a]
