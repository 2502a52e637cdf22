"""
Many new rows of one model at once, for an import's batches: bulk_create,
but on PostgreSQL by COPY, which spares the SQL compiler and the parameter
arrays that make most of bulk_create's time for tens of thousands of rows.
"""

from django.db import DEFAULT_DB_ALIAS, connections, models

# Rows per INSERT where there is no COPY.
BULK_ROWS = 1000


def insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Save new `objs` as bulk_create does (their pks are set), no signals."""
    if not objs:
        return
    # The connection itself: each attribute read through django.db.connection
    # is a thread-local look-up, and the loop below makes one per value.
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BULK_ROWS)
        return
    opts = model._meta
    fields = list(opts.concrete_fields)
    table = connection.ops.quote_name(opts.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        # The ids first, from the table's own sequence, as an INSERT takes them.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            obj.pk = pk
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(
                    [
                        f.get_db_prep_save(f.pre_save(obj, add=True), connection)
                        for f in fields
                    ]
                )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
