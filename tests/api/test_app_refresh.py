"""The server sees what a build or an ingest by another process wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mandategraph.api.app import create_app
from mandategraph.api.settings import Settings
from mandategraph.graph.build import load_vocabulary, materialize_inferences
from mandategraph.graph.ingest import ingest
from mandategraph.graph.store import Store

ROOT = Path(__file__).parents[2]


@pytest.mark.java
def test_pages_and_api_see_a_document_ingested_after_start(tmp_path: Path) -> None:
    # regression: the app's read-only view stayed at the state it was opened in
    location = tmp_path / "store"
    with Store.open(location) as writer:
        load_vocabulary(writer)
        ingest(writer, ROOT / "corpus" / "oas-sms-caribbean-sids-activities-2010.fr.txt")
        materialize_inferences(writer)
    settings = Settings(store=str(location), query_workers=1, reason=False)
    with TestClient(create_app(settings)) as client:
        before = client.get("/stats").json()["documents"]
        with Store.open(location) as writer:
            ingest(writer, ROOT / "tests" / "data" / "en-report-cicad-eastern-caribbean-2012.txt")
            materialize_inferences(writer)
        assert before == 1
        assert client.get("/stats").json()["documents"] == 2
        listed = client.get("/api/documents").json()
        assert any("cicad-eastern-caribbean" in str(item) for item in listed["items"])
