from awards.domain.candidacy import GIAY_KHEN_XA_YEARLY, is_candidate


def test_the_default_rule_proposes_from_the_good_band_up() -> None:
    assert is_candidate(GIAY_KHEN_XA_YEARLY, total=80.0)
    assert not is_candidate(GIAY_KHEN_XA_YEARLY, total=79.99)
