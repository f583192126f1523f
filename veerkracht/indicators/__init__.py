"""Indicators per unit: one file per indicator, listed in registry.py."""
