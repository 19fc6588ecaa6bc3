"""The portal's pages, one module per role (and the pages everyone shares)."""
