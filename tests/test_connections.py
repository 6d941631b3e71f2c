"""Clients made ahead of their first use (``Connections.warm``)."""

from __future__ import annotations

import pytest

from viewer.api.errors import ApiError
from viewer.connections import Connections, ServiceConfig

_PATHWAY = ServiceConfig("http://127.0.0.1:9", "dG9rZW4=", allow_insecure_http=True)


def test_warming_makes_the_client_a_first_fetch_then_uses():
    connections = Connections(_PATHWAY)
    connections.warm().join()
    made = connections._clients["pathway-logs"]
    assert connections.pathway_client() is made
    connections.close()


def test_warming_skips_a_service_without_settings_and_leaves_its_error_to_its_use():
    connections = Connections(_PATHWAY, ServiceConfig(""))
    connections.warm().join()
    assert set(connections._clients) == {"pathway-logs"}
    with pytest.raises(ApiError, match="Open Connections"):
        connections.activity_client()
    connections.close()


def test_warming_after_closing_makes_nothing():
    connections = Connections(_PATHWAY)
    connections.close()
    connections.warm().join()
    assert connections._clients == {}
