"""Fulfilment payloads of pathway logs, written straight to JSON bytes.

The vendor documents the data, complete (story, assessment, survey) and check-in payloads;
the others (view, QR code, upload, honor, visit, enrollment) are plausible inventions, each
under its own key, so that clients meet payloads nobody has described.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from viewer.demo.data import ActivityDef

_encode = msgspec.json.encode
_UPLOADS = tuple(
    _encode(name)
    for name in (
        "receipt.jpg",
        "Résumé 2025.pdf",
        "site photo (1).png",
        "checklist.docx",
        "IMG_4521.HEIC",
        "signed form.pdf",
    )
)


def payload_maker(act: ActivityDef) -> Callable[[int, int, int], bytes]:
    """``(state, progress, aux) -> b'"key":{...}'`` for the activity's fulfilment type."""
    kind, ful = act.kind, act.fulfilment
    if kind.is_data:
        head = b'"data":{"category":' + _encode(act.detail) + b',"current":%d,"target":%d}'
        target = act.number

        def data(state: int, progress: int, aux: int) -> bytes:
            current = target + aux % (target + 1) if state == 2 else target * progress // 100
            return head % (current, target)

        return data
    if ful == "complete":
        head = (
            b'"'
            + kind.code.encode()
            + b'":{"ID":'
            + _encode(act.content_id)
            + b',"name":'
            + _encode(act.name)
            + b',"score":%s}'
        )
        return lambda state, progress, aux: (
            head % (b"%d" % (40 + aux % 61) if state == 2 else b"null",)
        )
    if ful == "check-in":
        head = (
            b'"checkin":{"eventID":'
            + _encode(act.content_id)
            + b',"virtual":%s,"guid":"%08x-%04x-4%03x-a%03x-%012x","distance":%d}'
        )
        virtual_event = bool(act.number)

        def checkin(state: int, progress: int, aux: int) -> bytes:
            virtual = virtual_event or aux % 11 == 0
            distance = -1 if virtual or aux % 17 == 0 else aux % 40000
            mix = (aux * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFF
            return head % (
                b"true" if virtual else b"false",
                aux,
                mix & 0xFFFF,
                aux & 0xFFF,
                (mix >> 16) & 0xFFF,
                mix,
                distance,
            )

        return checkin
    if ful == "qr code":
        head = b'"qrcode":{"code":"QR-%08X","scans":%d}'
        return lambda state, progress, aux: head % (aux, 1 + aux % 3 if state == 2 else 0)
    if ful in ("upload", "upload & review"):
        head = b'"upload":{"filename":%s,"size":%d,"reviewed":%s}'
        review = ful == "upload & review"
        return lambda state, progress, aux: (
            head
            % (
                _UPLOADS[aux % len(_UPLOADS)],
                20000 + aux % 4000000,
                b"true" if review and state == 2 else b"false",
            )
        )
    if ful == "honor":
        head = b'"honor":{"confirmed":%s,"statement":"I confirm that I completed this activity."}'
        return lambda state, progress, aux: head % (b"true" if state == 2 else b"false",)
    if ful == "visit":
        head = b'"visit":{"url":' + _encode(act.detail) + b',"visits":%d}'
        return lambda state, progress, aux: head % (1 + aux % 9,)
    if ful == "enrollment":
        head = (
            b'"enrollment":{"pathwayID":'
            + _encode(act.content_id)
            + b',"pathway":'
            + _encode(act.detail)
            + b',"enrolled":%s}'
        )
        return lambda state, progress, aux: head % (b"true" if state == 2 else b"false",)
    head = b'"view":{"views":%d,"seconds":%d}'
    return lambda state, progress, aux: head % (1 + aux % 4, (aux >> 8) % 1200 * progress // 100)


def offset_suffix(minutes: int) -> bytes:
    sign = b"+" if minutes >= 0 else b"-"
    hours, mins = divmod(abs(minutes), 60)
    return sign + b"%02d:%02d" % (hours, mins)
