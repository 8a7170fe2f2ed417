"""Reader overhead for the input kinds offices produce, in one run: our reader
against the bare library on the same files (LibreOffice DOCX, .doc, .rtf vs a
python-docx walk; LibreOffice justified PDFs, whitespace tables, rotated pages,
text-layer scans vs pdfplumber; phone photos vs bare `tesseract -l rus`).

    .venv/bin/python bench/bench_kinds.py [--rounds 3]

Each row prints the seconds of both and their ratio; the issue's bar is
ratio ≤ 1.3 for every kind. The photo rows also give the cost of one full
Tesseract pass over each page as our reader hands it over, and say, when a
kind misses the bar, why (see bench/kind_photo.py). The last lines list every
kind against the bar. Figures only: there is no timed test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    import kind_docx
    import kind_pdf
    import kind_photo

    print(f"{'kind':28} details")
    rows = []
    # a DOCX is read in ~30 ms: more rounds, cheap, keep a loaded machine's noise out of its best
    for mod, rounds in ((kind_docx, max(args.rounds, 7)), (kind_pdf, args.rounds), (kind_photo, args.rounds)):
        for row in mod.bench(rounds):
            rows.append(row)
            kind = row.get("kind", "?")
            rest = {k: (f"{v:.3f}" if isinstance(v, float) else v) for k, v in row.items() if k not in ("kind", "verdict")}
            print(f"{kind:28} " + ", ".join(f"{k}={v}" for k, v in rest.items()), flush=True)
    print(f"\nagainst the bar (×{kind_photo.TARGET} of the bare tool, issue 9):")
    for row in rows:
        if row.get("ratio") is None:
            print(f"  {row.get('kind', '?'):26} skipped: {row.get('skipped', 'no figure')}")
        else:
            met = "met" if row["ratio"] <= kind_photo.TARGET else "NOT met"
            print(f"  {row['kind']:26} " + row.get("verdict", f"{met} (×{row['ratio']:.2f})"))


if __name__ == "__main__":
    main()
