"""Profiles, warnings, positive deviance, suggestions — and disclosure control."""
