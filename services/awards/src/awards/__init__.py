"""Awards: catalogue and rules, candidates, council sessions, decisions, upward proposals, award history."""
