"""Deterministic demo data for the pathway-logs API: kinds, people and pathway outlines.

Everything is drawn from ``random.Random`` instances seeded from the server's seed and a
purpose string, never from the global generator, so a seed always yields the same data.
Timestamps are measured back from a fixed moment (``ANCHOR``), not from the clock.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

#: The demo's "now": every generated timestamp lies before it, every advance after it.
ANCHOR = int(datetime(2025, 3, 1, 12, 0, tzinfo=UTC).timestamp())
DAY = 86400


@dataclass(frozen=True)
class Kind:
    """An activity type: its item code, the vendor's name and its fulfilment types."""

    code: str
    name: str
    fulfilments: tuple[str, ...]

    @property
    def plural(self) -> str:
        return plural_of(self.name)

    @property
    def is_data(self) -> bool:
        return self.code in ("data", "checkpoint")


KINDS: tuple[Kind, ...] = (
    Kind("data", "Data Tracking", ("tracking",)),
    Kind("story", "Story", ("complete",)),
    Kind("video", "Video", ("view",)),
    Kind("assessment", "Assessment", ("complete",)),
    Kind("classroom", "Classroom", ("check-in", "qr code")),
    Kind("article", "Article", ("view",)),
    Kind("confirmation", "Confirmation", ("honor", "upload", "upload & review")),
    Kind("event", "Event", ("check-in", "qr code")),
    Kind("survey", "Survey", ("complete",)),
    Kind("certificate", "Certificate", ("view",)),
    Kind("physical", "Physical Activity", ("honor", "upload", "upload & review", "qr code")),
    Kind("web", "Web Activity", ("visit",)),
    Kind("audio", "Audio", ("view",)),
    Kind("checkpoint", "Data Checkpoint", ("tracking",)),
    Kind("connect", "Connect Pathway", ("enrollment",)),
    Kind("milestone", "Milestone", ("view",)),
    Kind("podcast", "Podcast Episode", ("view",)),
    Kind("reward", "Reward", ("view",)),
    Kind("snippet", "Stream Snippet", ("view",)),
    Kind("youtube", "YouTube Video", ("view",)),
)
KIND_BY_CODE = {kind.code: kind for kind in KINDS}


def plural_of(name: str) -> str:
    if name.endswith("y") and name[-2:-1] not in ("a", "e", "i", "o", "u"):
        return name[:-1] + "ies"
    return name + "s"


def kind_labels(kind: Kind) -> frozenset[str]:
    """Every spelling the ``types`` filter accepts for a kind, case-folded."""
    labels = {kind.code, kind.name, kind.plural}
    if kind.is_data:
        labels |= {"Data Target", "Data Targets", "Data"}
    return frozenset(label.casefold() for label in labels)


# -- people ---------------------------------------------------------------------------------

# fmt: off
FIRST_NAMES = (
    "Zoë", "Łukasz", "José", "Amara", "Thabo", "Sipho", "Naledi", "Aisha", "Liam", "Olivia",
    "Noah", "Emma", "Mateo", "Sofía", "Chloé", "Björn", "Søren", "Anaïs", "Ngozi", "Chidi",
    "Priya", "Arjun", "Mei", "Hiroshi", "Yuki", "Fatima", "Omar", "Lerato", "Kagiso", "Johan",
    "Pieter", "Siobhán", "Aoife", "Seán", "Małgorzata", "Zofia", "Jürgen", "Ana", "João",
    "Lucía", "Emily", "James", "Grace", "Daniel", "Hannah", "Ravi", "Ananya", "Kwame", "Efua",
    "Nomvula", "Ethan", "Isabella", "Mia", "Lucas", "René", "Ingrid", "Kai", "Tomasz",
    "Agnieszka", "Ayşe", "Mehmet", "Thandiwe", "Precious", "Bongani", "Marié", "Niamh",
)
LAST_NAMES = (
    "Smith", "Ndlovu", "Dlamini", "Nkosi", "van der Merwe", "Botha", "García", "Fernández",
    "Müller", "Schmidt", "Kowalski", "Nowak", "Wiśniewska", "O'Brien", "Murphy",
    "Ó Súilleabháin", "Dubois", "Lefèvre", "Jensen", "Nielsen", "Andersson", "Patel", "Sharma",
    "Iyer", "Chen", "Wang", "Tanaka", "Sato", "Okafor", "Mensah", "Hassan", "Silva", "Santos",
    "Costa", "Johnson", "Williams", "Brown", "Taylor", "Martin", "Rossi", "Bianchi",
    "Y\u0131lmaz", "Nguyễn", "Kim", "Park", "Cohen", "Mokoena", "Pillay", "Naidoo", "Jacobs",
    "Le Roux", "Søndergaard", "Żak", "Moreau", "Abara",
)
# fmt: on
GROUPS = (
    "Group A",
    "Group B",
    "Group C",
    "Sales",
    "Support",
    "Managers",
    "New Starters",
    "Night Shift",
)
MAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")

#: (country, city, UTC offset in minutes, telephone prefix)
PLACES = (
    ("South Africa", "Cape Town", 120, "+27 21"),
    ("South Africa", "Johannesburg", 120, "+27 11"),
    ("South Africa", "Durban", 120, "+27 31"),
    ("United Kingdom", "London", 0, "+44 20"),
    ("United Kingdom", "Manchester", 0, "+44 161"),
    ("Ireland", "Dublin", 0, "+353 1"),
    ("Germany", "Berlin", 60, "+49 30"),
    ("Germany", "München", 60, "+49 89"),
    ("Poland", "Kraków", 60, "+48 12"),
    ("Spain", "Sevilla", 60, "+34 954"),
    ("France", "Lyon", 60, "+33 4"),
    ("Kenya", "Nairobi", 180, "+254 20"),
    ("India", "Bengaluru", 330, "+91 80"),
    ("Japan", "Tokyo", 540, "+81 3"),
    ("Brazil", "São Paulo", -180, "+55 11"),
    ("United States", "New York", -300, "+1 212"),
    ("United States", "Chicago", -360, "+1 312"),
    ("Australia", "Sydney", 600, "+61 2"),
    ("New Zealand", "Auckland", 780, "+64 9"),
)

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "\u0131": "i"})


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if ch.isascii())


@dataclass(frozen=True)
class Person:
    firstname: str
    lastname: str
    email: str
    telephone: str
    country: str
    city: str
    groups: tuple[str, ...]
    offset: int  # minutes east of UTC, for the person's timestamps

    def as_json_fields(self) -> dict[str, object]:
        return {
            "firstname": self.firstname,
            "lastname": self.lastname,
            "email": self.email,
            "telephone": self.telephone,
            "country": self.country,
            "city": self.city,
            "groups": list(self.groups),
        }


def _place(city: str) -> tuple[str, str, int, str]:
    return next(place for place in PLACES if place[1] == city)


def _fixed_person(first: str, last: str, email: str, city: str, groups: tuple[str, ...]) -> Person:
    country, city, offset, _ = _place(city)
    return Person(first, last, email, "", country, city, groups, offset)


#: People the seed's examples name; they are always enrolled in "Pathway A".
FIXED_PEOPLE = (
    _fixed_person("Joe", "Soap", "joe.soap@example.com", "Cape Town", ("Group A", "Group B")),
    _fixed_person("User", "One", "user.one@example.com", "Cape Town", ("Group A", "Group B")),
    _fixed_person("User", "Two", "user.two@example.com", "London", ("Group B",)),
)


def make_people(seed: int, count: int) -> list[Person]:
    """``count`` varied people with unique e-mail addresses, after the fixed ones."""
    rng = random.Random(f"{seed}/people")
    taken = {person.email for person in FIXED_PEOPLE}
    people = list(FIXED_PEOPLE)
    choice, rand, randrange = rng.choice, rng.random, rng.randrange
    for _ in range(count):
        first, last = choice(FIRST_NAMES), choice(LAST_NAMES)
        local = ".".join(
            part
            for part in (
                "".join(ch for ch in ascii_fold(name).lower() if ch.isalnum())
                for name in (first, last)
            )
            if part
        )
        domain = choice(MAIL_DOMAINS)
        email = f"{local}@{domain}"
        number = 1
        while email in taken:
            number += 1 + randrange(9)
            email = f"{local}{number}@{domain}"
        taken.add(email)
        country, city, offset, prefix = choice(PLACES)
        telephone = (
            "" if rand() < 0.2 else f"{prefix} {randrange(100, 1000)} {randrange(1000, 10000)}"
        )
        groups = tuple(sorted(rng.sample(GROUPS, 1 + int(rand() * 2.4))))
        people.append(Person(first, last, email, telephone, country, city, groups, offset))
    return people


# -- pathway outlines -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityDef:
    """One activity of a pathway, with what its fulfilment payloads are built from."""

    ID: str
    name: str
    kind: Kind
    fulfilment: str
    required: bool
    level: int
    content_id: str  # the story/assessment/survey, event or linked pathway ID
    detail: str  # data category, visit URL or linked pathway name
    number: int  # data target; 1 for a virtual event


@dataclass(frozen=True)
class PathwayDef:
    ID: str
    name: str
    activities: tuple[ActivityDef, ...]
    fixed_people: bool  # whether FIXED_PEOPLE are enrolled


#: (name, fixed ID or None); "Pathway A" and "Become A Store Owner" are the seed's.
PATHWAYS = (
    ("Become A Store Owner", "EV67-ZCNS-56AD"),
    ("Pathway A", "EVPA-7RTD-21KM"),
    ("Customer Care Essentials", None),
    ("Health & Safety 2025", None),
    ("Onboarding: First 90 Days", None),
)

# fmt: off
TOPICS = (
    "Welcome", "Store Layout", "Customer Care", "Stock Control", "Cash Handling",
    "Health & Safety", "Team Leadership", "Merchandising", "Sales Targets", "Product Knowledge",
    "Opening Checklist", "Closing Checklist", "Complaints", "Supplier Relations",
    "Marketing Basics", "Budgeting", "Hiring", "Rostering", "Loss Prevention", "Digital Tools",
    "Fire Drill", "First Aid", "Returns & Refunds", "Visual Display", "Community Day",
)
# fmt: on
_NAME_PATTERNS = {
    "data": "{} Tracking",
    "checkpoint": "{} Checkpoint",
    "story": "{} Story",
    "video": "{} Video",
    "assessment": "{} Assessment",
    "classroom": "{} Workshop",
    "article": "{} Article",
    "confirmation": "Confirm {}",
    "event": "{} Meetup",
    "survey": "{} Survey",
    "certificate": "{} Certificate",
    "physical": "{} Walkabout",
    "web": "{} Portal Visit",
    "audio": "{} Audio Guide",
    "connect": "Join {}",
    "milestone": "{} Milestone",
    "podcast": "{} Podcast Episode",
    "reward": "{} Reward",
    "snippet": "{} Stream Snippet",
    "youtube": "{} on YouTube",
}
DATA_CATEGORIES = ("Current Score", "Weekly Sales", "Customer Rating", "Steps", "Units Sold")


def make_id(rng: random.Random, taken: set[str]) -> str:
    """An ID shaped like the vendor's, e.g. ``EVPA-WVZF-56QJ``, unique within ``taken``."""
    letters, alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    while True:
        value = (
            "EV"
            + "".join(rng.choice(alnum) for _ in range(2))
            + "-"
            + "".join(rng.choice(letters) for _ in range(4))
            + "-"
            + "".join(rng.choice("0123456789") for _ in range(2))
            + "".join(rng.choice(letters) for _ in range(2))
        )
        if value not in taken:
            taken.add(value)
            return value


def _activity(
    rng: random.Random,
    taken: set[str],
    name: str,
    kind: Kind,
    level: int,
    *,
    ID: str | None = None,
    content_id: str | None = None,
    fulfilment: str | None = None,
    linked: tuple[str, str] | None = None,
) -> ActivityDef:
    ident = ID or make_id(rng, taken)
    taken.add(ident)
    fulfilment = fulfilment or rng.choice(kind.fulfilments)
    detail, number = "", 0
    content = content_id or make_id(rng, taken)
    if kind.is_data:
        detail, number = rng.choice(DATA_CATEGORIES), rng.randrange(50, 1000)
    elif kind.code == "web":
        slug = "".join(ch for ch in ascii_fold(name).lower() if ch.isalnum())
        detail = f"https://learn.example.com/{slug}"
    elif kind.code in ("classroom", "event"):
        number = 1 if rng.random() < 0.3 else 0
    elif kind.code == "connect" and linked:
        content, detail = linked
    return ActivityDef(
        ID=ident,
        name=name,
        kind=kind,
        fulfilment=fulfilment,
        required=rng.random() < 0.7,
        level=level,
        content_id=content,
        detail=detail,
        number=number,
    )


def make_pathways(seed: int, activities: int) -> list[PathwayDef]:
    """The demo's pathways, each with ``activities`` activities (Pathway A at least four)."""
    taken = {ident for _, ident in PATHWAYS if ident} | {"EVPA-WVZF-56QJ", "EVPA-KWOI-80AI"}
    taken.add("EV72-RQZY-80AH")
    id_rng = random.Random(f"{seed}/pathway-ids")
    heads = [(name, ident or make_id(id_rng, taken)) for name, ident in PATHWAYS]
    result = []
    for index, (name, ident) in enumerate(heads):
        rng = random.Random(f"{seed}/pathway/{ident}")
        linked = heads[(index + 1) % len(heads)]
        linked = (linked[1], linked[0])
        acts: list[ActivityDef] = []
        if name == "Pathway A":
            acts = [
                _activity(
                    rng, taken, "Data Tracking", KIND_BY_CODE["data"], 1, ID="EVPA-WVZF-56QJ"
                ),
                _activity(
                    rng,
                    taken,
                    "Story A",
                    KIND_BY_CODE["story"],
                    1,
                    ID="EVPA-KWOI-80AI",
                    content_id="EV72-RQZY-80AH",
                ),
                _activity(rng, taken, "Video A", KIND_BY_CODE["video"], 1),
                _activity(rng, taken, "Audio A", KIND_BY_CODE["audio"], 2),
            ]
        wanted = max(activities, len(acts))
        extra = wanted - len(acts)
        kinds = [KIND_BY_CODE["data"], *rng.sample(KINDS[1:], len(KINDS) - 1)]
        if acts:
            kinds = [k for k in kinds if k.code not in ("data", "story", "video", "audio")] + [
                KIND_BY_CODE[c] for c in ("story", "video", "data", "audio")
            ]
        topics = rng.sample(TOPICS, len(TOPICS))
        names = {act.name for act in acts}
        for position in range(extra):
            kind = kinds[position % len(kinds)]
            topic = linked[1] if kind.code == "connect" else topics[position % len(topics)]
            label = _NAME_PATTERNS[kind.code].format(topic)
            base, number = label, 1
            while label in names:
                number += 1
                label = f"{base} {number}"
            names.add(label)
            level = 1 + (len(acts) * 4) // max(wanted, 1)
            acts.append(_activity(rng, taken, label, kind, min(level, 4), linked=linked))
        acts.sort(key=lambda act: act.level)
        result.append(PathwayDef(ident, name, tuple(acts), fixed_people=name == "Pathway A"))
    return result
