"""What the filter lists offer (Qt-free): one list of types, and every value seen kept."""

from __future__ import annotations

from viewer.api.pathway import PathwayClient, PathwayQuery
from viewer.pathway.choices import (
    VENDOR_TYPES,
    ChoiceMemory,
    canonical_type,
    filter_choices,
    type_choices,
    users_by_value,
)
from viewer.pathway.fetch import build_pathway_data


def fetched(demo_server, query: PathwayQuery):
    with PathwayClient(demo_server.url, demo_server.pathway_token) as client:
        return build_pathway_data(client.fetch_body(query), query=query)


def values(choices) -> list[str]:
    return [choice[0] for choice in choices]


def test_a_type_is_offered_once_whatever_its_spelling():
    assert canonical_type("assessment") == "Assessment"
    assert canonical_type(" youtube ") == "YouTube Video"
    assert canonical_type("DATA TRACKING") == "Data Tracking"
    assert canonical_type("Data Target") == "Data Target"  # not the vendor's: as written
    choices = type_choices({"Assessment": 2, "YouTube Video": 1, "Quiz": 0})
    assert values(choices)[:3] == ["Assessment", "YouTube Video", "Quiz"]
    assert [label for _, label, _ in choices[:3]] == ["Assessment (2)", "YouTube Video (1)", "Quiz"]
    assert sorted(values(choices)) == sorted({*VENDOR_TYPES, "Quiz"})


def test_the_types_of_a_pathway_come_first_with_their_activity_counts(demo_server):
    data = fetched(demo_server, PathwayQuery("Pathway A"))
    types = filter_choices(data)["types"]
    counts: dict[str, int] = {}
    for activity in data.activities:
        name = canonical_type(activity.type or "")
        counts[name] = counts.get(name, 0) + 1
    head = types[: len(counts)]
    assert {value: label for value, label, _ in head} == {
        name: f"{name} ({count})" for name, count in counts.items()
    }
    assert len(values(types)) == len(set(values(types)))  # no type twice
    assert all(canonical_type(kind) in counts for kind in data.types)


def test_a_filtered_fetch_keeps_every_value_seen_for_that_pathway(demo_server):
    memory = ChoiceMemory()
    server = demo_server.url
    everything = fetched(demo_server, PathwayQuery("Pathway A"))
    full = memory.merge(server, everything)
    first = [search for _, _, search in full["users"]]
    assert first == sorted(first) and len(first) == len(everything.users)
    one_group = fetched(demo_server, PathwayQuery("Pathway A", groups=("Group B",)))
    assert len(one_group.users) < len(everything.users)
    narrowed = filter_choices(one_group)
    assert len(narrowed["users"]) < len(full["users"])  # what the answer alone offers

    kept = memory.merge(server, one_group)
    for key in ("activities", "groups", "users", "types"):
        assert sorted(values(kept[key])) == sorted(values(full[key])), key
    searched = [search for _, _, search in kept["users"]]
    assert searched == sorted(searched)  # still in the order the list is read
    # Another server (or pathway) starts from its own answer only.
    assert sorted(values(memory.merge("https://elsewhere.example", one_group)["users"])) == (
        sorted(values(narrowed["users"]))
    )


def test_users_by_value_keeps_the_last_of_equal_values_across_its_runs():
    users = [(f"u{n}@example.com", f"U {n}", f"u {n}") for n in range(40_000)]
    users[35_000] = ("u5@example.com", "Later", "later")  # the same value, two runs on
    found = users_by_value(users)
    assert found == dict(zip([u[0] for u in users], users, strict=True))
    assert found["u5@example.com"][1] == "Later" and list(found)[5] == "u5@example.com"


def test_the_users_taken_from_an_answer_are_the_memory_s_own(demo_server):
    memory = ChoiceMemory()
    data = fetched(demo_server, PathwayQuery("Pathway A"))
    users = list(data.choice_users.values())
    assert memory.merge("one", data)["users"] == users
    assert data.choice_users == {}  # taken over rather than copied
    assert memory.merge("two", data)["users"] == users  # merged again: hashed instead
    again = fetched(demo_server, PathwayQuery("Pathway A"))
    late = ("late@example.com", "Late <late@example.com>", "late\nlate@example.com")
    again.choices["users"].append(late)
    again.choice_users[late[0]] = late
    assert late in memory.merge("one", again)["users"]  # into what it knew: dict to dict
    assert late not in memory.merge("two", data)["users"]  # each memory its own dict


def test_a_fetch_holding_everyone_seen_before_is_taken_over_with_its_own_labels(demo_server):
    memory = ChoiceMemory()
    memory.merge("one", fetched(demo_server, PathwayQuery("Pathway A")))
    again = fetched(demo_server, PathwayQuery("Pathway A"))
    email, _, search = again.choices["users"][0]
    renamed = (email, f"Renamed <{email}>", search)
    again.choices["users"][0] = renamed
    again.choice_users[email] = renamed
    users = list(again.choice_users.values())
    assert memory.merge("one", again)["users"] == users  # in the answer's own order
    assert again.choice_users == {}  # taken over, not merged into what was known
    narrowed = fetched(demo_server, PathwayQuery("Pathway A", groups=("Group B",)))
    kept = memory.merge("one", narrowed)["users"]
    assert len(kept) == len(users)  # a narrower fetch merges into it, and keeps everyone
