"""Editors upload pictures and write corrections; revisions need no permission of their own."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEWSROOM_MODELS = ["image", "correction"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="articles", content_type__model__in=NEWSROOM_MODELS
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    editors.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_newsroom_images_revisions_corrections")]

    operations = [migrations.RunPython(grant, revoke)]
