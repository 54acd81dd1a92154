"""Flat import/export of plan headers in the admin, written through the plans service; sections and rows
come with the plan import."""

from import_export import fields
from import_export.widgets import DateWidget, ForeignKeyWidget

from common.resources import ServiceResource
from plans.models import Plan
from plans.services import plan_save
from units.models import Commune


class PlanResource(ServiceResource):
    commune = fields.Field(
        attribute="commune", column_name="commune_id", widget=ForeignKeyWidget(Commune, "pk")
    )
    issue_date = fields.Field(attribute="issue_date", column_name="issue_date", widget=DateWidget("%d/%m/%Y"))
    period_start = fields.Field(
        attribute="period_start", column_name="period_start", widget=DateWidget("%d/%m/%Y")
    )
    period_end = fields.Field(attribute="period_end", column_name="period_end", widget=DateWidget("%d/%m/%Y"))

    class Meta:
        model = Plan
        fields = [
            "id",
            "commune",
            "number",
            "issue_date",
            "title",
            "kind",
            "period_start",
            "period_end",
            "target_year",
            "signer_authority",
            "signer_title",
            "signer_name",
            "status",
        ]
        import_id_fields = ["id"]
        skip_unchanged = True
        clean_model_instances = True

    def save_row(self, instance: Plan) -> None:
        plan_save(plan=instance)
