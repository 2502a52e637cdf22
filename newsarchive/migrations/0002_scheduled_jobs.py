from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsarchive", "0001_fragment_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScheduledJob",
            fields=[
                (
                    "name",
                    models.CharField(max_length=100, primary_key=True, serialize=False),
                ),
                ("next_run_at", models.DateTimeField()),
                ("last_run_at", models.DateTimeField(blank=True, null=True)),
                ("last_run_by", models.CharField(blank=True, max_length=200)),
                ("last_task_id", models.CharField(blank=True, max_length=100)),
                ("last_error", models.TextField(blank=True)),
            ],
        ),
    ]
