"""Use cases of the scoring service, one module per concern. Entry points call these."""
