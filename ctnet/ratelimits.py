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
# Limits stop attackers, not colleagues: an office behind one gateway shares an address, and a
# stranger can type anyone's username. So nothing a stranger does from elsewhere locks a person
# out, and nothing one colleague's broken script does locks out the next desk.
#
# Wrong passwords from one address (any accounts): a credential-stuffing run. Charged on failure
# only, so that a shared office gateway signs in all morning.
LOGIN_PER_IP = Rule("login-ip", capacity=30, per=timedelta(minutes=15))
# Wrong passwords for one account from one address: the lock-out. It stops the guesser at that
# address; the owner, elsewhere, still signs in (a lock per account alone let anyone lock anyone).
LOGIN_PER_ACCOUNT_AND_IP = Rule("login-account-ip", capacity=8, per=timedelta(minutes=15))
# Wrong passwords for one account from anywhere: not a lock (see above) but a signal. When it runs
# out, the account sees a distributed guessing run, and its owner is told by e-mail ...
LOGIN_FAILURES_PER_ACCOUNT = Rule("login-fail-account", capacity=20, per=timedelta(hours=1))
# ... at most once a day, so that the warning cannot itself be turned into a mail flood.
LOGIN_FAILURE_NOTICES_PER_ACCOUNT = Rule("login-notice-account", capacity=1, per=timedelta(days=1))
# Second-factor codes for one account: a 6-digit code must not be guessable in its 30 s window.
# Only someone who has just given the right password reaches this step, so no stranger can
# exhaust it.
OTP_PER_ACCOUNT = Rule("otp-account", capacity=6, per=timedelta(minutes=15))
# Invalid API tokens from one address: token scanning. A valid token is checked first and never
# refused by this count (an expired token in one script must not stop a whole office's tokens).
TOKEN_FAILURES_PER_IP = Rule("token-fail-ip", capacity=20, per=timedelta(minutes=10))
# Invalid secrets presented with one token prefix, from any address: guessing one token's secret
# from many addresses, or a script retrying its expired token; the valid token is still accepted.
TOKEN_FAILURES_PER_PREFIX = Rule("token-fail-prefix", capacity=20, per=timedelta(minutes=10))
# Invitation acceptance attempts from one address: guessing invitation secrets.
INVITE_PER_IP = Rule("invite-ip", capacity=20, per=timedelta(minutes=15))

# --- Directory ---------------------------------------------------------------------------------
# Guessing communication-test receipt links from one address; a real recipient clicks once.
DIRECTORY_RECEIPT_PER_IP = Rule("directory-receipt-ip", capacity=20, per=timedelta(minutes=15))

# --- Consultations ------------------------------------------------------------------------------
# Submissions through a consultation's public link from one address, wrong tokens and refused
# forms included: a script flooding a public consultation, or guessing links. Generous, since a
# workshop on one Wi-Fi or a mobile carrier's shared address is many honest senders; sized by the
# deployment (CTNET_CONSULTATIONS_PUBLIC_SUBMISSIONS_PER_HOUR). The subject is a keyed hash of the
# address (an IPv6 address by its /64), so the bucket table cannot be searched for an address.
CONSULTATION_PUBLIC_SUBMISSIONS_PER_IP = Rule(
    "consultation-public-ip",
    capacity=30,
    per=timedelta(hours=1),
    capacity_setting="CONSULTATIONS_PUBLIC_SUBMISSIONS_PER_HOUR",
)

# --- Practices ---------------------------------------------------------------------------------
# Library searches per person: a reader's pace, page after page; not a script copying the library
# through the search box (every query also runs the sentence encoder).
# Sized by the deployment (CTNET_PRACTICE_SEARCHES_PER_MINUTE).
PRACTICE_SEARCHES_PER_USER = Rule(
    "practice-search-user",
    capacity=60,
    per=timedelta(minutes=1),
    capacity_setting="PRACTICE_SEARCHES_PER_MINUTE",
)

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
    LOGIN_PER_ACCOUNT_AND_IP,
    LOGIN_FAILURES_PER_ACCOUNT,
    LOGIN_FAILURE_NOTICES_PER_ACCOUNT,
    OTP_PER_ACCOUNT,
    TOKEN_FAILURES_PER_IP,
    TOKEN_FAILURES_PER_PREFIX,
    INVITE_PER_IP,
    DIRECTORY_RECEIPT_PER_IP,
    CONSULTATION_PUBLIC_SUBMISSIONS_PER_IP,
    PRACTICE_SEARCHES_PER_USER,
    HASH_QUERIES_PER_USER,
    SCREENING_TRAVELLERS_PER_USER,
)
