"""The name of a state body in the official nominative, from any case and casing.

Acts name bodies in whatever case the sentence needs: "приказом департамента по
делам молодежи и спорта Тульской области", "к приказу Министерства сельского
хозяйства …", "Губернатора Тверской области". :func:`body_nominative` gives
the official name: only the **head noun phrase** (the adjectives that agree with
the head noun, and the head noun) goes to the nominative, keeping the head's
number and gender; the rest of the name (the genitive tail "по делам молодежи",
"Тульской области", quoted names «…») keeps its own case exactly as printed; the
first letter is capitalised.

    >>> body_nominative("Государственной жилищной инспекции Тульской области")
    'Государственная жилищная инспекция Тульской области'
    >>> body_nominative("приказом главного управления МЧС России по Тульской области")
    'Главное управление МЧС России по Тульской области'
    >>> body_nominative("МИНИСТЕРСТВА ТРУДА И СОЦИАЛЬНОЙ ЗАЩИТЫ ТУЛЬСКОЙ ОБЛАСТИ")
    'Министерство труда и социальной защиты Тульской области'

There is no list of known agencies: the words are read with pymorphy3.

* The head is found as the longest run of up to :data:`MAX_ADJECTIVES`
  adjectives (ADJF/PRTF) followed by a noun, all sharing one case, number and
  gender ("Военного комиссариата": "военного" is also a noun, but the longer
  reading wins). Readings of the head noun are ranked: singular before plural
  (the plural is kept only for a noun that has no singular reading here, such
  as "органов"), then the nominative (an already nominative name stays as it
  is; indeclinable words such as "Минэкономразвития" have a nominative
  reading), then pymorphy's score.
* Only words of pymorphy3's dictionary are inflected (a hyphenated adjective
  such as "контрольно-счетной" when its last part is one, and stump compounds,
  see :data:`STUMP_PREFIXES`); an abbreviation ("ГКУ", "МЧС") or an unknown
  word stops the head, and the name is then left as printed.
* A text that is not a name — it holds a finite verb, an infinitive, a short
  participle or a gerund that pymorphy3 reads as nothing else — is returned as
  printed, only its first letter capitalised.

Where pymorphy3 alone goes wrong (each case is tested in tests/test_inflect.py):

* rare adjective readings of nouns ("главой" is also read as the adjective
  "главый", which made "Главой Тульской области" a three-word head):
  an adjective reading counts only when it is not much rarer than the noun
  reading (:data:`ADJECTIVE_ODDS`), or the noun is the adjective used as a
  noun ("дежурно-диспетчерскую службу");
* "по" has an abbreviation-noun reading: words that can be prepositions,
  conjunctions, particles or pronouns are never heads;
* stump compounds missing from its dictionary ("Минспорта", "Росреестра",
  "Роструда") are guessed, sometimes with a wrong split ("рост|руда");
  they are read as prefix + dictionary noun (:data:`STUMP_PREFIXES`), and
  "Мин" + a feminine or neuter genitive is indeclinable ("Минпросвещения");
* substantivised adjectives that title persons acting as bodies
  ("Уполномоченного по правам человека", "Управляющего делами") have no noun
  reading: :data:`SUBSTANTIVISED_HEADS`, the one table of head words.

An UPPER-CASE name is put in proper case after inflection
(:func:`proper_case`): region words in the case their official name writes them
(:func:`pipeline.regions.capitalised_spans`), "Российской Федерации", place names
pymorphy3 tags as such ("России", "Новосибирска"), the name after "города"/"г.",
a district adjective before "района"/"округа" ("Инзенского района"), the
highest offices by convention (:data:`CONVENTIONAL_CAPITALS`), words the document
body prints capitalised inside sentences, and the first word of a quoted name;
abbreviations stay upper case; every other word is lower case.

Parses are cached per word, heads per word sequence (``functools.lru_cache``):
about 6,000 new phrases a second once the words are warm (2 cores).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.nlp import get_morph, is_known_word, normal_forms

__all__ = ["body_nominative", "proper_case", "strip_governing"]

# At most this many agreeing adjectives before the head noun
# ("областного государственного казенного учреждения").
MAX_ADJECTIVES = 4

# A word that is also a noun is taken for an agreeing adjective only when
# pymorphy3 scores its adjective readings at least 1/ADJECTIVE_ODDS of its
# noun readings.
ADJECTIVE_ODDS = 3

# Prefixes of the stump compounds that name bodies ("Минспорт", "Росреестр",
# "Госжилинспекция", "Облдума"); word-formation, not a list of agencies.
STUMP_PREFIXES = ("мин", "рос", "гос", "обл", "гор")

# Persons acting as bodies whose title is an adjective used as a noun:
# pymorphy3 reads them only as adjectives/participles, so without this table
# "Уполномоченного по правам человека" would have no head noun. Masculine
# nominative singular forms (a participle's lemma is its verb: "управлять").
SUBSTANTIVISED_HEADS = frozenset({"уполномоченный", "управляющий", "исполняющий"})

# Offices that legal Russian writes with a capital inside a name
# ("аппарат Правительства Тульской области", "Управление делами Губернатора").
# Used only to put an UPPER-CASE name in proper case. Lemmas.
CONVENTIONAL_CAPITALS = frozenset({"правительство", "губернатор", "президент"})

# Proper names that are not federal subjects (regions come from
# pipeline.regions): word lemmas of each, all written with capitals.
PROPER_NAMES: tuple[tuple[str, ...], ...] = (("российский", "федерация"),)

# Words after which a place name follows ("города Кирова", "г. Орла").
_PLACE_DESIGNATORS = frozenset({"город", "г", "гор", "поселок", "посёлок", "пос", "пгт", "село", "с",
                                "деревня", "д", "станица", "ст", "хутор", "аул", "имени", "им"})
# Units a district adjective names ("Инзенского района", "Сычевского муниципального округа").
_MUNICIPAL_UNITS = frozenset({"район", "округ", "поселение", "сельсовет", "улус", "кожуун"})
# Adjectives in "-ский" before such a unit that are not names.
_GENERIC_UNIT_ADJECTIVES = frozenset({"городской", "сельский", "внутригородской", "муниципальный",
                                      "автономный", "федеральный", "административный"})

# Act nouns whose genitive object is the issuing body ("приказом департамента").
_ACT_LEMMAS = frozenset({"приказ", "постановление", "распоряжение", "указ", "решение", "приложение"})

_CASES = ("nomn", "gent", "datv", "ablt", "loct", "accs")
_CASE_ALIAS = {"gen1": "gent", "gen2": "gent", "loc1": "loct", "loc2": "loct", "acc2": "accs", "voct": "nomn"}
_ADJ_POS = frozenset({"ADJF", "PRTF"})
_VERB_POS = frozenset({"VERB", "INFN", "PRTS", "GRND"})
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ"})

_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_WORD_PART = re.compile(r"[А-Яа-яЁёA-Za-z]+")
_TRAILING = re.compile(r"[,;:.)»\"]+")
_OPEN_QUOTES = ("«", '"', "„", "“")


# ----------------------------------------------------------------- parses


@lru_cache(maxsize=50000)
def _parses(word: str) -> tuple:
    """pymorphy3 parses of a lower-case word (cached)."""
    return tuple(get_morph().parse(word))


@lru_cache(maxsize=50000)
def _inflectable(word: str) -> bool:
    """A dictionary word, a hyphenated word whose last part is one
    ("контрольно-счетной") or a declinable stump compound ("Росреестра"):
    never a guess for an abbreviation or a name."""
    if is_known_word(word):
        return True
    if "-" in word:
        return is_known_word(word.rsplit("-", 1)[1])
    return bool(_stump_parses(word))


@lru_cache(maxsize=50000)
def _stump_parses(word: str) -> tuple:
    """Readings of an unknown stump compound (сложносокращённое слово) such as
    "Минспорта", "Росреестра", "Роструда": a prefix of :data:`STUMP_PREFIXES`
    and a dictionary noun. pymorphy3 guesses these words, sometimes with a
    wrong split ("рост|руда"); only readings whose lemma is the prefix + the
    noun's lemma are kept. When the rest is not a dictionary word either
    ("Минпромторга"), pymorphy3's guesses are taken only if they agree on one
    lemma that keeps the prefix. "Мин" + a feminine or neuter noun in the genitive
    is indeclinable ("Минпросвещения", "Минцифры", "Минмолодежи"): no
    readings, the word stays as printed."""
    for pre in STUMP_PREFIXES:
        rest = word[len(pre):]
        if not word.startswith(pre) or len(rest) < 4:
            continue
        if is_known_word(rest):
            nouns = [p for p in _parses(rest) if p.tag.POS == "NOUN" and "Abbr" not in p.tag]
            lemmas = {pre + p.normal_form.replace("ё", "е") for p in nouns}
        else:  # "Минпромторга", "Росстата": pymorphy3's guess, if it keeps the prefix
            nouns = [p for p in _parses(word) if p.tag.POS == "NOUN" and "Abbr" not in p.tag
                     and p.normal_form.startswith(pre)]
            lemmas = {p.normal_form.replace("ё", "е") for p in nouns}
            if len(lemmas) > 1:
                return ()  # guesses disagree ("росстат" / "росстата"): leave as printed
        if not nouns:
            continue
        if pre == "мин" and not any(p.tag.gender == "masc" for p in nouns):
            return ()
        return tuple(p for p in _parses(word)
                     if p.tag.POS == "NOUN" and "Abbr" not in p.tag and p.normal_form.replace("ё", "е") in lemmas)
    return ()


def _case(tag) -> str | None:
    c = tag.case
    return _CASE_ALIAS.get(c, c)


@lru_cache(maxsize=50000)
def _nouns(word: str) -> tuple:
    """Noun readings of a lower-case word, substantivised adjectives of
    :data:`SUBSTANTIVISED_HEADS` included (masculine first)."""
    if not is_known_word(word) and "-" not in word:
        return _stump_parses(word)
    ps = _parses(word)
    if any(p.tag.POS in _FUNCTION_POS for p in ps):
        return ()  # "по" is also read as an abbreviation noun
    out = [p for p in ps if p.tag.POS == "NOUN" and "Abbr" not in p.tag and _case(p.tag) in _CASES]
    subst = [p for p in ps if p.tag.POS in _ADJ_POS and p.tag.gender == "masc" and _case(p.tag) in _CASES
             and _masculine_nominative(p) in SUBSTANTIVISED_HEADS]
    return tuple(out + subst)


def _masculine_nominative(p) -> str | None:
    q = p.inflect({"nomn", "sing", "masc"})
    return q.word.replace("ё", "е") if q is not None else None


@lru_cache(maxsize=50000)
def _adjectives(word: str) -> tuple:
    """Adjective and participle readings of a word that is read as an
    adjective at least a third as likely as a noun ("военного" is; "главой",
    with a rare adjective reading "главый", is not), or whose noun reading is
    the adjective itself used as a noun ("дежурно-диспетчерскую")."""
    if not is_known_word(word) and "-" not in word:
        return ()  # a guess ("Минспорт" read as an adjective)
    ps = _parses(word)
    adj = [p for p in ps if p.tag.POS in _ADJ_POS and _case(p.tag) in _CASES]
    nouns = [p for p in ps if p.tag.POS == "NOUN"]
    if sum(p.score for p in adj) * ADJECTIVE_ODDS < sum(p.score for p in nouns):
        # unless the noun is the adjective used as a noun ("дежурно-диспетчерская")
        stems = {p.normal_form[:-2] for p in adj}
        if not any(p.normal_form[:-2] in stems for p in nouns):
            return ()
    return tuple(adj)


@lru_cache(maxsize=50000)
def _is_verb(word: str) -> bool:
    """Every reading is a verb form (a sentence, not a name)."""
    if not is_known_word(word):
        return False
    ps = _parses(word)
    return bool(ps) and all(p.tag.POS in _VERB_POS for p in ps)


def _agrees(adj, noun) -> bool:
    if _case(adj.tag) != _case(noun.tag) or adj.tag.number != noun.tag.number:
        return False
    if noun.tag.number == "plur":
        return True
    if "ms-f" in noun.tag.grammemes:  # common gender ("глава") agrees with either
        return adj.tag.gender in ("masc", "femn")
    return adj.tag.gender == noun.tag.gender


def _rank(noun, has_singular: bool) -> tuple:
    plural = noun.tag.number == "plur"
    return (plural and has_singular, _CASES.index(_case(noun.tag)), -noun.score)


@lru_cache(maxsize=50000)
def _ranked_nouns(word: str, case: str | None) -> tuple:
    """Noun readings of ``word`` (in ``case`` if given), best first: singular
    before plural (unless there is no singular), nominative first, then score."""
    nouns = _nouns(word)
    if case is not None:
        nouns = tuple(p for p in nouns if _case(p.tag) == case)
    has_singular = any(p.tag.number == "sing" for p in nouns)
    return tuple(sorted(nouns, key=lambda p: _rank(p, has_singular)))


@lru_cache(maxsize=20000)
def _head(words: tuple[str, ...], case: str | None = None):
    """(adjective parses, noun parse) of the head noun phrase of ``words``
    (lower case), or None. The longest agreeing run wins. ``case``: only a
    head in that case."""
    n = 0
    while n < len(words) and n <= MAX_ADJECTIVES and _inflectable(words[n]):
        n += 1
    for k in range(n - 1, -1, -1):  # k = index of the head noun
        best = None
        for noun in _ranked_nouns(words[k], case):
            adjs = []
            for w in words[:k]:
                a = next((a for a in _adjectives(w) if _agrees(a, noun)), None)
                if a is None:
                    break
                adjs.append(a)
            else:
                best = (tuple(adjs), noun)
                break
        if best is not None:
            return best
    return None


# ----------------------------------------------------------------- casing


def _like(model: str, word: str) -> str:
    """``word`` in the letter case of ``model`` (UPPER, Title, lower), part by
    part for hyphenated words; ё only where the model prints it."""
    if "ё" not in model.lower():
        word = word.replace("ё", "е")
    if len(model) > 1 and model.isupper():
        return word.upper()
    mparts, wparts = model.split("-"), word.split("-")
    if len(mparts) != len(wparts):
        mparts, wparts = [model], [word]
    out = []
    for m, w in zip(mparts, wparts):
        out.append(w[:1].upper() + w[1:] if m[:1].isupper() else w)
    return "-".join(out)


def _capitalise_first(text: str) -> str:
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1 :]
    return text


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8


@lru_cache(maxsize=8)
def _body_votes(body: str) -> dict[str, int]:
    """lemma → (capitalised − lower-case) occurrences of its words inside
    sentences of ``body`` (a sentence-initial capital proves nothing; UPPER
    CASE words are not counted). By lemma, so "Народным Собранием" in the body
    capitalises "СОБРАНИЕ" in a header."""
    votes: dict[str, int] = {}
    for m in _WORD_PART.finditer(body):
        w = m.group(0)
        if len(w) > 1 and w.isupper():
            continue
        j = m.start() - 1
        while j >= 0 and body[j] in " \t\u00a0*«\"(„“":
            j -= 1
        if j < 0 or body[j] in ".!?\n:;":
            continue
        vote = 1 if w[0].isupper() else -1
        for lemma in normal_forms(w):
            votes[lemma] = votes.get(lemma, 0) + vote
    return votes


@lru_cache(maxsize=50000)
def _is_abbreviation(word: str) -> bool:
    """An upper-case word that is an abbreviation: 'МЧС', 'ЗАГС', 'ГКУ' (not 'ПО')."""
    if len(word) < 2 or not word.isupper():
        return False
    low = word.lower()
    if not is_known_word(low):
        return len(word) <= 5
    return all("Abbr" in p.tag for p in _parses(low))


@lru_cache(maxsize=50000)
def _top_tags(word: str) -> tuple[str | None, frozenset[str]]:
    ps = _parses(word)
    if not ps:
        return None, frozenset()
    return ps[0].tag.POS, frozenset(g for g in ("Geox", "Name", "Surn", "Patr") if g in ps[0].tag)


def _region_spans(text: str) -> list[tuple[int, int]]:
    try:
        from pipeline.regions import capitalised_spans
    except ImportError:  # the regions module is optional for this step
        return []
    return capitalised_spans(text)


def proper_case(name: str, body: str = "") -> str:
    """An UPPER-CASE name in proper Russian case (see the module text); a name
    that is not upper case is returned as printed. ``body`` is the document's
    mixed-case text, where words are printed in their own case."""
    if not _mostly_upper(name):
        return name
    return _proper_case(name, body)


@lru_cache(maxsize=4096)
def _proper_case(name: str, body: str) -> str:
    words = list(_WORD_PART.finditer(name))
    lows = [w.group(0).lower().replace("ё", "е") for w in words]
    capital = [False] * len(words)
    keep = [False] * len(words)

    starts = {s for s, _ in _region_spans(name)}
    votes = _body_votes(body) if body else {}
    for i, (m, low) in enumerate(zip(words, lows)):
        w = m.group(0)
        before = name[: m.start()].rstrip()
        if m.start() in starts:
            capital[i] = True
        elif _is_abbreviation(w):
            keep[i] = True
        elif before.endswith(_OPEN_QUOTES) or (votes and max(votes.get(f, 0) for f in normal_forms(low)) > 0) or normal_forms(low) & CONVENTIONAL_CAPITALS:
            capital[i] = True
        elif not is_known_word(low) and len(low) > 2 and not before.endswith("-"):
            capital[i] = True  # a name pymorphy3 does not know ("Инзенского" is known; "Тумэн" is not)
        elif _top_tags(low)[1] & {"Geox"}:
            capital[i] = True
    # "Российской Федерации" and other fixed proper names
    for phrase in PROPER_NAMES:
        for i in range(len(words) - len(phrase) + 1):
            if all(lem in normal_forms(lows[i + j]) for j, lem in enumerate(phrase)):
                for j in range(len(phrase)):
                    capital[i + j] = True
    for i in range(1, len(words)):
        # "города Кирова", "г. Орла", "города Нижнего Новгорода"
        if lows[i - 1] in _PLACE_DESIGNATORS or normal_forms(lows[i - 1]) & {"город"}:
            pos, _ = _top_tags(lows[i])
            if pos == "NOUN" or not is_known_word(lows[i]):
                capital[i] = True
            elif pos in ("ADJF", "PRTF") and i + 1 < len(words):
                ntags = _top_tags(lows[i + 1])[1]
                if ntags & {"Geox", "Surn", "Name"} or not is_known_word(lows[i + 1]):
                    capital[i] = capital[i + 1] = True
        # "Инзенского района", "Сычевского муниципального округа"
        if normal_forms(lows[i]) & _MUNICIPAL_UNITS:
            j = i - 1
            while j >= 0 and normal_forms(lows[j]) & _GENERIC_UNIT_ADJECTIVES:
                j -= 1
            if j >= 0:
                forms = normal_forms(lows[j])
                if any(f.endswith(("ский", "цкий")) for f in forms) and not forms & _GENERIC_UNIT_ADJECTIVES:
                    capital[j] = True

    chars = list(name)
    for i, m in enumerate(words):
        if keep[i]:
            continue
        w = m.group(0)
        new = w[:1].upper() + w[1:].lower() if capital[i] else w.lower()
        chars[m.start() : m.end()] = new
    return _capitalise_first("".join(chars))


# ----------------------------------------------------------------- strip


_STAMP_WORDS = re.compile(
    r"(?:утвержд[её]н[аоы]?|одобрен[аоы]?|согласован[аоы]?|введен[аоы]?\s+в\s+действие)\s+", re.IGNORECASE)
_PREPOSITIONS = re.compile(
    r"(?:в\s+соответствии\s+со?|во\s+исполнение|на\s+основании|согласно|в\s+целях\s+реализации|"
    r"в\s+рамках|в\s+редакции|к|в|во|по|с|со)\s+", re.IGNORECASE)
_JOINT = re.compile(r"совместн[а-яё]+\s+", re.IGNORECASE)
_NUMBER = re.compile(r"(?:(?:№|N|No\.?)\s*[\w.\-/]+\s*)", re.IGNORECASE)
_LEAD_WORD = re.compile(r"[А-Яа-яЁё]+")


def strip_governing(text: str) -> str:
    """The text without the words that govern a body's name before it:
    'приказом департамента …' → 'департамента …', 'к приказу Министерства …'
    → 'Министерства …', 'УТВЕРЖДЕН постановлением Правительства …' →
    'Правительства …', 'Приложение N 2 к приказу …' → '…', 'Распоряжение
    Губернатора …' → 'Губернатора …', 'совместным приказом …' → '…'. Only
    words followed by more text are dropped: 'к приказу' stays as printed
    (trimmed)."""
    s = text.strip()
    while True:
        before = s
        m = _STAMP_WORDS.match(s)
        if m:
            s = s[m.end():]
        m = _PREPOSITIONS.match(s)
        if m:
            s = s[m.end():]
        m = _JOINT.match(s)
        if m:
            s = s[m.end():]
        m = _LEAD_WORD.match(s)
        if m and _is_act_word(m.group(0)):
            rest = s[m.end():].lstrip()
            n = _NUMBER.match(rest)  # "Приложение N 2 к …"
            if n:
                rest = rest[n.end():]
            rest = re.sub(r"^\(\s*(?:№|N)[^)]*\)\s*", "", rest)  # "Приложение (N 1) к"
            if rest[:1].isalpha():
                s = rest
        if s == before:
            break
    s = s.strip()
    if s != text.strip() and not _strippable_head(text.strip(), s):
        return text.strip()
    return s


def _strippable_head(original: str, rest: str) -> bool:
    """Dropping words is right only when an act word was among them
    ("к приказу …", "УТВЕРЖДЕН постановлением …", "Приказ …") and a name
    follows, not another act word."""
    dropped = original[: len(original) - len(rest)]
    return (any(_is_act_word(w) for w in _LEAD_WORD.findall(dropped))
            and bool(rest) and not _starts_with_act(rest))


def _is_act_word(word: str) -> bool:
    low = word.lower()
    return any(p.tag.POS == "NOUN" and p.normal_form in _ACT_LEMMAS for p in _parses(low))


def _starts_with_act(text: str) -> bool:
    m = _LEAD_WORD.match(text)
    return bool(m) and _is_act_word(m.group(0))


# ----------------------------------------------------------------- the name


def body_nominative(phrase: str, body: str = "") -> str:
    """The state body named by ``phrase`` (in any case) in the official
    nominative with normal casing; see the module text. Leading governing
    words are dropped first (:func:`strip_governing`). ``body`` is the
    document's mixed-case text, used only to put an UPPER-CASE name in proper
    case. A text that is not a name comes back as printed, first letter
    capitalised."""
    original = phrase.strip()
    s = strip_governing(original)
    if any(_is_verb(w.lower()) for w in _WORD_PART.findall(s)):
        return _capitalise_first(original)  # a sentence, not a name
    tokens = list(_TOKEN.finditer(s))
    run = _word_run(s, tokens, 0)
    found = _nominative(run)
    out = s
    if found is not None:
        reps, case = found
        nxt = len(reps)
        if nxt < len(tokens) and tokens[nxt].group(0).startswith("(") and len(run) == nxt:
            # an apposition in brackets agrees with the head:
            # "Народного Собрания (Парламента) Республики Дагестан"
            inner = _word_run(s, tokens, nxt, in_brackets=True)
            more = _nominative(inner, case)
            if more is not None and len(more[0]) == len(inner):
                reps += more[0]
        pieces, pos = [], 0
        for start, end, new in reps:
            pieces += [s[pos:start], _like(s[start:end], new)]
            pos = end
        out = "".join(pieces) + s[pos:]
    if _mostly_upper(out):
        out = proper_case(out, body)
    return _capitalise_first(out)


def _word_run(s: str, tokens: list, i0: int, in_brackets: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, lower-case word) of the plain words from token ``i0`` on,
    up to the first token that is not one; a word followed by punctuation
    (",", ")") ends the run. ``in_brackets``: the first token opens with "("
    and the run must end at ")" (else it is empty)."""
    run = []
    closed = False
    for i in range(i0, min(len(tokens), i0 + MAX_ADJECTIVES + 1)):
        text = tokens[i].group(0)
        lead = 0
        if in_brackets and i == i0:
            if not text.startswith("("):
                return []
            lead = 1
        m = _WORD.match(text, lead)
        if m is None:
            break
        tail = text[m.end():]
        if tail and not _TRAILING.fullmatch(tail):
            break
        run.append((tokens[i].start() + m.start(), tokens[i].start() + m.end(), m.group(0).lower()))
        if tail:
            closed = tail.startswith(")")
            break
    if in_brackets and not closed:
        return []
    return run


def _nominative(run: list[tuple[int, int, str]], case: str | None = None):
    """([(start, end, nominative word)], case of the head) for the head noun
    phrase at the start of ``run``, or None."""
    found = _nominative_words(tuple(w for _, _, w in run), case)
    if found is None:
        return None
    new_words, head_case = found
    return [(start, end, w) for (start, end, _), w in zip(run, new_words)], head_case


@lru_cache(maxsize=20000)
def _nominative_words(words: tuple[str, ...], case: str | None):
    """(nominative forms of the head noun phrase's words, case of the head)."""
    head = _head(words, case)
    if head is None:
        return None
    adjs, noun = head
    if noun.tag.POS == "NOUN":
        nom = noun.inflect({"nomn"})
    else:  # a substantivised adjective ("Уполномоченного")
        nom = noun.inflect({"nomn", "sing", "masc"})
    new_words = []
    for a in adjs:
        g = {"nomn", noun.tag.number or "sing"}
        if noun.tag.number != "plur":
            g.add(a.tag.gender)
        na = a.inflect(g)
        new_words.append(na.word if na is not None else None)
    new_words.append(nom.word if nom is not None else None)
    if any(w is None for w in new_words):
        return None
    return tuple(new_words), _case(noun.tag)
