"""Signals and worries: intake, routing, workflow, notification, retention, Open311, demo.

The web layer and the CLI call the service functions here; only ``veerkracht.storage`` speaks
SQL. ``change_signal`` in ``workflow.py`` is the one door for every change of a signal.
"""
