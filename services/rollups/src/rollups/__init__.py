"""Provincial rollups: read models built only from events, and the reports built on them."""
