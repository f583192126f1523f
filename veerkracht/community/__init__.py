"""Build on what is there: assets of residents and places, active residents, initiatives.

Asset Based Community Development (ABCD) in data: who may see what is decided in
``audience.py``, one place, for the web, the exports and the reports alike.
"""
