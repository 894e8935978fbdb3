"""The README documents every setting and the two set-up commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandategraph.api.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"MANDATEGRAPH_{name.upper()}" in README


def test_the_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README
    assert "make test" in ci


def test_every_image_the_readme_shows_is_in_the_repository() -> None:
    import re

    root = Path(__file__).parents[1]
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", README) + re.findall(
        r"<img[^>]+src=\"([^\"]+)\"", README)
    assert images, "the README shows no picture"
    for image in images:
        assert not image.startswith(("http:", "https:", "/")), image
        path = root / image
        assert path.is_file(), f"{image} is not in the repository"
        # generated folders are git-ignored: a picture there would not be on GitHub
        assert not image.startswith(("tests/artifacts/", "var/")), image
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{image} is not a PNG"
