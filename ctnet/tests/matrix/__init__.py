"""The authorisation matrix (issue 13, item 10): routes, signed-in people, objects made."""
