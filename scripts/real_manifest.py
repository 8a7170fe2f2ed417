"""Write corpus/real/MANIFEST.md from the gold files (source URL, date
retrieved, which part of the act, cut or whole): `python scripts/real_manifest.py`."""

import json
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"


def main() -> None:
    rows = []
    for g in sorted((REAL / "_gold").glob("*.json")):
        d = json.loads(g.read_text(encoding="utf-8"))
        e = d["expected"]
        rows.append(f"| `{d['file']}` | {e.get('region') or '—'} | {d.get('shape')} | {e.get('kind')} | "
                    f"{d.get('part', '').replace('|', '/')} | {'cut' if d.get('cut') else 'whole'} | "
                    f"{d.get('retrieved')} | {d.get('url') or 'no address in the search result'} |")
    regions = {json.loads(g.read_text(encoding='utf-8'))['expected'].get('region') for g in (REAL / '_gold').glob('*.json')} - {None}
    text = (
        "# Real acts: development corpus\n\n"
        "Openings (and a few whole texts) of real regional acts as legal databases and portals publish them, "
        "kept as retrieved (editorial lines included). They are official documents of state bodies, not "
        "subject to copyright (ГК РФ, ст. 1259 п. 6). Expected values, read off each text by hand, are in "
        "`_gold/<name>.json`; `bench/score_real.py` scores the extractor against them.\n\n"
        f"{len(rows)} texts from {len(regions)} federal subjects.\n\n"
        "| file | region | shape | kind | part | cut/whole | retrieved | source |\n|---|---|---|---|---|---|---|---|\n"
        + "\n".join(rows) + "\n"
    )
    (REAL / "MANIFEST.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
