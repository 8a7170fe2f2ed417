"""Format fixtures (DOCX, PDF, scans, code-page text) built once per session.

Import what you need in a test module::

    from tests.conftest_formats import formats, FIXTURES

``formats`` is session-scoped; the build itself is also cached on disk
(``tests/.fixtures/manifest.json``), so importing it from several modules or
running pytest twice does not rebuild anything.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from tests.fixtures.build import OUT as FIXTURES
from tests.fixtures.build import build_all


@lru_cache(maxsize=1)
def _built() -> dict:
    return build_all()


@pytest.fixture(scope="session")
def formats() -> dict:
    """The build manifest; files are under ``FIXTURES``."""
    return _built()


def fixture_path(kind: str, stem: str, ext: str) -> Path:
    _built()
    return FIXTURES / kind / f"{stem}.{ext}"


def extra(name: str) -> Path:
    _built()
    return FIXTURES / "extra" / name


@lru_cache(maxsize=None)
def extract_cached(path: str):
    """``extract_file`` once per path per session (OCR is the slow part)."""
    from pipeline.run import extract_file

    return extract_file(path)
