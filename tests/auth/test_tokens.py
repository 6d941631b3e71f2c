"""Tokens carry their expiry; renewal and the warning come earlier for longer-lived tokens."""

from __future__ import annotations

import pytest

from viewer.auth.tokens import AccessToken, RenewalPolicy


def test_a_token_answer_gives_an_expiry_from_expires_in():
    token = AccessToken.from_response(
        {"access_token": "abc", "expires_in": 28799, "scope": "public", "token_type": "bearer"},
        now=1000.0,
    )
    assert token.expires_at == 29799.0
    assert token.seconds_left(now=29000.0) == 799.0
    assert not token.expired(now=29000.0) and token.expired(now=29799.0)
    assert "abc" not in repr(token)


def test_a_stored_copy_comes_back_whole_and_damage_is_none():
    token = AccessToken("abc", 1234.5, scope="openid", refresh_token="r")
    assert AccessToken.from_json(token.to_json()) == token
    assert AccessToken.from_json("plain-old-token") is None
    assert AccessToken.from_json('{"expires_at": 5}') is None


def test_an_answer_without_an_access_token_is_refused():
    with pytest.raises(ValueError):
        AccessToken.from_response({"token_type": "bearer"})


def test_without_expiry_a_token_never_counts_as_expired():
    token = AccessToken.from_response({"access_token": "abc"})
    assert token.expires_at is None and not token.expired()
    assert not RenewalPolicy().due(token, None)


@pytest.mark.parametrize(
    ("lifetime", "renew", "warn"),
    [(28799, 60.0, 300.0), (600, 60.0, 120.0), (3, 0.3, 0.6), (None, 60.0, 300.0)],
)
def test_margins_shrink_with_short_lifetimes(lifetime, renew, warn):
    policy = RenewalPolicy()
    assert policy.renew_leeway(lifetime) == pytest.approx(renew)
    assert policy.warn_leeway(lifetime) == pytest.approx(warn)


def test_a_token_is_due_for_renewal_inside_its_margin():
    policy = RenewalPolicy()
    token = AccessToken("abc", expires_at=100.0)
    assert not policy.due(token, 3600, now=30.0)
    assert policy.due(token, 3600, now=41.0)
