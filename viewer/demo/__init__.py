"""The embedded demo server: both APIs over real HTTP on loopback, for tests, demos and
benchmarks. Qt-free; state in SQLite, data generated deterministically from a seed."""

from viewer.demo.faults import FaultState, FaultSwitches
from viewer.demo.server import DemoServer

__all__ = ["DemoServer", "FaultState", "FaultSwitches"]
