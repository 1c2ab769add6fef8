"""Demo reports: what helplines actually receive, in the languages their reporters write."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amparo.accounts.models import Organisation
from amparo.intake.forms import ReportForm
from amparo.intake.models import RiskPeriod
from amparo.intake.services import ask_reporter, submit_report

REPORTS = {
    "linea-segura": [
        (
            "es",
            dict(
                incident_type="account_suspended",
                platform="facebook",
                country="MX",
                narrative="Suspendieron la página de nuestro medio después de publicar una investigación sobre desaparecidos en Veracruz. Recibimos decenas de denuncias falsas en una hora.",
                affected="https://www.facebook.com/noticiasveracruzlibre",
                attackers="@denuncias_ya\n@veracruz_verdad",
                platform_notice="Tu página no cumple nuestras Normas comunitarias sobre spam.",
            ),
        ),
        (
            "es",
            dict(
                incident_type="threats_of_violence",
                platform="x",
                country="MX",
                danger_now="on",
                narrative="Un usuario publicó la dirección de mi casa y escribió que me van a matar si sigo publicando sobre el alcalde.",
                attackers="@el_vigilante_88",
                home_address_exposed="on",
            ),
        ),
        (
            "pt",
            dict(
                incident_type="harassment",
                platform="instagram",
                country="BR",
                narrative="Recebo mensagens ofensivas todos os dias de contas novas depois de cobrir protestos indígenas.",
                attackers="@conta_nova_1\n@conta_nova_2",
            ),
        ),
    ],
    "haq-cyber-helpline": [
        (
            "ur",
            dict(
                incident_type="doxxing",
                platform="facebook",
                country="PK",
                home_address_exposed="on",
                narrative="کسی نے میرا گھر کا پتہ اور فون نمبر ایک گروپ میں شائع کر دیا ہے اور لوگ مجھے دھمکیاں دے رہے ہیں۔",
            ),
        ),
        (
            "en",
            dict(
                incident_type="account_hacked",
                platform="whatsapp",
                country="PK",
                under_attack_now="on",
                narrative="Someone took over my WhatsApp after I shared a code and is messaging my contacts asking for money.",
            ),
        ),
        (
            "fa",
            dict(
                incident_type="false_mass_reporting",
                platform="instagram",
                country="IR",
                narrative="حساب اینستاگرام من بعد از گزارش‌های دسته‌جمعی مسدود شد. من درباره حقوق زنان می‌نویسم.",
                attackers="@report_army_1",
            ),
        ),
    ],
    "mtandao-haki": [
        (
            "sw",
            dict(
                incident_type="smear_campaign",
                platform="x",
                country="KE",
                narrative="Akaunti nyingi zinachapisha ujumbe ule ule kunichafua kabla ya uchaguzi, zikidai mimi ni wakala wa kigeni.",
                attackers="@kenya_truth_1\n@kenya_truth_2\n@kenya_truth_3",
            ),
        ),
        (
            "en",
            dict(
                incident_type="government_takedown",
                platform="tiktok",
                country="UG",
                narrative="TikTok removed my video about the election results after what they said was a legal request from the government.",
                platform_notice="Your video was restricted in your country in response to a legal request.",
            ),
        ),
        (
            "uk",
            dict(
                incident_type="impersonation",
                platform="telegram",
                country="UA",
                narrative="Хтось створив фейковий канал від мого імені та поширює неправдиві заяви.",
                affected="t.me/oleksandra_koval_news",
            ),
        ),
    ],
    "schutzraum": [
        (
            "de",
            dict(
                incident_type="threats_of_violence",
                platform="x",
                country="DE",
                narrative="Ein Account droht seit gestern, mich nach meiner Recherche über Rechtsextreme in Sachsen umzubringen. Der Beitrag ist weiterhin online.",
                links="https://x.com/hass_account_88/status/1797000000000000001",
                attackers="@hass_account_88",
            ),
        ),
        (
            "es",
            dict(
                incident_type="threats_of_violence",
                platform="instagram",
                country="MX",
                narrative="Una cuenta publicó la dirección de mi casa y amenaza con ir por mí tras mi reportaje sobre minería en Guerrero. La publicación sigue en línea.",
                links="https://www.instagram.com/p/C8xYzAbCdEf/",
                attackers="@guerrero_verdad_mx",
            ),
        ),
    ],
}


def seed_reports() -> int:
    count = 0
    today = timezone.localdate()
    RiskPeriod.objects.get_or_create(
        country="KE",
        kind=RiskPeriod.Kind.ELECTION,
        organisation=None,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=30),
        defaults={"note": "General election period (demo)"},
    )
    for slug, items in REPORTS.items():
        organisation = Organisation.objects.get(slug=slug)
        for language, fields in items:
            data: dict[str, Any] = {
                "consent_contact": "no",
                "consent_share_identity": "no",
                "consent_collective": "ask",
                "consent_statistics": "yes",
                "occurred_on": (today - timedelta(days=2)).isoformat(),
            }
            data.update(fields)
            form = ReportForm(data)
            if not form.is_valid():
                raise ValueError(f"demo report invalid: {form.errors.as_json()}")
            submission = submit_report(
                organisation, form.report_fields(), channel="web_form", language=language
            )
            if count % 3 == 1:
                _open_demo_case(organisation, submission.report)
            if count % 3 == 0:
                ask_reporter(
                    submission.report,
                    "Thank you. Do you still have the notice the platform sent you?",
                    actor=None,
                )
            count += 1
    return count


def _open_demo_case(organisation: Any, report: Any) -> None:
    """A case in progress, so caseworkers see the whole flow in the demo."""
    from amparo.accounts.models import Membership
    from amparo.cases.services import add_task, open_case, set_tags, transition_case

    membership = Membership.objects.filter(organisation=organisation, role="caseworker").first()
    if membership is None:
        raise RuntimeError(f"the demo organisation {organisation.slug} has no caseworker")
    caseworker = membership.user
    case = open_case(
        organisation,
        reports=[report],
        title=f"{report.get_incident_type_display()} ({report.platform})",
        actor=caseworker,
    )
    transition_case(case, "in_progress", actor=caseworker)
    set_tags(case, ["demo", report.platform], actor=caseworker)
    add_task(
        case,
        "Check the platform's notice and prepare the appeal",
        due_at=timezone.now() + timedelta(days=2),
        actor=caseworker,
    )
