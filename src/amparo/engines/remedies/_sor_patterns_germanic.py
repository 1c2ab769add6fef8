"""Statement-of-reasons phrases in English, German and Dutch (data for :mod:`._sor_patterns`).

Each language is a dict from concept to a regular-expression fragment (case-insensitive,
Unicode, no capturing groups). Every language names every concept; an empty string says the
language has no such phrase. See :mod:`._sor_patterns` for what each concept is for.
"""

from __future__ import annotations

EN: dict[str, str] = {
    # nouns
    "CONTENT": r"content|posts?|videos?|comments?|photos?|images?|tweets?|messages?|reels?|story|thread",
    "ACCOUNT": r"account|profile|channel|page",
    # visibility measures
    "REMOVED": r"removed|deleted|taken down|take down",
    "DISABLED": (
        r"disabled access|access (?:to [\w ]{1,40} )?(?:has been |was )?disabled|withheld|"
        r"geo-?blocked|blocked|restricted access|no longer (?:available|accessible)"
    ),
    "DEMOTED": (
        r"demoted|reduced (?:the )?(?:visibility|distribution|reach)|"
        r"(?:visibility|distribution|reach) (?:has been |was )?(?:reduced|limited)|less visible"
    ),
    "AGE_RESTRICTED": r"age[- ]restrict\w*|age[- ]gate\w*|restricted to adults",
    "INTERACTION_RESTRICTED": (
        r"comments? (?:on [\w ]{1,40} )?(?:have been |has been |were |was )?(?:turned off|disabled)|"
        r"(?:turned off|disabled) comments|(?:limited|restricted) (?:interactions?|replies)|"
        r"(?:interactions?|replies) (?:have been |were )?(?:limited|restricted)"
    ),
    "LABELLED": r"label(?:l)?ed|added an? (?:label|warning|notice)|warning screen",
    # account measures
    "TERMINATED": r"terminated|terminate|deleted|closed|permanently (?:suspended|disabled|banned|removed)",
    "SUSPENDED": r"suspended|suspend|locked|disabled|deactivated",
    "RESTRICTED": r"banned|blocked|restricted|limited",
    "PERMANENT": r"permanently|permanent|for good",
    "INDEFINITE": r"indefinitely|permanently",
    "TEMPORARY": r"temporarily|temporary",
    "CONDITIONAL": (
        r"if|unless|may|might|could|would|will be|will result|can lead|lead to|risk|otherwise|"
        r"further violations?|repeated violations?"
    ),
    # money and service
    "MONETARY": r"demoneti[sz]\w*|monetization|monetisation|revenue sharing|ad revenue",
    "MONETARY_ACTION": r"no longer eligible|disabled|removed",
    "PROVISION": r"provision of (?:the|our) service|access to (?:the|our) service",
    "SUSPEND_WORD": r"suspend\w*|restrict\w*|limit\w*",
    "TERMINATE_WORD": r"terminat\w*|permanent\w*|ended",
    "PARTIAL_WORD": r"partial\w*|partly",
    # grounds
    "ILLEGAL": (
        r"illegal|unlawful|violat\w* (?:the |local |applicable )?laws?|court order|legal order|"
        r"under local law"
    ),
    "VIOLATES": (
        r"goes against|go against|went against|against our|violat\w*|breach\w*|broke|"
        r"break(?:s|ing)?|infring\w*|contraven\w*|"
        r"(?:does not|doesn't|doesn’t|do not|don't|did not|didn't) (?:follow|comply with|meet)"
    ),
    "NOT_FOLLOW": (
        r"(?:does not|doesn't|doesn’t|do not|don't|don’t|did not|didn't|didn’t) "
        r"(?:follow|comply with|meet|adhere to)|not in line with|not compliant with"
    ),
    "RULES": (
        r"(?:(?:X|Twitter|TikTok|YouTube|Telegram|LinkedIn|Facebook|Instagram|Threads|Meta)"
        r"(?:['’]s)? )?(?:Community (?:Standards|Guidelines|Rules)|Terms of (?:Service|Use)|"
        r"Terms and Conditions|User Agreement|Professional Community Policies)|"
        r"(?:X|Twitter) Rules"
    ),
    "RULE_TOPIC": r"on|regarding|about|relating to|related to|concerning",
    "POLICY": r"(?:our|the|its) [\w,&'’ -]{3,60}? polic(?:y|ies)",
    "GENERIC_RULES": r"our (?:policies|policy|rules|terms|standards)",
    "POSSESSIVE": r"our|the|its",
    "LEGAL_LABEL": (
        r"illegal content legal ground|legal (?:ground|basis)|law concerned|applicable law"
    ),
    "CONTRACT_LABEL": (
        r"incompatible content ground|contractual ground|policy(?: violated)?|rule violated"
    ),
    # automation
    "AUTO": r"automat\w*|technology|our systems|algorithm\w*|machine learning",
    "DETECTED": r"detect\w*|identified|identify|flagged|found|spotted|discovered",
    "AUTO_MEANS": (r"automated (?:means|tools|systems|technology|processes|processing)|automation"),
    "AUTO_ADVERB": r"automatically|by automated means|through automation",
    "DECISION_WORD": (
        r"decision|decided|decide|took (?:this |the )?action|action was taken|taken|made|"
        r"took (?:this |the )?decision"
    ),
    "DETECTION_TERM": r"automated detection",
    "DECISION_TERM": r"automated decision",
    "YES": r"yes",
    "NO": r"no|not automated|none",
    "FULLY": (
        r"(?:fully|entirely|solely|exclusively|completely|wholly) (?:\w+ ){0,2}?(?:by )?automat\w*|"
        r"technology (?:took|made|has taken|has made) (?:this |the )?(?:action|decision)|"
        r"(?:made|taken) by (?:our )?technology|without (?:any )?human (?:review|involvement|intervention)"
    ),
    "PARTIALLY": r"(?:partially|partly) automat\w*|with the (?:help|assistance|support) of automat\w*",
    "HUMAN": (
        r"not automated|non-automated|"
        r"(?:made|taken|reviewed|decided|assessed) by (?:a |an |our |one of our )?"
        r"(?:human|person|people|reviewer|moderator|team member|(?:[\w&]+ ){0,3}?team)s?|"
        r"(?:a |one )?(?:member|person|reviewer|moderator|specialist)s? (?:of|on|from) our "
        r"(?:[\w&]+ ){0,3}?team|our (?:\w+ )?team (?:has )?reviewed|"
        r"(?:a )?review by (?:a |our )(?:\w+ )?(?:team|person|moderator|reviewer)|"
        r"human review\w*|manual(?:ly)? review\w*"
    ),
    "NEGATION": r"not|no|never|without|\w+n['’]t",
    "POST_NEGATION": (
        r"(?:were|was|have been|has been|are|is) not (?:used|involved|applied)|"
        r"(?:weren|wasn)['’]t used"
    ),
    "GENERIC": r"learn more|find out more|read more|how we use|how meta uses",
    # sources
    "TRUSTED_FLAGGER": r"trusted flagger",
    "NOTICE": (
        r"(?:was|were|been) reported|reported (?:it|this|your)|reported to us|received a report|"
        r"(?:following|after|in response to) (?:a |an |the )?(?:legal )?(?:notice|report|complaint)|"
        r"notified to us|(?:under|pursuant to) Art(?:icle|\.)? ?16"
    ),
    "OWN_INITIATIVE": r"own initiative|on our own",
    "AUTHORITY_ORDER": (
        r"legal demand|government(?:al)? (?:request|order|demand)|order from (?:a |the )?"
        r"(?:court|authorit\w*)|court order|request from (?:the )?(?:\w+ )?authorities"
    ),
    # scope
    "EEA_WIDE": (
        r"EU|EEA|European Union|European Economic Area|all (?:EU )?member states|worldwide|globally"
    ),
    "WORLDWIDE": r"worldwide|globally",
    "SCOPE_CONTEXT": (
        r"territor\w*|geographic\w*|countr\w*|scope|appl(?:y|ies)|available|withheld|blocked|"
        r"restricted in"
    ),
    "SCOPE_LABEL": r"territorial scope|geographic scope",
    "IN": r"in|across|throughout|within",
    # time
    "UNTIL": r"until|till|through|ends on|expires on",
    "UNTIL_AFTER": r"",
    "FOR": r"for",
    "FOR_AFTER": r"",
    "HOURS": r"hours?",
    "DAYS": r"days?",
    "WEEKS": r"weeks?",
    "MONTHS": r"months?",
    "DATE_LABEL": (
        r"date of (?:the )?(?:decision|measure|restriction|action)|decision date|"
        r"date of application|application date"
    ),
    "CONTENT_DATE": r"posted|published|uploaded|shared|created|sent",
    # redress
    "APPEAL": r"appeal|internal complaint|request (?:a|another) review|complaint-handling",
    "OUT_OF_COURT": r"out-of-court|dispute settlement|Appeals Centre|User Rights|ADROIT",
    "COURT": r"(?<![-\w])court\b|(?<!extra)judicial|tribunal",
    "DSC": r"Digital Services Coordinator",
    # ids
    "PUID_LABEL": (
        r"content id(?:entifier)?|content-ID|post id|video id|reference(?: number)?|ref\.|"
        r"case (?:number|id)"
    ),
}

DE: dict[str, str] = {
    "CONTENT": r"Inhalt|Inhalte|Beitrag|Beiträge|Kommentar|Foto|Bild|Video",
    "ACCOUNT": r"Konto|Profil|Kanal|Seite|Account",
    "REMOVED": r"entfernt|gelöscht",
    "DISABLED": (
        r"nicht mehr (?:verfügbar|zugänglich)|Zugang [\w ]{0,30}deaktiviert|gesperrt|"
        r"zurückgehalten|Zugriff [\w ]{0,30}(?:eingeschränkt|beschränkt)"
    ),
    "DEMOTED": (
        r"herabgestuft|(?:Reichweite|Sichtbarkeit) [\w ]{0,40}(?:eingeschränkt|reduziert|verringert)"
    ),
    "AGE_RESTRICTED": r"Altersbeschränkung|altersbeschränkt|nur für Erwachsene",
    "INTERACTION_RESTRICTED": (
        r"Kommentare [\w ]{0,20}(?:deaktiviert|abgeschaltet)|Interaktionen [\w ]{0,20}eingeschränkt"
    ),
    "LABELLED": r"gekennzeichnet|mit einem (?:Warnhinweis|Hinweis) versehen",
    "TERMINATED": r"gekündigt|gelöscht|geschlossen|dauerhaft (?:gesperrt|deaktiviert)",
    "SUSPENDED": r"gesperrt|suspendiert|deaktiviert|vorübergehend eingeschränkt",
    "RESTRICTED": r"eingeschränkt|beschränkt|blockiert",
    "PERMANENT": r"dauerhaft|endgültig|permanent",
    "INDEFINITE": r"dauerhaft|unbefristet",
    "TEMPORARY": r"vorübergehend|vorläufig|befristet|zeitweise",
    "CONDITIONAL": r"wenn|falls|sonst|andernfalls|könnte|kann zu|können zu|führen kann|drohen",
    "MONETARY": r"Monetarisierung|Werbeeinnahmen",
    "MONETARY_ACTION": r"entzogen|deaktiviert|gesperrt|ausgesetzt",
    "PROVISION": r"Bereitstellung (?:des|unseres) Dienstes|Zugang zu(?:m| unserem) Dienst",
    "SUSPEND_WORD": r"gesperrt|ausgesetzt|eingeschränkt",
    "TERMINATE_WORD": r"beendet|dauerhaft|gekündigt",
    "PARTIAL_WORD": r"teilweise",
    "ILLEGAL": (
        r"rechtswidrig\w*|gesetzwidrig\w*|strafbar\w*|"
        r"verstößt gegen (?:das |geltendes )?(?:Recht|Gesetz)"
    ),
    "VIOLATES": r"verstößt|verstoßen|Verstoß\w*|verletzt|gegen unsere",
    "NOT_FOLLOW": r"nicht\s+(?:\S+\s+){0,5}?entspr\w*|entspricht nicht|nicht im Einklang",
    "RULES": (
        r"Gemeinschaftsstandards|Gemeinschaftsrichtlinien|Community-Richtlinien|"
        r"Community-Standards|Community-Regeln|Nutzungsbedingungen|X-Regeln|Regeln von X|"
        r"Richtlinien für die Community|Allgemeinen Geschäftsbedingungen"
    ),
    "RULE_TOPIC": r"zu|zum|zur|über|bezüglich|betreffend|hinsichtlich",
    "POLICY": r"(?:unsere[nmr]?|die|der) Richtlinien? (?:zu|zur|zum|über|gegen) [^\n.,;:()]{3,60}",
    "GENERIC_RULES": r"unsere[nr]? (?:Richtlinien|Regeln|Bedingungen)",
    "POSSESSIVE": r"unsere[nmr]?|die|der|den",
    "LEGAL_LABEL": r"Rechtsgrundlage|rechtliche Grundlage",
    "CONTRACT_LABEL": r"vertragliche Grundlage|Richtlinie|verletzte Regel",
    "AUTO": r"automat\w*|Technologie|unsere Systeme|Algorithm\w*",
    "DETECTED": r"erkannt|erkennen|entdeckt|identifiziert|festgestellt|gefunden|markiert",
    "AUTO_MEANS": r"automatisierte[nr]? (?:Mittel|Verfahren|Systeme|Tools|Werkzeuge)",
    "AUTO_ADVERB": r"automatisch|automatisiert",
    "DECISION_WORD": r"Entscheidung|entschieden|getroffen|Maßnahme",
    "DETECTION_TERM": r"automatisierte Erkennung",
    "DECISION_TERM": r"automatisierte Entscheidung",
    "YES": r"ja",
    "NO": r"nein|nicht automatisiert|keine",
    "FULLY": r"vollautomatisiert|vollständig automatisiert|ausschließlich automatisiert",
    "PARTIALLY": r"teilweise automatisiert|teilautomatisiert",
    "HUMAN": (
        r"nicht automatisiert|manuell|menschlich\w* Überprüfung|"
        r"von (?:einem|einer) (?:Menschen|Mitarbeiter\w*|Person|Mitglied\w*|Moderator\w*)|"
        r"(?:ein|einem) Mitglied unseres \w*[Tt]eams"
    ),
    "NEGATION": r"nicht|kein\w*|ohne",
    "POST_NEGATION": r"(?:wurden|wurde) nicht (?:eingesetzt|verwendet|genutzt)",
    "GENERIC": r"mehr erfahren|weitere Informationen|erfahre mehr",
    "TRUSTED_FLAGGER": r"vertrauenswürdig\w* Hinweisgeber\w*",
    "NOTICE": r"(?:nach|aufgrund) einer Meldung|Meldung eines|gemeldet|nach Art\. ?16",
    "OWN_INITIATIVE": r"eigen(?:er)? Initiative|eigeninitiativ",
    "AUTHORITY_ORDER": r"behördlich\w* Anordnung|Anordnung (?:einer|der) Behörde|gerichtlich\w* Anordnung",
    "EEA_WIDE": r"EU|EWR|Europäischen Union|weltweit",
    "WORLDWIDE": r"weltweit",
    "SCOPE_CONTEXT": r"gilt|Land|Ländern|Geltungsbereich|verfügbar|gesperrt",
    "SCOPE_LABEL": r"räumlicher Geltungsbereich|Geltungsbereich",
    "IN": r"in|im|innerhalb",
    "UNTIL": r"bis zum|bis",
    "UNTIL_AFTER": r"",
    "FOR": r"für",
    "FOR_AFTER": r"",
    "HOURS": r"Stunden?",
    "DAYS": r"Tage[n]?|Tag",
    "WEEKS": r"Wochen?",
    "MONTHS": r"Monate[n]?|Monat",
    "DATE_LABEL": r"Datum der (?:Entscheidung|Maßnahme)|Entscheidungsdatum",
    "CONTENT_DATE": r"veröffentlicht|hochgeladen|gepostet|geteilt|erstellt",
    "APPEAL": r"Einspruch|Widerspruch|Beschwerde|Überprüfung beantragen|anfechten",
    "OUT_OF_COURT": r"außergerichtlich\w*|Streitbeilegung\w*",
    "COURT": r"\bGericht\w*|Rechtsweg",
    "DSC": r"Koordinator für digitale Dienste",
    "PUID_LABEL": r"Inhalts-ID|Referenz(?:nummer)?|Aktenzeichen",
}

NL: dict[str, str] = {
    "CONTENT": r"inhoud|bericht|berichten|reactie|afbeelding|video|foto",
    "ACCOUNT": r"account|profiel|kanaal|pagina",
    "REMOVED": r"verwijderd",
    "DISABLED": r"ontoegankelijk gemaakt|geblokkeerd|niet langer beschikbaar|niet meer beschikbaar",
    "DEMOTED": r"zichtbaarheid (?:is )?(?:beperkt|verminderd)|minder zichtbaar|gedegradeerd",
    "AGE_RESTRICTED": r"leeftijdsbeperking|alleen voor volwassenen",
    "INTERACTION_RESTRICTED": r"reacties (?:zijn )?uitgeschakeld|interacties (?:zijn )?beperkt",
    "LABELLED": r"gelabeld|(?:label|waarschuwing) toegevoegd",
    "TERMINATED": (
        r"beëindigd|verwijderd|opgeheven|permanent (?:geblokkeerd|opgeschort|uitgeschakeld)"
    ),
    "SUSPENDED": r"opgeschort|uitgeschakeld|gedeactiveerd|geschorst",
    "RESTRICTED": r"geblokkeerd|verbannen|beperkt|gebanned",
    "PERMANENT": r"permanent|definitief|voorgoed",
    "INDEFINITE": r"permanent|voor onbepaalde tijd",
    "TEMPORARY": r"tijdelijk",
    "CONDITIONAL": r"als|indien|tenzij|kan leiden|kunnen leiden|zal|zullen|anders",
    "MONETARY": r"monetisatie|advertentie-inkomsten",
    "MONETARY_ACTION": r"ingetrokken|uitgeschakeld|opgeschort",
    "PROVISION": r"dienstverlening|toegang tot (?:de|onze) dienst",
    "SUSPEND_WORD": r"opgeschort|beperkt",
    "TERMINATE_WORD": r"beëindigd|stopgezet",
    "PARTIAL_WORD": r"gedeeltelijk",
    "ILLEGAL": r"onrechtmatig\w*|illegaal|illegale|in strijd met de wet",
    "VIOLATES": r"in strijd met|schendt|schending\w*|overtreedt|overtreding\w*",
    "NOT_FOLLOW": r"(?:voldoet|voldoen) niet|niet voldoet|niet voldoen|niet in overeenstemming",
    "RULES": (
        r"Communitynormen|Communityrichtlijnen|Communityregels|Gebruiksvoorwaarden|"
        r"Servicevoorwaarden|Regels van X|X-regels"
    ),
    "RULE_TOPIC": r"over|inzake|met betrekking tot|rond",
    "POLICY": r"(?:ons|onze|het|de) (?:beleid|richtlijnen?) (?:inzake|over|tegen) [^\n.,;:()]{3,60}",
    "GENERIC_RULES": r"onze (?:regels|richtlijnen|voorwaarden)",
    "POSSESSIVE": r"ons|onze|het|de",
    "LEGAL_LABEL": r"rechtsgrond|wettelijke grondslag",
    "CONTRACT_LABEL": r"contractuele grond|beleid|overtreden regel",
    "AUTO": r"automat\w*|geautomatiseerd\w*|technologie|onze systemen",
    "DETECTED": r"gedetecteerd|opgespoord|ontdekt|gevonden|herkend",
    "AUTO_MEANS": r"geautomatiseerde (?:middelen|systemen|hulpmiddelen)",
    "AUTO_ADVERB": r"automatisch",
    "DECISION_WORD": r"beslissing|besluit|genomen|besloten",
    "DETECTION_TERM": r"geautomatiseerde detectie",
    "DECISION_TERM": r"geautomatiseerde beslissing",
    "YES": r"ja",
    "NO": r"nee|niet geautomatiseerd|geen",
    "FULLY": r"(?:volledig|geheel|uitsluitend) geautomatiseerd\w*",
    "PARTIALLY": r"gedeeltelijk geautomatiseerd\w*",
    "HUMAN": (
        r"niet geautomatiseerd|handmatig|door een (?:mens|medewerker|moderator|persoon)|"
        r"(?:een )?medewerker van ons \w*team|ons team heeft"
    ),
    "NEGATION": r"niet|geen|zonder",
    "POST_NEGATION": r"(?:zijn|werden|is|werd) niet gebruikt",
    "GENERIC": r"meer informatie|lees meer|meer weten",
    "TRUSTED_FLAGGER": r"betrouwbare flagger",
    "NOTICE": r"(?:na|naar aanleiding van) een melding|gemeld door|werd gemeld|is gemeld",
    "OWN_INITIATIVE": r"op eigen initiatief",
    "AUTHORITY_ORDER": r"bevel van (?:een|de) (?:rechter|autoriteit)|verzoek van (?:de )?overheid",
    "EEA_WIDE": r"Europese Unie|Europese Economische Ruimte|EER|wereldwijd",
    "WORLDWIDE": r"wereldwijd",
    "SCOPE_CONTEXT": r"geldt|land|landen|reikwijdte|beschikbaar|geblokkeerd",
    "SCOPE_LABEL": r"territoriale reikwijdte",
    "IN": r"in|binnen",
    "UNTIL": r"tot en met|tot",
    "UNTIL_AFTER": r"",
    "FOR": r"voor",
    "FOR_AFTER": r"",
    "HOURS": r"uren|uur",
    "DAYS": r"dagen|dag",
    "WEEKS": r"weken|week",
    "MONTHS": r"maanden|maand",
    "DATE_LABEL": r"datum van de beslissing|beslissingsdatum",
    "CONTENT_DATE": r"geplaatst|gepubliceerd|geüpload|gedeeld",
    "APPEAL": r"bezwaar|beroep|klacht",
    "OUT_OF_COURT": r"buitengerechtelijk\w*|geschillenbeslechting",
    "COURT": r"\brechter|\brechtbank|\bgerechtelijk\w*",
    "DSC": r"digitaledienstencoördinator",
    "PUID_LABEL": r"inhouds-ID|referentie(?:nummer)?|kenmerk",
}
