"""Client of the pathway-logs API: ``POST /v1/logs/pathway-logs``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from viewer.api.errors import ApiReportedError, NotFoundError
from viewer.api.http import BaseClient, CancelToken, ProgressCallback, bad_response
from viewer.api.pathway_types import PathwayLogs, decode_envelope

PATHWAY_LOGS_PATH = "/v1/logs/pathway-logs"

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
    ) -> bytes:
        """The raw answer, for callers that decode it later (snapshots, exports)."""
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
        )
        return response.content

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
        body: bytes,
        *,
        query: PathwayQuery | None = None,
        cancel: CancelToken | None = None,
        on_slice: SliceCallback | None = None,
    ) -> PathwayLogs:
        return decode_pathway_logs(body, query=query, cancel=cancel, on_slice=on_slice)


def decode_pathway_logs(
    body: bytes,
    *,
    query: PathwayQuery | None = None,
    cancel: CancelToken | None = None,
    on_slice: SliceCallback | None = None,
) -> PathwayLogs:
    """Decode a whole answer, one activity's logs at a time.

    Between activities the GIL is released, so a GUI thread stays responsive while a worker
    decodes hundreds of megabytes.
    """
    service = PathwayClient.service
    if not body.strip():
        raise bad_response(service, "an empty answer", body)
    try:
        envelope = decode_envelope(body)
    except msgspec.ValidationError as exc:
        raise bad_response(service, f"an answer in an unexpected shape ({exc})", body) from None
    except msgspec.DecodeError:
        raise bad_response(service, "an answer that is not valid JSON", body) from None
    if envelope.status == "error" or (envelope.data is None and envelope.message):
        raise ApiReportedError(
            f"The pathway logs server reported an error: {envelope.message or 'no reason given'}"
        )
    if envelope.data is None:
        raise bad_response(service, "an answer without a “data” list", body)
    if not envelope.data:
        name = f"“{query.pathway}”" if query else "the requested pathway"
        raise NotFoundError(
            f"The server returned no pathway for {name}. Check its name or ID; names must "
            "match exactly."
        )
    item = envelope.data[0]
    raw_activities = item.activities or []
    activities = []
    total = len(raw_activities)
    for index, raw in enumerate(raw_activities):
        if cancel is not None:
            cancel.raise_if_cancelled()
        try:
            activities.append(raw.decode())
        except msgspec.ValidationError as exc:
            raise bad_response(
                service,
                f"logs in an unexpected shape for activity “{raw.name}” ({exc})",
                bytes(raw.logs),
            ) from None
        except msgspec.DecodeError:
            raise bad_response(service, "an answer that is not valid JSON", body) from None
        if on_slice is not None:
            on_slice(index + 1, total)
        time.sleep(0)  # let other threads (the GUI) take the GIL between slices
    return PathwayLogs(
        pathway=item.pathway,
        activities=activities,
        hash=envelope.hash,
        response_time=envelope.response_time,
    )
