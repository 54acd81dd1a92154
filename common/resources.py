"""The base of the admin's flat imports and exports (django-import-export).

The library's defaults keep the good rows of a file that has bad ones, save with `Model.save()` and let anyone
who reaches the admin import. Here a file is all or nothing, each row is derived and checked before it is
validated, saved by the model's service, and only a person who may add and change the model imports.
"""

from django.core.exceptions import PermissionDenied
from import_export import resources

from common.excel import escape_formula


class ServiceResource(resources.ModelResource):
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run, raise_errors, use_transactions=True, **kwargs)

    def before_import(self, dataset, **kwargs):
        user = kwargs.get("user")
        opts = self._meta.model._meta
        wanted = [f"{opts.app_label}.{action}_{opts.model_name}" for action in ("add", "change")]
        if user is None or not user.has_perms(wanted):
            raise PermissionDenied("Bạn không có quyền nhập dữ liệu này.")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Derived fields (a unit's matching key) must be set before the library validates the row.
        self.derive(instance)

    def derive(self, instance) -> None:
        """Set what the model's service derives from the imported fields."""

    def do_instance_save(self, instance, is_create):
        self.save_row(instance)

    def save_row(self, instance) -> None:
        raise NotImplementedError

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))
