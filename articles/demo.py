"""
Demo content for `manage.py load_demo_content`, written for this project.

Headlines, standfirsts, leads and quotes are per story; the rest of each body
is assembled from a small pool of original sentences per section, in an order
fixed by the story's number so every run builds the same text. People quoted
are unnamed or invented; the wire services are only the attributed sources.

Idempotent: everything is keyed by slug, articles by import_ref "demo:<n>".
An existing row is left exactly as it is. This module never imports comments;
the command loads demo comments itself.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from articles.models import Article, ArticleAuthor, Author, Quote, Section, Source, Tag
from articles.services import article_set_body

SECTIONS = [
    ("world", "World", "Diplomacy, conflict and elections around the globe."),
    ("business", "Business", "Markets, companies and the economy."),
    ("science", "Science", "Research, space, health and the environment."),
    ("culture", "Culture", "Film, books, music, art and the stage."),
    ("sport", "Sport", "Results, records and the business of sport."),
]

TAGS = [
    ("athletics", "Athletics"),
    ("books", "Books"),
    ("climate", "Climate"),
    ("diplomacy", "Diplomacy"),
    ("elections", "Elections"),
    ("energy", "Energy"),
    ("film", "Film"),
    ("football", "Football"),
    ("health", "Health"),
    ("markets", "Markets"),
    ("space", "Space"),
    ("trade", "Trade"),
]

AUTHORS = [
    (
        "maria-okafor",
        "Maria Okafor",
        "Maria Okafor is our diplomatic correspondent. She has reported from "
        "summits, border crossings and election counts on four continents.",
    ),
    (
        "daniel-brandt",
        "Daniel Brandt",
        "Daniel Brandt covers economics and science. Before joining the "
        "newsroom he spent a decade as a data analyst at a statistics office.",
    ),
    (
        "lena-sokolova",
        "Lena Sokolova",
        "Lena Sokolova writes about culture and sport, and presents our weekly "
        "arts podcast. She once played second violin in a youth orchestra.",
    ),
]

SOURCES = [
    ("afp", "AFP", "https://www.afp.com/"),
    ("ap", "AP", "https://apnews.com/"),
    ("bbc", "BBC", "https://www.bbc.co.uk/news"),
    ("reuters", "Reuters", "https://www.reuters.com/"),
    ("tass", "TASS", "https://tass.com/"),
]


@dataclass(frozen=True)
class Story:
    n: int
    section: str
    days_ago: float  # negative: scheduled in the future
    title: str
    slug: str
    dek: str
    lead: str
    authors: tuple[str, ...]
    tags: tuple[str, ...] = ()
    # (source slug, speaker / context, text)
    quotes: tuple[tuple[str, str, str], ...] = ()
    status: str = Article.Status.PUBLISHED
    comments_open: bool = True
    comments_premoderate: bool = False


STORIES = [
    # World ---------------------------------------------------------------------
    Story(
        n=1,
        section="world",
        days_ago=3.2,
        title="Ceasefire talks resume as mediators push for prisoner exchange",
        slug="ceasefire-talks-resume-prisoner-exchange",
        dek="Negotiators return to the table after a two-week pause, with the "
        "release of detainees seen as the first test of good faith.",
        lead="Delegations from both sides returned to talks on Monday after a "
        "two-week pause, with mediators pressing for an early exchange of "
        "detainees as a gesture of good faith. The first session lasted more "
        "than six hours, according to people briefed on the meeting.",
        authors=("maria-okafor",),
        tags=("diplomacy",),
        quotes=(
            (
                "reuters",
                "a mediator involved in the talks",
                "Nobody expects a breakthrough this week, but both sides came "
                "back, and that is not nothing.",
            ),
            (
                "tass",
                "a foreign ministry spokesperson",
                "We are ready to discuss any humanitarian question, provided the "
                "other side keeps its word.",
            ),
        ),
    ),
    Story(
        n=2,
        section="world",
        days_ago=9.5,
        title="Coastal cities brace for record storm surge as typhoon nears",
        slug="coastal-cities-brace-for-storm-surge",
        dek="Authorities order evacuations along a 300-kilometre stretch of "
        "coastline and close schools for two days.",
        lead="Tens of thousands of people were moved to shelters on Thursday as "
        "a powerful typhoon approached the coast, bringing forecasts of a storm "
        "surge higher than any recorded in the past half-century. Ports were "
        "closed and ferry services suspended until further notice.",
        authors=("maria-okafor",),
        tags=("climate",),
        quotes=(
            (
                "ap",
                "a regional disaster management official",
                "If you are told to leave, leave. Houses can be rebuilt; people "
                "cannot.",
            ),
            (
                "afp",
                "a fisherman moving his boat inland",
                "My father saw the big flood in the seventies. He says the sea "
                "has never looked like this.",
            ),
        ),
        comments_premoderate=True,
    ),
    Story(
        n=3,
        section="world",
        days_ago=24.1,
        title="Voters head to the polls in tight parliamentary election",
        slug="voters-head-to-polls-tight-election",
        dek="Polls suggest no party will win a majority, setting up weeks of "
        "coalition talks over the budget and energy policy.",
        lead="Polling stations opened at seven on Sunday morning in an election "
        "that surveys suggest is too close to call. The governing party is "
        "defending a slim majority after a term dominated by rising living "
        "costs and a long dispute over energy subsidies.",
        authors=("maria-okafor", "daniel-brandt"),
        tags=("elections", "energy"),
        quotes=(
            (
                "bbc",
                "a first-time voter in the capital",
                "I came because my rent has doubled. I want someone to say what "
                "they will actually do about it.",
            ),
        ),
    ),
    Story(
        n=4,
        section="world",
        days_ago=47.6,
        title="Border crossing reopens to freight after three-month closure",
        slug="border-crossing-reopens-to-freight",
        dek="Lorries queue for kilometres as the main trade route between the "
        "two neighbours opens under a new inspection regime.",
        lead="The main road crossing between the two countries reopened to "
        "freight on Wednesday, ending a three-month closure that had cut trade "
        "by a third and stranded perishable goods on both sides. Drivers "
        "reported waits of up to eleven hours on the first day.",
        authors=("maria-okafor",),
        tags=("trade", "diplomacy"),
        quotes=(
            (
                "reuters",
                "a customs official at the crossing",
                "We are checking every lorry, so it will be slow for a few "
                "days. After that it should settle down.",
            ),
            (
                "tass",
                "a spokesperson for the transport ministry",
                "The reopening shows that practical cooperation is possible "
                "even when political questions remain.",
            ),
            (
                "afp",
                "a driver carrying fruit",
                "Half of my load is already spoiled. I just want to get home.",
            ),
        ),
    ),
    Story(
        n=5,
        section="world",
        days_ago=88.3,
        title="Drought pushes grain prices higher across the region",
        slug="drought-pushes-grain-prices-higher",
        dek="A second failed rainy season leaves farmers selling livestock and "
        "governments weighing export limits.",
        lead="Wheat and maize prices have risen by more than a fifth since the "
        "start of the year as a second failed rainy season shrinks harvests "
        "across the region. Several governments are considering limits on "
        "exports to protect domestic supplies.",
        authors=("daniel-brandt",),
        tags=("climate", "trade"),
        quotes=(
            (
                "ap",
                "a farmer who has sold half of his herd",
                "There is no grass and no money for feed. You sell the animals "
                "or you watch them die.",
            ),
        ),
    ),
    Story(
        n=6,
        section="world",
        days_ago=131.0,
        title="Foreign ministers agree framework for sharing river water",
        slug="ministers-agree-river-water-framework",
        dek="The accord sets up a joint commission but leaves the thorniest "
        "question, a new upstream dam, for later.",
        lead="Foreign ministers from the three countries that share the river "
        "signed a framework agreement on Friday to manage its water jointly, "
        "after years of disputes over dams and irrigation. The deal creates a "
        "commission with powers to collect data and settle complaints.",
        authors=("maria-okafor",),
        tags=("diplomacy", "climate"),
        quotes=(
            (
                "afp",
                "a senior negotiator",
                "Water has been a reason for quarrels for too long. Today it "
                "becomes a reason to sit at the same table.",
            ),
            (
                "bbc",
                "an environmental researcher who advised one delegation",
                "The framework is good news, but the river does not read "
                "treaties. What matters is how much water is left in August.",
            ),
        ),
        comments_open=False,
    ),
    # Business ------------------------------------------------------------------
    Story(
        n=7,
        section="business",
        days_ago=1.6,
        title="Central bank holds rates but signals cuts may come this year",
        slug="central-bank-holds-rates-signals-cuts",
        dek="Policymakers vote seven to two to keep borrowing costs unchanged, "
        "with two members backing an immediate reduction.",
        lead="The central bank kept its main interest rate unchanged on "
        "Thursday but said cuts could begin later this year if inflation keeps "
        "falling. Two of the nine members of the rate-setting committee voted "
        "for an immediate reduction of a quarter of a percentage point.",
        authors=("daniel-brandt",),
        tags=("markets",),
        quotes=(
            (
                "reuters",
                "the bank's governor, at a news conference",
                "We are not there yet, but we are closer than we were three "
                "months ago.",
            ),
        ),
    ),
    Story(
        n=8,
        section="business",
        days_ago=15.2,
        title="Carmaker to build battery plant, creating 2,000 jobs",
        slug="carmaker-to-build-battery-plant",
        dek="The factory, due to open in three years, will supply cells for "
        "the group's next generation of small electric cars.",
        lead="One of the country's largest carmakers said on Tuesday it would "
        "build a battery plant on the site of a former coal-fired power "
        "station, creating about 2,000 jobs. Production is due to start in "
        "three years, subject to planning approval.",
        authors=("daniel-brandt",),
        tags=("energy", "trade"),
        quotes=(
            (
                "bbc",
                "the company's chief executive",
                "If we want to build affordable electric cars here, we have to "
                "build the batteries here too.",
            ),
            (
                "ap",
                "a union representative at the existing plant",
                "This is good news, but we want guarantees that the new jobs go "
                "to people who live here.",
            ),
        ),
    ),
    Story(
        n=9,
        section="business",
        days_ago=33.4,
        title="Inflation eases for a third month as fuel costs fall",
        slug="inflation-eases-third-month",
        dek="Annual price growth slows to its lowest level in two years, though "
        "food and rents are still rising quickly.",
        lead="Consumer price inflation fell for a third consecutive month in "
        "the year to October, official figures showed on Wednesday, as lower "
        "fuel costs offset continued increases in food prices and rents.",
        authors=("daniel-brandt",),
        tags=("markets", "energy"),
        quotes=(
            (
                "reuters",
                "an economist at a commercial bank",
                "The headline number is encouraging, but services inflation is "
                "still too sticky for comfort.",
            ),
        ),
    ),
    Story(
        n=10,
        section="business",
        days_ago=61.8,
        title="Shipping rates climb as congestion builds at major ports",
        slug="shipping-rates-climb-port-congestion",
        dek="The cost of moving a container between Asia and Europe has nearly "
        "doubled in six weeks, squeezing importers before the holidays.",
        lead="Container shipping rates have risen sharply as congestion builds "
        "at several of the world's busiest ports, adding to costs for "
        "retailers stocking up for the holiday season.",
        authors=("daniel-brandt",),
        tags=("trade",),
        quotes=(
            (
                "afp",
                "a logistics manager at a toy importer",
                "We booked space in August and we are still waiting. Every week "
                "costs us money.",
            ),
            (
                "tass",
                "a port operator's spokesperson",
                "Our terminals are working around the clock to clear the backlog.",
            ),
        ),
    ),
    Story(
        n=11,
        section="business",
        days_ago=102.5,
        title="Regional airline posts first annual profit since the pandemic",
        slug="regional-airline-first-annual-profit",
        dek="Strong summer demand and a leaner fleet help the carrier return "
        "to the black, though fuel hedges roll off next year.",
        lead="The country's second-largest airline reported its first annual "
        "profit in five years on Monday, helped by record summer bookings and "
        "a decision to retire its oldest aircraft.",
        authors=("daniel-brandt",),
        tags=("markets",),
    ),
    Story(
        n=12,
        section="business",
        days_ago=140.2,
        title="Grid operators warn of tight electricity supply this winter",
        slug="grid-operators-warn-tight-winter-supply",
        dek="Margins are thinner than last year after two ageing plants closed, "
        "but blackouts remain unlikely, the operator says.",
        lead="The national grid operator said on Thursday that the margin "
        "between electricity supply and peak demand would be narrower this "
        "winter than last, after the closure of two ageing power plants.",
        authors=("daniel-brandt",),
        tags=("energy",),
        quotes=(
            (
                "bbc",
                "the operator's director of system planning",
                "We have the tools to manage a cold snap. What we are asking "
                "for is flexibility, not sacrifice.",
            ),
        ),
    ),
    # Science -------------------------------------------------------------------
    Story(
        n=13,
        section="science",
        days_ago=5.3,
        title="Probe sends back first close images of icy moon's surface",
        slug="probe-first-close-images-icy-moon",
        dek="Ridges, cracks and what may be fresh frost suggest the moon's "
        "crust is still changing.",
        lead="A robotic probe has sent back the first close-up images of the "
        "surface of an icy moon, showing long ridges and cracks that scientists "
        "say may have formed recently. The pictures were taken from an "
        "altitude of about 400 kilometres during a flyby last week.",
        authors=("daniel-brandt",),
        tags=("space",),
        quotes=(
            (
                "afp",
                "the mission's lead planetary scientist",
                "We expected an old, battered surface. Instead we see a world "
                "that looks as if it moved yesterday.",
            ),
            (
                "reuters",
                "an engineer on the flight team",
                "Every instrument is healthy. Now the real work of reading the "
                "data begins.",
            ),
        ),
    ),
    Story(
        n=14,
        section="science",
        days_ago=20.7,
        title="Coral reefs show surprising resilience after marine heatwave",
        slug="coral-reefs-resilience-after-heatwave",
        dek="Surveys find some bleached corals recovered within a year, but "
        "scientists warn that repeated heatwaves leave less time to heal.",
        lead="Large parts of a reef system badly bleached during last year's "
        "marine heatwave have regained their colour, according to surveys by "
        "divers and underwater drones, offering a rare piece of good news.",
        authors=("daniel-brandt",),
        tags=("climate",),
        quotes=(
            (
                "bbc",
                "a marine biologist who led the survey",
                "Corals can bounce back, but only if we give them the breathing "
                "space between heatwaves.",
            ),
        ),
    ),
    Story(
        n=15,
        section="science",
        days_ago=41.1,
        title="Trial finds cheap blood test spots early signs of sepsis",
        slug="cheap-blood-test-early-sepsis",
        dek="The test, which costs a few dollars and gives results in an hour, "
        "correctly flagged most cases in a trial at six hospitals.",
        lead="A simple blood test could help doctors spot sepsis hours earlier "
        "than current methods, according to a trial involving more than 3,000 "
        "patients at six hospitals.",
        authors=("daniel-brandt",),
        tags=("health",),
        quotes=(
            (
                "ap",
                "an intensive care doctor who led the trial",
                "In sepsis every hour counts. A test that buys us time is "
                "worth a great deal.",
            ),
            (
                "reuters",
                "an independent expert in infectious disease",
                "The results are promising, but we need to see how it performs "
                "in busy emergency departments, not only in a trial.",
            ),
        ),
    ),
    Story(
        n=16,
        section="science",
        days_ago=74.9,
        title="Researchers map how city heat islands disturb sleep",
        slug="city-heat-islands-disturb-sleep",
        dek="Residents of the hottest neighbourhoods lost up to 40 minutes of "
        "sleep a night during summer, a study using wearable trackers found.",
        lead="People living in the hottest parts of cities sleep measurably "
        "less during summer heatwaves, according to a study that combined "
        "satellite temperature maps with data from thousands of wearable "
        "sleep trackers.",
        authors=("daniel-brandt",),
        tags=("climate", "health"),
        quotes=(
            (
                "afp",
                "an urban climate researcher and co-author of the study",
                "Trees and shade are not a luxury. They are public health.",
            ),
        ),
    ),
    Story(
        n=17,
        section="science",
        days_ago=118.4,
        title="New telescope camera captures its first light",
        slug="telescope-camera-first-light",
        dek="The instrument, the size of a small car, will photograph the "
        "whole southern sky every few nights for a decade.",
        lead="Astronomers have released the first images taken with a new "
        "camera mounted on a mountaintop telescope, showing distant galaxies "
        "and clouds of gas in extraordinary detail.",
        authors=("daniel-brandt",),
        tags=("space",),
        quotes=(
            (
                "bbc",
                "the project's deputy director",
                "This first picture took ten years of work. The next ten years "
                "will produce millions more.",
            ),
            (
                "tass",
                "an astronomer at a partner institute",
                "The data will be open to every scientist who wants to use them.",
            ),
        ),
    ),
    Story(
        n=18,
        section="science",
        days_ago=-3.0,
        title="Seed bank adds thousands of wild crop varieties",
        slug="seed-bank-adds-wild-crop-varieties",
        dek="Collectors spent three seasons gathering the wild relatives of "
        "wheat, lentils and potatoes before they disappear.",
        lead="A global seed vault has received its largest single deposit of "
        "wild crop relatives, plants that breeders hope will help develop "
        "varieties able to cope with heat and drought.",
        authors=("daniel-brandt",),
        tags=("climate",),
        quotes=(
            (
                "reuters",
                "a botanist who led the collecting missions",
                "Some of these plants grow in a single valley. If the valley "
                "changes, they are gone.",
            ),
        ),
        status=Article.Status.SCHEDULED,
    ),
    # Culture -------------------------------------------------------------------
    Story(
        n=19,
        section="culture",
        days_ago=7.4,
        title="Film festival opens with a debut that divides critics",
        slug="film-festival-opens-debut-divides-critics",
        dek="A slow, wordless drama about a lighthouse keeper draws a standing "
        "ovation and a handful of walkouts on the opening night.",
        lead="The city's film festival opened on Friday with the premiere of "
        "a first feature by a young director, a largely wordless drama about "
        "a lighthouse keeper that drew both a standing ovation and a number "
        "of early exits.",
        authors=("lena-sokolova",),
        tags=("film",),
        quotes=(
            (
                "afp",
                "the film's director, after the screening",
                "I wanted people to hear the sea for two hours. Some of them "
                "did not want to, and that is fine.",
            ),
            (
                "bbc",
                "a critic leaving the premiere",
                "It is either a masterpiece or very long. Possibly both.",
            ),
        ),
    ),
    Story(
        n=20,
        section="culture",
        days_ago=29.9,
        title="Restored medieval tapestries return to the cathedral",
        slug="restored-tapestries-return-to-cathedral",
        dek="The six hangings, damaged by damp and moths, were cleaned thread "
        "by thread over almost three years.",
        lead="Six medieval tapestries have returned to the cathedral for which "
        "they were woven, after a restoration that took almost three years "
        "and involved more than twenty specialists.",
        authors=("lena-sokolova",),
        quotes=(
            (
                "ap",
                "the textile conservator who led the project",
                "We did not try to make them look new. We tried to make sure "
                "they will still be here in another five hundred years.",
            ),
        ),
    ),
    Story(
        n=21,
        section="culture",
        days_ago=56.2,
        title="Debut novel about a ferry family wins national book prize",
        slug="debut-novel-ferry-family-wins-prize",
        dek="Judges praised a story told across three generations and one "
        "stretch of cold water.",
        lead="A debut novel about a family that runs a ferry between an island "
        "and the mainland has won the country's most prestigious literary "
        "prize, beating five better-known authors on the shortlist.",
        authors=("lena-sokolova",),
        tags=("books",),
        quotes=(
            (
                "bbc",
                "the chair of the judging panel",
                "It is a book about staying and leaving, and it made every one "
                "of us want to take a boat somewhere.",
            ),
            (
                "reuters",
                "the winning author",
                "My grandfather ran a ferry. He would have said this was a lot "
                "of fuss for a short crossing.",
            ),
        ),
    ),
    Story(
        n=22,
        section="culture",
        days_ago=95.1,
        title="City's old tram depot reborn as a concert hall",
        slug="tram-depot-reborn-as-concert-hall",
        dek="The brick sheds, empty for thirty years, now hold a 900-seat hall "
        "and rehearsal rooms for local musicians.",
        lead="A tram depot that stood empty for three decades has reopened as "
        "a concert hall, with a 900-seat auditorium built inside the original "
        "brick sheds and rails still visible in the foyer floor.",
        authors=("lena-sokolova",),
        quotes=(
            (
                "afp",
                "the hall's artistic director",
                "The acoustics were a gift from the old engineers. They built "
                "these sheds to be very solid.",
            ),
        ),
    ),
    Story(
        n=23,
        section="culture",
        days_ago=144.6,
        title="Documentary on river communities wins audience award",
        slug="river-documentary-wins-audience-award",
        dek="Filmed over four years, it follows families whose villages depend "
        "on a river that is running lower every summer.",
        lead="A documentary following three villages along a shrinking river "
        "has won the audience award at a festival of non-fiction film, the "
        "first time the prize has gone to a debut.",
        authors=("lena-sokolova",),
        tags=("film", "climate"),
        quotes=(
            (
                "tass",
                "the documentary's producer",
                "We wanted the people on the riverbank to tell their own story. "
                "We only held the camera.",
            ),
        ),
    ),
    Story(
        n=24,
        section="culture",
        days_ago=0,
        title="Orchestra announces autumn tour with a new commission",
        slug="orchestra-announces-autumn-tour",
        dek="Five cities, one premiere and a recording planned for next year.",
        lead="The national orchestra will tour five cities this autumn with a "
        "programme built around a newly commissioned work for strings and "
        "percussion.",
        authors=("lena-sokolova",),
        status=Article.Status.DRAFT,
    ),
    # Sport ---------------------------------------------------------------------
    Story(
        n=25,
        section="sport",
        days_ago=2.4,
        title="Late equaliser keeps title race alive",
        slug="late-equaliser-keeps-title-race-alive",
        dek="A header in the fourth minute of stoppage time denies the leaders "
        "a win that would have all but sealed the championship.",
        lead="A header deep into stoppage time earned the second-placed side "
        "a draw against the league leaders on Saturday, keeping the title race "
        "open with eight matches left.",
        authors=("lena-sokolova",),
        tags=("football",),
        quotes=(
            (
                "ap",
                "the home side's coach",
                "We never stopped. That is the only thing I asked of them "
                "before the game.",
            ),
            (
                "reuters",
                "the leaders' captain",
                "It hurts now, but we are still top. Tomorrow we start again.",
            ),
        ),
    ),
    Story(
        n=26,
        section="sport",
        days_ago=18.8,
        title="Sprinter sets the season's fastest time at indoor meeting",
        slug="sprinter-sets-seasons-fastest-time",
        dek="The 22-year-old's run over 60 metres makes her the favourite for "
        "next month's championships.",
        lead="A 22-year-old sprinter ran the fastest 60 metres in the world "
        "this season at an indoor meeting on Sunday, less than half a second "
        "outside the national record.",
        authors=("lena-sokolova",),
        tags=("athletics",),
        quotes=(
            (
                "afp",
                "the sprinter, speaking trackside",
                "I did not feel fast. Then I saw the clock and thought it must "
                "be broken.",
            ),
        ),
    ),
    Story(
        n=27,
        section="sport",
        days_ago=38.5,
        title="League confirms changes to video reviews after season of complaints",
        slug="league-confirms-video-review-changes",
        dek="Referees will explain overturned decisions to the crowd, and "
        "reviews will be capped at two minutes.",
        lead="The football league confirmed on Monday that referees will "
        "announce the reasons for overturned decisions over stadium speakers "
        "from next season, after months of complaints from clubs and fans.",
        authors=("lena-sokolova",),
        tags=("football",),
        quotes=(
            (
                "bbc",
                "the league's head of refereeing",
                "Supporters deserve to know why a decision changed, not just "
                "that it did.",
            ),
            (
                "reuters",
                "a spokesperson for a national supporters' group",
                "This is a start. The real test is whether the decisions get "
                "better, not whether they are explained.",
            ),
            (
                "ap",
                "a club chairman",
                "We asked for this two years ago. Better late than never.",
            ),
        ),
    ),
    Story(
        n=28,
        section="sport",
        days_ago=67.0,
        title="Cup holders knocked out by second-tier side",
        slug="cup-holders-knocked-out-second-tier",
        dek="A goal from a 19-year-old academy graduate settles a tie that the "
        "visitors dominated for an hour.",
        lead="The cup holders were knocked out in the fourth round on Tuesday "
        "by a side from the second tier, who scored with their only shot on "
        "target and then held on for more than half an hour.",
        authors=("lena-sokolova",),
        tags=("football",),
        quotes=(
            (
                "afp",
                "the goalscorer, after the match",
                "I grew up watching this club from the stands. Tonight I will "
                "not sleep.",
            ),
        ),
    ),
    Story(
        n=29,
        section="sport",
        days_ago=110.3,
        title="Cyclists' union calls for shorter stages in extreme heat",
        slug="cyclists-union-shorter-stages-heat",
        dek="Riders want race organisers to follow a heat protocol after "
        "several collapses during a summer stage race.",
        lead="The professional cyclists' union has asked race organisers to "
        "adopt a formal protocol for shortening or moving stages when "
        "temperatures pass 35 degrees, after several riders needed treatment "
        "during a summer race.",
        authors=("lena-sokolova", "daniel-brandt"),
        tags=("climate", "health"),
        quotes=(
            (
                "tass",
                "a union representative",
                "Nobody wants to cancel races. We want to finish them safely.",
            ),
            (
                "bbc",
                "a team doctor",
                "At those temperatures the body cannot cool itself fast "
                "enough, however fit you are.",
            ),
        ),
    ),
    Story(
        n=30,
        section="sport",
        days_ago=-6.0,
        title="National team names squad for summer tournament",
        slug="national-team-names-summer-squad",
        dek="Two uncapped teenagers make the 26-man list; the veteran captain "
        "is included despite a late-season injury.",
        lead="The national coach named a 26-man squad for the summer "
        "tournament on Monday, including two uncapped teenagers and the "
        "veteran captain, who is recovering from a hamstring injury.",
        authors=("lena-sokolova",),
        tags=("football",),
        quotes=(
            (
                "reuters",
                "the national coach",
                "I picked the players who are ready now, not the names people "
                "expected.",
            ),
        ),
        status=Article.Status.SCHEDULED,
    ),
]

SUBHEADS = {
    "world": ["What was agreed", "Reaction in the region", "What happens next"],
    "business": ["What the figures show", "The investors' view", "The outlook"],
    "science": ["How the work was done", "Caveats", "Next steps"],
    "culture": ["Behind the scenes", "The reception", "Dates and tickets"],
    "sport": ["How it unfolded", "Reaction", "What comes next"],
}

SENTENCES = {
    "world": [
        "Officials on both sides said technical teams would meet again within "
        "weeks to settle the details that the negotiators had left open.",
        "Diplomats familiar with the process described the mood as cautious "
        "rather than hopeful, noting that earlier rounds had collapsed over "
        "smaller questions.",
        "The announcement came after several days of closed-door meetings in "
        "which officials shuttled between delegations housed in separate "
        "hotels.",
        "Aid organisations welcomed the move but warned that supplies already "
        "stuck at crossings would take time to reach the people who need them.",
        "Opposition politicians accused the government of conceding too much "
        "and said they would press for a parliamentary vote on any final text.",
        "Regional neighbours have watched the situation closely, wary that a "
        "breakdown could disrupt trade routes and unsettle their own fragile "
        "arrangements.",
        "Residents interviewed in the capital said they cared less about "
        "official statements than about whether prices and power cuts would "
        "ease.",
        "The foreign ministry said in a statement that it remained committed "
        "to dialogue and would not be drawn into what it called public "
        "bargaining.",
        "Analysts pointed out that similar pledges have been made before and "
        "that monitoring, not signatures, would decide whether this one holds.",
        "Security in the centre of the city was tight, with roads closed for "
        "several blocks and journalists kept behind barriers well away from "
        "the entrances.",
        "A senior envoy said the hardest issues, including who pays and who "
        "checks that promises are kept, were still unresolved.",
        "Several governments issued statements within hours, most of them "
        "welcoming the progress while urging all parties to keep their "
        "commitments.",
        "The United Nations said its agencies were ready to scale up their "
        "work as soon as safe access was guaranteed in writing.",
        "Local officials in the border districts said they had not yet received "
        "instructions and were waiting to see how the decision would be applied "
        "on the ground.",
        "Historians note that the region has seen several similar moments in "
        "the past two decades, and that few of them lasted longer than a year.",
        "Independent observers said they would publish a first assessment "
        "within a month, based on reports from their teams in the field.",
        "Newspapers in the capital were divided the next morning, with some "
        "hailing a turning point and others warning against celebrating too "
        "early.",
    ],
    "business": [
        "Shares in the company rose in early trading before giving up some of "
        "their gains as investors weighed the outlook for the rest of the year.",
        "Analysts had expected a weaker result, and several raised their "
        "forecasts after the figures were published on Tuesday morning.",
        "The central bank has kept interest rates on hold for three meetings in "
        "a row, and traders now expect a cut before the end of the year.",
        "Economists cautioned that a single month of data says little about "
        "the trend, especially when seasonal adjustments have been revised.",
        "Smaller suppliers said they were still struggling with higher "
        "financing costs and longer payment terms imposed by larger customers.",
        "The company said it would keep investing in new capacity despite the "
        "slowdown, arguing that demand would recover once inventories "
        "normalised.",
        "Union representatives said they had not been consulted about the plan "
        "and would seek talks with management before any jobs were cut.",
        "Consumer confidence has improved for four consecutive months, helped "
        "by falling fuel prices and a steady labour market.",
        "Exporters have benefited from a weaker currency, though importers of "
        "raw materials say their margins have been squeezed as a result.",
        "The competition regulator said it would review the plans, a process "
        "that could take several months to complete.",
        "Credit rating agencies have so far left their assessments unchanged, "
        "citing strong cash reserves and modest levels of debt.",
        "Retailers reported that shoppers were trading down to cheaper brands "
        "while still spending on travel and eating out.",
        "Energy-intensive industries remain the most exposed to any rise in "
        "wholesale prices, according to a survey published by the chamber of "
        "commerce.",
        "The finance ministry said tax receipts were running slightly ahead of "
        "budget, giving it room to fund a modest package of relief measures.",
        "Executives told analysts on a conference call that they saw no sign of "
        "a sharp downturn in orders for the coming quarter.",
        "Market participants said trading volumes were thin ahead of a holiday "
        "weekend, which may have exaggerated the size of the moves.",
        "Bond yields edged lower after the announcement, a sign that investors "
        "expect borrowing costs to fall gradually over the next year.",
    ],
    "science": [
        "The findings were published in a peer-reviewed journal after more than "
        "two years of observations and repeated checks of the data.",
        "The researchers stressed that the sample was small and that larger "
        "studies would be needed before drawing firm conclusions.",
        "Independent scientists who were not involved in the work described it "
        "as careful and said the methods were clearly laid out.",
        "The team used computer models to test how the results would change "
        "under different assumptions, and the main effect held in each case.",
        "Funding for the project came from a mix of public research councils "
        "and a charitable foundation that supports early-career scientists.",
        "Field work was hampered by storms during the first season, forcing the "
        "researchers to return the following year to repeat their measurements.",
        "The data and the software used in the analysis have been made publicly "
        "available so that other groups can check the results.",
        "Similar patterns have been reported in laboratory experiments, but "
        "this is among the first times they have been observed in the real "
        "world.",
        "Critics argue that the approach could be expensive to scale up, though "
        "its supporters say costs usually fall as techniques mature.",
        "The study adds to a growing body of evidence that small changes in "
        "temperature can have outsized effects on fragile systems.",
        "Engineers are now working on a second version of the equipment that "
        "will be lighter, cheaper to build and easier to calibrate.",
        "Volunteers helped to collect many of the samples, an approach that "
        "allowed the team to cover a far larger area than it could alone.",
        "The researchers plan to present further results at a conference later "
        "in the year and to publish a follow-up study next spring.",
        "Experts cautioned that it would take several years of further work "
        "before the discovery could make a practical difference.",
        "The project brought together specialists in physics, chemistry, "
        "biology and statistics from eleven institutions in seven countries.",
        "Early-career researchers did much of the painstaking work, the senior "
        "authors said, often checking the same measurements several times.",
        "A public exhibition of the results is planned for next year, with "
        "school visits and talks by members of the team.",
    ],
    "culture": [
        "The production runs for six weeks, with a limited number of cheaper "
        "tickets released each morning for people under twenty-five.",
        "Critics were divided after the opening night, with some praising its "
        "ambition and others finding the second half too long.",
        "The exhibition brings together more than a hundred works, many of them "
        "loaned from private collections and rarely shown in public.",
        "Organisers said advance sales were the strongest in the event's "
        "history, helped by a programme that mixes established names with "
        "newcomers.",
        "Booksellers reported a rush of orders after the announcement, with "
        "several titles selling out at the larger chains within days.",
        "The work took almost three years and involved specialists in "
        "textiles, woodwork, acoustics and historic paint.",
        "Admission remains free, although a charge applies to special events "
        "and the temporary exhibition on weekends.",
        "The orchestra will take the programme on tour in the autumn, with "
        "concerts planned in five cities and a recording due next year.",
        "Local artists said the new venue would give them somewhere affordable "
        "to rehearse and perform, something the city has long lacked.",
        "Staff said they hoped the new programme would draw younger visitors "
        "who might not otherwise think of walking through the doors.",
        "The prize carries a cash award and a guarantee that the winning work "
        "will be translated into at least two other languages.",
        "Preparations were disrupted by a burst pipe that flooded the basement "
        "rooms two weeks before the opening.",
        "A second season has already been commissioned, with work expected to "
        "begin in the spring on location in the north.",
        "Visitors can also see a selection of sketches and letters that show "
        "how the work changed between the first idea and the final version.",
        "The city council contributed part of the funding, arguing that "
        "culture brings visitors and spending to the surrounding streets.",
        "Volunteers from the neighbourhood have signed up to guide visitors "
        "and run the small café in the entrance hall.",
        "Reviewers singled out the lighting and sound design, which several "
        "described as the best they had encountered in years.",
    ],
    "sport": [
        "The coach said afterwards that he was proud of the reaction from his "
        "players, even if the performance was far from perfect.",
        "A crowd of just over forty thousand watched in steady rain, the "
        "largest attendance at the ground this season.",
        "Team doctors said the injury was not as serious as first feared, but "
        "the player is likely to miss at least two weeks.",
        "The season resumes next month with a run of fixtures that could decide "
        "the title and the places in European competition.",
        "Officials confirmed that the decision had been checked by the video "
        "assistant referee, who found no clear error.",
        "The club's academy has produced four members of the current "
        "first-team squad, a point the chairman was keen to stress.",
        "The governing body said it would review the calendar after several "
        "teams complained about the number of events in a short period.",
        "Supporters travelled in large numbers despite the long journey, "
        "filling the away end well before the start.",
        "Both captains praised the condition of the pitch, which had been "
        "relaid over the summer after years of complaints.",
        "The competition will be broadcast free to air for the first time, a "
        "deal organisers hope will attract new fans.",
        "The veteran, who turns thirty-seven next month, has not yet decided "
        "whether this will be his final season.",
        "The squad will fly out on Sunday and play two warm-up matches before "
        "the opening game of the tournament.",
        "Former players writing in the newspapers the next morning were quick "
        "to praise the younger members of the side.",
        "Ticket prices have become a running argument between clubs and "
        "supporters, who say families are being priced out.",
        "Sports scientists say the demands of the modern schedule leave little "
        "time for recovery between competitions.",
        "The result will be reviewed by the coaching staff on Monday, with "
        "changes expected for the next match.",
        "Coverage of the event drew the largest television audience of the "
        "year so far, according to the broadcaster.",
    ],
}


def story_body(story: Story) -> str:
    """The article body as an editor would write it: paragraphs and subheads."""
    rng = random.Random(story.n)  # noqa: S311 - deterministic text, not security
    sentences = rng.sample(SENTENCES[story.section], k=rng.randint(15, 17))
    subheads = SUBHEADS[story.section]
    parts = [f"<p>{story.lead}</p>"]
    for i in range(0, len(sentences), 3):
        if i in (3, 9):
            parts.append(f"<h2>{subheads[0 if i == 3 else 2]}</h2>")
        parts.append(f"<p>{' '.join(sentences[i : i + 3])}</p>")
    return "".join(parts)


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: bool) -> None:
        self.created.setdefault(kind, 0)
        if created:
            self.created[kind] += 1


@transaction.atomic
def load_demo_articles(*, now: datetime) -> DemoReport:
    """Create what is missing; leave every existing row untouched."""
    report = DemoReport()
    sections = {}
    for slug, name, description in SECTIONS:
        sections[slug], created = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        report.add("sections", created)
    tags = {}
    for slug, name in TAGS:
        tags[slug], created = Tag.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
        report.add("tags", created)
    authors = {}
    for slug, name, bio in AUTHORS:
        authors[slug], created = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "bio": bio}
        )
        report.add("authors", created)
    sources = {}
    for slug, name, url in SOURCES:
        sources[slug], created = Source.objects.get_or_create(
            slug=slug, defaults={"name": name, "url": url}
        )
        report.add("sources", created)

    existing = set(
        Article.objects.filter(import_ref__startswith="demo:").values_list(
            "import_ref", flat=True
        )
    )
    for story in STORIES:
        ref = f"demo:{story.n}"
        if ref in existing:
            report.add("articles", False)
            continue
        published_at = None
        if story.status != Article.Status.DRAFT:
            published_at = (now - timedelta(days=story.days_ago)).replace(
                second=0, microsecond=0
            )
        article = Article(
            import_ref=ref,
            title=story.title,
            slug=story.slug,
            dek=story.dek,
            status=story.status,
            published_at=published_at,
            section=sections[story.section],
            comments_open=story.comments_open,
            comments_premoderate=story.comments_premoderate,
        )
        article_set_body(article=article, body=story_body(story))
        article.save()
        # Written when published, not when loaded: otherwise every demo page
        # says "Updated today". update() because auto_now overrides save().
        stamp = min(published_at, now) if published_at else now
        Article.objects.filter(pk=article.pk).update(created=stamp, updated=stamp)
        article.tags.set([tags[slug] for slug in story.tags])
        for position, slug in enumerate(story.authors):
            ArticleAuthor.objects.create(
                article=article, author=authors[slug], position=position
            )
        for position, (source, speaker, text) in enumerate(story.quotes):
            Quote.objects.create(
                article=article,
                position=position,
                text=text,
                source=sources[source],
                speaker=speaker,
            )
        report.add("articles", True)
    return report


# Comments ---------------------------------------------------------------------
# Plain data only: the command turns these into comments.Comment rows, because
# this module must not import the comments app.


@dataclass(frozen=True)
class DemoComment:
    key: str  # import_ref suffix: "demo:comment:<key>"
    story: int
    hours_after: float
    author_name: str
    author_email: str
    body: str
    status: str  # unchecked / held / approved / spam / removed
    hold_reason: str = ""
    hold_detail: str = ""
    verdict: str = ""  # ham / spam / discard / unchecked, as Akismet said
    event_kind: str = "verdict"
    event_from: str = "unchecked"
    event_reason: str = ""
    parent: str = ""
    author_url: str = ""
    discarded: bool = False
    by_moderator: bool = False
    ip: str = "192.0.2.10"


COMMENTS = [
    # A threaded, approved conversation on the ceasefire story.
    DemoComment(
        key="1",
        story=1,
        hours_after=2,
        author_name="Hannah Weber",
        author_email="hannah.weber@example.com",
        body="The prisoner exchange is the right place to start. It is concrete, "
        "it can be checked, and it matters to real families.\n\n"
        "Everything else can wait a week.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="2",
        story=1,
        hours_after=3.5,
        parent="1",
        author_name="Tomasz Nowak",
        author_email="t.nowak@example.org",
        body="Agreed, though the last exchange took four months to arrange. "
        "I hope they have learned something since then.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
        ip="198.51.100.23",
    ),
    DemoComment(
        key="3",
        story=1,
        hours_after=5,
        parent="2",
        author_name="Hannah Weber",
        author_email="hannah.weber@example.com",
        body="<blockquote>the last exchange took four months</blockquote>\n\n"
        "True, but that was with no mediator in the room at all.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="4",
        story=1,
        hours_after=7,
        author_name="Samir Haddad",
        author_email="samir@example.net",
        author_url="https://samir.example.net/",
        body="Good, sober report. More background on the earlier rounds here: "
        "https://www.example.com/background/ceasefire-timeline",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
        ip="203.0.113.7",
    ),
    DemoComment(
        key="5",
        story=1,
        hours_after=9,
        author_name="Pat Morgan",
        author_email="pat.morgan@example.com",
        body="Six hours of talks and not one detail released. Typical.",
        status="held",
        hold_reason="no_key",
        hold_detail="No Akismet key is configured; held for a moderator.",
        verdict="unchecked",
        event_kind="failure",
        event_reason="No Akismet key is configured",
    ),
    DemoComment(
        key="6",
        story=1,
        hours_after=10,
        author_name="Best Replica Watches",
        author_email="sales@replica-watches.example",
        author_url="https://replica-watches.example/",
        body="Luxury watches at 90% off!!! Visit our shop today, free shipping "
        "worldwide https://replica-watches.example/sale",
        status="spam",
        hold_reason="akismet_spam",
        verdict="spam",
        event_reason="Akismet: spam",
        ip="203.0.113.250",
    ),
    DemoComment(
        key="7",
        story=1,
        hours_after=11,
        author_name="Ines Carvalho",
        author_email="ines.carvalho@example.com",
        body="Does anyone know whether the talks will be broadcast at all?",
        status="unchecked",
        verdict="",
        event_kind="status",
        event_from="",
        event_reason="Submitted",
    ),
    # Business: links, discard and a removed comment.
    DemoComment(
        key="8",
        story=7,
        hours_after=1,
        author_name="Oliver Grant",
        author_email="oliver.grant@example.com",
        body="Two dissenting votes is the real story here. The <em>direction</em> "
        "is clear even if the timing is not.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="9",
        story=7,
        hours_after=2,
        author_name="Rita Mendes",
        author_email="rita.mendes@example.org",
        body="Compare the statements: https://www.example.com/statement-june "
        "https://www.example.com/statement-september "
        "https://www.example.com/statement-december",
        status="held",
        hold_reason="too_many_links",
        hold_detail="3 links (the limit is 2)",
        verdict="ham",
        event_reason="Akismet: ham, but held by a local rule: too many links",
        ip="198.51.100.61",
    ),
    DemoComment(
        key="10",
        story=7,
        hours_after=3,
        author_name="crypto profits",
        author_email="win@fast-money.example",
        author_url="https://fast-money.example/",
        body="Turn $100 into $10,000 in one week with our trading robot!!!",
        status="spam",
        hold_reason="akismet_discard",
        hold_detail="Akismet pro-tip: discard",
        verdict="discard",
        discarded=True,
        event_reason="Akismet: blatant spam (discard)",
        ip="203.0.113.251",
    ),
    DemoComment(
        key="11",
        story=7,
        hours_after=4,
        author_name="Angry Reader",
        author_email="angry.reader@example.net",
        body="Everyone at that bank should be locked up, starting with the "
        "governor and his whole family.",
        status="removed",
        hold_reason="moderator",
        hold_detail="Abusive: threatens named people",
        verdict="ham",
        event_kind="status",
        event_from="approved",
        event_reason="Removed by a moderator: abusive",
        by_moderator=True,
        ip="198.51.100.99",
    ),
    # The pre-moderated storm story.
    DemoComment(
        key="12",
        story=2,
        hours_after=1,
        author_name="Keiko Tanaka",
        author_email="keiko.tanaka@example.com",
        body="My parents live in one of the evacuation zones. They left this "
        "morning and are safe. Thank you for the clear reporting.",
        status="approved",
        verdict="ham",
        event_kind="status",
        event_from="held",
        event_reason="Approved by a moderator (pre-moderated article)",
        by_moderator=True,
    ),
    DemoComment(
        key="13",
        story=2,
        hours_after=2,
        author_name="Marco Bellini",
        author_email="marco.bellini@example.org",
        body="Where can people find the list of open shelters?",
        status="held",
        hold_reason="premoderated",
        hold_detail="Every comment on this article waits for a moderator.",
        verdict="ham",
        event_reason="Akismet: ham, but the article is pre-moderated",
    ),
    # Science: provisional, unreachable and could-not-check.
    DemoComment(
        key="14",
        story=13,
        hours_after=3,
        author_name="Dr. Ayesha Khan",
        author_email="a.khan@example.edu",
        body="Those ridges look a lot like the ones on Europa. Would love to see "
        "the spectra when they are released.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="15",
        story=13,
        hours_after=4,
        parent="14",
        author_name="Jonas Lindqvist",
        author_email="jonas.l@example.com",
        body="The team said the first spectra are due next month.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
        ip="198.51.100.40",
    ),
    DemoComment(
        key="16",
        story=13,
        hours_after=6,
        author_name="Lee Park",
        author_email="lee.park@example.net",
        body="Is there a higher-resolution version of the second image?",
        status="held",
        hold_reason="akismet_provisional",
        hold_detail="Provisional: Akismet asked to recheck in 10 minutes",
        verdict="ham",
        event_reason="Akismet: ham (provisional, recheck later)",
    ),
    DemoComment(
        key="17",
        story=14,
        hours_after=5,
        author_name="Grace Adeyemi",
        author_email="grace.adeyemi@example.com",
        body="Encouraging, but I would like to know how many reefs did not recover.",
        status="held",
        hold_reason="akismet_unreachable",
        hold_detail="Timed out after 2.0 s; next check in 5 minutes",
        verdict="unchecked",
        event_kind="failure",
        event_reason="Akismet could not be reached: timeout",
    ),
    DemoComment(
        key="18",
        story=15,
        hours_after=8,
        author_name="Nurse Practitioner",
        author_email="np.comments@example.org",
        body="We trialled something similar in our unit. The hard part is "
        "getting results to the right person quickly.",
        status="held",
        hold_reason="could_not_check",
        hold_detail="Akismet could not be reached for 15 days",
        verdict="unchecked",
        event_kind="failure",
        event_reason="Could not be checked; left for a moderator",
    ),
    # Culture: word rules, first-time commenter, honeypot.
    DemoComment(
        key="19",
        story=19,
        hours_after=2,
        author_name="Film Fan",
        author_email="filmfan@example.com",
        body="Saw it last night. Slow, yes, but the final ten minutes are "
        "unforgettable.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="20",
        story=19,
        hours_after=3,
        author_name="Sven Olsen",
        author_email="sven.olsen@example.net",
        body="Free tickets for tonight's screening if anyone wants them, just "
        "ask at the box office.",
        status="held",
        hold_reason="hold_word",
        hold_detail='Contains the hold word "free tickets"',
        verdict="ham",
        event_reason="Akismet: ham, but held by a local rule: hold word",
    ),
    DemoComment(
        key="21",
        story=21,
        hours_after=6,
        author_name="Clara Dubois",
        author_email="clara.dubois@example.com",
        body="My book club picked this in the spring. Delighted to see it win.",
        status="held",
        hold_reason="first_time",
        hold_detail="First comment from this address",
        verdict="ham",
        event_reason="Akismet: ham, but held: first-time commenter",
    ),
    DemoComment(
        key="22",
        story=21,
        hours_after=7,
        author_name="Bot",
        author_email="bot@bulk-mailer.example",
        body="Great article thanks for sharing",
        status="spam",
        hold_reason="honeypot",
        hold_detail="The hidden field was filled in",
        verdict="",
        event_kind="status",
        event_reason="Honeypot filled; not sent to Akismet",
        ip="203.0.113.252",
    ),
    # Sport: reported, block word, too fast, and an approved thread.
    DemoComment(
        key="23",
        story=25,
        hours_after=1,
        author_name="Ultra since 1998",
        author_email="ultra98@example.com",
        body="What a header. Best moment of the season so far.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="24",
        story=25,
        hours_after=1.5,
        parent="23",
        author_name="Neutral Observer",
        author_email="neutral@example.org",
        body="The keeper should have come for it, to be fair.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
        ip="198.51.100.12",
    ),
    DemoComment(
        key="25",
        story=25,
        hours_after=2,
        parent="24",
        author_name="Ultra since 1998",
        author_email="ultra98@example.com",
        body="Nobody was getting to that ball.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="26",
        story=25,
        hours_after=3,
        author_name="Away Fan",
        author_email="away.fan@example.net",
        body="The referee was bought, simple as that.",
        status="held",
        hold_reason="reported",
        hold_detail="reported 3× — abusive or hateful",
        verdict="ham",
        event_kind="report",
        event_from="approved",
        event_reason="Held after 3 reader reports",
        ip="198.51.100.77",
    ),
    DemoComment(
        key="27",
        story=27,
        hours_after=4,
        author_name="Cheap Pills",
        author_email="pills@pharma-spam.example",
        body="Buy cheap pills online without prescription.",
        status="spam",
        hold_reason="block_word",
        hold_detail='Contains the blocked word "without prescription"',
        verdict="",
        event_kind="status",
        event_reason="Blocked word; not sent to Akismet",
        ip="203.0.113.253",
    ),
    DemoComment(
        key="28",
        story=28,
        hours_after=2,
        author_name="Quick Poster",
        author_email="quick@example.com",
        body="first!!!",
        status="spam",
        hold_reason="too_fast",
        hold_detail="Posted 1 second after the form was shown",
        verdict="",
        event_kind="status",
        event_reason="Posted too fast; not sent to Akismet",
        ip="203.0.113.254",
    ),
    DemoComment(
        key="29",
        story=28,
        hours_after=3,
        author_name="Lifelong Supporter",
        author_email="lifelong@example.org",
        body="Nineteen years old and scores the winner against the holders. "
        "Remember the name.",
        status="approved",
        verdict="ham",
        event_reason="Akismet: ham",
    ),
    DemoComment(
        key="30",
        story=9,
        hours_after=5,
        author_name="Household Budget",
        author_email="budget@example.net",
        body="Tell that to my supermarket bill.",
        status="unchecked",
        verdict="",
        event_kind="status",
        event_from="",
        event_reason="Submitted",
        ip="198.51.100.150",
    ),
]
