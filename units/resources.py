"""Flat import/export of units in the admin (django-import-export)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from common.excel import escape_formula
from common.text import clean_text, unit_key
from units.models import Commune, Unit


class UnitResource(resources.ModelResource):
    commune = fields.Field(
        attribute="commune", column_name="commune_id", widget=ForeignKeyWidget(Commune, "pk")
    )

    class Meta:
        model = Unit
        fields = ["id", "commune", "name", "short_name", "kind", "aliases", "active"]
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = False
        use_transactions = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.name = clean_text(instance.name)
        instance.match_key = unit_key(instance.name)

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))
