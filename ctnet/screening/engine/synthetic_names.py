"""Name tables for the synthetic watchlist generator (`synthetic.py`).

Per naming culture: the most common real given and family names in rough frequency order (the
head of a Zipf distribution) and the morphology used to generate a long tail of plausible
further names (Arabic root patterns, Pashto -ullah/-zai compounds, Russian -ov/-ovich, Somali
and Indonesian syllables, European surname endings). Real populations look like this: a few
given names are very frequent ("Mohammed"), most are rare, and family or tribal names are far
more diverse than given names, so full-name collisions are rare.
"""

from __future__ import annotations

# Hand-written Arabic script for the most common Arabic name parts; generated Arabic names get
# their script from the root pattern (synthetic.arabic_pattern_name), which knows the long vowels.
ARABIC_SCRIPT = {
    "Mohammed": "محمد", "Ahmed": "أحمد", "Ali": "علي", "Omar": "عمر", "Khalid": "خالد",
    "Hassan": "حسن", "Hussein": "حسين", "Ibrahim": "إبراهيم", "Yusuf": "يوسف", "Mahmoud": "محمود",
    "Abdullah": "عبد الله", "Abdulaziz": "عبد العزيز", "Abdulrahman": "عبد الرحمن",
    "Mustafa": "مصطفى", "Tariq": "طارق", "Salim": "سالم", "Saeed": "سعيد", "Hamza": "حمزة",
    "Bilal": "بلال", "Anwar": "أنور", "Jamal": "جمال", "Nasser": "ناصر", "Faisal": "فيصل",
    "Walid": "وليد", "Karim": "كريم", "Rashid": "راشد", "Mansour": "منصور", "Zaid": "زيد",
    "Osama": "أسامة", "Hisham": "هشام", "Sami": "سامي", "Adel": "عادل", "Majid": "ماجد",
    "Khalil": "خليل", "Ismail": "إسماعيل", "Yasser": "ياسر", "Fahd": "فهد", "Sultan": "سلطان",
    "Saleh": "صالح", "Nabil": "نبيل", "Ayman": "أيمن", "Tamer": "تامر", "Ziad": "زياد",
    "al-Masri": "المصري", "al-Shami": "الشامي", "al-Iraqi": "العراقي", "al-Tunisi": "التونسي",
    "al-Libi": "الليبي", "al-Kuwaiti": "الكويتي", "al-Harbi": "الحربي", "al-Qahtani": "القحطاني",
    "al-Ghamdi": "الغامدي", "al-Otaibi": "العتيبي", "al-Zahrani": "الزهراني",
    "al-Dosari": "الدوسري", "al-Shehri": "الشهري", "al-Anzi": "العنزي", "al-Baghdadi": "البغدادي",
    "al-Kawari": "الكواري", "al-Jaziri": "الجزيري", "al-Tamimi": "التميمي",
    "al-Maliki": "المالكي", "al-Shammari": "الشمري", "al-Mutairi": "المطيري",
}  # fmt: skip
ARABIC_GIVEN = [k for k in ARABIC_SCRIPT if not k.startswith("al-")]
ARABIC_FAMILY = [k for k in ARABIC_SCRIPT if k.startswith("al-")]
# Consonants of generated Arabic roots: (Latin, Arabic letter). Latin spellings follow the common
# English-language romanisation; emphatic and plain letters share a Latin letter, as on passports.
ARABIC_CONSONANTS = [
    ("b", "ب"), ("t", "ت"), ("th", "ث"), ("j", "ج"), ("h", "ح"), ("kh", "خ"), ("d", "د"),
    ("r", "ر"), ("z", "ز"), ("s", "س"), ("sh", "ش"), ("s", "ص"), ("d", "ض"), ("t", "ط"),
    ("gh", "غ"), ("f", "ف"), ("q", "ق"), ("k", "ك"), ("l", "ل"), ("m", "م"), ("n", "ن"),
    ("h", "ه"), ("w", "و"), ("y", "ي"), ("dh", "ذ"),
]  # fmt: skip
# Noun patterns of Arabic names: C1..C3 are root consonants; lower-case vowels are short (not
# written in Arabic script), upper-case A/I/U are long (written alif, ya, waw), Y is the
# diphthong ay (written ya). CaCIC = Karim,
# CACiC = Khalid, maCCUC = Mansour, CaCCAC = Jabbar, CuCaCC = Kulaib...
ARABIC_PATTERNS = [
    "1a2I3", "1A2i3", "ma12U3", "1a22A3", "1u2aY3", "a12a3", "1a2a3", "1i2A3", "1a2U3",
    "mu1a22i3", "1a2I3a", "1u2A3", "1A2U3", "ta1A2i3",
]  # fmt: skip
# Theophoric compounds "Abd al-X" / "X-ullah" / "X-uddin" use these attributes of God.
DIVINE_NAMES = [
    "Aziz", "Rahman", "Rahim", "Karim", "Latif", "Majid", "Hamid", "Qadir", "Ghani", "Hakim",
    "Jabbar", "Wahab", "Razzaq", "Salam", "Malik", "Qayyum", "Wahid", "Basit", "Halim", "Sattar",
    "Ghafur", "Hadi", "Baqi", "Nasir", "Muid", "Fattah", "Jalil", "Khaliq", "Mannan", "Bari",
]  # fmt: skip
PASHTO_GIVEN = [
    "Mohammad", "Abdulrahim", "Gul", "Noor", "Wali", "Sher", "Rahmatullah", "Hekmatullah",
    "Zabihullah", "Nasrullah", "Amanullah", "Khairullah", "Sirajuddin", "Jalaluddin", "Gulbuddin",
    "Fazal", "Zaman", "Mir", "Hamza", "Ahmad", "Habib", "Shah", "Akbar", "Rahim", "Aziz", "Najib",
    "Hamid", "Karim", "Jan", "Dost",
]  # fmt: skip
PASHTO_FAMILY = [
    "Khan", "Haqqani", "Akhund", "Hekmatyar", "Yousafzai", "Durrani", "Mehsud", "Wazir", "Kakar",
    "Achakzai", "Popalzai", "Noorzai", "Ishaqzai", "Zadran", "Ghilzai", "Afridi", "Mangal",
    "Shinwari", "Mohmand", "Ahmadzai",
]  # fmt: skip
PASHTO_SUFFIXES = ["ullah", "uddin", "ullah", "ur Rahman", "gul", "zada", "jan"]
TRIBE_SUFFIXES = ["zai", "khel", "zai", "i", "wal"]
SYLLABLES_PASHTO = ["ba", "gul", "sha", "zar", "mir", "pa", "wa", "kha", "dar", "lang", "nad",
                    "ra", "sa", "ta", "ya", "za", "ha", "ja", "ma", "na", "pir", "zad"]  # fmt: skip
RUSSIAN_GIVEN = [
    "Magomed", "Ruslan", "Shamil", "Aslan", "Akhmed", "Islam", "Adam", "Rustam", "Said", "Timur",
    "Zelimkhan", "Movsar", "Arbi", "Dzhokhar", "Khamzat", "Ibragim", "Aslambek", "Umar", "Rizvan",
    "Doku", "Alikhan", "Murad", "Ilyas", "Anzor", "Beslan", "Apti", "Salman", "Musa", "Khasan",
    "Alexander", "Sergei", "Dmitry", "Andrei", "Ivan", "Nikolai",
]  # fmt: skip
RUSSIAN_FAMILY_STEMS = [
    "Umar", "Basay", "Maskhad", "Kadyr", "Gelay", "Duday", "Baray", "Israpil", "Abdulla",
    "Magomed", "Akhmad", "Vagab", "Tsarna", "Yandarbiy", "Saydullay", "Khasan", "Ivan", "Petr",
    "Smirn", "Kuznets", "Pop", "Sokol", "Lebed", "Kozl", "Novik", "Moroz",
]  # fmt: skip
SYLLABLES_CAUCASUS = ["ma", "go", "ru", "sla", "kha", "da", "bek", "za", "li", "mur", "tar", "ka",
                      "bu", "sul", "tan", "al", "ib", "ra", "gim", "vi", "sa", "ty", "an", "zor",
                      "bay", "mi", "ley", "dar", "ga", "shi"]  # fmt: skip
SOMALI_GIVEN = [
    "Mohamed", "Abdi", "Ahmed", "Hassan", "Ali", "Abdullahi", "Omar", "Hussein", "Ismail",
    "Yusuf", "Ibrahim", "Abdirahman", "Farah", "Aden", "Osman", "Nur", "Jama", "Warsame", "Dahir",
    "Guled", "Mukhtar", "Abdikarim", "Said", "Hirsi", "Elmi", "Mohamud", "Abdiaziz", "Hersi",
    "Abdulkadir", "Sharif", "Aweys", "Egal", "Samatar", "Isse", "Barre", "Duale", "Gedi",
]  # fmt: skip
SYLLABLES_SOMALI = ["ab", "di", "xa", "sa", "ma", "ga", "du", "le", "ha", "ra", "we", "li", "ca",
                    "bu", "ro", "ow", "ja", "ma", "ci", "de", "qa", "fa", "nu", "ay"]  # fmt: skip
INDONESIAN_GIVEN = [
    "Muhammad", "Ahmad", "Abdulah", "Agus", "Budi", "Eko", "Joko", "Dwi", "Hendra", "Rizki",
    "Fajar", "Imam", "Umar", "Yusuf", "Aman", "Bahrun", "Santoso", "Noordin", "Azahari",
    "Abubakar", "Abdurrahman", "Andi", "Arif", "Bambang", "Dedi", "Hadi", "Iwan", "Rudi",
]  # fmt: skip
INDONESIAN_FAMILY = [
    "Hidayat", "Saputra", "Wibowo", "Susanto", "Setiawan", "Nugroho", "Hartono", "Kurniawan",
    "Bashir", "Hambali", "Samudra", "Patek", "Dulmatin", "Husin", "Naim", "Abdullah",
]  # fmt: skip
SYLLABLES_INDONESIAN = ["su", "har", "to", "no", "wi", "bo", "wo", "ja", "ya", "di", "sa", "pu",
                        "tra", "ri", "an", "wan", "han", "ka", "ma", "ti", "sri", "gu", "na",
                        "ko", "dar", "man", "ar", "ni"]  # fmt: skip
WESTERN_GIVEN = [
    "John", "Michael", "David", "Thomas", "Pierre", "Jean", "Luc", "Hans", "Jan", "Peter",
    "Maria", "Anna", "Sophie", "Lucas", "Jose", "Francois", "Andreas", "Mark", "Paul", "James",
    "Robert", "Daniel", "Martin", "Nicolas", "Julien", "Karl", "Stefan", "Lars", "Marco", "Luca",
    "Antonio", "Carlos", "Juan", "Emma", "Laura", "Julia", "Sara", "Eva", "Lena", "Claire",
]  # fmt: skip
WESTERN_FAMILY = [
    "Smith", "Dupont", "Martin", "Müller", "Schmidt", "de Vries", "Jansen", "Rossi", "García",
    "Fernández", "Lefèvre", "O'Brien", "Andersson", "Nielsen", "Dubois", "Weber", "Johnson",
    "Brown", "Bernard", "Moreau", "Fischer", "Meyer", "Bianchi", "Romano", "López", "Martínez",
]  # fmt: skip
SYLLABLES_WESTERN = ["ber", "mar", "ten", "wal", "ker", "lin", "ro", "sen", "dor", "hol", "man",
                     "vil", "gar", "bran", "del", "tor", "fel", "ric", "mon", "ste", "ha", "gen",
                     "kor", "lan", "bel", "ver", "mo", "ri", "sa", "no"]  # fmt: skip
WESTERN_ENDINGS = ["son", "sen", "mann", "er", "ier", "ini", "ez", "ot", "ens", "ski", "ova",
                   "eau", "el", "ard", "ing", "ey", "s", "i", "o", "et"]  # fmt: skip
UZBEK_GIVEN = [
    "Tohir", "Juma", "Bakhtiyor", "Jamshid", "Rustam", "Dilshod", "Farrukh", "Sherzod",
    "Ulugbek", "Otabek", "Azizbek", "Abdulaziz", "Nodir", "Bobur", "Sardor", "Akmal", "Anvar",
    "Bekzod", "Davron", "Eldor", "Ilhom", "Jasur", "Kamol", "Laziz", "Mansur", "Nurali",
]  # fmt: skip
UZBEK_FAMILY_STEMS = [
    "Namangan", "Yuldash", "Ibragim", "Rakhim", "Karim", "Nazar", "Tursun", "Abdulla", "Ismoil",
    "Said", "Usmon", "Khodja", "Yusup", "Rashid", "Alim", "Sobir", "Mirza", "Tosh", "Umar",
]  # fmt: skip
SYLLABLES_UZBEK = ["bek", "jon", "mur", "dil", "shod", "far", "ruh", "sher", "zod", "ul", "ug",
                   "o", "ta", "az", "iz", "nod", "ir", "bo", "bur", "sar", "dor", "ak", "mal",
                   "ra", "vsh", "an", "lo", "kam", "ol"]  # fmt: skip
NATIONALITIES = {
    "arabic": ["IRQ", "SYR", "SAU", "EGY", "TUN", "LBY", "YEM", "JOR", "DZA", "MAR"],
    "pashto": ["AFG", "PAK"],
    "chechen": ["RUS", "GEO"],
    "somali": ["SOM", "KEN", "ETH"],
    "indonesian": ["IDN", "MYS", "PHL"],
    "western": ["FRA", "DEU", "GBR", "BEL", "NLD", "ESP", "SWE", "ITA"],
    "central_asian": ["UZB", "TJK", "KGZ", "KAZ"],
}
CULTURE_WEIGHTS = {"arabic": 30, "pashto": 15, "chechen": 10, "somali": 10, "indonesian": 10,
                   "western": 15, "central_asian": 10}  # fmt: skip
# Transliteration variants an official really meets (and the rule variants in `translit`).
SPELLINGS = {
    "Mohammed": ["Muhammad", "Mohamed", "Mohammad"], "Mohamed": ["Muhammad", "Mohammed"],
    "Mohammad": ["Muhammad", "Mohammed"], "Muhammad": ["Mohammed", "Mohamad"],
    "Yusuf": ["Yousef", "Youssef"], "Hussein": ["Husayn", "Hussain"], "Omar": ["Umar"],
    "Osama": ["Usama"], "Khalid": ["Khaled"], "Abdullah": ["Abdallah", "Abd Allah"],
    "Abdulaziz": ["Abd al-Aziz", "Abdelaziz"], "Abdulrahman": ["Abd al-Rahman", "Abderrahmane"],
    "Ahmed": ["Ahmad"], "Saeed": ["Said", "Sa'id"], "Hisham": ["Hicham"], "Jamal": ["Djamel"],
    "Magomed": ["Mohammed"], "Ibragim": ["Ibrahim"], "Tariq": ["Tarek"], "Saleh": ["Salih"],
    "Yasser": ["Yasir"], "Ismail": ["Ismael", "Esmail"], "Ziad": ["Ziyad"],
}  # fmt: skip
TRANSLIT_RULES = [("kh", "h"), ("ou", "u"), ("u", "ou"), ("ee", "i"), ("e", "a"), ("y", "i"),
                  ("q", "k"), ("i", "ee"), ("dzh", "j"), ("a", "e"), ("sh", "ch"), ("j", "dj"),
                  ("i", "e"), ("o", "u")]  # fmt: skip

# Romanisation schemes that are *not* the engine's own skeleton rules (normalise.py merges only
# kh/h, q/k, sh/ch/sch, dj/j, th/t, dh/d, gh/g, ph/f, c/k): a traveller's name is written in one
# scheme throughout, as a passport office of that language would. Longest source first.
TRANSLIT_SCHEMES: dict[str, list[tuple[str, str]]] = {
    # French: ou for u, ch for sh, dj for j, ss between vowels kept by doubling s.
    "french": [("sh", "ch"), ("kh", "kh"), ("u", "ou"), ("j", "dj"), ("w", "ou"), ("y", "y")],
    # German: sch for sh, dsch for j, j for y, w for v, tsch for ch, -ow for -ov.
    "german": [("sh", "sch"), ("ch", "tsch"), ("j", "dsch"), ("y", "j"), ("v", "w"), ("zh", "sch")],
    # Turkish (ICAO, no diacritics): c for j, s for sh and th, z for dh, v for w, k for q.
    "turkish": [("sh", "s"), ("th", "s"), ("dh", "z"), ("kh", "h"), ("ch", "c"), ("j", "c"),
                ("w", "v"), ("q", "k"), ("u", "u")],
    # Egyptian and colloquial: g for j, s for th, z for dh, e for some a.
    "egyptian": [("th", "s"), ("dh", "z"), ("j", "g"), ("ai", "ei"), ("aw", "ow")],
    # Persian and Urdu: v for w, s for th, z for dh and for d in Arabic loans, e for a before h.
    "persian": [("w", "v"), ("th", "s"), ("dh", "z"), ("ah", "eh"), ("ou", "u"), ("q", "gh")],
    # Spanish: j for kh, ch for sh, i for y, u for w.
    "spanish": [("kh", "j"), ("sh", "ch"), ("y", "i"), ("w", "u"), ("z", "s")],
    # Russian-family names in French and German spelling (Jukov, Joukov, Schukow...).
    "cyrillic_french": [("zh", "j"), ("kh", "kh"), ("ch", "tch"), ("sh", "ch"), ("ya", "ia"),
                        ("yu", "iou"), ("u", "ou"), ("ye", "ie")],
    "cyrillic_german": [("zh", "sch"), ("kh", "ch"), ("ch", "tsch"), ("sh", "sch"), ("ya", "ja"),
                        ("yu", "ju"), ("ye", "je"), ("v", "w"), ("z", "s")],
}  # fmt: skip
# QWERTY neighbours (a finger that slips), for keyboard-adjacent typos.
KEYBOARD_NEIGHBOURS = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok",
    "o": "ipl", "p": "ol", "a": "qsz", "s": "adwx", "d": "sfec", "f": "dgrv", "g": "fhtb",
    "h": "gjyn", "j": "hkum", "k": "jlim", "l": "kop", "z": "asx", "x": "zsc", "c": "xdv",
    "v": "cfb", "b": "vgn", "n": "bhm", "m": "njk",
}  # fmt: skip
