"""Directory: who to contact in any country, kept true (issue 3)."""
