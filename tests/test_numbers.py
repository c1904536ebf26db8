"""Numbers read by locale so the same quantity matches across languages."""
import pytest

from transcompare.text.numbers import extract, match


def values(text, lang, required=True):
    return [sorted(a.values) for a in extract(text, lang) if a.required == required]


@pytest.mark.parametrize("src,sl,tgt,tl", [
    ("1,700 people", "en", "1.700 người", "vi"),
    ("1,700 people", "en", "1 700 personnes", "fr"),
    ("1,700 people", "en", "1700 Menschen", "de"),
    ("3.2 percent", "en", "3,2 Prozent", "de"),
    ("$4.5 billion", "en", "4,5 tỷ USD", "vi"),
    ("$4.5 billion", "en", "45亿美元", "zh"),
    ("1.5 million doses", "en", "150万剂", "zh"),
    ("a 50/50 chance", "en", "une chance sur deux, 50/50", "fr"),
    ("at 3 p.m.", "en", "lúc 15 giờ", "vi"),
    ("two ministers", "en", "2 Minister", "de"),
    ("March 5, 2024", "en", "2024年3月5日", "zh"),
    ("Oct. 14", "en", "14/10", "vi"),
    ("on Novemeber 26, 2008", "en", "vào ngày 26 tháng 11 năm 2008", "vi"),  # a misspelt month
    ("a 1.5 hour drive", "en", "à une heure et demie de route", "fr"),
    ("a 1.5 hour drive", "en", "a una hora y media en coche", "es"),
    ("a 1.5 hour drive", "en", "على بعد ساعة ونصف بالسيارة", "ar"),
    ("a 1.5 hour drive", "en", "anderthalb Stunden Fahrt", "de"),
    ("17 pounds 1 ounce", "en", "17 фунтов и одну унцию", "ru"),
    ("his 2 hour speech", "en", "خطابه الذي استمر لمدة ساعتين", "ar"),  # a dual
    ("the 1st and 3rd regiments", "en", "الكتيبتان الأولى والثالثة", "ar"),
    ("the British 11th Hussars", "en", "الهوسار الحادي عشر البريطاني", "ar"),
    ("3136 mm2 versus 864", "en", "3136 مم2 مقابل 864", "ar"),  # the 2 of a unit is no number
])
def test_same_quantity_matches(src, sl, tgt, tl):
    miss_s, miss_t = match(extract(src, sl), extract(tgt, tl))
    assert not miss_s and not miss_t


@pytest.mark.parametrize("src,sl,tgt,tl", [
    ("3.2 meters", "en", "5,2 mét", "vi"),
    ("1,700 people", "en", "1.200 Menschen", "de"),
    ("in 2019", "en", "en 2017", "fr"),
    ("90 days", "en", "60天", "zh"),
])
def test_changed_number_is_caught_on_both_sides(src, sl, tgt, tl):
    miss_s, miss_t = match(extract(src, sl), extract(tgt, tl))
    assert miss_s and miss_t


def test_a_drive_configuration_is_not_a_quantity():
    from transcompare.text.numbers import extract

    assert not any(a.required for a in extract("a 4x4 is highly advised", "en"))
    assert all(a.required for a in extract("a 6x6 cm format", "en"))  # a size keeps its figures


def test_numbers_inside_names_are_not_quantities():
    assert values("COVID-19 and the G7 met with F-16 pilots", "en") == []


def test_number_words_are_optional():
    # "one of" need not become a digit, but it can match one
    assert values("one of the two", "en") == []
    assert values("one of the two", "en", required=False) == [[1.0], [2.0]]


def test_a_figure_pairs_with_its_full_reading_first():
    from transcompare.text.numbers import extract, match

    # "9,000" could read 9 (a decimal comma); it must not take the 9 of "9 月" from September
    s = extract("On September 24, 1759, he signed a 9,000 year lease.", "en")
    t = extract("1759 年 9 月 24 日，他签署了一份 9000 年的租约。", "zh")
    assert match(s, t) == ([], [])


def test_a_repeated_figure_is_not_a_change_but_a_different_one_is():
    from transcompare.text.numbers import extract, match

    assert match(extract("the first since 1995-96, when Jagr did it", "en"),
                 extract("自1995-96赛季以来的第一人，在1995-96赛季雅格做到了", "zh")) == ([], [])
    miss_s, miss_t = match(extract("2 goals and 2 assists", "en"), extract("2 buts et 3 passes", "fr"))
    assert [a.text for a in miss_s] == ["2"] and [b.text for b in miss_t] == ["3"]
