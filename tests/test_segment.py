"""Sentence splitting: offsets, known misses, Markdown, boilerplate."""
import pytest

from transcompare.model import BOILERPLATE, HEADING, STATEMENT
from transcompare.read import parse_text
from transcompare.text.segment import clean_with_map, file_span, segment


def texts(text, lang, fmt="text"):
    return [s.text for s in segment(parse_text(text, fmt=fmt), lang)]


@pytest.mark.parametrize("lang,text,expected", [
    ("en", "The U.S. economy grew. Mr. Smith went to Washington, D.C. on Monday. It was 5 p.m. The talks ended.",
     ["The U.S. economy grew.", "Mr. Smith went to Washington, D.C. on Monday.", "It was 5 p.m.", "The talks ended."]),
    ("en", "He met John F. Kennedy in 1960. Sales rose in the U.S. The rest fell.",
     ["He met John F. Kennedy in 1960.", "Sales rose in the U.S.", "The rest fell."]),
    ("en", "They paid 5 USD. Then they left.", ["They paid 5 USD.", "Then they left."]),
    ("vi", "TP. HCM có mưa lớn. PGS. TS. Nguyễn Văn A cho biết như vậy.",
     ["TP. HCM có mưa lớn.", "PGS. TS. Nguyễn Văn A cho biết như vậy."]),
    ("de", "Am 5. Januar 2024 kam er an. Er wohnt in der 3. Etage. Das ist gut.",
     ["Am 5. Januar 2024 kam er an.", "Er wohnt in der 3. Etage.", "Das ist gut."]),
    # a quotation running over several sentences is split like any other text
    ("en", '"It will behave like water. It is transparent," said Det. Insp. Jane Roe. She left.',
     ['"It will behave like water.', 'It is transparent," said Det. Insp. Jane Roe.', "She left."]),
    ("fr", "« Nous gagnerons. Nous sommes forts », a dit M. Dupont.",
     ["« Nous gagnerons.", "Nous sommes forts », a dit M. Dupont."]),
    ("en", 'He called "Roe v. Wade settled law" and spoke of non-U.S. Arctic peoples. Then he left.',
     ['He called "Roe v. Wade settled law" and spoke of non-U.S. Arctic peoples.', "Then he left."]),
    ("zh", "“我们不会放弃。”他说。美国商务部长丹尼尔·里夫斯周四表示反对。",
     ["“我们不会放弃。”他说。", "美国商务部长丹尼尔·里夫斯周四表示反对。"]),
    ("zh", "“我们不会允许这样。”美国商务部长丹尼尔·里夫斯说。然后他离开了。",
     ["“我们不会允许这样。”美国商务部长丹尼尔·里夫斯说。", "然后他离开了。"]),
    ("fr", "M. Dupont est arrivé. Mme Martin aussi.", ["M. Dupont est arrivé.", "Mme Martin aussi."]),
    ("es", "El Sr. García llegó el lunes. Luego se fue.", ["El Sr. García llegó el lunes.", "Luego se fue."]),
    # a sentence that ends inside a bracket ("etc.)"); a one-word bracket is no sentence end
    ("en", "It needs tools (storyboarding, audio editing, etc.) Interactive design is hard. It served the (U.S.) Army.",
     ["It needs tools (storyboarding, audio editing, etc.)", "Interactive design is hard.",
      "It served the (U.S.) Army."]),
    # a day and an abbreviated month end a sentence before a capitalised word, not before a year
    ("en", "A permit becomes available on 1 Jan. Space for popular areas fills up. He was born on 1 Jan. 1950.",
     ["A permit becomes available on 1 Jan.", "Space for popular areas fills up.", "He was born on 1 Jan. 1950."]),
    ("fr", "Il faut des outils (montage audio, vidéo, etc.) La conception interactive est difficile.",
     ["Il faut des outils (montage audio, vidéo, etc.)", "La conception interactive est difficile."]),
    # a temperature's unit letter is not an initial; a bare figure before an initial is no unit
    ("vi", "Hành khách chờ dưới cái nóng 90 độ F. Đội trưởng cứu hỏa cho biết trời rất nóng.",
     ["Hành khách chờ dưới cái nóng 90 độ F.", "Đội trưởng cứu hỏa cho biết trời rất nóng."]),
    ("en", "They waited in 90 degrees F. Fire captain Scott Kouns said it was hot. In 1990 C. Smith won.",
     ["They waited in 90 degrees F.", "Fire captain Scott Kouns said it was hot.", "In 1990 C. Smith won."]),
    ("de", "Es war 32 °C. Der Hauptmann sagte, es sei heiß.", ["Es war 32 °C.", "Der Hauptmann sagte, es sei heiß."]),
])
def test_known_misses_are_fixed(lang, text, expected):
    assert texts(text, lang) == expected


def test_offsets_point_into_the_original_text():
    text = "Title line\n\nFirst  sentence here.   Second one\nwraps onto a new line.\n\nLast."
    doc = parse_text(text)
    sents = segment(doc, "en")
    assert [s.text for s in sents] == ["Title line", "First sentence here.",
                                       "Second one wraps onto a new line.", "Last."]
    for s in sents:
        raw = text[s.start:s.end]
        assert " ".join(raw.split()) == s.text
    assert sents[0].paragraph != sents[1].paragraph
    assert sents[1].paragraph == sents[2].paragraph


def test_each_line_without_blank_lines_is_its_own_paragraph():
    sents = segment(parse_text("One statement here.\nAnother statement there.\n"), "en")
    assert [s.paragraph for s in sents] == [0, 1]


def test_boilerplate_lines_are_kept_but_marked():
    text = ("Floods hit the coast\n\nBy Anna Keller\n\nThe river rose two meters overnight.\n\n"
            "Source: Example Wire\nComment (0)\nTheo VnExpress\n")
    sents = segment(parse_text(text), "en")
    roles = {s.text: s.role for s in sents}
    assert roles["Floods hit the coast"] == HEADING
    assert roles["The river rose two meters overnight."] == STATEMENT
    for t in ("By Anna Keller", "Source: Example Wire", "Comment (0)", "Theo VnExpress"):
        assert roles[t] == BOILERPLATE


def test_markdown_markup_is_removed_and_offsets_survive():
    text = ("# The **big** headline\n\nSee the [report](https://example.org/r) for *details*. "
            "It has `code`.\n\n- first item is here\n- second item\n\n```\nignored code\n```\n")
    doc = parse_text(text, fmt="markdown")
    sents = segment(doc, "en")
    assert [s.text for s in sents] == ["The big headline", "See the report for details.", "It has code.",
                                       "first item is here", "second item"]
    assert sents[0].role == HEADING
    s = sents[1]
    a, b = file_span(text, s, s.text.index("report"), s.text.index("report") + 6, True)
    assert text[a:b] == "report"


def test_clean_with_map_maps_every_character():
    raw = "a **bold**  move"
    clean, index = clean_with_map(raw, True)
    assert clean == "a bold move"
    assert all(raw[i] == c or c == " " for i, c in zip(index, clean))


def test_chinese_full_stop_before_a_figure_ends_a_sentence():
    assert texts("入口处由警察看守。11:00 刚过，抗议者堵住了白厅。他们走了。", "zh") == [
        "入口处由警察看守。", "11:00 刚过，抗议者堵住了白厅。", "他们走了。"]
