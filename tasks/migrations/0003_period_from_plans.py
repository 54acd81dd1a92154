"""Updates and contributions point at plans.ReportingPeriod: same table, same column; Django's state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_reportingperiod_moves_from_reports'),
        ('tasks', '0002_section_restrict_so_a_plan_deletes_whole'),
    ]

    operations = [
        # The table stays where it is: only Django's record of which app owns the model changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicaltaskcontribution',
                    name='period',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
                migrations.AlterField(
                    model_name='historicaltaskupdate',
                    name='period',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
                migrations.AlterField(
                    model_name='taskcontribution',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='task_contributions', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
                migrations.AlterField(
                    model_name='taskupdate',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='task_updates', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
            ],
        ),
    ]
