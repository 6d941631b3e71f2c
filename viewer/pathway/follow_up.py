"""Who still has something to do, and the e-mail addresses to remind them (Qt-free).

A user "misses" an activity when their log for it is not completed, or when they have no
log for it at all. By default every required activity counts; a caller may name others.
Addresses are handed to mail clients as a comma-separated list (RFC 5322), and as
``mailto:`` links with every address in BCC, split so that no link grows longer than mail
clients and browsers accept (about 2,000 characters is the safe figure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from urllib.parse import quote

from viewer.pathway.data import COMPLETED, ActivityData, PathwayData

ADDRESS_SEPARATOR = ", "
#: The longest address SMTP carries (RFC 5321 limits a path to 256 octets, brackets included).
MAX_ADDRESS = 254
_MAILTO = "mailto:?bcc="
_NOT_COMPLETED = bytes(0 if code == COMPLETED else 1 for code in range(256))
#: Plain addresses only: no spaces, quotes, brackets or separators that would split or hide
#: a recipient in a header or a link.
_PLAIN = r"[^\s@\"(),:;<>\[\]\\%s]+"
_ADDRESS = re.compile(_PLAIN % "" + "@" + _PLAIN % "." + r"(?:\." + _PLAIN % "." + ")*")


@dataclass(frozen=True)
class FollowUpRow:
    """One person with something missing: ``missing`` names the activities not completed."""

    user: int
    firstname: str | None
    lastname: str | None
    email: str | None
    groups: tuple[str, ...]
    required_completed: int
    required_total: int
    missing: tuple[str, ...]


def follow_up_rows(
    data: PathwayData, activities: Sequence[ActivityData] | None = None
) -> list[FollowUpRow]:
    """Everyone who has not completed all of ``activities`` (default: the required ones),
    sorted by name."""
    chosen = [a for a in data.activities if a.required] if activities is None else activities
    if not chosen:
        return []
    total = len(chosen)
    labels = [a.label for a in chosen]
    # Per user, a 1 for each chosen activity not completed: one C-level pass per activity,
    # then one tuple per user, so the Python-level work is per user, not per log.
    flags = zip(*(a.user_states.translate(_NOT_COMPLETED) for a in chosen), strict=True)
    nothing = (0,) * total
    missed = [(uid, f) for uid, f in enumerate(flags) if f != nothing]
    users, names = data.users, data.user_sort_names
    missed.sort(key=lambda item: names[item[0]])
    # Many people miss the same activities: each pattern's names are worked out once.
    patterns: dict[tuple[int, ...], tuple[tuple[str, ...], int]] = {}
    rows = []
    for uid, flag in missed:
        found = patterns.get(flag)
        if found is None:
            missing = tuple(compress(labels, flag))
            found = patterns[flag] = (missing, total - len(missing))
        user = users[uid]
        rows.append(
            FollowUpRow(
                uid,
                user.firstname,
                user.lastname,
                user.email,
                user.groups,
                found[1],
                total,
                found[0],
            )
        )
    return rows


def valid_address(email: str) -> bool:
    """Whether ``email`` is a plain address a mail client takes as one recipient."""
    return len(email) <= MAX_ADDRESS and _ADDRESS.fullmatch(email) is not None


def unique_addresses(emails: Iterable[str | None]) -> list[str]:
    """Valid addresses, each once (compared without case), in their first spelling."""
    seen: set[str] = set()
    kept = []
    for email in emails:
        address = (email or "").strip()
        if not address or not valid_address(address):
            continue
        folded = address.casefold()
        if folded not in seen:
            seen.add(folded)
            kept.append(address)
    return kept


def mail_addresses(emails: Iterable[str | None]) -> str:
    """The addresses as one text to paste into a mail client's To, Cc or Bcc field."""
    return ADDRESS_SEPARATOR.join(unique_addresses(emails))


def mailto_urls(emails: Iterable[str | None], max_length: int = 2000) -> list[str]:
    """``mailto:`` links with the addresses in BCC, as few as fit in ``max_length`` each."""
    if max_length < len(_MAILTO) + 3 * MAX_ADDRESS:
        raise ValueError(f"max_length {max_length} cannot hold one address")
    urls: list[str] = []
    current: list[str] = []
    length = len(_MAILTO)
    for address in unique_addresses(emails):
        encoded = quote(address, safe="@")
        extra = len(encoded) + (1 if current else 0)
        if current and length + extra > max_length:
            urls.append(_MAILTO + ",".join(current))
            current, length = [], len(_MAILTO)
            extra = len(encoded)
        current.append(encoded)
        length += extra
    if current:
        urls.append(_MAILTO + ",".join(current))
    return urls
