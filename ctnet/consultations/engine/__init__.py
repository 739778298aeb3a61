"""Consultation engines, free of Django: theme proposals and the opinion map (scikit-learn)."""
