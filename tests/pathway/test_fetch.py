"""Preparing an answer: the quick decoding paths give what a plain decode gives."""

from __future__ import annotations

import json
from array import array

import msgspec
import pytest

from tests.pathway.made_answers import answer
from viewer.api.pathway import decode_pathway_logs
from viewer.api.pathway_types import logs_decoder
from viewer.pathway import fetch
from viewer.pathway.data import COMPLETED, NO_LOG, ActivityData, state_code
from viewer.pathway.fetch import build_pathway_data


@pytest.fixture(params=[fetch._PIECE, 2000], ids=["whole-activities", "small-pieces"])
def piece(request, monkeypatch):
    monkeypatch.setattr(fetch, "_PIECE", request.param)
    return request.param


def test_prepared_columns_hold_what_each_log_says(piece):
    body = answer()
    data = build_pathway_data(body)
    plain = decode_pathway_logs(body)
    assert len(data.activities) == len(plain.activities) == 3
    firsts: dict[str, object] = {}
    for activity, raw in zip(data.activities, plain.activities, strict=True):
        logs = raw.logs
        assert len(activity) == len(logs)
        assert [data.users[u].email for u in activity.users] == [log.email for log in logs]
        assert [data.users[u].name for u in activity.users] == [log.full_name for log in logs]
        assert activity.state_text == [log.status.state for log in logs]
        assert list(activity.states) == [
            state_code(log.status.state, log.status.complete, log.status.progress) for log in logs
        ]
        assert activity.timestamps == [log.status.timestamp for log in logs]
        assert activity.complete == [log.status.complete for log in logs]
        assert [None if p != p else p for p in activity.progress] == [
            log.status.progress for log in logs
        ]
        assert activity.fulfilment == [
            None if bytes(log.fulfilment) == b"[]" else bytes(log.fulfilment) for log in logs
        ]
        for log in logs:
            firsts.setdefault(log.email or log.full_name, log.groups)
    assert len(data.users) == 3002  # the new people of the last activity too
    assert data.users[-1].email is None and data.users[-1].name == "First3002 Last3002"
    assert all(tuple(firsts[u.email or u.name] or ()) == u.groups for u in data.users)


def test_per_user_tables_and_required_shares_are_counted_right():
    data = build_pathway_data(answer(users=500))
    required = [a for a in data.activities if a.required]
    for uid in range(len(data.users)):
        for activity in data.activities:
            rows = [r for r, u in enumerate(activity.users) if u == uid]
            assert activity.by_user[uid] == (rows[0] if rows else -1)
            code = activity.states[rows[0]] if rows else NO_LOG
            assert activity.user_states[uid] == code
        done = sum(a.user_states[uid] == COMPLETED for a in required)
        assert data.required_share[uid] == done / len(required)


def test_completed_counts_are_the_same_past_255_activities():
    def activity(states: bytes) -> ActivityData:
        made = ActivityData(0)
        made.user_states = states
        return made

    few = [activity(bytes([COMPLETED, NO_LOG, COMPLETED])) for _ in range(255)]
    assert fetch._completed(few, 3) == [255, 0, 255]  # a full byte, no carry
    many = [*few, activity(bytes([COMPLETED, COMPLETED, 0]))]
    assert fetch._completed(many, 3) == [256, 1, 255]


def test_a_cut_inside_a_string_falls_back_to_one_decode(monkeypatch):
    monkeypatch.setattr(fetch, "_PIECE", 10)
    logs = [
        {"email": f"{i}@x", "fulfilment": {"t": "a" * 30 + '"},{"' + "b" * 30}} for i in range(6)
    ]
    raw = json.dumps(logs).encode()
    assert fetch._in_pieces(raw, logs_decoder) == logs_decoder.decode(raw)
    broken = raw[:-5] + b"]"
    with pytest.raises(msgspec.DecodeError) as plain:
        logs_decoder.decode(broken)
    with pytest.raises(msgspec.DecodeError) as pieces:
        fetch._in_pieces(broken, logs_decoder)
    assert str(pieces.value) == str(plain.value)  # the plain decode's own error


def test_logs_keep_their_order_across_pieces(monkeypatch):
    monkeypatch.setattr(fetch, "_PIECE", 64)
    logs = [{"email": f"{i}@x", "status": {"progress": i}} for i in range(500)]
    raw = json.dumps(logs, indent=1).encode()  # white space between logs, too
    decoded = fetch._in_pieces(memoryview(raw), logs_decoder)
    assert [log.email for log in decoded] == [f"{i}@x" for i in range(500)]
    assert array("d", [log.status.progress for log in decoded]) == array("d", range(500))


def test_people_in_the_same_groups_share_one_tuple_of_them():
    data = build_pathway_data(answer(users=300, activities=2))
    by_groups: dict[tuple[str, ...], set[int]] = {}
    for user in data.users:
        by_groups.setdefault(user.groups, set()).add(id(user.groups))
    assert len(by_groups) > 1 and max(map(len, by_groups.values())) == 1
    assert sum(1 for user in data.users if user.groups) > len(by_groups)  # shared indeed
