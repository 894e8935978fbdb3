"""The rule for missing components: a skip on a developer's machine, a failure in CI."""

from __future__ import annotations

import pytest

import tests.support as support


def test_a_missing_component_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        support.unavailable("no chromium")


def test_a_missing_component_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must provide this.*no chromium"):
        support.unavailable("no chromium")
