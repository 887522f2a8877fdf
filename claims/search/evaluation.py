"""How well matching finds earlier checks: our own paraphrase pairs, and pairs that must
not match, with precision and recall at a threshold (`manage.py evaluate_matching`,
tests/test_matching_pairs.py).

EARLIER are checked claims; each QUERY is a new claim with the EARLIER claims it should
match (by index; none for the claims that must match nothing). The paraphrases change
word order, tense, synonyms and how numbers are written; the near misses share the
topic and most words but not the claim (another figure, another place, the opposite
direction where that changes the claim).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

EARLIER = [
    "Unemployment rose to 5.2% in March, the highest level in three years.",  # 0
    "The government spent £1.5 billion on the new railway line last year.",  # 1
    "Violent crime in the city fell by 12 percent between 2019 and 2023.",  # 2
    "More than 40,000 children in the region are waiting for a school place.",  # 3
    "The minister said the hospital waiting list has doubled since 2020.",  # 4
    "Electric cars made up one in five new vehicles sold in Norway in 2015.",  # 5
    "The mayor promised to build 10,000 affordable homes by 2030.",  # 6
    "Only 3% of plastic waste in the country is recycled.",  # 7
    "Average rents in the capital increased by 9 percent in a single year.",  # 8
    "The drug trial found the vaccine was 95% effective against severe illness.",  # 9
    "Teachers' pay has been cut by a fifth in real terms since 2010.",  # 10
    "The river flooded 2,000 homes in the valley during the storm.",  # 11
    "Smoking rates among teenagers have halved over the past decade.",  # 12
    "The company paid no corporation tax in the United Kingdom last year.",  # 13
    "Wind power generated more electricity than coal for the first time in 2024.",  # 14
    "Police numbers have dropped by 20,000 officers since 2010.",  # 15
    "The bridge cost 300 million dollars, twice the original estimate.",  # 16
    "Obesity among adults has tripled since the 1980s.",  # 17
    "The new law will let pharmacists prescribe antibiotics without a doctor.",  # 18
    "Immigration added 700,000 people to the population in 2023.",  # 19
    "Food prices rose by 19 percent in the year to April, a 45-year high.",  # 20
    "The president claimed that the border wall has stopped all illegal crossings.",  # 21
    "Half of all nurses are thinking of leaving the profession.",  # 22
    "The football stadium will be paid for entirely by private money.",  # 23
    "Measles cases in Europe rose thirty-fold in 2023.",  # 24
]


@dataclass(frozen=True)
class Query:
    text: str
    expected: frozenset[int]
    note: str = ""


def _q(text: str, *expected: int, note: str = "") -> Query:
    return Query(text, frozenset(expected), note)


QUERIES = [
    # Paraphrases: each should find its earlier check.
    _q("In March the jobless rate climbed to 5.2 per cent, a three-year high.", 0),
    _q("Last year the government spent 1.5 billion pounds on the new rail line.", 1),
    _q("Between 2019 and 2023, violent crime dropped 12% in the city.", 2),
    _q("Over 40000 kids in the region are still waiting for a place at school.", 3),
    _q("Hospital waiting lists have doubled since 2020, according to the minister.", 4),
    _q("In 2015 one in five new cars sold in Norway was electric.", 5),
    _q("10,000 affordable homes will be built by 2030, the mayor pledged.", 6),
    _q("Just 3 percent of the country's plastic waste gets recycled.", 7),
    _q("Rents in the capital went up 9% on average in one year.", 8),
    _q("The vaccine is 95 per cent effective against severe illness, the trial found.", 9),
    _q("Since 2010 teachers' pay has been cut by a fifth in real terms.", 10),
    _q("During the storm two thousand homes in the valley were flooded by the river.", 11),
    _q("Over the past decade teenage smoking rates have halved.", 12),
    _q("Last year the company paid zero corporation tax in the UK.", 13),
    _q("For the first time, in 2024, wind generated more electricity than coal.", 14),
    _q("There are 20,000 fewer police officers than in 2010.", 15),
    _q("At $300 million the bridge cost double the original estimate.", 16),
    _q("Adult obesity has tripled since the 1980s.", 17),
    _q("Pharmacists will be able to prescribe antibiotics without a doctor under the law.", 18),
    _q("The population grew by 700,000 people in 2023 because of immigration.", 19),
    _q("Food prices increased 19% in the year to April, the highest in 45 years.", 20),
    _q("The border wall has stopped all illegal crossings, the president said.", 21),
    _q("50% of nurses are considering leaving the profession.", 22, note="half vs 50%"),
    _q("Private money alone will pay for the new football stadium.", 23),
    _q("Cases of measles in Europe increased thirtyfold in 2023.", 24),
    # Harder: another language, numbers in words the reader doesn't parse, other words.
    _q(
        "Le chômage a atteint 5,2 % en mars, son plus haut niveau depuis trois ans.",
        0,
        note="French",
    ),
    _q(
        "The railway line cost the taxpayer one and a half billion pounds last year.",
        1,
        note="one and a half billion",
    ),
    _q("Joblessness hit a three-year peak of 5.2% in March.", 0, note="other words"),
    # Near misses: same topic, another claim. They must match nothing.
    _q("Unemployment fell to 3.1% in March, the lowest level in a decade."),
    _q("The government spent £40 million on cycle lanes last year."),
    _q("Burglaries in the city rose by 30 percent between 2015 and 2017."),
    _q("More than 5,000 teachers in the region quit last year."),
    _q("Electric cars are banned from bus lanes in Oslo."),
    _q("The mayor promised free bus travel for pensioners."),
    _q("Glass recycling rates reached 76% in Germany."),
    _q("House prices in the capital fell by 2 percent last year."),
    _q("The flu vaccine was 40% effective last winter."),
    _q("Doctors' pay rose by 6 percent this year."),
    _q("Coal mines employed 200,000 workers in 1980."),
    _q("The stadium will hold 60,000 fans."),
    _q("Measles vaccination rates in Africa rose to 70% in 2022."),
    _q("The company's profits doubled to $2 billion last year."),
    _q("Nurses will get a 5% pay rise from April."),
]


@dataclass(frozen=True)
class Result:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    misses: list[str]
    wrong: list[str]

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def scores() -> list[dict[int, float]]:
    """For each query, the similarity of each EARLIER claim the engine retrieved, found
    through the real index: the EARLIER claims are imported as an article (one claim
    each) and indexed for matching as checked claims, in a transaction that is rolled
    back afterwards."""
    from ..importing import article_import
    from . import matching
    from .indexing import match_index_as_checked

    with transaction.atomic():
        article = article_import(
            data="\n\n".join(EARLIER), title="Matching evaluation (rolled back)"
        ).article
        match_index_as_checked(article.claims.all())
        index = dict(article.claims.values_list("pk", "ordinal"))
        found = []
        for query in QUERIES:
            similar = matching.similar(query.text, limit=50, threshold=0.0)
            found.append({index[s.claim.pk] - 1: s.score for s in similar if s.claim.pk in index})
        transaction.set_rollback(True)
    return found


def evaluate(found: list[dict[int, float]], threshold: float) -> Result:
    tp = fp = fn = 0
    misses, wrong = [], []
    for query, scored in zip(QUERIES, found, strict=True):
        predicted = {i for i, s in scored.items() if s >= threshold}
        tp += len(predicted & query.expected)
        fp += len(predicted - query.expected)
        fn += len(query.expected - predicted)
        for i in query.expected - predicted:
            misses.append(f"{query.text!r} ~ {EARLIER[i]!r}: {scored.get(i, 0):.2f}")
        for i in predicted - query.expected:
            wrong.append(f"{query.text!r} ~ {EARLIER[i]!r}: {scored[i]:.2f}")
    return Result(threshold, tp, fp, fn, misses, wrong)
