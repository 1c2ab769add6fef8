"""Keyword patterns: English, Spanish, French, Portuguese.

Each block maps a reason code to regular-expression fragments, written in lower case.
The matcher wraps each block's fragments in word boundaries, matches case-insensitively
and folds text and patterns alike (see ``_text.fold``). ``AGE`` is a child's age, 1-17.
"""

from __future__ import annotations

AGE = r"(?:1[0-7]|[1-9])"

EN = {
    "language": "en",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            r"kill(?:s|ed|ing)?",
            r"murder(?:s|ed|ing)?",
            r"death threats?",
            r"threat(?:s|ened|ening)? to kill",
            r"(?:you|he|she|they)(?:'ll| will| are going to| are gonna|'re gonna|'s gonna) die",
            r"(?:you're|you are|ur|u r) (?:dead|a dead (?:man|woman))",
            r"behead(?:ed|ing)?",
            r"shoot (?:you|him|her|them|me|us)",
            r"put a bullet",
            r"slit (?:your|his|her|my|their) throats?",
            r"hang (?:you|him|her|them)",
        ],
        "sexual_violence_threat": [
            r"rap(?:e|ed|es|ing|ist|ists)",
            r"gang ?rape[ds]?",
            r"sexual(?:ly)? assault(?:ed|s)?",
        ],
        "violence_threat": [
            r"threat(?:s|en|ens|ened|ening)?",
            r"beat (?:you|him|her|them|me|us) up",
            r"hurt (?:you|him|her|them|your family|my family)",
            r"acid attack",
            r"burn (?:your|his|her|their|my) house",
        ],
        "knows_location": [
            r"(?:we|i|they) know where (?:you|u|she|he|they|your family)"
            r" (?:live|lives|sleep|sleeps|work|works)",
            r"know(?:s)? your (?:home|address|house)",
            r"(?:see|find) you (?:at|outside) your (?:home|house)",
            r"coming (?:for you|to your (?:house|home))",
            r"outside (?:my|your|her|his) (?:house|home|door)",
        ],
        "address_mentioned": [
            r"home address",
            r"(?:my|her|his|their) address (?:was |has been |is )?"
            r"(?:posted|published|leaked|shared)",
            r"doxx?(?:ed|ing)",
        ],
        "arrest_or_detention": [
            r"arrest(?:s|ed|ing)?",
            r"detain(?:s|ed|ing)?",
            r"detention",
            r"police (?:came|come|raided|are at|were at|showed up|took)",
            r"taken (?:away )?by (?:the )?police",
            r"summon(?:s|ed)",
            r"(?:arrest|search) warrant",
            r"in custody",
            r"jail(?:ed)?",
            r"prison",
            r"interrogat(?:ed|ion)",
            r"abducted",
            r"kidnapped",
        ],
        "minor_mentioned": [
            r"minors",
            r"(?:is|was|she's|he's|being) a minor"
            r"(?! (?:issue|problem|change|bug|thing|detail|error|glitch|point|update|edit)s?\b)",
            r"under ?-?age",
            r"under 18",
            r"child(?:ren)?",
            r"kids?",
            r"(?:my|her|his|our|their) (?:daughter|son)",
            AGE + r"[- ](?:years?|yrs?)[- ]old",
            r"aged " + AGE,
            r"schoolgirl",
            r"teen(?:ager)?s?",
        ],
        "active_takeover": [
            r"(?:being|getting) hacked",
            r"hack(?:ed|ing)? (?:right )?now",
            r"(?:someone|somebody|they)(?:'s| is| are|'re) (?:logged|logging) in(?:to)?",
            r"(?:someone|somebody) is in my account",
            r"(?:changed|changing|changes) my password",
            r"posting (?:from|on) my account",
            r"(?:my account|it) (?:was|is being|has been) taken over",
        ],
        "intimate_images": [
            r"nudes?",
            r"naked (?:photos?|pictures?|pics?|images?|videos?)",
            r"intimate (?:photos?|images?|videos?|pictures?|pics?)",
            r"sex(?:ual)? (?:tape|video)s?",
            r"sextort(?:ion|ing|ed)?",
            r"revenge porn",
            r"deep ?fake (?:porn|nudes?)",
        ],
    },
}

ES = {
    "language": "es",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            r"mat(?:ar|arte|arlo|arla|arlos|arlas|arnos|arme|aré|arán|aremos|aron|ó|an|amos)",
            r"te mato",
            r"amenazas? de muerte",
            r"amenazad[oa]s? de muerte",
            r"vas a morir",
            r"(?:estás|estas) muert[oa]",
            r"asesin(?:ar|arte|arla|arlo|ato|atos|ado|ada|arán|aremos|aron)",
            r"te vamos a (?:matar|desaparecer|quebrar)",
            r"(?:un )?balazo",
        ],
        "sexual_violence_threat": [
            r"violarte",
            r"violarla",
            r"te (?:voy|vamos) a violar",
            r"(?:la|te|me|nos) violar(?:on|án|emos)",
            r"violación sexual",
            r"violador(?:es)?",
            r"abuso sexual",
            r"agresión sexual",
        ],
        "violence_threat": [
            r"amenaz(?:a|as|an|aron|ó|ado|ada|ados|adas|ando|ar)",
            r"(?:te|les?) vamos a (?:golpear|pegar|partir|quemar)",
            r"golpiza",
            r"ataque con ácido",
        ],
        "knows_location": [
            r"sab(?:emos|e|en|o) d[oó]nde viv(?:es|e|en|ís|o|imos)",
            r"conoc(?:emos|en) tu casa",
            r"(?:vamos|iremos|van) a (?:ir a )?tu casa",
            r"(?:afuera|fuera|frente a) (?:de )?(?:mi|tu|su) casa",
        ],
        "address_mentioned": [
            r"direcci[oó]n de (?:mi|su|tu) (?:casa|domicilio)",
            r"direcci[oó]n (?:particular|de casa)",
            r"(?:mi|su|tu) domicilio",
            r"(?:publicaron|filtraron|difundieron) (?:mi|su|tu) direcci[oó]n"
            r"(?! de correo| electr[oó]nica)",
        ],
        "arrest_or_detention": [
            r"arrest(?:o|ar|aron|ado|ada|ados|adas|arme|arlo|arla)",
            r"detenid[oa]s?",
            r"detenci[oó]n",
            r"detuvieron",
            r"(?:vino|llegó|vinieron|llegaron) la polic[ií]a",
            r"la polic[ií]a (?:vino|llegó|está en|me busca|allanó)",
            r"allanamiento",
            r"allanaron",
            r"orden de (?:captura|aprehensión)",
            r"citaci[oó]n",
            r"citad[oa] a declarar",
            r"encarcelad[oa]s?",
            r"cárcel",
            r"prisi[oó]n",
            r"secuestrad[oa]s?",
            r"desaparecid[oa]s?",
        ],
        "minor_mentioned": [
            r"menor(?:es)? de edad",
            r"(?:mi|su|tu|una?) (?:hij[oa]|niñ[oa])",
            r"niñ[oa]s",
            r"(?:tiene|tengo|tenía|de) " + AGE + r" años",
            r"adolescentes?",
        ],
        "active_takeover": [
            r"(?:me )?están hackeando",
            r"hackeando (?:mi|la) cuenta",
            r"(?:cambiaron|están cambiando) (?:mi |la )?contraseña",
            r"alguien (?:está|entró|inició sesión) (?:en|a) mi cuenta",
            r"publicando desde mi cuenta",
        ],
        "intimate_images": [
            r"fotos? [ií]ntimas?",
            r"v[ií]deos? [ií]ntimos?",
            r"desnud[oa]s?",
            r"sextorsi[oó]n",
            r"pornograf[ií]a",
            r"contenido sexual",
        ],
    },
}

FR = {
    "language": "fr",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            r"tuer",
            r"tue(?:ra|rai|rons|ront|rait)",
            r"tué(?:e|s|es)?",
            r"(?:te|vous|la|le|les) tue",
            r"menaces? de mort",
            r"menacée?s? de mort",
            r"tu vas mourir",
            r"t'es mort",
            r"assassin(?:er|at|é|ée|ent)",
            r"égorger",
            r"une balle dans (?:la|ta) tête",
        ],
        "sexual_violence_threat": [
            r"viols?",
            r"(?:te|la|vous) violer",
            r"violée?s?",
            r"violeurs?",
            r"agression sexuelle",
        ],
        "violence_threat": [
            r"menac(?:e|es|é|ée|és|ées|er|ent|ant|ait|aient)",
            r"te (?:frapper|casser la gueule|défoncer)",
            r"brûler (?:ta|sa) maison",
        ],
        "knows_location": [
            r"(?:on|nous|je|ils) sai(?:t|s|ons|vent) où tu (?:habites|vis|dors|travailles)",
            r"(?:on|nous) sai(?:t|ons) où vous (?:habitez|vivez)",
            r"devant (?:ta|ma|sa) (?:maison|porte)",
            r"(?:venir|viendra|viendrons|viendront) chez (?:toi|vous)",
        ],
        "address_mentioned": [
            r"adresse (?:personnelle|postale|du domicile|de (?:mon|son|ton) domicile)",
            r"(?:mon|son|ton|leur) domicile",
            r"(?:publié|divulgué|partagé|diffusé) (?:mon|son|ton|notre) adresse"
            r"(?! e-?mail| mail| électronique)",
        ],
        "arrest_or_detention": [
            r"arrêtée?s?",
            r"arrestations?",
            r"interpell(?:é|ée|és|ées|ation)",
            r"garde à vue",
            r"détenue?s?",
            r"détention",
            r"la police (?:est venue|est là|m'a convoquée?|a perquisitionné)",
            r"perquisition",
            r"convoquée? (?:par|à) la police",
            r"convocation",
            r"emprisonn(?:é|ée|ement)",
            r"prison",
            r"enlevée?",
        ],
        "minor_mentioned": [
            r"mineure?s?",
            r"enfants?",
            r"(?:ma|sa|ta) fille",
            r"(?:mon|son|ton) fils",
            r"(?<!il y )(?:a|ai|as|avait|âgée? de) " + AGE + r" ans",
            r"adolescente?s?",
            r"collégienn?e?s?",
            r"lycéenn?e?s?",
        ],
        "active_takeover": [
            r"en train de pirater",
            r"quelqu'un (?:est connecté|se connecte) (?:à|sur) mon compte",
            r"(?:changé|modifié) mon mot de passe",
            r"publient? depuis mon compte",
        ],
        "intimate_images": [
            r"photos? (?:intimes?|nues?|dénudées?)",
            r"vidéos? intimes?",
            r"nudes?",
            r"sextorsion",
            r"revenge porn",
        ],
    },
}

PT = {
    "language": "pt",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            r"matar",
            r"matá-l[oa]s?",
            r"matar-te",
            r"te mat(?:o|ar|amos|aremos)",
            r"mat(?:aram|arei|aremos|arão)",
            r"ameaças? de morte",
            r"ameaçad[oa]s? de morte",
            r"vai morrer",
            r"(?:você|vc|tu) (?:está|tá|estás) mort[oa]",
            r"assassin(?:ar|ato|ad[oa]|aram)",
            r"tiro na (?:cara|cabeça)",
        ],
        "sexual_violence_threat": [
            r"estupr(?:o|ar|ada|ado|adas|ados|ador|adores|aram|ou|arei)",
            r"violência sexual",
            r"abuso sexual",
        ],
        "violence_threat": [
            r"ameaç(?:a|as|am|aram|ou|ad[oa]s?|ando|ar)",
            r"(?:vamos|vou) te (?:pegar|bater|quebrar|espancar)",
            r"espancar",
        ],
        "knows_location": [
            r"sab(?:emos|e|em|o) onde (?:você|vc|tu|ela|ele) mora",
            r"sab(?:emos|e|em|o) onde (?:eu )?moro",
            r"(?:vamos|vou) (?:até|na) (?:sua|tua) casa",
            r"(?:na frente|na porta) da (?:sua|minha|tua) casa",
        ],
        "address_mentioned": [
            r"endereço (?:residencial|da minha casa|da casa dela|da casa dele|de casa)",
            r"(?:vazaram|divulgaram|publicaram|expuseram) (?:meu|seu|o) endereço"
            r"(?! de e-?mail| eletrônico)",
        ],
        "arrest_or_detention": [
            r"(?:foi|fui|foram|ser|sendo|está|estão|estou) pres[oa]s?",
            r"prend(?:er|eram|eu)",
            r"prisão",
            r"detid[oa]s?",
            r"deten[cç][aã]o",
            r"a polícia (?:veio|chegou|apareceu|está)",
            r"mandado de (?:prisão|busca)",
            r"intimad[oa]",
            r"intimação",
            r"sequestrad[oa]",
        ],
        "minor_mentioned": [
            r"menor(?:es)? de idade",
            r"crianças?",
            r"(?:minha|sua|tua) filha",
            r"(?:meu|seu|teu) filho",
            r"adolescentes?",
            r"(?:tem|tenho|tinha|com) " + AGE + r" anos",
        ],
        "active_takeover": [
            r"(?:estão|tão) (?:hackeando|invadindo)",
            r"(?:hackeando|invadindo) (?:minha|a) conta",
            r"alguém (?:está|entrou) na minha conta",
            r"(?:mudaram|trocaram) (?:minha|a) senha",
            r"postando (?:da|pela) minha conta",
        ],
        "intimate_images": [
            r"fotos? íntimas?",
            r"vídeos? íntimos?",
            r"nudes?",
            r"(?:fotos?|vídeos?) pelad[oa]s?",
            r"sextorsão",
            r"pornografia",
        ],
    },
}

LANGUAGES = [EN, ES, FR, PT]
