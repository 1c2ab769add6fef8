"""Remedy reminders were stored with an English phrase as their kind ("art20_complaint window
closes in 3 days", cut at 32 characters), which the alarms page could only show as a code. They
become the kinds ``intake.notices`` says in words."""

from django.db import migrations


#: The remedy codes of the time (``remedies.routes.REMEDY_LABELS``), frozen here.
CODES = (
    "art16_notice",
    "art20_complaint",
    "art86_priority_complaint",
    "art21_ods",
    "art53_dsc_complaint",
    "art23_misuse",
    "platform_report",
    "platform_appeal",
    "oversight_board",
    "national_regulator",
    "public_reporting",
)


def new_kind(kind):
    """The kind an old phrase becomes, or None: "<code> window closes in N days" and
    "<code> decision overdue", either possibly cut short at 32 characters."""
    code, _space, rest = kind.partition(" ")
    if code not in CODES or not rest:
        return None
    if "window closes".startswith(rest[:13]) and rest[0] == "w":
        return "remedy_window_closing"
    if "decision overdue".startswith(rest[:16]) and rest[0] == "d":
        return "remedy_decision_overdue"
    return None


def forwards(apps, schema_editor):
    Notification = apps.get_model("intake", "Notification")
    for row in Notification.objects.filter(kind__contains=" ").only("pk", "kind"):
        kind = new_kind(row.kind)
        if kind:
            Notification.objects.filter(pk=row.pk).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_notification_digest")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
