"""Fuzzing settings shared by every module here, and a count of the payloads tried."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, Phase, settings

#: How many payloads each fuzz test tries. Kept small for the suite; raise it by hand
#: (HYPOTHESIS_PROFILE=fuzz-long) for a longer hunt.
settings.register_profile(
    "fuzz",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
    # Shrinking a large answer can take minutes; a failure is reported as found.
    phases=(Phase.explicit, Phase.generate),
    report_multiple_bugs=False,
)
settings.register_profile(
    "fuzz-long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

PAYLOADS: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter) -> None:
    if PAYLOADS:
        terminalreporter.write_sep("-", "payloads fuzzed")
        for name, count in sorted(PAYLOADS.items()):
            terminalreporter.write_line(f"{name}: {count}")
        terminalreporter.write_line(f"total: {sum(PAYLOADS.values())}")
