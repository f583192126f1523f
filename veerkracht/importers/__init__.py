"""One module per source; source field names stop here."""
