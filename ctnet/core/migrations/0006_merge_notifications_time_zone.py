# Two branches of issue 14 each added a core migration (notifications and e-mail preferences;
# the profile's time zone); they touch different fields and are independent.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_notifications"),
        ("core", "0005_profile_time_zone"),
    ]

    operations = []
