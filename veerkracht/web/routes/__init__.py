"""Routes per page family; each parses input, calls one page-data builder and renders it."""
