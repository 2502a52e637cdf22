"""Editors keep the redirect table: they are the ones who move articles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def _redirect_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="newsarchive", content_type__model="redirect"
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    editors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    editors.permissions.add(*_redirect_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(*_redirect_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("newsarchive", "0003_redirects"),
        ("articles", "0002_editor_and_moderator_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
