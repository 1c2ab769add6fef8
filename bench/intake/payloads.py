"""Realistic text reports for the intake benchmark, deterministic from a seed.

Narratives are assembled from sentences written the way reporters write them, in thirteen
languages, with the incident types, platforms and countries that go with them, handles and
links of the affected and attacking accounts, the platform's notice now and then, and the
urgency flags and consent answers in plausible proportions. Lengths run from a couple of
sentences to a long account (about 150 to 2,500 characters).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

INCIDENTS = [
    ("account_suspended", 18),
    ("content_removed", 14),
    ("false_mass_reporting", 10),
    ("harassment", 12),
    ("threats_of_violence", 7),
    ("doxxing", 6),
    ("impersonation", 8),
    ("account_hacked", 9),
    ("smear_campaign", 6),
    ("reach_reduced", 4),
    ("government_takedown", 3),
    ("ncii", 2),
    ("internet_shutdown", 1),
    ("other", 2),
]
PLATFORMS = [
    ("facebook", 16),
    ("instagram", 16),
    ("x", 14),
    ("whatsapp", 8),
    ("telegram", 8),
    ("tiktok", 8),
    ("youtube", 7),
    ("threads", 2),
    ("linkedin", 2),
    ("bluesky", 2),
    ("vk", 2),
    ("gmail", 2),
    ("messenger", 2),
    ("signal", 1),
    ("reddit", 1),
    ("mastodon", 1),
    ("snapchat", 1),
    ("other", 1),
]

# language -> (countries, sentences). Sentences are generic enough for any incident type.
TEXT: dict[str, tuple[list[str], list[str]]] = {
    "en": (
        ["US", "GB", "KE", "NG", "PH", "IN", "PK", "ZA", "UG", "GH"],
        [
            "My account was suspended this morning without any warning.",
            "I run a page that documents police abuse in our district and it has been taken down twice this month.",
            "Hundreds of accounts created in the last week reported my posts at the same time.",
            "They published my home address and photos of my children.",
            "Someone made a fake profile with my name and photo and is asking my contacts for money.",
            "I received messages saying they know where I live and that I will be next.",
            "The platform says I violated community standards but does not say which post.",
            "I am a journalist and I was covering the elections when this started.",
            "My appeal was rejected within minutes, I do not think a human looked at it.",
            "I cannot log in anymore, the email and phone number on the account were changed.",
            "The same message was posted by dozens of accounts accusing me of being a foreign agent.",
            "Please help, our organisation depends on this page to reach the communities we support.",
        ],
    ),
    "es": (
        ["MX", "CO", "VE", "NI", "GT", "HN", "SV", "AR", "PE", "CU"],
        [
            "Me suspendieron la cuenta esta mañana sin ningún aviso.",
            "Soy periodista y cubro temas de corrupción en mi municipio.",
            "Decenas de cuentas nuevas denunciaron mis publicaciones al mismo tiempo.",
            "Publicaron la dirección de mi casa y fotos de mi familia.",
            "Alguien creó un perfil falso con mi nombre y está pidiendo dinero a mis contactos.",
            "Recibí mensajes amenazándome de muerte si sigo publicando.",
            "La plataforma dice que violé las normas comunitarias pero no dice cuál publicación.",
            "Apelé la decisión y la rechazaron en pocos minutos.",
            "No puedo entrar a mi cuenta, cambiaron el correo y el número de teléfono.",
            "Nuestra organización defiende a comunidades indígenas y esta página es nuestro único medio.",
            "Esto empezó después de que publicamos una investigación sobre el alcalde.",
        ],
    ),
    "fr": (
        ["FR", "SN", "CM", "CD", "CI", "ML", "BF", "HT", "TN", "BJ"],
        [
            "Mon compte a été suspendu ce matin sans aucun avertissement.",
            "Je suis journaliste et je couvre les manifestations dans la capitale.",
            "Des dizaines de comptes créés la semaine dernière ont signalé mes publications en même temps.",
            "Ils ont publié mon adresse et des photos de ma famille.",
            "Quelqu'un a créé un faux profil à mon nom et demande de l'argent à mes contacts.",
            "J'ai reçu des menaces de mort en message privé.",
            "La plateforme dit que j'ai enfreint les règles mais sans préciser quelle publication.",
            "Mon recours a été rejeté en quelques minutes.",
            "Je ne peux plus me connecter, l'adresse e-mail du compte a été changée.",
            "Notre association défend les droits des femmes et cette page est essentielle pour nous.",
        ],
    ),
    "pt": (
        ["BR", "AO", "MZ", "PT", "GW"],
        [
            "Minha conta foi suspensa hoje de manhã sem nenhum aviso.",
            "Sou jornalista e cubro questões ambientais na Amazônia.",
            "Dezenas de contas novas denunciaram minhas publicações ao mesmo tempo.",
            "Publicaram o endereço da minha casa e fotos dos meus filhos.",
            "Alguém criou um perfil falso com meu nome e está pedindo dinheiro aos meus contatos.",
            "Recebi ameaças de morte por mensagem.",
            "A plataforma diz que violei as regras mas não diz qual publicação.",
            "Meu recurso foi negado em poucos minutos.",
            "Não consigo mais entrar, trocaram o e-mail e o telefone da conta.",
        ],
    ),
    "ar": (
        ["EG", "SA", "SY", "LB", "JO", "IQ", "MA", "SD", "YE", "PS"],
        [
            "تم تعليق حسابي صباح اليوم دون أي تحذير.",
            "أنا صحفية وأغطي الاحتجاجات في مدينتي.",
            "قامت عشرات الحسابات الجديدة بالإبلاغ عن منشوراتي في نفس الوقت.",
            "نشروا عنوان منزلي وصور أطفالي.",
            "أنشأ شخص ما حسابا مزيفا باسمي وصورتي ويطلب المال من أصدقائي.",
            "وصلتني رسائل تهديد بالقتل إذا واصلت النشر.",
            "تقول المنصة إنني خالفت معايير المجتمع لكنها لا تحدد المنشور.",
            "رُفض استئنافي خلال دقائق.",
            "لا أستطيع الدخول إلى حسابي، فقد تم تغيير البريد الإلكتروني ورقم الهاتف.",
        ],
    ),
    "fa": (
        ["IR", "AF"],
        [
            "حساب کاربری من امروز صبح بدون هیچ هشداری مسدود شد.",
            "من روزنامه‌نگار هستم و درباره اعتراضات گزارش می‌دهم.",
            "ده‌ها حساب جدید همزمان پست‌های من را گزارش کردند.",
            "آدرس خانه و عکس‌های خانواده‌ام را منتشر کردند.",
            "کسی با نام و عکس من یک حساب جعلی ساخته است.",
            "پیام‌های تهدید به مرگ دریافت کرده‌ام.",
            "پلتفرم می‌گوید قوانین را نقض کرده‌ام اما نمی‌گوید کدام پست.",
            "نمی‌توانم وارد حسابم شوم، ایمیل و شماره تلفن تغییر کرده است.",
        ],
    ),
    "ur": (
        ["PK"],
        [
            "میرا اکاؤنٹ آج صبح بغیر کسی انتباہ کے معطل کر دیا گیا۔",
            "میں صحافی ہوں اور انتخابات کی کوریج کر رہی تھی۔",
            "درجنوں نئے اکاؤنٹس نے ایک ہی وقت میں میری پوسٹس کی شکایت کی۔",
            "انہوں نے میرے گھر کا پتہ اور میرے بچوں کی تصاویر شائع کر دیں۔",
            "مجھے جان سے مارنے کی دھمکیاں مل رہی ہیں۔",
            "کسی نے میرے نام سے جعلی اکاؤنٹ بنایا ہے۔",
        ],
    ),
    "ru": (
        ["RU", "BY", "KZ", "KG", "GE", "AM"],
        [
            "Мой аккаунт заблокировали сегодня утром без предупреждения.",
            "Я журналистка и пишу о коррупции в нашем регионе.",
            "Десятки новых аккаунтов одновременно пожаловались на мои публикации.",
            "Опубликовали мой домашний адрес и фотографии моих детей.",
            "Кто-то создал фальшивый профиль с моим именем и просит у друзей деньги.",
            "Мне пишут угрозы убийством.",
            "Платформа утверждает, что я нарушила правила, но не говорит, какой пост.",
            "Я больше не могу войти, почту и номер телефона поменяли.",
            "Я живу в эмиграции, но мои родственники остались в стране.",
        ],
    ),
    "uk": (
        ["UA", "PL", "MD"],
        [
            "Мій акаунт заблокували сьогодні вранці без попередження.",
            "Я журналіст і висвітлюю події на сході країни.",
            "Десятки нових акаунтів одночасно поскаржилися на мої дописи.",
            "Оприлюднили мою домашню адресу та фото моєї родини.",
            "Хтось створив фейковий профіль з моїм ім'ям.",
            "Мені надходять погрози фізичною розправою.",
            "Платформа каже, що я порушив правила, але не каже, який саме допис.",
        ],
    ),
    "tr": (
        ["TR", "CY", "DE"],
        [
            "Hesabım bu sabah hiçbir uyarı olmadan askıya alındı.",
            "Gazeteciyim ve yerel seçimleri takip ediyorum.",
            "Geçen hafta açılmış onlarca hesap paylaşımlarımı aynı anda şikayet etti.",
            "Ev adresimi ve çocuklarımın fotoğraflarını yayınladılar.",
            "Birisi adımı ve fotoğrafımı kullanarak sahte bir hesap açtı.",
            "Ölüm tehditleri alıyorum.",
            "Platform kuralları ihlal ettiğimi söylüyor ama hangi paylaşım olduğunu söylemiyor.",
            "İtirazım birkaç dakika içinde reddedildi.",
        ],
    ),
    "id": (
        ["ID", "MY", "TL"],
        [
            "Akun saya ditangguhkan pagi ini tanpa peringatan apa pun.",
            "Saya jurnalis dan meliput konflik lahan di Papua.",
            "Puluhan akun baru melaporkan unggahan saya pada waktu yang sama.",
            "Mereka menyebarkan alamat rumah dan foto anak-anak saya.",
            "Seseorang membuat akun palsu dengan nama dan foto saya.",
            "Saya menerima ancaman pembunuhan melalui pesan langsung.",
            "Banding saya ditolak dalam beberapa menit.",
        ],
    ),
    "sw": (
        ["KE", "TZ", "UG", "RW", "CD"],
        [
            "Akaunti yangu ilisimamishwa asubuhi hii bila onyo lolote.",
            "Mimi ni mwandishi wa habari na ninaripoti kuhusu uchaguzi.",
            "Akaunti nyingi mpya ziliripoti machapisho yangu kwa wakati mmoja.",
            "Walichapisha anwani ya nyumba yangu na picha za watoto wangu.",
            "Mtu ameunda akaunti bandia kwa jina langu na picha yangu.",
            "Ninapokea vitisho vya kuuawa.",
        ],
    ),
    "vi": (
        ["VN", "KH", "LA", "TH"],
        [
            "Tài khoản của tôi bị khóa sáng nay mà không có cảnh báo nào.",
            "Tôi là nhà báo độc lập và viết về quyền đất đai.",
            "Hàng chục tài khoản mới cùng lúc báo cáo bài viết của tôi.",
            "Họ đăng địa chỉ nhà tôi và ảnh của con tôi.",
            "Có người lập tài khoản giả mạo tên và ảnh của tôi.",
            "Tôi nhận được tin nhắn đe dọa giết tôi.",
            "Kháng nghị của tôi bị từ chối chỉ sau vài phút.",
        ],
    ),
}
LANGUAGE_WEIGHTS = {
    "en": 20,
    "es": 16,
    "fr": 8,
    "pt": 8,
    "ar": 10,
    "fa": 5,
    "ur": 3,
    "ru": 8,
    "uk": 4,
    "tr": 6,
    "id": 4,
    "sw": 4,
    "vi": 4,
}
NOTICES = [
    "Your account has been disabled because it doesn't follow our Community Standards on dangerous organisations and individuals.",
    "We removed your post because it goes against our Community Guidelines on harassment and bullying.",
    "Your account is permanently suspended for violating the rules against platform manipulation and spam.",
    "In response to a legal demand, this content has been withheld in your country.",
    "Your video was removed for violating our policy on violent and graphic content. You have 1 strike.",
]
IDENTITIES = ["journalist", "hrd", "woman_hrd", "lgbtqi", "minority", "exile"]


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _handle(rng: random.Random, platform: str) -> str:
    name = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(rng.randint(5, 14))
    )
    style = rng.random()
    host = {
        "facebook": "facebook.com",
        "instagram": "instagram.com",
        "x": "x.com",
        "tiktok": "tiktok.com/@",
        "youtube": "youtube.com/@",
        "telegram": "t.me",
    }.get(platform)
    if host and style < 0.4:
        sep = "" if host.endswith("@") else "/"
        return f"https://{host}{sep}{name}"
    return "@" + name


def report(rng: random.Random, today: date) -> dict[str, Any]:
    """One report as the API takes it (the public form takes the same fields)."""
    language = _weighted(rng, list(LANGUAGE_WEIGHTS.items()))
    countries, sentences = TEXT[language]
    platform = _weighted(rng, PLATFORMS)
    incident = _weighted(rng, INCIDENTS)
    n = rng.choice([2, 3, 3, 4, 5, 6, 8, 12, 20])
    narrative = " ".join(rng.choice(sentences) for _ in range(n))
    body: dict[str, Any] = {
        "incident_type": incident,
        "platform": platform,
        "narrative": narrative,
        "language": language,
        "country": rng.choice(countries) if rng.random() < 0.85 else "",
        "affected": [_handle(rng, platform) for _ in range(rng.choice([0, 1, 1, 1, 2]))],
        "attackers": [_handle(rng, platform) for _ in range(rng.choice([0, 0, 1, 2, 5]))],
        "links": [
            f"https://www.{platform if platform != 'x' else 'x'}.com/p/{rng.getrandbits(48):x}?utm_source=share"
            for _ in range(rng.choice([0, 0, 1, 2, 3]))
        ],
        "consent": {
            "contact": rng.choice(["yes", "no"]),
            "share_identity": rng.choice(["yes", "no", "ask"]),
            "collective": rng.choice(["yes", "no", "ask"]),
            "statistics": rng.choice(["yes", "yes", "no"]),
        },
    }
    if rng.random() < 0.7:
        body["occurred_on"] = (today - timedelta(days=rng.randint(0, 60))).isoformat()
    if rng.random() < 0.25:
        body["platform_notice"] = rng.choice(NOTICES)
    for flag, p in (
        ("danger_now", 0.04),
        ("home_address_exposed", 0.06),
        ("minor_involved", 0.02),
        ("arrest_risk", 0.05),
        ("under_attack_now", 0.08),
    ):
        if rng.random() < p:
            body[flag] = True
    if body["consent"]["contact"] == "yes":
        method = rng.choice(["signal", "whatsapp", "telegram", "email", "follow_up_only"])
        value = {
            "email": f"r{rng.getrandbits(32):x}@riseup.net",
            "follow_up_only": "",
        }.get(method, f"+{rng.randint(10**9, 10**11)}")
        body["reporter"] = {
            "name": rng.choice(["", "A.", "Laila", "Mariana R.", "Kofi", "Nguyen", "Olena"]),
            "contact_method": method,
            "contact_value": value,
            "contact_safety": rng.choice(["", "Do not call, only messages.", "Only after 6 pm."]),
        }
    if rng.random() < 0.5:
        body["identities"] = rng.sample(IDENTITIES, rng.randint(1, 2))
    if rng.random() < 0.3:
        body["gender"] = rng.choice(["woman", "man", "non-binary", "mujer", "femme"])
    return body


def form_fields(body: dict[str, Any]) -> list[tuple[str, str]]:
    """The same report as the public form posts it (application/x-www-form-urlencoded)."""
    consent = body["consent"]
    reporter = body.get("reporter", {})
    fields = [
        ("incident_type", body["incident_type"]),
        ("platform", body["platform"]),
        ("narrative", body["narrative"]),
        ("occurred_on", body.get("occurred_on", "")),
        ("country", body.get("country", "")),
        ("affected", "\n".join(body["affected"])),
        ("attackers", "\n".join(body["attackers"])),
        ("links", "\n".join(body["links"])),
        ("platform_notice", body.get("platform_notice", "")),
        ("reporter_name", reporter.get("name", "")),
        ("consent_contact", consent["contact"]),
        ("contact_method", reporter.get("contact_method", "")),
        ("contact_value", reporter.get("contact_value", "")),
        ("contact_safety", reporter.get("contact_safety", "")),
        ("consent_share_identity", consent["share_identity"]),
        ("consent_collective", consent["collective"]),
        ("consent_statistics", consent["statistics"]),
        ("gender", body.get("gender", "")),
        ("website", ""),  # the honeypot, left empty as a person would
    ]
    fields += [("identities", i) for i in body.get("identities", [])]
    fields += [
        (flag, "on")
        for flag in (
            "danger_now",
            "home_address_exposed",
            "minor_involved",
            "arrest_risk",
            "under_attack_now",
        )
        if body.get(flag)
    ]
    return fields
