"""Qt-free preparation of a pathway-logs answer for the views, run in a worker thread.

The answer is decoded one activity at a time and each activity's logs are folded at once into
compact columns, so the decoded ``Log`` structs of only one activity exist at any moment.
People appear in every activity; they are kept once, in one user table keyed by e-mail, and a
log refers to its user by number. Everything the models need later (search text, per-user
states, required-activity shares, filter choices) is computed here, so the GUI thread only
swaps the prepared ``PathwayData`` in.
"""

from __future__ import annotations

import math
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from viewer.api.http import CancelToken
from viewer.api.pathway import PathwayClient, PathwayHead, PathwayQuery, read_pathway_logs
from viewer.api.pathway_types import Fulfilment, Log, Pathway, RawActivity
from viewer.pathway.choices import filter_choices

NOT_STARTED, IN_PROGRESS, COMPLETED, OTHER = 0, 1, 2, 3
#: In a per-user state table: the user has no log for that activity.
NO_LOG = 255
STATE_LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    COMPLETED: "Completed",
    OTHER: "Other",
}
_STATE_CODES = {
    "not started": NOT_STARTED,
    "not_started": NOT_STARTED,
    "notstarted": NOT_STARTED,
    "in progress": IN_PROGRESS,
    "in_progress": IN_PROGRESS,
    "inprogress": IN_PROGRESS,
    "started": IN_PROGRESS,
    "completed": COMPLETED,
    "complete": COMPLETED,
}
NAN = math.nan

#: Called with (phase, done, total): phase "download" counts bytes, "decode" activities.
PhaseProgress = Callable[[str, int, int | None], None]


class FetchProgress:
    """The latest (phase, done, total) of a fetch, written by the worker, read by the GUI.

    The worker's progress signal is only a nudge; the GUI reads the newest state here, so
    queued signals arriving late can never show an older phase.
    """

    def __init__(self) -> None:
        self.state: tuple[str, int, int | None] = ("connect", 0, None)

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        self.state = (phase, done, total)  # one reference swap: safe across threads


class User(msgspec.Struct, gc=False, frozen=True):
    """One person, as first seen in the answer."""

    email: str | None
    firstname: str | None
    lastname: str | None
    telephone: str | None
    country: str | None
    city: str | None
    groups: tuple[str, ...]
    name: str  # full name, or the e-mail when there is no name


class ActivityData:
    """One activity's fields and its logs as parallel columns (one entry per log)."""

    __slots__ = (
        "ID",
        "by_user",
        "complete",
        "counts",
        "fulfilment",
        "fulfilment_type",
        "index",
        "level",
        "name",
        "progress",
        "required",
        "state_text",
        "states",
        "stats_completed",
        "stats_total",
        "timestamps",
        "type",
        "user_states",
        "users",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.set_header(RawActivity())
        self.users = array("i")
        self.states = b""
        self.state_text: list[str | None] = []
        self.complete: list[bool | None] = []
        self.progress = array("d")
        self.timestamps: list[str | None] = []
        self.fulfilment: list[bytes | None] = []
        self.counts = [0, 0, 0, 0]
        self.by_user = array("i")  # user -> log row, -1 without a log
        self.user_states = b""  # user -> state code, NO_LOG without a log

    def set_header(self, raw: RawActivity) -> None:
        """The activity's own fields; they arrive after its logs (``read_pathway_logs``)."""
        self.ID = raw.ID
        self.name = raw.name
        self.type = raw.type
        self.fulfilment_type = raw.fulfilmentType
        self.required = raw.required
        self.level = raw.level
        self.stats_total = raw.stats.total
        self.stats_completed = raw.stats.completed

    def __len__(self) -> int:
        return len(self.users)

    @property
    def label(self) -> str:
        return self.name or self.ID or f"Activity {self.index + 1}"

    @property
    def total(self) -> int:
        """Users on the activity: the server's count, or the logs received."""
        return self.stats_total if self.stats_total is not None else len(self.users)

    @property
    def completed(self) -> int:
        if self.stats_completed is not None:
            return self.stats_completed
        return self.counts[COMPLETED]

    def fulfilment_at(self, row: int) -> Fulfilment | None:
        raw = self.fulfilment[row]
        return None if raw is None else Fulfilment.parse(raw)


@dataclass
class PathwayData:
    """Everything the pathway tab shows of one answer."""

    pathway: Pathway
    activities: list[ActivityData]
    users: list[User]
    #: Per user: lower-cased name, e-mail and groups, for the quick search.
    user_search: list[str]
    #: Per user: lower-cased name, for sorting.
    user_sort_names: list[str]
    #: Per user: share of required activities completed (NaN when none is required).
    required_share: list[float]
    required_count: int
    groups: list[str]
    types: list[str]
    hash: str | None = None
    response_time: float | None = None
    response_size: int = 0
    query: PathwayQuery | None = None
    fetched_at: float = field(default_factory=time.time)
    elapsed: float = 0.0
    #: What each filter list offers: see ``filter_choices``.
    choices: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    @property
    def log_count(self) -> int:
        return sum(len(activity) for activity in self.activities)

    def state_counts(self) -> list[int]:
        totals = [0, 0, 0, 0]
        for activity in self.activities:
            for code, count in enumerate(activity.counts):
                totals[code] += count
        return totals


def state_code(state: str | None, complete: bool | None, progress: float | None) -> int:
    if state is not None:
        return _STATE_CODES.get(state.strip().lower(), OTHER)
    if complete:
        return COMPLETED
    return IN_PROGRESS if progress else NOT_STARTED


class _Builder:
    """Folds decoded activities into columns, sharing user records across activities."""

    def __init__(self) -> None:
        self.users: list[User] = []
        self.user_ids: dict[object, int] = {}  # lower-cased e-mail (or name) -> user
        self.exact_ids: dict[str | None, int] = {}  # e-mail as sent -> user, the fast path
        self.strings: dict[str, str] = {}
        self.by_index: dict[int, ActivityData] = {}
        self.activities: list[ActivityData] = []

    def _user_id(self, log: Log) -> int:
        email = log.email
        key: object = (
            email.lower()
            if email
            else (log.firstname, log.lastname, log.telephone, log.country, log.city)
        )
        uid = self.user_ids.get(key)
        if uid is None:
            uid = len(self.users)
            self.user_ids[key] = uid
            name = log.full_name or email or ""
            self.users.append(
                User(
                    email=email,
                    firstname=log.firstname,
                    lastname=log.lastname,
                    telephone=log.telephone,
                    country=log.country,
                    city=log.city,
                    groups=tuple(log.groups or ()),
                    name=name,
                )
            )
        if email:
            self.exact_ids[email] = uid
        return uid

    def add(self, index: int, logs: list[Log]) -> None:
        """Fold one activity's logs into columns (again, if that index comes twice)."""
        activity = ActivityData(index)
        known = self.exact_ids.get
        uids = [known(log.email, -1) for log in logs]
        if -1 in uids:
            user_id = self._user_id
            for row, uid in enumerate(uids):
                if uid < 0:
                    uids[row] = user_id(logs[row])
        activity.users = array("i", uids)
        statuses = [log.status for log in logs]
        texts = [s.state for s in statuses]
        intern = self.strings.setdefault
        canonical = {text: intern(text, text) for text in set(texts) if text is not None}
        canonical[None] = None  # type: ignore[index]
        activity.state_text = [canonical[text] for text in texts]
        code_of = {text: state_code(text, None, None) for text in canonical if text is not None}
        codes = [code_of.get(text, -1) for text in texts]  # type: ignore[arg-type]
        if None in texts:
            for row, status in enumerate(statuses):
                if status.state is None:
                    codes[row] = state_code(None, status.complete, status.progress)
        activity.states = bytes(codes)
        activity.complete = [s.complete for s in statuses]
        activity.progress = array(
            "d", [NAN if s.progress is None else s.progress for s in statuses]
        )
        activity.timestamps = [s.timestamp for s in statuses]
        empty = b"[]"
        activity.fulfilment = [
            None if payload == empty else payload
            for payload in map(bytes, [log.fulfilment for log in logs])
        ]
        states = activity.states
        activity.counts = [states.count(code) for code in range(4)]
        self.by_index[index] = activity

    def set_headers(self, headers: list[RawActivity]) -> None:
        self.activities = []
        for index, header in enumerate(headers):
            activity = self.by_index.pop(index)
            activity.set_header(header)
            self.activities.append(activity)
        self.by_index.clear()

    def finish(self) -> tuple[list[str], list[str], list[float], int, list[str], list[str]]:
        """Per-user tables, once every activity is in."""
        n = len(self.users)
        required = [a for a in self.activities if a.required]
        done = [0] * n
        for activity in self.activities:
            by_user = array("i", [-1]) * n
            user_states = bytearray([NO_LOG]) * n
            for row, (uid, code) in enumerate(zip(activity.users, activity.states, strict=True)):
                by_user[uid] = row
                user_states[uid] = code
            activity.by_user = by_user
            activity.user_states = bytes(user_states)
            if activity.required:
                done = [
                    d + (s == COMPLETED) for d, s in zip(done, activity.user_states, strict=True)
                ]
        share = [d / len(required) for d in done] if required else [NAN] * n
        search = ["\n".join((u.name, u.email or "", *u.groups)).lower() for u in self.users]
        sort_names = [u.name.lower() for u in self.users]
        groups = sorted({g for u in self.users for g in u.groups}, key=str.lower)
        types = sorted({a.type for a in self.activities if a.type}, key=str.lower)
        return search, sort_names, share, len(required), groups, types


#: Given the answer as soon as it has arrived; what it returns is called with the decoded
#: head (or ``None`` when decoding failed) before the answer is let go. Used to save it.
BodyKeeper = Callable[[bytes | bytearray], Callable[[PathwayHead | None], None]]


def fetch_pathway_data(
    client: PathwayClient,
    query: PathwayQuery,
    cancel: CancelToken,
    progress: PhaseProgress | None = None,
    keep: BodyKeeper | None = None,
) -> PathwayData:
    """Fetch and prepare one pathway; the job a worker thread runs for the pathway tab."""
    started = time.perf_counter()
    body = client.fetch_body(
        query,
        cancel=cancel,
        progress=None
        if progress is None
        else lambda done, total: progress("download", done, total),
    )
    if progress is not None:
        progress("open", 0, None)
    kept = None if keep is None else keep(body)
    try:
        builder, head = _read(body, query, cancel, progress)
    except BaseException:
        if kept is not None:
            kept(None)
        raise
    if kept is not None:
        kept(head)
    size = len(body)
    del body  # nothing refers to it any more: free it before building the tables
    data = _finish(builder, head, query, size, progress)
    data.elapsed = time.perf_counter() - started
    return data


def build_pathway_data(
    body: bytes | bytearray,
    *,
    query: PathwayQuery | None = None,
    cancel: CancelToken | None = None,
) -> PathwayData:
    """Decode an answer of ``POST /v1/logs/pathway-logs`` into ``PathwayData``.

    Raises the same errors as ``decode_pathway_logs`` for answers in the wrong shape.
    """
    builder, head = _read(body, query, cancel, None)
    return _finish(builder, head, query, len(body), None)


def _read(
    body: bytes | bytearray,
    query: PathwayQuery | None,
    cancel: CancelToken | None,
    progress: PhaseProgress | None,
) -> tuple[_Builder, PathwayHead]:
    """Each activity's logs are folded into columns as soon as they are decoded."""
    builder = _Builder()
    head = read_pathway_logs(
        body,
        builder.add,
        query=query,
        cancel=cancel,
        on_slice=None if progress is None else lambda done, total: progress("decode", done, total),
    )
    builder.set_headers(head.activities)
    return builder, head


def _finish(
    builder: _Builder,
    head: PathwayHead,
    query: PathwayQuery | None,
    size: int,
    progress: PhaseProgress | None,
) -> PathwayData:
    total = len(head.activities)
    if progress is not None:
        progress("index", total, total)
    search, sort_names, share, required_count, groups, types = builder.finish()
    data = PathwayData(
        pathway=head.pathway,
        activities=builder.activities,
        users=builder.users,
        user_search=search,
        user_sort_names=sort_names,
        required_share=share,
        required_count=required_count,
        groups=groups,
        types=types,
        hash=head.hash,
        response_time=head.response_time,
        query=query,
    )
    data.response_size = size
    data.choices = filter_choices(data)
    return data
