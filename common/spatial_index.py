"""Named spatial indexes that work on PostGIS and on SpatiaLite.

A geometry field is declared with `spatial_index=False` and a `GeometryIndex` in its model's
`Meta.indexes`: GeoDjango's own index (`spatial_index=True`) would be a second, unnamed GiST
index on the same column. `NameSpatialIndex` moves an existing field from the one to the
other in a migration without rebuilding anything.
"""

from django.contrib.gis.db.models import GeometryField
from django.contrib.postgres.indexes import GistIndex
from django.db.backends.ddl_references import Statement, Table
from django.db.migrations.operations.base import Operation, OperationCategory
from simple_history.models import HistoricalRecords


class GeometryIndex(GistIndex):
    """A named GiST index on PostGIS. SpatiaLite has no GiST: there the index is SpatiaLite's
    R*Tree (`CreateSpatialIndex`), the one GeoDjango would have made, whose tables SpatiaLite
    names `idx_<table>_<column>` whatever this index is called. Django's SpatiaLite backend
    needs that R*Tree: rebuilding a table (as SQLite does to add a constraint) drops it
    unconditionally."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return self._spatialite_sql(
            "SELECT CreateSpatialIndex(%(table)s, %(column)s)", model, schema_editor
        )

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().remove_sql(model, schema_editor, **kwargs)
        return self._spatialite_sql(
            "SELECT DisableSpatialIndex(%(table)s, %(column)s)", model, schema_editor
        )

    def _spatialite_sql(self, template, model, schema_editor) -> Statement:
        (field_name,) = self.fields
        return Statement(
            template,
            # A Table part, so that SQLite's table rebuild points it at the rebuilt table.
            table=Table(model._meta.db_table, schema_editor.quote_name),
            column=schema_editor.quote_name(model._meta.get_field(field_name).column),
        )


class NameSpatialIndex(Operation):
    """Migration operation: the field's GeoDjango spatial index becomes the `GeometryIndex`
    called `index_name` (the field gets `spatial_index=False`).

    Nothing is rebuilt. PostGIS renames the GiST index GeoDjango made; on SpatiaLite the R*Tree
    GeoDjango made is already what `GeometryIndex` stands for. (`AlterField` + `AddIndex` would
    build a second index on PostGIS, and Django cannot alter a SpatiaLite geometry column.)"""

    category = OperationCategory.ALTERATION
    reversible = True

    def __init__(self, model_name: str, field_name: str, index_name: str):
        self.model_name = model_name
        self.field_name = field_name
        self.index_name = index_name

    def deconstruct(self):
        kwargs = {
            "model_name": self.model_name,
            "field_name": self.field_name,
            "index_name": self.index_name,
        }
        return (self.__class__.__name__, [], kwargs)

    def state_forwards(self, app_label, state):
        model_key = (app_label, self.model_name.lower())
        field = state.models[model_key].fields[self.field_name].clone()
        field.spatial_index = False
        state.alter_field(*model_key, self.field_name, field, preserve_default=True)
        state.add_index(*model_key, GeometryIndex(fields=[self.field_name], name=self.index_name))

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._rename(app_label, schema_editor, from_state, to_named=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._rename(app_label, schema_editor, to_state, to_named=False)

    def _rename(self, app_label, schema_editor, state, *, to_named: bool) -> None:
        model = state.apps.get_model(app_label, self.model_name)
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or not self.allow_migrate_model(
            connection.alias, model
        ):
            return
        # The name PostGIS's schema editor gives the index of a spatial_index=True field
        # (and looks for when it drops one).
        geodjango_name = schema_editor._create_spatial_index_name(
            model, model._meta.get_field(self.field_name)
        )
        old, new = (
            (geodjango_name, self.index_name) if to_named else (self.index_name, geodjango_name)
        )
        schema_editor.execute(
            schema_editor.sql_rename_index
            % {"old_name": schema_editor.quote_name(old), "new_name": schema_editor.quote_name(new)}
        )

    def describe(self):
        return f"Name the spatial index of {self.model_name}.{self.field_name} {self.index_name}"

    @property
    def migration_name_fragment(self):
        return self.index_name


class HistoricalRecordsWithShapes(HistoricalRecords):
    """simple-history's records for a model with geometry fields: the history tables keep
    GeoDjango's unnamed spatial index (`spatial_index=True`). simple-history copies fields but
    not `Meta.indexes`, so a history table could not have a `GeometryIndex`, and on SpatiaLite
    a geometry column without any spatial index breaks the next table rebuild."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for field in fields.values():
            if isinstance(field, GeometryField):
                field.spatial_index = True
        return fields
