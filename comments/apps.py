from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from comments import checks  # noqa: F401 - registers the system checks

        post_migrate.connect(_recount_tally, sender=self)


def _recount_tally(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """
    After migrate, and after flush (which empties the tables in any order on
    SQLite, so that deleted comments may take from an emptied tally), the
    tally is set from the comments themselves.
    """
    from django.db import connection

    from comments import tally

    if using != DEFAULT_DB_ALIAS:
        return
    if tally.TABLE not in connection.introspection.table_names():
        return  # migrated back past it
    tally.recount()
