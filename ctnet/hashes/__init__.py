"""Hashes of known terrorist content (capability S5, GIFCT-style hash sharing).

Member platforms share hashes of images already judged to be terrorist content, so that each can
catch re-uploads before they are seen by everyone. The Django-free engine in ``engine/`` computes
the hashes (PDQ, MD5, SHA-256) and matches them against a bank; see ``docs/hashes.md``.
"""
