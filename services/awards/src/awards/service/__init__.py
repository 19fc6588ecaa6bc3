"""Use cases of the awards service, one module per part of the process."""
