"""Phrases that statements of reasons use, in en fr de es it pl nl (data for :mod:`.sor`).

Each entry is a regular expression fragment (case-insensitive, Unicode). Languages are
merged into one alternation per concept: a statement may mix languages (an English template
with a French policy name). To add a language, add its words to every concept.
"""

from __future__ import annotations

# Nouns ---------------------------------------------------------------------------------------
CONTENT = (
    r"content|post|posts|video|comment|photo|image|tweet|message|publication|reel|story|"
    r"contenu|publication|vidéo|commentaire|"
    r"Inhalt|Inhalte|Beitrag|Beiträge|Kommentar|Foto|Bild|"
    r"contenido|publicación|comentario|vídeo|foto|imagen|"
    r"contenuto|post|commento|immagine|"
    r"treść|treści|wpis|post|film|komentarz|zdjęcie|"
    r"inhoud|bericht|reactie|afbeelding"
)
ACCOUNT = (
    r"account|profile|channel|page|compte|profil|chaîne|Konto|Profil|Kanal|cuenta|perfil|canal|"
    r"account|profilo|canale|konto|profil|kanał|konta|profiel|kanaal"
)

# Visibility measures (TDB decision_visibility) --------------------------------------------
VISIBILITY = {
    "DECISION_VISIBILITY_CONTENT_REMOVED": (
        r"\b(?:removed|deleted|taken down|take down|"
        r"supprimée?s?|retirée?s?|"
        r"entfernt|gelöscht|"
        r"eliminad[oa]s?|retirad[oa]s?|borrad[oa]s?|"
        r"rimoss[oa]|eliminat[oa]|"
        r"usunięt\w*|usunęliśmy|"
        r"verwijderd)\b"
    ),
    "DECISION_VISIBILITY_CONTENT_DISABLED": (
        r"\b(?:disabled access|access (?:to [\w ]{1,40} )?(?:has been |was )?disabled|"
        r"withheld|geo-?blocked|no longer (?:available|accessible)|"
        r"n'est plus (?:disponible|accessible)|ya no está disponible|non è più disponibile|"
        r"nie jest już dostępn\w*|niet meer beschikbaar|"
        r"rendue? inaccessible|accès (?:a été )?désactivé|bloquée?|"
        r"nicht mehr (?:verfügbar|zugänglich)|Zugang [\w ]{0,30}deaktiviert|gesperrt|"
        r"inhabilitad[oa]|acceso (?:ha sido )?(?:bloqueado|desactivado)|bloquead[oa]|"
        r"disabilitat[oa]|resa? inaccessibile|bloccat[oa]|"
        r"zablokowan\w*|uniemożliwi\w* dostęp|"
        r"ontoegankelijk gemaakt|geblokkeerd|niet langer beschikbaar)\b"
    ),
    "DECISION_VISIBILITY_CONTENT_DEMOTED": (
        r"\b(?:demoted|reduced (?:the )?(?:visibility|distribution|reach)|"
        r"(?:visibility|distribution|reach) (?:has been |was )?(?:reduced|limited)|less visible|"
        r"rétrogradée?|visibilité (?:a été )?(?:réduite|limitée)|réduit (?:la )?visibilité|"
        r"herabgestuft|(?:Reichweite|Sichtbarkeit) [\w ]{0,40}(?:eingeschränkt|reduziert|verringert)|"
        r"visibilidad (?:ha sido )?(?:reducida|limitada)|reducido (?:la )?visibilidad|"
        r"visibilità (?:è stata )?(?:ridotta|limitata)|ridotto (?:la )?visibilità|"
        r"ograniczon\w* (?:widoczność|zasięg)|(?:widoczność|zasięg) [\w ]{0,20}ograniczon\w*|"
        r"zichtbaarheid (?:is )?(?:beperkt|verminderd)|minder zichtbaar|gedegradeerd)\b"
    ),
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED": (
        r"(?:\bage[- ]restrict\w*|\bage[- ]gate\w*|\brestricted to adults|"
        r"\brestriction d'âge|\blimitée? aux (?:adultes|majeurs)|"
        r"\bAltersbeschränkung|\baltersbeschränkt|\bAltersfreigabe|"
        r"\brestricción de edad|\brestringid[oa] por edad|"
        r"\blimit[ei] di età|\blimitazione (?:per|di) età|"
        r"\bograniczeni\w* wiekow\w*|"
        r"\bleeftijdsbeperking|\bleeftijdsgrens)"
    ),
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED": (
        r"\b(?:(?:comments|replies|sharing|interactions?)(?:\W+\w+){0,5}?\W+"
        r"(?:disabled|restricted|turned off|limited)|"
        r"commentaires (?:ont été )?désactivés|interactions? (?:ont été )?(?:limitées|restreintes)|"
        r"Kommentare [\w ]{0,20}deaktiviert|Interaktionen [\w ]{0,20}eingeschränkt|"
        r"comentarios (?:han sido )?desactivados|interacciones (?:han sido )?(?:limitadas|restringidas)|"
        r"commenti (?:sono stati )?disattivati|interazioni (?:sono state )?limitate|"
        r"wyłączon\w* komentarze|komentarze (?:zostały )?wyłączone|ograniczon\w* interakcj\w*|"
        r"reacties (?:zijn )?uitgeschakeld|interacties (?:zijn )?beperkt)\b"
    ),
    "DECISION_VISIBILITY_CONTENT_LABELLED": (
        r"\b(?:label(?:l)?ed|added an? (?:label|warning|notice)|warning screen|"
        r"étiquetée?|ajouté (?:un avertissement|une étiquette)|"
        r"gekennzeichnet|mit einem (?:Warnhinweis|Hinweis) versehen|"
        r"etiquetad[oa]|añadido una (?:etiqueta|advertencia)|"
        r"etichettat[oa]|aggiunto un(?:'etichetta| avviso)|"
        r"oznaczon\w* etykietą|dodaliśmy (?:etykietę|ostrzeżenie)|"
        r"gelabeld|(?:label|waarschuwing) toegevoegd)\b"
    ),
}

# Accounts (decision_account) -------------------------------------------------------------
ACCOUNT_TERMINATED = (
    r"(?:terminated|permanently (?:suspended|disabled|banned|removed)|deleted|closed|"
    r"résilié|définitivement (?:suspendu|désactivé|bloqué)|supprimé|fermé|"
    r"gekündigt|dauerhaft (?:gesperrt|deaktiviert)|gelöscht|geschlossen|"
    r"cancelad[oa]|definitivamente (?:suspendid|bloquead|desactivad)[oa]|eliminad[oa]|cerrad[oa]|"
    r"chiuso|definitivamente (?:sospes|bloccat|disattivat)[oa]|eliminat[oa]|"
    r"trwale (?:zablokowan|zawieszon|usunięt)\w*|usunięt\w*|zamknięt\w*|"
    r"beëindigd|permanent (?:geblokkeerd|opgeschort|uitgeschakeld)|verwijderd|opgeheven)"
)
ACCOUNT_SUSPENDED = (
    r"(?:suspended|temporarily (?:disabled|restricted|locked|banned)|locked|disabled|banned|"
    r"suspendu|désactivé|bloqué|"
    r"gesperrt|gesperrt|deaktiviert|vorübergehend eingeschränkt|"
    r"suspendid[oa]|bloquead[oa]|desactivad[oa]|"
    r"sospes[oa]|bloccat[oa]|disattivat[oa]|"
    r"zawieszon\w*|zablokowan\w*|"
    r"opgeschort|geblokkeerd|uitgeschakeld)"
)

# Monetisation and service provision --------------------------------------------------------
MONETARY = (
    r"(?:demoneti[sz]\w*|monetization|monetisation|monétisation|Monetarisierung|monetización|"
    r"monetizzazione|monetyzacj\w*|monetisatie|revenue sharing|ad revenue|Werbeeinnahmen|"
    r"revenus publicitaires|ingresos publicitarios|entrate pubblicitarie|przychod\w* z reklam)"
)
PROVISION = (
    r"(?:provision of (?:the|our) service|access to (?:the|our) service|"
    r"fourniture du service|accès au service|Bereitstellung (?:des|unseres) Dienstes|"
    r"Zugang zu(?:m| unserem) Dienst|prestación del servicio|acceso al servicio|"
    r"fornitura del servizio|accesso al servizio|świadczeni\w* usług\w*|dostęp\w* do usługi|"
    r"dienstverlening|toegang tot (?:de|onze) dienst)"
)
SUSPEND_WORD = (
    r"\b(?:suspend\w*|restrict\w*|limit\w*|gesperrt|ausgesetzt|eingeschränkt|suspendu\w*|limité\w*|"
    r"suspendid\w*|limitad\w*|sospes\w*|limitat\w*|zawieszon\w*|ograniczon\w*|opgeschort|beperkt)"
)
TERMINATE_WORD = (
    r"\b(?:terminat\w*|permanent\w*|ended|beendet|dauerhaft|résili\w*|définitiv\w*|"
    r"definitiv\w*|terminad\w*|cesad\w*|cessat\w*|interrott\w*|trwał\w*|zakończ\w*|"
    r"rozwiązan\w*|beëindigd|stopgezet)"
)
PARTIAL_WORD = (
    r"(?:partial\w*|partly|teilweise|partiel\w*|parcial\w*|parzial\w*|częściow\w*|gedeeltelijk)"
)

# Grounds ---------------------------------------------------------------------------------
ILLEGAL = (
    r"\b(?:illegal|unlawful|violat\w* (?:the |local |applicable )?laws?|court order|legal order|"
    r"illicite|illégal\w*|contraire à la loi|"
    r"rechtswidrig\w*|gesetzwidrig\w*|strafbar\w*|verstößt gegen (?:das |geltendes )?(?:Recht|Gesetz)|"
    r"ilícit[oa]s?|ilegal(?:es)?|contrari[oa] a la ley|"
    r"illecit[oa]|illegale|contrari[oa] alla legge|"
    r"nielegaln\w*|niezgodn\w* z prawem|bezprawn\w*|"
    r"onrechtmatig\w*|illegaal|illegale|in strijd met de wet)\b"
)
INCOMPATIBLE = (
    r"\b(?:terms of (?:service|use)|community (?:standards|guidelines|rules)|our (?:policies|policy|rules|terms)|"
    r"conditions (?:générales |d'utilisation)|standards de la communauté|règles de la communauté|"
    r"nos (?:règles|politiques|conditions)|"
    r"Nutzungsbedingungen|Gemeinschaftsstandards|Community-Richtlinien|Gemeinschaftsrichtlinien|"
    r"unsere[nr]? (?:Richtlinien|Regeln|Bedingungen)|"
    r"condiciones (?:de uso|del servicio)|normas (?:comunitarias|de la comunidad)|nuestras (?:políticas|normas)|"
    r"termini (?:di servizio|d'uso)|condizioni d'uso|standard della community|linee guida della community|"
    r"nostre (?:normative|regole)|"
    r"regulamin\w*|standard\w* społeczności|zasad\w* społeczności|warunk\w* korzystania|nasz\w* zasad\w*|"
    r"gebruiksvoorwaarden|servicevoorwaarden|communityrichtlijnen|communitynormen|onze (?:regels|richtlijnen|voorwaarden))"
)
LEGAL_GROUND_LABEL = (
    r"(?:legal (?:ground|basis)|law concerned|base juridique|fondement juridique|motif juridique|"
    r"Rechtsgrundlage|rechtliche Grundlage|base jurídica|fundamento jurídico|base giuridica|"
    r"fondamento giuridico|podstawa prawna|rechtsgrond|wettelijke grondslag)"
)
CONTRACT_GROUND_LABEL = (
    r"(?:contractual ground|policy(?: violated)?|rule violated|motif contractuel|politique|"
    r"règle enfreinte|vertragliche Grundlage|Richtlinie|verletzte Regel|motivo contractual|"
    r"política|norma infringida|motivo contrattuale|normativa|regola violata|"
    r"podstawa umowna|naruszona zasada|zasada|contractuele grond|beleid|overtreden regel)"
)
STATUTE = (
    r"(?:§+\s*\d+[a-z]?(?:\s*(?:Abs\.\s*\d+|\(\d+\)))?\s+[A-ZÄÖÜ][\wÄÖÜäöüß]{1,12}|"
    r"\b(?:Article|Art\.|Artikel|Artículo|Articolo|Artykuł|Art)\s*\d+[\w()]*\s+"
    r"(?:(?:of|de|du|des|del|della|dello|van|des)\s+(?:the\s+|la\s+|le\s+|het\s+)?)?"
    r"[A-ZÄÖÜ][\w\u00C0-\u017F.'-]*(?:\s+[\w\u00C0-\u017F.'-]+){0,5})"
)

# Automation ------------------------------------------------------------------------------
AUTO = r"(?:autom[aá]t\w*|zautomatyzowan\w*|geautomatiseerd\w*)"
DETECTED = (
    r"(?:detected|identified|flagged|found|discovered|détecté\w*|identifié\w*|repéré\w*|erkannt|"
    r"entdeckt|identifiziert|festgestellt|detectad\w*|identificad\w*|rilevat\w*|individuat\w*|"
    r"wykryt\w*|zidentyfikowan\w*|gedetecteerd|opgespoord|ontdekt)"
)
DETECTION_YES = (
    rf"{DETECTED}\s+(?:[\w'’]+\s+){{0,4}}?{AUTO}|"
    rf"{AUTO}\s+(?:[\w'’]+\s+){{0,4}}?{DETECTED}|"
    r"automated detection|détection automatisée|automatisierte Erkennung|detección automatizada|"
    r"rilevamento automatizzato|automatyczne wykrywanie|geautomatiseerde detectie"
)
DETECTION_LABEL = (
    r"(?:automated detection|détection automatisée|automatisierte Erkennung|detección automatizada|"
    r"rilevamento automatizzato|automatyczne wykrywanie|geautomatiseerde detectie)"
    r"\s*[:\-–]\s*(yes|no|oui|non|ja|nein|sí|si|sì|tak|nie|nee)\b"
)
YES_WORDS = frozenset({"yes", "oui", "ja", "sí", "si", "sì", "tak"})

DECISION_FULLY = (
    r"(?:fully|entirely|solely|exclusively|completely|wholly)\s+(?:\w+\s+){0,2}?(?:by\s+)?automat\w*|"
    r"(?:entièrement|totalement|exclusivement|uniquement)\s+(?:par des moyens\s+)?automatis\w*|"
    r"vollautomatisiert|vollständig automatisiert|ausschließlich automatisiert|"
    r"(?:totalmente|completamente|exclusivamente|íntegramente)\s+automatizad\w*|"
    r"(?:completamente|interamente|totalmente|esclusivamente)\s+automatizzat\w*|"
    r"(?:w pełni|całkowicie|wyłącznie)\s+(?:\w+\s+)?(?:zautomatyzowan|automatyczn)\w*|"
    r"(?:volledig|geheel|uitsluitend)\s+geautomatiseerd\w*"
)
DECISION_PARTIALLY = (
    r"(?:partially|partly)\s+automat\w*|with the (?:help|assistance|support) of automat\w*|"
    r"partiellement automatis\w*|teilweise automatisiert|teilautomatisiert|"
    r"parcialmente automatizad\w*|parzialmente automatizzat\w*|"
    r"częściowo (?:zautomatyzowan|automatyczn)\w*|gedeeltelijk geautomatiseerd\w*"
)
DECISION_NOT = (
    r"not automated|non-automated|(?:made|taken|reviewed) by (?:a |our )?(?:human|person|reviewer|team member)s?|"
    r"member of our (?:\w+ )?team|human review\w*|"
    r"manual(?:ly)? review\w*|non automatisée?|manuellement|par un(?:e)? (?:humain|personne|modérat\w*)|"
    r"nicht automatisiert|manuell|von (?:einem|einer) (?:Menschen|Mitarbeiter\w*|Person)|"
    r"no automatizad\w*|manualmente|por (?:una persona|un revisor humano|un moderador)|"
    r"non automatizzat\w*|da (?:una persona|un revisore umano|un moderatore)|"
    r"niezautomatyzowan\w*|ręczn\w*|przez człowieka|przez moderatora|"
    r"niet geautomatiseerd|handmatig|door een (?:mens|medewerker|moderator)"
)
DECISION_LABEL = (
    r"(?:automated decision|décision automatisée|automatisierte Entscheidung|decisión automatizada|"
    r"decisione automatizzata|automatyczna decyzja|geautomatiseerde beslissing)"
    r"\s*[:\-–]\s*([^\n.;]{1,40})"
)

NEGATION = r"\b(?:not|no|never|without|nicht|kein\w*|ohne|pas|sans|non|sin|senza|nie|bez|niet|geen|zonder)\b"

# Sources (source_type) -------------------------------------------------------------------
SOURCES = {
    "SOURCE_TRUSTED_FLAGGER": (
        r"trusted flagger|vertrauenswürdig\w* Hinweisgeber\w*|signaleur de confiance|"
        r"alertador fiable|segnalatore attendibile|zaufan\w* podmio\w* sygnalizując\w*|"
        r"betrouwbare flagger"
    ),
    "SOURCE_ARTICLE_16": (
        r"(?:following|after|in response to) (?:a |the )?(?:notice|report)|reported by|"
        r"suite à (?:un|une) (?:signalement|notification)|signalé\w* par|"
        r"(?:nach|aufgrund) einer Meldung|gemeldet|"
        r"tras (?:una|la) (?:notificación|denuncia)|denunciad\w* por|"
        r"a seguito di una segnalazione|segnalat\w* da|"
        r"w wyniku zgłoszenia|zgłoszon\w* przez|"
        r"(?:na|naar aanleiding van) een melding|gemeld door"
    ),
    "SOURCE_VOLUNTARY": (
        r"own initiative|on our own|de (?:notre|sa) propre initiative|eigen(?:er)? Initiative|"
        r"eigeninitiativ|(?:por|de) (?:iniciativa propia|propia iniciativa)|"
        r"di propria iniziativa|z własnej inicjatywy|op eigen initiatief"
    ),
}

# Territorial scope ---------------------------------------------------------------------
EEA_WIDE = (
    r"\b(?:EU|EEA|European Union|European Economic Area|all (?:EU )?member states|worldwide|globally|"
    r"UE|EEE|Union européenne|Espace économique européen|dans le monde entier|"
    r"EWR|Europäischen Union|weltweit|Unión Europea|Espacio Económico Europeo|en todo el mundo|"
    r"Unione europea|Spazio economico europeo|in tutto il mondo|"
    r"Unii Europejskiej|Europejskiego Obszaru Gospodarczego|EOG|na całym świecie|"
    r"Europese Unie|Europese Economische Ruimte|wereldwijd)\b"
)
SCOPE_CONTEXT = (
    r"(?:territor\w*|geographic\w*|countr\w*|scope|appl(?:y|ies)|available|withheld|blocked|restricted in|"
    r"s'applique|gilt|se aplica|si applica|obowiązuje|geldt|"
    r"pays|portée|disponible|bloqué\w*|Land|Ländern|Geltungsbereich|verfügbar|gesperrt|"
    r"país\w*|ámbito|bloquead\w*|paes\w*|ambito|disponibil\w*|bloccat\w*|"
    r"kraj\w*|zakres|dostępn\w*|zablokowan\w*|land|landen|reikwijdte|beschikbaar|geblokkeerd)"
)
SCOPE_LABEL = (
    r"(?:territorial scope|geographic scope|champ territorial|portée territoriale|"
    r"räumlicher Geltungsbereich|Geltungsbereich|ámbito territorial|ambito territoriale|"
    r"zakres terytorialny|territoriale reikwijdte)\s*[:\-–]\s*([^\n]{1,200})"
)

# Duration and dates ------------------------------------------------------------------------
UNTIL = (
    r"(?:until|till|through|ends on|expires on|jusqu'au|jusqu’au|jusqu'à|bis zum|bis|"
    r"hasta el|hasta|fino al|fino a|do dnia|do|tot en met|tot)"
)
DURATION = (
    r"(?:for|pendant|für|durante|per|na|voor|przez)\s+(\d{1,4})\s+"
    r"(days?|jours?|Tage[n]?|Tag|días?|giorni|giorno|dni|dzień|dagen|dag|"
    r"weeks?|semaines?|Wochen?|semanas?|settimane?|tygodni\w*|weken|week|"
    r"months?|mois|Monate[n]?|Monat|mes(?:es)?|mesi|mese|miesi\w*|maanden|maand|"
    r"hours?|heures?|Stunden?|horas?|ore|ora|godzin\w*|uren|uur)"
)
INDEFINITE = (
    r"\b(?:permanently|indefinitely|définitivement|indéfiniment|dauerhaft|unbefristet|"
    r"permanentemente|indefinidamente|definitivamente|a tempo indeterminato|"
    r"trwale|bezterminowo|na stałe|permanent|voor onbepaalde tijd)\b"
)

# Redress options mentioned (Art 17(3)(f)); codes are Amparo's (the TDB has no column) -----
REDRESS = {
    "INTERNAL_COMPLAINT": (
        r"\b(?:appeal|internal complaint|request a review|complaint-handling|"
        r"faire appel|contester|réclamation|recours interne|"
        r"Einspruch|Widerspruch|Beschwerde|Überprüfung beantragen|"
        r"recurso|apelar|apelación|reclamación|"
        r"ricorso|reclamo|impugnare|"
        r"odwołani\w*|odwołać|reklamacj\w*|"
        r"bezwaar|beroep|klacht)"
    ),
    "OUT_OF_COURT_SETTLEMENT": (
        r"(?:out-of-court|dispute settlement|Appeals Centre|User Rights|ADROIT|"
        r"extrajudiciaire|règlement des litiges|außergerichtlich\w*|Streitbeilegung\w*|"
        r"extrajudicial|resolución de litigios|extragiudiziale|risoluzione delle controversie|"
        r"pozasądow\w*|rozstrzygania sporów|buitengerechtelijk\w*|geschillenbeslechting)"
    ),
    "JUDICIAL_REDRESS": (
        r"(?:(?<![-\w])court\b|(?<!extra)judicial|tribunal|juridiction|\bjuge\b|\bGericht\w*|Rechtsweg|"
        r"\bjuez\b|\bjuzgado|tribunale|giudice|autorità giudiziaria|"
        r"\bsąd\w*|\brechter|\brechtbank|\bgerechtelijk\w*)"
    ),
    "DSC_COMPLAINT": (
        r"(?:Digital Services Coordinator|coordinateur pour les services numériques|"
        r"Koordinator für digitale Dienste|coordinador de servicios digitales|"
        r"coordinatore dei servizi digitali|koordynator\w* ds\. usług cyfrowych|"
        r"digitaledienstencoördinator)"
    ),
}

# Content ids (platform_uid) --------------------------------------------------------------
PUID_LABEL = (
    r"(?:content id(?:entifier)?|content-ID|post id|video id|Inhalts-ID|identifiant du contenu|"
    r"ID del contenido|ID del contenuto|identyfikator treści|ID treści|inhouds-ID|"
    r"reference(?: number)?|ref\.|case (?:number|id)|référence|Referenz(?:nummer)?|Aktenzeichen|"
    r"referencia|riferimento|numer referencyjny|sygnatura|referentie(?:nummer)?|kenmerk)"
    r"\s*(?:[:#]|no\.?|nr\.?|n°)\s*([A-Za-z0-9][A-Za-z0-9_:./-]{2,80})"
)
PUID_URLS = (
    r"(?:twitter|x)\.com/[^/\s]+/status/(\d+)",
    r"facebook\.com/(?:[^\s?]+/)?(?:posts|videos|photos|permalink)/(?:[^\s?/]+/)?([\w.]+)",
    r"facebook\.com/story\.php\?(?:[^\s]*&)?story_fbid=(\w+)",
    r"instagram\.com/(?:p|reel|tv)/([\w-]+)",
    r"threads\.(?:net|com)/@[^/\s]+/post/([\w-]+)",
    r"youtube\.com/watch\?(?:[^\s]*&)?v=([\w-]{6,})",
    r"youtu\.be/([\w-]{6,})",
    r"youtube\.com/shorts/([\w-]{6,})",
    r"tiktok\.com/@[^/\s]+/(?:video|photo)/(\d+)",
    r"linkedin\.com/(?:feed/update|posts)/([\w:%-]+)",
    r"reddit\.com/r/\w+/comments/(\w+)",
    r"t\.me/[\w]+/(\d+)",
)
