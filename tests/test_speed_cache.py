"""The lemma and parse caches of pipeline.nlp change speed, never answers."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.nlp import CachedMorph, VocabMatcher, get_morph, get_nlp, lemma_of

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _corpus_tokens() -> list[str]:
    nlp = get_nlp()
    words: set[str] = set()
    for p in sorted(CORPUS.glob("*.txt")):
        words |= {t.text for t in nlp.tokenizer(p.read_text(encoding="utf-8-sig"))}
    return sorted(words)


def test_cached_lemmas_equal_spacy_pymorphy3_lemmatizer():
    """Every distinct token of the corpus gets the lemma spaCy's own pymorphy3
    lemmatizer gives it in a blank pipeline (lower case, ё→е)."""
    import spacy
    from spacy.tokens import Doc

    reference = spacy.blank("ru")
    lemmatizer = reference.add_pipe("lemmatizer", config={"mode": "pymorphy3"})
    reference.initialize()
    words = [w for w in _corpus_tokens() if not w.isspace()]
    doc = lemmatizer(Doc(reference.vocab, words=words))
    expected = {t.text: t.lemma_.lower().replace("ё", "е") for t in doc}
    assert len(expected) > 2000
    assert {w: lemma_of(w) for w in words} == expected


class CountingMorph:
    def __init__(self):
        self.calls = 0

    def parse(self, word):
        self.calls += 1
        return [("parse", word)]

    def word_is_known(self, word, strict=False):
        self.calls += 1
        return word == "приказ"


def test_parse_once_per_word_form_and_a_fresh_list_each_time():
    inner = CountingMorph()
    morph = CachedMorph(inner)
    first = morph.parse("приказа")
    first.append("changed by a caller")
    assert morph.parse("приказа") == [("parse", "приказа")]
    assert morph.word_is_known("приказ") and morph.word_is_known("приказ")
    assert inner.calls == 2


def test_cache_is_bounded():
    morph = CachedMorph(CountingMorph(), limit=3)
    for w in ("а", "б", "в", "г", "д"):
        morph.parse(w)
    assert len(morph.parses) <= 3


def test_process_morph_is_cached_and_answers_like_pymorphy3():
    morph = get_morph()
    assert isinstance(morph, CachedMorph)
    plain = morph.morph  # the analyzer behind the cache
    for w in ("социальных", "сетях", "Дело", "переключений"):
        assert morph.parse(w) == plain.parse(w)
        assert morph.word_is_known(w) == plain.word_is_known(w)
    assert morph.TagClass is plain.TagClass  # anything else is the analyzer's own


def test_vocab_matches_cached_per_text_equal_a_fresh_match():
    channels = VocabMatcher.load("channels")
    texts = ["Сообщества Комитета в социальных сетях", "телефон горячей линии", "Офис МФЦ",
             "Официальный сайт в сети Интернет", "мессенджер «Телеграм»"]
    for text in texts:
        first = channels.find(text)
        again = channels.find(text)
        assert first == again == channels._find(text, True)  # noqa: SLF001 - the uncached path itself
        again.clear()
        assert channels.find(text) == first


def test_lemma_text_tokens_match_word_by_word():
    from pipeline.nlp import lemma_text

    text = "Ответ в социальных сетях — не позднее четырёх часов."
    words = [w for w in re.findall(r"\w+", text)]
    assert lemma_text(text).split() == [lemma_of(w) for w in words]


def test_definition_trigger_shortcut_equals_lemmatizing_every_clause():
    """definitions.is_trigger skips lemmatizing a clause that does not print
    'терм'/'понят'; on every corpus line and on inflected, capitalised, ё-spelt
    and prefixed forms it answers as the lemma rule does."""
    from pipeline.extract.definitions import is_trigger
    from pipeline.nlp import lemma_text

    def by_lemmas(text: str) -> bool:
        lem = set(lemma_text(text[:300]).split())
        return bool({"термин", "понятие"} & lem) and bool({"определение", "использоваться", "следующий"} & lem)

    lines = [ln for p in sorted(CORPUS.rglob("*.txt")) for ln in p.read_text(encoding="utf-8-sig").splitlines()]
    lines += ["В настоящем Порядке используются следующие ТЕРМИНАМИ и определения:",
              "Используемые Понятиями и определения", "следующие тёрмины и определения", "понятиё определение",
              "Основные понятия, используемые в Порядке"]
    assert sum(map(is_trigger, lines)) >= 5
    assert [is_trigger(t) for t in lines] == [by_lemmas(t) for t in lines]


def test_spacy_is_imported_without_its_command_line_which_stays_importable():
    """``get_nlp`` imports spaCy without ``spacy.cli`` (typer, weasel, httpx: a
    fifth of a cold start); afterwards the real CLI still imports and the
    ``spacy.info`` shortcut still answers. In a fresh interpreter, since this
    test process may have imported spaCy already."""
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "from pipeline.nlp import get_nlp\n"
        "nlp = get_nlp()\n"
        "before = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'weasel', 'httpx') or m.startswith('spacy.cli'))\n"
        "words = [t.text for t in nlp.tokenizer('Ответ в течение 4 часов, т.е. до 2-х переключений.')]\n"
        "import spacy, spacy.cli\n"
        "from spacy.cli.download import download\n"
        "info = spacy.info(silent=True)\n"
        "print(json.dumps({'before': before, 'words': words, 'cli': spacy.cli.__file__, 'version': info['spacy_version']}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    import json

    got = json.loads(out.stdout)
    assert got["before"] == []
    assert got["words"] == ["Ответ", "в", "течение", "4", "часов", ",", "т.е.", "до", "2-х", "переключений", "."]
    assert got["cli"].endswith("spacy/cli/__init__.py")
    assert got["version"].startswith("3.")


def test_case_of_a_header_word_survives_the_form_index_being_dropped(monkeypatch):
    """restore_case counts a word's forms in the body through a process-wide
    index of the forms seen; when the index outgrows its bound it starts
    again, and the answer stays the body's."""
    from pipeline.extract import agency_name as an

    body = ("Комиссия рассматривает обращения в соответствии с Порядком ведения перечня.\n"
            "Изменения в Порядок ведения вносятся приказом, согласно Порядку ведения и регламенту.")
    other = "Работа отдела ведется по плану.\nОтдел готовит отчет о работе и направляет его в управление."
    name = "ОБ УТВЕРЖДЕНИИ ПОРЯДКА ВЕДЕНИЯ ПЕРЕЧНЯ"
    expected = "Об утверждении Порядка ведения перечня"
    assert an.restore_case(name, body) == expected
    monkeypatch.setattr(an, "_INDEX_LIMIT", 5)
    an._inner_forms.cache_clear()
    assert an.restore_case("ОТЧЕТ О РАБОТЕ", other) == "Отчет о работе"
    assert an.restore_case(name, body) == expected  # re-indexed after the drop
    assert len(an._INDEXED) <= 40
