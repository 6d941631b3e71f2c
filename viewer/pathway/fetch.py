"""Fetching and preparing a pathway answer in a worker thread (Qt-free).

The answer is decoded one activity at a time and each activity's logs are folded at once into
compact columns, so the decoded ``Log`` structs of only one activity exist at any moment.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any, Protocol, TypeVar, cast

import msgspec

from viewer.api.body import BodyCopy
from viewer.api.pathway import (
    PathwayClient,
    PathwayHead,
    PathwayQuery,
    ShareStarter,
    read_pathway_logs,
)
from viewer.api.pathway_slices import array_pieces
from viewer.api.pathway_types import EMPTY_ARRAY, Log, LogStatus, RawActivity, logs_decoder
from viewer.jobs import CancelToken
from viewer.pathway.choices import filter_choices, users_by_value
from viewer.pathway.columns import name_ranks
from viewer.pathway.data import (
    COMPLETED,
    NAN,
    NO_LOG,
    ActivityData,
    PathwayData,
    Payloads,
    User,
    longest_emails,
    state_code,
)

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


_STATUS = attrgetter("status")
_STATE = attrgetter("state")
_COMPLETE = attrgetter("complete")
_PROGRESS = attrgetter("progress")
_TIMESTAMP = attrgetter("timestamp")
_FULFILMENT = attrgetter("fulfilment")
_EMAIL = attrgetter("email")


class _SeenUserLog(msgspec.Struct, gc=False, frozen=True):
    """A log of a user met in an earlier activity: their name, groups... are not decoded."""

    email: str | None = None
    status: LogStatus = LogStatus()
    fulfilment: msgspec.Raw = EMPTY_ARRAY


_seen_users_decoder = msgspec.json.Decoder(list[_SeenUserLog])


#: Logs handled in one C call before other threads get a turn: a few milliseconds.
_RUN = 16384


def _known_users(ids: dict[str | None, int], logs: list[_SeenUserLog] | list[Log]) -> list[int]:
    """Each log's user number by its e-mail as sent, -1 when new: at C speed, no call a log,
    a run at a time (one call over 100,000 logs would hold the GIL for tens of ms)."""
    uids: list[int] = []
    for start in range(0, len(logs), _RUN):
        uids += map(ids.get, map(_EMAIL, logs[start : start + _RUN]), repeat(-1))
        time.sleep(0)
    return uids


def _let_go(logs: list[Any]) -> None:
    """Empty ``logs`` a run at a time: freeing 100,000 decoded logs in one go holds the GIL
    for tens of milliseconds, seen as a pause in the window."""
    while logs:
        del logs[-_RUN:]
        time.sleep(0)


class _LogsDecoder:
    """Decodes an activity's logs, skipping the user fields when every user is known.

    People are enrolled in every activity, so from the second activity on their fields
    (kept once, from the first) need not be decoded again: that halves the decoding. An
    activity with someone new, or without an e-mail, is decoded in full.
    """

    def __init__(self, exact_ids: dict[str | None, int]) -> None:
        self._ids = exact_ids
        #: The last list decoded without user fields, and its user numbers.
        self.known: tuple[list[_SeenUserLog], list[int]] | None = None

    def decode(self, buf: bytes | bytearray | memoryview) -> list[Log]:
        self.known = None
        if self._ids:
            logs = _in_pieces(buf, _seen_users_decoder)
            uids = _known_users(self._ids, logs)
            if -1 not in uids:
                self.known = (logs, uids)
                return cast(list[Log], logs)  # what ``Builder.add`` reads of a Log
            del logs
        return _in_pieces(buf, logs_decoder)


#: Bytes of logs decoded at once: a few milliseconds with the GIL held, more where the
#: piece's copy and its logs take fresh memory from the system (page faults cost 13-37 us
#: each on a busy virtual machine), so not more than a megabyte.
_PIECE = 1 << 20
_T = TypeVar("_T")


def _in_pieces(
    buf: bytes | bytearray | memoryview, decoder: msgspec.json.Decoder[list[_T]]
) -> list[_T]:
    """Decode a logs array a megabyte at a time, letting other threads run between.

    msgspec holds the GIL while it decodes, so one activity of 100,000 logs (36 MB) would
    freeze the window for 100 ms. When a piece cannot decode (``array_pieces`` guesses where
    logs end), the whole array is decoded in one go, which gives a plain decode's errors.
    """
    logs: list[_T] = []
    try:
        for piece in array_pieces(buf, _PIECE):
            logs += decoder.decode(piece)
            time.sleep(0)  # let the GUI thread take the GIL
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        del logs
        return decoder.decode(buf)
    return logs


#: Stands for a user whose record another builder keeps (``Builder.know``).
_SOMEONE = User(None, None, None, None, None, None, (), "")


def _user_key(person: Log | User) -> object:
    """Who a log is of: the e-mail in any case, or every field when there is none."""
    email = person.email
    if email:
        # The e-mail itself when already in lower case: one string, not two, per user.
        return email if email.islower() else email.lower()
    return (person.firstname, person.lastname, person.telephone, person.country, person.city)


class Builder:
    """Folds decoded activities into columns, sharing user records across activities.

    Without ``columns`` only each log's state and each user's groups are kept: enough to
    count. Users in the same groups then share one ``User``, which holds nothing else.
    """

    def __init__(self, *, columns: bool = True) -> None:
        self.columns = columns
        self.users: list[User] = []
        self.user_ids: dict[object, int] = {}  # lower-cased e-mail (or name) -> user
        self.exact_ids: dict[str | None, int] = {}  # e-mail as sent -> user, the fast path
        self.strings: dict[str, str] = {}
        self.group_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._members: dict[tuple[str, ...], User] = {}  # without columns: groups -> user
        self.by_index: dict[int, ActivityData] = {}
        self.activities: list[ActivityData] = []
        self.decoder = _LogsDecoder(self.exact_ids)

    def know(self, emails: Sequence[str | None]) -> None:
        """Start from the users of another builder, by their e-mails (``None`` where there
        is none: such a user is met here as new). Their records stay there."""
        for uid, email in enumerate(emails):
            if email:
                self.exact_ids[email] = uid
                self.user_ids.setdefault(email.lower(), uid)
        self.users = [_SOMEONE] * len(emails)

    def _user_id(self, log: Log) -> int:
        email = log.email
        key = _user_key(log)
        uid = self.user_ids.get(key)
        if uid is None:
            uid = len(self.users)
            self.user_ids[key] = uid
            self.users.append(self._user(log))
        if email:
            self.exact_ids[email] = uid
        return uid

    def _user(self, log: Log) -> User:
        groups = self._groups(log.groups)
        if not self.columns:  # a million users' records would take over 70 MB
            member = self._members.get(groups)
            if member is None:
                member = User(None, None, None, None, None, None, groups, "")
                self._members[groups] = member
            return member
        return User(
            email=log.email,
            firstname=log.firstname,
            lastname=log.lastname,
            telephone=log.telephone,
            country=log.country,
            city=log.city,
            groups=groups,
            name=log.full_name or log.email or "",
        )

    def _groups(self, groups: Sequence[str] | None) -> tuple[str, ...]:
        """The groups as a tuple, one for everyone in the same groups: 100,000 tuples of
        their own would each be tracked by the cyclic collector until a collection, and
        the one after the first activity then took 30-75 ms with the GIL held."""
        if not groups:
            return ()
        key = tuple(groups)
        return self.group_sets.setdefault(key, key)

    def add(self, index: int, logs: list[Log]) -> None:
        """Fold one activity's logs into columns (again, if that index comes twice), and
        empty ``logs``."""
        activity = ActivityData(index)
        activity.users = array("i", self._users_of(logs))
        # One C-speed pass per column (``map`` and ``attrgetter``, no Python loop a log).
        statuses = list(map(_STATUS, logs))
        texts = list(map(_STATE, statuses))
        intern = self.strings.setdefault
        canonical: dict[str | None, str | None] = {
            text: intern(text, text) for text in set(texts) if text is not None
        }
        canonical[None] = None
        if self.columns:
            activity.state_text = list(map(canonical.__getitem__, texts))
        activity.states = _state_codes(statuses, texts)
        states = activity.states
        activity.counts = [states.count(code) for code in range(4)]
        self.by_index[index] = activity
        if not self.columns:
            return
        activity.complete = list(map(_COMPLETE, statuses))
        progress = list(map(_PROGRESS, statuses))
        if None in progress:
            progress = [NAN if p is None else p for p in progress]
        activity.progress = array("d", progress)
        activity.timestamps = list(map(_TIMESTAMP, statuses))
        activity.fulfilment = Payloads(map(_FULFILMENT, logs))
        _let_go(statuses)
        _let_go(logs)  # nothing else reads them: the caller only hands them on

    def _users_of(self, logs: list[Log]) -> list[int]:
        """Each log's user number, meeting the new users."""
        seen = self.decoder.known
        if seen is not None and seen[0] is cast(object, logs):
            uids = seen[1]
        else:
            uids = _known_users(self.exact_ids, logs)
        self.decoder.known = None
        if -1 in uids:
            user_id = self._user_id
            for row, uid in enumerate(uids):
                if uid < 0:
                    uids[row] = user_id(logs[row])
        return uids

    def count(self, logs: list[Log]) -> tuple[list[int], bytes]:
        """The user numbers and state codes of some of an activity's logs, in order, for
        ``add_counted`` (without columns)."""
        statuses = list(map(_STATUS, logs))
        return self._users_of(logs), _state_codes(statuses, list(map(_STATE, statuses)))

    def add_counted(self, index: int, counted: Sequence[tuple[list[int], bytes]]) -> None:
        """Add an activity whose logs were counted a part at a time (``count``), in order."""
        activity = ActivityData(index)
        activity.users = array("i")
        for uids, _ in counted:
            activity.users.extend(uids)
        activity.states = b"".join(states for _, states in counted)
        activity.counts = [activity.states.count(code) for code in range(4)]
        self.by_index[index] = activity

    def take(
        self, index: int, activity: ActivityData, users: Sequence[User], numbers: list[int]
    ) -> None:
        """Add an activity folded by another ``Builder`` (in ``fold_helper``), as if folded
        here: ``users`` are the people that builder met first in it, and ``numbers``, kept
        across one share, turns that builder's user numbers into these (it begins with the
        numbers of the users it was told of, ``know``)."""
        for user in users:
            key = _user_key(user)
            uid = self.user_ids.get(key)
            if uid is None:
                uid = len(self.users)
                self.user_ids[key] = uid
                self.users.append(user)
            if user.email:
                self.exact_ids[user.email] = uid
            numbers.append(uid)
        activity.index = index
        activity.users = array("i", map(numbers.__getitem__, activity.users))
        self.by_index[index] = activity

    def set_headers(self, headers: list[RawActivity]) -> None:
        self.activities = []
        for index, header in enumerate(headers):
            activity = self.by_index.pop(index)
            activity.set_header(header)
            self.activities.append(activity)
        self.by_index.clear()

    def finish(self) -> tuple[list[str], list[str], list[float], int, list[str], list[str]]:
        """Per-user tables, once every activity is in (without columns, no search or sort
        texts)."""
        n = len(self.users)
        required = [a for a in self.activities if a.required]
        in_order = array("i", range(n))
        for activity in self.activities:
            if activity.users == in_order:  # everyone once, in order: the usual answer
                activity.by_user = array("i", in_order)
                activity.user_states = activity.states
                continue
            by_user = array("i", [-1]) * n
            user_states = bytearray([NO_LOG]) * n
            for row, (uid, code) in enumerate(zip(activity.users, activity.states, strict=True)):
                by_user[uid] = row
                user_states[uid] = code
            activity.by_user = by_user
            activity.user_states = bytes(user_states)
        share = [d / len(required) for d in _completed(required, n)] if required else [NAN] * n
        search: list[str] = []
        sort_names: list[str] = []
        if self.columns:
            search = ["\n".join((u.name, u.email or "", *u.groups)).lower() for u in self.users]
            sort_names = [u.name.lower() for u in self.users]
        groups = sorted({g for u in self.users for g in u.groups}, key=str.lower)
        types = sorted({a.type for a in self.activities if a.type}, key=str.lower)
        return search, sort_names, share, len(required), groups, types


def _state_codes(statuses: list[LogStatus], texts: list[str | None]) -> bytes:
    """Each log's state code, from its state's text (``texts``) or, without one, its status."""
    code_of: dict[str | None, int] = {
        text: state_code(text, None, None) for text in set(texts) if text is not None
    }
    if None not in texts:
        return bytes(map(code_of.__getitem__, texts))
    codes = [code_of.get(text, -1) for text in texts]
    for row, status in enumerate(statuses):
        if status.state is None:
            codes[row] = state_code(None, status.complete, status.progress)
    return bytes(codes)


_COMPLETED_FLAGS = bytes(int(code == COMPLETED) for code in range(256))


def _completed(activities: list[ActivityData], users: int) -> list[int]:
    """Per user: how many of ``activities`` they completed.

    Each activity's completed flags (one byte a user) are added as one large integer, every
    user in a byte of their own: fewer than 256 activities never carry into a neighbour.
    """
    if len(activities) > 255:
        done = [0] * users
        for activity in activities:
            flags = activity.user_states.translate(_COMPLETED_FLAGS)
            done = [d + f for d, f in zip(done, flags, strict=True)]
        return done
    total = sum(
        int.from_bytes(a.user_states.translate(_COMPLETED_FLAGS), "little") for a in activities
    )
    return list(total.to_bytes(users, "little"))


#: Given a fetch's ``Builder``, what may hand the last activities to another process to fold
#: (``fold_helper.FoldHelper.share``).
ShareMaker = Callable[[Builder], ShareStarter]


class BodyKeeper(BodyCopy, Protocol):
    """Keeps a copy of the answer (``saved.PathwayKeeper``): fed it as it is read, or else
    given it whole once it has arrived."""

    #: Whether it was fed the answer as it was read, and so never needs it whole.
    streamed: bool

    def __call__(self, body: bytes | bytearray) -> Callable[[PathwayHead | None], None]:
        """The answer has arrived; what this returns is called with the decoded head (or
        ``None`` when decoding failed) before the answer is let go."""
        ...

    def abandon(self) -> None:
        """The answer will not come whole (the request failed or was cancelled)."""
        ...


def fetch_pathway_data(
    client: PathwayClient,
    query: PathwayQuery,
    cancel: CancelToken,
    progress: PhaseProgress | None = None,
    keep: BodyKeeper | None = None,
    share: ShareMaker | None = None,
) -> PathwayData:
    """Fetch and prepare one pathway; the job a worker thread runs for the pathway tab.

    With ``share`` (``FoldHelper.share``) a large answer's last activities may be folded
    in another process meanwhile.
    """
    started = time.perf_counter()
    try:
        body = client.fetch_body(
            query,
            cancel=cancel,
            progress=None
            if progress is None
            else lambda done, total: progress("download", done, total),
            copy=keep,
        )
    except BaseException:
        if keep is not None:
            keep.abandon()
        raise
    if progress is not None:
        progress("open", 0, None)
    kept = None if keep is None else keep(body)
    # Nobody reads the answer once decoded, so its memory is given back as it is read,
    # unless a copy is still to be made of it.
    release = keep is None or keep.streamed
    try:
        builder, head = _read(body, query, cancel, progress, share, release)
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
    share: ShareMaker | None = None,
    release: bool = False,
) -> PathwayData:
    """Decode an answer of ``POST /v1/logs/pathway-logs`` into ``PathwayData``; with
    ``release``, ``body`` is given back to the system as it is read (it is not read again).

    Raises the same errors as ``decode_pathway_logs`` for answers in the wrong shape.
    ``share`` is ``fetch_pathway_data``'s.
    """
    builder, head = _read(body, query, cancel, None, share, release)
    return _finish(builder, head, query, len(body), None)


def _read(
    body: bytes | bytearray,
    query: PathwayQuery | None,
    cancel: CancelToken | None,
    progress: PhaseProgress | None,
    share: ShareMaker | None = None,
    release: bool = False,
) -> tuple[Builder, PathwayHead]:
    """Each activity's logs are folded into columns as soon as they are decoded (the
    columns keep nothing of ``body``, so with ``release`` it is given back as it is read)."""
    builder = Builder()
    head = read_pathway_logs(
        body,
        builder.add,
        query=query,
        cancel=cancel,
        on_slice=None if progress is None else lambda done, total: progress("decode", done, total),
        decoder=builder.decoder,
        share=None if share is None else share(builder),
        release=release,
    )
    builder.set_headers(head.activities)
    return builder, head


def _finish(
    builder: Builder,
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
    data.name_ranks = name_ranks(sort_names)
    data.choices = filter_choices(data)
    data.choice_users = users_by_value(data.choices["users"])
    data.long_emails = longest_emails(data.users)
    return data
