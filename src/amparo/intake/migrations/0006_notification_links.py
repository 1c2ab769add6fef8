from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_queue_work"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="link",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.AddField(
            model_name="notification",
            name="object_id",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
    ]
