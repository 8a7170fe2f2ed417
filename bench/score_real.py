"""Per-field accuracy of the extractor on the real development corpus.

``corpus/real/*.txt`` are real acts (or openings of acts) as published on
legal-database pages and regional portals; ``corpus/real/_gold/<stem>.json``
holds the values a person read off each text (never program output) plus
where it came from (URL, date retrieved, which part, cut or whole).

For each file the main document is compared field by field with the gold:
kind, doc_type, agency, region, region_code, date, number, title,
appendix_title, legal-basis numbers, approved appendix kinds, touchpoint
names. A gold ``null`` counts as a hit only when the extractor also gives
nothing — a confident wrong value is a miss.

    .venv/bin/python bench/score_real.py            # table + misses
    .venv/bin/python bench/score_real.py --json     # machine-readable
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "corpus" / "real"
FIELDS = ("kind", "doc_type", "agency", "region", "region_code", "date", "number", "title",
          "appendix_title", "legal_basis_numbers", "appendices", "touchpoints")
MAIN_KINDS = ("order", "appendix", "draft")


def norm(value):
    """Whitespace collapsed, dashes and quotes folded, ё → е: spelling noise
    that is not a difference of value."""
    if value is None:
        return None
    if isinstance(value, list):
        return [norm(v) for v in value]
    t = str(value).replace("ё", "е").replace("Ё", "Е")
    t = re.sub(r"[\u2010-\u2015\u2212]", "-", t)
    t = re.sub(r"[«»“”„\"]", '"', t)
    t = re.sub(r"\s*-\s*", "-", t)
    return re.sub(r"\s+", " ", t).strip()


def actual_values(doc) -> dict:
    m = doc.meta
    own = next((a for a in doc.appendices if a.present), None) if doc.kind == "appendix" else None
    return {
        "kind": doc.kind,
        "doc_type": m.doc_type,
        "agency": m.agency,
        "region": m.region,
        "region_code": m.region_code,
        "date": m.date,
        "number": m.number,
        "title": m.title,
        "appendix_title": own.title if own else None,
        "legal_basis_numbers": [a.number for a in m.legal_basis if a.number],
        "appendices": sorted({a.kind for a in doc.appendices}) if doc.kind != "appendix" else [],
        "touchpoints": [t.name for t in doc.touchpoints],
    }


def main_document(ex):
    docs = [d for d in ex.documents if d.kind in MAIN_KINDS]
    return docs[0] if docs else (ex.documents[0] if ex.documents else None)


def score(real: Path = REAL) -> dict:
    sys.path.insert(0, str(ROOT))
    from pipeline.errors import PipelineError
    from pipeline.run import extract_file

    hits: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    misses: list[dict] = []
    refused: list[str] = []
    regions: set[str] = set()
    golds = sorted((real / "_gold").glob("*.json"))
    for gpath in golds:
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        exp = gold["expected"]
        if exp.get("region"):
            regions.add(exp["region"])
        try:
            ex = extract_file(real / gold["file"])
        except PipelineError as exc:
            refused.append(exc.one_line())
            for f in FIELDS:
                total[f] += 1
            continue
        doc = main_document(ex)
        got = actual_values(doc) if doc else {}
        for f in FIELDS:
            want = exp.get(f)
            have = got.get(f)
            if f == "appendices":
                want, have = sorted(set(want or [])), sorted(set(have or []))
            elif f in ("legal_basis_numbers", "touchpoints"):
                want, have = want or [], have or []
            total[f] += 1
            if norm(want) == norm(have):
                hits[f] += 1
            else:
                misses.append({"file": gold["file"], "field": f, "expected": want, "got": have})
    n_hits, n_total = sum(hits.values()), sum(total.values())
    return {
        "files": len(golds),
        "regions": len(regions),
        "refused": refused,
        "accuracy": n_hits / n_total if n_total else 0.0,
        "per_field": {f: (hits[f], total[f]) for f in FIELDS},
        "misses": misses,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    r = score()
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return
    print(f"real corpus: {r['files']} files, {r['regions']} regions, refused {len(r['refused'])}")
    print(f"{'field':22} {'hits':>5} {'of':>4} {'accuracy':>9}")
    for f, (h, t) in r["per_field"].items():
        print(f"{f:22} {h:5} {t:4} {h / t if t else 0:9.2%}")
    print(f"{'all fields':22} {'':5} {'':4} {r['accuracy']:9.2%}")
    for line in r["refused"]:
        print("REFUSED", line)
    for m in r["misses"]:
        print(f"MISS {m['file']} {m['field']}: expected {m['expected']!r}, got {m['got']!r}")


if __name__ == "__main__":
    main()
