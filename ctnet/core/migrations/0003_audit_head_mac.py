"""The audit head is signed: an HMAC with the audit key over its count and last hash.

The existing head (or, on a database that has none yet, the genesis head) is signed here, so
that from now on a missing or unsigned head is a break of the chain (``ctnet audit verify``).
Only ``core_audithead`` changes; the append-only trigger on ``core_auditevent`` (0002, on
PostgreSQL) is not touched, and the events themselves are not rewritten.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _head_mac(count, last_hash):
    # Frozen copy of ``core.audit.head_mac``: a migration must not change when the code does.
    message = f"ctnet-audit-head:{count}:{last_hash}".encode()
    return hmac.new(settings.AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


def sign_head(apps, schema_editor):
    AuditHead = apps.get_model("core", "AuditHead")
    AuditEvent = apps.get_model("core", "AuditEvent")
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if AuditEvent.objects.exists():
            return  # a head lost before this migration: verify reports it, nothing is invented
        head = AuditHead(id=1, last_hash=GENESIS, count=0)
    # Without a key (settings loaded for a command only) the head stays unsigned: verify says so,
    # and the first audited write under a configured key cannot sign it either (see audit.py).
    head.mac = _head_mac(head.count, head.last_hash) if settings.AUDIT_KEY else ""
    head.save()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [
        migrations.AddField(
            model_name="audithead",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(sign_head, migrations.RunPython.noop),
    ]
