"""Generated orders for the scaling benchmarks: the five corpus orders as
templates, each copy with another region, other people and other thresholds.

    .venv/bin/python bench/gen_orders.py 1000 /tmp/orders      # writes gen-00000.txt …

Every copy keeps its template's structure (header, clauses, Перечень table,
working group) and changes what varies between agencies in practice:

- the region (26 republics, oblasts and krais, in the genitive, prepositional
  and capitalised forms the template uses, and the capital as the place);
- the surnames next to initials (signatory, executors, working group);
- the order number (its printed shape kept: «154-ОД», «П-12-01/0019»);
- the thresholds: answer within 3/4/6 hours or 1/2/3 hours, 1–3 transfers,
  5–30 minutes of waiting, 5–20 working days to publish.

Deterministic for a seed. Copies of one template share most of their clause
text, as real agencies' orders copied from one model do.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

# (genitive, prepositional, capital): «Министерство … Курской области», «в Курской области», «г. Курск»
REGIONS = [
    ("Республики Адыгея", "Республике Адыгея", "Майкоп"),
    ("Республики Татарстан", "Республике Татарстан", "Казань"),
    ("Республики Башкортостан", "Республике Башкортостан", "Уфа"),
    ("Республики Карелия", "Республике Карелия", "Петрозаводск"),
    ("Республики Коми", "Республике Коми", "Сыктывкар"),
    ("Республики Марий Эл", "Республике Марий Эл", "Йошкар-Ола"),
    ("Республики Мордовия", "Республике Мордовия", "Саранск"),
    ("Республики Бурятия", "Республике Бурятия", "Улан-Удэ"),
    ("Республики Хакасия", "Республике Хакасия", "Абакан"),
    ("Республики Калмыкия", "Республике Калмыкия", "Элиста"),
    ("Курской области", "Курской области", "Курск"),
    ("Тверской области", "Тверской области", "Тверь"),
    ("Омской области", "Омской области", "Омск"),
    ("Томской области", "Томской области", "Томск"),
    ("Псковской области", "Псковской области", "Псков"),
    ("Калужской области", "Калужской области", "Калуга"),
    ("Ярославской области", "Ярославской области", "Ярославль"),
    ("Амурской области", "Амурской области", "Благовещенск"),
    ("Самарской области", "Самарской области", "Самара"),
    ("Пензенской области", "Пензенской области", "Пенза"),
    ("Краснодарского края", "Краснодарском крае", "Краснодар"),
    ("Пермского края", "Пермском крае", "Пермь"),
    ("Алтайского края", "Алтайском крае", "Барнаул"),
    ("Хабаровского края", "Хабаровском крае", "Хабаровск"),
    ("Красноярского края", "Красноярском крае", "Красноярск"),
    ("Ставропольского края", "Ставропольском крае", "Ставрополь"),
]

# per template: its region in the genitive and prepositional, its place, its order number as printed
TEMPLATES = {
    "altai": ("Республики Алтай", "Республике Алтай", "Горно-Алтайск", ["П-12-01/0019", "П-12/01-0019"]),
    "dagestan": ("Республики Дагестан", "Республике Дагестан", "Махачкала", ["154 - ОД", "154-ОД"]),
    "north-ossetia-employment-committee-2023": ("Республики Северная Осетия-Алания", "Республике Северная Осетия-Алания",
                                                "Владикавказ", ["78-р"]),
    "north-ossetia-employment-committee-2026": ("Республики Северная Осетия-Алания", "Республике Северная Осетия-Алания",
                                                "Владикавказ", ["22-2"]),
    "sakhalin": ("Сахалинской области", "Сахалинской области", "Южно-Сахалинск", ["1-3.11-24/24"]),
}
ABBREVIATIONS = ["РСО-Алания"]  # written out in the genitive in a copy

# thresholds as printed → what a copy may print instead (the same grammatical shape)
THRESHOLDS = {
    "четыре часа": ["три часа", "четыре часа", "шесть часов"],
    "четырех часов": ["трех часов", "четырех часов", "шести часов"],
    "два часа": ["один час", "два часа", "три часа"],
    "двух часов": ["одного часа", "двух часов", "трех часов"],
    "двух переключений": ["одного переключения", "двух переключений", "трех переключений"],
    "10 рабочих дней": [f"{n} рабочих дней" for n in (5, 7, 10, 15, 20)],
    "5 рабочих дней": [f"{n} рабочих дней" for n in (5, 7, 10, 15, 20)],
    "15 минут": [f"{n} минут" for n in (5, 10, 15, 20, 25, 30)],
}

SURNAME_ROOTS = {
    "ов": ["Петр", "Смирн", "Кузнец", "Волк", "Мороз", "Новик", "Орл", "Баран", "Жук", "Комар", "Сидор", "Тарас",
           "Фрол", "Сокол", "Бел", "Титов", "Кирилл", "Абрам", "Гордеев"],
    "ев": ["Лебед", "Медвед", "Зайц", "Соловь", "Григорь", "Василь", "Гус", "Алекс", "Яковл", "Беля"],
    "ин": ["Фом", "Кузьм", "Никит", "Иль", "Лапш", "Карп", "Голуб", "Ерем"],
}
_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.?)?"
_SURNAME = r"[А-ЯЁ][а-яё]{2,}?(?:ов|ев|ин)(?:а|у|ым|ой|е|ых)?"
_BEFORE = re.compile(rf"(?<=[А-ЯЁ]\.\s)({_SURNAME})\b|(?<=[А-ЯЁ]\.)({_SURNAME})\b")
_AFTER = re.compile(rf"\b({_SURNAME})(?=\s+{_INITIALS})")
_PARTS = re.compile(r"^([А-ЯЁ][а-яё]+?)(ов|ев|ин)(а|у|ым|ой|е|ых)?$")


def template_key(path: Path) -> str:
    return next(k for k in TEMPLATES if path.stem.startswith(k))


def templates() -> list[tuple[str, str]]:
    """(key, text) of the five corpus orders."""
    out = []
    for p in sorted(CORPUS.glob("*.txt")):
        out.append((template_key(p), p.read_text(encoding="utf-8-sig")))
    return out


def _swap(text: str, old: str, new: str) -> str:
    """Every stand-alone ``old`` (not inside a longer word or number) → ``new``."""
    return re.sub(rf"(?<![\w\-/.]){re.escape(old)}(?![\w\-/])", new, text)


def vary(key: str, text: str, rng: random.Random) -> str:
    """One copy of a template with another region, people, number and thresholds."""
    gen, pre, place, numbers = TEMPLATES[key]
    new_gen, new_pre, new_place = rng.choice(REGIONS)
    for abbr in ABBREVIATIONS:
        text = text.replace(abbr, new_gen)
    text = re.sub(rf"(?<=\bв ){re.escape(gen)}", new_pre, text)
    text = text.replace(pre, new_pre).replace(gen, new_gen).replace(gen.upper(), new_gen.upper())
    text = text.replace(f"г. {place}", f"г. {new_place}")
    k = rng.randint(1, 999)
    for number in numbers:
        digits = re.match(r"\D*(\d+)", number)
        width = len(digits.group(1))
        text = _swap(text, number, number.replace(digits.group(1), f"{k:0{width}d}", 1))
    for printed, options in THRESHOLDS.items():
        if printed in text:
            text = text.replace(printed, rng.choice(options))
    people: dict[str, str] = {}

    def surname(m: re.Match) -> str:
        word = m.group(0)
        parts = _PARTS.match(word)
        if not parts:
            return word
        root, suffix, ending = parts.group(1), parts.group(2), parts.group(3) or ""
        new_root = people.setdefault(root, rng.choice(SURNAME_ROOTS[suffix]))
        return new_root + suffix + ending

    text = _BEFORE.sub(surname, text)
    return _AFTER.sub(surname, text)


def generate(n: int, out_dir: str | Path, seed: int = 10) -> list[Path]:
    """Write ``n`` generated orders (``gen-00000.txt`` …) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    base = templates()
    paths = []
    for i in range(n):
        key, text = base[i % len(base)]
        p = out_dir / f"gen-{i:05d}.txt"
        p.write_text(vary(key, text, rng), encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: gen_orders.py N OUT_DIR")
    written = generate(int(sys.argv[1]), sys.argv[2])
    print(f"wrote {len(written)} orders to {sys.argv[2]}")
