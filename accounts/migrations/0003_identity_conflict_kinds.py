# Identity conflicts of two kinds (shared address, customer number on different people),
# with the staff decision the linking follows (issue #9, point 2).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_identity_links"),
        ("portal", "0005_issued_at_when_made"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="identityconflict",
            options={
                "ordering": ["-found_at", "-pk"],
                "verbose_name": "identity conflict",
                "verbose_name_plural": "identity conflicts",
            },
        ),
        migrations.RemoveConstraint(
            model_name="identityconflict",
            name="one_open_conflict_per_user_and_email",
        ),
        migrations.AddField(
            model_name="identityconflict",
            name="customer_number",
            field=models.CharField(blank=True, max_length=20, verbose_name="customer number"),
        ),
        migrations.AddField(
            model_name="identityconflict",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("same_person", "the same person: link the records"),
                    ("different_people", "different people: keep them apart"),
                ],
                max_length=20,
                verbose_name="decision",
            ),
        ),
        migrations.AddField(
            model_name="identityconflict",
            name="kind",
            field=models.CharField(
                choices=[
                    ("shared_email", "address on more than one person's records"),
                    ("customer_number", "customer number on different people's records"),
                ],
                default="shared_email",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="identityconflict",
            name="resolved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="resolved by",
            ),
        ),
        migrations.AddField(
            model_name="identityconflict",
            name="source",
            field=models.JSONField(blank=True, default=dict, verbose_name="found in"),
        ),
        migrations.AlterField(
            model_name="identityconflict",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="email"),
        ),
        migrations.AlterField(
            model_name="identityconflict",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="identity_conflicts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AddConstraint(
            model_name="identityconflict",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "shared_email"), ("resolved_at__isnull", True)),
                fields=("user", "email"),
                name="one_open_conflict_per_user_and_email",
            ),
        ),
    ]
