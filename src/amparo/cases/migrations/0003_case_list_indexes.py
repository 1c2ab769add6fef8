"""The case list at scale (cases/listing.py): a stored open flag kept in step with the status,
indexes in the list's order (all cases, open or closed ones, by platform, by country), and the
indexes that find a tag's cases and their place in the order without reading the cases' rows."""

import django.db.models.deletion
from django.db import migrations, models

# states.OPEN when this migration was written.
OPEN = ["awaiting_platform", "escalated", "in_progress", "new", "triaged"]


def fill_is_open(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(status__in=OPEN).update(is_open=True)
    Case.objects.exclude(status__in=OPEN).update(is_open=False)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0002_referral"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="is_open",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.RunPython(fill_is_open, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(is_open=True, status__in=OPEN)
                | (models.Q(is_open=False) & ~models.Q(status__in=OPEN)),
                name="case_is_open_matches_status",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organisation", "urgency_rank", "-updated_at", "id"], name="case_list_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=[
                    "organisation",
                    "is_open",
                    "urgency_rank",
                    "-updated_at",
                    "id",
                    "assignee",
                    "next_due_at",
                ],
                name="case_open_list_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organisation", "platform", "urgency_rank", "-updated_at", "id"],
                name="case_platform_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organisation", "country", "urgency_rank", "-updated_at", "id"],
                name="case_country_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["id", "organisation", "urgency_rank", "updated_at"],
                name="case_id_order_idx",
            ),
        ),
        # Case.tags gets a declared through model on the table Django made for it (same table,
        # columns, unique pair and indexes), so that the table can have an index by tag.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CaseTag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cases.tag",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cases_case_tags",
                        "unique_together": {("case", "tag")},
                    },
                ),
                migrations.AlterField(
                    model_name="case",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True, related_name="cases", through="cases.CaseTag", to="cases.tag"
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="casetag",
            index=models.Index(fields=["tag", "case"], name="case_tag_by_tag_idx"),
        ),
    ]
