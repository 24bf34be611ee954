"""Vietnamese folding rules, checked on names from the article and on every Vietnamese vowel."""

from __future__ import annotations

import unicodedata

import pytest

from coopkg.text import ascii_fold, search_key, slug

# A name, its ascii_fold (marks dropped, case and spaces kept) and its search_key (lower case,
# punctuation and runs of spaces one space).
FOLDINGS = [
    ("Hoàng Trung Hải", "Hoang Trung Hai", "hoang trung hai"),
    ("Nguyễn Đức Chung", "Nguyen Duc Chung", "nguyen duc chung"),
    ("Ngô Thị Thanh Hằng", "Ngo Thi Thanh Hang", "ngo thi thanh hang"),
    ("Lào Cai", "Lao Cai", "lao cai"),
    ("Hà Nội", "Ha Noi", "ha noi"),
    ("  LÀO   CAI ", "  LAO   CAI ", "lao cai"),
    ("Ủy ban nhân dân", "Uy ban nhan dan", "uy ban nhan dan"),
    ("đường cao tốc", "duong cao toc", "duong cao toc"),
    ("ĐẢNG", "DANG", "dang"),
    ("“Cửa khẩu”", '"Cua khau"', "cua khau"),
]


@pytest.mark.parametrize("name, folded, key", FOLDINGS)
def test_ascii_fold_keeps_case_and_drops_every_mark(name, folded, key):
    assert ascii_fold(name) == folded


@pytest.mark.parametrize("name, folded, key", FOLDINGS)
def test_search_key_drops_marks_case_and_punctuation(name, folded, key):
    assert search_key(name) == key


def test_every_vietnamese_vowel_folds_to_its_base_letter():
    # The 12 vowel letters with each of the six tones (the first is the level tone).
    for base, letters in {
        "a": "aàáảãạ ăằắẳẵặ âầấẩẫậ",
        "e": "eèéẻẽẹ êềếểễệ",
        "i": "iìíỉĩị",
        "o": "oòóỏõọ ôồốổỗộ ơờớởỡợ",
        "u": "uùúủũụ ưừứửữự",
        "y": "yỳýỷỹỵ",
    }.items():
        for letter in letters.replace(" ", ""):
            assert ascii_fold(letter) == base, letter
            assert ascii_fold(letter.upper()) == base.upper(), letter.upper()


def test_decomposed_input_folds_like_composed_input():
    name = "Nguyễn Văn Vịnh"
    assert ascii_fold(unicodedata.normalize("NFD", name)) == ascii_fold(name) == "Nguyen Van Vinh"


def test_search_key_ignores_case_marks_and_punctuation():
    assert search_key("Lào Cai") == search_key("lao  cai") == search_key("LAO-CAI") == "lao cai"
    assert search_key("Hà Nội") == "ha noi"
    assert search_key("Đà Nẵng") != search_key("Da Nang City")


def test_slug_is_the_iri_form():
    assert slug("Hoàng Trung Hải") == "hoang-trung-hai"
    assert slug("Sa Pa (huyện)") == "sa-pa-huyen"
    assert slug("Đảng Cộng sản Việt Nam") == "dang-cong-san-viet-nam"
