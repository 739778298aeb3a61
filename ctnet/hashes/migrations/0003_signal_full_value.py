from django.db import migrations, models


class Migration(migrations.Migration):
    """vPDQ video hashes: the whole list of frames beside the SHA-256 that stands for it."""

    dependencies = [
        ("hashes", "0002_index_epoch"),
    ]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="full_value",
            field=models.TextField(blank=True, default=""),
        ),
    ]
