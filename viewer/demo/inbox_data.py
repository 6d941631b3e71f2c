"""Deterministic demo data for the activity-log API: types, subtypes and inbox entries."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec

from viewer.demo.data import ANCHOR, DAY, FIRST_NAMES, LAST_NAMES, PLACES

_NAMESPACE = uuid.UUID("6f1d2c3e-8a4b-4c5d-9e0f-a1b2c3d4e5f6")


@dataclass(frozen=True)
class Subtype:
    id: str
    name: str
    description: str
    titles: tuple[str, ...]
    descriptions: tuple[str, ...]


@dataclass(frozen=True)
class InboxType:
    name: str
    description: str
    subtypes: tuple[Subtype, ...]


def _sub(
    type_name: str,
    name: str,
    description: str,
    titles: Iterable[str],
    descriptions: Iterable[str],
) -> Subtype:
    ident = str(uuid.uuid5(_NAMESPACE, f"{type_name}/{name}"))
    return Subtype(ident, name, description, tuple(titles), tuple(descriptions))


#: name, description, title templates, description templates
_SubtypeSpec = tuple[str, str, list[str], list[str]]


def _type(name: str, description: str, *subs: _SubtypeSpec) -> InboxType:
    return InboxType(name, description, tuple(_sub(name, *sub) for sub in subs))


INBOX_TYPES: tuple[InboxType, ...] = (
    _type(
        "identity",
        "Changes to your identity and its verifications",
        (
            "verification_completed",
            "A verification finished successfully",
            ["Your {doc} was verified", "Verification complete", "{doc} check passed"],
            [
                "We verified your {doc}. Apps that rely on it can now see it as confirmed.",
                "The {doc} check finished on {day}; no action is needed.",
            ],
        ),
        (
            "verification_failed",
            "A verification could not be completed",
            ["Verification failed", "We could not verify your {doc}"],
            [
                "The photo of your {doc} was too blurry. Please try again in good light.",
                "Your {doc} has expired. Upload a current one to keep your verification.",
            ],
        ),
        (
            "attestation_added",
            "Someone attested to a fact about you",
            ["{name} vouched for you", "New attestation from {name}"],
            [
                "{name} confirmed that you work at {company}.",
                "{name} attested your e-mail address.",
            ],
        ),
        (
            "profile_updated",
            "Your public profile changed",
            ["Profile updated", "Your display name changed"],
            ["Your display name is now “{name}”.", "You added a photo to your profile."],
        ),
    ),
    _type(
        "security",
        "Sign-ins and account protection",
        (
            "login",
            "You signed in",
            ["Signed in from {city}", "New sign-in"],
            ["A sign-in from {device} in {city} on {day}.", "You signed in with {device}."],
        ),
        (
            "password_changed",
            "Your password changed",
            ["Password changed", "Your password was reset"],
            [
                "If this was not you, reset your password now and contact support.",
                "Your password was changed from {device}.",
            ],
        ),
        (
            "new_device",
            "A device was added to your account",
            ["<b>New</b> device signed in", "New device: {device}"],
            [
                "<script>alert('hi')</script> {device} was added in {city}.",
                "We noticed a new device (<i>{device}</i>) near {city}.",
            ],
        ),
        (
            "two_factor_enabled",
            "Two-step verification was turned on",
            ["Two-step verification is on", "2FA enabled"],
            [
                "Codes will now be sent to your phone ending in {digits}.",
                "Your account is better protected & harder to take over.",
            ],
        ),
    ),
    _type(
        "connection",
        "People connecting with you",
        (
            "request_received",
            "Someone asked to connect",
            ["{name} wants to connect", "Connection request from {name}"],
            ["{name} from {company} sent you a request.", "You have a new request from {name}."],
        ),
        (
            "request_accepted",
            "Someone accepted your request",
            ["{name} accepted your request", "You are now connected with {name}"],
            ["Say hello to {name}!", "{name} & you can now share verified details."],
        ),
        (
            "connection_removed",
            "A connection ended",
            ["Connection removed", "{name} is no longer connected"],
            ["You and {name} are no longer connected.", "The link with {company} was removed."],
        ),
    ),
    _type(
        "message",
        "Messages sent to you",
        (
            "direct_message",
            "A private message",
            ["Message from {name}", "New message"],
            [
                "{name}: “Are we still on for {day}?”",
                "{name} sent you a file: <a href=x>report.pdf</a>",
            ],
        ),
        (
            "mention",
            "Someone mentioned you",
            ["{name} mentioned you", "You were mentioned in {company}"],
            ["“Thanks @you for the help with the {doc}!”", "{name} tagged you in a post."],
        ),
    ),
    _type(
        "payment",
        "Money moving in and out",
        (
            "payment_received",
            "You received money",
            ["You received {amount}", "Payment from {name}"],
            [
                "{name} paid you {amount} for “Invoice #{digits}”.",
                "{amount} arrived from {company}.",
            ],
        ),
        (
            "payment_sent",
            "You sent money",
            ["You sent {amount}", "Payment to {company}"],
            ["{amount} was sent to {name}.", "Your payment of {amount} to {company} went through."],
        ),
        (
            "refund_issued",
            "A refund was made",
            ["Refund of {amount}", "{company} refunded you"],
            [
                "{company} refunded {amount} to your card ending {digits}.",
                "Refund processed: {amount} < expected? Contact {company}.",
            ],
        ),
    ),
)
TYPE_BY_NAME = {t.name: t for t in INBOX_TYPES}
SUBTYPE_BY_ID = {s.id: (t, s) for t in INBOX_TYPES for s in t.subtypes}

_DOCS = ("passport", "driving licence", "ID card", "phone number", "e-mail address")
_DEVICES = ("iPhone 15", "Pixel 8", "Firefox on Linux", "Safari on macOS", "Edge on Windows")
_COMPANIES = ("Acme Ltd", "Globex", "Initech", "Umbrella & Co", "Soylent Corp", "Hooli")


class InboxRow(msgspec.Struct):
    """One inbox entry: the API's activity, field for field, in the order of the columns."""

    uuid: str
    title: str
    description: str
    type: str
    subtype: str | None
    is_push_sent: bool
    is_read: bool
    reference_uuid: str | None
    gid_uuid: str
    meta_data: str | None
    created_at: str
    updated_at: str


def iso_utc(seconds: float) -> str:
    """``2025-02-27T08:15:02.123Z``."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def identity_uuid(seed: int) -> str:
    return str(uuid.UUID(int=random.Random(f"{seed}/identity").getrandbits(128), version=4))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _meta(rng: random.Random, type_name: str, sub: Subtype, words: dict[str, str]) -> str | None:
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.18:
        return rng.choice(
            (
                f"device={words['device']}; city={words['city']}",
                "{truncated",
                "<meta>not json</meta>",
            )
        )
    value: dict[str, object] = {"source": type_name, "event": sub.name}
    if type_name == "security":
        value |= {"device": words["device"], "ip": f"203.0.113.{rng.randrange(1, 255)}"}
    elif type_name == "payment":
        value |= {"amount": words["amount"], "currency": "EUR", "reference": words["digits"]}
    elif type_name in ("connection", "message"):
        value |= {"from": words["name"], "company": words["company"]}
    else:
        value |= {"document": words["doc"], "level": rng.randrange(1, 4)}
    return msgspec.json.encode(value).decode()


def make_entry(
    rng: random.Random,
    gid: str,
    created: float,
    *,
    type_name: str | None = None,
    read: bool | None = None,
    shared_refs: list[str] | None = None,
) -> InboxRow:
    inbox_type = TYPE_BY_NAME[type_name] if type_name else rng.choice(INBOX_TYPES)
    sub = rng.choice(inbox_type.subtypes)
    words = {
        "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "doc": rng.choice(_DOCS),
        "device": rng.choice(_DEVICES),
        "city": rng.choice(PLACES)[1],
        "company": rng.choice(_COMPANIES),
        "amount": f"€{rng.randrange(5, 2000)}.{rng.randrange(100):02d}",
        "digits": f"{rng.randrange(10000):04d}",
        "day": datetime.fromtimestamp(created, UTC).strftime("%A %d %B"),
    }
    title = rng.choice(sub.titles).format(**words)
    description = rng.choice(sub.descriptions).format(**words)
    roll = rng.random()
    if shared_refs and roll < 0.08:
        reference = rng.choice(shared_refs)
    elif roll < 0.85:
        reference = _uuid(rng)
    else:
        reference = None
    updated = created + (rng.randrange(60, 7200) if rng.random() < 0.3 else 0)
    return InboxRow(
        uuid=_uuid(rng),
        title=title,
        description=description,
        type=inbox_type.name,
        subtype=None if rng.random() < 0.03 else sub.id,
        is_push_sent=rng.random() < 0.85,
        is_read=(rng.random() < 0.6) if read is None else read,
        reference_uuid=reference,
        gid_uuid=gid,
        meta_data=_meta(rng, inbox_type.name, sub, words),
        created_at=iso_utc(created),
        updated_at=iso_utc(updated),
    )


def make_inbox(seed: int, count: int) -> list[InboxRow]:
    """``count`` entries, oldest first, spread over the 180 days before ``ANCHOR``."""
    rng = random.Random(f"{seed}/inbox")
    gid = identity_uuid(seed)
    shared = [_uuid(rng) for _ in range(6)]
    moments = sorted(ANCHOR - rng.random() * 180 * DAY for _ in range(count))
    return [make_entry(rng, gid, moment, shared_refs=shared) for moment in moments]
