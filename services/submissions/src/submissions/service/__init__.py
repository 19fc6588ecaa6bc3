"""Use cases of the submissions service, one module per aggregate or process. Entry points call these."""
