"""Flat import/export of units in the admin (django-import-export), written through the units service."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from common.resources import ServiceResource
from units.models import Commune, Unit
from units.services import unit_derive, unit_save


class UnitResource(ServiceResource):
    commune = fields.Field(
        attribute="commune", column_name="commune_id", widget=ForeignKeyWidget(Commune, "pk")
    )

    class Meta:
        model = Unit
        fields = ["id", "commune", "name", "short_name", "kind", "aliases", "active"]
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = False
        clean_model_instances = True

    def derive(self, instance: Unit) -> None:
        unit_derive(unit=instance)

    def save_row(self, instance: Unit) -> None:
        unit_save(unit=instance)
