"""Loaded by a test's subprocess (this folder is put on PYTHONPATH): see offline_resolver."""

import socket

from offline_resolver import without_dns

socket.getaddrinfo = without_dns(socket.getaddrinfo)
