from rollups.service import CommuneFigures, totals


def test_the_province_mean_weighs_every_scored_submission() -> None:
    figures = [
        CommuneFigures(commune="a", submitted=3, returned=0, withdrawn=0, scored=3, candidates=1, average_score=90.0),
        CommuneFigures(commune="b", submitted=2, returned=0, withdrawn=0, scored=1, candidates=0, average_score=60.0),
        CommuneFigures(commune="c", submitted=1, returned=0, withdrawn=0, scored=0, candidates=0, average_score=None),
    ]
    line = totals(figures)
    assert (line.submitted, line.scored, line.candidates) == (6, 4, 1)
    assert line.average_score == 82.5  # (3 × 90 + 60) / 4, not the mean of means (75)


def test_no_scores_no_mean() -> None:
    assert totals([]).average_score is None
