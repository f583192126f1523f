"""Reports: a vignette (a one-page portrait of a block or street) and the buurt report, as
printable HTML and as PDF, made for one viewer with every figure under disclosure control.

``vignette.build_report`` gives the report as data; ``render`` turns it into HTML or a PDF.
The package lives inside ``veerkracht.web`` because it is a presentation of the unit pages: it
reuses their page-data builders (``veerkracht.web.pages``), labels, translations and templates,
and the web routes, the CLI (``veerkracht report``) and the JSON twin all call the same builder.
(As a top-level package it imported ``veerkracht.web`` while ``veerkracht.web`` imported its
route, a circular import.) Nothing here imports FastAPI; only ``web/routes/reports.py`` does.
"""
