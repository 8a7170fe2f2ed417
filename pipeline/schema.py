"""JSON Schemas generated from the pydantic models (the single source)."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.models import Extraction, RunSummary
from pipeline.jsonio import write_atomic

SCHEMAS = {
    "extraction.schema.json": Extraction,
    "run-summary.schema.json": RunSummary,
}


def schema_texts() -> dict[str, str]:
    out = {}
    for name, model in SCHEMAS.items():
        sch = model.model_json_schema()
        sch["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        sch["$id"] = name
        out[name] = json.dumps(sch, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(out_dir: str | Path = "schemas") -> list[Path]:
    out_dir = Path(out_dir)
    written = []
    for name, text in schema_texts().items():
        path = out_dir / name
        write_atomic(path, text)
        written.append(path)
    return written
