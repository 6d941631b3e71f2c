"""Requests and responses as the demo's routes see them, and each API's error bodies."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import msgspec

JSON = "application/json"
_encode = msgspec.json.encode


@dataclass
class Request:
    method: str
    raw_target: str  # the request target as sent, query string included
    path: str  # decoded, without the query string, trailing slash removed
    query: str
    headers: Any  # an email.message.Message, looked up case-insensitively
    body: bytes
    client: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "") or ""

    def has_token(self, scheme: str, token: str) -> bool:
        """Whether ``Authorization`` is ``<scheme> <token>`` (scheme in any case)."""
        given_scheme, _, given = self.header("Authorization").strip().partition(" ")
        if given_scheme.lower() != scheme.lower():
            return False
        return hmac.compare_digest(given.strip().encode(), token.encode())


@dataclass
class Response:
    status: int
    parts: list[bytes] = field(default_factory=list)
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False

    @property
    def length(self) -> int:
        return sum(len(part) for part in self.parts)


def json_response(value: Any, status: int = 200, **headers: str) -> Response:
    return Response(status, [_encode(value)], headers=dict(headers))


def no_content() -> Response:
    return Response(204)


def pathway_error(status: int, message: str, **headers: str) -> Response:
    """The pathway-logs API's error shape."""
    return json_response({"status": "error", "message": message}, status, **headers)


def activity_error(status: int, message: str, **headers: str) -> Response:
    """The activity-log API's error shape."""
    try:
        code = HTTPStatus(status).name
    except ValueError:
        code = "ERROR"
    body = {
        "statusCode": status,
        "error_code": code,
        "message": message,
        "trace_id": uuid.uuid4().hex,
    }
    return json_response(body, status, **headers)


def error_for(api: str, status: int, message: str, **headers: str) -> Response:
    if api == "auth":  # the OAuth shape of the sign-in endpoints
        return json_response(
            {"error": "server_error", "error_description": message}, status, **headers
        )
    maker = pathway_error if api == "pathway" else activity_error
    return maker(status, message, **headers)


def gateway_page() -> Response:
    html = (
        b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>"
        b"<h1>Gateway</h1><p>The upstream server did not answer in time. "
        b"Please try again later.</p><hr><address>demo-proxy</address></body></html>\n"
    )
    return Response(200, [html], content_type="text/html; charset=utf-8")


class BodyError(ValueError):
    """A request body that cannot be used; the message says why, for the client."""


def decode_object(body: bytes, example: str) -> dict[str, Any]:
    """The body as a JSON object, or ``BodyError`` with a message naming the problem."""
    if not body.strip():
        raise BodyError(f"The request body is empty. Send a JSON object such as {example}.")
    try:
        value = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise BodyError(
            f"The request body is not valid JSON ({exc}). Keys and strings need double "
            f"quotes, as in {example}."
        ) from None
    if not isinstance(value, dict):
        raise BodyError(f"The request body must be a JSON object such as {example}.")
    return value


def try_json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return msgspec.json.decode(body)
    except msgspec.DecodeError:
        return None
