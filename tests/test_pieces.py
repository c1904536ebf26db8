"""A translation sentence that renders part of a source sentence, split off on its own, belongs
to that sentence's bead (transcompare/pieces.py); an unrelated sentence in its place does not.
Each split below was reported as an addition (and a partial omission or a drop) before."""
from transcompare.align.pieces import cuts
from transcompare import compare_documents, document_from_text

SKULL_EN = ("Linheraptor exquisitus is a small dinosaur of the family Dromaeosauridae that lived in what is "
            "now Mongolia. Its fossils, found in the Gobi desert in 2008, are among the most complete of any "
            "raptor. Its skull was unusually long, giving rise to the name Linheraptor which means \"robber from "
            "Linhe.\"")
SKULL_VI = ("Linheraptor exquisitus là một loài khủng long nhỏ thuộc họ Dromaeosauridae sống ở vùng nay là Mông "
            "Cổ. Hóa thạch của nó, được tìm thấy ở sa mạc Gobi năm 2008, thuộc loại hoàn chỉnh nhất trong các "
            "loài khủng long săn mồi. Hộp sọ của nó dài khác thường. ")
SKULL_VI_TAIL = "Từ đó có tên Linheraptor, có nghĩa là \"kẻ cướp đến từ Linhe\"."

COUSIN_EN = ("Linheraptor exquisitus is a species of the family Dromaeosauridae and is a cousin of Velociraptor. "
             "This small feathered hunter is believed to have run on two legs with a large curved claw on each "
             "foot. Its fossils, found in the Gobi desert in 2008, are among the most complete of any raptor.")
COUSIN_ZH_HEAD = "Linheraptor exquisitus 属于驰龙科。"
COUSIN_ZH_REST = ("据信，这种身披羽毛的小型猎手用两条腿奔跑，每只脚上都有一只弯曲的大爪子。"
                  "它的化石于 2008 年在戈壁沙漠被发现，是所有迅猛龙类中最完整的化石之一。")

MOON_EN = ("Scientists have found small cliffs scattered across the surface of the moon called lobate scarps "
           "that apparently formed as the moon slowly shrank. The scarps were seen all over the moon and look "
           "barely weathered, which suggests that the events that made them were fairly recent. The finding "
           "contradicts the claim that the moon has no geological activity at all.")
MOON_VI = ("Các nhà khoa học đã tìm thấy những vách đá nhỏ rải rác trên bề mặt Mặt Trăng. Được gọi là vách "
           "thùy, dường như đã hình thành khi Mặt Trăng co lại rất chậm. Các vách này được thấy khắp Mặt Trăng "
           "và hầu như không bị phong hóa, cho thấy các sự kiện tạo ra chúng khá gần đây. Phát hiện này mâu "
           "thuẫn với nhận định rằng Mặt Trăng hoàn toàn không có hoạt động địa chất.")

UNRELATED_VI = "Bảo tàng sẽ mở cửa miễn phí vào cuối tuần này."
UNRELATED_ZH = "博物馆本周末将免费开放。"


def run(en, text, lang, encoder):
    c = compare_documents(document_from_text(en, "en"), document_from_text(text, lang), encoder)
    return [(b.source, b.target) for b in c.alignment.beads], [(f.kind, f.target) for f in c.flags]


def test_the_second_half_of_a_split_joins_its_sentence(encoder):
    beads, flags = run(SKULL_EN, SKULL_VI + SKULL_VI_TAIL, "vi", encoder)
    assert beads == [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3))]
    assert flags == []


def test_the_first_half_of_a_split_keeps_the_second(encoder):
    beads, flags = run(COUSIN_EN, COUSIN_ZH_HEAD + "是迅猛龙的表亲。" + COUSIN_ZH_REST, "zh", encoder)
    assert beads == [((0,), (0, 1)), ((1,), (2,)), ((2,), (3,))]
    # nothing left out or added. The map itself still finds "the family Dromaeosauridae ... a
    # cousin of Velociraptor" uncovered by 驰龙科 ... 迅猛龙的表亲 (the bundled encoder's word
    # states of single Han characters are weak): a known false partial omission, open in issue 24
    assert [f for f in flags if f[0] != "altered"] == []


def test_both_halves_of_a_split_left_out_are_one_bead(encoder):
    # neither half matched the source sentence well enough alone: a drop and two additions before
    beads, flags = run(MOON_EN, MOON_VI, "vi", encoder)
    assert beads == [((0,), (0, 1)), ((1,), (2,)), ((2,), (3,))]
    assert flags == []


def test_an_unrelated_sentence_in_the_same_place_stays_added(encoder):
    _, flags = run(SKULL_EN, SKULL_VI + UNRELATED_VI, "vi", encoder)
    assert ("added", (3,)) in flags
    _, flags = run(COUSIN_EN, COUSIN_ZH_HEAD + UNRELATED_ZH + COUSIN_ZH_REST, "zh", encoder)
    assert ("added", (1,)) in flags


def test_cuts_fall_at_clauses_and_before_frequent_words():
    text = "Its skull was unusually long, giving rise to the name Linheraptor which means \"robber\"."
    parts = [text[a:] for a in cuts(text, "en")]
    assert "giving rise to the name Linheraptor which means \"robber\"." in parts
    assert "which means \"robber\"." in parts
    assert "to the name Linheraptor which means \"robber\"." in parts
    assert "Linheraptor which means \"robber\"." not in parts  # a rare word
    # not inside a word after an apostrophe, and not leaving a part of one word
    text = "The moon's surface is covered with small cliffs that formed as it shrank."
    assert all(not text[a:].startswith("s surface") for a in cuts(text, "en"))
    assert all(len(text[:a].split()) >= 2 and len(text[a:].split()) >= 2 for a in cuts(text, "en"))


def test_the_words_choose_where_a_sentence_is_cut(encoder, monkeypatch):
    # the Vietnamese split of SKULL: the cut sentence's words are found in the kept sentence up to
    # "long" and in the lone sentence after it, so the cut the words choose is the clause boundary
    # before "giving"; the other boundaries are never embedded
    from types import SimpleNamespace

    from transcompare.align import pieces
    from transcompare.text.words import pool_words

    stats = SimpleNamespace(noise_q=0.0, match_q=1.0)  # (only the test's level reads them)

    text = SKULL_EN.split(". ")[-1]
    kept, lone = SKULL_VI.strip().split(". ")[-1], SKULL_VI_TAIL
    states = encoder.token_states([text, kept, lone])
    words = [pool_words(t, s.spans, s.states) for t, s in zip([text, kept, lone], states)]
    test = pieces.PieceTest([text], [kept, lone], "en", "vi", None, None, stats, encoder.embed,
                            ([words[0]], words[1:]))
    points = cuts(text, "en")
    assert len(points) > pieces.CUTS_TRIED
    chosen = test.chosen_cuts("source", 0, points, ("target", 0), ("target", 1))
    assert len(chosen) == pieces.CUTS_TRIED and set(chosen) <= set(points)
    assert text.index("giving") in chosen
    monkeypatch.setattr(pieces, "CUTS_TRIED", 1)  # the best cut of all: the clause boundary
    assert test.chosen_cuts("source", 0, points, ("target", 0), ("target", 1)) == [text.index("giving")]
    # without word vectors, every boundary is tried
    plain = pieces.PieceTest([text], [kept, lone], "en", "vi", None, None, stats, encoder.embed)
    assert plain.chosen_cuts("source", 0, points, ("target", 0), ("target", 1)) == points


def test_a_lone_sentence_no_part_leans_towards_is_never_embedded(encoder):
    # the split-off tail of SKULL leans towards the tail of the English sentence, word for word;
    # when the bead's own sentence carries the whole English sentence, an unrelated sentence
    # beside it leans towards no part (every word is found better in the bead), and nothing is
    # embedded for it
    from types import SimpleNamespace

    from transcompare.align import pieces
    from transcompare.model import Bead
    from transcompare.text.words import pool_words

    text = SKULL_EN.split(". ")[-1]
    kept = SKULL_VI.strip().split(". ")[-1]
    whole = kept.rstrip(".") + ", t" + SKULL_VI_TAIL[1:]  # the bead's sentence carries all of it
    texts = [text, kept, SKULL_VI_TAIL, whole, UNRELATED_VI]
    words = [pool_words(t, s.spans, s.states) for t, s in zip(texts, encoder.token_states(texts))]
    asked = []

    def embed(ts):
        asked.extend(ts)
        return encoder.embed(ts)

    stats = SimpleNamespace(noise_q=0.0, match_q=1.0)
    test = pieces.PieceTest([text], texts[1:], "en", "vi", None, None, stats, embed, ([words[0]], words[1:]))
    points = cuts(text, "en")
    split_off = test.lone_lean("source", 0, points, ("target", 0), ("target", 1), after=True)
    unrelated = test.lone_lean("source", 0, points, ("target", 2), ("target", 3), after=True)
    assert split_off >= pieces.PIECE_LEAN > unrelated, (split_off, unrelated)
    assert test(Bead((), (3,)), Bead((0,), (2,))) is False and asked == []
