"""The demo strike: a deterministic, WGA-like strike for trying the app and for benchmarks.

:func:`generate` builds it from a seed: a dozen studio gates, three weeks of picket
shifts with "today" in the middle, a roster of members with names from many cultures
(and a few names chosen to break careless code), their availability, assignments,
sign-ins, hour credits, incidents and grievances. The same seed, size and ``today``
always give the same database, byte for byte in ``sqlite3 FILE .dump``.

:func:`copy_redated` copies such a database and moves every date so that the demo's
"today" becomes a new one: ``make run`` uses it to open a strike that is always in
progress.

The demo's "now" is ``today`` at :data:`DEMO_NOW` (11:00) in the strike's time zone:
the 06:00–10:00 shifts of that day are over, the 10:00–14:00 shifts are running (their
pickets are signed in, not yet out) and the 14:00–18:00 shifts are still ahead.
"""

import json
import os
import random
import sqlite3
import tempfile
import unicodedata
import uuid
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import MO, TH, relativedelta
from sqlalchemy import Date, insert, update
from sqlmodel import Session, SQLModel

from strikeboard.services.deadlines import due_date
from strikeboard.services.settings import DEFAULT_STEPS, StrikeSettings, save_settings
from strikeboard.store.db import open_store
from strikeboard.store.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Availability,
    AvailabilityException,
    AvailabilityWindow,
    CheckIn,
    CheckInKind,
    CreditKind,
    Grievance,
    GrievanceEvent,
    GrievanceEventKind,
    GrievanceGrievant,
    GrievanceStatus,
    HoursCredit,
    Incident,
    IncidentCategory,
    InformationRequest,
    Location,
    Member,
    MemberStatus,
    Role,
    Setting,
    Shift,
)
from strikeboard.store.probe import StoreError
from strikeboard.store.types import UTCDateTime
from strikeboard.textnorm import digits, search_key

# --------------------------------------------------------------------------- the shape

TIME_ZONE = "America/Los_Angeles"
STRIKE_NAME = "WGA Strike (demo)"
#: Setting key holding the demo's "today" (ISO date), read back by :func:`copy_redated`.
DEMO_TODAY_KEY = "demo_today"
#: The demo's "now": ``today`` at this local time in :data:`TIME_ZONE`.
DEMO_NOW = time(11, 0)
#: The strike started this many days before ``today`` and runs :data:`STRIKE_DAYS` days.
DAYS_BEFORE_TODAY = 10
STRIKE_DAYS = 21
#: Local start and end hours of each day's shifts at every gate.
SLOTS: tuple[tuple[int, int], ...] = ((6, 10), (10, 14), (14, 18))
#: The size the gates' headcounts are drawn for; other sizes scale them.
REFERENCE_MEMBERS = 11_500
GRIEVANCES = 150

_NEED_SHADE, _NEED_SEATING, _NEED_RESTROOMS, _NEED_STEP_FREE = 1, 2, 4, 8

# --------------------------------------------------------------------------- data pools


@dataclass(frozen=True)
class _Gate:
    name: str
    employer: str
    address: str
    notes: str
    features: str  # any of: shade seating restrooms step_free transit
    size: int  # most pickets wanted at once, for REFERENCE_MEMBERS members
    interpreter: bool = False  # shifts ask for an interpreter
    captain: bool = True  # shifts need a captain

    def has(self, feature: str) -> bool:
        """Whether the gate offers ``feature`` (shade, seating, restrooms, step_free, transit)."""
        return feature in self.features.split()

    @property
    def offers(self) -> int:
        """The accommodation needs this gate meets, as a mask of ``_NEED_*``."""
        return sum(need for need, feature in _NEEDS if self.has(feature))


_NEEDS = (
    (_NEED_SHADE, "shade"),
    (_NEED_SEATING, "seating"),
    (_NEED_RESTROOMS, "restrooms"),
    (_NEED_STEP_FREE, "step_free"),
)

GATES: tuple[_Gate, ...] = (
    _Gate(
        "Disney – Buena Vista St gate", "Walt Disney Studios", "500 S Buena Vista St, Burbank, CA 91521",
        "Wide sidewalk under the trees. Strike tent with restrooms and chairs on Riverside Dr.",
        "shade seating restrooms step_free", 60,
    ),
    _Gate(
        "Warner Bros. – Gate 2", "Warner Bros. Discovery", "4000 Warner Blvd, Burbank, CA 91522",
        "Narrow sidewalk at the bridge: keep the crosswalk clear. Portable toilets by the parking structure.",
        "restrooms", 50,
    ),
    _Gate(
        "Sony – Overland Ave gate", "Sony Pictures", "10202 W Washington Blvd, Culver City, CA 90232",
        "Shade on Overland. Metro E Line Culver City station is a 10-minute walk.",
        "shade step_free transit", 45, interpreter=True,
    ),
    _Gate(
        "Amazon – Culver Studios", "Amazon MGM Studios", "9336 W Washington Blvd, Culver City, CA 90232",
        "Flat, wide sidewalk with benches on Washington Blvd; near Culver City station.",
        "seating step_free transit", 35,
    ),
    _Gate(
        "Fox – Pico Blvd gate", "Fox", "10201 W Pico Blvd, Los Angeles, CA 90064",
        "Long frontage in full sun after noon: bring water. Restrooms at the mall across Pico.",
        "restrooms step_free", 40,
    ),
    _Gate(
        "Netflix – Sunset Bronson", "Netflix", "5808 Sunset Blvd, Los Angeles, CA 90028",
        "Busy intersection: marshals at both crosswalks. Metro B Line Hollywood/Western nearby.",
        "step_free transit", 60, interpreter=True,
    ),
    _Gate(
        "Paramount – Melrose Gate", "Paramount", "5555 Melrose Ave, Los Angeles, CA 90038",
        "The arch gate. Awning shade and folding chairs; curb cuts on the Gower side are narrow.",
        "shade seating restrooms", 60,
    ),
    _Gate(
        "Universal – Lankershim gate", "NBCUniversal", "100 Universal City Plaza, Universal City, CA 91608",
        "Steep sidewalk on Lankershim. Metro B Line Universal City/Studio City across the street.",
        "restrooms transit", 55, interpreter=True,
    ),
    _Gate(
        "CBS Television City", "CBS Studios", "7800 Beverly Blvd, Los Angeles, CA 90036",
        "Restrooms at the Farmers Market next door; trees along Fairfax.",
        "shade seating restrooms step_free", 30,
    ),
    _Gate(
        "CBS Studio Center – Radford Ave", "CBS Studios", "4024 Radford Ave, Studio City, CA 91604",
        "Residential street: no bullhorns before 8 am.",
        "shade step_free", 25,
    ),
    _Gate(
        "Disney – Prospect Studios", "Walt Disney Studios", "4151 Prospect Ave, Los Angeles, CA 90027",
        "Small gate on a steep hill; park on Talmadge St.",
        "", 20,
    ),
    _Gate(
        "Sunset Gower Studios", "Sunset Gower Studios", "1438 N Gower St, Los Angeles, CA 90028",
        "Shared line with IATSE; seats under their canopy. Metro B Line Hollywood/Vine.",
        "shade seating step_free transit", 20, captain=False,
    ),
)  # fmt: skip

#: Employers of the members (the studios), with relative weights.
STUDIOS: tuple[tuple[str, int], ...] = (
    ("Walt Disney Studios", 14),
    ("Warner Bros. Discovery", 13),
    ("NBCUniversal", 11),
    ("Netflix", 11),
    ("Paramount", 10),
    ("Sony Pictures", 8),
    ("Amazon MGM Studios", 8),
    ("Fox", 7),
    ("CBS Studios", 6),
    ("Apple TV+", 5),
    ("Lionsgate", 3),
    ("AMC Networks", 2),
    ("Sunset Gower Studios", 1),
)
STAFF_UNIT = "WGA West (staff)"
DEPARTMENTS = (
    "Drama",
    "Comedy",
    "Features",
    "Animation",
    "Late night / variety",
    "Daytime",
    "Documentary / nonfiction",
    "News",
    "Kids & family",
    "Interactive / games",
)
JOB_TITLES = (
    "Staff Writer",
    "Staff Writer",
    "Story Editor",
    "Executive Story Editor",
    "Co-Producer",
    "Producer",
    "Supervising Producer",
    "Co-Executive Producer",
    "Executive Producer",
    "Showrunner",
    "Screenwriter",
    "Screenwriter",
    "Head Writer",
    "Sketch Writer",
    "Freelance Writer",
)
STAFF_TITLES = (
    "Organizer",
    "Senior Organizer",
    "Field Representative",
    "Communications Associate",
    "Staff Attorney",
    "Membership Coordinator",
    "Strike Coordinator",
    "Research Analyst",
    "Front Desk",
    "IT Support",
)
PRONOUNS = (
    "she/her",
    "she/her",
    "he/him",
    "he/him",
    "they/them",
    "she/they",
    "he/they",
    "ze/zir",
    "any pronouns",
)
NICKNAMES = (
    "Sam",
    "Jo",
    "Max",
    "Alex",
    "Kit",
    "Jay",
    "Bea",
    "Sunny",
    "Rae",
    "Mo",
    "Dee",
    "Lu",
    "Nico",
    "Teddy",
    "Frankie",
    "Izzy",
    "Bo",
    "Cece",
    "Gigi",
    "Ash",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "writers.example")
#: Los Angeles and other area codes for phones in the fictional 555 exchange.
AREA_CODES = (
    "213",
    "310",
    "323",
    "424",
    "562",
    "626",
    "661",
    "747",
    "818",
    "909",
    "949",
    "714",
    "805",
    "760",
    "415",
    "510",
    "212",
    "646",
    "718",
    "917",
    "312",
    "512",
    "206",
    "503",
)
RELATIONS = (
    "partner",
    "spouse",
    "mother",
    "father",
    "sister",
    "brother",
    "friend",
    "roommate",
    "daughter",
    "son",
)
MEMBER_NOTES = (
    "Prefers morning shifts.",
    "Has a car: can drive supplies between gates.",
    "Captain in training.",
    "Former steward at Paramount.",
    "Do not call before 9 am.",
    "Brings a dog to the line (friendly).",
    "Can lend a folding table and a canopy.",
    "Text, don't call.",
)
#: (note, needs mask) for members with an accommodation.
ACCOMMODATIONS: tuple[tuple[str, int], ...] = (
    ("Uses a wheelchair: step-free gates only.", _NEED_STEP_FREE),
    ("Needs to sit every 30 minutes.", _NEED_SEATING),
    ("Heat-sensitive medication: shade needed.", _NEED_SHADE),
    ("Medical: needs restroom access nearby.", _NEED_RESTROOMS),
    ("Uses a cane; seating and step-free access.", _NEED_SEATING | _NEED_STEP_FREE),
    ("Pregnant: shade, seating and restrooms.", _NEED_SHADE | _NEED_SEATING | _NEED_RESTROOMS),
    ("Chronic pain: alternative duty approved (phone bank).", 0),
    ("Immunocompromised: outdoor, distanced spot; alternative duty on bad air days.", 0),
)
ALTERNATIVE_DUTIES = (
    "Phone banking",
    "Sign making",
    "Strike kitchen",
    "Social media team",
    "Data entry at the strike office",
    "Childcare co-op at the union hall",
)
EXCUSED_REASONS = ("Medical leave (documented)", "Family care", "Bereavement", "Jury duty")

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
class _NameGroup:
    first: tuple[str, ...]
    last: tuple[str, ...]
    languages: tuple[str, ...]
    latin: bool  # written in the Latin alphabet


def _pool(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _is_latin(name: str) -> bool:
    """Latin letters only (Basic/Extended Latin, IPA, modifiers, Vietnamese's Latin Extended Additional)."""
    return all(not ch.isalpha() or ord(ch) < 0x0370 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in name)


NAME_GROUPS: tuple[_NameGroup, ...] = tuple(
    _NameGroup(_pool(first), _pool(last), _pool(langs), all(_is_latin(n) for n in _pool(first + "," + last)))
    for _weight, first, last, langs in _NAME_GROUPS_SOURCE
)
_NAME_WEIGHTS: tuple[float, ...] = tuple(weight for weight, *_rest in _NAME_GROUPS_SOURCE)

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

INCIDENT_TEXT: dict[str, tuple[str, ...]] = {
    IncidentCategory.VEHICLE: (
        "A car drove through the line at the driveway without stopping; no one hurt, plate noted.",
        "A delivery truck nudged a picket at the gate; first aid checked her, no injury.",
    ),
    IncidentCategory.POLICE: (
        "Police asked the line to keep the driveway clear; our legal observer was present.",
        "Police called by studio security about noise; no action taken.",
    ),
    IncidentCategory.THREAT: (
        "A driver shouted threats at pickets and filmed faces; reported to the strike office.",
        "A passer-by threatened to come back with friends; the line moved back from the curb.",
    ),
    IncidentCategory.EMPLOYER_FILMING: (
        "Studio security filmed the line from the gate booth for about 20 minutes.",
        "A drone flew over the line for 10 minutes.",
    ),
    IncidentCategory.INJURY: (
        "A picket tripped on the broken curb; ankle iced by first aid, went home.",
        "Heat exhaustion symptoms; first aid gave water and shade, the member sat out the shift.",
    ),
    IncidentCategory.OTHER: (
        "A lost phone was found at the gate; held at the strike tent.",
        "A neighbour complained about the sound system; volume lowered.",
    ),
}


@dataclass(frozen=True)
class _CaseType:
    summary: str
    remedy: str
    articles: str
    discipline: bool = False
    discharge: bool = False  # discharge cases start at Step 3
    class_case: bool = False  # usually filed as a class (union) grievance


CASES: tuple[_CaseType, ...] = (
    _CaseType(
        "Written warning for alleged lateness to a writers' room session.",
        "Rescind the warning and remove it from the personnel file.",
        "Art. 14 (Discipline)", discipline=True,
    ),
    _CaseType(
        "Suspended without pay after speaking at a union rally.",
        "Rescind the suspension and make the grievant whole.",
        "Art. 14 (Discipline); Art. 5 (Non-Discrimination)", discipline=True,
    ),
    _CaseType(
        "Discharged without just cause.",
        "Reinstatement with full back pay and benefits.",
        "Art. 14 (Discipline)", discipline=True, discharge=True,
    ),
    _CaseType(
        "Episode reassigned to another writer after the grievant joined the picket line.",
        "Restore the assignment and pay for the lost work.",
        "Art. 5 (Non-Discrimination); Art. 14", discipline=True,
    ),
    _CaseType(
        "Script fees for a rewrite paid 45 days late.",
        "Pay the fees with the contractual late-payment penalty.",
        "Art. 13 (Payment)",
    ),
    _CaseType(
        "Streaming residuals under-reported on the last two statements.",
        "Audit the statements and pay all monies owed with interest.",
        "Art. 15 (Residuals)",
    ),
    _CaseType(
        "Writers asked to do unpaid rewrites before a deal was closed.",
        "Pay for every service rendered at no less than scale.",
        "Art. 13 (Payment); Art. 16", class_case=True,
    ),
    _CaseType(
        "Credits notice sent without tentative writing credits.",
        "Re-issue the notice and follow the Credits Manual.",
        "Art. 8 (Credits)",
    ),
    _CaseType(
        "No ventilation in the writers' room at the production office.",
        "Repair the ventilation or provide a safe room.",
        "Art. 22 (Health and Safety)", class_case=True,
    ),
    _CaseType(
        "Health plan contributions not remitted for three weeks.",
        "Remit the contributions and restore coverage retroactively.",
        "Art. 17 (Pension and Health)",
    ),
    _CaseType(
        "Harassment by a showrunner reported and not investigated.",
        "Investigate, stop the harassment, and no retaliation.",
        "Art. 5 (Non-Discrimination)",
    ),
    _CaseType(
        "Mini-room writers kept beyond the guaranteed period without pay.",
        "Pay the additional weeks at the applicable rate.",
        "Art. 13 (Payment); Sideletter on mini-rooms", class_case=True,
    ),
    _CaseType(
        "Employer refused the union's written request for room rosters and pay data.",
        "Provide the information requested.",
        "Art. 3 (Union Security)", class_case=True,
    ),
)  # fmt: skip

INFORMATION_REQUESTS = (
    "Attendance and timekeeping records for the grievant",
    "All discipline issued under Art. 14 in the last three years",
    "Emails between the supervisor and HR about the grievant",
    "Payroll records showing fees and dates paid",
    "Security camera footage of the incident",
    "Job descriptions and the writers' room roster",
    "Residual statements and the underlying license fees",
)

AVAILABILITY_NOTES = (
    "Mornings only on school days.",
    "Can bring a folding table.",
    "Carpools with a neighbour: same gate please.",
    "Needs a ride home.",
)
EXCEPTION_NOTES = ("Doctor's appointment", "Family event", "Out of town", "Pitch meeting")
SHIFT_NOTES = (
    "Solidarity visit from Teamsters Local 399.",
    "Theme day: comedy writers.",
    "Pizza drop from a showrunner at noon.",
    "Press expected.",
)
MEETINGS = (
    "Grievant and steward attended.",
    "Employer asked for more time to review.",
    "Offer made; grievant considering.",
    "Held by video call.",
)

# --------------------------------------------------------------------------- holidays


def us_holidays(year: int) -> list[date]:
    """US federal holidays of ``year`` (observed on Friday/Monday), plus the day after Thanksgiving."""

    def observed(day: date) -> date:
        if day.weekday() == 5:
            return day - timedelta(days=1)
        if day.weekday() == 6:
            return day + timedelta(days=1)
        return day

    thanksgiving = date(year, 11, 1) + relativedelta(weekday=TH(+4))
    days = [
        observed(date(year, 1, 1)),
        date(year, 1, 1) + relativedelta(weekday=MO(+3)),  # Martin Luther King Jr. Day
        date(year, 2, 1) + relativedelta(weekday=MO(+3)),  # Presidents' Day
        date(year, 5, 31) + relativedelta(weekday=MO(-1)),  # Memorial Day
        observed(date(year, 6, 19)),  # Juneteenth
        observed(date(year, 7, 4)),
        date(year, 9, 1) + relativedelta(weekday=MO(+1)),  # Labor Day
        observed(date(year, 11, 11)),  # Veterans Day
        thanksgiving,
        thanksgiving + timedelta(days=1),
        observed(date(year, 12, 25)),
    ]
    return sorted(days)


def demo_holidays(today: date) -> tuple[date, ...]:
    """The holidays a demo around ``today`` needs: two years back (old grievances), one ahead."""
    return tuple(day for year in range(today.year - 2, today.year + 2) for day in us_holidays(year))


# --------------------------------------------------------------------------- people and shifts

Row = dict[str, Any]


@dataclass(slots=True)
class _Person:
    """What the generator remembers about a member while it fills the other tables."""

    id: uuid.UUID
    name: str  # as shown: preferred (or first) name and last name
    role: str
    status: str
    unit: str
    department: str
    skills: list[str]
    needs: int  # accommodation needs, a mask of _NEED_*
    accommodation: bool
    volunteer: bool = False  # active, with availability: can be scheduled
    week_cap: int = 99
    day_cap: int = 2
    preferred_gates: tuple[int, ...] = ()
    excluded_gates: frozenset[int] = frozenset()
    unavailable: frozenset[date] = frozenset()

    def fits(self, gate: int) -> bool:
        """Whether this person can picket at ``gate`` (needs met, gate not excluded)."""
        return not (self.needs & ~GATES[gate].offers) and gate not in self.excluded_gates


@dataclass(slots=True)
class _ShiftPlan:
    """A shift while it is being filled."""

    id: uuid.UUID
    gate: int
    day: date
    slot: int
    starts_at: datetime
    ends_at: datetime
    target: int  # how many people it gets (the demo's sign-up level)
    captain_needed: bool
    roles_needed: list[str]
    cancelled: bool
    crew: list[tuple[int, str]] = field(default_factory=list)  # (person index, role)

    @property
    def room(self) -> int:
        """How many more people this shift takes."""
        return self.target - len(self.crew)


@dataclass(frozen=True, slots=True)
class _Booking:
    """One assignment as the check-in and incident generators see it."""

    person: int
    role: str
    status: str


# Weekly availability patterns: (weight, weekdays, start minute, end minute). The last
# one runs past midnight (end > 1440) and matches no shift: the scheduler must cope.
PATTERNS: tuple[tuple[int, tuple[int, ...], int, int], ...] = (
    (20, (0, 1, 2, 3, 4), 6 * 60, 14 * 60),
    (15, (0, 1, 2, 3, 4), 10 * 60, 18 * 60),
    (20, (0, 1, 2, 3, 4, 5, 6), 6 * 60, 18 * 60),
    (10, (5, 6), 6 * 60, 18 * 60),
    (10, (0, 2, 4), 6 * 60, 18 * 60),
    (10, (1, 3), 6 * 60, 18 * 60),
    (8, (0, 1, 2, 3, 4, 5, 6), 6 * 60, 10 * 60),
    (5, (0, 1, 2, 3, 4), 14 * 60, 21 * 60),
    (2, (4, 5), 18 * 60, 26 * 60),
)
_PATTERN_WEIGHTS = tuple(pattern[0] for pattern in PATTERNS)
_MEMBER_STATUSES = (MemberStatus.ACTIVE, MemberStatus.EXCUSED, MemberStatus.INACTIVE, MemberStatus.INCOMPLETE)
_MEMBER_STATUS_WEIGHTS = (90, 5, 4, 1)
#: Share of each role that volunteers for picket shifts (active members only).
VOLUNTEER_SHARE = {Role.CAPTAIN: 1.0, Role.ORGANIZER: 1.0, Role.STEWARD: 0.6, Role.MEMBER: 0.4}


class _Demo:
    """Builds the rows of every table, in a fixed order, from one seeded random source."""

    def __init__(self, members: int, seed: int, today: date) -> None:
        self.n = members
        self.rng = random.Random(seed)
        self.today = today
        self.zone = ZoneInfo(TIME_ZONE)
        self.now = self.local(today, DEMO_NOW.hour, DEMO_NOW.minute)
        self.start = today - timedelta(days=DAYS_BEFORE_TODAY)
        self.days = [self.start + timedelta(days=i) for i in range(STRIKE_DAYS)]
        self.setup = self.local(self.start - timedelta(days=14), 10)  # roster imported, gates set up
        self.holidays = demo_holidays(today)
        self.holiday_set = frozenset(self.holidays)
        self.scale = members / REFERENCE_MEMBERS
        self.people: list[_Person] = []
        self.location_ids: list[uuid.UUID] = []
        self.plans: list[_ShiftPlan] = []
        self.crews: dict[uuid.UUID, list[_Booking]] = {}
        # (weekday, slot) → indices of volunteers whose weekly window covers that slot
        self.eligible: dict[tuple[int, int], list[int]] = {
            (weekday, slot): [] for weekday in range(7) for slot in range(len(SLOTS))
        }

    # -- small helpers

    def uid(self) -> uuid.UUID:
        """A random (version 4) UUID drawn from the seeded source."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A wall-clock time in the strike's zone on ``day``, as a UTC instant."""
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone).astimezone(UTC)

    def stamp(self, day: date, hour: int, minute: int = 0) -> datetime:
        """Like :meth:`local`, but never after the demo's now (for things that already happened)."""
        return self.past(self.local(day, hour, minute))

    def past(self, moment: datetime) -> datetime:
        """``moment``, or a little before the demo's now if it would be later."""
        return min(moment, self.now - timedelta(minutes=5))

    def between(self, first: date, last: date) -> date:
        """A random day in ``[first, last]`` (``first`` if the range is empty)."""
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, span)) if span > 0 else first

    def working(self, day: date) -> bool:
        """Monday to Friday and not a holiday."""
        return day.weekday() < 5 and day not in self.holiday_set

    def workday(self, day: date, floor: date | None = None) -> date:
        """The last working day on or before ``day`` (but not before ``floor``)."""
        while not self.working(day) and (floor is None or day > floor):
            day -= timedelta(days=1)
        return day

    # -- locations and members

    def locations(self) -> list[Row]:
        """The studio gates."""
        rows = []
        for gate in GATES:
            gate_id = self.uid()
            self.location_ids.append(gate_id)
            rows.append(
                {
                    "id": gate_id,
                    "name": gate.name,
                    "address": gate.address,
                    "notes": gate.notes,
                    "has_shade": gate.has("shade"),
                    "has_seating": gate.has("seating"),
                    "has_restrooms": gate.has("restrooms"),
                    "step_free": gate.has("step_free"),
                    "near_transit": gate.has("transit"),
                    "active": True,
                    "created_at": self.setup,
                    "updated_at": self.setup,
                }
            )
        return rows

    def _roles(self) -> list[str]:
        """Exact quotas of captains, stewards, organizers and staff, at shuffled places."""
        n, order = self.n, list(range(self.n))
        self.rng.shuffle(order)
        roles = [Role.MEMBER.value] * n
        quotas = (
            (Role.CAPTAIN, max(1, round(n * 0.06))),
            (Role.STEWARD, max(1, round(n * 0.012))),
            (Role.ORGANIZER, max(1, round(n * 0.003))),
            (Role.STAFF, round(n * 90 / REFERENCE_MEMBERS)),
        )
        position = 0
        for role, count in quotas:
            for index in order[position : position + count]:
                roles[index] = role.value
            position += count
        return roles

    def _name(self) -> tuple[str, str, str, _NameGroup]:
        """(first, last, preferred, group) from the weighted pools."""
        rng = self.rng
        group = rng.choices(NAME_GROUPS, weights=_NAME_WEIGHTS)[0]
        first, last = rng.choice(group.first), rng.choice(group.last)
        if group.latin and rng.random() < 0.04:
            last = f"{last}-{rng.choice(rng.choice(NAME_GROUPS[:4]).last)}"  # Smith-Jones
        preferred = rng.choice(NICKNAMES) if rng.random() < (0.07 if group.latin else 0.5) else ""
        return first, last, preferred, group

    def _email(self, first: str, last: str, number: str, seen: set[str]) -> str:
        """A unique lowercase address made from the name (``member<number>`` when it has no Latin letters)."""

        def slug(text: str) -> str:
            folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
            return "".join(ch for ch in folded if ch.isalnum())

        a, b = slug(first), slug(last)
        local = f"{a}.{b}" if a and b else (a or b or f"member{digits(number)}")
        domain = self.rng.choice(EMAIL_DOMAINS)
        email, k = f"{local}@{domain}", 1
        while email in seen:
            k += 1
            email = f"{local}{k}@{domain}"
        seen.add(email)
        return email

    def _skills(self, role: str, languages: list[str]) -> list[str]:
        rng = self.rng
        lead = role in (Role.CAPTAIN, Role.ORGANIZER)
        skills = []
        if rng.random() < (0.3 if lead else 0.08):
            skills.append("first_aid")
        if len(languages) > 1 and rng.random() < 0.4:
            skills.append("interpreter")
        for skill, p, lead_p in (
            ("marshal", 0.05, 0.25),
            ("de_escalation", 0.03, 0.15),
            ("sign_making", 0.05, 0.05),
            ("social_media", 0.05, 0.05),
            ("driver", 0.04, 0.04),
            ("photography", 0.03, 0.03),
            ("legal_observer", 0.01, 0.01),
        ):
            if rng.random() < (lead_p if lead else p):
                skills.append(skill)
        return skills

    def _languages(self, group: _NameGroup) -> list[str]:
        rng = self.rng
        languages = ["English"]
        if group.languages and rng.random() < 0.6:
            languages.append(rng.choice(group.languages))
        if "Spanish" not in languages and rng.random() < 0.08:
            languages.append("Spanish")
        if not group.latin and len(languages) > 1 and rng.random() < 0.05:
            languages.remove("English")
        return languages

    def members(self) -> list[Row]:
        """The roster: names from many cultures, a few edge cases, contacts, roles and needs."""
        rng, n = self.rng, self.n
        roles = self._roles()
        width = max(6, len(str(3 * n)))  # "W" + 6 digits, more for a huge roster
        numbers = rng.sample(range(10 ** (width - 1), 10**width), n)
        phone_order = list(range(n))
        rng.shuffle(phone_order)
        edges = EDGE_NAMES[:n]
        edge_at = dict(zip(rng.sample(range(n), len(edges)), edges, strict=True))
        studio_names = [name for name, _ in STUDIOS]
        studio_weights = [weight for _, weight in STUDIOS]
        seen_emails: set[str] = set()
        rows: list[Row] = []
        incomplete = 0
        for i in range(n):
            first, last, preferred, group = self._name()
            first, last, preferred = edge_at.get(i, (first, last, preferred))
            role = roles[i]
            status = MemberStatus.ACTIVE.value
            if role == Role.MEMBER:  # captains, stewards, organizers and staff are all active
                status = rng.choices(_MEMBER_STATUSES, weights=_MEMBER_STATUS_WEIGHTS)[0].value
            # Distinct phones: 555-0100..0199 (the fictional range) in each area code, then
            # 555-0200 and up; beyond 237,600 members they repeat.
            k = phone_order[i]
            line = 100 + (k // len(AREA_CODES)) % 9900
            phone = f"+1{AREA_CODES[k % len(AREA_CODES)]}555{line:04d}"
            if rng.random() < 0.03:
                phone = ""
            languages = self._languages(group)
            skills = self._skills(role, languages)
            note, needs = rng.choice(ACCOMMODATIONS) if rng.random() < 0.04 else ("", 0)
            emergency = ""
            if rng.random() < 0.6:
                contact_first, contact_last, _, _ = self._name()
                emergency = (
                    f"{contact_first} {contact_last} ({rng.choice(RELATIONS)}), "
                    f"+1 {rng.choice(AREA_CODES)}-555-01{rng.randint(0, 99):02d}"
                )
            if role == Role.STAFF:
                unit, department, title = STAFF_UNIT, "Guild staff", rng.choice(STAFF_TITLES)
            else:
                unit = rng.choices(studio_names, weights=studio_weights)[0]
                department, title = rng.choice(DEPARTMENTS), rng.choice(JOB_TITLES)
            number = f"W{numbers[i]}"
            created = updated = self.setup
            if status == MemberStatus.INCOMPLETE:  # quick-added at a gate during the strike
                incomplete += 1
                number, unit, department, title = f"NEW-{incomplete:04d}", "", "", ""
                created = updated = self.stamp(self.between(self.start, self.today), rng.randint(7, 17))
            elif rng.random() < 0.1:
                updated = self.stamp(
                    self.between(self.start - timedelta(days=10), self.today),
                    rng.randint(8, 19),
                    rng.randint(0, 59),
                )
            email = "" if status == MemberStatus.INCOMPLETE else self._email(first, last, number, seen_emails)
            pronouns = rng.choice(PRONOUNS) if rng.random() < 0.35 else ""
            notes = rng.choice(MEMBER_NOTES) if rng.random() < 0.03 else ""
            member_id = self.uid()
            shown = f"{preferred or first} {last}".strip()
            self.people.append(
                _Person(member_id, shown, role, status, unit, department, skills, needs, bool(note))
            )
            rows.append(
                {
                    "id": member_id,
                    "member_number": number,
                    "first_name": first,
                    "last_name": last,
                    "preferred_name": preferred,
                    "pronouns": pronouns,
                    "email": email,
                    "phone": phone,
                    "phone_digits": digits(phone),
                    "unit": unit,
                    "department": department,
                    "job_title": title,
                    "role": role,
                    "status": status,
                    "languages": languages,
                    "skills": skills,
                    "accommodation_notes": note,
                    "needs_step_free": bool(needs & _NEED_STEP_FREE),
                    "needs_seating": bool(needs & _NEED_SEATING),
                    "needs_shade": bool(needs & _NEED_SHADE),
                    "needs_restrooms": bool(needs & _NEED_RESTROOMS),
                    "emergency_contact": emergency,
                    "notes": notes,
                    "search_key": search_key(first, last, preferred),
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        return rows

    # -- availability

    def availability(self) -> tuple[list[Row], list[Row], list[Row]]:
        """Availability, weekly windows and dated exceptions of the volunteers."""
        rng = self.rng
        avail: list[Row] = []
        windows: list[Row] = []
        exceptions: list[Row] = []
        for index, person in enumerate(self.people):
            share = VOLUNTEER_SHARE.get(Role(person.role), 0.0)
            if person.status == MemberStatus.EXCUSED:
                share = 0.3  # signed up before being excused: kept on file, not scheduled
            elif person.status != MemberStatus.ACTIVE:
                share = 0.0
            if rng.random() >= share:
                continue
            person.volunteer = person.status == MemberStatus.ACTIVE
            _weight, weekdays, start, end = rng.choices(PATTERNS, weights=_PATTERN_WEIGHTS)[0]
            max_shifts = rng.choice((None, 2, 3, 3, 4, 5, 5, 6))
            max_hours = rng.choice((None, None, None, 12.0, 16.0, 20.0, 24.0))
            per_day = rng.choice((1, 1, 1, None, 2))
            hours_cap = int(max_hours // (SLOTS[0][1] - SLOTS[0][0])) if max_hours else 99
            person.week_cap, person.day_cap = min(max_shifts or 99, hours_cap), per_day or 2
            preferred = rng.sample(range(len(GATES)), rng.randint(1, 2)) if rng.random() < 0.4 else []
            excluded = {g for g, gate in enumerate(GATES) if person.needs & ~gate.offers}
            if rng.random() < 0.05:
                excluded.add(rng.randrange(len(GATES)))  # "too far from home"
            preferred = [g for g in preferred if g not in excluded]
            person.preferred_gates, person.excluded_gates = tuple(preferred), frozenset(excluded)
            notes = rng.choice(AVAILABILITY_NOTES) if rng.random() < 0.05 else ""
            avail.append(
                {
                    "id": self.uid(),
                    "member_id": person.id,
                    "max_shifts_per_week": max_shifts,
                    "max_hours_per_week": max_hours,
                    "max_shifts_per_day": per_day,
                    "preferred_location_ids": [str(self.location_ids[g]) for g in preferred],
                    "excluded_location_ids": [str(self.location_ids[g]) for g in sorted(excluded)],
                    "notes": notes,
                    "created_at": self.setup,
                    "updated_at": self.setup,
                }
            )
            for weekday in weekdays:
                windows.append(
                    {
                        "id": self.uid(),
                        "member_id": person.id,
                        "weekday": weekday,
                        "start_minute": start,
                        "end_minute": end,
                    }
                )
                for slot, (h0, h1) in enumerate(SLOTS):
                    if person.volunteer and start <= h0 * 60 and h1 * 60 <= end:
                        self.eligible[(weekday, slot)].append(index)
            if rng.random() < 0.06:
                off = sorted({rng.choice(self.days) for _ in range(rng.randint(1, 2))})
                person.unavailable = frozenset(off)
                exceptions.extend(
                    {
                        "id": self.uid(),
                        "member_id": person.id,
                        "on_date": day,
                        "available": False,
                        "start_minute": None,
                        "end_minute": None,
                        "note": rng.choice(EXCEPTION_NOTES),
                    }
                    for day in off
                )
        return avail, windows, exceptions

    # -- shifts and who is on them

    def shifts(self) -> list[Row]:
        """Every gate, every day, every slot, with headcounts scaled to the roster's size."""
        rng, rows = self.rng, []
        series = {(g, s): self.uid() for g in range(len(GATES)) for s in range(len(SLOTS))}
        cancelled = {  # (gate, day index, slot): note
            (len(GATES) - 2, DAYS_BEFORE_TODAY - 4, 2): "Cancelled: heat advisory; pickets moved to Disney.",
            (4, DAYS_BEFORE_TODAY + 3, 0): "Cancelled: the studio closed the gate for a permitted event.",
        }
        created = self.local(self.start - timedelta(days=3), 14)
        for d, day in enumerate(self.days):
            weekend = day.weekday() >= 5
            ahead = (day - self.today).days
            for s, (h0, h1) in enumerate(SLOTS):
                starts, ends = self.local(day, h0), self.local(day, h1)
                for g, gate in enumerate(GATES):
                    high = max(2, round(gate.size * self.scale * (0.7 if weekend else 1.0)))
                    low = max(1, round(high * 0.4))
                    if starts <= self.now:  # over or running: as many as ever signed up
                        fill = rng.uniform(0.75, 1.0)
                    else:  # sign-ups thin out further ahead, so some shifts are at risk
                        fill = rng.uniform(
                            *(0.65, 0.95) if ahead <= 3 else (0.45, 0.8) if ahead <= 7 else (0.25, 0.6)
                        )
                    roles = ["first_aid"] * (gate.size >= 40) + ["interpreter"] * gate.interpreter
                    note = cancelled.get((g, d, s), "")
                    if not note and rng.random() < 0.02:
                        note = rng.choice(SHIFT_NOTES)
                    plan = _ShiftPlan(
                        self.uid(),
                        g,
                        day,
                        s,
                        starts,
                        ends,
                        round(high * fill),
                        gate.captain,
                        roles,
                        (g, d, s) in cancelled,
                    )
                    self.plans.append(plan)
                    updated = created
                    if plan.cancelled:
                        updated = self.stamp(min(day, self.today) - timedelta(days=1), 18)
                    rows.append(
                        {
                            "id": plan.id,
                            "location_id": self.location_ids[g],
                            "starts_at": starts,
                            "ends_at": ends,
                            "min_headcount": low,
                            "max_headcount": high,
                            "captain_needed": gate.captain,
                            "roles_needed": roles,
                            "series_id": series[(g, s)],
                            "cancelled": plan.cancelled,
                            "notes": note,
                            "created_at": created,
                            "updated_at": updated,
                        }
                    )
        return rows

    def _fill(self) -> None:
        """Put volunteers on shifts: captains first, then first aid and interpreters, then pickets.

        Respects weekly windows, dated exceptions, accommodation needs, excluded gates and
        weekly/daily caps, prefers preferred gates, and never books anyone twice in a slot.
        """
        rng = self.rng
        by_slot: dict[tuple[date, int], list[_ShiftPlan]] = {}
        for shift in self.plans:
            by_slot.setdefault((shift.day, shift.slot), []).append(shift)
        week_count: dict[tuple[int, int], int] = {}
        day_count: dict[tuple[int, date], int] = {}

        def place(i: int, wanted: list[_ShiftPlan]) -> _ShiftPlan | None:
            person = self.people[i]
            for shift in wanted:
                if shift.gate in person.preferred_gates and person.fits(shift.gate):
                    return shift
            first = rng.randrange(len(wanted))
            return next((pl for pl in wanted[first:] + wanted[:first] if person.fits(pl.gate)), None)

        for (day, slot), plans in by_slot.items():
            week = (day - self.start).days // 7
            candidates = list(self.eligible[(day.weekday(), slot)])
            rng.shuffle(candidates)
            free = [
                i
                for i in candidates
                if day not in self.people[i].unavailable
                and day_count.get((i, day), 0) < self.people[i].day_cap
                and week_count.get((i, week), 0) < self.people[i].week_cap
            ]
            used: set[int] = set()
            for role in ("captain", "first_aid", "interpreter", "picketer"):
                if role == "captain":
                    wanted = [pl for pl in plans if pl.captain_needed and pl.target > 0]
                elif role == "picketer":
                    wanted = [pl for pl in plans if pl.room > 0]
                else:
                    wanted = [pl for pl in plans if role in pl.roles_needed and pl.room > 0]
                for i in free:
                    if not wanted:
                        break
                    person = self.people[i]
                    if (
                        i in used
                        or (role == "captain" and person.role != Role.CAPTAIN)
                        or (role in ("first_aid", "interpreter") and role not in person.skills)
                    ):
                        continue
                    plan = place(i, wanted)
                    if plan is None:
                        continue
                    plan.crew.append((i, role))
                    used.add(i)
                    week_count[(i, week)] = week_count.get((i, week), 0) + 1
                    day_count[(i, day)] = day_count.get((i, day), 0) + 1
                    if role != "picketer" or plan.room <= 0:
                        wanted.remove(plan)

    def assignments(self) -> list[Row]:
        """Assignment rows: sources, locks, cancellations and no-shows that fit each shift's time."""
        self._fill()
        rng, rows = self.rng, []
        last_planning_day = self.today - timedelta(days=1)
        for plan in self.plans:
            over = plan.ends_at <= self.now
            crew = self.crews.setdefault(plan.id, [])
            for i, role in plan.crew:
                r = rng.random()
                if plan.cancelled:
                    status = AssignmentStatus.CANCELLED
                elif over and r < 0.08:
                    status = AssignmentStatus.NO_SHOW
                elif r < (0.11 if over else 0.04):
                    status = AssignmentStatus.CANCELLED
                else:
                    status = AssignmentStatus.ASSIGNED
                manual = role == "captain" or rng.random() < 0.25
                locked = manual and rng.random() < (0.7 if role == "captain" else 0.3)
                made_on = min(
                    max(self.start - timedelta(days=2), plan.day - timedelta(days=rng.randint(1, 7))),
                    last_planning_day,
                )
                # the auto-scheduler runs at 20:00; people are put on by hand during the day
                created = (
                    self.local(made_on, rng.randint(9, 18), rng.randint(0, 59))
                    if manual
                    else self.local(made_on, 20)
                )
                updated = created
                if status == AssignmentStatus.NO_SHOW:
                    updated = plan.ends_at + timedelta(minutes=30)
                elif status == AssignmentStatus.CANCELLED:
                    updated = max(created, self.local(min(plan.day, self.today) - timedelta(days=1), 21))
                crew.append(_Booking(i, role, status.value))
                rows.append(
                    {
                        "id": self.uid(),
                        "shift_id": plan.id,
                        "member_id": self.people[i].id,
                        "role": role,
                        "source": (AssignmentSource.MANUAL if manual else AssignmentSource.AUTO).value,
                        "locked": locked,
                        "status": status.value,
                        "created_at": created,
                        "updated_at": updated,
                    }
                )
        return rows

    def _captain(self, plan: _ShiftPlan) -> int | None:
        """The person captaining ``plan`` (assigned, not cancelled), if any."""
        return next(
            (
                b.person
                for b in self.crews.get(plan.id, ())
                if b.role == "captain" and b.status == AssignmentStatus.ASSIGNED
            ),
            None,
        )

    # -- what happened at the gates

    def check_ins(self) -> tuple[list[Row], list[Row]]:
        """Sign-ins for past and running shifts; then the corrections and voids that refer to them."""
        rng = self.rng
        signins: list[Row] = []
        fixes: list[Row] = []
        walk_pool = [
            i
            for i, p in enumerate(self.people)
            if not p.volunteer
            and p.role != Role.STAFF
            and p.status in (MemberStatus.ACTIVE, MemberStatus.INCOMPLETE)
        ]
        walked: dict[tuple[date, int], set[int]] = {}
        for plan in self.plans:
            if plan.cancelled or plan.starts_at > self.now:
                continue
            running = plan.ends_at > self.now
            captain = self._captain(plan)
            recorder = (
                self.people[captain].name if captain is not None else f"Gate laptop ({GATES[plan.gate].name})"
            )
            present = [b.person for b in self.crews[plan.id] if b.status == AssignmentStatus.ASSIGNED]
            slot_walkers = walked.setdefault((plan.day, plan.slot), set())
            walk_ins: list[int] = []
            expected = len(present) * rng.uniform(0.03, 0.12) if walk_pool else 0.0
            wanted = int(expected) + (rng.random() < expected % 1)  # small demos get some too
            for _ in range(3 * wanted):
                if len(walk_ins) == wanted:
                    break
                i = rng.choice(walk_pool)
                if i not in slot_walkers:
                    slot_walkers.add(i)
                    walk_ins.append(i)
            minutes_in = int((self.now - plan.starts_at).total_seconds() // 60)
            for i, walk_in in [(i, False) for i in present] + [(i, True) for i in walk_ins]:
                if running and rng.random() < 0.1:
                    continue  # not here yet
                late = min(rng.randint(-15, 25), minutes_in - 1)
                in_at = plan.starts_at + timedelta(minutes=late, seconds=rng.randint(0, 59))
                out_at: datetime | None = None
                if not running:
                    leave = -rng.randint(45, 120) if rng.random() < 0.04 else rng.randint(-25, 10)
                    out_at = max(
                        plan.ends_at + timedelta(minutes=leave, seconds=rng.randint(0, 59)),
                        in_at + timedelta(minutes=30),
                    )
                forgot = out_at is not None and rng.random() < 0.015  # never signed out
                row = {
                    "id": self.uid(),
                    "kind": CheckInKind.SIGN_IN.value,
                    "shift_id": plan.id,
                    "member_id": self.people[i].id,
                    "in_at": in_at,
                    "out_at": None if forgot else out_at,
                    "walk_in": walk_in,
                    "void_of": None,
                    "recorded_by": recorder,
                    "note": "Walk-in" if walk_in else "",
                    "created_at": in_at,
                }
                signins.append(row)
                if forgot and rng.random() < 0.6:
                    fixes.append(
                        {
                            **row,
                            "id": self.uid(),
                            "kind": CheckInKind.CORRECTION.value,
                            "out_at": plan.ends_at,
                            "void_of": row["id"],
                            "note": "Forgot to sign out; the captain confirmed the end time.",
                            "created_at": self.past(plan.ends_at + timedelta(hours=rng.randint(1, 20))),
                        }
                    )
                elif out_at is not None and rng.random() < 0.005:  # two captains signed them in
                    twin = {**row, "id": self.uid(), "created_at": in_at + timedelta(minutes=2)}
                    signins.append(twin)
                    fixes.append(
                        {
                            **twin,
                            "id": self.uid(),
                            "kind": CheckInKind.VOID.value,
                            "void_of": twin["id"],
                            "note": "Duplicate sign-in.",
                            "created_at": in_at + timedelta(minutes=rng.randint(5, 90)),
                        }
                    )
                elif out_at is not None and late > 10 and rng.random() < 0.05:
                    fixes.append(
                        {
                            **row,
                            "id": self.uid(),
                            "kind": CheckInKind.CORRECTION.value,
                            "in_at": plan.starts_at,
                            "void_of": row["id"],
                            "note": "On the paper sheet from the start; time corrected.",
                            "created_at": self.past(plan.ends_at + timedelta(hours=1)),
                        }
                    )
        return signins, fixes

    def credits(self) -> tuple[list[Row], list[Row]]:
        """Alternative duty (mostly members with accommodations) and excused absences; then a few voids."""
        rng = self.rng
        rows: list[Row] = []
        voids: list[Row] = []
        approvers = [p.name for p in self.people if p.role == Role.ORGANIZER] or ["Strike office"]
        past_days = [day for day in self.days if day < self.today]
        for person in self.people:
            if person.status == MemberStatus.ACTIVE and (person.accommodation or rng.random() < 0.01):
                days = sorted(rng.sample(past_days, min(len(past_days), rng.randint(1, 6))))
                kind, description = CreditKind.ALTERNATIVE_DUTY, rng.choice(ALTERNATIVE_DUTIES)
            elif person.status == MemberStatus.EXCUSED and rng.random() < 0.4:
                days = [day for day in past_days if day.weekday() < 5]
                kind, description = CreditKind.EXCUSED_ABSENCE, rng.choice(EXCUSED_REASONS)
            else:
                continue
            approver = rng.choice(approvers)
            for day in days:
                row = {
                    "id": self.uid(),
                    "member_id": person.id,
                    "on_date": day,
                    "hours": rng.choice((3.0, 4.0, 4.0, 4.5)),
                    "kind": kind.value,
                    "description": description,
                    "approved_by": approver,
                    "void_of": None,
                    "created_at": self.stamp(day, 18, rng.randint(0, 59)),
                }
                rows.append(row)
                if rng.random() < 0.01:
                    voids.append(
                        {
                            **row,
                            "id": self.uid(),
                            "void_of": row["id"],
                            "description": "Void: entered twice.",
                            "created_at": self.stamp(day + timedelta(days=1), 10),
                        }
                    )
        return rows, voids

    def incidents(self) -> list[Row]:
        """About five a week at shifts that are over, every category at least once."""
        rng = self.rng
        over = [pl for pl in self.plans if pl.ends_at <= self.now and not pl.cancelled]
        categories = list(INCIDENT_TEXT)
        rng.shuffle(categories)
        count = min(len(over), max(len(categories), round(DAYS_BEFORE_TODAY * 5 / 7)))
        rows = []
        for k, index in enumerate(sorted(rng.sample(range(len(over)), count))):
            plan = over[index]
            category = categories[k % len(categories)]
            captain = self._captain(plan)
            occurred = plan.starts_at + timedelta(minutes=rng.randint(10, 220))
            rows.append(
                {
                    "id": self.uid(),
                    "location_id": self.location_ids[plan.gate],
                    "shift_id": plan.id,
                    "occurred_at": occurred,
                    "category": category,
                    "description": rng.choice(INCIDENT_TEXT[category]),
                    "reported_by": self.people[captain].name if captain is not None else "Gate laptop",
                    "reporter_member_id": self.people[captain].id if captain is not None else None,
                    "created_at": occurred + timedelta(minutes=15),
                    "updated_at": occurred + timedelta(minutes=15),
                }
            )
        return rows

    def settings(self, session: Session) -> None:
        """The strike's settings (through the settings service), the demo's today, fixed timestamps."""
        save_settings(
            session,
            StrikeSettings(
                strike_name=STRIKE_NAME,
                time_zone=TIME_ZONE,
                grievance_steps=DEFAULT_STEPS,
                holidays=self.holidays,
            ),
        )
        session.execute(
            insert(Setting),
            [{"key": DEMO_TODAY_KEY, "value": self.today.isoformat(), "updated_at": self.setup}],
        )
        session.execute(update(Setting).values(updated_at=self.setup))  # not the clock


# --------------------------------------------------------------------------- grievances


@dataclass(frozen=True, slots=True)
class _Event:
    day: date
    kind: str
    step: str
    deadline: date | None = None
    outcome: str = ""
    agreed_by: str = ""
    notes: str = ""


@dataclass
class _Case:
    """A grievance being built: its row, grievants and history."""

    row: Row
    grievants: list[int]
    events: list[_Event]
    steward: int | None


class _Grievances:
    """Grievances at every step and status, with histories that fit the contract's limits.

    Open cases are built backwards from the deadline they face, so that a chosen share is
    overdue, due within a week, or due later; every earlier date is then drawn before it,
    each union step within its limit (employers are sometimes late).
    """

    def __init__(self, demo: _Demo) -> None:
        self.demo = demo
        self.rng = demo.rng
        self.today = demo.today
        self.steps = DEFAULT_STEPS
        self.last = len(self.steps) - 1  # arbitration

    def due(self, start: date, days: int, step: int) -> date:
        """The deadline ``days`` after ``start`` under the rule of ``step``."""
        return due_date(
            start, days, working_days=self.steps[step].working_days, holidays=self.demo.holiday_set
        )

    def base_for(self, target: date, days: int, step: int) -> date:
        """The latest working day, not after today, from which ``days`` days run out on ``target``.

        ``target`` must be a working day no later than ``due(today, days)``.
        """
        day = target - timedelta(days=days + 2 * (days // 5) + 14)
        while self.due(day, days, step) > target:  # (only with a very long holiday list)
            day -= timedelta(days=7)
        while self.due(day + timedelta(days=1), days, step) <= target:
            day += timedelta(days=1)
        while (day > self.today or not self.demo.working(day)) and self.due(
            day - timedelta(days=1), days, step
        ) == target:
            day -= timedelta(days=1)
        return day

    def entry_kind(self, step: int, first: int) -> str:
        """How a case enters ``step``: raised informally, filed in writing, or advanced."""
        if step == 0:
            return GrievanceEventKind.NOTE.value
        return (GrievanceEventKind.FILED if step == max(first, 1) else GrievanceEventKind.ADVANCED).value

    def history(self, first: int, step: int, last: date, answered: bool, final: str = "") -> list[_Event]:
        """Events of steps ``first``..``step``, the latest one on ``last``.

        ``answered``: the employer answered at ``step`` on ``last`` (with outcome ``final``,
        default "denied"); otherwise ``last`` is the day the case entered ``step``.
        """
        rng, day, events = self.rng, last, []
        for j in range(step, first - 1, -1):
            name = self.steps[j].name
            if answered or j < step:
                outcome = (
                    final
                    if j == step and final
                    else rng.choice(("denied", "denied", "denied", "no answer in time"))
                )
                appeal_by = self.due(day, self.steps[j + 1].union_days, j + 1) if j < self.last else None
                kind = (
                    GrievanceEventKind.NOTE if outcome == "no answer in time" else GrievanceEventKind.ANSWER
                )
                events.append(_Event(day, kind.value, name, None if final else appeal_by, outcome))
                if j > 0 and rng.random() < 0.8:
                    day = self.demo.workday(day - timedelta(days=rng.randint(1, 5)))
                    events.append(
                        _Event(day, GrievanceEventKind.MEETING.value, name, notes=rng.choice(MEETINGS))
                    )
                day = self.demo.workday(day - timedelta(days=rng.randint(2, self.steps[j].employer_days + 2)))
            answer_by = self.due(day, self.steps[j].employer_days, j)
            events.append(_Event(day, self.entry_kind(j, first), name, answer_by))
            if j > first:  # appealed within the union's limit after the previous answer
                day = self.demo.workday(
                    day - timedelta(days=rng.randint(1, max(1, self.steps[j].union_days)))
                )
        return events

    def pending(self, first: int, in_arbitration: bool) -> tuple[list[_Event], date, str]:
        """An open case built backwards from its next deadline: (events, deadline, label)."""
        rng, today = self.rng, self.today
        if in_arbitration:
            step, answered = self.last, False
        else:
            step = rng.choices(range(first, self.last), weights=(6, 10, 8, 5)[first : self.last])[0]
            answered = rng.random() < 0.45
        rule = step + 1 if answered else step
        days = self.steps[step + 1].union_days if answered else self.steps[step].employer_days
        extension = rng.choice((5, 10)) if rng.random() < 0.15 else 0
        total = days + extension
        latest = self.due(today, total, rule)
        bucket = rng.choices(("overdue", "soon", "later"), weights=(18, 25, 57))[0]
        if bucket == "later" and latest < today + timedelta(days=8):
            bucket = "soon"
        lo, hi = {
            "overdue": (today - timedelta(days=20), today - timedelta(days=1)),
            "soon": (today, min(latest, today + timedelta(days=7))),
            "later": (today + timedelta(days=8), latest),
        }[bucket]
        targets = [lo + timedelta(days=k) for k in range((hi - lo).days + 1)]
        target = rng.choice([day for day in targets if self.demo.working(day)] or [latest])
        base = self.base_for(target, total, rule)
        deadline = self.due(base, total, rule)
        events = self.history(first, step, base, answered)
        if answered:
            label = (
                "File at Step 1"
                if step + 1 == 1
                else "Invoke arbitration"
                if step + 1 == self.last
                else f"Appeal to {self.steps[step + 1].name}"
            ) + " (union)"
        else:
            label = f"{self.steps[step].name} answer (employer)"
        if extension:
            agreed = self.demo.workday(self.demo.between(base, min(self.due(base, days, rule), today)), base)
            who = f"{rng.choice(NAME_GROUPS[0].first)} {rng.choice(NAME_GROUPS[0].last)}, Labor Relations"
            notes = f"Extended by mutual written agreement (+{extension} working days)."
            events.append(
                _Event(
                    agreed,
                    GrievanceEventKind.EXTENSION.value,
                    self.steps[step].name,
                    deadline,
                    agreed_by=who,
                    notes=notes,
                )
            )
            label += ", extended"
        elif not answered and base + timedelta(days=3) <= today and rng.random() < 0.5:
            meeting = self.demo.workday(
                self.demo.between(base + timedelta(days=2), min(today, base + timedelta(days=8))), base
            )
            events.append(
                _Event(
                    meeting,
                    GrievanceEventKind.MEETING.value,
                    self.steps[step].name,
                    notes=rng.choice(MEETINGS),
                )
            )
        return events, deadline, label

    def closed(self, first: int, status: GrievanceStatus) -> list[_Event]:
        """A closed case built backwards from the day it closed."""
        rng = self.rng
        award = status in (GrievanceStatus.WON, GrievanceStatus.LOST)
        if award:
            step = self.last
        elif status == GrievanceStatus.SETTLED:
            step = rng.randint(max(first, 1), self.last)
        else:
            step = rng.randint(first, self.last - 1)
        closed_on = self.demo.workday(
            self.demo.between(self.today - timedelta(days=330), self.today - timedelta(days=1))
        )
        answered = award or rng.random() < 0.5
        final = ("award: sustained" if status == GrievanceStatus.WON else "award: denied") if award else ""
        last = self.demo.workday(closed_on - timedelta(days=rng.randint(0, 10)))
        events = self.history(first, step, last, answered, final)
        events.append(
            _Event(closed_on, GrievanceEventKind.CLOSED.value, self.steps[step].name, outcome=status.value)
        )
        return events

    def build(self) -> list[_Case]:
        """The cases, unnumbered, in generation order."""
        demo, rng = self.demo, self.rng
        people = demo.people
        stewards = [i for i, p in enumerate(people) if p.role == Role.STEWARD]
        bargaining = [i for i, p in enumerate(people) if p.role != Role.STAFF] or list(range(len(people)))
        by_unit: dict[str, list[int]] = {}
        for i in bargaining:
            by_unit.setdefault(people[i].unit, []).append(i)
        statuses = (
            GrievanceStatus.OPEN,
            GrievanceStatus.IN_ARBITRATION,
            GrievanceStatus.SETTLED,
            GrievanceStatus.WITHDRAWN,
            GrievanceStatus.WON,
            GrievanceStatus.LOST,
        )
        cases = []
        for _ in range(min(GRIEVANCES, max(1, demo.n // 2))):
            case = rng.choice(CASES)
            status = rng.choices(statuses, weights=(55, 8, 15, 8, 8, 6))[0]
            first = 3 if case.discharge else (0 if rng.random() < 0.35 else 1)
            deadline, label = None, ""
            if status in (GrievanceStatus.OPEN, GrievanceStatus.IN_ARBITRATION):
                events, deadline, label = self.pending(first, status == GrievanceStatus.IN_ARBITRATION)
            else:
                events = self.closed(first, status)
            events.sort(key=lambda event: event.day)  # stable: same-day events keep their order
            incident = events[0].day - timedelta(days=rng.randint(1, max(1, self.steps[first].union_days)))
            is_class = (case.class_case and rng.random() < 0.7) or rng.random() < 0.05
            grievants: list[int] = []
            if not is_class:
                lead = rng.choice(bargaining)
                grievants = [lead]
                if rng.random() < 0.15:  # a group grievance: colleagues at the same employer
                    mates = by_unit[people[lead].unit]
                    grievants += [
                        m for m in rng.sample(mates, min(len(mates), rng.randint(1, 3))) if m != lead
                    ]
            lead_person = people[grievants[0]] if grievants else None
            employer = lead_person.unit if lead_person and lead_person.unit else rng.choice(STUDIOS)[0]
            steward = rng.choice(stewards) if stewards else None
            row = {
                "id": demo.uid(),
                "number": "",
                "is_class": is_class,
                "employer": employer,
                "unit": (lead_person.department or "Writers") if lead_person else "All writers",
                "articles": case.articles,
                "incident_date": incident,
                "learned_date": incident + timedelta(days=rng.randint(0, 3)) if rng.random() < 0.3 else None,
                "filed_date": next((e.day for e in events if e.kind == GrievanceEventKind.FILED), None),
                "summary": case.summary,
                "remedy": case.remedy,
                "steward_id": people[steward].id if steward is not None else None,
                "is_discipline": case.discipline,
                "step": events[-1].step,
                "status": status.value,
                "next_deadline": deadline,
                "next_deadline_label": label,
                "created_at": demo.stamp(events[0].day, 16),
                "updated_at": demo.stamp(events[-1].day, 17),
            }
            cases.append(_Case(row, grievants, events, steward))
        return cases

    def requests(self, case: _Case) -> list[Row]:
        """Information requests of one case: received, pending, or overdue."""
        demo, rng, today = self.demo, self.rng, self.today
        open_case = case.row["status"] in (GrievanceStatus.OPEN, GrievanceStatus.IN_ARBITRATION)
        end = today if open_case else case.events[-1].day
        rows = []
        for _ in range(rng.randint(1, 2)):
            asked = demo.workday(demo.between(case.events[0].day, end), case.events[0].day)
            due = due_date(asked, 10, working_days=True, holidays=demo.holiday_set)
            received = None
            if not open_case or rng.random() < (0.5 if due < today else 0.3):
                received = min(end, asked + timedelta(days=rng.randint(2, 20)))
            rows.append(
                {
                    "id": demo.uid(),
                    "grievance_id": case.row["id"],
                    "requested_on": asked,
                    "due_on": due,
                    "received_on": received,
                    "description": rng.choice(INFORMATION_REQUESTS),
                    "created_at": demo.stamp(asked, 15),
                    "updated_at": demo.stamp(received or asked, 15),
                }
            )
        return rows

    def rows(self) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
        """Grievance, grievant, event and information-request rows, numbered ``G-YYYY-NNNN`` by incident."""
        demo = self.demo
        cases = self.build()
        order = sorted(range(len(cases)), key=lambda k: (cases[k].row["incident_date"], k))
        per_year: dict[int, int] = {}
        grievances, grievants, events, requests = [], [], [], []
        for k in order:
            case = cases[k]
            year = case.row["incident_date"].year
            per_year[year] = per_year.get(year, 0) + 1
            case.row["number"] = f"G-{year}-{per_year[year]:04d}"
            grievances.append(case.row)
            grievants += [
                {"grievance_id": case.row["id"], "member_id": demo.people[i].id} for i in case.grievants
            ]
            recorder = demo.people[case.steward].name if case.steward is not None else "Grievance office"
            for event in case.events:
                document = ""
                if event.kind in (GrievanceEventKind.FILED, GrievanceEventKind.ADVANCED):
                    document = f"{case.row['number']} {event.step}.pdf"
                events.append(
                    {
                        "id": demo.uid(),
                        "grievance_id": case.row["id"],
                        "kind": event.kind,
                        "step": event.step,
                        "occurred_on": event.day,
                        "deadline": event.deadline,
                        "outcome": event.outcome,
                        "agreed_by": event.agreed_by,
                        "document": document,
                        "notes": event.notes,
                        "recorded_by": recorder,
                        "created_at": demo.stamp(event.day, 17),
                    }
                )
            if self.rng.random() < 0.4:
                requests += self.requests(case)
        return grievances, grievants, events, requests


# --------------------------------------------------------------------------- files


def _temp_beside(out: Path) -> Path:
    """A new empty private (0600) file in ``out``'s folder, to build ``out`` in before renaming."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise StoreError(f"Cannot write a file in {out.parent} ({exc.strerror}).") from None
    os.close(fd)
    return Path(name)


def _remove_db(path: Path) -> None:
    """Remove a database file and its ``-wal``/``-shm`` companions, where present."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _install(tmp: Path, out: Path) -> None:
    """Rename a finished database onto ``out``, first dropping ``out``'s ``-wal``/``-shm``.

    A leftover write-ahead log must never be replayed onto a different database file.
    """
    for suffix in ("-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, out)


def _insert(session: Session, model: type[SQLModel], rows: Sequence[Row]) -> None:
    """One Core ``executemany`` for all ``rows`` (every row has every column, so there is one batch)."""
    if rows:
        session.execute(insert(SQLModel.metadata.tables[str(model.__tablename__)]), list(rows))


def generate(out: Path, *, members: int, seed: int, today: date) -> None:
    """Write a new demo strike database at ``out`` (replacing it); the same arguments give the same file.

    The strike started :data:`DAYS_BEFORE_TODAY` days before ``today`` and lasts
    :data:`STRIKE_DAYS` days; the demo's now is ``today`` at :data:`DEMO_NOW` local time.
    The file is built beside ``out`` and renamed into place, so a failure never leaves
    half a database.
    """
    if members < 1:
        raise ValueError(f"a demo needs at least one member, not {members}")
    out = Path(out)
    tmp = _temp_beside(out)
    try:
        store = open_store(str(tmp))
        try:
            demo = _Demo(members, seed, today)
            with store.write() as session:
                _insert(session, Location, demo.locations())
                _insert(session, Member, demo.members())
                availability, windows, exceptions = demo.availability()
                _insert(session, Availability, availability)
                _insert(session, AvailabilityWindow, windows)
                _insert(session, AvailabilityException, exceptions)
                _insert(session, Shift, demo.shifts())
                _insert(session, Assignment, demo.assignments())
                sign_ins, fixes = demo.check_ins()
                _insert(session, CheckIn, sign_ins)
                _insert(session, CheckIn, fixes)  # corrections and voids refer to sign-ins
                credits, voids = demo.credits()
                _insert(session, HoursCredit, credits)
                _insert(session, HoursCredit, voids)
                _insert(session, Incident, demo.incidents())
                grievances, grievants, events, requests = _Grievances(demo).rows()
                _insert(session, Grievance, grievances)
                _insert(session, GrievanceGrievant, grievants)
                _insert(session, GrievanceEvent, events)
                _insert(session, InformationRequest, requests)
                demo.settings(session)
        finally:
            store.close()
        _install(tmp, out)
    except BaseException:
        _remove_db(tmp)
        raise


# --------------------------------------------------------------------------- re-dating


def dated_columns() -> list[tuple[str, list[str], list[str]]]:
    """Every table holding instants or dates: (table, UTCDateTime columns, Date columns).

    Read from the SQLModel metadata, so a new table or column is re-dated without anyone
    remembering to list it here.
    """
    found = []
    for table in SQLModel.metadata.sorted_tables:
        instants = [column.name for column in table.columns if isinstance(column.type, UTCDateTime)]
        dates = [column.name for column in table.columns if isinstance(column.type, Date)]
        if instants or dates:
            found.append((table.name, instants, dates))
    return found


def _open_source(source: Path) -> sqlite3.Connection:
    """Open ``source`` read-only.

    With no ``-wal`` file nobody has the database open and everything is in the main
    file: it is opened ``immutable``, so that not even ``-wal``/``-shm`` files appear
    beside it. Otherwise it is opened ``mode=ro``, which reads the log consistently.
    """
    path = source.resolve()
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    return sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True)


def _quote(name: str) -> str:
    """An SQL identifier, quoted (names come from our own metadata)."""
    return f'"{name}"'


def _setting(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def _offset(zone: ZoneInfo, moment: datetime) -> int:
    """UTC offset of ``zone`` at the naive UTC time ``moment``, in seconds."""
    delta = moment.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _transitions(zone: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime, int, int]]:
    """The offset changes of ``zone`` between two naive UTC times: (instant, before, after)."""
    found = []
    day = lo.replace(hour=0, minute=0, second=0, microsecond=0)
    current = _offset(zone, day)
    while day <= hi:
        following = day + timedelta(days=1)
        after = _offset(zone, following)
        if after != current:
            a, b = day, following  # bisect down to the second
            while b - a > timedelta(seconds=1):
                middle = a + (b - a) / 2
                a, b = (middle, b) if _offset(zone, middle) == current else (a, middle)
            found.append((b.replace(microsecond=0), current, after))
            current = after
        day = following
    return found


def _moved(zone: ZoneInfo, days: int, moment: datetime) -> datetime:
    """The naive UTC time ``moment`` moved ``days`` days in ``zone``'s wall-clock time.

    A moved wall-clock time that falls in a gap or an overlap takes the offset in force
    before the change (``zoneinfo``'s ``fold=0``).
    """
    wall = moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return wall.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _move_steps(zone: ZoneInfo, days: int, lo: datetime, hi: datetime) -> list[tuple[datetime, int]]:
    """How far (in seconds) :func:`_moved` moves each UTC time in ``[lo, hi]``, as steps.

    Returns ``[(from, seconds), ...]``, ``from`` ascending, the first at ``lo``. The amount
    can only change where the time's own UTC offset changes, or where its moved wall-clock
    time crosses a change; in between it is constant, so one evaluation per step is exact.
    """
    changes = _transitions(
        zone,
        min(lo, lo + timedelta(days=days)) - timedelta(days=2),
        max(hi, hi + timedelta(days=days)) + timedelta(days=2),
    )
    offsets = sorted({offset for _at, before, after in changes for offset in (before, after)})
    points = {at for at, _before, _after in changes}
    for at, before, after in changes:
        for wall in (at + timedelta(seconds=before), at + timedelta(seconds=after)):
            points.update(wall - timedelta(days=days, seconds=offset) for offset in offsets)
    steps: list[tuple[datetime, int]] = []
    for point in [lo, *sorted(p for p in points if lo < p <= hi)]:
        seconds = int((_moved(zone, days, point) - point).total_seconds())
        if not steps or steps[-1][1] != seconds:
            steps.append((point, seconds))
    return steps


def _instant_sql(column: str, steps: list[tuple[datetime, int]]) -> str:
    """SQL moving the stored UTC instant in ``column`` by the amount ``steps`` give for it.

    Stored instants look like ``2026-11-25 19:00:00.000000``: the whole seconds go through
    ``datetime()``, the sub-second digits are carried over untouched.
    """
    whens = " ".join(
        f"WHEN {column} < '{next_start:%Y-%m-%d %H:%M:%S}' THEN '{seconds:+d} seconds'"
        for (_start, seconds), (next_start, _next) in pairwise(steps)
    )
    modifier = (
        f"CASE {whens} ELSE '{steps[-1][1]:+d} seconds' END" if whens else f"'{steps[-1][1]:+d} seconds'"
    )
    return f"datetime(substr({column}, 1, 19), {modifier}) || substr({column}, 20)"


def _redate(conn: sqlite3.Connection, today: date, source: Path) -> None:
    """Move every date and instant of the open copy ``conn`` so that the demo's today is ``today``."""
    stored = _setting(conn, DEMO_TODAY_KEY)
    if not isinstance(stored, str):
        raise StoreError(f"{source} is not a demo database (it has no {DEMO_TODAY_KEY} setting).")
    days = (today - date.fromisoformat(stored)).days
    zone = ZoneInfo(_setting(conn, "time_zone") or TIME_ZONE)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = [entry for entry in dated_columns() if entry[0] in tables]
    conn.execute("BEGIN IMMEDIATE")
    try:
        if days:
            stamps: list[str] = []
            for table, instants, _dates in columns:
                if instants:
                    bounds = ", ".join(f"min({_quote(c)}), max({_quote(c)})" for c in instants)
                    stamps += [
                        v for v in conn.execute(f"SELECT {bounds} FROM {_quote(table)}").fetchone() if v
                    ]
            parsed = [datetime.fromisoformat(stamp[:19]) for stamp in stamps] or [datetime(2000, 1, 1)]
            steps = _move_steps(zone, days, min(parsed) - timedelta(days=1), max(parsed) + timedelta(days=1))
            for table, instants, dates in columns:
                sets = [f"{_quote(c)} = {_instant_sql(_quote(c), steps)}" for c in instants]
                sets += [f"{_quote(c)} = date({_quote(c)}, '{days:+d} days')" for c in dates]
                conn.execute(f"UPDATE {_quote(table)} SET {', '.join(sets)}")
            # Weekly windows turn with the shifts they were drawn for.
            conn.execute(
                f'UPDATE "{AvailabilityWindow.__tablename__}" SET weekday = (weekday + ?) % 7', (days % 7,)
            )
        conn.execute(
            "UPDATE setting SET value = ? WHERE key = ?", (json.dumps(today.isoformat()), DEMO_TODAY_KEY)
        )
        holidays = json.dumps([day.isoformat() for day in demo_holidays(today)])
        conn.execute("UPDATE setting SET value = ? WHERE key = 'holidays'", (holidays,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def copy_redated(source: Path, out: Path, today: date) -> None:
    """Copy the demo database ``source`` to ``out``, moving every date so that its today is ``today``.

    ``source`` is opened read-only and never changes. Every date column moves by the
    whole number of days between the demo's stored today and ``today``; every instant
    keeps its wall-clock time in the strike's zone (a 06:00 shift stays at 06:00 across
    a daylight-saving change). Weekly availability windows turn with them, and the
    holiday list is recomputed for the new dates (holidays are real calendar days).
    The copy is built beside ``out`` and renamed into place.
    """
    source, out = Path(source), Path(out)
    if not source.is_file():
        raise StoreError(f"{source} does not exist: give the demo database to copy.")
    if out.exists() and out.samefile(source):
        raise StoreError(f"{out} is the database being copied: write the copy to another file.")
    tmp = _temp_beside(out)
    try:
        with closing(_open_source(source)) as src, closing(sqlite3.connect(tmp, isolation_level=None)) as dst:
            src.backup(dst)
            # A private file nobody else sees until the rename: no need to write every page
            # twice (WAL) or to wait for the disk at each step; one fsync before the rename.
            dst.execute("PRAGMA journal_mode=MEMORY")
            dst.execute("PRAGMA synchronous=OFF")
            _redate(dst, today, source)
            dst.execute("PRAGMA journal_mode=WAL")  # as strikeboard keeps its databases
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        _install(tmp, out)
    except BaseException:
        _remove_db(tmp)
        raise
