"""Login secrets never end up in git or in the Docker image (README, 'Op een server')."""
from __future__ import annotations

import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _patterns(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_secrets_are_ignored_by_git_and_by_the_docker_build() -> None:
    for name in (".gitignore", ".dockerignore"):
        patterns = _patterns(name)
        for path in ("secrets.toml", ".streamlit/secrets.toml"):
            assert any(fnmatch.fnmatch(path, p) for p in patterns), (name, path)


def test_the_image_copies_the_streamlit_folder_only_with_the_secrets_excluded() -> None:
    """The Dockerfile copies .streamlit (config.toml); only .dockerignore keeps a
    secrets.toml a user put there out of the image, and compose mounts it at run time."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY . " not in dockerfile and "ADD . " not in dockerfile
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    assert "secrets.toml:/app/.streamlit/secrets.toml:ro" in compose
