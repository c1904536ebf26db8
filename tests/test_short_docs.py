"""Documents of two or three sentences: too short to learn a length ratio from, so the encoder's
ratio for the language pair stands in (the document's own total would absorb a drop)."""
from transcompare import compare_documents, document_from_text

EN = ("The museum will reopen on Saturday after a two-year renovation. "
      "Visitors can see a new wing dedicated to the history of the harbour and its shipyards. "
      "Entry will be free during the first week.")


def run(text, lang, encoder):
    return compare_documents(document_from_text(EN, "en"), document_from_text(text, lang), encoder)


def test_a_sentence_left_out_of_a_three_sentence_document_is_dropped(encoder):
    c = run("Das Museum öffnet am Samstag nach zweijähriger Renovierung wieder. "
            "In der ersten Woche ist der Eintritt frei.", "de", encoder)
    assert [(f.kind, f.source) for f in c.flags] == [("dropped", (1,))]
    c = run("The museum will reopen on Saturday after a two-year renovation. "
            "Entry will be free during the first week.", "en", encoder)
    assert [(f.kind, f.source) for f in c.flags] == [("dropped", (1,))]


def test_the_full_translation_is_not_flagged(encoder):
    c = run("Das Museum öffnet am Samstag nach zweijähriger Renovierung wieder. "
            "Besucher können einen neuen Flügel sehen, der der Geschichte des Hafens und seiner Werften "
            "gewidmet ist. In der ersten Woche ist der Eintritt frei.", "de", encoder)
    assert c.flags == ()
    assert [b.kind for b in c.alignment.beads] == ["1-1", "1-1", "1-1"]


def test_the_encoder_knows_typical_length_ratios(encoder):
    assert encoder.log_length_ratio("en", "fr") > encoder.log_length_ratio("en", "zh")
    assert encoder.log_length_ratio("fr", "en") == -encoder.log_length_ratio("en", "fr")
    assert encoder.log_length_ratio("en", "xx") == 0.0
    assert encoder.log_length_ratio("en-GB", "en") == 0.0
