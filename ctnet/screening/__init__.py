"""Screening of travellers against watchlists of foreign terrorist fighters (S4)."""
