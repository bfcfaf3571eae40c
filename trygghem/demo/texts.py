"""Word lists and Swedish phrases for the demo municipality. Pure data: nothing here is random;
the generator picks from these lists with its seeded random source."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The people served are mostly born 1925-1960: names common in that generation.
OLD_WOMEN = _words(
    "Anna Astrid Barbro Berit Birgit Birgitta Brita Britt Dagny Elisabeth Ella Elsa Elsie Eva "
    "Gerd Greta Gun Gunborg Gunnel Gunvor Harriet Ingegerd Ingrid Inga Irma Karin Kerstin "
    "Lena Lisbeth Maj Majken Margareta Marianne Märta Monica Rut Siv Signe Solveig Sonja "
    "Stina Svea Ulla Viola Yvonne Åsa"
)
OLD_MEN = _words(
    "Allan Arne Bengt Bertil Bo Börje Curt Erik Evert Folke Gunnar Gösta Hans Harry Helge "
    "Holger Ingvar Jan Karl Kjell Lars Leif Lennart Nils Olle Per Ragnar Rolf Rune Stig Sten "
    "Sune Sven Tage Torsten Ture Ulf Valter Åke Östen"
)
SURNAMES = _words(
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson "
    "Lindström Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren "
    "Lundqvist Mattsson Berglund Fredriksson Sandberg Henriksson Sjöberg Forsberg Wallin "
    "Engström Danielsson Håkansson Eklund Lundin Gunnarsson Holm Björk Bergman Samuelsson "
    "Fransson Wikström Isaksson Nyberg Holmberg Arvidsson Löfgren Söderberg Nyström Hedlund "
    "Blom Åberg Hammar Ström Falk Sundberg Hellström Norberg Dahl Hedberg Ek Sundström Öberg "
    "Hägg Hjalmarsson Kvist Mårtensson Nordin Rask Bäck Ekström Granlund Hallberg Lilja "
    "Nordström Palm Sjögren Strand Vestberg Wahlström Östlund"
)

# Staff are of working age: names common 1965-2000.
STAFF_WOMEN = _words(
    "Amanda Anna Camilla Carina Ebba Elin Emma Frida Hanna Helena Ida Jennie Jessica Johanna "
    "Josefin Karin Linda Linnea Lisa Malin Maria Matilda Moa Petra Sandra Sara Sofia Susanne "
    "Therese Tove Ulrika Wilma Åsa"
)
STAFF_MEN = _words(
    "Alexander Andreas Anton Daniel Emil Erik Fredrik Henrik Jesper Johan Jonas Kristoffer "
    "Marcus Mattias Mikael Niklas Oscar Patrik Robin Simon Tobias Viktor"
)
STAFF_OTHER = (
    ("Amira", "Hassan"),
    ("Nermina", "Hodžić"),
    ("Aino", "Koskinen"),
    ("Tesfay", "Gebremedhin"),
    ("Dragana", "Petrović"),
    ("Yusuf", "Abdi"),
)

# Language -> (share in per mille, women, men, surnames, share needing an interpreter in %).
LANGUAGES: tuple[tuple[str, int, tuple[str, ...], tuple[str, ...], tuple[str, ...], int], ...] = (
    ("svenska", 860, OLD_WOMEN, OLD_MEN, SURNAMES, 0),
    (
        "finska",
        80,
        ("Aino", "Eila", "Helmi", "Irja", "Kaija", "Pirkko", "Raili", "Tuula", "Sirkka"),
        ("Eino", "Kalevi", "Matti", "Pekka", "Reino", "Tapio", "Veikko", "Yrjö"),
        (
            "Virtanen",
            "Korhonen",
            "Mäkinen",
            "Nieminen",
            "Hämäläinen",
            "Laine",
            "Heikkinen",
            "Koskinen",
            "Järvinen",
            "Lehtonen",
        ),
        40,
    ),
    (
        "arabiska",
        20,
        ("Amal", "Fatima", "Layla", "Samira", "Zainab"),
        ("Ahmad", "Khaled", "Mahmoud", "Yousef", "Jamal"),
        ("Hassan", "Ali", "Haddad", "Khalil", "Saleh"),
        85,
    ),
    (
        "bosniska",
        15,
        ("Amra", "Emina", "Fatima", "Hajra"),
        ("Mehmed", "Nermin", "Safet", "Zijad"),
        ("Hodžić", "Begić", "Kovačević", "Mujić"),
        70,
    ),
    (
        "persiska",
        10,
        ("Mahin", "Parvin", "Shirin"),
        ("Hossein", "Reza", "Bahram"),
        ("Ahmadi", "Hosseini", "Karimi"),
        80,
    ),
    (
        "somaliska",
        10,
        ("Faadumo", "Hodan", "Sahra"),
        ("Abdi", "Mohamed", "Yusuf"),
        ("Warsame", "Farah", "Jama"),
        90,
    ),
    (
        "tigrinja",
        5,
        ("Abeba", "Tsega", "Lemlem"),
        ("Berhane", "Tesfay", "Kidane"),
        ("Gebremedhin", "Tesfamariam", "Haile"),
        90,
    ),
)

# The town and its villages: name, postal code, offset from the town centre in km
# (north, east), spread in km, streets. Postal codes 999 xx do not exist in Sweden.
TOWN = "Bruksvik"
PLACES: tuple[tuple[str, str, float, float, float, tuple[str, ...]], ...] = (
    (
        TOWN,
        "999 30",
        0.0,
        0.0,
        1.2,
        (
            "Storgatan",
            "Bruksgatan",
            "Skolgatan",
            "Järnvägsgatan",
            "Kyrkogatan",
            "Hyttgatan",
            "Smedjegatan",
            "Parkvägen",
            "Ringvägen",
            "Stationsgatan",
        ),
    ),
    (
        TOWN,
        "999 31",
        1.2,
        -0.8,
        0.9,
        ("Björkvägen", "Tallvägen", "Granvägen", "Lönnvägen", "Rönnvägen", "Aspvägen"),
    ),
    (
        TOWN,
        "999 32",
        -1.0,
        1.3,
        0.9,
        ("Solvägen", "Ängsvägen", "Lärkvägen", "Trastvägen", "Svalvägen", "Hagvägen"),
    ),
    ("Kvarnbo", "999 40", 4.5, 3.5, 0.8, ("Kvarnbovägen", "Bäckvägen", "Mjölnarvägen")),
    ("Åsbyn", "999 41", -5.0, -4.0, 0.8, ("Åsbyvägen", "Skogsvägen", "Gärdesvägen")),
    ("Västansjö", "999 42", 1.5, -7.5, 1.0, ("Västansjövägen", "Sjövägen", "Strandvägen")),
    ("Lövhult", "999 43", -7.0, 3.0, 0.8, ("Lövhultsvägen", "Byvägen")),
    ("Norrsjön", "999 44", 7.5, -2.0, 0.8, ("Norrsjövägen", "Udden", "Badvägen")),
)
TOWN_CENTRE = (60.55, 16.28)
KM_PER_DEGREE_LATITUDE = 111.2

# Relation and whether the relative is a woman (None: either).
RELATIONS: tuple[tuple[str, bool | None], ...] = (
    ("dotter", True),
    ("dotter", True),
    ("son", False),
    ("son", False),
    ("make", False),
    ("maka", True),
    ("sambo", None),
    ("barnbarn", None),
    ("syster", True),
    ("bror", False),
    ("granne", None),
    ("god man", None),
)

# Fictional numbers reserved by PTS for use in films, books and demos.
MOBILE_PREFIX = "070-174 06"
LANDLINE_PREFIX = "0980-31 92"

GRANTED_SERVICES = {
    "trygg_hemgang": (
        "Trygg hemgång: stöd av trygg hemgångsteamet dagtid 07.00–15.30 alla dagar efter "
        "dagens behov, med rehabiliterande förhållningssätt. Kvällar och nätter ordinarie "
        "hemtjänstgrupp."
    ),
    "trygg_hemma": (
        "Trygg hemma: rehabiliterande hemtjänst med stöd vid personlig omvårdnad, måltider "
        "och tillsyn. Arbetsterapeuten gör en ADL-bedömning; insatserna trappas ned i takt "
        "med att förmågan återkommer."
    ),
    "ihr": (
        "Intensiv hemrehabilitering: daglig träning med rehabassistent enligt rehabplanen från "
        "fysioterapeut och arbetsterapeut, samt stöd vid personlig omvårdnad under perioden."
    ),
}
GRANTED_EXTRAS = (
    " Trygghetslarm.",
    " Hjälp med inköp första veckan.",
    " Stöd vid dusch en gång i veckan.",
    " Tillsyn nattetid första tre nätterna.",
    " Matdistribution.",
)
ADJUSTMENTS = (
    # reason, what changed in the granted services
    ("Uppföljningen visade behov av kvällsbesök.", " Utökat med ett kvällsbesök dagligen."),
    ("Klarar morgonrutinen själv; besöken minskas.", " Morgonbesöket tas bort."),
    ("Behöver stöd vid dusch två gånger i veckan.", " Stöd vid dusch två gånger i veckan."),
)
EXTENSION = (
    "Fortsatt träningsbehov enligt fysioterapeuten; perioden förlängs.",
    " Perioden förlängd för fortsatt gångträning.",
)

MANAGES_NOW = (
    "Klarar förflyttning mellan säng och rullator själv.",
    "Går inomhus med rullator utan stöd.",
    "Tvättar sig vid handfatet själv; behöver stöd vid dusch.",
    "Klär på sig själv förutom stödstrumpor.",
    "Värmer färdiglagad mat i mikrovågsugnen.",
    "Lagar enklare frukost själv.",
    "Tar sina läkemedel ur dosetten med påminnelse.",
    "Går till brevlådan med rullator.",
    "Klarar toalettbesök själv dag och natt.",
    "Bäddar sängen och diskar själv.",
    "Känner sig tryggare efter att trygghetslarmet kom på plats.",
    "Orkar promenera runt huset med stöd av personal.",
    "Ringer själv till anhöriga och till vårdcentralen.",
    "Har svårt att resa sig ur låga stolar; förhöjningsdyna är beställd.",
    "Är fortfarande trött på eftermiddagarna och vilar efter lunch.",
    "Handlar på nätet med hjälp av dottern.",
)
CLOSE_NOTES = {
    "triage_green": (
        "Klarar sig med befintligt stöd.",
        "Inget behov av insatsen; trygghetslarm räcker.",
        "Anhöriga stöttar de första dagarna.",
    ),
    "excluded": ("Uppfyller exklusionskriterium; annan insats planeras.",),
    "declined_offer": ("Vill klara sig själv.", "Tackar nej; dottern bor hos henne en tid."),
    "other_service": (
        "Korttidsplats bättre lämpad.",
        "Hemsjukvård och ordinarie hemtjänst räcker.",
    ),
}
END_NOTES = {
    "readmitted": (
        "Återinskriven efter fall i hemmet.",
        "Återinskriven med andningsbesvär.",
        "Återinskriven på grund av infektion.",
    ),
    "declined": (
        "Vill inte ha fler besök.",
        "Avböjer fortsatt insats; klarar sig med anhörigas hjälp.",
    ),
    "deceased": ("",),
    "moved": ("Flyttat till särskilt boende.", "Flyttat till dottern i annan kommun."),
    "no_further_need": ("Klarar vardagen själv.", "Målen uppnådda; inget fortsatt behov.", ""),
}
REMAINING_NEEDS = (
    "Stöd vid dusch och hårtvätt.",
    "Stöd med stödstrumpor morgon och kväll.",
    "Inköp och tyngre städning.",
    "Tillsyn och påminnelse om läkemedel på morgonen.",
    "Stöd vid matlagning; klarar frukost och kvällsmat själv.",
    "Följe vid promenader utomhus vintertid.",
)
GOALS_TO_MAINTAIN = (
    "Fortsätta klä sig själv och ta sig till köket med rullator.",
    "Behålla förmågan att duscha själv med stöd av duschpall.",
    "Fortsätta värma och äta lunch själv.",
    "Promenera till brevlådan varje dag.",
    "Fortsätta ta läkemedlen själv ur dosetten.",
    "Resa sig ur fåtöljen utan hjälp.",
)
PLANNED_SERVICES = (
    (
        "Stöd vid dusch",
        "Personalen finns med i badrummet och stöttar vid behov; brukaren tvättar sig själv "
        "så långt det går, med händerna på ryggen.",
        "Tisdagar förmiddag",
    ),
    (
        "Tillsyn morgon",
        "Personalen frågar hur natten varit och låter brukaren själv göra frukost; hjälper "
        "bara med det som inte går.",
        "Varje morgon",
    ),
    (
        "Inköp",
        "Brukaren skriver inköpslistan själv och följer med till affären när orken räcker.",
        "En gång i veckan",
    ),
    (
        "Städning",
        "Brukaren dammtorkar och diskar själv; personalen dammsuger och våttorkar golven.",
        "Varannan vecka",
    ),
    (
        "Stöd vid måltid",
        "Brukaren värmer maten själv; personalen dukar fram tillsammans med brukaren och "
        "sitter med vid behov.",
        "Dagligen vid lunch",
    ),
    (
        "Stödstrumpor",
        "Personalen sätter på stödstrumporna med strumppådragare; brukaren tränar på att "
        "göra det själv enligt arbetsterapeutens instruktion.",
        "Morgon och kväll",
    ),
    (
        "Promenad",
        "Gångträning utomhus med rullator enligt fysioterapeutens program; personalen går "
        "bredvid men stöttar inte i onödan.",
        "Tre gånger i veckan",
    ),
    (
        "Läkemedel",
        "Påminnelse; brukaren tar själv sina läkemedel ur dosetten.",
        "Varje morgon",
    ),
)
