"""Times of activities as people read them: "5 min ago", "yesterday", exact in tooltips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def parse_time(text: str | None) -> datetime | None:
    """An aware datetime from an ISO-8601 string; naive times are taken as UTC."""
    if not text or not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """A short description of ``when`` relative to ``now``, in the local calendar."""
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    delta = now - when
    local = when.astimezone()
    today = now.astimezone().date()
    if delta < timedelta(seconds=-60):
        # A clock ahead of ours: say when, not how long ago.
        return _date_text(local, today)
    if delta < timedelta(minutes=1):
        return "just now"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} min ago"
    days = (today - local.date()).days
    if days <= 0:
        hours = int(delta.total_seconds() // 3600)
        return f"{hours} h ago"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return _date_text(local, today)


def _date_text(local: datetime, today) -> str:
    if local.year == today.year:
        return f"{local.day} {local.strftime('%b')}"
    return f"{local.day} {local.strftime('%b')} {local.year}"


def exact_time(when: datetime | None) -> str:
    """The full local date and time with its zone, for tooltips and the details pane."""
    if when is None:
        return ""
    local = when.astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
