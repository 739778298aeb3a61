"""Secure exchange: requests between coordinators, bulletins, originator control (issue 5)."""
