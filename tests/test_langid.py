"""Language detection, restricted to candidate languages, with script shortcuts."""
import pytest

from transcompare.errors import LanguageError
from transcompare.text.langid import detect

SAMPLES = {
    "en": "The government said on Tuesday that the new bridge would open next spring.",
    "vi": "Chính phủ cho biết hôm thứ Ba rằng cây cầu mới sẽ thông xe vào mùa xuân tới.",
    "de": "Die Regierung teilte am Dienstag mit, dass die neue Brücke im nächsten Frühjahr öffnet.",
    "fr": "Le gouvernement a annoncé mardi que le nouveau pont ouvrirait au printemps prochain.",
    "es": "El gobierno dijo el martes que el nuevo puente abrirá la próxima primavera.",
    "zh": "政府周二表示，这座新桥将于明年春天通车。",
    "ru": "Правительство во вторник заявило, что новый мост откроется следующей весной.",
    "ar": "قالت الحكومة يوم الثلاثاء إن الجسر الجديد سيفتتح في الربيع المقبل.",
    "ja": "政府は火曜日、新しい橋が来年の春に開通すると発表した。",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects(lang):
    assert detect(SAMPLES[lang])[0] == lang


def test_candidates_restrict_the_choice():
    text = "Het kabinet zei dinsdag dat de nieuwe brug volgend voorjaar opengaat."
    assert detect(text, ("de", "en"))[0] in ("de", "en")


def test_too_little_text_asks_for_the_language():
    with pytest.raises(LanguageError, match="--source-lang"):
        detect("123 456 !!", path="x.txt")


def test_candidates_of_one_call_do_not_narrow_the_next():
    text = "Het kabinet zei dinsdag dat de nieuwe brug volgend voorjaar opengaat, later dan gepland."
    assert detect(text, ("de", "en"))[0] in ("de", "en")
    assert detect(text)[0] == "nl"
