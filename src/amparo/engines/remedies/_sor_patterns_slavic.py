"""Statement-of-reasons phrases in Polish and Russian (data for :mod:`._sor_patterns`).

One dict per language, concept to regular-expression fragment (case-insensitive, no
capturing groups; an empty string: the language has no such phrase). Both languages inflect
nouns, so stems end in ``\\w*`` where the case changes the ending.
"""

from __future__ import annotations

PL: dict[str, str] = {
    "CONTENT": r"treść|treści|wpis\w*|post\w*|film\w*|komentarz\w*|zdjęci\w*|wiadomoś\w*",
    "ACCOUNT": r"konto|konta|kont\w*|profil\w*|kanał\w*|stron\w*",
    "REMOVED": r"usunięt\w*|usunęliśmy",
    "DISABLED": r"nie jest już dostępn\w*|zablokowan\w*|uniemożliwi\w* dostęp|ograniczyliśmy dostęp",
    "DEMOTED": (
        r"ograniczon\w* (?:widoczność|zasięg)|(?:widoczność|zasięg) [\w ]{0,20}ograniczon\w*"
    ),
    "AGE_RESTRICTED": r"ograniczeni\w* wiekow\w*|tylko dla dorosłych",
    "INTERACTION_RESTRICTED": (
        r"wyłączon\w* komentarze|komentarze (?:zostały )?wyłączone|ograniczon\w* interakcj\w*"
    ),
    "LABELLED": r"oznaczon\w* etykietą|dodaliśmy (?:etykietę|ostrzeżenie)",
    "TERMINATED": r"trwale (?:zablokowan|zawieszon|usunięt)\w*|usunięt\w*|zamknięt\w*",
    "SUSPENDED": r"zawieszon\w*|zawiesiliśmy|dezaktywowan\w*",
    "RESTRICTED": r"zablokowan\w*|zablokowaliśmy|ograniczon\w*|zbanowan\w*",
    "PERMANENT": r"trwale|na stałe|permanentnie|na zawsze",
    "INDEFINITE": r"trwale|bezterminowo|na stałe",
    "TEMPORARY": r"tymczasowo|czasowo",
    "CONDITIONAL": (
        r"jeśli|jeżeli|gdy|w przeciwnym razie|może|mogą|zostanie|zostaną|będzie|kolejne naruszeni\w*"
    ),
    "MONETARY": r"monetyzacj\w*|przychod\w* z reklam",
    "MONETARY_ACTION": r"odebran\w*|wyłączon\w*|zawieszon\w*",
    "PROVISION": r"świadczeni\w* usług\w*|dostęp\w* do usługi",
    "SUSPEND_WORD": r"zawieszon\w*|ograniczon\w*",
    "TERMINATE_WORD": r"trwał\w*|zakończ\w*|rozwiązan\w*",
    "PARTIAL_WORD": r"częściow\w*",
    "ILLEGAL": r"nielegaln\w*|niezgodn\w* z prawem|bezprawn\w*",
    "VIOLATES": r"narusz\w*|nie jest zgodn\w*|niezgodn\w* z|nie spełnia|łamie",
    "NOT_FOLLOW": r"nie jest zgodn\w*|nie spełnia|nie przestrzega",
    "RULES": (
        r"Standard\w* społeczności|Wytyczn\w* dla społeczności|Zasad\w* społeczności|"
        r"Regulamin\w*|Zasad\w* (?:X|Twittera)|Warunk\w* (?:korzystania|świadczenia usług)"
    ),
    "RULE_TOPIC": r"dotycząc\w*|w zakresie|w sprawie",
    "POLICY": r"(?:nasz\w* )?polityk\w* (?:dotycząc\w*|w zakresie) [^\n.,;:()]{3,60}",
    "GENERIC_RULES": r"nasz\w* zasad\w*",
    "POSSESSIVE": r"nasz\w*",
    "LEGAL_LABEL": r"podstawa prawna",
    "CONTRACT_LABEL": r"podstawa umowna|naruszona zasada|zasada",
    "AUTO": r"automat\w*|zautomatyzowan\w*|technologi\w*|nasze systemy",
    "DETECTED": r"wykry\w*|zidentyfikowa\w*",
    "AUTO_MEANS": r"zautomatyzowan\w* (?:środk|narzędzi|system)\w*",
    "AUTO_ADVERB": r"automatycznie",
    "DECISION_WORD": r"decyzj\w*|podjęł\w*|podjął|podjęt\w*|zdecydowa\w*",
    "DETECTION_TERM": r"automatyczne wykrywanie",
    "DECISION_TERM": r"automatyczna decyzja",
    "YES": r"tak",
    "NO": r"nie|brak",
    "FULLY": r"(?:w pełni|całkowicie|wyłącznie) (?:\w+ )?(?:zautomatyzowan|automatyczn)\w*",
    "PARTIALLY": r"częściowo (?:zautomatyzowan|automatyczn)\w*",
    "HUMAN": (
        r"niezautomatyzowan\w*|ręczn\w*|"
        r"przez (?:człowieka|moderatora|członka naszego zespołu|pracownika)|"
        r"(?:decyzj\w* podjął|podjął decyzj\w*) (?:\w+ )?(?:moderator|pracownik|członek)\w*"
    ),
    "NEGATION": r"nie|bez|żadn\w*|nigdy",
    "POST_NEGATION": r"nie (?:został\w*|był\w*) (?:użyt|wykorzystan|zastosowan)\w*",
    "GENERIC": r"dowiedz się więcej|więcej informacji",
    "TRUSTED_FLAGGER": r"zaufan\w* podmio\w* sygnalizując\w*",
    "NOTICE": r"w wyniku zgłoszenia|po zgłoszeniu|zgłoszon\w* przez|na podstawie zgłoszenia",
    "OWN_INITIATIVE": r"z własnej inicjatywy",
    "AUTHORITY_ORDER": r"nakaz\w* (?:sądu|organu)|postanowieni\w* sądu",
    "EEA_WIDE": r"Unii Europejskiej|Europejskiego Obszaru Gospodarczego|EOG|na całym świecie",
    "WORLDWIDE": r"na całym świecie",
    "SCOPE_CONTEXT": r"obowiązuje|kraj\w*|zakres|dostępn\w*|zablokowan\w*",
    "SCOPE_LABEL": r"zakres terytorialny",
    "IN": r"w|na terenie",
    "UNTIL": r"do dnia|do",
    "UNTIL_AFTER": r"",
    "FOR": r"na|przez",
    "FOR_AFTER": r"",
    "HOURS": r"godzin\w*",
    "DAYS": r"dni|dzień",
    "WEEKS": r"tygodni\w*|tydzień",
    "MONTHS": r"miesi\w*",
    "DATE_LABEL": r"data (?:podjęcia )?decyzji",
    "CONTENT_DATE": r"opublikowan\w*|przesłan\w*|udostępnion\w*",
    "APPEAL": r"odwołani\w*|odwołać|reklamacj\w*|ponowną weryfikację",
    "OUT_OF_COURT": r"pozasądow\w*|rozstrzygania sporów",
    "COURT": r"\bsąd\w*",
    "DSC": r"koordynator\w* ds\. usług cyfrowych",
    "PUID_LABEL": r"identyfikator treści|ID treści|numer referencyjny|sygnatura",
}

RU: dict[str, str] = {
    "CONTENT": (
        r"видео|публикаци\w*|пост\w*|контент\w*|комментари\w*|сообщени\w*|материал\w*|фото\w*"
    ),
    "ACCOUNT": r"аккаунт\w*|учётн\w* запис\w*|учетн\w* запис\w*|канал\w*|профил\w*|страниц\w*",
    "REMOVED": r"удален\w*|удалён\w*|удалили",
    "DISABLED": (
        r"ограничили доступ|доступ [\w ]{0,30}ограничен\w*|больше не доступ\w*|недоступ\w*|"
        r"заблокирован\w*"
    ),
    "DEMOTED": (
        r"понизили (?:видимость|охват)|ограничили (?:охват|распространение)|"
        r"(?:видимость|охват) [\w ]{0,20}(?:снижен|ограничен)\w*"
    ),
    "AGE_RESTRICTED": r"возрастн\w* ограничени\w*|только для взрослых",
    "INTERACTION_RESTRICTED": (r"комментарии (?:были )?отключены|ограничили взаимодействи\w*"),
    "LABELLED": r"добавили (?:метку|предупреждение)|помечен\w*",
    "TERMINATED": r"удал[её]н\w*|закрыт\w*|навсегда (?:заблокирован|приостановлен)\w*",
    "SUSPENDED": r"приостановлен\w*|отключ\w*|деактивирован\w*",
    "RESTRICTED": r"заблокирован\w*|заблокировали|ограничен\w*|забанен\w*",
    "PERMANENT": r"навсегда|окончательно|навечно|безвозвратно",
    "INDEFINITE": r"навсегда|бессрочно",
    "TEMPORARY": r"временно",
    "CONDITIONAL": r"если|иначе|может|могут|будет|будут|в случае",
    "MONETARY": r"монетизаци\w*|доход\w* от рекламы",
    "MONETARY_ACTION": r"отключ\w*|приостановлен\w*",
    "PROVISION": r"предоставлени\w* услуг\w*|доступ\w* к сервису",
    "SUSPEND_WORD": r"приостанов\w*|ограничен\w*",
    "TERMINATE_WORD": r"прекращ\w*|навсегда",
    "PARTIAL_WORD": r"частичн\w*|частично",
    "ILLEGAL": (
        r"незаконн\w*|противоправн\w*|нарушает (?:местное )?законодательство|нарушени\w* закона"
    ),
    "VIOLATES": r"наруш\w*|не соответству\w*|противоречит",
    "NOT_FOLLOW": r"не соответству\w*|не соблюда\w*",
    "RULES": (
        r"Правил\w* сообщества|Норм\w* сообщества|Принцип\w* сообщества|"
        r"Услови\w* (?:использования|предоставления услуг|обслуживания)|"
        r"Правил\w* (?:X|Twitter|платформы)|Пользовательск\w* соглашени\w*"
    ),
    "RULE_TOPIC": r"в отношении|о|об|касающ\w*|относительно",
    "POLICY": (r"(?:наш\w* )?политик\w* (?:в отношении|о|об|касающ\w*) [^\n.,;:()]{3,60}"),
    "GENERIC_RULES": r"наш\w* правил\w*",
    "POSSESSIVE": r"наш\w*",
    "LEGAL_LABEL": r"правов\w* основани\w*|юридическ\w* основани\w*",
    "CONTRACT_LABEL": r"договорн\w* основани\w*|нарушенн\w* правил\w*",
    "AUTO": r"автоматическ\w*|автоматизированн\w*|технологи\w*|наш\w* систем\w*|алгоритм\w*",
    "DETECTED": r"обнаруж\w*|выявл\w*|выявлен\w*",
    "AUTO_MEANS": r"автоматизированн\w* (?:средств|систем|инструмент)\w*",
    "AUTO_ADVERB": r"автоматически",
    "DECISION_WORD": r"решени\w*|принят\w*|принял\w*",
    "DETECTION_TERM": r"автоматическ\w* обнаружение",
    "DECISION_TERM": r"автоматизированн\w* решение|автоматическ\w* решение",
    "YES": r"да",
    "NO": r"нет|не автоматизировано",
    "FULLY": r"(?:полностью|исключительно) автоматизированн\w*|полностью автоматически",
    "PARTIALLY": r"частично автоматизированн\w*|частично автоматически",
    "HUMAN": (
        r"модератор(?:ом|ами)|сотрудник(?:ом|ами)|человеком|вручную|"
        r"сотрудник\w* нашей команды|наша команда провер\w*|"
        r"провер\w* (?:модератор|сотрудник|человек)\w*|решение принял\w* (?:\w+ )?сотрудник\w*"
    ),
    "NEGATION": r"не|нет|без|ни",
    "POST_NEGATION": r"не (?:использовал|применял)\w*",
    "GENERIC": r"подробнее|узнать больше|узнайте больше",
    "TRUSTED_FLAGGER": r"доверенн\w* (?:флаггер|заявител|уведомител)\w*",
    "NOTICE": (
        r"после жалобы|по жалобе|жалоб\w* (?:от|пользовател)\w*|после сообщения|"
        r"сообщил\w* о|пожаловал\w*"
    ),
    "OWN_INITIATIVE": r"по собственной инициативе|по нашей инициативе",
    "AUTHORITY_ORDER": r"требовани\w* (?:властей|органов|суда)|решени\w* суда|предписани\w*",
    "EEA_WIDE": r"ЕС|Европейском союзе|Европейского союза|ЕЭЗ|во всём мире|во всем мире",
    "WORLDWIDE": r"во всём мире|во всем мире",
    "SCOPE_CONTEXT": r"действует|стран\w*|доступ\w*|заблокирован\w*",
    "SCOPE_LABEL": r"территориальн\w* (?:охват|действие|сфера)",
    "IN": r"в|во|на территории",
    "UNTIL": r"до",
    "UNTIL_AFTER": r"",
    "FOR": r"в течение|сроком на|на",
    "FOR_AFTER": r"",
    "HOURS": r"час\w*",
    "DAYS": r"дн\w*|день|сут\w*",
    "WEEKS": r"недел\w*",
    "MONTHS": r"месяц\w*",
    "DATE_LABEL": r"дата (?:принятия )?решения",
    "CONTENT_DATE": r"опубликован\w*|загружен\w*|размещ[её]н\w*",
    "APPEAL": r"обжал\w*|апелляци\w*|повторн\w* проверк\w*",
    "OUT_OF_COURT": r"внесудебн\w*",
    "COURT": r"\bсуд\b|\bсуда\b|\bсуде\b|\bсудебн\w*",
    "DSC": r"координатор\w* цифровых услуг",
    "PUID_LABEL": r"ID контента|идентификатор контента|номер обращения",
}
