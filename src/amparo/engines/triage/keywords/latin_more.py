"""Keyword patterns: Turkish, Vietnamese, Indonesian, Swahili.

Turkish is agglutinative: stems carry ``\\w*`` for their suffixes. Turkish ``ı``/``İ``
fold to ``i`` (write patterns with either). Vietnamese patterns keep their diacritics
(NFC); both tone-mark placements (``dọa``/``doạ``) are listed where people use both.
Indonesian verbs take ``me-/di-/ku-`` prefixes and ``-nya/-mu`` suffixes. Swahili verbs
are written as subject + tense + object + stem (``ni-ta-ku-ua``: I will kill you), which
``SW_VERB`` spells out.
"""

from __future__ import annotations

AGE = r"(?:1[0-7]|[1-9])"

# Swahili subject+tense (or infinitive ku-), then an optional object marker.
SW_VERB = r"(?:ku|(?:ni|tu|wa|a|u|m|mu)(?:ta|na|me|li|nge))(?:ku|ni|mu|m|wa|tu|ki)?"

TR = {
    "language": "tr",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            r"öldür\w*",
            r"ölüm tehdi[dt]\w*",
            r"gebert\w*",
            r"kafa(?:nı|sını) kes\w*",
            r"seni vur(?:acağız|acağım|acaklar|urum|uruz)",
            r"(?:öleceksin|geberteceğiz)",
        ],
        "sexual_violence_threat": [
            r"tecavüz\w*",
            r"cinsel saldırı\w*",
            r"ırzına\w*",
        ],
        "violence_threat": [
            r"tehdi[dt]\w*",
            r"döv(?:eceğiz|eceğim|ecekler|erim|eriz)\w*",
            r"seni bulacağız",
        ],
        "knows_location": [
            r"nerede (?:oturduğunu|yaşadığını|kaldığını) biliyor\w*",
            r"ev(?:ini|inizi) biliyor\w*",
            r"ev(?:ine|inize) gel(?:eceğiz|ecekler|iriz)",
            r"kapı(?:nın|mın) önünde",
        ],
        "address_mentioned": [
            r"ev adres\w*",
            r"adres(?:imi|ini|lerimizi) (?:paylaş|yayınla|yayımla|ifşa)\w*",
            r"ifşa ett\w*",
        ],
        "arrest_or_detention": [
            r"gözaltı\w*",
            r"tutukla\w*",
            r"tutuklu\w*",
            r"polis (?:geldi|eve geldi|kapıya geldi|evime bask\w*)",
            r"ev baskını\w*",
            r"ifadeye çağr\w*",
            r"hapis\w*",
            r"cezaevi\w*",
            r"kaçırıl\w*",
        ],
        "minor_mentioned": [
            r"reşit olmayan",
            r"çocu[kğ]\w*",
            r"kızım\w*",
            r"oğlum\w*",
            AGE + r" yaşında\w*",
            r"küçük yaşta",
            r"ergen\w*",
        ],
        "active_takeover": [
            r"şu an(?:da)? (?:hackl\w*|hesabım\w*)",
            r"şifremi değiştir\w*",
            r"hesabımdan paylaşım yap\w*",
            r"hesabıma (?:giriş yap\w*|girmiş\w*|girdiler|giriyorlar)",
            r"hesabımı ele geçir(?:iyorlar|meye çalışıyorlar)",
        ],
        "intimate_images": [
            r"çıplak (?:fotoğraf\w*|video\w*|resim\w*)",
            r"müstehcen\w*",
            r"(?:özel|mahrem) (?:fotoğraf\w*|video\w*|görüntü\w*)",
            r"cinsel içerik\w*",
        ],
    },
}

VI = {
    "language": "vi",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            r"giết",
            r"đe d(?:ọa|oạ) (?:giết|tính mạng)",
            r"d(?:ọa|oạ) giết",
            r"(?:sẽ|mày|bạn) chết",
            r"chết đi",
            r"ám sát",
            r"giet (?:may|chet|ban)",
        ],
        "sexual_violence_threat": [
            r"hiếp dâm",
            r"cưỡng hiếp",
            r"hiếp",
            r"xâm hại tình dục",
        ],
        "violence_threat": [
            r"đe d(?:ọa|oạ)",
            r"d(?:ọa|oạ) (?:đánh|giết|tạt)",
            r"đánh (?:mày|chết|bạn)",
            r"tạt axit",
        ],
        "knows_location": [
            r"biết (?:mày|bạn|chị|anh|em) (?:ở|sống)(?: ở)? đâu",
            r"biết nhà (?:mày|bạn|chị|anh|em)",
            r"(?:đến|tới) nhà (?:mày|bạn|chị|anh|em)",
            r"trước nhà (?:tôi|mày|bạn)",
        ],
        "address_mentioned": [
            r"địa chỉ nhà",
            r"(?:công khai|tung|đăng|tiết lộ|lộ) địa chỉ",
        ],
        "arrest_or_detention": [
            r"bắt giữ",
            r"bị bắt",
            r"tạm giữ",
            r"tạm giam",
            r"công an (?:đến|tới|triệu tập|bắt|khám)",
            r"triệu tập",
            r"khám xét",
            r"câu lưu",
            r"giam giữ",
            r"bắt cóc",
            r"(?:bỏ|đi|ngồi) tù",
        ],
        "minor_mentioned": [
            r"trẻ em",
            r"(?:trẻ )?vị thành niên",
            r"con (?:gái|trai) (?:tôi|của tôi|mình)",
            AGE + r" tuổi",
            r"học sinh",
            r"cháu bé",
            r"bé gái",
        ],
        "active_takeover": [
            r"đang (?:bị )?hack",
            r"đang bị chiếm",
            r"(?:đổi|thay đổi) mật khẩu",
            r"đăng nhập vào tài khoản (?:của )?tôi",
            r"chiếm (?:quyền )?tài khoản",
            r"đăng bài từ tài khoản (?:của )?tôi",
        ],
        "intimate_images": [
            r"ảnh (?:nóng|khỏa thân|khoả thân|nhạy cảm)",
            r"(?:clip|video) (?:nóng|sex|nhạy cảm|khỏa thân|khoả thân)",
            r"khỏa thân",
            r"khoả thân",
        ],
    },
}

ID = {
    "language": "id",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            r"(?:mem|di|ku|ter)?bunuh(?:nya|mu|lah)?",
            r"pembunuhan",
            r"ancaman (?:pembunuhan|mati|kematian)",
            r"(?:akan|bakal|pasti|kau|kamu|lu|lo|elo) mati",
            r"mampus",
            r"(?:di|meng)?habisi",
        ],
        "sexual_violence_threat": [
            r"(?:mem|di)?perkosa(?:nya|mu)?",
            r"pemerkosaan",
            r"kekerasan seksual",
        ],
        "violence_threat": [
            r"(?:meng|di)?ancam(?:an|nya)?",
            r"(?:di)?hajar",
            r"(?:di)?aniaya",
            r"bakar rumah(?:mu|nya)?",
        ],
        "knows_location": [
            r"tahu (?:di ?mana) (?:kamu|kau|lo|lu|anda|dia) tinggal",
            r"tahu rumah(?:mu| kamu| anda)",
            r"(?:datang ke|datangi|mendatangi) rumah(?:mu| kamu| anda)",
            r"depan rumah(?:ku|mu| saya| kamu)",
        ],
        "address_mentioned": [
            r"alamat rumah(?:ku|mu|nya)?",
            r"(?:menyebarkan|menyebar|membocorkan|dibocorkan|disebar|disebarkan) alamat",
        ],
        "arrest_or_detention": [
            r"ditangkap",
            r"menangkap",
            r"penangkapan",
            r"tangkap (?:saya|dia|kami|aku)",
            r"ditahan",
            r"penahanan",
            r"polisi (?:datang|ke rumah|mendatangi)",
            r"dipanggil polisi",
            r"surat panggilan",
            r"dipenjara",
            r"penjara",
            r"diculik",
            r"penculikan",
            r"digeledah",
        ],
        "minor_mentioned": [
            r"anak (?:di bawah umur|kecil|perempuan|laki-laki)",
            r"anak(?:ku| saya| kami)",
            r"anak-anak",
            r"di bawah umur",
            r"(?:berusia|umur|usia|berumur) " + AGE,
            r"remaja",
            r"siswi",
        ],
        "active_takeover": [
            r"sedang (?:di)?retas",
            r"sedang di-?hack",
            r"(?:mengganti|mengubah|ganti|mengganti) (?:kata sandi|password)",
            r"masuk ke akun(?:ku| saya)",
            r"(?:di)?ambil ?alih",
            r"(?:memposting|posting) dari akun(?:ku| saya)",
        ],
        "intimate_images": [
            r"(?:foto|video) (?:bugil|telanjang|syur|intim|porno|mesum)",
            r"bugil",
            r"telanjang",
            r"sekstorsi",
            r"konten intim",
        ],
    },
}

SW = {
    "language": "sw",
    "boundary": "word",
    "patterns": {
        "death_threat": [
            SW_VERB + r"ua",
            SW_VERB + r"uawa",
            r"kuuawa",
            r"(?:tishio|vitisho) vya? (?:kifo|kuuawa)",
            r"utakufa",
            r"mauaji",
            SW_VERB + r"chinja",
        ],
        "sexual_violence_threat": [
            SW_VERB + r"bak(?:a|wa)",
            r"ubakaji",
            r"unyanyasaji wa kingono",
        ],
        "violence_threat": [
            SW_VERB + r"tishia",
            r"vitisho",
            r"tishio",
            r"kuchoma nyumba",
        ],
        "knows_location": [
            r"(?:tunajua|wanajua|najua|tunafahamu) (?:unapoishi|unakoishi|anapoishi|ninapoishi"
            r"|mahali unapoishi|nyumba yako|nyumbani kwako)",
            r"tutakuja nyumbani kwako",
            r"nje ya nyumba yangu",
        ],
        "address_mentioned": [
            r"anwani (?:yangu )?ya (?:nyumbani|makazi)",
            r"(?:wamesambaza|walisambaza|walichapisha|wamechapisha|wameweka) anwani",
            r"mahali ninapoishi",
        ],
        "arrest_or_detention": [
            SW_VERB + r"kamat(?:a|wa)",
            r"kizuizini",
            r"polisi (?:walikuja|wamekuja|walifika|wamefika)",
            r"kuwekwa ndani",
            r"gerezani",
            r"jela",
            r"kutekwa",
            r"(?:ame|wame|ali|wali)tekwa",
            r"wito wa polisi",
            SW_VERB + r"shikiliwa",
        ],
        "minor_mentioned": [
            r"mtoto",
            r"watoto",
            r"binti yangu",
            r"mwanangu",
            r"(?:umri wa|ana|mwenye) miaka " + AGE,
            r"chini ya umri",
            r"mwanafunzi wa shule",
        ],
        "active_takeover": [
            r"(?:wanadukua|wanaidukua|inadukuliwa|inaingiliwa)",
            r"wamebadilisha (?:nenosiri|neno la siri)",
            r"wanaingia kwenye akaunti yangu",
            r"wanachapisha kutoka akaunti yangu",
        ],
        "intimate_images": [
            r"picha (?:za )?(?:uchi|faragha)",
            r"video (?:za )?(?:uchi|ngono)",
            r"uchi",
            r"ngono",
        ],
    },
}

LANGUAGES = [TR, VI, ID, SW]
