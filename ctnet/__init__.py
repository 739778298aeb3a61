"""ctnet: platform of the Global Network of Counter-Terrorism Coordinators."""
