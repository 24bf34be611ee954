"""Vietnamese folding rules, checked on names from the article and on every Vietnamese vowel."""

from __future__ import annotations

import unicodedata

import pytest

from coopkg.text import ascii_fold, search_key, slug


@pytest.mark.parametrize(
    "name, folded",
    [
        ("Hoàng Trung Hải", "Hoang Trung Hai"),
        ("Nguyễn Đức Chung", "Nguyen Duc Chung"),
        ("Ngô Thị Thanh Hằng", "Ngo Thi Thanh Hang"),
        ("Lào Cai", "Lao Cai"),
        ("Ủy ban nhân dân", "Uy ban nhan dan"),
        ("đường cao tốc", "duong cao toc"),
        ("ĐẢNG", "DANG"),
        ("“Cửa khẩu”", '"Cua khau"'),
    ],
)
def test_ascii_fold_keeps_case_and_drops_every_mark(name, folded):
    assert ascii_fold(name) == folded


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
