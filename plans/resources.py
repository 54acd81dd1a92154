"""Flat import/export of plan headers in the admin; sections and rows come with the plan import."""

from import_export import fields, resources
from import_export.widgets import DateWidget, ForeignKeyWidget

from common.excel import escape_formula
from plans.models import Plan
from units.models import Commune


class PlanResource(resources.ModelResource):
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
        use_transactions = True

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))
