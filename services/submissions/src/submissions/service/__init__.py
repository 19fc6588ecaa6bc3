"""Use cases of the submissions service, one module per aggregate. Entry points call these."""
