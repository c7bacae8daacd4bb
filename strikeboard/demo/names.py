"""The members' names: groups from many cultures, with weights, and names that break careless code."""

from dataclasses import dataclass

# (first names, last names, languages some of them speak besides English), by weight.
_NAME_GROUPS_SOURCE: tuple[tuple[float, str, str, str], ...] = (
    (
        30,
        "James,Mary,Robert,Patricia,John,Jennifer,Michael,Linda,David,Elizabeth,William,Barbara,"
        "Richard,Susan,Joseph,Jessica,Thomas,Sarah,Christopher,Karen,Daniel,Nancy,Matthew,Lisa,Anthony,"
        "Betty,Mark,Sandra,Steven,Ashley,Andrew,Emily,Joshua,Megan,Kevin,Rachel,Brian,Lauren,Tyler,"
        "Hannah,Jordan,Taylor,Morgan,Riley,Avery,Quinn,Dakota,Casey,Zoë,Chloë,Renée,Noël",
        "Smith,Johnson,Williams,Brown,Jones,Miller,Davis,Wilson,Anderson,Taylor,Thomas,Moore,Jackson,"
        "Martin,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Hill,Green,"
        "Adams,Baker,Nelson,Carter,Mitchell,Roberts,Turner,Phillips,Campbell,Parker,Evans,Edwards,Collins,"
        "Stewart,Morris,Murphy,Cook,Rogers,Bell,Cooper,Reed,Bailey,Brooks,Kelly,Howard,Ward,Cox,Bennett,"
        "Gray,Hughes,Price,Myers,Long,Foster,Sanders,Ross",
        "ASL",
    ),
    (
        4,
        "Siobhán,Aoife,Niamh,Seán,Ciarán,Éamon,Saoirse,Pádraig,Róisín,Declan,Caoimhe,Oisín",
        "O'Brien,O'Connor,O'Neill,O'Sullivan,McCarthy,MacDonald,Ó Súilleabháin,Ní Bhriain,Fitzgerald,"
        "Gallagher,Byrne,Doherty",
        "Irish",
    ),
    (
        3,
        "Giuseppe,Francesca,Alessandro,Chiara,Matteo,Giulia,Lorenzo,Sofia,Niccolò,Benedetta",
        "D'Angelo,De Luca,Esposito,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,Conti,D'Amico,Lo Bianco,"
        "Dell'Orto",
        "Italian",
    ),
    (
        14,
        "José,María,Juan,Guadalupe,Luis,Carmen,Carlos,Ana,Jesús,Sofía,Miguel,Lucía,Alejandro,Valentina,"
        "Andrés,Camila,Julián,Ximena,Diego,Mónica,Raúl,Inés,Ramón,Beatriz,Iñaki,Begoña,José Luis,"
        "María José",
        "García,Rodríguez,Martínez,Hernández,López,González,Pérez,Sánchez,Ramírez,Torres,Flores,Rivera,"
        "Gómez,Díaz,Reyes,Cruz,Morales,Ortiz,Gutiérrez,Chávez,Ramos,Ruiz,Jiménez,Mendoza,Álvarez,Castillo,"
        "Vásquez,Núñez,Peña,Muñoz,Ibáñez,García Márquez,de la Cruz",
        "Spanish",
    ),
    (
        4,
        "Wei,Jing,Hao,Xiu Ying,Ming,Li Na,Jun,Mei,Yan,Zhen,Xiaoling,Jia Hui",
        "Wang,Li,Zhang,Liu,Chen,Yang,Huang,Zhao,Wu,Zhou,Xu,Sun,Ma,Zhu,Hu,Lin,Guo",
        "Mandarin,Cantonese",
    ),
    (1, "伟,芳,娜,秀英,敏,静,丽,强,磊,军,洋,勇", "李,王,张,刘,陈,杨,黄,赵,吴,周", "Mandarin"),
    (
        2,
        "Haruto,Yui,Sōta,Aoi,Ren,Hina,Yūto,Sakura,Kenji,Yūko,Shōta,Ryō",
        "Satō,Suzuki,Takahashi,Tanaka,Watanabe,Itō,Yamamoto,Nakamura,Kobayashi,Katō",
        "Japanese",
    ),
    (0.5, "翔太,結衣,陽菜,蓮,花子,太郎", "田中,佐藤,鈴木,高橋,山本,中村", "Japanese"),
    (
        2,
        "Min-jun,Seo-yeon,Ji-ho,Ha-eun,Do-yun,Ji-woo,Seo-jun,Su-bin,Ye-jin,Hyun-woo",
        "Kim,Lee,Park,Choi,Jung,Kang,Cho,Yoon,Jang,Lim",
        "Korean",
    ),
    (0.4, "민준,서연,지호,하은,도윤", "김,이,박,최,정", "Korean"),
    (
        2,
        "Anh,Bảo,Linh,Minh,Phương,Quân,Thảo,Tuấn,Hương,Đức,Ngọc,Khánh",
        "Nguyễn,Trần,Lê,Phạm,Hoàng,Huỳnh,Phan,Vũ,Võ,Đặng,Bùi,Đỗ",
        "Vietnamese",
    ),
    (
        2,
        "Maricel,Rodel,Jericho,Jasmine,Angelica,Mark Anthony,Rowena,Ronaldo,Joy,Liezl",
        "Santos,Reyes,dela Cruz,Bautista,Villanueva,Mendoza,Aquino,Castillo,Ramos,Macaraeg",
        "Tagalog",
    ),
    (
        4,
        "Aarav,Priya,Arjun,Ananya,Rohan,Kavya,Vikram,Deepika,Sanjay,Lakshmi,Rahul,Meera,Imran,Ayesha,"
        "Harpreet,Gurpreet",
        "Patel,Sharma,Singh,Kumar,Gupta,Reddy,Iyer,Chatterjee,Mukherjee,Desai,Khan,Chaudhry,Banerjee,Nair,"
        "Menon",
        "Hindi,Punjabi,Tamil,Urdu",
    ),
    (0.2, "प्रिया,अर्जुन,अनन्या", "शर्मा,पटेल", "Hindi"),
    (
        2,
        "Mohammed,Fatima,Ahmed,Layla,Omar,Aisha,Youssef,Mariam,Khalid,Nour,Tariq,Yasmin",
        "Al-Sayed,Haddad,Khoury,Nassar,Mansour,Saleh,Abdullah,El-Amin,Ibrahim,Hassan,Farah,Al-Masri",
        "Arabic",
    ),
    (0.4, "محمد,فاطمة,أحمد,ليلى,عمر,نور", "حداد,الخوري,منصور,ابراهيم", "Arabic"),
    (
        1.5,
        "Dariush,Shirin,Reza,Parisa,Kourosh,Leila,Arash,Nasrin,Babak,Maryam",
        "Tehrani,Hosseini,Karimi,Ahmadi,Moradi,Rahimi,Jafari,Ghorbani",
        "Farsi",
    ),
    (
        2,
        "Aram,Ani,Tigran,Narine,Gor,Lusine,Arman,Anahit,Vardan,Shushan",
        "Petrosyan,Hakobyan,Sargsyan,Grigoryan,Avetisyan,Mkrtchyan,Hovhannisyan,Gasparyan",
        "Armenian",
    ),
    (
        2,
        "Łukasz,Małgorzata,Paweł,Agnieszka,Wojciech,Zofia,Jiří,Tereza,Dušan,Ivana,Bożena,Jarosław",
        "Kowalski,Nowak,Wiśniewska,Wójcik,Dąbrowski,Lewandowski,Zieliński,Novák,Dvořák,Černá,Svoboda,Horváth",
        "Polish,Czech",
    ),
    (
        1.5,
        "Dmitri,Anastasia,Sergei,Olga,Alexei,Natalia,Oleksandr,Iryna,Yulia,Mykola",
        "Ivanov,Petrova,Smirnov,Kuznetsova,Shevchenko,Kovalenko,Volkov,Sokolova,Bondarenko",
        "Russian,Ukrainian",
    ),
    (
        0.6,
        "Дмитрий,Анна,Сергей,Ольга,Алексей,Наталья,Олександр,Ірина",
        "Иванов,Петрова,Смирнов,Кузнецова,Шевченко,Коваленко",
        "Russian,Ukrainian",
    ),
    (
        1,
        "Sophia,Giorgos,Eleni,Dimitris,Konstantinos,Athena",
        "Papadopoulos,Nikolaidis,Georgiou,Pappas,Karras",
        "Greek",
    ),
    (0.3, "Σοφία,Γιώργος,Ελένη,Δημήτρης", "Παπαδοπούλου,Νικολάου,Γεωργίου", "Greek"),
    (
        3,
        "Jürgen,Anneliese,Björn,Søren,Åsa,Maximilian,Greta,Lars,Ingrid,Frederik,Märta,Jörg",
        "Müller,Schmidt,Schröder,Weiß,Becker,Andersson,Johansson,Nielsen,Kristiansen,van der Berg,de Vries,"
        "Østergaard,Løvaas",
        "German,Swedish,Danish,Dutch",
    ),
    (
        2,
        "Chloé,Amélie,François,Hélène,Benoît,Céline,Gaël,Anaïs,Jérôme,Léa,Zoé,Maëlle",
        "Dubois,Lefèvre,Moreau,Girard,Lambert,Rousseau,Bonnet,Fontaine,Chevalier,Leclerc,Giraud,Mercier",
        "French",
    ),
    (
        6,
        "Aaliyah,DeShawn,Imani,Jamal,Keisha,Malik,Nia,Tyrone,Zora,Kwame,Chiamaka,Oluwaseun,Adaeze,Kofi,"
        "Ayodele,Amara,Thandiwe,Sipho,Abebe,Makeda",
        "Washington,Jefferson,Okafor,Adeyemi,Mensah,Okonkwo,Diallo,Dlamini,Tesfaye,Bekele,Boateng,Owusu,Eze,"
        "Coleman,Freeman,Banks,Jenkins",
        "Yoruba,Amharic,French",
    ),
    (
        3,
        "Avi,Noa,Yael,Eitan,Tamar,Ari,Shira,Moshe,Rivka,Miriam,Sam,Rachel",
        "Cohen,Levi,Goldberg,Friedman,Shapiro,Katz,Rosen,Adler,Weinstein,Kaplan,Ben-David,Mizrahi",
        "Hebrew",
    ),
    (0.2, "נועה,אבי,יעל", "כהן,לוי", "Hebrew"),
    (
        0.8,
        "Ayşe,Mehmet,Zeynep,Mustafa,Elif,Emre,Gülşen,Çağan",
        "Yılmaz,Kaya,Demir,Şahin,Çelik,Öztürk",
        "Turkish",
    ),
    (
        0.5,
        "Kealoha,Leilani,Kaʻiulani,Keanu,Malia,Makoa",
        "Kamakau,Nāone,Akana,Kahale,Fonoti,Tuiasosopo",
        "Hawaiian,Samoan",
    ),
)


@dataclass(frozen=True)
class NameGroup:
    """Names from one culture, and the languages (besides English) some who bear them speak."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    languages: tuple[str, ...]
    latin: bool  # written in the Latin alphabet


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _is_latin(name: str) -> bool:
    """Latin letters only (Basic/Extended Latin, IPA, modifiers, Vietnamese's Latin Extended Additional)."""
    return all(not ch.isalpha() or ord(ch) < 0x0370 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in name)


NAME_GROUPS: tuple[NameGroup, ...] = tuple(
    NameGroup(_pool(first), _pool(last), _pool(langs), all(_is_latin(n) for n in _pool(first + "," + last)))
    for _weight, first, last, langs in _NAME_GROUPS_SOURCE
)
NAME_WEIGHTS: tuple[float, ...] = tuple(weight for weight, *_rest in _NAME_GROUPS_SOURCE)

#: Names that break careless code: markup look-alikes, apostrophes, hyphens, accents
#: (one decomposed), long names, emoji, a mononym, right-to-left script, SQL quotes.
#: (first, last, preferred)
EDGE_NAMES: tuple[tuple[str, str, str], ...] = (
    ("[steward] Ann", "Lee", ""),
    ("Mary", "[red]Jones[/red]", ""),
    ("[b]Bold[/b]", "O'Brien-Smith", "Bo"),
    ("Zoë", "O'Brien-Nguyễn", ""),
    ("Zoe\u0308", "D'Angelo", ""),  # "Zoë" with a combining diaeresis (NFD)
    ("José María", "García Márquez de la Torre", "Chema"),
    (
        "Maximiliana Esperanza Guadalupe Concepción",
        "Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh",
        "Maxi",
    ),
    ("Sunny ☀️", "Day", ""),
    ("Alex", "Rivera 🏳️‍🌈", ""),
    ("Teller", "", ""),
    ("Robert'); DROP TABLE member;--", "Tables", "Bobby"),
    ("Łukasz", "Smith-Jones", ""),
    ("李", "娜", "Nina"),
    ("Дмитрий", "Иванов", "Dima"),
    ("محمد", "حداد", "Mo"),
    ("田中", "花子", ""),
    ("Σοφία", "Παπαδοπούλου", "Sophie"),
    ("Dana", "כהן", ""),
    ("Nguyễn", "Thị Minh Khai", ""),
    ("100% Real", "Name \\ with / slashes", ""),
)
