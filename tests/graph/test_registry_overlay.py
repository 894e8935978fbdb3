"""The registry overlay of curation: accepted organizations join the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandategraph.errors import BadParameterError, StoreError
from mandategraph.graph.curation import Overlay, overlay_path


def test_overlay_lies_beside_the_store(tmp_path: Path) -> None:
    assert overlay_path(tmp_path / "store") == tmp_path / "store-registry.yaml"
    with pytest.raises(StoreError):
        overlay_path("memory")


def test_an_accepted_name_resolves_through_the_overlay_registry(tmp_path: Path) -> None:
    overlay = Overlay.load(tmp_path / "store-registry.yaml")
    overlay.accept("USCG", code="USCG", kind="partner", lang="fr",
                   context="avec Transport Canada et la United States Coast Guard (USCG);")
    overlay.save()
    again = Overlay.load(tmp_path / "store-registry.yaml")
    registry = again.registry()
    assert registry.resolve_organization("USCG") == "USCG"
    assert registry.resolve_organization("United States Coast Guard") == "USCG"
    assert registry.organizations["USCG"].kind == "partner"
    assert "USCG" not in Overlay(tmp_path / "other.yaml").registry().organizations


def test_a_name_of_another_organization_is_refused(tmp_path: Path) -> None:
    overlay = Overlay(tmp_path / "o.yaml")
    overlay.accept("UNODC", code="UNODC-COPY", kind="funder", lang="en")
    assert overlay.organizations["UNODC-COPY"]["role"] == "funder"
    with pytest.raises(BadParameterError, match="registry overlay"):
        overlay.registry()


def test_a_malformed_overlay_is_a_bad_parameter(tmp_path: Path) -> None:
    path = tmp_path / "o.yaml"
    path.write_text("organizations: [a, b]\n", encoding="utf-8")
    with pytest.raises(BadParameterError):
        Overlay.load(path)
