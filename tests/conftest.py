"""Shared fixtures: the corpus orders, each extracted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# Short names for the five corpus orders (files are named region-agency-date-number).
ORDERS = {
    "ossetia_2026": "north-ossetia-employment-committee-2026-03-23-22-2.txt",
    "ossetia_2023": "north-ossetia-employment-committee-2023-09-09-78-r.txt",
    "sakhalin": "sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24.txt",
    "dagestan": "dagestan-industry-trade-ministry-2024-09-27-154-od.txt",
    "altai": "altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019.txt",
}

_CACHE: dict[str, object] = {}


def extraction(name: str):
    """The Extraction of one corpus order (cached for the session)."""
    from pipeline.run import extract_file

    if name not in _CACHE:
        _CACHE[name] = extract_file(CORPUS / ORDERS[name])
    return _CACHE[name]


@pytest.fixture(scope="session")
def corpus():
    """Callable: corpus("sakhalin") → Extraction."""
    return extraction


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current extraction")
