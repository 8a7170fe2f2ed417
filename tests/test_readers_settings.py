"""Reader settings: named, validated, frozen, recorded as JSON."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from pipeline.readers import REGISTRY, SETTINGS, settings_snapshot
from pipeline.readers.settings import (
    LayoutSettings,
    OcrSettings,
    PdfSettings,
    ReaderSettings,
    TableSettings,
)


def test_snapshot_is_json_and_holds_the_defaults_the_goldens_were_made_with():
    snap = json.loads(json.dumps(settings_snapshot()))
    assert snap["pdf"]["table"] == {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                                    "join_tolerance": 3, "intersection_tolerance": 3, "edge_min_length": 10}
    assert (snap["pdf"]["min_text_chars"], snap["pdf"]["line_tolerance"], snap["pdf"]["column_gap"]) == (25, 3.0, 24.0)
    assert snap["layout"] == {"margin_band": 0.09, "repeat_share": 0.5, "para_gap": 1.45, "indent": 12.0}
    assert snap["ocr"]["lang"] == "rus" and snap["ocr"]["psm"] == 3 and snap["ocr"]["low_confidence"] == 60.0


def test_registered_readers_read_with_the_recorded_settings():
    assert REGISTRY["pdf"].settings is SETTINGS and REGISTRY["image"].settings is SETTINGS
    assert ReaderSettings.model_validate(settings_snapshot()) == SETTINGS


@pytest.mark.parametrize("model, bad", [
    (TableSettings, {"vertical_strategy": "rules"}),
    (TableSettings, {"snap_tolerance": -1}),
    (PdfSettings, {"column_gap": 0}),
    (LayoutSettings, {"margin_band": 0.6}),
    (OcrSettings, {"psm": 14}),
    (OcrSettings, {"ink_threshold": 300}),
    (OcrSettings, {"langs": "rus"}),  # a misspelt knob is an error, not a silent default
])
def test_bad_values_fail_when_the_settings_are_built(model, bad):
    with pytest.raises(ValidationError):
        model(**bad)


def test_settings_are_frozen():
    with pytest.raises(ValidationError):
        SETTINGS.ocr.psm = 6  # type: ignore[misc]
