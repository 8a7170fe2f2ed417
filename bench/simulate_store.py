"""A simulated registry store at national scale, made from the corpus orders,
and the comparison report timed on it.

200 agencies in 85 regions (by default): each agency is a corpus order copied
under another official name and region, with its thresholds, touchpoints,
dates and versions varied (a second order with an older registry, a draft
filed with its order, appendix-only publications, agencies without a
Перечень), so the report meets the shapes it meets in production.

    .venv/bin/python bench/simulate_store.py                   # extract corpus/ (+ corpus/real/), simulate, report
    .venv/bin/python bench/simulate_store.py --from outputs    # reuse extraction JSON of the corpus
    .venv/bin/python bench/simulate_store.py --agencies 200 --regions 85 --out /tmp/sim --render

Prints the size of the store, the time of ``registry compare``, the size of
report.html / report.xlsx and, with ``--render``, the time Debian's chromium
(driven by Playwright) takes to load and lay out report.html. ``tests/test_report_browser.py`` imports
:func:`simulate` to check the report's size and render time in Chromium.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.agency import agency_key  # noqa: E402
from pipeline.models import Extraction  # noqa: E402
from pipeline.nlp import load_vocab  # noqa: E402

# Agency names as printed: head of the body + what it does; the region follows in the genitive.
BODIES = [
    "Министерство труда и социальной защиты", "Министерство здравоохранения", "Министерство образования и науки",
    "Министерство промышленности и торговли", "Министерство цифрового развития", "Министерство культуры",
    "Министерство сельского хозяйства и продовольствия", "Министерство финансов", "Министерство строительства",
    "Министерство экономического развития", "Комитет по делам записи актов гражданского состояния",
    "Комитет по занятости населения", "Департамент имущественных отношений", "Департамент по делам молодежи",
    "Агентство по делам архивов", "Управление ветеринарии", "Государственная жилищная инспекция",
    "Министерство природных ресурсов и экологии", "Министерство транспорта и дорожного хозяйства",
    "Министерство физической культуры и спорта",
]
# Values a region may set instead of the federal one (the federal value first).
THRESHOLD_CHOICES = {
    ("response_time", "упоминан"): [4, 4, 4, 2, 3, 6],
    ("response_time", "официальн"): [2, 2, 1, 4],
    ("transfers", None): [2, 2, 1, 3],
    ("waiting_time", None): [15, 15, 10, 20],
    ("publication_deadline", None): [10, 10, 5, 15, 3],
}


def genitive(region: str) -> str:
    """'Ставропольский край' → 'Ставропольского края'; 'Республика Алтай' → 'Республики Алтай'; 'Москва' → 'города Москвы'."""
    import pymorphy3

    if "m" not in _MORPH:
        _MORPH["m"] = pymorphy3.MorphAnalyzer()
    morph = _MORPH["m"]

    def gent(word: str) -> str:
        p = morph.parse(word)[0]
        form = p.inflect({"gent"})
        if not form:
            return word
        w = form.word
        return "-".join(x.capitalize() for x in w.split("-")) if word[:1].isupper() else w

    if region in ("Москва", "Санкт-Петербург", "Севастополь"):
        return "города " + gent(region) if region != "Санкт-Петербург" else "города Санкт-Петербурга"
    head, _, tail = region.partition(" — ")
    words, out, whole = head.split(), [], True
    for i, w in enumerate(words):
        tag = morph.parse(w.strip("()"))[0].tag
        if w == "Республика" and i == 0:
            out.append("Республики")
            out += words[1:]
            whole = False
            break
        out.append(gent(w))
        if "NOUN" in tag and i > 0:
            out += words[i + 1:]
            break
    name = " ".join(out)
    if tail:
        name += " — " + (gent(tail) if whole else tail)
    return name


_MORPH: dict = {}
_DUMPS: dict[int, str] = {}


def _regions(n: int, rng: random.Random) -> list[dict]:
    entries = load_vocab("regions")["entries"]
    keep = [e for e in entries if e.get("code")]  # the 83 with an ISO code, then the others
    keep += [e for e in entries if not e.get("code")]
    return keep[:n] if n <= len(keep) else keep


def _base_orders(bases: list[Extraction]) -> tuple[list[Extraction], list[Extraction]]:
    """(orders with a Перечень or thresholds, the rest): the first kind gives most agencies."""
    rich = [ex for ex in bases if any(d.touchpoints or any(r.thresholds for r in d.requirements) for d in ex.documents)]
    return rich, [ex for ex in bases if ex not in rich]


def simulate(bases: list[Extraction], agencies: int = 200, regions: int = 85, seed: int = 12) -> list[tuple[int, Extraction]]:
    """Extractions of ``agencies`` simulated agencies in ``regions`` regions, made from ``bases``.

    Every agency has 1–3 versions; the result is (seq, extraction) as the
    comparison takes it (``pipeline.compare.group_agencies``)."""
    rng = random.Random(seed)
    rich, plain = _base_orders(bases)
    if not rich:
        raise SystemExit("no corpus order with a Перечень or thresholds to simulate from")
    pool = [t for ex in rich for d in ex.documents for t in d.touchpoints]
    channels = [e["id"] for e in load_vocab("channels")["entries"] if e["id"] != "other"]
    regs = _regions(regions, rng)
    # every region gets one agency, the rest spread at random (2–6 in some regions)
    homes = regs + [rng.choice(regs) for _ in range(max(0, agencies - len(regs)))]
    rng.shuffle(homes)
    used: set[tuple[str, str]] = set()
    out: list[tuple[int, Extraction]] = []
    seq = 0
    for n, reg in enumerate(homes[:agencies]):
        body = next(b for b in rng.sample(BODIES, len(BODIES)) if (b, reg["id"]) not in used)
        used.add((body, reg["id"]))
        name = f"{body} {genitive(reg['name'])}"
        base = rng.choice(rich) if rng.random() < 0.85 or not plain else rng.choice(plain)
        year = rng.choice([2022, 2023, 2024, 2025])
        plan = rng.choices(["one", "two", "draft", "appendix"], weights=[40, 32, 18, 10])[0]
        history = []
        if plan == "two":
            older = _agency_copy(base, name, reg, f"{year - 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", rng, pool, channels, n, 0)
            _loosen(older, rng)
            history.append(older)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        history.append(_agency_copy(base, name, reg, date, rng, pool, channels, n, len(history),
                                    keep_drafts=plan == "draft", as_appendix=plan == "appendix"))
        for ex in history:
            seq += 1
            out.append((seq, ex))
    return out


def _agency_copy(base: Extraction, name: str, reg: dict, date: str, rng: random.Random, pool, channels,
                 n: int, version: int, keep_drafts: bool = False, as_appendix: bool = False) -> Extraction:
    if id(base) not in _DUMPS:
        _DUMPS[id(base)] = base.model_dump_json()
    ex = Extraction.model_validate_json(_DUMPS[id(base)])  # a deep copy, 3× faster than model_copy(deep=True)
    key = agency_key(name)
    number = f"{rng.randint(1, 400)}-{rng.choice(['од', 'П', 'р', 'пр'])}"
    docs = [d for d in ex.documents if keep_drafts or d.kind != "draft"]
    for d in docs:
        m = d.meta
        m.agency, m.agency_key, m.region, m.region_code = name, key, reg["name"], reg.get("code")
        if m.date or d.kind in ("order", "appendix"):
            m.date, m.number = date, number
        if as_appendix and d.kind == "order":
            d.kind = "appendix"
        _vary_thresholds(d, rng)
        if d.touchpoints or rng.random() < 0.5:
            _vary_touchpoints(d, rng, pool, channels)
    ex.documents = docs
    # drafts share the order's touchpoints and thresholds (as Дагестан's does), with one value changed
    stem = f"sim-{reg['id'].lower()}-{n:03d}-v{version + 1}"
    ex.source.path = f"sim/{stem}.txt"
    ex.source.sha256 = hashlib.sha256(stem.encode()).hexdigest()
    return ex


def _vary_thresholds(doc, rng: random.Random) -> None:
    for r in doc.requirements:
        for t in r.thresholds:
            cond = (t.condition or "").lower()
            for (metric, cue), values in THRESHOLD_CHOICES.items():
                if t.metric == metric and (cue is None or cue in cond):
                    t.value = float(rng.choice(values))
                    t.raw = f"{t.value:g} ({t.raw})"
                    break


def _vary_touchpoints(doc, rng: random.Random, pool, channels) -> None:
    if not pool:
        return
    tps = [t.model_copy() for t in rng.sample(pool, k=min(len(pool), rng.randint(4, 18)))]
    for t in tps:
        if rng.random() < 0.25:
            t.channel = rng.choice(channels)
            t.kind = "offline" if t.channel in ("phone", "in_person", "mfc", "mail", "call_center") else "digital"
    for i, t in enumerate(tps, 1):
        t.row = i
    doc.touchpoints = tps


def _loosen(ex: Extraction, rng: random.Random) -> None:
    """An older order: fewer touchpoints, the publication deadline as the federal 10 days or looser."""
    for d in ex.documents:
        d.touchpoints = d.touchpoints[: max(0, len(d.touchpoints) - rng.randint(1, 5))]
        for r in d.requirements:
            for t in r.thresholds:
                if t.metric == "publication_deadline":
                    t.value = float(rng.choice([10, 15]))


def load_bases(from_dir: Path | None) -> list[Extraction]:
    from pipeline.jsonio import load_extraction

    if from_dir:
        out = []
        for p in sorted(from_dir.glob("*.json")):
            try:
                out.append(load_extraction(p))
            except Exception:  # noqa: BLE001 - a run summary or stale file is not a base
                continue
        return out
    from pipeline.run import extract_file

    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "corpus" / "real").glob("*.txt"))
    return [extract_file(p) for p in files]


def write_store(extractions: list[tuple[int, Extraction]], db: Path) -> Path:
    from pipeline.store import Store

    if db.exists():
        db.unlink()
    with Store.open(db) as store, store.conn:
        for _, ex in extractions:
            store.add_extraction(ex)
    return db


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="from_dir", type=Path, help="folder of corpus extraction JSON (default: extract corpus/)")
    ap.add_argument("--agencies", type=int, default=200)
    ap.add_argument("--regions", type=int, default=85)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--out", type=Path, default=Path("/tmp/sim"))
    ap.add_argument("--render", action="store_true", help="time the first render of report.html in chromium")
    args = ap.parse_args()
    t0 = time.perf_counter()
    bases = load_bases(args.from_dir)
    sim = simulate(bases, args.agencies, args.regions, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    db = write_store(sim, args.out / "registry.sqlite")
    keys = {d.meta.agency_key for _, ex in sim for d in ex.documents}
    regions = {d.meta.region for _, ex in sim for d in ex.documents}
    print(f"store: {db} ({db.stat().st_size / 1e6:.1f} MB), {len(sim)} files, {len(keys)} agencies, "
          f"{len(regions)} regions ({time.perf_counter() - t0:.1f} s)")
    from pipeline.report.build import compare_report

    t1 = time.perf_counter()
    written = compare_report(args.out / "report", db=db)
    print(f"compare: {time.perf_counter() - t1:.1f} s")
    for p in written:
        print(f"  {p} {p.stat().st_size / 1e6:.2f} MB")
    if args.render:
        render(written[0])


def render(html: Path, chromium: str = "/usr/bin/chromium") -> None:
    from playwright.sync_api import sync_playwright

    flags = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-domain-reliability", "--dns-prefetch-disable"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=flags)
        for run in (1, 2):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t = time.perf_counter()
            page.goto(html.resolve().as_uri(), wait_until="load")
            load = time.perf_counter() - t
            fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0")
            height = page.evaluate("document.documentElement.scrollHeight")
            print(f"chromium run {run}: loaded in {load:.2f} s, first contentful paint {fcp / 1000:.2f} s, "
                  f"page {height} px tall")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
