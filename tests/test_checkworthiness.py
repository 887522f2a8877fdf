import pytest

from claims.checkworthiness import assess, describe


def features(sentence: str, **kwargs) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for reason in assess(sentence, **kwargs)[1]:
        found.setdefault(reason["feature"], []).append(reason["match"])
    return found


def test_checkable_facts_raise_the_score():
    found = features("Russia said on 3 March 2021 that 40% of the 1,200 troops had left Daraa.")
    assert found["number"] == ["3", "2021", "40", "1,200"]
    assert "March" in found["date"]
    assert "2021" in found["date"]
    assert "%" in found["quantity"]
    assert found["attributed statement"] == ["said"]
    assert "Russia" in found["named actor"]
    assert "Daraa" in found["named actor"]


def test_opinion_and_hedging_lower_the_score():
    found = features("It was, in effect, a brutal move that perhaps ought to be condemned.")
    assert found["opinion marker"] == ["in effect", "ought to"]
    assert found["evaluative word"] == ["brutal"]
    assert found["hedging"] == ["perhaps"]


def test_a_factual_sentence_outscores_an_opinion():
    fact, _ = assess(
        "The regime has vowed to continue the bombardment, the ministry said on Monday."
    )
    opinion, _ = assess("This latest confrontation ought to come as no surprise for many reasons.")
    assert fact >= 0.5 > opinion


def test_questions_headings_and_short_sentences_score_low():
    assert "question" in features("Did the minister really say that?")
    assert features("Daraa was different.")["short sentence"] == ["3 words"]
    score, reasons = assess("An attempt at international display", is_heading=True)
    assert score < 0.5
    assert reasons[-1]["feature"] == "heading"


def test_the_month_may_is_not_taken_for_hedging():
    found = features("The minister resigned in May 2020, officials said.")
    assert "hedging" not in found
    assert "May" in found["date"]


def test_numbers_inside_names_are_not_counted_as_figures():
    assert "number" not in features("Russian weakness has been exacerbated by Covid-19.")


@pytest.mark.parametrize(
    "sentence",
    ["", "...", "A" * 5000, "ought to " * 100, "<script>alert(1)</script> said 5 times"],
)
def test_scores_stay_between_zero_and_one(sentence):
    score, reasons = assess(sentence)
    assert 0 <= score <= 1
    assert all(isinstance(describe(r), str) for r in reasons)


def test_reasons_read_as_text():
    assert describe({"feature": "number", "match": "23", "weight": 0.2}) == "number: 23 (+0.20)"
