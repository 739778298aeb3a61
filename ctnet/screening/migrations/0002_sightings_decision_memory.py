"""Re-screening attaches to the existing hit (issue 12, item 2).

Remembered false positives become remembered decisions (false positive, inconclusive, confirmed);
a hit records every run that found it (``HitSighting``), and each existing hit gets the sighting
of the run that raised it, so that "the hits of a run" is one question for old and new rows.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

BATCH = 500


def first_sightings(apps, schema_editor):
    Hit = apps.get_model("screening", "Hit")
    HitSighting = apps.get_model("screening", "HitSighting")
    batch = []
    for hit in Hit.objects.only("pk", "run_id", "traveller_ref", "score", "created_at").iterator(
        chunk_size=BATCH
    ):
        batch.append(
            HitSighting(
                hit_id=hit.pk,
                run_id=hit.run_id,
                traveller_ref=hit.traveller_ref,
                score=hit.score,
                at=hit.created_at,
            )
        )
        if len(batch) >= BATCH:
            HitSighting.objects.bulk_create(batch)
            batch = []
    HitSighting.objects.bulk_create(batch)
    Hit.objects.update(last_seen_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("FalsePositiveMemory", "DecisionMemory"),
        migrations.AddField(
            model_name="decisionmemory",
            name="name_key",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="decisionmemory",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("OPEN", "To review"),
                    ("PROPOSED", "Confirmation proposed: needs a second reviewer"),
                    ("CONFIRMED", "Confirmed"),
                    ("FALSE_POSITIVE", "False positive"),
                    ("INCONCLUSIVE", "Inconclusive"),
                ],
                default="FALSE_POSITIVE",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="decisionmemory",
            name="hit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="screening.hit",
            ),
        ),
        migrations.AddField(
            model_name="hit",
            name="name_key",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="hit",
            name="earlier_decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="screening.decisionmemory",
            ),
        ),
        migrations.AddField(
            model_name="hit",
            name="times_seen",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="hit",
            name="last_seen_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="screeningrun",
            name="seen_again",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="HitSighting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("traveller_ref", models.CharField(blank=True, max_length=64)),
                ("score", models.FloatField()),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "hit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sightings",
                        to="screening.hit",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sightings",
                        to="screening.screeningrun",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("hit", "run"), name="screening_sighting_unique")
                ],
            },
        ),
        migrations.RunPython(first_sightings, migrations.RunPython.noop),
    ]
