"""Every rate-limit rule of the platform, in one table (STYLE.md 6).

Each rule is a token bucket kept in the database (``ctnet.core.ratelimit``), so every server
worker sees the same counts. Subjects (addresses, usernames, user ids) are hashed in the bucket
key. The table sits above the apps, like the settings: core's sign-in rules and the capabilities'
rules side by side, so the limits a deployment runs under are read in one place. A test checks
that no other module makes a rule of its own.
"""

from __future__ import annotations

from datetime import timedelta

from ctnet.core.ratelimit import Rule

# --- Signing in (core) -------------------------------------------------------------------------
# Password guesses from one address: generous enough for a shared office NAT, far too few for
# a credential-stuffing run.
LOGIN_PER_IP = Rule("login-ip", capacity=30, per=timedelta(minutes=15))
# Guesses against one account from anywhere: stops slow distributed guessing of one password.
LOGIN_PER_ACCOUNT = Rule("login-account", capacity=8, per=timedelta(minutes=15))
# Second-factor codes for one account: a 6-digit code must not be guessable in its 30 s window.
OTP_PER_ACCOUNT = Rule("otp-account", capacity=6, per=timedelta(minutes=15))
# Invalid API tokens from one address: token scanning.
TOKEN_FAILURES_PER_IP = Rule("token-fail-ip", capacity=20, per=timedelta(minutes=10))
# Invitation acceptance attempts from one address: guessing invitation secrets.
INVITE_PER_IP = Rule("invite-ip", capacity=20, per=timedelta(minutes=15))

# --- Directory ---------------------------------------------------------------------------------
# Guessing communication-test receipt links from one address; a real recipient clicks once.
DIRECTORY_RECEIPT_PER_IP = Rule("directory-receipt-ip", capacity=20, per=timedelta(minutes=15))

# --- Practices ---------------------------------------------------------------------------------
# Library searches per person: a reader's pace, page after page; not a script copying the library
# through the search box (every query also runs the sentence encoder).
PRACTICE_SEARCHES_PER_USER = Rule("practice-search-user", capacity=60, per=timedelta(minutes=1))

# --- Hashes ------------------------------------------------------------------------------------
# Hashing and matching calls per person: a platform's batch job runs well within it (1,000
# hashes a call); a runaway script or an attempt to map the banks by probing does not.
HASH_QUERIES_PER_USER = Rule("hash-queries-user", capacity=120, per=timedelta(minutes=1))

# --- Screening ---------------------------------------------------------------------------------
# Travellers screened per person and hour, counted in travellers, not calls: one upload of 800
# passengers costs 800. Sized by the deployment (CTNET_SCREENING_TRAVELLERS_PER_HOUR): a border
# agency's hourly flow differs from a country's.
SCREENING_TRAVELLERS_PER_USER = Rule(
    "screening-travellers-user",
    capacity=50_000,
    per=timedelta(hours=1),
    capacity_setting="SCREENING_TRAVELLERS_PER_HOUR",
)

ALL_RULES = (
    LOGIN_PER_IP,
    LOGIN_PER_ACCOUNT,
    OTP_PER_ACCOUNT,
    TOKEN_FAILURES_PER_IP,
    INVITE_PER_IP,
    DIRECTORY_RECEIPT_PER_IP,
    PRACTICE_SEARCHES_PER_USER,
    HASH_QUERIES_PER_USER,
    SCREENING_TRAVELLERS_PER_USER,
)
