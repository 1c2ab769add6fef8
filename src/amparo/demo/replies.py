"""Demo canned replies, in each organisation's working languages."""

from __future__ import annotations

from amparo.accounts.models import Membership, Organisation
from amparo.accounts.roles import Role
from amparo.intake.replies import save_reply

REPLIES = {
    "linea-segura": [
        (
            "Acuse de recibo",
            "es",
            "Recibimos su reporte. Una persona de nuestro equipo lo leerá hoy y le escribirá "
            "aquí. Si está en peligro inmediato, llame a su contacto de emergencia.",
        ),
        (
            "Pedir capturas",
            "es",
            "¿Puede añadir capturas de pantalla del aviso de la plataforma, con la fecha visible?",
        ),
        (
            "Acknowledgement",
            "en",
            "We received your report. Someone on our team will read it today and write to you "
            "here. If you are in immediate danger, call your emergency contact.",
        ),
    ],
    "haq-cyber-helpline": [
        (
            "رسید",
            "ur",
            "ہمیں آپ کی رپورٹ موصول ہو گئی ہے۔ ہماری ٹیم کا کوئی فرد آج اسے پڑھ کر یہاں آپ کو لکھے گا۔",
        ),
    ],
    "mtandao-haki": [
        (
            "Tumepokea",
            "sw",
            "Tumepokea ripoti yako. Mtu wa timu yetu ataisoma leo na kukuandikia hapa.",
        ),
    ],
}


def seed_replies() -> None:
    for slug, rows in REPLIES.items():
        organisation = Organisation.objects.get(slug=slug)
        coordinator = (
            Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
            .select_related("user")
            .first()
        )
        if coordinator is None:
            continue
        for title, language, body in rows:
            save_reply(
                organisation, title=title, language=language, body=body, actor=coordinator.user
            )
