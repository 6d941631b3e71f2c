"""Client of the pathway-logs API: ``POST /v1/logs/pathway-logs``."""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

import msgspec

from viewer.api import pathway_slices
from viewer.api.body import BodyCopy, release
from viewer.api.errors import (
    UNDECODABLE,
    ApiReportedError,
    BadResponseError,
    NotFoundError,
    sentence,
)
from viewer.api.http import (
    BaseClient,
    CancelToken,
    ProgressCallback,
    bad_response,
    without_bom,
)
from viewer.api.pathway_types import (
    EMPTY_ARRAY,
    Log,
    Pathway,
    PathwayLogs,
    PathwayLogsEnvelope,
    RawActivity,
    RawPathwayData,
    decode_envelope,
    decode_logs,
    logs_decoder,
)

PATHWAY_LOGS_PATH = "/v1/logs/pathway-logs"
#: A pathway name no server should have: the API's own answer for it proves the token works.
PROBE_PATHWAY = "connection-test"

#: Called after each activity's logs are decoded, with (done, total).
SliceCallback = Callable[[int, int], None]


def _clean(values: object) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = (values,)
    return tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class PathwayQuery:
    """What to ask for: one pathway (ID or name) and optional filters, passed on as typed."""

    pathway: str
    activities: tuple[str, ...] = field(default=())
    types: tuple[str, ...] = field(default=())
    groups: tuple[str, ...] = field(default=())
    users: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "pathway", (self.pathway or "").strip())
        for name in ("activities", "types", "groups", "users"):
            object.__setattr__(self, name, _clean(getattr(self, name)))

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {"pathway": self.pathway}
        for name in ("activities", "types", "groups", "users"):
            values = getattr(self, name)
            if values:
                body[name] = list(values)
        return body

    def describe(self) -> str:
        parts = [self.pathway]
        for name in ("activities", "types", "groups", "users"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name}: {', '.join(values)}")
        return "; ".join(parts)


class PathwayClient(BaseClient):
    """Fetches one pathway with every activity and user log.

    The token is the vendor's base64 token, sent as given after ``Basic``.
    """

    service = "pathway logs"

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Basic {self._token}"}

    def fetch_body(
        self,
        query: PathwayQuery,
        *,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
        copy: BodyCopy | None = None,
    ) -> bytes | bytearray:
        """The raw answer, for callers that decode it later (snapshots, exports); ``copy``
        is fed it as it is read."""
        if not query.pathway:
            raise ApiReportedError("Choose a pathway (its name or ID) before fetching.")
        # A read-only query sent as POST: repeating it is safe, so it is retried like a GET.
        response = self.request(
            "POST",
            PATHWAY_LOGS_PATH,
            json=query.body(),
            idempotent=True,
            cancel=cancel,
            progress=progress,
            copy=copy,
        )
        return response.content

    def probe(self, *, cancel: CancelToken | None = None) -> None:
        """Ask for a made-up pathway; return only when the API itself answered.

        The API checks the token before it looks for the pathway, so its "no such pathway"
        (a 404 in its error shape, or a success with an empty list) shows the token was
        accepted. Anything else (a proxy's page, an empty or cut-off answer, a 400) proves
        nothing, and raises the error that says what arrived.
        """
        try:
            body = self.fetch_body(PathwayQuery(PROBE_PATHWAY), cancel=cancel)
        except NotFoundError as exc:
            try:
                msgspec.json.decode(without_bom(exc.body), type=_ApiError)
            except UNDECODABLE:
                raise self.bad_response(
                    "a “not found” answer (HTTP 404) that is not the API's", exc.body, 404
                ) from None
            return
        envelope = _decode_whole_envelope(without_bom(body))
        if envelope.status == "error" or envelope.data is None:
            _checked_item(envelope, body, None)  # raises the matching error

    def fetch(
        self,
        query: PathwayQuery,
        *,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
        on_slice: SliceCallback | None = None,
    ) -> PathwayLogs:
        body = self.fetch_body(query, cancel=cancel, progress=progress)
        return self.decode(body, query=query, cancel=cancel, on_slice=on_slice)

    def decode(
        self,
        body: bytes | bytearray,
        *,
        query: PathwayQuery | None = None,
        cancel: CancelToken | None = None,
        on_slice: SliceCallback | None = None,
    ) -> PathwayLogs:
        return decode_pathway_logs(body, query=query, cancel=cancel, on_slice=on_slice)


class _ApiError(msgspec.Struct):
    """The API's documented error answer: ``{"status": "error", "message": "..."}``."""

    status: Literal["error"]
    message: str


#: Receives each activity's decoded logs as soon as they are decoded, by activity index.
LogsSink = Callable[[int, list[Log]], None]


class LogsDecoder(Protocol):
    """Decodes one activity's ``logs`` array; ``logs_decoder`` unless a caller knows better."""

    def decode(self, buf: bytes | bytearray | memoryview, /) -> list[Log]: ...


class LogsShare(Protocol):
    """The activities from ``first`` on, decoded and taken in elsewhere while the caller
    of ``read_pathway_logs`` decodes the others (``viewer.pathway.fold_helper``)."""

    first: int

    def ends(self, cancel: CancelToken | None) -> Iterator[int]:
        """Where each of the share's arrays ends, in order, once it is taken in. Fewer
        than the share's activities when the rest must be decoded here after all."""
        ...

    def close(self) -> None:
        """The share is over (read through or not)."""
        ...


#: Given the answer and where each logs array opens, once the first has been consumed;
#: returns a share of the others, or ``None``.
ShareStarter = Callable[[bytes | bytearray, list[int]], LogsShare | None]


@dataclass
class PathwayHead:
    """Everything in an answer but the logs: handed on by ``read_pathway_logs``."""

    pathway: Pathway
    activities: list[RawActivity]  # headers only: their ``logs`` are not kept
    hash: str | None
    response_time: float | None
    #: Where each activity's ``logs`` array is in the answer, ``(start, end)`` offsets of the
    #: body without its BOM, when they were found one by one (``None`` otherwise).
    spans: list[tuple[int, int]] | None = None


def read_pathway_logs(
    body: bytes | bytearray,
    consume: LogsSink,
    *,
    query: PathwayQuery | None = None,
    cancel: CancelToken | None = None,
    on_slice: SliceCallback | None = None,
    decoder: LogsDecoder = logs_decoder,
    keep_logs: bool = False,
    share: ShareStarter | None = None,
    release: bool = False,
    starts: list[int] | None = None,
) -> PathwayHead:
    """Decode an answer one activity's logs at a time, handing each list to ``consume``.

    Nothing here keeps the logs, so a caller that folds each list into a compact form never
    holds every log object at once. Between slices the GIL is released, so a GUI thread
    stays responsive while a worker decodes hundreds of megabytes. The usual shape is decoded
    without any single long scan (``pathway_slices``); anything unusual takes the plain path,
    which also gives precise errors. If the quick path gives up half-way, ``consume`` sees
    the same indices again from 0: a later call for an index replaces the earlier one.
    ``decoder`` decodes each array on the quick path (the plain path decodes every ``Log``).
    With ``keep_logs`` each activity of the head keeps its ``logs`` as raw JSON, a view of
    ``body``, for a caller that reads them again (else they are ``[]``). ``share``, on the
    quick path, may hand the last activities to someone else: ``consume`` does not see them.

    With ``release`` (and without ``keep_logs``), for a caller that reads ``body`` no more
    and whose ``consume`` keeps nothing of it (a log's ``fulfilment`` is a view of it), the
    memory of each logs array is given back once its logs are taken (``body.release``),
    when the answer's shape was checked first. Should the quick path give up after that,
    the plain path reads the answer with those arrays left out and does not hand on their
    activities again: ``consume`` has them already.

    ``starts``, where each ``logs`` array opens in ``body`` (without its BOM), spares the
    quick path its scan of the answer when the caller has found them already
    (``pathway_slices.array_starts``); wrong ones make it give up, as any surprise does.
    """
    body = without_bom(body)
    if pathway_slices.is_blank(body):
        raise bad_response(PathwayClient.service, "an empty answer", bytes(body))
    released: list[tuple[int, tuple[int, int]]] = []
    sliced = _read_sliced(
        body,
        consume,
        cancel,
        on_slice,
        decoder,
        keep_logs,
        share,
        released if release else None,
        starts,
    )
    spans = None
    if sliced is not None:
        envelope, spans = sliced
        item = _checked_item(envelope, body, query)
    else:
        taken = {index for index, _ in released}
        if released:  # what is left of the answer, as it was but for the arrays let go
            body = pathway_slices.skeleton(body, [span for _, span in released])
        envelope = _decode_whole_envelope(body)
        item = _checked_item(envelope, body, query)
        with _collector_paused():
            _read_each(item.activities or [], body, consume, cancel, on_slice, keep_logs, taken)
    return PathwayHead(
        pathway=item.pathway,
        activities=item.activities or [],
        hash=envelope.hash,
        response_time=envelope.response_time,
        spans=spans,
    )


def decode_pathway_logs(
    body: bytes | bytearray,
    *,
    query: PathwayQuery | None = None,
    cancel: CancelToken | None = None,
    on_slice: SliceCallback | None = None,
) -> PathwayLogs:
    """Decode a whole answer into one ``PathwayLogs`` (see ``read_pathway_logs``)."""
    logs: dict[int, list[Log]] = {}
    head = read_pathway_logs(body, logs.__setitem__, query=query, cancel=cancel, on_slice=on_slice)
    return PathwayLogs(
        pathway=head.pathway,
        activities=[raw.with_logs(logs[i]) for i, raw in enumerate(head.activities)],
        hash=head.hash,
        response_time=head.response_time,
    )


def _yield_gil() -> None:
    time.sleep(0)  # let other threads (the GUI) take the GIL


def _between_slices(
    cancel: CancelToken | None, on_slice: SliceCallback | None, done: int, total: int
) -> None:
    # The slice's fresh objects are young; one small collection untracks its tuples so no
    # later full collection has to walk them (that would be a long pause in any thread).
    # Of the two younger generations, so that what survives goes on to the oldest at once:
    # left in the middle one, the large columns of every activity were walked again by its
    # first collection after the answer, 90-150 ms at 2,000,000 logs with the GIL held.
    gc.collect(1)
    if on_slice is not None:
        on_slice(done, total)
    _yield_gil()
    if cancel is not None:
        cancel.raise_if_cancelled()


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic collector from scanning and rescanning a growing heap while decoding.

    Decoded logs hold no cycles; without this, full collections over hundreds of thousands
    of fresh objects take most of the decoding time, in long GIL-holding bursts. Nested and
    concurrent uses are counted, so the collector is back on when the last one ends.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def _read_sliced(
    body: bytes | bytearray,
    consume: LogsSink,
    cancel: CancelToken | None,
    on_slice: SliceCallback | None,
    decoder: LogsDecoder = logs_decoder,
    keep_logs: bool = False,
    share: ShareStarter | None = None,
    released: list[tuple[int, tuple[int, int]]] | None = None,
    starts: list[int] | None = None,
) -> tuple[PathwayLogsEnvelope, list[tuple[int, int]]] | None:
    """The envelope and where each logs array was, with every logs list handed to
    ``consume`` (or taken in by a share); ``None`` to fall back.

    With ``released``, each array whose logs were taken is given back to the system when
    the answer's shape allows, and added there with its activity's index."""
    with _collector_paused():
        if starts is None:
            starts = pathway_slices.array_starts(body, pause=_yield_gil)
        if starts is None:
            return None
        guess = _checked_guess(body, starts)
        checked = None if released is None or keep_logs else guess
        last_limit = _last_limit(body, guess)
        shared: LogsShare | None = None
        spans: list[tuple[int, int]] = []

        def taken(index: int, start: int, end: int) -> None:
            nonlocal checked
            spans.append((start, end))
            if checked is None or released is None:
                return
            if checked[1][index] != (start, end):
                checked = None  # not where the check found it: nothing more is let go
                return
            release(body, start, end)
            released.append((index, (start, end)))

        try:
            index = 0
            while index < len(starts):
                if index == 1 and share is not None:
                    shared = share(body, starts)
                if shared is not None and index == shared.first:
                    for end in shared.ends(cancel):
                        taken(index, starts[index], end)
                        index += 1
                        _between_slices(cancel, on_slice, index, len(starts))
                    shared.close()
                    shared = None
                    continue  # with what the share left, if anything
                start = starts[index]
                limit = starts[index + 1] if index + 1 < len(starts) else last_limit
                found = pathway_slices.decode_array(body, start, limit, decoder)
                if found is None:
                    return None
                end, logs = found
                consume(index, logs)
                del logs, found
                taken(index, start, end)
                index += 1
                _between_slices(cancel, on_slice, index, len(starts))
            if checked is not None and checked[1] == spans:
                envelope = checked[0]  # decoded already, from the same skeleton
            else:
                envelope = decode_envelope(pathway_slices.skeleton(body, spans))
        except UNDECODABLE:
            return None
        finally:
            if shared is not None:
                shared.close()
    # Every array taken out must be an activity's logs, in order: a "logs" key anywhere else
    # (or an activity without one) would hand one activity's logs to another.
    if not _all_marked(envelope, spans):
        return None
    activities = [a for item in envelope.data or [] for a in item.activities or []]
    if keep_logs:
        view = memoryview(body)
        for activity, (start, end) in zip(activities, spans, strict=True):
            activity.logs = msgspec.Raw(view[start:end])
    else:
        for activity in activities:
            activity.logs = EMPTY_ARRAY
    return envelope, spans


def _all_marked(envelope: PathwayLogsEnvelope, spans: list[tuple[int, int]]) -> bool:
    """Whether the arrays ``spans`` took out were the logs of each activity, in order."""
    activities = [a for item in envelope.data or [] for a in item.activities or []]
    marker = pathway_slices.MARKER
    return len(activities) == len(spans) and all(bytes(a.logs) == marker for a in activities)


def _checked_guess(
    body: bytes | bytearray, starts: list[int]
) -> tuple[PathwayLogsEnvelope, list[tuple[int, int]]] | None:
    """Before any array is decoded: where each logs array will be found to end, and the
    envelope without them, when that shows each is an activity's logs; ``None`` otherwise.

    An array ends at the last ``]`` before the next one opens (its activity's other fields
    come before it), the last array at one of the last few ``]`` of the answer. Only an
    array found where this says may be let go once read: the answer then holds nothing
    else of the activity's inside it.
    """
    spans = []
    for index, start in enumerate(starts[:-1]):
        close = body.rfind(b"]", start, starts[index + 1])
        if close == -1:
            return None
        spans.append((start, close + 1))
    end = len(body)
    for _ in range(pathway_slices.MAX_END_TRIES):
        close = body.rfind(b"]", starts[-1], end)
        if close == -1:
            return None
        guessed = [*spans, (starts[-1], close + 1)]
        try:
            envelope = decode_envelope(pathway_slices.skeleton(body, guessed))
        except UNDECODABLE:
            end = close
            continue
        return (envelope, guessed) if _all_marked(envelope, guessed) else None
    return None


def last_array_limit(body: bytes | bytearray, starts: list[int]) -> int:
    """Where the last logs array ends at the latest, as the rest of the answer shows.

    ``decode_array`` tries each ``]`` before its limit in turn: from the body's end, the
    last array was decoded in full against the ``]`` of every enclosing array first."""
    return _last_limit(body, _checked_guess(body, starts))


def _last_limit(
    body: bytes | bytearray, guess: tuple[PathwayLogsEnvelope, list[tuple[int, int]]] | None
) -> int:
    return len(body) if guess is None else guess[1][-1][1]


def _decode_whole_envelope(body: bytes | bytearray) -> PathwayLogsEnvelope:
    service = PathwayClient.service
    try:
        return decode_envelope(body)
    except msgspec.ValidationError as exc:
        raise bad_response(service, f"an answer in an unexpected shape ({exc})", body) from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        raise bad_response(service, "an answer that is not valid JSON", body) from None
    except RecursionError:
        raise bad_response(service, "an answer nested too deeply to read", body) from None


def _checked_item(
    envelope: PathwayLogsEnvelope, body: bytes | bytearray, query: PathwayQuery | None
) -> RawPathwayData:
    if envelope.status == "error" or (envelope.data is None and envelope.message):
        raise ApiReportedError(
            "The pathway logs server reported an error: "
            + sentence(envelope.message or "no reason given")
        )
    if envelope.data is None:
        raise bad_response(PathwayClient.service, "an answer without a “data” list", body)
    if not envelope.data:
        name = f"“{query.pathway}”" if query else "the requested pathway"
        raise NotFoundError(
            f"The server returned no pathway for {name}. Check its name or ID; names must "
            "match exactly."
        )
    if len(envelope.data) > 1:
        # A request names one pathway; the rows of a second would be shown and exported as
        # the first's, so neither is taken.
        raise BadResponseError(
            f"The server sent {len(envelope.data)} pathways for one request: "
            f"{_listed(envelope.data)}. Ask for one pathway by its ID."
        )
    return envelope.data[0]


def _listed(items: list[RawPathwayData], shown: int = 3) -> str:
    def one(pathway: Pathway) -> str:
        name = (pathway.name or "")[:60]
        key = (pathway.ID or "?")[:40]
        return f"“{name}” (ID {key})" if name else f"ID {key}"

    names = [one(item.pathway) for item in items[:shown]]
    more = len(items) - shown
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _read_each(
    raw_activities: list[RawActivity],
    body: bytes | bytearray,
    consume: LogsSink,
    cancel: CancelToken | None,
    on_slice: SliceCallback | None,
    keep_logs: bool = False,
    taken: Container[int] = (),
) -> None:
    for index, raw in enumerate(raw_activities):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if index in taken:  # handed on already, and let go of
            _between_slices(cancel, on_slice, index + 1, len(raw_activities))
            continue
        logs = checked_logs(raw, body)
        consume(index, logs)
        del logs
        if not keep_logs:
            raw.logs = EMPTY_ARRAY  # let go of this slice of the body
        _between_slices(cancel, on_slice, index + 1, len(raw_activities))


#: Bytes of one activity's logs decoded at once by ``checked_batches``: a few thousand logs.
_BATCH_PIECE = 4 << 20


def checked_batches(raw: RawActivity, body: bytes | bytearray, size: int) -> Iterator[list[Log]]:
    """The logs of one activity, ``size`` at a time (the last batch may hold fewer), with
    the errors of ``checked_logs``. Only a few megabytes of them are decoded at a time: a
    whole activity of a million logs would take hundreds of megabytes at once."""
    pending: list[Log] = []
    done = 0
    try:
        for piece in pathway_slices.array_pieces(memoryview(raw.logs), _BATCH_PIECE):
            pending += logs_decoder.decode(piece)
            while len(pending) >= size:
                yield pending[:size]
                del pending[:size]
                done += size
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError):
        # A piece cut in the wrong place, or logs in the wrong shape: what a plain decode
        # gives, or says.
        pending = checked_logs(raw, body)[done:]
    while pending:
        yield pending[:size]
        del pending[:size]


def checked_logs(raw: RawActivity, body: bytes | bytearray) -> list[Log]:
    """Every ``Log`` of one activity, or the error that says what is wrong with them.

    For callers that checked the answer with a narrower ``decoder`` first: a log in the
    wrong shape is found only here, and reads as it would have in ``read_pathway_logs``.
    """
    try:
        return decode_logs(raw.logs)
    except msgspec.ValidationError as exc:
        raise bad_response(
            PathwayClient.service,
            f"logs in an unexpected shape for activity “{raw.name}” ({exc})",
            bytes(raw.logs),
        ) from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        raise bad_response(
            PathwayClient.service, "an answer that is not valid JSON", body
        ) from None
    except RecursionError:
        raise bad_response(
            PathwayClient.service, "an answer nested too deeply to read", body
        ) from None
