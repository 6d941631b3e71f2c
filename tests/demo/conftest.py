"""Fixtures: a small demo server on loopback, and clients of it."""

from __future__ import annotations

import httpx
import pytest

from viewer.api import ActivityClient, PathwayClient
from viewer.demo.server import DemoServer

from .support import NO_RETRY


@pytest.fixture
def server():
    with DemoServer(seed=7, users=40, inbox=150, activities=8) as demo:
        yield demo


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


@pytest.fixture
def pathways(server):
    with PathwayClient(server.url, server.pathway_token, retry=NO_RETRY) as client:
        yield client


@pytest.fixture
def inbox(server):
    with ActivityClient(server.url, server.activity_token, retry=NO_RETRY) as client:
        yield client
