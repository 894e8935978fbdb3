"""What the tests need from the machine: skip locally when it is missing, fail in CI.

CI (``CI=true bash .ci/run``) installs every component the tests use (Java, Debian's
Chromium, jemalloc, the web assets) and lays ``shared/`` beside the clone, so a missing
one there is a broken install, not a reason to skip: a green run must not hide it.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = bool(os.environ.get("CI"))


def unavailable(reason: str) -> NoReturn:
    """Skip the test for a missing component, or fail it when running in CI."""
    if IN_CI:
        pytest.fail(f"CI must provide this, and it is missing: {reason}", pytrace=False)
    pytest.skip(reason)
