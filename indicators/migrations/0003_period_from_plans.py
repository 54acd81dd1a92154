"""Results point at plans.ReportingPeriod: same table, same column; Django's state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0002_section_restrict_so_a_plan_deletes_whole'),
        ('plans', '0002_reportingperiod_moves_from_reports'),
    ]

    operations = [
        # The table stays where it is: only Django's record of which app owns the model changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalindicatorresult',
                    name='period',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
                migrations.AlterField(
                    model_name='indicatorresult',
                    name='period',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicator_results', to='plans.reportingperiod', verbose_name='kỳ báo cáo'),
                ),
            ],
        ),
    ]
