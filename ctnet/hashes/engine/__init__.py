"""Django-free hash engine: signal types, file hashing and the matching index.

Public API::

    from ctnet.hashes.engine.signals import SIGNAL_TYPES, get_signal_type, PdqSignal
    from ctnet.hashes.engine.hashing import hash_file, hash_bytes, FileHashes
    from ctnet.hashes.engine.index import PdqIndex, MatchIndex, Match
"""
