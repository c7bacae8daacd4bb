"""The data the demo draws from: studio gates, employers, job titles, notes and other texts.

The names of the members are in :mod:`strikeboard.demo.names`.
"""

from dataclasses import dataclass

from strikeboard.store.models import IncidentCategory

#: Accommodation needs, as bits of a mask (a member's needs, what a gate offers).
NEED_SHADE, NEED_SEATING, NEED_RESTROOMS, NEED_STEP_FREE = 1, 2, 4, 8

# --------------------------------------------------------------------------- gates


@dataclass(frozen=True)
class _Gate:
    name: str
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
        """The accommodation needs this gate meets, as a mask of ``NEED_*``."""
        return sum(need for need, feature in _NEEDS if self.has(feature))


_NEEDS = (
    (NEED_SHADE, "shade"),
    (NEED_SEATING, "seating"),
    (NEED_RESTROOMS, "restrooms"),
    (NEED_STEP_FREE, "step_free"),
)

GATES: tuple[_Gate, ...] = (
    _Gate(
        "Disney – Buena Vista St gate", "500 S Buena Vista St, Burbank, CA 91521",
        "Wide sidewalk under the trees. Strike tent with restrooms and chairs on Riverside Dr.",
        "shade seating restrooms step_free", 60,
    ),
    _Gate(
        "Warner Bros. – Gate 2", "4000 Warner Blvd, Burbank, CA 91522",
        "Narrow sidewalk at the bridge: keep the crosswalk clear. Portable toilets by the parking structure.",
        "restrooms", 50,
    ),
    _Gate(
        "Sony – Overland Ave gate", "10202 W Washington Blvd, Culver City, CA 90232",
        "Shade on Overland. Metro E Line Culver City station is a 10-minute walk.",
        "shade step_free transit", 45, interpreter=True,
    ),
    _Gate(
        "Amazon – Culver Studios", "9336 W Washington Blvd, Culver City, CA 90232",
        "Flat, wide sidewalk with benches on Washington Blvd; near Culver City station.",
        "seating step_free transit", 35,
    ),
    _Gate(
        "Fox – Pico Blvd gate", "10201 W Pico Blvd, Los Angeles, CA 90064",
        "Long frontage in full sun after noon: bring water. Restrooms at the mall across Pico.",
        "restrooms step_free", 40,
    ),
    _Gate(
        "Netflix – Sunset Bronson", "5808 Sunset Blvd, Los Angeles, CA 90028",
        "Busy intersection: marshals at both crosswalks. Metro B Line Hollywood/Western nearby.",
        "step_free transit", 60, interpreter=True,
    ),
    _Gate(
        "Paramount – Melrose Gate", "5555 Melrose Ave, Los Angeles, CA 90038",
        "The arch gate. Awning shade and folding chairs; curb cuts on the Gower side are narrow.",
        "shade seating restrooms", 60,
    ),
    _Gate(
        "Universal – Lankershim gate", "100 Universal City Plaza, Universal City, CA 91608",
        "Steep sidewalk on Lankershim. Metro B Line Universal City/Studio City across the street.",
        "restrooms transit", 55, interpreter=True,
    ),
    _Gate(
        "CBS Television City", "7800 Beverly Blvd, Los Angeles, CA 90036",
        "Restrooms at the Farmers Market next door; trees along Fairfax.",
        "shade seating restrooms step_free", 30,
    ),
    _Gate(
        "CBS Studio Center – Radford Ave", "4024 Radford Ave, Studio City, CA 91604",
        "Residential street: no bullhorns before 8 am.",
        "shade step_free", 25,
    ),
    _Gate(
        "Disney – Prospect Studios", "4151 Prospect Ave, Los Angeles, CA 90027",
        "Small gate on a steep hill; park on Talmadge St.",
        "", 20,
    ),
    _Gate(
        "Sunset Gower Studios", "1438 N Gower St, Los Angeles, CA 90028",
        "Shared line with IATSE; seats under their canopy. Metro B Line Hollywood/Vine.",
        "shade seating step_free transit", 20, captain=False,
    ),
)  # fmt: skip

# --------------------------------------------------------------------------- the roster

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
    ("Uses a wheelchair: step-free gates only.", NEED_STEP_FREE),
    ("Needs to sit every 30 minutes.", NEED_SEATING),
    ("Heat-sensitive medication: shade needed.", NEED_SHADE),
    ("Medical: needs restroom access nearby.", NEED_RESTROOMS),
    ("Uses a cane; seating and step-free access.", NEED_SEATING | NEED_STEP_FREE),
    ("Pregnant: shade, seating and restrooms.", NEED_SHADE | NEED_SEATING | NEED_RESTROOMS),
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

# --------------------------------------------------------------------------- texts

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
