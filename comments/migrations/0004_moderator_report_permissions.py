"""Let Moderators see and dismiss reader reports (CommentReport)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORT_PERMISSIONS = [
    ("comments", "view_commentreport"),
    ("comments", "change_commentreport"),
]


def grant(apps, schema_editor):
    # Permissions for a model created in the previous migration may not exist yet.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in REPORT_PERMISSIONS:
        moderators.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators:
        for app_label, codename in REPORT_PERMISSIONS:
            moderators.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_reports"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
