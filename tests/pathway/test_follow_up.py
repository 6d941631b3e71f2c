"""Who still has something to do, and the addresses to write to them."""

from __future__ import annotations

import itertools
from urllib.parse import unquote, urlsplit

import pytest

from tests.pathway.answers import answer, decoded, fetch, log
from viewer.pathway.fetch import build_pathway_data
from viewer.pathway.follow_up import follow_up_rows, mail_addresses, mailto_urls


def test_follow_up_lists_exactly_who_misses_a_required_activity(demo_server):
    body = fetch(demo_server)
    entry = decoded(body)
    required = [a for a in entry["activities"] if a["required"]]
    assert required, "the demo pathway has required activities"
    missing: dict[str, list[str]] = {}
    for activity in required:
        done = {
            item["email"].lower()
            for item in activity["logs"]
            if item["status"]["state"] == "completed"
        }
        everyone = {item["email"].lower() for a in entry["activities"] for item in a["logs"]}
        for email in everyone - done:
            missing.setdefault(email, []).append(activity["name"])

    rows = follow_up_rows(build_pathway_data(body))

    assert {r.email.lower(): list(r.missing) for r in rows} == missing
    for row in rows:
        assert row.required_total == len(required)
        assert row.required_completed == len(required) - len(row.missing)


def test_chosen_activities_narrow_what_counts():
    body = answer(
        [
            ("A", True, [log("a@x.org", "completed"), log("b@x.org", "in progress")]),
            ("B", True, [log("a@x.org", "not started")]),
            ("C", False, [log("a@x.org", "in progress"), log("b@x.org", "completed")]),
        ]
    )
    data = build_pathway_data(body)

    by_default = follow_up_rows(data)
    assert [(r.email, r.missing, r.required_completed) for r in by_default] == [
        ("a@x.org", ("Activity B",), 1),
        ("b@x.org", ("Activity A", "Activity B"), 0),  # no log for B: missing too
    ]
    only_c = follow_up_rows(data, [data.activities[2]])
    assert [(r.email, r.missing, r.required_total) for r in only_c] == [
        ("a@x.org", ("Activity C",), 1)
    ]


def test_nothing_to_follow_up_without_required_activities():
    body = answer([("A", False, [log("a@x.org", "not started")])])
    assert follow_up_rows(build_pathway_data(body)) == []


def test_mail_addresses_are_deduplicated_and_invalid_ones_skipped():
    text = mail_addresses(
        ["Ann@x.org", "ann@X.org", None, "", "  ", "no-at-sign", "two@@x.org", "b@y.org ", "a,b@x"]
    )
    assert text == "Ann@x.org, b@y.org"


def test_mailto_urls_split_so_none_is_too_long():
    emails = [f"person.number{i:04}+tag@example.org" for i in range(300)]
    urls = mailto_urls(emails, max_length=2000)

    assert len(urls) > 1
    assert all(len(url) <= 2000 for url in urls)
    found = []
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "mailto" and parts.path == ""
        assert parts.query.startswith("bcc=")
        assert "+" not in parts.query  # a plus sign would read as a space
        found += [unquote(a) for a in parts.query[len("bcc=") :].split(",")]
    assert found == emails
    # As few messages as fit: each but the last could not take one more address.
    for url, following in itertools.pairwise(urls):
        next_address = following.split("=", 1)[1].split(",")[0]
        assert len(url) + 1 + len(next_address) > 2000


def test_mailto_urls_of_nothing_is_no_link_and_a_tiny_limit_is_refused():
    assert mailto_urls([None, ""]) == []
    with pytest.raises(ValueError):
        mailto_urls(["a@x.org"], max_length=50)
