"""Django-free FTF screening engine: importers, name normalisation, candidate index, scoring.

Nothing here decides anything: the engine returns *possible matches with evidence* for an
official to review (DESIGN rule 4, "No automated decisions").
"""
