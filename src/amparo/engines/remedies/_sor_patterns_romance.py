"""Statement-of-reasons phrases in French, Spanish, Italian and Portuguese.

Data for :mod:`._sor_patterns`: one dict per language, concept to regular-expression fragment
(case-insensitive, no capturing groups; an empty string: the language has no such phrase).
Portuguese covers both the European and the Brazilian wording of the platforms.
"""

from __future__ import annotations

FR: dict[str, str] = {
    "CONTENT": r"contenu|publication|vidéo|commentaire|photo|image|message|post",
    "ACCOUNT": r"compte|profil|chaîne|page",
    "REMOVED": r"supprimée?s?|retirée?s?",
    "DISABLED": (
        r"n'est plus (?:disponible|accessible)|n’est plus (?:disponible|accessible)|"
        r"rendue? inaccessible|rendu\w* (?:\S+ ){0,3}inaccessible|accès (?:a été )?désactivé|"
        r"bloquée?|restreint l'accès|accès (?:a été )?restreint"
    ),
    "DEMOTED": (
        r"rétrogradée?|visibilité (?:a été )?(?:réduite|limitée)|réduit (?:la )?visibilité"
    ),
    "AGE_RESTRICTED": r"restriction d'âge|limitée? aux (?:adultes|majeurs)",
    "INTERACTION_RESTRICTED": (
        r"commentaires (?:ont été )?désactivés|interactions (?:ont été )?(?:limitées|restreintes)"
    ),
    "LABELLED": r"étiquetée?|ajouté (?:un avertissement|une étiquette)",
    "TERMINATED": (
        r"résilié|supprimé|fermé|définitivement (?:suspendu|désactivé|bloqué)|"
        r"(?:suspendu|désactivé|bloqué) définitivement"
    ),
    "SUSPENDED": r"suspendu\w*|désactivé\w*|verrouillé\w*",
    "RESTRICTED": r"bloqué\w*|banni\w*|restreint\w*|limité\w*",
    "PERMANENT": r"définitivement|de (?:manière|façon) (?:permanente|définitive)|à titre définitif",
    "INDEFINITE": r"définitivement|indéfiniment",
    "TEMPORARY": r"temporairement|provisoirement",
    "CONDITIONAL": (
        r"si|sinon|pourrait|pourra|peut entraîner|sera|seront|risque|en cas de|"
        r"nouvelles? infractions?"
    ),
    "MONETARY": r"monétisation|revenus publicitaires",
    "MONETARY_ACTION": r"retiré\w*|désactivé\w*|suspendu\w*",
    "PROVISION": r"fourniture du service|accès au service",
    "SUSPEND_WORD": r"suspendu\w*|limité\w*",
    "TERMINATE_WORD": r"résili\w*|définitiv\w*",
    "PARTIAL_WORD": r"partiel\w*",
    "ILLEGAL": r"illicite|illégal\w*|contraire à la loi",
    "VIOLATES": (
        r"enfrei\w*|viole|violent|violé\w*|violation\w*|contrevien\w*|contraire à nos|infraction\w*|"
        r"ne respect\w* pas|n'est pas conforme"
    ),
    "NOT_FOLLOW": r"ne respect\w* pas|n'est pas conforme|n’est pas conforme|non conforme",
    "RULES": (
        r"Standards de la communauté|Règlement de la communauté|Règles de la communauté|"
        r"Règles (?:de|d') ?(?:X|Twitter)|Conditions (?:générales )?d'utilisation|"
        r"Conditions d’utilisation|Conditions de service|Conditions générales"
    ),
    "RULE_TOPIC": r"sur|concernant|relati(?:ve|f)s? (?:à|aux?)|en matière de|portant sur",
    "POLICY": (
        r"(?:notre|nos|la|les) politiques? (?:en matière de|relative à|sur|contre) [^\n.,;:()]{3,60}"
    ),
    "GENERIC_RULES": r"nos (?:règles|politiques|conditions)",
    "POSSESSIVE": r"notre|nos|la|les|le",
    "LEGAL_LABEL": r"base juridique|fondement juridique|motif juridique",
    "CONTRACT_LABEL": r"motif contractuel|fondement contractuel|politique|règle enfreinte",
    "AUTO": r"automati\w*|technologie|nos systèmes|algorithm\w*",
    "DETECTED": r"détect\w*|identifié\w*|repéré\w*|signalée? par nos",
    "AUTO_MEANS": r"moyens? automatisés?|outils? automatisés?|systèmes? automatisés?",
    "AUTO_ADVERB": r"automatiquement|de (?:manière|façon) automati(?:que|sée)",
    "DECISION_WORD": r"décision|décidé|pris\w*|mesure",
    "DETECTION_TERM": r"détection automatisée",
    "DECISION_TERM": r"décision automatisée",
    "YES": r"oui",
    "NO": r"non|aucune?",
    "FULLY": r"(?:entièrement|totalement|exclusivement|uniquement) (?:par des moyens )?automatis\w*",
    "PARTIALLY": r"partiellement automatis\w*",
    "HUMAN": (
        r"non automatisée?|manuellement|"
        r"par un(?:e)? (?:humain|personne|modérat\w*|membre de notre équipe)|"
        r"(?:un|une) (?:membre|personne|modérat\w*|examinat\w*) de notre équipe|"
        r"examinée? par (?:un|une|notre) (?:membre|personne|modérat\w*|équipe)"
    ),
    "NEGATION": r"pas|sans|non|aucune?|jamais|ni",
    "POST_NEGATION": r"n['’](?:a|ont) (?:pas )?été utilisé\w*",
    "GENERIC": r"en savoir plus|pour en savoir plus|découvrez comment",
    "TRUSTED_FLAGGER": r"signaleur de confiance",
    "NOTICE": (
        r"suite à (?:un|une) (?:signalement|notification)|à la suite d'un signalement|"
        r"signalé\w* par|signalement d'un|au titre de l'article 16"
    ),
    "OWN_INITIATIVE": r"de (?:notre|sa) propre initiative",
    "AUTHORITY_ORDER": r"injonction|décision de justice|demande des autorités|ordre d'une autorité",
    "EEA_WIDE": (r"UE|EEE|Union européenne|Espace économique européen|dans le monde entier"),
    "WORLDWIDE": r"dans le monde entier",
    "SCOPE_CONTEXT": r"s'applique|pays|portée|disponible|bloqué\w*",
    "SCOPE_LABEL": r"champ territorial|portée territoriale",
    "IN": r"dans|en|au|aux",
    "UNTIL": r"jusqu'au|jusqu’au|jusqu'à|jusqu’à",
    "UNTIL_AFTER": r"",
    "FOR": r"pendant|pour",
    "FOR_AFTER": r"",
    "HOURS": r"heures?",
    "DAYS": r"jours?",
    "WEEKS": r"semaines?",
    "MONTHS": r"mois",
    "DATE_LABEL": r"date de (?:la )?(?:décision|mesure)",
    "CONTENT_DATE": r"publiée?|mise? en ligne|partagée?",
    "APPEAL": r"faire appel|contester|réclamation|recours interne|nouvel examen",
    "OUT_OF_COURT": r"extrajudiciaire|règlement des litiges",
    "COURT": r"tribunal|juridiction|\bjuge\b|juridictionnel",
    "DSC": r"coordinateur pour les services numériques",
    "PUID_LABEL": r"identifiant du contenu|référence",
}

ES: dict[str, str] = {
    "CONTENT": r"contenido|publicación|comentario|vídeo|video|foto|imagen|mensaje",
    "ACCOUNT": r"cuenta|perfil|canal|página",
    "REMOVED": r"eliminad[oa]s?|retirad[oa]s?|borrad[oa]s?|hemos retirado|hemos eliminado",
    "DISABLED": (
        r"ya no está disponible|inhabilitad[oa]|acceso (?:ha sido )?(?:bloqueado|desactivado|restringido)|"
        r"bloquead[oa]|restringido el acceso"
    ),
    "DEMOTED": r"visibilidad (?:ha sido )?(?:reducida|limitada)|reducido (?:la )?visibilidad",
    "AGE_RESTRICTED": r"restricción de edad|restringid[oa] a (?:adultos|mayores)",
    "INTERACTION_RESTRICTED": (
        r"comentarios (?:han sido )?desactivados|interacciones (?:han sido )?(?:limitadas|restringidas)"
    ),
    "LABELLED": r"etiquetad[oa]|añadido una (?:etiqueta|advertencia)",
    "TERMINATED": (
        r"cancelad[oa]|eliminad[oa]|cerrad[oa]|"
        r"definitivamente (?:suspendid|bloquead|desactivad)[oa]"
    ),
    "SUSPENDED": r"suspendid[oa]|suspendido|desactivad[oa]",
    "RESTRICTED": r"bloquead[oa]|restringid[oa]|limitad[oa]|prohibid[oa]",
    "PERMANENT": (r"de (?:forma|manera) (?:permanente|definitiva)|permanentemente|definitivamente"),
    "INDEFINITE": r"permanentemente|indefinidamente|definitivamente",
    "TEMPORARY": r"temporalmente|de forma temporal",
    "CONDITIONAL": r"si|podría|puede dar lugar|será|serán|en caso de|de lo contrario",
    "MONETARY": r"monetización|ingresos publicitarios",
    "MONETARY_ACTION": r"retirad\w*|desactivad\w*|suspendid\w*",
    "PROVISION": r"prestación del servicio|acceso al servicio",
    "SUSPEND_WORD": r"suspendid\w*|limitad\w*",
    "TERMINATE_WORD": r"terminad\w*|cesad\w*|definitiv\w*",
    "PARTIAL_WORD": r"parcial\w*",
    "ILLEGAL": r"ilícit[oa]s?|ilegal(?:es)?|contrari[oa] a la ley",
    "VIOLATES": r"infring\w*|incumpl\w*|viola|violan|violad\w*|violaci\w*|violó|no cumple|no sigue|no respeta|va en contra",
    "NOT_FOLLOW": r"no cumple|no sigue|no respeta|no se ajusta",
    "RULES": (
        r"Normas comunitarias|Normas de la comunidad|Reglas de (?:X|Twitter)|"
        r"Condiciones (?:de uso|del servicio)|Términos (?:de servicio|y condiciones|de uso)"
    ),
    "RULE_TOPIC": r"sobre|en materia de|relativas? a|acerca de",
    "POLICY": (
        r"(?:nuestra|nuestras|la|las) polític(?:a|as) (?:de|sobre|contra|en materia de) "
        r"[^\n.,;:()]{3,60}"
    ),
    "GENERIC_RULES": r"nuestras (?:políticas|normas)",
    "POSSESSIVE": r"nuestras?|las?|los",
    "LEGAL_LABEL": r"base jurídica|fundamento jurídico",
    "CONTRACT_LABEL": r"motivo contractual|política|norma infringida",
    "AUTO": r"autom[aá]t\w*|tecnología|nuestros sistemas|algoritm\w*",
    "DETECTED": r"detect\w*|identificad\w*|marcad\w*",
    "AUTO_MEANS": r"medios automatizados|herramientas automatizadas|sistemas automatizados",
    "AUTO_ADVERB": r"automáticamente|de (?:forma|manera) automática|de forma automatizada",
    "DECISION_WORD": r"decisión|decidido|tomó|tomamos|tomado|tomada|medida",
    "DETECTION_TERM": r"detección automatizada",
    "DECISION_TERM": r"decisión automatizada",
    "YES": r"sí|si",
    "NO": r"no|ninguno",
    "FULLY": r"(?:totalmente|completamente|exclusivamente|íntegramente) automatizad\w*",
    "PARTIALLY": r"parcialmente automatizad\w*",
    "HUMAN": (
        r"no automatizad\w*|manualmente|"
        r"por (?:una persona|un revisor humano|un moderador|nuestro equipo)|"
        r"(?:un|una) (?:revisor\w*|persona|moderador\w*|miembro) de nuestro equipo|"
        r"nuestro equipo ha revisado|revisad[oa] por una persona"
    ),
    "NEGATION": r"no|sin|ningún|ninguna|nunca",
    "POST_NEGATION": r"no (?:se )?(?:utilizaron|usaron|se han utilizado)",
    "GENERIC": r"más información|obtén más información",
    "TRUSTED_FLAGGER": r"alertador fiable",
    "NOTICE": (
        r"tras (?:una|la) (?:notificación|denuncia)|tras recibir una (?:denuncia|notificación)|"
        r"denunciad\w* por"
    ),
    "OWN_INITIATIVE": r"(?:por|de) (?:iniciativa propia|propia iniciativa)",
    "AUTHORITY_ORDER": r"orden judicial|requerimiento de (?:las|una) autoridad\w*",
    "EEA_WIDE": r"UE|Unión Europea|Espacio Económico Europeo|en todo el mundo",
    "WORLDWIDE": r"en todo el mundo",
    "SCOPE_CONTEXT": r"se aplica|país\w*|ámbito|bloquead\w*",
    "SCOPE_LABEL": r"ámbito territorial",
    "IN": r"en",
    "UNTIL": r"hasta el|hasta",
    "UNTIL_AFTER": r"",
    "FOR": r"durante|por",
    "FOR_AFTER": r"",
    "HOURS": r"horas?",
    "DAYS": r"días?",
    "WEEKS": r"semanas?",
    "MONTHS": r"mes(?:es)?",
    "DATE_LABEL": r"fecha de (?:la )?(?:decisión|medida)",
    "CONTENT_DATE": r"publicad[oa]|subid[oa]|compartid[oa]",
    "APPEAL": r"recurso|apelar|apelación|reclamación|otra revisión",
    "OUT_OF_COURT": r"extrajudicial|resolución de litigios",
    "COURT": r"\bjuez\b|\bjuzgado|tribunal",
    "DSC": r"coordinador de servicios digitales",
    "PUID_LABEL": r"ID del contenido|referencia",
}

IT: dict[str, str] = {
    "CONTENT": r"contenuto|post|commento|immagine|video|foto|messaggio",
    "ACCOUNT": r"account|profilo|canale|pagina",
    "REMOVED": r"rimoss[oa]|eliminat[oa]",
    "DISABLED": r"non è più disponibile|disabilitat[oa]|resa? inaccessibile|bloccat[oa]",
    "DEMOTED": r"visibilità (?:è stata )?(?:ridotta|limitata)|ridotto (?:la )?visibilità",
    "AGE_RESTRICTED": r"limite di età|riservat[oa] (?:agli adulti|ai maggiorenni)",
    "INTERACTION_RESTRICTED": (
        r"commenti (?:sono stati )?disattivati|interazioni (?:sono state )?limitate"
    ),
    "LABELLED": r"etichettat[oa]|aggiunto un(?:'etichetta| avviso)",
    "TERMINATED": (
        r"chiuso|eliminat[oa]|cancellat[oa]|definitivamente (?:sospes|bloccat|disattivat)[oa]"
    ),
    "SUSPENDED": r"sospes[oa]|disattivat[oa]",
    "RESTRICTED": r"bloccat[oa]|limitat[oa]|bannat[oa]",
    "PERMANENT": r"in modo (?:permanente|definitivo)|permanentemente|definitivamente",
    "INDEFINITE": r"permanentemente|definitivamente|a tempo indeterminato",
    "TEMPORARY": r"temporaneamente",
    "CONDITIONAL": (
        r"se (?:non|continu\w*|viol\w*|ripet\w*|dovess\w*)|qualora|potrebbe|può comportare|"
        r"sarà|saranno|in caso di"
    ),
    "MONETARY": r"monetizzazione|entrate pubblicitarie",
    "MONETARY_ACTION": r"revocat\w*|disattivat\w*|sospes\w*",
    "PROVISION": r"fornitura del servizio|accesso al servizio",
    "SUSPEND_WORD": r"sospes\w*|limitat\w*",
    "TERMINATE_WORD": r"cessat\w*|interrott\w*|definitiv\w*",
    "PARTIAL_WORD": r"parzial\w*",
    "ILLEGAL": r"illecit[oa]|illegale|contrari[oa] alla legge",
    "VIOLATES": r"viola|violano|violat\w*|violazion\w*|non rispetta|non è conforme|contrari[oa] ai? nostr\w*",
    "NOT_FOLLOW": r"non rispetta|non è conforme|non segue",
    "RULES": (
        r"Standard della community|Linee guida della community|Regole di (?:X|Twitter)|"
        r"Termini (?:di servizio|d'uso)|Condizioni d'uso"
    ),
    "RULE_TOPIC": r"su|sul|sulla|sui|sulle|in materia di|relative a|riguardanti",
    "POLICY": (
        r"(?:la nostra|le nostre|la|le) (?:normativ[ae]|politic(?:a|he)) "
        r"(?:su|sul|sulla|in materia di|contro|relativa a) [^\n.,;:()]{3,60}"
    ),
    "GENERIC_RULES": r"nostre (?:normative|regole)",
    "POSSESSIVE": r"la nostra|le nostre|i nostri|il nostro|la|le|il|i",
    "LEGAL_LABEL": r"base giuridica|fondamento giuridico",
    "CONTRACT_LABEL": r"motivo contrattuale|normativa|regola violata",
    "AUTO": r"automat\w*|tecnologia|nostri sistemi|algoritm\w*",
    "DETECTED": r"rilevat\w*|individuat\w*|identificat\w*",
    "AUTO_MEANS": r"strumenti automatizzati|mezzi automatizzati|sistemi automatizzati",
    "AUTO_ADVERB": r"automaticamente|in modo automatico|in modo automatizzato",
    "DECISION_WORD": r"decisione|deciso|pres[oa]|adottat[oa]|provvedimento",
    "DETECTION_TERM": r"rilevamento automatizzato",
    "DECISION_TERM": r"decisione automatizzata",
    "YES": r"sì|si",
    "NO": r"no|nessuno",
    "FULLY": r"(?:completamente|interamente|totalmente|esclusivamente) automatizzat\w*",
    "PARTIALLY": r"parzialmente automatizzat\w*",
    "HUMAN": (
        r"non automatizzat\w*|manualmente|"
        r"da (?:una persona|un revisore umano|un moderatore|un membro del nostro team)|"
        r"(?:un|una) (?:revisore|persona|moderatore|membro) del nostro team|"
        r"il nostro team ha (?:esaminato|revisionato|verificato)"
    ),
    "NEGATION": r"non|senza|nessun\w*|mai",
    "POST_NEGATION": r"non sono stati (?:utilizzati|usati)",
    "GENERIC": r"scopri di più|ulteriori informazioni",
    "TRUSTED_FLAGGER": r"segnalatore attendibile",
    "NOTICE": r"a seguito di una segnalazione|segnalat\w* da",
    "OWN_INITIATIVE": r"di propria iniziativa",
    "AUTHORITY_ORDER": r"ordine (?:dell'autorità|del giudice|giudiziario)",
    "EEA_WIDE": r"UE|Unione europea|Spazio economico europeo|in tutto il mondo",
    "WORLDWIDE": r"in tutto il mondo",
    "SCOPE_CONTEXT": r"si applica|paes\w*|ambito|disponibil\w*|bloccat\w*",
    "SCOPE_LABEL": r"ambito territoriale",
    "IN": r"in|nel|nella|nell'",
    "UNTIL": r"fino al|fino a",
    "UNTIL_AFTER": r"",
    "FOR": r"per",
    "FOR_AFTER": r"",
    "HOURS": r"ore|ora",
    "DAYS": r"giorni|giorno",
    "WEEKS": r"settimane?",
    "MONTHS": r"mesi|mese",
    "DATE_LABEL": r"data della (?:decisione|misura)",
    "CONTENT_DATE": r"pubblicat[oa]|caricat[oa]|condivis[oa]",
    "APPEAL": r"ricorso|reclamo|impugnare|ulteriore revisione",
    "OUT_OF_COURT": r"extragiudiziale|risoluzione delle controversie",
    "COURT": r"tribunale|giudice|autorità giudiziaria",
    "DSC": r"coordinatore dei servizi digitali",
    "PUID_LABEL": r"ID del contenuto|riferimento",
}

PT: dict[str, str] = {
    "CONTENT": r"publicação|publicações|post|vídeo|conteúdo|comentário|foto|imagem|mensagem",
    "ACCOUNT": r"conta|perfil|canal|página",
    "REMOVED": r"removemos|removid[oa]s?|excluímos|excluíd[oa]s?|apagamos|apagad[oa]s?",
    "DISABLED": (
        r"restringimos o acesso|acesso (?:foi )?(?:restrito|bloqueado)|bloquead[oa]|"
        r"não está mais disponível|indisponível"
    ),
    "DEMOTED": (
        r"reduzimos a (?:visibilidade|distribuição)|visibilidade (?:foi )?(?:reduzida|limitada)|"
        r"rebaixad[oa]"
    ),
    "AGE_RESTRICTED": r"restrição (?:de idade|etária)|restrit[oa] a maiores",
    "INTERACTION_RESTRICTED": (
        r"comentários (?:foram )?desativados|interações (?:foram )?(?:limitadas|restritas)"
    ),
    "LABELLED": r"rotulad[oa]|adicionamos (?:um rótulo|uma etiqueta|um aviso)|tela de aviso",
    "TERMINATED": r"encerrad[oa]|encerramos|excluíd[oa]|excluímos",
    "SUSPENDED": r"suspens[oa]|suspendemos|desativad[oa]|desativamos",
    "RESTRICTED": r"bloquead[oa]|bloqueamos|banid[oa]|restrit[oa]|restringimos|limitad[oa]",
    "PERMANENT": r"permanentemente|definitivamente|de (?:forma|maneira) permanente|em definitivo",
    "INDEFINITE": r"permanentemente|definitivamente|por tempo indeterminado",
    "TEMPORARY": r"temporariamente",
    "CONDITIONAL": (
        r"se (?:você|voce|não|continuar|voltar|violar)|caso|poderá|pode resultar|será|serão|"
        r"do contrário"
    ),
    "MONETARY": r"monetização|receita de anúncios",
    "MONETARY_ACTION": r"desativad\w*|suspens\w*|removid\w*",
    "PROVISION": r"prestação do serviço|acesso ao serviço",
    "SUSPEND_WORD": r"suspens\w*|restrit\w*|limitad\w*",
    "TERMINATE_WORD": r"encerrad\w*|definitiv\w*",
    "PARTIAL_WORD": r"parcial\w*",
    "ILLEGAL": r"ilegal|ilegais|ilícit[oa]s?|contrári[oa] à lei",
    "VIOLATES": r"viola|violam|violou|violad\w*|violaç\w*|infring\w*|não segue|não cumpre|não respeita|vai contra",
    "NOT_FOLLOW": (
        r"não segue|não cumpre|não respeita|não está de acordo|não está em conformidade"
    ),
    "RULES": (
        r"Padrões da Comunidade|Diretrizes da Comunidade|Regras da Comunidade|"
        r"Termos de (?:Serviço|Uso)|Termos e Condições|Regras d[oa] (?:X|Twitter)"
    ),
    "RULE_TOPIC": r"sobre|relativ[oa]s? a|em matéria de|referentes? a",
    "POLICY": (
        r"(?:nossa|nossas|a|as) polític(?:a|as) (?:de|sobre|contra|relativa a) [^\n.,;:()]{3,60}"
    ),
    "GENERIC_RULES": r"nossas (?:políticas|regras)",
    "POSSESSIVE": r"nossas?|nossos?|as?|os?",
    "LEGAL_LABEL": r"base jurídica|fundamento (?:jurídico|legal)|base legal",
    "CONTRACT_LABEL": r"fundamento contratual|política violada|regra violada",
    "AUTO": r"autom[aá]t\w*|tecnologia|nossos sistemas|algoritm\w*",
    "DETECTED": r"detect\w*|identific\w*|sinalizad\w*",
    "AUTO_MEANS": r"meios automatizados|ferramentas automatizadas|sistemas automatizados",
    "AUTO_ADVERB": r"automaticamente|de forma automática|de forma automatizada",
    "DECISION_WORD": r"decisão|decidimos|tomou|tomamos|tomada|medida",
    "DETECTION_TERM": r"detecção automatizada",
    "DECISION_TERM": r"decisão automatizada",
    "YES": r"sim",
    "NO": r"não|nenhum",
    "FULLY": r"(?:totalmente|completamente|exclusivamente|inteiramente) automatizad\w*",
    "PARTIALLY": r"parcialmente automatizad\w*",
    "HUMAN": (
        r"não automatizad\w*|manualmente|"
        r"por (?:uma pessoa|um revisor|um moderador|nossa equipe|um membro da nossa equipe)|"
        r"(?:um|uma) (?:revisor\w*|pessoa|moderador\w*|membro) d[ae] nossa equipe"
    ),
    "NEGATION": r"não|nao|nenhum\w*|sem|nunca",
    "POST_NEGATION": r"não foram (?:utilizad|usad)\w*",
    "GENERIC": r"saiba mais|saber mais",
    "TRUSTED_FLAGGER": r"sinalizador confiável|sinalizador de confiança",
    "NOTICE": (
        r"denunciad[oa] por|(?:após|depois de) (?:receber )?uma denúncia|após uma notificação"
    ),
    "OWN_INITIATIVE": r"por iniciativa própria|de iniciativa própria",
    "AUTHORITY_ORDER": r"ordem judicial|pedido das autoridades",
    "EEA_WIDE": r"UE|União Europeia|Espaço Económico Europeu|em todo o mundo",
    "WORLDWIDE": r"em todo o mundo",
    "SCOPE_CONTEXT": r"se aplica|país\w*|âmbito|disponível|bloquead\w*",
    "SCOPE_LABEL": r"âmbito territorial",
    "IN": r"em|no|na",
    "UNTIL": r"até",
    "UNTIL_AFTER": r"",
    "FOR": r"por|durante",
    "FOR_AFTER": r"",
    "HOURS": r"horas?",
    "DAYS": r"dias?",
    "WEEKS": r"semanas?",
    "MONTHS": r"mês|meses",
    "DATE_LABEL": r"data da decisão",
    "CONTENT_DATE": r"publicad[oa]|enviad[oa]|compartilhad[oa]|partilhad[oa]",
    "APPEAL": r"recorrer|recurso|contestar|outra análise|reclamação",
    "OUT_OF_COURT": r"extrajudicial|resolução de litígios",
    "COURT": r"tribunal|tribunais",
    "DSC": r"coordenador de serviços digitais",
    "PUID_LABEL": r"ID do conteúdo|número de referência|referência",
}
