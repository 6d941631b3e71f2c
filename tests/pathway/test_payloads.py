"""An activity's columns kept as one block (``viewer.pathway.data.Payloads`` and ``Texts``)."""

from __future__ import annotations

import msgspec
import pytest

from viewer.pathway.data import Payloads, Texts

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
    for rows in ([3, 0, 1], [], [1, 1], range(4), range(1, 3), [-1, 2]):
        assert payloads.pick(rows) == [payloads[row] for row in rows]


_TIMES = ["2026-01-02T03:04:05Z", None, "", "2026-12-31T23:59:59+01:00", None]


def test_texts_read_back_as_given_missing_ones_as_none():
    texts = Texts(_TIMES)
    assert len(texts) == 5
    assert [texts[row] for row in range(5)] == _TIMES
    assert list(texts) == _TIMES == texts
    assert texts[-1] is None and texts[-2] == "2026-12-31T23:59:59+01:00"
    assert texts[1:4] == [None, "", "2026-12-31T23:59:59+01:00"]
    with pytest.raises(IndexError):
        texts[5]
    assert Texts(iter(_TIMES)) == Texts(_TIMES) != Texts(_TIMES[:4])
    assert list(Texts()) == [] and Texts(["a", "b"]) != Texts(["ab", ""])


def test_picking_texts_gives_what_indexing_each_gives():
    texts = Texts(_TIMES)
    for rows in ([4, 0, 1], [], [2, 2], range(5), range(1, 4), [-1, 3, -5]):
        assert texts.pick(rows) == [texts[row] for row in rows]
