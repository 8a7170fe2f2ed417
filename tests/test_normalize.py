"""Vocabulary normalization: strings that must match, strings that must not,
OCR look-alikes, needs splitting."""

from __future__ import annotations

import pytest

from pipeline import normalize as nz

# ------------------------------------------------------------------ channels

CHANNELS = [
    # printed in the corpus
    ("СЭД", "edms", "СЭД"),
    ("СЭД Дело", "edms", "СЭД Дело"),
    ("Сообщества Комитета в социальных сетях", "social_network", "социальных сетях"),
    ("Каналы и публичные чаты", "messenger", "публичные чаты"),
    ("Каналы и публичные чаты Комитета в мессенджерах", "messenger", "публичные чаты"),
    ("Комитет в мессенджерах", "messenger", "мессенджерах"),
    ("Кабинеты внутренних клиентов", "in_person", "Кабинеты"),
    ("Кабинеты внутренних клиентов / рабочее место внутренних клиентов", "in_person", "Кабинеты"),
    ("рабочее место клиентов", "in_person", "рабочее место"),
    ("Электронная почта", "email", "Электронная почта"),
    ("электронная почта Министерства", "email", "электронная почта"),
    ("Телефонная связь", "phone", "Телефонная связь"),
    ("официальный сайт Министерства в информационно-телекоммуникационной сети «Интернет» (Портал)",
     "website", "официальный сайт"),
    ("платформа обратной связи", "feedback_platform", "платформа обратной связи"),
    # other spellings of the genre
    ("Единый портал государственных и муниципальных услуг", "epgu",
     "Единый портал государственных и муниципальных услуг"),
    ("Чат-бот Министерства", "chatbot", "Чат-бот"),
    ("Telegram-канал Комитета", "messenger", "Telegram-канал"),
    ("горячая линия", "call_center", "горячая линия"),
    ("МФЦ", "mfc", "МФЦ"),
    ("личный кабинет на ЕПГУ", "personal_account", "личный кабинет"),
    ("Почта России", "mail", "Почта России"),
    # several channel words: the head (first printed) decides
    ("Чат-бот в Telegram", "chatbot", "Чат-бот"),
    ("Сообщения в личном кабинете ЕПГУ", "personal_account", "Сообщения в личном кабинете"),
    ("Горячая линия по телефону", "call_center", "Горячая линия"),
]

# OCR / copy-paste look-alikes: Latin letters or digits inside Cyrillic words
OCR = [
    ("CЭД", "edms"),  # Latin C
    ("Элeктpoнная пoчта", "email"),  # Latin e, p, o
    ("0фициальный сайт", "website"),  # digit zero for О
    ("Телефонная свя3ь", "phone"),  # digit 3 for З
    ("МФЦ", "mfc"),
    # one letter OCR confuses, put right by the dictionary
    ("Злектронная почта", "email"),  # З for Э: not 'почта' (mail)
    ("Телефонная связъ", "phone"),  # ъ for ь
    ("Платформа обратнои связи", "feedback_platform"),  # и for й
]

NOT_CHANNELS = [
    "Комитет по делам записи актов гражданского состояния",  # 'делам' is not the СЭД «Дело»
    "Направление деятельности",
    "Получение ответа",
    "Прием и регистрация обращений и запросов",
    "Телефонный справочник",  # not a channel word by lemma, too far for fuzzy
    "Работа с обращениями",
    "СЭС",  # one letter off an abbreviation: no fuzzy on short words
    "",
]


@pytest.mark.parametrize("text,code,raw", CHANNELS)
def test_channel_of_matches(text, code, raw):
    assert nz.channel_of(text) == (code, raw, "lemma")


@pytest.mark.parametrize("text,code", OCR)
def test_channel_of_ocr_lookalikes(text, code):
    got = nz.channel_of(text)
    assert got.code == code
    assert got.raw is not None and got.raw in text  # the printed (unfolded) words are kept


@pytest.mark.parametrize("text", NOT_CHANNELS)
def test_channel_of_must_not_match(text):
    assert nz.channel_of(text) == ("other", None, "none")


@pytest.mark.parametrize("code,kind", [
    ("edms", "digital"), ("email", "digital"), ("messenger", "digital"), ("social_network", "digital"),
    ("in_person", "offline"), ("phone", "offline"), ("mfc", "offline"), ("other", None),
])
def test_channel_default_kind(code, kind):
    assert nz.channel_kind(code) == kind


# ---------------------------------------------------------------------- kind

@pytest.mark.parametrize("text,kind", [
    ("Цифровая точка", "digital"),
    ("Офлайн - точка", "offline"),
    ("Офлайн-точка", "offline"),
    ("оффлайн точки", "offline"),
    ("4.1 Цифровые точки в рамках взаимодействия:", "digital"),
    ("4.2. Офлайн точки в рамках взаимодействия:", "offline"),
    ("онлайн-точки", "digital"),
    ("Очный прием", "offline"),
    ("Цифpовая точка", "digital"),  # Latin p
    # silent or both
    ("Особенности взаимодействия с клиентом (в цифровой или офлайн-точках)", None),
    ("Получение ответа", None),
    ("заочный", None),
    ("", None),
    (None, None),
])
def test_kind_of(text, kind):
    assert nz.kind_of(text) == kind


# --------------------------------------------------------------------- needs

SPLITS = [
    # as printed in the Северная Осетия 2026 Перечень
    ("Получение информации в том числе о ходе рассмотрения запроса. Получение информации, в том числе о ходе "
     "рассмотрения документов. Получение ответа",
     ["Получение информации в том числе о ходе рассмотрения запроса",
      "Получение информации, в том числе о ходе рассмотрения документов",
      "Получение ответа"]),
    # the period is missing between two needs
    ("Получение информации, в том числе о ходе рассмотрения запроса. Получение консультации Получение информации, "
     "в том числе о ходе рассмотрения документов. Получение ответа",
     ["Получение информации, в том числе о ходе рассмотрения запроса", "Получение консультации",
      "Получение информации, в том числе о ходе рассмотрения документов", "Получение ответа"]),
    # a space before the period
    ("Получение информации, в том числе о ходе рассмотрения запроса . Получение ответа",
     ["Получение информации, в том числе о ходе рассмотрения запроса", "Получение ответа"]),
    ("Получение информации, в том числе о ходе рассмотрения документов. Запись на личный прием",
     ["Получение информации, в том числе о ходе рассмотрения документов", "Запись на личный прием"]),
    # semicolons and line breaks
    ("получение консультации; подача заявления;\nполучение результата",
     ["получение консультации", "подача заявления", "получение результата"]),
    # a verbal noun not listed among the heads still opens a need
    ("Получение ответа Ознакомление с материалами", ["Получение ответа", "Ознакомление с материалами"]),
    # capitalised words that do not open a need: no split
    ("Получение информации о ходе рассмотрения Заявления Министерством",
     ["Получение информации о ходе рассмотрения Заявления Министерством"]),
    ("Получение сведений из ЕГРН. в т.ч. о ходе", ["Получение сведений из ЕГРН. в т.ч. о ходе"]),
    # bullets and labels inside a cell
    ("- получение информации; - получение ответа", ["получение информации", "получение ответа"]),
    ("1) получение информации; 2) подача заявления", ["получение информации", "подача заявления"]),
    ("• получение информации • получение ответа", ["получение информации", "получение ответа"]),
    ("", []),
]


@pytest.mark.parametrize("text,needs", SPLITS)
def test_split_needs(text, needs):
    assert nz.split_needs(text) == needs


def test_need_spans_point_into_the_text():
    text = "Получение консультации Получение ответа"
    assert [text[a:b] for a, b in nz.need_spans(text)] == ["Получение консультации", "Получение ответа"]


@pytest.mark.parametrize("need,codes", [
    ("Получение информации, в том числе о ходе рассмотрения запроса", ["info", "status"]),
    ("Получение информации в том числе о ходе рассмотрения документов", ["info", "status"]),
    ("Получение ответа", ["result"]),
    ("Получение консультации", ["consultation"]),
    ("Запись на личный прием", ["appointment"]),
    ("Подача заявления", ["submission"]),
    ("Получение результата рассмотрения обратной связи", ["feedback_result"]),
    ("Получение форм документов", ["forms"]),
    ("Пoлучение oтвета", ["result"]),  # Latin o
    ("Комитет", []),
    ("Каналы и публичные чаты", []),
])
def test_codes_of_need(need, codes):
    assert nz.codes_of_need(need) == codes


def test_need_codes_ordered_unique_union():
    needs = ["Получение информации, в том числе о ходе рассмотрения запроса", "Получение консультации",
             "Получение информации, в том числе о ходе рассмотрения документов", "Получение ответа"]
    assert nz.need_codes(needs) == ["info", "status", "consultation", "result"]


# ----------------------------------------------------------------- direction

@pytest.mark.parametrize("text,code", [
    ("Взаимодействие с внешним и внутренним клиентами в рамках рассмотрения обращений и запросов Комитета", "appeals"),
    ("Предоставление государственных услуг", "public_services"),
    ("Государственный контроль (надзор)", "control"),
    ("Обеспечение доступа к информации о деятельности Комитета", "information_access"),
    ("Взаимодействие с внутренним клиентом", "internal_client"),
    ("Меры социальной поддержки", "support_measures"),
    ("Организация выставок", "other"),
])
def test_direction_of(text, code):
    assert nz.direction_of(text).code == code


def test_direction_of_empty_is_none():
    assert nz.direction_of("") is None
    assert nz.direction_of(None) is None


# ----------------------------------------------------------------- OCR fold

@pytest.mark.parametrize("text,folded", [
    ("CЭД", "СЭД"),
    ("Элeктpoнная", "Электронная"),
    ("0фициальный", "Официальный"),
    ("Telegram", "Telegram"),  # pure Latin stays
    ("MAX", "MAX"),
    ("№ 2816-р от 06.10.2021", "№ 2816-р от 06.10.2021"),  # numbers stay
    ("П-12-01/0019", "П-12-01/0019"),
])
def test_fold_ocr(text, folded):
    assert nz.fold_ocr(text) == folded
    assert len(nz.fold_ocr(text)) == len(text)


def test_lemma_key_compares_printed_forms():
    assert nz.lemma_key("Каналы и публичные чаты Комитет в мессенджерах") == \
        nz.lemma_key("Каналы и публичные чаты Комитета в мессенджерах")
    assert nz.lemma_key("Электронная почта") != nz.lemma_key("Почта")


@pytest.mark.parametrize("word,repaired", [
    ("Злектронная", "Электронная"),
    ("связъ", "связь"),
    ("обратнои", "обратной"),
    ("почта", "почта"),  # known words stay
    ("Эммануилиди", "Эммануилиди"),  # a surname: nothing to repair
    ("Владикавказ", "Владикавказ"),
])
def test_repair_ocr_word(word, repaired):
    assert nz.repair_ocr_word(word) == repaired


def test_clean_keeps_length():
    text = "Злектронная почта Комитета, связъ"
    assert len(nz.clean(text)) == len(text)


@pytest.mark.parametrize("name,code", [
    ("Портал государственных и муниципальных услуг (ЕПГУ)", "epgu"),  # not the 'портал' of a website
    ("Сообщество в VK", "social_network"),
    ("Дзен-канал министерства", "social_network"),
    ("RuTube-канал", "social_network"),
    ("Ящик для обращений", "mail"),
])
def test_channels_as_regional_perechni_name_them(name, code):
    assert nz.channel_of(name).code == code
