"""Dataclasses, enums and column specs shared by every layer; no I/O."""
