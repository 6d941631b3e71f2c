"""The activity-log API: ``/v1/activities`` and its neighbours, over the SQLite inbox."""

from __future__ import annotations

from urllib.parse import parse_qsl

import msgspec

from viewer.demo.auth_routes import SignInBook
from viewer.demo.inbox_data import INBOX_TYPES, SUBTYPE_BY_ID, TYPE_BY_NAME, InboxRow
from viewer.demo.store import InboxStore
from viewer.demo.wire import (
    BodyError,
    Request,
    Response,
    activity_error,
    decode_object,
    json_response,
    no_content,
)

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


class _Page(msgspec.Struct):
    data: list[InboxRow]
    meta: dict[str, int]


def types_body() -> dict[str, object]:
    return {
        "data": [
            {
                "name": t.name,
                "description": t.description,
                "subtypes": [
                    {"id": s.id, "name": s.name, "description": s.description} for s in t.subtypes
                ],
            }
            for t in INBOX_TYPES
        ]
    }


def subtype_ids(value: str, type_names: list[str]) -> list[str]:
    """IDs of the subtypes whose id or name is ``value``, within the given types (or all)."""
    types = (
        [TYPE_BY_NAME[n] for n in type_names if n in TYPE_BY_NAME] if type_names else INBOX_TYPES
    )
    return [s.id for t in types for s in t.subtypes if value in (s.id, s.name)]


def _int_param(params: dict[str, list[str]], name: str, default: int) -> int:
    values = params.get(name)
    if not values or values[-1] == "":
        return default
    try:
        number = int(values[-1])
    except ValueError:
        raise BodyError(f"{name} must be a whole number, not “{values[-1]}”.") from None
    if number < 1:
        raise BodyError(f"{name} must be 1 or more.")
    return number


def list_activities(store: InboxStore, query: str) -> Response:
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params.setdefault(key, []).append(value)
    try:
        page = _int_param(params, "page", 1)
        per_page = min(_int_param(params, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    except BodyError as exc:
        return activity_error(400, str(exc))
    types = [
        part.strip()
        for key in ("type", "type[]")
        for value in params.get(key, [])
        for part in value.split(",")
        if part.strip()
    ]
    subtype = (params.get("subtype") or [""])[-1].strip()
    reference = (params.get("reference_uuid") or [""])[-1].strip() or None
    ids = subtype_ids(subtype, types) if subtype else None
    rows, total = store.page(page, per_page, types=types, subtypes=ids, reference_uuid=reference)
    body = _Page(data=rows, meta={"page": page, "per_page": per_page, "total": total})
    return Response(200, [msgspec.json.encode(body)])


def unread_body(store: InboxStore) -> dict[str, object]:
    totals = {t.name: 0 for t in INBOX_TYPES}
    subtypes = {t.name: {s.name: 0 for s in t.subtypes} for t in INBOX_TYPES}
    unread = 0
    for type_name, subtype, count in store.unread():
        unread += count
        totals[type_name] = totals.get(type_name, 0) + count
        subs = subtypes.setdefault(type_name, {})
        found = SUBTYPE_BY_ID.get(subtype or "")
        if found is not None:
            subs[found[1].name] = subs.get(found[1].name, 0) + count
    types = {name: {"total": total, "subtypes": subtypes[name]} for name, total in totals.items()}
    return {"unread": unread, "types": types}


def mark_one(store: InboxStore, uuid: str, body: bytes) -> Response:
    try:
        value = decode_object(body, '{"read": true}')
        read = value.get("read")
        if not isinstance(read, bool):
            raise BodyError('“read” must be true or false, as in {"read": true}.')
    except BodyError as exc:
        return activity_error(400, str(exc))
    if not store.mark(uuid, read):
        return activity_error(404, f"There is no activity {uuid}.")
    return no_content()


def mark_all(store: InboxStore, body: bytes) -> Response:
    example = '{"isRead": true, "type": "security"}'
    try:
        value = decode_object(body, example)
        read = value.get("isRead")
        if not isinstance(read, bool):
            raise BodyError(f"“isRead” must be true or false, as in {example}.")
        type_name, subtype = value.get("type"), value.get("subtype")
        for key, item in (("type", type_name), ("subtype", subtype)):
            if item is not None and not isinstance(item, str):
                raise BodyError(f"“{key}” must be a string.")
    except BodyError as exc:
        return activity_error(400, str(exc))
    types = [type_name] if type_name else []
    ids = subtype_ids(subtype, types) if subtype else None
    store.mark_all(read, types, ids)
    return no_content()


def handle(
    store: InboxStore, request: Request, token: str, sign_in: SignInBook | None = None
) -> Response:
    parts = request.path.strip("/").split("/")
    method = request.method
    if parts[:2] in (["v1", "activities"], ["v1", "acticities"]):
        rest = parts[2:]
        if parts[1] == "acticities" and rest != ["types"]:
            rest = ["<none>"]
    else:
        rest = ["<none>"]
    if rest in ([], ["types"], ["unread-count"]):
        allowed = "GET"
    elif rest == ["read"] or (len(rest) == 2 and rest[1] == "read"):
        allowed = "POST"
    else:
        return activity_error(404, f"There is no endpoint {request.path}.")
    if method != allowed:
        return activity_error(
            405, f"{method} is not allowed on {request.path}; use {allowed}.", Allow=allowed
        )
    issued = sign_in.token_state(request) if sign_in is not None else None
    if issued == "expired":
        return activity_error(
            401,
            "The access token has expired; get a new one.",
            **{"WWW-Authenticate": 'Bearer realm="activities", error="invalid_token"'},
        )
    if issued is None and not request.has_token("Bearer", token):
        return activity_error(
            401,
            "Missing or invalid access token; send “Authorization: Bearer <token>”.",
            **{"WWW-Authenticate": 'Bearer realm="activities"'},
        )
    if rest == []:
        return list_activities(store, request.query)
    if rest == ["types"]:
        return json_response(types_body())
    if rest == ["unread-count"]:
        return json_response(unread_body(store))
    if rest == ["read"]:
        return mark_all(store, request.body)
    return mark_one(store, rest[0], request.body)
