"""Falkor's downloaded token files: JSON or key/value text, found loosely, gaps said plainly."""

from __future__ import annotations

import pytest

from viewer.auth.token_file import parse_token_file, read_token_file

TOKEN = "ZGVtby1wYXRod2F5OmFiY2RlZjEyMzQ1Njc4OTA="

JSON_SAMPLES = [
    f'{{"token": "{TOKEN}", "url": "https://api.falkor.example/v1/"}}',
    f'{{"api_token": "{TOKEN}", "base_api_endpoint": "https://api.falkor.example"}}',
    f'{{"data": {{"accessToken": "{TOKEN}", "tokenType": "Basic", '
    f'"baseUrl": "https://api.falkor.example/v1"}}, "docs": "https://docs.falkor.example"}}',
    f'[{{"name": "Pathways API", "Base API Endpoint": "https://api.falkor.example"}}, '
    f'{{"Authorization": "Basic {TOKEN}"}}]',
]

TEXT_SAMPLES = [
    f"url: https://api.falkor.example/v1\ntoken: {TOKEN}\n",
    f"# Downloaded from the API Manager\nBase API Endpoint = https://api.falkor.example\n"
    f"API Token = {TOKEN}\n",
    f'export FALKOR_URL="https://api.falkor.example/v1/"\nexport FALKOR_TOKEN="{TOKEN}"\n',
    f"Authorization: Basic {TOKEN}\r\nEndpoint: https://api.falkor.example\r\n",
    f"https://api.falkor.example/v1\n{TOKEN}\n",
    f"[falkor]\nbase_url=https://api.falkor.example\nkey={TOKEN}\n",
]


@pytest.mark.parametrize("text", JSON_SAMPLES + TEXT_SAMPLES)
def test_the_url_and_token_are_found(text):
    found = parse_token_file(text)
    assert found.problems == ()
    assert found.base_url == "https://api.falkor.example"
    assert found.token == TOKEN
    assert found.complete


def test_the_token_is_never_in_the_repr():
    assert TOKEN not in repr(parse_token_file(TEXT_SAMPLES[0]))


def test_a_file_without_a_url_says_so_and_keeps_the_token():
    found = parse_token_file(f'{{"token": "{TOKEN}"}}')
    assert found.token == TOKEN and found.base_url is None
    assert len(found.problems) == 1
    assert "No server address was found" in found.problems[0]


def test_a_file_without_a_token_says_so_and_keeps_the_url():
    found = parse_token_file("url: https://api.falkor.example\nuser: ann\n")
    assert found.base_url == "https://api.falkor.example" and found.token is None
    assert found.problems == (
        "No token was found in the file (no “token: …” line and no key such as token, "
        "api_token or access_token). Paste the token by hand.",
    )


def test_a_file_with_neither_names_both():
    found = parse_token_file("Hello\nThis is a letter, not a token file.\n")
    assert not found.complete
    assert [p.split(" was")[0] for p in found.problems] == ["No server address", "No token"]


def test_a_token_type_or_name_is_not_taken_for_the_token():
    found = parse_token_file(
        f'{{"token_type": "Basic", "token_name": "reports-2024", "token": "{TOKEN}", '
        '"url": "https://api.falkor.example"}'
    )
    assert found.token == TOKEN


def test_a_plain_http_address_is_found_but_checked_later():
    found = parse_token_file(f"url: http://api.falkor.example\ntoken: {TOKEN}\n")
    assert found.base_url == "http://api.falkor.example"


def test_an_empty_file_says_so():
    assert parse_token_file("  \n").problems == ("The file is empty.",)


def test_files_are_read_with_or_without_a_byte_order_mark(tmp_path):
    path = tmp_path / "token.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT_SAMPLES[0].encode())
    found = read_token_file(path)
    assert found.complete and found.token == TOKEN


def test_binary_large_and_missing_files_are_refused_with_a_reason(tmp_path):
    binary = tmp_path / "token.bin"
    binary.write_bytes(b"\x00\x01token: x")
    assert "not text" in read_token_file(binary).problems[0]
    large = tmp_path / "large.txt"
    large.write_bytes(b"x" * (1 << 20) + b"\ntoken: abcdefgh123\n")
    assert "larger than 1 MB" in read_token_file(large).problems[0]
    assert "could not be read" in read_token_file(tmp_path / "missing.txt").problems[0]
