"""Good-practice library with search across the six UN languages (issue 4)."""
