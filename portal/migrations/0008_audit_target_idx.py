from django.db import migrations, models


class Migration(migrations.Migration):
    """The staff request page reads a request's history from the audit trail by target; an
    index on (target, seq) finds those events, in order, without reading the whole trail."""

    dependencies = [
        ("portal", "0007_disclosures"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["target", "seq"], name="audit_target_seq_idx"),
        ),
    ]
