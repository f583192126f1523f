"""veerkracht: load against capacity of Dutch neighbourhoods, below the buurt."""

__version__ = "0.1.0"
