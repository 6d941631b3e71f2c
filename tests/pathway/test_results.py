"""The Result column summed up a whole activity at once says what each log's summary says."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from viewer.api.pathway_types import Fulfilment
from viewer.pathway.results import result_summaries


def _one_by_one(raws: list[bytes | None]) -> list[str]:
    texts = []
    for raw in raws:
        info = None if raw is None else Fulfilment.parse(raw)
        texts.append("" if info is None else info.summary())
    return texts


_ODD = [
    b'{"type":"data","data":{"category":"Steps","current":5,"target":10}}',
    b'{"data":{"category":"Steps","current":5.0,"target":10}}',  # equal to the one above
    b'{"data":{"category":"Steps","current":true,"target":10}}',  # true == 1, not "1"
    b'{"data":{"category":"Steps","current":1,"target":10}}',
    b'{"data":{"category":7,"current":1}}',
    b'{"data":{"category":7.0,"current":1}}',  # 7 == 7.0, but "7" != "7.0"
    b'{"data":{}}',
    b'{"data":null,"view":{"views":2,"seconds":30}}',
    b'{"story":{"score":null}}',
    b'{"assessment":{"score":80},"data":"text"}',
    b'{"survey":{"score":[1]}}',
    b'{"checkin":{"virtual":"yes"}}',
    b'{"checkin":{"virtual":false,"distance":-1}}',
    b'{"checkin":{"distance":1500.5}}',
    b'{"checkin":{"distance":true}}',
    b'{"type":"video","state":"completed"}',
    b'{"qrcode":{"code":"QR-1","scans":1},"story":{"score":3}}',
    b'{"upload":"receipt.jpg"}',
    b"{}",
    b"null",
    b'"just text"',
    b"[1,2]",
    b'{"broken": ',
    None,
]


def test_every_odd_payload_is_summed_up_as_on_its_own():
    assert result_summaries(_ODD) == _one_by_one(_ODD)


def test_odd_payloads_two_by_two_among_documented_ones_are_summed_up_as_on_their_own():
    # Two at a time: values equal as numbers (1, 1.0, true) must not share a text.
    steps = b'{"data":{"category":"Steps","current":3,"target":4}}'
    for odd in _ODD:
        for other in _ODD:
            raws = [steps, odd, steps, None, other, b'{"checkin":{"virtual":true}}']
            assert result_summaries(raws) == _one_by_one(raws), (odd, other)


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3000),
    st.floats(-10, 3000, allow_nan=False),
    st.sampled_from(["", "Steps", "x"]),
)
_parts = st.dictionaries(
    st.sampled_from(["category", "current", "target", "score", "virtual", "distance", "n"]),
    _scalars,
    max_size=4,
)
_fulfilments = st.dictionaries(
    st.sampled_from(["data", "story", "assessment", "survey", "checkin", "view", "type"]),
    st.one_of(_parts, _scalars),
    max_size=3,
)


@given(st.lists(st.one_of(st.none(), _fulfilments), max_size=12))
def test_any_mix_of_payloads_is_summed_up_as_one_by_one(values):
    raws = [None if value is None else json.dumps(value).encode() for value in values]
    assert result_summaries(raws) == _one_by_one(raws)
