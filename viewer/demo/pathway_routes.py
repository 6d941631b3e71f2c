"""``POST /v1/logs/pathway-logs``: one pathway, its activities and every user's log."""

from __future__ import annotations

import time
from typing import Any

from viewer.demo.pathways import Filters, PathwayBook
from viewer.demo.wire import BodyError, Request, Response, decode_object, pathway_error

PATH = "/v1/logs/pathway-logs"
_EXAMPLE = '{"pathway": "Pathway A"}'
_LISTS = ("activities", "types", "groups", "users", "user")


def _strings(body: dict[str, Any], key: str) -> list[str]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BodyError(f'“{key}” must be an array of strings, for example ["Story A"].')
    return value


def parse_query(body: bytes) -> tuple[str, Filters]:
    """The pathway asked for and the normalised filters, or ``BodyError``."""
    value = decode_object(body, _EXAMPLE)
    pathway = value.get("pathway")
    if pathway is None or (isinstance(pathway, str) and not pathway.strip()):
        raise BodyError(f"“pathway” is required: the ID or name of one pathway, as in {_EXAMPLE}.")
    if not isinstance(pathway, str):
        raise BodyError("“pathway” must be a string: the ID or name of one pathway.")
    lists = {key: _strings(value, key) for key in _LISTS}
    filters = Filters.of(
        activities=lists["activities"],
        types=lists["types"],
        groups=lists["groups"],
        users=lists["users"] + lists["user"],  # the seed's examples also say "user"
    )
    return pathway, filters


def handle(book: PathwayBook, request: Request, token: str, started: float) -> Response:
    if request.path != PATH:
        return pathway_error(404, f"There is no endpoint {request.path}; use POST {PATH}.")
    if request.method != "POST":
        return pathway_error(
            405, f"{request.method} is not allowed here; use POST {PATH}.", Allow="POST"
        )
    if not request.has_token("Basic", token):
        return pathway_error(
            401,
            "Unauthorised: send the API token as “Authorization: Basic <token>”.",
            **{"WWW-Authenticate": 'Basic realm="pathway-logs"'},
        )
    try:
        pathway, filters = parse_query(request.body)
    except BodyError as exc:
        return pathway_error(400, str(exc))
    pdef = book.find(pathway)
    if pdef is None:
        return pathway_error(404, f"Pathway “{pathway.strip()}” was not found.")
    answer, _cached = book.answer(pdef, filters)
    elapsed = time.perf_counter() - started
    head = b'{"status":"success","data":'
    tail = b',"hash":"%s","response_time":%s}' % (answer.hash.encode(), repr(elapsed).encode())
    return Response(200, [head, answer.data, tail])
