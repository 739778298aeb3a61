"""Every write of monitoring: one function each, in one transaction, with its audit row.

``projects``: projects, partners, budgets, disbursements, documents, markings.
``framework``: results, indicators, periods and their locks.
``reporting``: period updates through draft -> submitted -> returned -> approved, and evidence.
``iati_import``: an IATI activity file, all or nothing.
"""
