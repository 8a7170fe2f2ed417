"""Reader overhead for the input kinds offices produce, in one run: our reader
against the bare library on the same files (LibreOffice DOCX, .doc, .rtf vs a
python-docx walk; LibreOffice justified PDFs, whitespace tables, rotated pages,
text-layer scans vs pdfplumber; phone photos vs bare `tesseract -l rus`).

    .venv/bin/python bench/bench_kinds.py [--rounds 3]

Each row prints the seconds of both and their ratio; the issue's bar is
ratio ≤ 1.3 for every kind. Figures only: there is no timed test.
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
    for mod in (kind_docx, kind_pdf, kind_photo):
        for row in mod.bench(args.rounds):
            kind = row.get("kind", "?")
            rest = {k: (f"{v:.3f}" if isinstance(v, float) else v) for k, v in row.items() if k != "kind"}
            print(f"{kind:28} " + ", ".join(f"{k}={v}" for k, v in rest.items()))


if __name__ == "__main__":
    main()
