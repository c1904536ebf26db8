"""The name check: swapped, missing and added names, and translated names that are not changes."""
import pytest

from transcompare.text import lexicon as names_mod
from transcompare import compare_documents, document_from_text

EN = ("Nadal's record against the Canadian is seven wins and two losses. "
      "He recently lost against Raonic in the Brisbane Open. "
      "Nadal won 88 percent of his net points in the match.")
TRANSLATIONS = {
    "fr": ("Le bilan de Nadal face au Canadien est de sept victoires et deux défaites. "
           "Il a récemment perdu contre Raonic lors de l'Open de Brisbane. "
           "Nadal a remporté 88 % de ses points au filet pendant le match."),
    "es": ("El récord de Nadal contra el canadiense es de siete victorias y dos derrotas. "
           "Hace poco perdió contra Raonic en el Abierto de Brisbane. "
           "Nadal ganó el 88 % de sus puntos en la red durante el partido."),
    "vi": ("Thành tích của Nadal trước tay vợt Canada là bảy trận thắng và hai trận thua. "
           "Gần đây anh đã thua Raonic tại giải Brisbane Open. "
           "Nadal đã giành được 88% số điểm lên lưới trong trận đấu."),
    "en": EN,
}


def _flags(encoder, src, tgt, sl, tl):
    return compare_documents(document_from_text(src, sl), document_from_text(tgt, tl), encoder).flags


def _name_flags(flags):
    return [f for f in flags if "name" in f.reasons]


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_untouched_translation_has_no_name_flag(encoder, lang):
    assert _name_flags(_flags(encoder, EN, TRANSLATIONS[lang], "en", lang)) == []


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_one_word_name_swapped_is_reported_with_both_names(encoder, lang):
    swapped = TRANSLATIONS[lang].replace("Raonic", "Federer")
    flags = _name_flags(_flags(encoder, EN, swapped, "en", lang))
    assert len(flags) == 1
    flag = flags[0]
    assert flag.source == (1,) and flag.target == (1,)
    assert "Raonic" in flag.message and "Federer" in flag.message
    sides = {(e.side, e.text) for e in flag.evidence}
    assert ("source", "Raonic") in sides and ("target", "Federer") in sides


def test_a_name_added_within_one_language_is_reported(encoder):
    edited = EN.replace("He recently lost", "According to Djokovic, he recently lost")
    flags = _name_flags(_flags(encoder, EN, edited, "en", "en"))
    assert len(flags) == 1 and 1 in flags[0].target
    assert [e.text for e in flags[0].evidence] == ["Djokovic"]
    assert "Djokovic" in flags[0].message and "not in the source" in flags[0].message


def test_a_translation_that_makes_a_name_explicit_or_spells_it_its_way_is_not_flagged(encoder):
    # translators name what the source leaves implicit, and spell names their own way
    en = ("While many tombs of the past were robbed, this tomb was left virtually undisturbed. "
          "The temple was destroyed on the same night that Alexander the Great was born. "
          "Vikings used the Russian waterways to get to the Caspian Sea.")
    es = ("Mientras que muchos sepulcros antiguos fueron saqueados, el de Tutankamón permaneció casi intacto. "
          "El templo se derribó la misma noche en que nació Alejandro el Grande. "
          "Los vikingos usaron las rutas navegables rusas para llegar al Mar Caspio.")
    assert _name_flags(_flags(encoder, en, es, "en", "es")) == []


def test_translated_titles_are_not_swaps(encoder):
    # "House" / "Chambre" and "Moon" / "Lune": capitalised words of the target language, not
    # names kept as they are
    en = ("The House voted on the budget on Tuesday. The Moon was visible all night. "
          "The vote ended at 9 pm.")
    fr = ("La Chambre a voté le budget mardi. La Lune a été visible toute la nuit. "
          "Le vote s'est terminé à 21 h.")
    assert _name_flags(_flags(encoder, en, fr, "en", "fr")) == []


def test_an_acronym_in_the_translations_word_order_is_not_a_swap(encoder):
    en = ("The IOC met in Copenhagen on Friday. It chose the host city for 2016. "
          "Rio de Janeiro won the vote.")
    fr = ("Le CIO s'est réuni à Copenhague vendredi. Il a choisi la ville hôte de 2016. "
          "Rio de Janeiro a remporté le vote.")
    assert _name_flags(_flags(encoder, en, fr, "en", "fr")) == []


def test_within_one_language_a_changed_name_is_a_swap(encoder):
    edited = EN.replace("Brisbane Open", "Sydney Open")
    flags = _name_flags(_flags(encoder, EN, edited, "en", "en"))
    assert len(flags) == 1 and flags[0].source == (1,)
    assert "Brisbane" in flags[0].message and "Sydney" in flags[0].message


def test_german_nouns_are_not_taken_for_swapped_names(encoder):
    # German capitalises every noun: one capitalised word is no evidence of a name
    en = ("Today the council met in Berlin. The booking system failed twice. "
          "Officials promised a fix by Friday.")
    de = ("Heute tagte der Rat in Berlin. Das Buchungssystem fiel zweimal aus. "
          "Die Beamten versprachen eine Lösung bis Freitag.")
    assert _name_flags(_flags(encoder, en, de, "en", "de")) == []


@pytest.mark.parametrize("text,own,other,is_word", [
    ("Chambre", "fr", "en", True),
    ("Facultad de Artes", "es", "en", True),
    ("Giải", "vi", "en", True),
    ("Raonic", "fr", "en", False),
    ("Somalia", "es", "en", False),
    ("Ohio", "es", "en", False),
])
def test_specificity_tells_words_of_a_language_from_names(text, own, other, is_word):
    nm = names_mod.extract(f"x {text}", own)[0]
    spec = names_mod.specificity(nm, own, other)
    assert (spec >= 1.5) is is_word


def test_words_written_in_lower_case_elsewhere_are_known():
    lower = names_mod.lowercase_words(["«Muy bien», dijo.", "Fue muy rápido."])
    assert "muy" in lower and "fue" not in lower


def test_a_name_spelled_another_way_is_found():
    nm = names_mod.extract("x Valetta", "en")[0]
    words = {"valletta", "malta"}
    assert names_mod.found_in(nm, "protestsinvallettamalta", words, {})


def test_a_name_found_only_by_its_last_word_after_another_name_is_not_found():
    from transcompare.checks.name import other_first_name

    nm = names_mod.extract("x Brisbane Open", "en")[0]
    text = "Il a perdu lors du Sydney Open."
    assert other_first_name(nm, text, names_mod.fold(text), "fr")
    kept = "Il a perdu lors du Open de Brisbane."
    assert not other_first_name(nm, kept, names_mod.fold(kept), "fr")


@pytest.mark.parametrize("word,is_name", [
    ("Kechagioglou", True),   # no German word: a name kept as it is
    ("Gerichtskommissar", False),  # a compound of a common German noun
    ("Haftanstalt", False),
    ("Problem", False),  # common in German, even if English has it too
])
def test_german_nouns_and_names(word, is_name):
    from transcompare.checks.name import name_like

    nm = names_mod.extract(f"x {word}", "de")[0]
    assert name_like(nm, set(), "de", "en") is is_name


def test_vietnamese_spelled_out_names_are_translations():
    from transcompare.checks.name import name_like

    nm = names_mod.extract("x Ai-xơ-len", "vi")[0]
    assert not name_like(nm, set(), "vi", "en")


@pytest.mark.parametrize("lang,text", [
    ("ru", "Компания объявила о сделке во вторник. Сервис Twitter перестал работать в полдень. "
           "Сбой продолжался три часа."),
    ("zh", "该公司周二宣布了这笔交易。Twitter服务在中午停止运行。故障持续了三个小时。"),
])
def test_a_latin_name_swapped_in_another_script_is_reported(encoder, lang, text):
    en = ("The company announced the deal on Tuesday. The Twitter service stopped working at noon. "
          "The outage lasted three hours.")
    assert _name_flags(_flags(encoder, en, text, "en", lang)) == []
    flags = _name_flags(_flags(encoder, en, text.replace("Twitter", "Snapchat"), "en", lang))
    assert len(flags) == 1 and flags[0].source == (1,) and flags[0].target == (1,)
    assert "Twitter" in flags[0].message and "Snapchat" in flags[0].message


GERMAN_EN = ("The funerals of Jeff Weise and three of the victims were held today in the town. "
             "The attack put a huge strain on relations between India and Pakistan. "
             "He was later named a Hero of the Soviet Union for the flight.")
GERMAN_DE = ("Die Bestattungen von Jeff Weise und drei der Opfer fanden heute in der Stadt statt. "
             "Der Angriff belastete die Beziehungen zwischen Indien und Pakistan sehr. "
             "Später wurde er für den Flug zum Held der Sowjetunion ernannt.")


def test_german_untouched_nouns_beside_names_are_not_flagged(encoder):
    # "Held der Sowjetunion": "Held" (hero) is far more common as English "held", not a name
    assert _name_flags(_flags(encoder, GERMAN_EN, GERMAN_DE, "en", "de")) == []


@pytest.mark.parametrize("old,new,sentence", [
    ("Jeff Weise", "Tipper", 0),  # "Bestattungen von Tipper": one run of a noun and a name
    ("Pakistan", "Somalia", 1),  # a country's name, however common a word in German
])
def test_german_names_swapped_next_to_nouns_are_reported(encoder, old, new, sentence):
    flags = _name_flags(_flags(encoder, GERMAN_EN, GERMAN_DE.replace(old, new), "en", "de"))
    assert [(f.source, f.target) for f in flags] == [((sentence,), (sentence,))]
    assert new in flags[0].message and old.split()[-1] in flags[0].message


@pytest.mark.parametrize("lang,old,new", [
    ("fr", "Nadal a remporté", "Costello a remporté"),
    ("es", "Nadal ganó", "Costello ganó"),
    ("vi", "Nadal đã giành", "Costello đã giành"),
])
def test_a_name_swapped_at_the_head_of_a_sentence_is_reported(encoder, lang, old, new):
    # "Nadal" opens its sentence, so its capital alone does not make it a name; the swap does
    flags = _name_flags(_flags(encoder, EN, TRANSLATIONS[lang].replace(old, new), "en", lang))
    assert [(f.source, f.target) for f in flags] == [((2,), (2,))]
    sides = {(e.side, e.text) for e in flags[0].evidence}
    assert ("source", "Nadal") in sides and ("target", "Costello") in sides


@pytest.mark.parametrize("lang", ["fr", "vi"])
def test_a_name_changed_in_part_names_the_changed_words(encoder, lang):
    # "Brisbane Open" -> "Open de Palawan": the shared "Open" does not find the name, and the
    # evidence is the word that changed, not the whole name
    flags = _name_flags(_flags(encoder, EN, TRANSLATIONS[lang].replace("Brisbane", "Palawan"), "en", lang))
    assert [(f.source, f.target) for f in flags] == [((1,), (1,))]
    sides = {(e.side, e.text) for e in flags[0].evidence}
    assert sides == {("source", "Brisbane"), ("target", "Palawan")}


def test_the_part_of_a_name_the_other_side_lacks():
    text = "Nhà tù Abu Ghraib bị đốt cháy."
    nm = names_mod.extract(text, "vi")[0]
    part = names_mod.unshared(nm, text, {"abu", "colbert", "report"})
    assert (part.text, text[part.start:part.end], part.tokens) == ("Ghraib", "Ghraib", ("ghraib",))
    assert names_mod.unshared(nm, text, {"abu", "ghraib"}) is nm  # all there: the name as it is
    assert names_mod.unshared(nm, text, {"prison"}) is nm  # none there


def test_a_possessive_ends_a_name():
    text = "He said Sir Richard Branson's Virgin Group had a bid rejected."
    names = [n.text for n in names_mod.extract(text, "en")]
    assert names[0].endswith("Richard Branson's") and names[1].startswith("Virgin")


def _compare_noting_encoded(monkeypatch, src, sl, tgt, tl):
    """The comparison of a cold encoder, and every text it encoded."""
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder(cache=False)
    enc.forget()
    asked = []
    real = enc.embed
    monkeypatch.setattr(enc, "embed", lambda texts: (asked.extend(t for t in texts if not enc.has(t)), real(texts))[1])
    return compare_documents(document_from_text(src, sl), document_from_text(tgt, tl), enc), asked


def test_a_translated_name_the_map_finds_carried_over_costs_no_encoding(monkeypatch):
    # "Red Cross" is translated, not kept: with no other name of the translation to stand in its
    # place it can only be gone, and the map finds its words carried over, so the sentence
    # without it is never embedded (and nothing is flagged)
    en = ("Heavy rain flooded the valley on Monday. The Red Cross said it had sent food and blankets to "
          "the villages. Schools stayed closed on Tuesday.")
    vi = ("Mưa lớn làm ngập thung lũng hôm thứ Hai. Hội Chữ thập đỏ cho biết đã gửi thực phẩm và chăn "
          "màn đến các làng. Các trường học vẫn đóng cửa vào thứ Ba.")
    c, asked = _compare_noting_encoded(monkeypatch, en, "en", vi, "vi")
    assert not _name_flags(c.flags)
    assert not [t for t in asked if "said it had sent food" in t and "Red Cross" not in t], asked


def test_a_name_that_could_only_be_half_of_a_swap_and_has_no_partner_costs_no_encoding(monkeypatch):
    # in a translation in another script, a source name spelled anew ("Whitehall" / "Уайтхолл")
    # counts only as half of a swap, and no Latin name of the translation could be the other
    # half: whatever the encoder said of the sentence without it, nothing could be flagged, so
    # that sentence is never embedded
    en = ("Thousands joined the march on Saturday. The protesters walked down Whitehall past the old "
          "offices of the ministry. The police said the day passed peacefully.")
    ru = ("В субботу к маршу присоединились тысячи людей. Протестующие прошли по Уайтхоллу мимо старых "
          "зданий министерства. Полиция сообщила, что день прошёл спокойно.")
    c, asked = _compare_noting_encoded(monkeypatch, en, "en", ru, "ru")
    assert not _name_flags(c.flags)
    assert not [t for t in asked if "walked down" in t and "Whitehall" not in t], asked
