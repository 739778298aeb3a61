"""Background tasks of the practice library, run by ``ctnet worker``."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django_tasks import task

from ctnet.practices.engine import embedder
from ctnet.practices.models import Practice, SearchIndexState


def embedding_text(practice: Practice) -> str:
    return embedder.document_text(practice.title, practice.summary)


def text_digest(text: str) -> str:
    return hashlib.sha256(f"{embedder.MODEL_NAME}\n{text}".encode()).hexdigest()


@task()
def embed_practice(practice_id: int) -> bool:
    """Compute and store the embedding of one practice; False when it was already current."""
    practice = Practice.objects.filter(pk=practice_id).first()
    if practice is None:
        return False
    text = embedding_text(practice)
    digest = text_digest(text)
    if practice.embedding is not None and practice.embedding_digest == digest:
        return False
    # Encoded outside the transaction: the write lock is held only for the two small updates.
    blob = embedder.to_bytes(embedder.encode_one(text))
    with transaction.atomic():
        # Only if the text is still the one we embedded: a newer edit has queued its own task.
        updated = Practice.objects.filter(
            pk=practice_id, title=practice.title, summary=practice.summary
        ).update(embedding=blob, embedding_digest=digest)
        if updated:
            SearchIndexState.bump()
    return bool(updated)
