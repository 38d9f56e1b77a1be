/* demo.c - the demo network (see demo.h): the fictional content of a
 * Sheffield network of peer support groups, a small seeded random number
 * generator, the plan of who belongs where (made in memory first, so the
 * same seed always gives the same plan), and the writing of that plan:
 * through the app API for what happens now, with plain parameterised
 * INSERTs for six months of history. */
#include "demo.h"
#include "demo_checkins.h"

#include "../base/arena.h"
#include "../base/ids.h"
#include "../base/rng.h"
#include "agenda.h"
#include "agreement.h"
#include "community.h"
#include "decision.h"
#include "group.h"
#include "meeting.h"
#include "membership.h"
#include "network.h"
#include "organisation.h"
#include "password.h"
#include "person.h"
#include "person_role.h"
#include "post.h"
#include "resource.h"
#include "schedule.h"
#include "settings.h"
#include "tag.h"
#include "value.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS (24LL * 60 * 60 * 1000)
#define HOUR_MS (60LL * 60 * 1000)
#define HISTORY_DAYS 182          /* six months of past meetings */
#define DEMO_PEOPLE 200
#define DEMO_WITHOUT_ACCOUNT 20
#define DEMO_ZONE "Europe/London"
#define EMAIL_DOMAIN "demo.hearth.example"
#define OCCURRENCES_MAX 64        /* weekly for six months is 27 */

const struct demo_login demo_logins[DEMO_LOGINS] = {
	{ "admin", "admin@" EMAIL_DOMAIN, "Alex (admin)" },
	{ "coordinator", "coordinator@" EMAIL_DOMAIN, "Jo (coordinator)" },
	{ "facilitator", "facilitator@" EMAIL_DOMAIN, "Helen" },
	{ "peer support worker", "peer-worker@" EMAIL_DOMAIN, "Marcus" },
	{ "member", "member@" EMAIL_DOMAIN, "Priya" },
};
enum { LOGIN_ADMIN, LOGIN_COORDINATOR, LOGIN_FACILITATOR, LOGIN_PEER_WORKER, LOGIN_MEMBER };


/* ---- the people's words ----------------------------------------------------- */

static const char *const women_names[] = {
	"Amira", "Bethany", "Chloe", "Danielle", "Ellie", "Fatima", "Gemma", "Hannah",
	"Imogen", "Jade", "Kirsty", "Leanne", "Maryam", "Niamh", "Olivia", "Paula",
	"Rachel", "Sadia", "Tasha", "Una", "Vicky", "Wendy", "Yasmin", "Zara", "Aisha",
	"Bev", "Carol", "Deb", "Eileen", "Fran", "Grace", "Hayley", "Irene", "Julie",
	"Kate", "Lorraine", "Mel", "Nicola", "Orla", "Pam", "Rosie", "Sue", "Tina", "Val",
	"Abi", "Shazia", "Ngozi", "Mei", "Agnieszka", "Hodan", "Siân", "Zoë", "Marie",
	"Lucy", "Sophie", "Ruth", "Jenny", "Karen", "Lisa", "Nasreen", "Precious",
	"Anya", "Bridget", "Connie", "Esther", "Farah", "Gill", "Joy",
};
static const char *const men_names[] = {
	"Aaron", "Ben", "Callum", "Dave", "Ethan", "Faisal", "Gary", "Harry", "Imran",
	"Jack", "Kieran", "Liam", "Mo", "Nathan", "Owen", "Paul", "Rob", "Steve", "Tariq",
	"Usman", "Vince", "Wayne", "Yusuf", "Zak", "Andy", "Barry", "Craig", "Darren",
	"Errol", "Frank", "Graham", "Hamza", "Ian", "Jamal", "Keith", "Lee", "Mick",
	"Neil", "Pete", "Ray", "Sean", "Tony", "Wes", "Kwame", "Tomasz", "Bilal",
	"Declan", "Jon", "Martin", "Stu", "Dev", "Olu",
};
static const char *const neutral_names[] = {
	"Alex", "Sam", "Charlie", "Jamie", "Robin", "Kit", "Ash", "River", "Rowan", "Sky",
	"Jordan", "Frankie", "Morgan", "Riley", "Quinn", "Jess", "Max", "Nico",
};
/* Names people chose for themselves: a pseudonym is always welcome. */
static const char *const pseudonyms[] = {
	"Kestrel", "Skylark", "Bramble", "Heron", "Moss", "Wren", "Juniper", "Pebble",
	"Nightowl", "Willow", "Magpie", "Fern", "Sparrow", "Blue", "Cedar", "Tealeaf",
	"Otter", "Clover", "Robin Redbreast", "Slow Walker", "Marmalade", "Starling",
};
static const char initials[] = "ABCDEFGHJKLMNPRSTW";

static const char *const access_needs_list[] = {
	"Uses a wheelchair: needs step-free access and an accessible toilet.",
	"Hard of hearing: please use the hearing loop and face me when speaking.",
	"Prefers a seat near the door, and may step out for a few minutes.",
	"Dyslexic: please read out anything that is written down.",
	"Has a guide dog.",
	"Finds loud rooms overwhelming; the quiet room helps.",
	"Uses a walking stick and needs a chair with arms.",
	"Needs large-print handouts.",
	"Finds mornings hard and may arrive late.",
	"Needs short breaks to manage chronic pain.",
};

/* What people are, as far as which groups they may choose goes. */
enum {
	P_WOMAN = 1 << 0,
	P_MAN = 1 << 1,
	P_YOUNG = 1 << 2,
	P_LGBTQ = 1 << 3,
	P_CARER = 1 << 4,
	P_BEREAVED = 1 << 5,
	P_VETERAN = 1 << 6,
	P_NEW_PARENT = 1 << 7,
	P_VOICES = 1 << 8,
	P_NO_ACCOUNT = 1 << 9,
	P_WORKER = 1 << 10,        /* one of the network's peer support workers */
};

/* ---- the network's organisations and tags ----------------------------------- */

static const struct organisation_input organisations[] = {
	{ "Steel City Peer Support",
	  "A Sheffield charity that hosts a network of peer-led community support groups, "
	  "trains peer facilitators and employs peer support workers. (Fictional: this is "
	  "the demo network.)",
	  "https://steelcity-peers.demo.hearth.example", true },
	{ "Heeley Women's Hub",
	  "A women's centre in Heeley with a women-only space, advice sessions and a crèche.",
	  "https://heeley-womens-hub.demo.hearth.example", false },
	{ "Sheffield Carers Network",
	  "Support, advice and short breaks for unpaid carers across the city.",
	  "https://carers-network.demo.hearth.example", false },
	{ "Hallam Bereavement Service",
	  "Bereavement support from trained workers and volunteers, for adults of any age.",
	  "https://hallam-bereavement.demo.hearth.example", false },
};
#define N_ORGANISATIONS (sizeof organisations / sizeof organisations[0])
enum { ORG_HOST, ORG_WOMENS_HUB, ORG_CARERS, ORG_BEREAVEMENT, ORG_NONE = -1 };

static const char *const tag_names[] = {
	"Mental health", "Women only", "Maternal mental health", "Men", "Carers",
	"Young adults", "LGBTQ+", "Hearing voices", "Creative", "Walking", "Online",
	"Peer-led", "Bereavement", "Anxiety", "Veterans", "Neurodivergent",
};
#define N_TAGS (sizeof tag_names / sizeof tag_names[0])

/* ---- the groups ------------------------------------------------------------- */

struct theme {
	const char *name;      /* for the closing record: "Sleep" */
	const char *note;      /* for the minutes */
};

struct group_spec {
	const char *name, *purpose, *who_for;
	const char *format, *access, *facilitation, *status;
	const char *venue_name, *venue_address, *venue_access;
	double latitude, longitude;          /* 0, 0: no venue */
	const char *online_link, *link_visibility;
	const char *rrule, *start_time;
	int started_days_ago;                /* negative: first meets in the future */
	int duration;
	int paused_days_ago;                 /* paused groups: last met this long ago */
	const char *tags[4];
	int partner;                         /* ORG_*, or ORG_NONE */
	unsigned eligible;                   /* P_* a member must have one of; 0: anyone */
	unsigned excluded;                   /* P_* a member must not have */
	int size;                            /* members wanted */
	struct theme themes[3];
	const char *actions[2];
};

enum {
	G_DROP_IN, G_WOMEN, G_MATERNAL, G_WALK, G_VOICES, G_WRITING, G_ONLINE, G_CARERS,
	G_YOUNG, G_RAINBOW, G_BEREAVEMENT, G_VETERANS, G_ANXIETY, G_NEURO, N_GROUPS
};

static const struct group_spec groups[N_GROUPS] = {
	[G_DROP_IN] = {
		"Thursday Drop-in",
		"A relaxed drop-in for anyone living with their mental health: come for a cup of tea "
		"and a chat with people who understand, stay as long as you like, and share only what "
		"you want to. Run by its members with peer facilitators.",
		"Adults (18 and over) living with any mental health difficulty. No referral or "
		"diagnosis needed: just turn up.",
		"in_person", "open", "peer_led", "active",
		"Lantern Community Centre", "42 Division Street, Sheffield S1 4GF",
		"Step-free entrance from Division Street and an accessible toilet on the ground floor. "
		"Hearing loop in the main room. A quiet room is free if things get too much. Nearest "
		"bus stop: West Street (routes 51 and 52); tram stop: West Street.",
		53.3796, -1.4788, NULL, "members",
		"FREQ=WEEKLY;BYDAY=TH", "14:00", 1400, 120, 0,
		{ "mental-health", "peer-led" }, ORG_NONE, 0, 0, 32,
		{ { "Finding the group", "how people first heard about the drop-in, and what made them come back." },
		  { "Good days", "each person named one thing that had gone well this week." },
		  { "Waiting lists", "waiting for talking therapies, and what helps while you wait." } },
		{ "Put the drop-in's leaflet up at the GP surgery on Division Street",
		  "Ask the centre about using the garden when the weather is warmer" },
	},
	[G_WOMEN] = {
		"Women's Circle",
		"A small, confidential circle where women support each other through anxiety, low "
		"mood, trauma and the everyday pressures of life. Members agree the ground rules "
		"together and take turns to open and close the circle.",
		"Women, including trans women, aged 18 and over. Ask to join, and a facilitator will "
		"get in touch for a short chat first.",
		"in_person", "approval", "co_facilitated", "active",
		"Heeley Women's Hub", "9 Gleadless Road, Sheffield S2 3AA",
		"Step-free, with an accessible toilet. The building is women-only on Tuesday mornings. "
		"A crèche can be arranged with a week's notice. Nearest bus stop: Heeley Bottom "
		"(routes 20 and 24).",
		53.3636, -1.4663, NULL, "members",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "10:30", 700, 120, 0,
		{ "women-only", "mental-health" }, ORG_WOMENS_HUB, P_WOMAN, 0, 18,
		{ { "Feeling safe", "what makes a space feel safe, and what we want to keep about this one." },
		  { "Confidence", "small brave things people did since the last circle." },
		  { "Being a carer as well", "the juggling many of us do for children and parents." } },
		{ "Find a women-only swimming session to try together",
		  "Ask the Hub about a self-defence taster session" },
	},
	[G_MATERNAL] = {
		"Bumps and Beyond",
		"Peer support for parents finding things hard with their mental health in pregnancy "
		"or the first two years after birth. Babies and toddlers are very welcome; nobody "
		"minds crying, from anyone.",
		"Mums and birthing parents who are pregnant or have a child under two.",
		"in_person", "open", "co_facilitated", "active",
		"Firth Park Family Centre", "Sicey Avenue, Firth Park, Sheffield S5 6NE",
		"Step-free with room for prams and buggies; baby-changing and a private feeding room. "
		"Nearest bus stop: Firth Park roundabout (routes 1, 1a and 75).",
		53.4138, -1.4437, NULL, "members",
		"FREQ=WEEKLY;BYDAY=WE", "10:00", 400, 90, 0,
		{ "maternal-mental-health", "mental-health" }, ORG_WOMENS_HUB, P_NEW_PARENT, 0, 13,
		{ { "Sleep deprivation", "surviving the nights, and asking for help without feeling a failure." },
		  { "Feeling judged", "advice from everyone, and trusting ourselves as parents." },
		  { "Going back to work", "nursery settling-in, and the mixed feelings that come with it." } },
		{ "Find out about the baby massage class at the family centre",
		  "Bring the perinatal mental health team's leaflet for new members" },
	},
	[G_WALK] = {
		"Men's Walk and Talk",
		"A weekly walk through Sheffield's parks for men who want to talk, or just walk "
		"alongside others who get it. No pressure to open up: the conversation happens side "
		"by side.",
		"Men aged 18 and over. The walk is about three miles at a gentle pace; a shorter, "
		"step-free loop is always offered.",
		"in_person", "open", "peer_led", "active",
		"Endcliffe Park café (meet at the entrance)", "Rustlings Road, Sheffield S11 7AB",
		"We meet outside the café, which has an accessible toilet. The short loop is flat and "
		"step-free; the long walk has some steep, muddy paths. Nearest bus stop: Rustlings "
		"Road (route 120 to Hunters Bar).",
		53.3680, -1.5014, NULL, "members",
		"FREQ=WEEKLY;BYDAY=SA", "10:00", 900, 120, 0,
		{ "men", "walking", "mental-health" }, ORG_NONE, P_MAN, 0, 18,
		{ { "Talking side by side", "why walking makes it easier to say things out loud." },
		  { "Work and money worries", "shifts, debts, and where to get free advice." },
		  { "Being a dad", "keeping going for the kids, and letting them see us struggle sometimes." } },
		{ "Plan the route for next month's long walk up to Forge Dam",
		  "Check the bus times to the start of the Rivelin Valley walk" },
	},
	[G_VOICES] = {
		"Hearing Voices Group",
		"A safe place to talk about hearing voices, seeing visions or other unusual "
		"experiences, in the Hearing Voices Network's way: every explanation is respected, "
		"and what is said in the group stays in the group.",
		"Adults who hear voices or have other unusual experiences. You do not need a diagnosis.",
		"in_person", "open", "peer_led", "active",
		"Broomhall Centre", "3 Broomhall Road, Sheffield S10 2DN",
		"Ground-floor room with step-free access and a hearing loop, and a quiet room next "
		"door. Nearest bus stop: Broomhall Street (route 52).",
		53.3762, -1.4892, NULL, "members",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "18:00", 1100, 90, 0,
		{ "hearing-voices", "mental-health", "peer-led" }, ORG_NONE, P_VOICES, 0, 12,
		{ { "Making sense of voices", "the different ways members understand their experiences." },
		  { "Coping with hard voices", "what helps when voices are loud or unkind: music, humming, talking back." },
		  { "Talking to professionals", "how to describe voices at appointments and be taken seriously." } },
		{ "Invite a speaker from the Hearing Voices Network",
		  "Share the list of coping strategies we made today" },
	},
	[G_WRITING] = {
		"Write Here: creative writing for wellbeing",
		"Writing together for wellbeing: a prompt, quiet time to write, and a chance to share "
		"if you want to. Poems, stories, letters, lists: any kind of writing, and no "
		"experience needed.",
		"Adults who would like to write as a way of looking after their mental health.",
		"in_person", "open", "peer_led", "active",
		"Surrey Street Library, community room", "Surrey Street, Sheffield S1 1XZ",
		"Lift to the first-floor community room; accessible toilets and a hearing loop. "
		"Paper, pens and large-print prompts provided. Nearest bus stop: Arundel Gate (many "
		"routes); tram stop: Cathedral.",
		53.3795, -1.4678, NULL, "members",
		"FREQ=MONTHLY;BYDAY=1TH", "18:30", 500, 120, 0,
		{ "creative", "mental-health", "peer-led" }, ORG_NONE, 0, 0, 16,
		{ { "A place I feel at home", "today's prompt; several people wrote about their grandparents' kitchens." },
		  { "Writing as a way of coping", "journals, unsent letters and lists of small joys." },
		  { "Sharing our work", "how it feels to read aloud, and that listening is enough too." } },
		{ "Collect pieces for the group's zine",
		  "Ask the library about displaying our poems in the foyer" },
	},
	[G_ONLINE] = {
		"Evening Online Peer Support",
		"An online group on Tuesday evenings for people who cannot get to a daytime group or "
		"find it easier to join from home. Cameras are optional, and you can take part by chat.",
		"Adults anywhere in Sheffield living with their mental health.",
		"online", "open", "peer_led", "active",
		NULL, NULL, NULL, 0, 0,
		"https://meet.demo.hearth.example/evening-peer-support", "members",
		"FREQ=WEEKLY;BYDAY=TU", "19:30", 1300, 75, 0,
		{ "online", "mental-health", "peer-led" }, ORG_NONE, 0, P_NO_ACCOUNT, 28,
		{ { "Evenings", "why evenings can be the hardest time, and winding down after the call." },
		  { "Screens and rest", "balancing being online with getting a proper break." },
		  { "Meeting in person", "whether to try a meet-up in town one weekend." } },
		{ "Test the new meeting link before next week",
		  "Find a café in town for an in-person meet-up" },
	},
	[G_CARERS] = {
		"Carers' Cuppa",
		"Support for unpaid carers of someone with a mental illness: time for yourself, a "
		"cuppa, and people who understand. Join in person or online.",
		"Anyone caring for a family member or friend who lives with a mental illness.",
		"hybrid", "open", "co_facilitated", "active",
		"Hillsborough Carers' Hub", "70 Middlewood Road, Sheffield S6 4HA",
		"Step-free entrance, accessible toilet and a hearing loop. Join online if you cannot "
		"leave the person you care for. Nearest tram stop: Hillsborough; buses 31 and 52 to "
		"Hillsborough Corner.",
		53.4040, -1.5005, "https://meet.demo.hearth.example/carers-cuppa", "signed_in",
		"FREQ=MONTHLY;BYDAY=-1FR", "13:00", 800, 120, 0,
		{ "carers", "online", "mental-health" }, ORG_CARERS, P_CARER, 0, 15,
		{ { "Respite", "getting a break, and what is on offer from the Carers Network." },
		  { "Carer's assessments", "how to ask for one, and what to say." },
		  { "Guilt", "feeling guilty for needing time off, and being told it is allowed." } },
		{ "Invite someone from the Carers Network to talk about assessments",
		  "Share the details of the carers' emergency card scheme" },
	},
	[G_YOUNG] = {
		"Next Steps (18 to 25)",
		"A young adults' group: peer support, practical help with college, work and "
		"housing, and the occasional pizza.",
		"Young adults aged 18 to 25.",
		"in_person", "open", "co_facilitated", "active",
		"The Hive Youth Space", "Green Lane, Kelham Island, Sheffield S3 8SE",
		"Step-free throughout with an accessible toilet, and a quiet chill-out room. Nearest "
		"tram stop: Shalesmoor; buses 7 and 8.",
		53.3885, -1.4745, NULL, "members",
		"FREQ=WEEKLY;BYDAY=WE", "17:30", 130, 90, 0,
		{ "young-adults", "mental-health" }, ORG_NONE, P_YOUNG, 0, 15,
		{ { "Exams and college", "deadlines, extensions, and asking tutors for support." },
		  { "Social media", "comparing ourselves online, and muting what does not help." },
		  { "Moving out", "renting for the first time, and where to get help with deposits." } },
		{ "Ask the college counselling service for leaflets",
		  "Plan the pizza night for the end of term" },
	},
	[G_RAINBOW] = {
		"Rainbow Peer Group",
		"Peer support for LGBTQ+ adults: a friendly space to talk about mental health, "
		"identity, family and community, with people who share the experience.",
		"LGBTQ+ adults (18 and over), and people who are questioning.",
		"in_person", "open", "peer_led", "active",
		"Unity Rooms", "18 Charter Square, Sheffield S1 4HS",
		"Step-free entrance, accessible and gender-neutral toilets, and a hearing loop. "
		"Nearest bus stop: Charter Row (routes 81 to 88).",
		53.3772, -1.4720, NULL, "members",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "19:00", 600, 120, 0,
		{ "lgbtq", "mental-health", "peer-led" }, ORG_NONE, P_LGBTQ, 0, 16,
		{ { "Coming out", "at work, to family, and the choice not to." },
		  { "Finding community", "queer spaces in Sheffield that are not only bars." },
		  { "Pride", "planning the group's stall, and how to take part without burning out." } },
		{ "Organise the rota for the group's Pride stall",
		  "Find out about the trans-led support group in Leeds for a member who asked" },
	},
	[G_BEREAVEMENT] = {
		"Bereavement Circle",
		"A monthly circle for people grieving someone close, whenever they died. Led by a "
		"trained bereavement worker, with members sharing the space.",
		"Adults who have lost someone close. New members join by invitation after a short "
		"call with the facilitator.",
		"in_person", "invite", "staff_led", "active",
		"St Mary's Church Hall", "South Road, Walkley, Sheffield S6 3TB",
		"Ramp at the side entrance and an accessible toilet. A quiet corner if you need a "
		"moment. Nearest bus stop: South Road (routes 31 and 95).",
		53.3928, -1.4987, NULL, "members",
		"FREQ=MONTHLY;BYDAY=2MO", "14:00", 1000, 90, 0,
		{ "bereavement" }, ORG_BEREAVEMENT, P_BEREAVED, 0, 10,
		{ { "Anniversaries", "getting through the dates that matter, and planning something gentle." },
		  { "Memories", "members brought a photo or an object and told its story." },
		  { "Grief and guilt", "the things we wish we had said, and being kind to ourselves." } },
		{ "Bring a photo or a memory to share next month",
		  "Find out about the Hallam Bereavement Service's remembrance evening" },
	},
	[G_VETERANS] = {
		"Veterans' Coffee Morning",
		"A coffee morning for veterans and their families: a brew, a chat and mutual support "
		"from people who have served.",
		"Anyone who has served in the armed forces, and their partners.",
		"in_person", "open", "peer_led", "paused",
		"Owlerton Community Café", "Penistone Road, Sheffield S6 2DE",
		"Step-free with an accessible toilet. Paused while the café is refurbished. Nearest "
		"bus stop: Owlerton Stadium (routes 57 and 86).",
		53.4080, -1.4997, NULL, "members",
		"FREQ=WEEKLY;BYDAY=FR", "10:00", 750, 90, 45,
		{ "veterans", "peer-led" }, ORG_NONE, P_VETERAN, 0, 10,
		{ { "Life after service", "routine, purpose, and missing the people more than the job." },
		  { "Getting help", "what the Armed Forces Covenant means at the council and the GP." },
		  { "Where to meet while the café is closed", "options for a temporary home." } },
		{ "Ask the Legion branch about borrowing their room",
		  "Share the details of the veterans' mental health service" },
	},
	[G_ANXIETY] = {
		"Calm Minds: anxiety support",
		"Peer support for living with anxiety and panic: sharing what helps, practising a "
		"calming technique together, and no pressure to speak.",
		"Adults living with anxiety, panic attacks or OCD.",
		"in_person", "open", "peer_led", "active",
		"Crookes Social Club, upstairs room", "Mulehouse Road, Crookes, Sheffield S10 1TD",
		"The upstairs room has a stairlift; tell us in advance and we will move downstairs. "
		"Hearing loop. Nearest bus stop: Crookes, Mulehouse Road (routes 51 and 52).",
		53.3867, -1.5103, NULL, "members",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "18:30", 160, 90, 0,
		{ "anxiety", "mental-health", "peer-led" }, ORG_NONE, 0, 0, 22,
		{ { "Panic attacks", "what they feel like from the inside, and what helps people through one." },
		  { "Breathing", "we practised four-seven-eight breathing together." },
		  { "Avoidance", "the places we have stopped going, and one small step back towards one." } },
		{ "Try the breathing exercise once a day until next time",
		  "Bring the NHS self-help booklet on panic for new members" },
	},
	[G_NEURO] = {
		"Neurodivergent Adults Peer Group",
		"A new peer group for autistic and ADHD adults, shaped by its members from the first "
		"meeting: what we meet about, how, and how often.",
		"Adults who are autistic, have ADHD, or think they might be; no diagnosis needed.",
		"in_person", "open", "co_facilitated", "forming",
		"Darnall Wellbeing Centre", "2 Main Road, Darnall, Sheffield S9 5HL",
		"Step-free, with low lighting, a quiet room and a sensory kit to borrow. Nearest bus "
		"stop: Darnall, Main Road (routes 52 and 73); tram stop: Darnall.",
		53.3848, -1.4128, NULL, "members",
		"FREQ=MONTHLY;BYDAY=3SA", "11:00", -9, 120, 0,
		{ "neurodivergent" }, ORG_NONE, 0, 0, 8,
		{ { NULL, NULL } }, { NULL, NULL },
	},
};

/* Said in most groups, beside each group's own. */
static const struct theme common_themes[] = {
	{ "Sleep", "what has helped: a wind-down routine, less screen time, and being kind to ourselves after a bad night." },
	{ "Getting out of the house", "small steps that worked, like a walk to the shop or sitting in the park." },
	{ "Loneliness at weekends", "ideas for the quiet days, and swapping numbers for a text on Sundays (only those who wanted to)." },
	{ "Benefits and assessments", "what helped people prepare; signposted to the welfare rights drop-in." },
	{ "Self-care plans", "what goes in a plan for a bad day; a few people will bring theirs next time." },
	{ "Setting boundaries", "saying no to family and friends without feeling guilty." },
	{ "Hope", "each person named one thing they are looking forward to." },
	{ "Ground rules", "we looked again at our group agreement and added a line about phones." },
	{ "Dealing with services", "waiting lists, and getting heard at appointments by writing things down first." },
	{ "The season", "dark evenings or long light ones, and how the weather changes how we feel." },
};

static const char *const common_actions[] = {
	"Bring details of the welfare rights drop-in",
	"Bring examples of self-care plans",
	"Ask the venue about the heating",
	"Update the group's noticeboard",
	"Send round the list of helplines",
	"Check whether the room is free over the bank holiday",
	"Look into a group trip in the summer",
	"Print more leaflets for the library and the GP surgery",
};

static const char *const check_ins[] = {
	"We went round the room: a mixed week for most, and a few good moments shared.",
	"Tea, biscuits and a round of how everyone's week had been. Several people said the "
	"group was the best part of their week.",
	"A quieter check-in today. People were tired, and that was fine.",
	"We started with one word each for how we were feeling, and came back to anyone who "
	"wanted more time.",
	"Check-in ran long because people had a lot to share; we agreed that is what the group "
	"is for.",
	"Some hard news for one member this week; the group gave them space and the "
	"facilitators checked in with them afterwards.",
};

static const char *const cancel_notices[] = {
	"Cancelled: the venue has a burst pipe. Sorry for the short notice; see you next time.",
	"Cancelled because both facilitators are unwell. Look after yourselves; we meet again "
	"next time as usual.",
	"Cancelled: the room is needed for polling day. Back to normal next time.",
	"Cancelled because of snow and ice. Please stay safe and warm.",
};

static const char bank_holiday_notice[] =
	"No meeting on the bank holiday. Have a gentle day, and see you next time.";

/* ---- the plan ----------------------------------------------------------------- */

struct planned_person {
	char name[48];
	const char *pronouns;
	const char *access_needs;
	unsigned flags;
	int n_groups;
	int64_t id;                  /* once written */
};

struct planned_member {
	int person;                  /* index into plan.people */
	enum member_role role;
	int64_t joined_at;
	int64_t left_at;             /* 0: still a member */
	double turnout;              /* how often they come */
	bool came_before;            /* present at an earlier meeting written so far */
};

struct planned_group {
	struct planned_member members[DEMO_PEOPLE];
	int n;
	int64_t id;
	int64_t started_at;          /* approximate: when its first meeting was */
	char schedule_start[32];     /* local "YYYY-MM-DDTHH:MM", as saved */
};

struct plan {
	uint64_t seed;
	int64_t now;
	int64_t history_from;        /* now - HISTORY_DAYS */
	char zone[64];
	char today[16];              /* local "YYYY-MM-DD" */
	struct planned_person people[DEMO_PEOPLE];
	struct planned_group groups[N_GROUPS];
	int64_t org_ids[N_ORGANISATIONS];
	struct actor coordinator;    /* who builds the network through the API */
	arena *a;
};

static bool name_taken(const struct plan *p, int upto, const char *name)
{
	for (int i = 0; i < upto; i++)
		if (!strcmp(p->people[i].name, name))
			return true;
	return false;
}

static const char *first_name(struct rng *r, unsigned flags)
{
	if (flags & P_WOMAN)
		return RNG_PICK(r, women_names);
	if (flags & P_MAN)
		return RNG_PICK(r, men_names);
	return RNG_PICK(r, neutral_names);
}

/* A first name, or a pseudonym, unique in the network: another name is
 * tried first, then an initial is added ("Sue B."). */
static void choose_name(struct plan *p, struct rng *r, int i, unsigned flags)
{
	struct planned_person *pp = &p->people[i];
	bool pseudonym = rng_chance(r, 0.12);
	const char *base = pseudonym ? RNG_PICK(r, pseudonyms) : first_name(r, flags);
	for (int tries = 0; tries < 6 && name_taken(p, i, base); tries++)
		base = pseudonym && tries < 3 ? RNG_PICK(r, pseudonyms) : first_name(r, flags);
	snprintf(pp->name, sizeof pp->name, "%s", base);
	int n_initials = (int)sizeof initials - 1, first = rng_below(r, n_initials);
	for (int tries = 0; name_taken(p, i, pp->name); tries++)
		if (tries < n_initials)
			snprintf(pp->name, sizeof pp->name, "%s %c.", base,
				 initials[(first + tries) % n_initials]);
		else
			snprintf(pp->name, sizeof pp->name, "%s %d", base, tries);
}

static const char *choose_pronouns(struct rng *r, unsigned flags)
{
	if (!(flags & (P_WOMAN | P_MAN)))
		return rng_chance(r, 0.8) ? "they/them" : NULL;
	if (!rng_chance(r, 0.4))
		return NULL;
	if (flags & P_WOMAN)
		return rng_chance(r, 0.85) ? "she/her" : "she/they";
	return rng_chance(r, 0.9) ? "he/him" : "he/they";
}

/* About half women, four in ten men, one in ten non-binary (counted as
 * LGBTQ+), and the experiences the special groups are for. */
static unsigned choose_flags(struct rng *r)
{
	double g = rng_unit(r);
	unsigned f = g < 0.47 ? P_WOMAN : g < 0.90 ? P_MAN : P_LGBTQ;
	if (rng_chance(r, 0.16)) f |= P_YOUNG;
	if (rng_chance(r, 0.11)) f |= P_LGBTQ;
	if (rng_chance(r, 0.13)) f |= P_CARER;
	if (rng_chance(r, 0.08)) f |= P_BEREAVED;
	if (rng_chance(r, (f & P_MAN) ? 0.11 : 0.02)) f |= P_VETERAN;
	if ((f & P_WOMAN) && rng_chance(r, 0.17)) f |= P_NEW_PARENT;
	if (rng_chance(r, 0.09)) f |= P_VOICES;
	return f;
}

static void plan_logins(struct plan *p)
{
	static const unsigned flags[DEMO_LOGINS] = { 0, P_WOMAN, P_WOMAN, P_MAN | P_WORKER, P_WOMAN };
	static const char *const pronouns[DEMO_LOGINS] = { NULL, "she/her", "she/her", "he/him", "she/her" };
	for (int i = 0; i < DEMO_LOGINS; i++) {
		snprintf(p->people[i].name, sizeof p->people[i].name, "%s", demo_logins[i].display_name);
		p->people[i].flags = flags[i];
		p->people[i].pronouns = pronouns[i];
	}
}

static void plan_people(struct plan *p, struct rng *r)
{
	plan_logins(p);
	for (int i = DEMO_LOGINS; i < DEMO_PEOPLE; i++) {
		struct planned_person *pp = &p->people[i];
		pp->flags = choose_flags(r);
		choose_name(p, r, i, pp->flags);
		pp->pronouns = choose_pronouns(r, pp->flags);
		pp->access_needs = rng_chance(r, 0.12) ? RNG_PICK(r, access_needs_list) : NULL;
	}
	/* Two more peer support workers beside the login: the first woman and
	 * the first man or non-binary person. */
	bool have_woman = false, have_other = false;
	for (int i = DEMO_LOGINS; i < DEMO_PEOPLE; i++) {
		struct planned_person *pp = &p->people[i];
		bool woman = pp->flags & P_WOMAN;
		if ((woman && !have_woman) || (!woman && !have_other)) {
			pp->flags |= P_WORKER;
			*(woman ? &have_woman : &have_other) = true;
		}
	}
	/* Twenty people have no account: a facilitator added them. */
	for (int n = 0; n < DEMO_WITHOUT_ACCOUNT;) {
		struct planned_person *pp = &p->people[DEMO_LOGINS + rng_below(r, DEMO_PEOPLE - DEMO_LOGINS)];
		if (!(pp->flags & (P_NO_ACCOUNT | P_WORKER))) {
			pp->flags |= P_NO_ACCOUNT;
			n++;
		}
	}
}

static bool is_member(const struct planned_group *g, int person)
{
	for (int i = 0; i < g->n; i++)
		if (g->members[i].person == person)
			return true;
	return false;
}

static void add_member(struct plan *p, int group, int person, enum member_role role)
{
	struct planned_group *g = &p->groups[group];
	if (is_member(g, person) || g->n >= DEMO_PEOPLE)
		return;
	g->members[g->n++] = (struct planned_member){ .person = person, .role = role };
	p->people[person].n_groups++;
}

static bool eligible(const struct plan *p, int group, int person)
{
	const struct group_spec *s = &groups[group];
	unsigned f = p->people[person].flags;
	if (person < DEMO_LOGINS)
		return false;   /* the logins' groups are chosen by hand */
	if (s->eligible && !(f & s->eligible))
		return false;
	return !(f & s->excluded);
}

struct candidate {
	int person;
	double score;              /* lower comes first */
};

static int by_score(const void *x, const void *y)
{
	const struct candidate *a = x, *b = y;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return a->person < b->person ? -1 : a->person > b->person;
}

/* Fills group up to its size from eligible people: mostly those in the
 * fewest groups, but with enough chance in it that some people belong to
 * two or three. */
static void fill_group(struct plan *p, struct rng *r, int group)
{
	struct candidate c[DEMO_PEOPLE];
	int n = 0;
	for (int i = 0; i < DEMO_PEOPLE; i++)
		if (eligible(p, group, i) && !is_member(&p->groups[group], i))
			c[n++] = (struct candidate){ i, p->people[i].n_groups + 1.4 * rng_unit(r) };
	qsort(c, (size_t)n, sizeof c[0], by_score);
	for (int i = 0; i < n && p->groups[group].n < groups[group].size; i++)
		if (p->people[c[i].person].n_groups < 3)
			add_member(p, group, c[i].person, ROLE_MEMBER);
}

/* Workers support groups that are not for their own experience, except
 * that a women's (or mothers') space needs a woman, and a men's a man. */
static bool worker_may_join(int group, unsigned flags)
{
	unsigned wanted = groups[group].eligible;
	if (wanted & (P_WOMAN | P_NEW_PARENT))
		return flags & P_WOMAN;
	if (wanted & P_MAN)
		return flags & P_MAN;
	return true;
}

/* A worker of the network joins group in role (a co-facilitated group's
 * peer support worker, a staff-led group's facilitator): the worker who may
 * join it and works with the fewest groups. */
static void add_worker(struct plan *p, int group, enum member_role role)
{
	for (int i = 0; i < p->groups[group].n; i++)
		if (p->groups[group].members[i].role == role)
			return;
	int best = -1;
	for (int i = DEMO_LOGINS; i < DEMO_PEOPLE; i++) {
		unsigned f = p->people[i].flags;
		if (!(f & P_WORKER) || !worker_may_join(group, f))
			continue;
		if (best < 0 || p->people[i].n_groups < p->people[best].n_groups)
			best = i;
	}
	if (best >= 0)
		add_member(p, group, best, role);
}

/* Facilitators come from the group's members with an account. */
static void choose_facilitators(struct plan *p, struct rng *r, int group)
{
	struct planned_group *g = &p->groups[group];
	int wanted = !strcmp(groups[group].facilitation, "peer_led") ? 2 : 1;
	for (int i = 0; i < g->n; i++)
		wanted -= g->members[i].role == ROLE_FACILITATOR;
	for (int tries = 0; wanted > 0 && tries < 200 && g->n > 0; tries++) {
		struct planned_member *m = &g->members[rng_below(r, g->n)];
		unsigned f = p->people[m->person].flags;
		if (m->role != ROLE_MEMBER || m->person < DEMO_LOGINS || (f & (P_NO_ACCOUNT | P_WORKER)))
			continue;
		m->role = ROLE_FACILITATOR;
		wanted--;
	}
}

static void plan_memberships(struct plan *p, struct rng *r)
{
	add_member(p, G_DROP_IN, LOGIN_FACILITATOR, ROLE_FACILITATOR);
	add_member(p, G_WOMEN, LOGIN_FACILITATOR, ROLE_FACILITATOR);
	add_member(p, G_WALK, LOGIN_PEER_WORKER, ROLE_PEER_WORKER);
	add_member(p, G_VOICES, LOGIN_PEER_WORKER, ROLE_PEER_WORKER);
	add_member(p, G_CARERS, LOGIN_PEER_WORKER, ROLE_PEER_WORKER);
	add_member(p, G_DROP_IN, LOGIN_MEMBER, ROLE_MEMBER);
	add_member(p, G_WRITING, LOGIN_MEMBER, ROLE_MEMBER);
	add_member(p, G_ONLINE, LOGIN_MEMBER, ROLE_MEMBER);
	for (int g = 0; g < N_GROUPS; g++) {
		if (!strcmp(groups[g].facilitation, "co_facilitated"))
			add_worker(p, g, ROLE_PEER_WORKER);
		if (!strcmp(groups[g].facilitation, "staff_led"))
			add_worker(p, g, ROLE_FACILITATOR);
	}
	/* Groups for a particular experience first, then the groups for anyone. */
	for (int pass = 0; pass < 2; pass++)
		for (int g = 0; g < N_GROUPS; g++)
			if ((groups[g].eligible != 0) == (pass == 0))
				fill_group(p, r, g);
	/* Everyone belongs somewhere: the rest go to a group open to anyone. */
	static const int open_to_all[] = { G_DROP_IN, G_ANXIETY, G_WRITING, G_ONLINE };
	for (int i = DEMO_LOGINS; i < DEMO_PEOPLE; i++)
		for (int tries = 0; p->people[i].n_groups == 0 && tries < 8; tries++) {
			int g = RNG_PICK(r, open_to_all);
			if (eligible(p, g, i))
				add_member(p, g, i, ROLE_MEMBER);
		}
	for (int g = 0; g < N_GROUPS; g++)
		choose_facilitators(p, r, g);
}

/* A moment on the same day as t (UTC) in the daytime, when people join. */
static int64_t daytime(struct rng *r, int64_t t)
{
	return t - t % DAY_MS + (9 + rng_below(r, 11)) * HOUR_MS + rng_below(r, 60) * 60000LL;
}

/* When each member joined (and for a few, left), and how often they come. */
static void plan_member_history(struct plan *p, int group, struct rng *r)
{
	const struct group_spec *s = &groups[group];
	struct planned_group *g = &p->groups[group];
	int64_t now = p->now, start = g->started_at;
	bool forming = s->started_days_ago < 0;
	int64_t latest_join = s->paused_days_ago ? now - (s->paused_days_ago + 14) * DAY_MS
						 : now - 10 * DAY_MS;
	for (int i = 0; i < g->n; i++) {
		struct planned_member *m = &g->members[i];
		bool manager = m->role != ROLE_MEMBER || m->person < DEMO_LOGINS;
		bool founder = manager || rng_chance(r, 0.6);
		if (forming)
			m->joined_at = rng_between(r, now - 35 * DAY_MS, now - DAY_MS);
		else if (founder && start < p->history_from)
			m->joined_at = rng_between(r, start, p->history_from - 7 * DAY_MS);
		else if (founder)
			m->joined_at = start - rng_between(r, DAY_MS, 10 * DAY_MS);
		else
			m->joined_at = rng_between(r, start > p->history_from ? start : p->history_from,
						   latest_join);
		m->joined_at = daytime(r, m->joined_at);
		if (m->joined_at > now - HOUR_MS)
			m->joined_at = now - HOUR_MS;
		m->turnout = m->role == ROLE_FACILITATOR ? 0.92
			   : m->role == ROLE_PEER_WORKER ? 0.8 : 0.35 + 0.5 * rng_unit(r);
		if (!manager && !forming && rng_chance(r, 0.07)) {
			int64_t from = m->joined_at + 30 * DAY_MS;
			if (from < p->history_from)
				from = p->history_from;
			if (from < now - 14 * DAY_MS)
				m->left_at = daytime(r, rng_between(r, from, now - 14 * DAY_MS));
		}
	}
}

/* ---- writing: small helpers ---------------------------------------------------- */

static int step_done(db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static int db_fail(db *d, herr *e, int rc, const char *what)
{
	return herr_set(e, rc < 0 ? rc : ERR_DB, NULL, "Could not %s: %s", what, db_errmsg(d));
}

/* Runs the bound statement st once and resets it; on failure e says
 * "Could not <what>". */
static int step_or_fail(db *d, db_stmt *st, const char *what, herr *e)
{
	int rc = step_done(st);
	return rc ? db_fail(d, e, rc, what) : 0;
}

/* Ends the write transaction the caller began: commits when rc is 0 (a
 * failed commit says "Could not <what>"), else rolls back. Returns rc, or
 * the commit's failure. */
static int end_write(db *d, int rc, const char *what, herr *e)
{
	if (!rc && (rc = db_commit(d)))
		rc = db_fail(d, e, rc, what);
	if (rc)
		db_rollback(d);
	return rc;
}

static void bind_id_or_null(db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int64(st, idx, id);
	else
		db_bind_null(st, idx);
}

static int64_t count_rows(db *d, const char *sql, int64_t arg)
{
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return -1;
	if (strchr(sql, '?'))
		db_bind_int64(st, 1, arg);
	int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
	db_reset(st);
	return n;
}

/* Local "YYYY-MM-DD" of a moment, in the network's zone. */
static void local_date(const struct plan *p, int64_t ms, char out[16])
{
	if (schedule_format_local(ms, p->zone, "%Y-%m-%d", out, 16))
		snprintf(out, 16, "2000-01-01");
}

static const char *person_name(const struct plan *p, int person)
{
	return p->people[person].name;
}

/* ---- writing: the network ------------------------------------------------------- */

static int write_logins(db *d, struct plan *p, const struct demo_options *opt, herr *e)
{
	for (int i = 0; i < DEMO_LOGINS; i++) {
		struct person_new in = {
			.email = demo_logins[i].email, .display_name = demo_logins[i].display_name,
			.pronouns = p->people[i].pronouns, .password = opt->passwords[i],
			.is_admin = i == LOGIN_ADMIN,
		};
		int rc = person_create(d, p->a, &in, &p->people[i].id, e);
		if (rc)
			return rc;
	}
	int rc = db_begin_write(d);
	if (!rc) rc = person_role_grant(d, p->people[LOGIN_COORDINATOR].id, "coordinator", e);
	if (!rc) rc = settings_set(d, "time_zone", DEMO_ZONE);
	if (!rc) rc = db_commit(d);
	if (rc) {
		db_rollback(d);
		return e->code ? e->code : db_fail(d, e, rc, "give the coordinator their role");
	}
	p->coordinator = (struct actor){ .person_id = p->people[LOGIN_COORDINATOR].id,
					 .is_coordinator = true };
	return 0;
}

static int write_organisations_and_tags(db *d, struct plan *p, herr *e)
{
	int rc = db_begin_write(d);
	if (rc)
		return db_fail(d, e, rc, "start saving the organisations");
	for (size_t i = 0; !rc && i < N_ORGANISATIONS; i++)
		rc = organisation_create(d, &p->coordinator, &organisations[i], &p->org_ids[i], e);
	for (size_t i = 0; !rc && i < N_TAGS; i++)
		rc = tag_create(d, p->a, &p->coordinator, tag_names[i], NULL, e);
	return end_write(d, rc, "save the organisations and tags", e);
}

/* "firstname.N@demo.hearth.example": letters of the name, lower-cased. */
static const char *email_of(struct plan *p, int person)
{
	char local[32];
	size_t k = 0;
	for (const char *c = p->people[person].name; *c && k < 16; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))
			local[k++] = (char)(*c | 0x20);
	local[k] = '\0';
	return arena_printf(p->a, "%s.%d@" EMAIL_DOMAIN, k ? local : "member", person);
}

/* The earliest a person joined any group: their account is as old. */
static int64_t first_joined(const struct plan *p, int person)
{
	int64_t first = p->now;
	for (int g = 0; g < N_GROUPS; g++)
		for (int i = 0; i < p->groups[g].n; i++)
			if (p->groups[g].members[i].person == person &&
			    p->groups[g].members[i].joined_at < first)
				first = p->groups[g].members[i].joined_at;
	return first;
}

/* People with accounts other than the logins. They are written directly:
 * hashing a password for each of ~180 people would take a quarter of a
 * minute, and nobody knows their passwords anyway (a password_hash of NULL
 * cannot be logged in with; they would set one through a reset). */
static int write_account_holders(db *d, struct plan *p, herr *e)
{
	int rc = db_begin_write(d);
	if (rc)
		return db_fail(d, e, rc, "start saving the people");
	for (int i = DEMO_LOGINS; !rc && i < DEMO_PEOPLE; i++) {
		struct planned_person *pp = &p->people[i];
		if (pp->flags & P_NO_ACCOUNT)
			continue;
		if ((rc = person_check_display_name(pp->name, e)) ||
		    (rc = person_check_pronouns(pp->pronouns, e)) ||
		    (rc = person_check_access_needs(pp->access_needs, e)))
			break;
		db_stmt *st = db_prepare(d,
			"INSERT INTO person (id, email, display_name, pronouns, access_needs, "
			"is_admin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
		if (!st) {
			rc = db_fail(d, e, ERR_DB, "save the people");
			break;
		}
		int64_t id = id_new(), since = first_joined(p, i);
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, email_of(p, i));
		db_bind_text(st, 3, pp->name);
		db_bind_text(st, 4, pp->pronouns);
		db_bind_text(st, 5, pp->access_needs);
		db_bind_int64(st, 6, since);
		db_bind_int64(st, 7, since);
		rc = step_or_fail(d, st, "save the people", e);
		pp->id = id;
	}
	return end_write(d, rc, "save the people", e);
}

static struct group_input group_input_of(struct plan *p, int group)
{
	const struct group_spec *s = &groups[group];
	size_t n_tags = 0;
	while (n_tags < 4 && s->tags[n_tags])
		n_tags++;
	char start_date[16];
	local_date(p, p->now - (int64_t)s->started_days_ago * DAY_MS, start_date);
	int64_t *partner = arena_alloc(p->a, sizeof *partner);
	if (partner && s->partner != ORG_NONE)
		*partner = p->org_ids[s->partner];
	bool venue = s->venue_name != NULL;
	snprintf(p->groups[group].schedule_start, sizeof p->groups[group].schedule_start, "%sT%s",
		 start_date, s->start_time);
	return (struct group_input){
		.name = s->name, .purpose = s->purpose, .who_for = s->who_for,
		.format = s->format, .access = s->access, .facilitation = s->facilitation,
		.status = s->status,
		.venue_name = s->venue_name ? s->venue_name : "",
		.venue_address = s->venue_address ? s->venue_address : "",
		.venue_access = s->venue_access ? s->venue_access : "",
		.has_latitude = venue, .has_longitude = venue,
		.latitude = s->latitude, .longitude = s->longitude,
		.online_link = s->online_link ? s->online_link : "",
		.link_visibility = s->link_visibility,
		.rrule = s->rrule,
		.schedule_start = p->groups[group].schedule_start,
		.duration_minutes = s->duration,
		.tags = s->tags, .n_tags = n_tags,
		.host_org_id = p->org_ids[ORG_HOST],
		.partner_ids = partner, .n_partners = partner && s->partner != ORG_NONE ? 1 : 0,
	};
}

/* The group's row says it has existed since its history began. */
static int backdate_group(db *d, const struct plan *p, int group, herr *e)
{
	db_stmt *st = db_prepare(d, "UPDATE peer_group SET created_at = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return db_fail(d, e, ERR_DB, "date the group");
	int64_t created = p->groups[group].started_at - 21 * DAY_MS;
	db_bind_int64(st, 1, created);
	db_bind_int64(st, 2, created > p->history_from ? created : p->history_from);
	db_bind_int64(st, 3, p->groups[group].id);
	return step_or_fail(d, st, "date the group", e);
}

/* The first facilitator (or peer support worker) of a group, as a person id. */
static int64_t first_manager(const struct plan *p, int group)
{
	const struct planned_group *g = &p->groups[group];
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < g->n; i++)
			if (g->members[i].role == (pass == 0 ? ROLE_FACILITATOR : ROLE_PEER_WORKER))
				return p->people[g->members[i].person].id;
	return p->coordinator.person_id;
}

/* People without an account are made by the facilitator of the first group
 * they came to, as a facilitator would ("Sam", no email). */
static int write_people_without_account(db *d, struct plan *p, int group, herr *e)
{
	struct planned_group *g = &p->groups[group];
	int64_t added_by = first_manager(p, group);
	for (int i = 0; i < g->n; i++) {
		struct planned_person *pp = &p->people[g->members[i].person];
		if (pp->id)
			continue;
		int rc = person_create_without_account(d, pp->name, pp->pronouns, pp->access_needs,
						       added_by, &pp->id, e);
		if (rc)
			return rc;
	}
	return 0;
}

static int write_memberships(db *d, struct plan *p, int group, herr *e)
{
	struct planned_group *g = &p->groups[group];
	for (int i = 0; i < g->n; i++) {
		const struct planned_member *m = &g->members[i];
		db_stmt *st = db_prepare(d,
			"INSERT INTO membership (group_id, person_id, role, status, joined_at, "
			"created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
		if (!st)
			return db_fail(d, e, ERR_DB, "save the memberships");
		db_bind_int64(st, 1, g->id);
		db_bind_int64(st, 2, p->people[m->person].id);
		db_bind_text(st, 3, member_role_name(m->role));
		db_bind_text(st, 4, m->left_at ? "left" : "active");
		db_bind_int64(st, 5, m->joined_at);
		db_bind_int64(st, 6, m->joined_at);
		db_bind_int64(st, 7, m->left_at ? m->left_at : m->joined_at);
		int rc = step_or_fail(d, st, "save the memberships", e);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- writing: one past meeting --------------------------------------------------- */

enum { MAX_ROLES = 3 };
static const char *const role_names[MAX_ROLES] = { "welcomer", "note-taker", "timekeeper" };

/* What happened at one meeting, decided before anything is written. */
struct held_meeting {
	int64_t id;
	const struct occurrence *o;
	bool closed;                     /* false: the facilitator has not closed it yet */
	int status[DEMO_PEOPLE];         /* per member index: 0 not expected, 1 present, 2 apologies, 3 absent */
	bool newcomer[DEMO_PEOPLE];
	int present, apologies, newcomers;
	int facilitators[2], n_facilitators;
	int role_holder[MAX_ROLES];      /* member index, or -1 */
	const struct theme *themes[2];
};

static void decide_attendance(struct plan *p, int group, struct rng *r, struct held_meeting *h)
{
	struct planned_group *g = &p->groups[group];
	for (int i = 0; i < g->n; i++) {
		struct planned_member *m = &g->members[i];
		h->status[i] = 0;
		if (m->joined_at > h->o->starts_at || (m->left_at && m->left_at <= h->o->starts_at))
			continue;
		/* Someone who has just joined usually comes to try it. */
		bool new_joiner = !m->came_before && m->joined_at > p->history_from &&
				  h->o->starts_at - m->joined_at < 21 * DAY_MS;
		if (rng_chance(r, new_joiner ? 0.85 : m->turnout)) {
			h->status[i] = 1;
			h->newcomer[i] = !m->came_before && m->joined_at > p->history_from;
			h->present++;
			h->newcomers += h->newcomer[i];
		} else if (rng_chance(r, 0.5)) {
			h->status[i] = 2;
			h->apologies++;
		} else
			h->status[i] = 3;
	}
}

/* Managers who came facilitate; in peer-led groups members sometimes take
 * a turn, and when no manager came a member steps in. */
static void decide_facilitation(struct plan *p, int group, struct rng *r, struct held_meeting *h)
{
	struct planned_group *g = &p->groups[group];
	for (int i = 0; i < g->n && h->n_facilitators < 2; i++)
		if (h->status[i] == 1 && g->members[i].role != ROLE_MEMBER)
			h->facilitators[h->n_facilitators++] = i;
	bool member_turn = !strcmp(groups[group].facilitation, "peer_led") && rng_chance(r, 0.15);
	if ((h->n_facilitators == 0 || member_turn) && h->n_facilitators < 2 && h->present > 2) {
		for (int tries = 0; tries < 40; tries++) {
			int i = rng_below(r, g->n);
			if (h->status[i] == 1 && g->members[i].role == ROLE_MEMBER &&
			    !(p->people[g->members[i].person].flags & P_NO_ACCOUNT)) {
				h->facilitators[h->n_facilitators++] = i;
				break;
			}
		}
	}
}

static bool holds_a_part(const struct held_meeting *h, int i)
{
	for (int k = 0; k < h->n_facilitators; k++)
		if (h->facilitators[k] == i)
			return true;
	for (int k = 0; k < MAX_ROLES; k++)
		if (h->role_holder[k] == i)
			return true;
	return false;
}

/* Members take on more roles as the months go by (progress 0 to 1). */
static void decide_roles(struct plan *p, int group, struct rng *r, struct held_meeting *h,
			 double progress)
{
	struct planned_group *g = &p->groups[group];
	for (int k = 0; k < MAX_ROLES; k++) {
		h->role_holder[k] = -1;
		if (!rng_chance(r, 0.3 + 0.5 * progress) || h->present < 3)
			continue;
		for (int tries = 0; tries < 40; tries++) {
			int i = rng_below(r, g->n);
			if (h->status[i] == 1 && !holds_a_part(h, i)) {
				h->role_holder[k] = i;
				break;
			}
		}
	}
}

static const struct theme *common_theme(struct rng *r)
{
	return &common_themes[rng_below(r, (int)(sizeof common_themes / sizeof common_themes[0]))];
}

/* Two themes: usually one of the group's own and one that comes up anywhere. */
static void decide_themes(int group, struct rng *r, struct held_meeting *h)
{
	const struct group_spec *s = &groups[group];
	bool own = s->themes[0].name && rng_chance(r, 0.7);
	h->themes[0] = own ? &s->themes[rng_below(r, 3)] : common_theme(r);
	do
		h->themes[1] = common_theme(r);
	while (h->themes[1] == h->themes[0]);
}

static int insert_meeting(db *d, const struct plan *p, int group, const struct held_meeting *h,
			  const char *status, const char *notice, herr *e)
{
	db_stmt *st = db_prepare(d,
		"INSERT INTO meeting (id, group_id, occurrence_key, kind, status, starts_at, ends_at, "
		"notice, created_at, updated_at) VALUES (?, ?, ?, 'scheduled', ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(d, e, ERR_DB, "save a meeting");
	db_bind_int64(st, 1, h->id);
	db_bind_int64(st, 2, p->groups[group].id);
	db_bind_text(st, 3, h->o->key);
	db_bind_text(st, 4, status);
	db_bind_int64(st, 5, h->o->starts_at);
	db_bind_int64(st, 6, h->o->ends_at);
	db_bind_text(st, 7, notice);
	db_bind_int64(st, 8, h->o->starts_at - 28 * DAY_MS);
	db_bind_int64(st, 9, notice ? h->o->starts_at - 2 * DAY_MS : h->o->ends_at);
	return step_or_fail(d, st, "save a meeting", e);
}

static int insert_attendance(db *d, const struct plan *p, int group, const struct held_meeting *h,
			     int64_t recorded_by, herr *e)
{
	static const char *const statuses[] = { "", "present", "apologies", "absent" };
	const struct planned_group *g = &p->groups[group];
	for (int i = 0; i < g->n; i++) {
		if (!h->status[i])
			continue;
		db_stmt *st = db_prepare(d,
			"INSERT INTO attendance (meeting_id, person_id, status, newcomer, recorded_by, "
			"recorded_at) VALUES (?, ?, ?, ?, ?, ?)");
		if (!st)
			return db_fail(d, e, ERR_DB, "save the attendance");
		db_bind_int64(st, 1, h->id);
		db_bind_int64(st, 2, p->people[g->members[i].person].id);
		db_bind_text(st, 3, statuses[h->status[i]]);
		db_bind_bool(st, 4, h->newcomer[i]);
		bind_id_or_null(st, 5, recorded_by);
		db_bind_int64(st, 6, h->o->ends_at + HOUR_MS);
		int rc = step_or_fail(d, st, "save the attendance", e);
		if (rc)
			return rc;
	}
	return 0;
}

static int insert_parts(db *d, const struct plan *p, int group, const struct held_meeting *h,
			herr *e)
{
	const struct planned_group *g = &p->groups[group];
	for (int k = 0; k < h->n_facilitators; k++) {
		db_stmt *st = db_prepare(d,
			"INSERT INTO meeting_facilitator (meeting_id, person_id) VALUES (?, ?)");
		if (!st)
			return db_fail(d, e, ERR_DB, "save who facilitated");
		db_bind_int64(st, 1, h->id);
		db_bind_int64(st, 2, p->people[g->members[h->facilitators[k]].person].id);
		int rc = step_or_fail(d, st, "save who facilitated", e);
		if (rc)
			return rc;
	}
	for (int k = 0; k < MAX_ROLES; k++) {
		if (h->role_holder[k] < 0)
			continue;
		db_stmt *st = db_prepare(d,
			"INSERT INTO meeting_role (meeting_id, person_id, role) VALUES (?, ?, ?)");
		if (!st)
			return db_fail(d, e, ERR_DB, "save the roles taken");
		db_bind_int64(st, 1, h->id);
		db_bind_int64(st, 2, p->people[g->members[h->role_holder[k]].person].id);
		db_bind_text(st, 3, role_names[k]);
		int rc = step_or_fail(d, st, "save the roles taken", e);
		if (rc)
			return rc;
	}
	return 0;
}

struct agreed_action {
	const char *description;
	int owner;                   /* member index */
	char due[16];                /* local "YYYY-MM-DD" */
	int64_t due_ms;
	int64_t done_at;             /* 0: still open */
};

static int decide_actions(struct plan *p, int group, struct rng *r, const struct held_meeting *h,
			  struct agreed_action out[2])
{
	const struct group_spec *s = &groups[group];
	const struct planned_group *g = &p->groups[group];
	if (h->present < 2 || !rng_chance(r, 0.45))
		return 0;
	int n = rng_chance(r, 0.3) ? 2 : 1;
	for (int k = 0; k < n; k++) {
		struct agreed_action *a = &out[k];
		a->description = s->actions[k] && rng_chance(r, 0.6) ? s->actions[k] : RNG_PICK(r, common_actions);
		a->owner = -1;
		for (int tries = 0; tries < 40 && a->owner < 0; tries++) {
			int i = rng_below(r, g->n);
			if (h->status[i] == 1)
				a->owner = i;
		}
		if (a->owner < 0)
			a->owner = h->n_facilitators ? h->facilitators[0] : 0;
		int64_t due = h->o->starts_at + (rng_chance(r, 0.5) ? 7 : 14) * DAY_MS;
		local_date(p, due, a->due);
		a->due_ms = due;
		a->done_at = 0;
		if (strcmp(a->due, p->today) < 0 && rng_chance(r, 0.75)) {
			a->done_at = rng_between(r, h->o->ends_at + DAY_MS, due);
			if (a->done_at > p->now)
				a->done_at = p->now - HOUR_MS;
		}
	}
	if (n == 2 && out[0].description == out[1].description)
		n = 1;
	return n;
}

static int insert_actions(db *d, const struct plan *p, int group, const struct held_meeting *h,
			  const struct agreed_action *acts, int n, int64_t created_by, herr *e)
{
	const struct planned_group *g = &p->groups[group];
	for (int k = 0; k < n; k++) {
		db_stmt *st = db_prepare(d,
			"INSERT INTO action_item (id, group_id, meeting_id, description, owner_id, "
			"due_date, done_at, created_by, created_at, updated_at) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		if (!st)
			return db_fail(d, e, ERR_DB, "save the actions");
		int64_t created = h->o->ends_at + HOUR_MS;
		db_bind_int64(st, 1, id_new());
		db_bind_int64(st, 2, g->id);
		db_bind_int64(st, 3, h->id);
		db_bind_text(st, 4, acts[k].description);
		db_bind_int64(st, 5, p->people[g->members[acts[k].owner].person].id);
		db_bind_text(st, 6, acts[k].due);
		bind_id_or_null(st, 7, acts[k].done_at);
		bind_id_or_null(st, 8, created_by);
		db_bind_int64(st, 9, created);
		db_bind_int64(st, 10, acts[k].done_at ? acts[k].done_at : created);
		int rc = step_or_fail(d, st, "save the actions", e);
		if (rc)
			return rc;
	}
	return 0;
}

/* Appends printf-style text to out (size bytes, NUL-terminated). */
__attribute__((format(printf, 3, 4)))
static void append(char *out, size_t size, const char *fmt, ...)
{
	size_t used = strlen(out);
	if (used + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out + used, size - used, fmt, ap);
	va_end(ap);
}

/* The minutes a note-taker might write, in Markdown, in the arena. */
static const char *minutes_of(struct plan *p, int group, struct rng *r,
			      const struct held_meeting *h, const struct agreed_action *acts, int n_acts)
{
	const struct planned_group *g = &p->groups[group];
	char md[4096] = "";
	append(md, sizeof md, "**Came:** %d", h->present);
	if (h->newcomers)
		append(md, sizeof md, ", with %d new face%s (welcome!)", h->newcomers,
		       h->newcomers == 1 ? "" : "s");
	append(md, sizeof md, ". **Apologies:** %d.\n\n", h->apologies);
	if (h->n_facilitators) {
		append(md, sizeof md, "Facilitated by %s", person_name(p, g->members[h->facilitators[0]].person));
		if (h->n_facilitators > 1)
			append(md, sizeof md, " and %s", person_name(p, g->members[h->facilitators[1]].person));
		append(md, sizeof md, ".");
	}
	for (int k = 0; k < MAX_ROLES; k++)
		if (h->role_holder[k] >= 0)
			append(md, sizeof md, " %c%s: %s.", role_names[k][0] - 32, role_names[k] + 1,
			       person_name(p, g->members[h->role_holder[k]].person));
	append(md, sizeof md, "\n\n## Check-in\n\n%s\n\n## What we talked about\n\n", RNG_PICK(r, check_ins));
	for (int k = 0; k < 2; k++)
		append(md, sizeof md, "- **%s**: %s\n", h->themes[k]->name, h->themes[k]->note);
	append(md, sizeof md, "\n## Agreed\n\n");
	if (!n_acts)
		append(md, sizeof md, "Nothing new this time.\n");
	for (int k = 0; k < n_acts; k++) {
		char due[48];
		if (schedule_format_local(acts[k].due_ms, p->zone, "%A %-d %B", due, sizeof due))
			snprintf(due, sizeof due, "%s", acts[k].due);
		append(md, sizeof md, "- %s (%s, by %s)\n", acts[k].description,
		       person_name(p, g->members[acts[k].owner].person), due);
	}
	return arena_strdup(p->a, md);
}

/* The closing record, the minutes and who facilitated, for a meeting the
 * facilitator has closed. */
static int close_meeting(db *d, struct plan *p, int group, struct rng *r,
			 const struct held_meeting *h, const struct agreed_action *acts, int n_acts,
			 herr *e)
{
	const struct planned_group *g = &p->groups[group];
	bool with_minutes = rng_chance(r, 0.85);
	int writer = h->role_holder[1] >= 0 ? h->role_holder[1]
		   : h->n_facilitators ? h->facilitators[0] : -1;
	int64_t written = h->o->ends_at + rng_between(r, HOUR_MS, 30 * HOUR_MS);
	if (written > p->now)
		written = p->now;
	char themes[256];
	snprintf(themes, sizeof themes, "%s, %s", h->themes[0]->name, h->themes[1]->name);
	db_stmt *st = db_prepare(d,
		"UPDATE meeting SET facilitated_by_peer = ?, minutes_md = ?, minutes_updated_at = ?, "
		"minutes_by = ?, attendance_count = ?, themes = ?, closed_at = ?, updated_at = ? "
		"WHERE id = ?");
	if (!st)
		return db_fail(d, e, ERR_DB, "close a meeting");
	db_bind_int64(st, 1, strcmp(groups[group].facilitation, "staff_led") != 0);
	if (with_minutes) {
		db_bind_text(st, 2, minutes_of(p, group, r, h, acts, n_acts));
		db_bind_int64(st, 3, written);
		bind_id_or_null(st, 4, writer >= 0 ? p->people[g->members[writer].person].id : 0);
	} else {
		db_bind_null(st, 2);
		db_bind_null(st, 3);
		db_bind_null(st, 4);
	}
	db_bind_int64(st, 5, h->present);
	db_bind_text(st, 6, themes);
	db_bind_int64(st, 7, written);
	db_bind_int64(st, 8, written);
	db_bind_int64(st, 9, h->id);
	return step_or_fail(d, st, "close a meeting", e);
}

static bool is_bank_holiday(const char *key)
{
	const char *md = key + 5;   /* "MM-DD" of "YYYY-MM-DDTHH:MM" */
	return !strncmp(md, "12-25", 5) || !strncmp(md, "12-26", 5) || !strncmp(md, "01-01", 5);
}

/* One past occurrence of the schedule: cancelled, or held with everything
 * a facilitator records. The latest, if it was this week, is not closed
 * yet: its facilitator can still close it in the demo. */
static int write_past_meeting(db *d, struct plan *p, int group, struct rng *r,
			      const struct occurrence *o, double progress, bool latest, herr *e)
{
	struct held_meeting h;
	memset(&h, 0, sizeof h);
	h.id = id_new();
	h.o = o;
	bool cancel = rng_chance(r, 0.035);
	if (is_bank_holiday(o->key) || cancel)
		return insert_meeting(d, p, group, &h, "cancelled",
				      is_bank_holiday(o->key) ? bank_holiday_notice : RNG_PICK(r, cancel_notices), e);
	h.closed = !(latest && p->now - o->ends_at < 7 * DAY_MS);
	decide_attendance(p, group, r, &h);
	decide_facilitation(p, group, r, &h);
	decide_roles(p, group, r, &h, progress);
	decide_themes(group, r, &h);
	struct agreed_action acts[2];
	int n_acts = h.closed ? decide_actions(p, group, r, &h, acts) : 0;
	struct planned_group *g = &p->groups[group];
	int64_t recorder = h.n_facilitators ? p->people[g->members[h.facilitators[0]].person].id
					    : first_manager(p, group);
	int rc = insert_meeting(d, p, group, &h, h.closed ? "closed" : "scheduled", NULL, e);
	if (!rc) rc = insert_attendance(d, p, group, &h, recorder, e);
	if (!rc && h.closed) rc = insert_parts(d, p, group, &h, e);
	if (!rc && h.closed) rc = insert_actions(d, p, group, &h, acts, n_acts, recorder, e);
	if (!rc && h.closed) rc = close_meeting(d, p, group, r, &h, acts, n_acts, e);
	for (int i = 0; i < g->n; i++)
		if (h.status[i] == 1)
			g->members[i].came_before = true;
	return rc;
}

/* Six months of the group's meetings, from its schedule (a paused group's
 * stop when it paused; a forming group has none yet). */
static int write_history(db *d, struct plan *p, int group, herr *e)
{
	const struct group_spec *s = &groups[group];
	if (s->started_days_ago < 0)
		return 0;
	int64_t until = s->paused_days_ago ? p->now - (int64_t)s->paused_days_ago * DAY_MS
					   : p->now - (int64_t)s->duration * 60000;
	struct schedule sched = { s->rrule, p->groups[group].schedule_start, s->duration, p->zone };
	struct occurrence occ[OCCURRENCES_MAX];
	int n = schedule_expand(&sched, p->history_from, until, occ, OCCURRENCES_MAX, e);
	if (n < 0)
		return n;
	struct rng r = rng_seeded(p->seed, 300 + (uint64_t)group);
	int rc = 0;
	for (int i = 0; !rc && i < n; i++)
		rc = write_past_meeting(d, p, group, &r, &occ[i], n > 1 ? (double)i / (n - 1) : 1.0,
					i == n - 1, e);
	return rc;
}

/* ---- writing: what is coming up, through the API ---------------------------------- */

/* A cancelled walk, a one-off sharing evening, and apologies given in
 * advance, as a coordinator or facilitator would make them. */
static int write_coming_up(db *d, struct plan *p, int group, herr *e)
{
	int64_t id = p->groups[group].id;
	if (group == G_WALK) {
		struct meeting_summary *up;
		size_t n;
		int rc = meeting_list_upcoming(d, p->a, id, p->now, 3, &up, &n, e);
		if (rc || n < 2)
			return rc;
		return meeting_cancel(d, &p->coordinator, up[1].id,
				      "No walk this week: the park is closed for the half marathon. "
				      "See you the Saturday after.", e);
	}
	if (group == G_WRITING) {
		char date[16];
		local_date(p, p->now + 17 * DAY_MS, date);
		struct meeting_new in = {
			.date = date, .start_time = "18:30", .end_time = "20:30",
			.notice = "A sharing evening: read something you have written, or just "
				  "listen. Friends and family welcome.",
		};
		int64_t meeting_id;
		return meeting_add_one_off(d, &p->coordinator, id, &in, &meeting_id, e);
	}
	if (group == G_DROP_IN) {
		struct meeting_summary *up;
		size_t n;
		int rc = meeting_list_upcoming(d, p->a, id, p->now, 2, &up, &n, e);
		size_t next = 0;
		while (next < n && up[next].starts_at <= p->now)
			next++;   /* one in progress now takes no apologies */
		if (rc || next == n)
			return rc;
		struct attendance_in apologies[2];
		size_t k = 0;
		const struct planned_group *g = &p->groups[group];
		for (int i = g->n - 1; i >= 0 && k < 2; i--)
			if (!g->members[i].left_at && g->members[i].role == ROLE_MEMBER &&
			    g->members[i].person >= DEMO_LOGINS)
				apologies[k++] = (struct attendance_in){
					.person_id = p->people[g->members[i].person].id,
					.status = "apologies", .field = "attendance" };
		return k ? meeting_record_attendance(d, &p->coordinator, up[next].id, apologies, k, e) : 0;
	}
	return 0;
}

static int write_group(db *d, struct plan *p, int group, herr *e)
{
	struct group_input in = group_input_of(p, group);
	int rc = group_create(d, p->a, &p->coordinator, &in, &p->groups[group].id, e);
	if (rc)
		return rc;
	if ((rc = db_begin_write(d)))
		return db_fail(d, e, rc, "start saving the group's history");
	rc = backdate_group(d, p, group, e);
	if (!rc) rc = write_people_without_account(d, p, group, e);
	if (!rc) rc = write_memberships(d, p, group, e);
	if (!rc) rc = write_history(d, p, group, e);
	if (!rc) rc = meeting_ensure_scheduled(d, p->groups[group].id, false, e);
	if (!rc) rc = write_coming_up(d, p, group, e);
	return end_write(d, rc, "save the group's history", e);
}

/* The logins who belong to groups have had their accounts as long. */
static int backdate_logins(db *d, const struct plan *p, herr *e)
{
	int rc = db_begin_write(d);
	for (int i = 0; !rc && i < DEMO_LOGINS; i++) {
		if (!p->people[i].n_groups)
			continue;
		db_stmt *st = db_prepare(d, "UPDATE person SET created_at = ? WHERE id = ?");
		if (!st) {
			rc = ERR_DB;
			break;
		}
		db_bind_int64(st, 1, first_joined(p, i));
		db_bind_int64(st, 2, p->people[i].id);
		rc = step_done(st);
	}
	if (!rc)
		rc = db_commit(d);
	if (rc) {
		db_rollback(d);
		return db_fail(d, e, rc, "date the accounts");
	}
	return 0;
}

/* Requests waiting for the Women's Circle's facilitators (the member login
 * among them), made as the people themselves would. */
static int write_requests(db *d, struct plan *p, herr *e)
{
	static const char *const messages[] = {
		"Hi, I've been coming to the Thursday drop-in and Helen said this group might help too.",
		"I'm new to Sheffield and would like to meet other women. Is there space?",
		"",
	};
	int asking[3] = { LOGIN_MEMBER, -1, -1 }, n = 1;
	struct rng r = rng_seeded(p->seed, 999);
	for (int tries = 0; tries < 400 && n < 3; tries++) {
		int i = DEMO_LOGINS + rng_below(&r, DEMO_PEOPLE - DEMO_LOGINS);
		unsigned f = p->people[i].flags;
		if ((f & P_WOMAN) && !(f & (P_NO_ACCOUNT | P_WORKER)) && !is_member(&p->groups[G_WOMEN], i) &&
		    i != asking[1])
			asking[n++] = i;
	}
	for (int k = 0; k < n; k++) {
		struct actor who = { .person_id = p->people[asking[k]].id };
		enum member_status status;
		int rc = membership_join(d, p->a, p->groups[G_WOMEN].id, &who, messages[k], NULL,
					 &status, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- co-production: agreements, agendas, decisions, threads, community ---------- */

/* Everything here goes in through the app API, as the people themselves
 * would, stamped with the time the demo is built: the API writes no
 * history, and none is needed for these to look lived in. */

/* Up to max active members (role member, with an account) of group, as
 * person ids, in an order shuffled by r. */
static size_t pick_members(const struct plan *p, int group, struct rng *r, int64_t *out, size_t max)
{
	const struct planned_group *g = &p->groups[group];
	int64_t all[DEMO_PEOPLE];
	size_t n = 0;
	for (int i = 0; i < g->n; i++) {
		const struct planned_member *m = &g->members[i];
		if (!m->left_at && m->role == ROLE_MEMBER &&
		    !(p->people[m->person].flags & P_NO_ACCOUNT))
			all[n++] = p->people[m->person].id;
	}
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, (int)i);
		int64_t t = all[i - 1];
		all[i - 1] = all[j];
		all[j] = t;
	}
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof *out);
	return n;
}

static struct actor person_actor(int64_t id)
{
	return (struct actor){ .person_id = id };
}

static bool group_is_active(int group)
{
	return !strcmp(groups[group].status, "active");
}

static const char *const v2_rules[] = {
	"We start and finish on time, and anyone may leave early without explaining.",
	"We put phones on silent unless we are expecting an important call.",
	"We take turns to make the tea.",
};
static const char *const v3_rules[] = {
	"We check in with a word or two before we begin.",
	"We keep a quiet corner for anyone who needs a moment.",
	"We say when a topic is hard for us, and the group moves on kindly.",
};

/* The group's agreement: version 1 from the template, a member's change
 * ratified as version 2, and one open suggestion with some agreement. */
static int write_agreement(db *d, struct plan *p, int group, struct rng *r, herr *e)
{
	int64_t gid = p->groups[group].id;
	struct actor manager = person_actor(first_manager(p, group));
	int64_t who[8];
	size_t n = pick_members(p, group, r, who, 8);
	if (n < AGREEMENT_THRESHOLD_DEFAULT + 1)
		return 0;
	int rc = agreement_start(d, &manager, gid, e);
	if (rc)
		return rc;
	struct standing st;
	struct agreement cur;
	if ((rc = membership_standing(d, gid, &manager, &st, e)) ||
	    (rc = agreement_get(d, p->a, &st, &cur, e)))
		return rc;
	struct value *values;
	size_t n_values;
	if ((rc = value_list(d, p->a, &values, &n_values, e)))
		return rc;

	/* Version 2: one more ground rule and the first values adopted. */
	struct agreement_text t = cur.text;
	const char **rules = arena_alloc(p->a, (cur.text.n_rules + 2) * sizeof *rules);
	int64_t *vids = arena_alloc(p->a, 3 * sizeof *vids);
	if (!rules || !vids)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	memcpy(rules, cur.text.rules, cur.text.n_rules * sizeof *rules);
	t.rules = rules;
	t.n_rules = cur.text.n_rules < AGREEMENT_RULES_MAX ? cur.text.n_rules + 1 : cur.text.n_rules;
	rules[t.n_rules - 1] = v2_rules[rng_below(r, 3)];
	t.n_values = n_values < 2 ? n_values : 2;
	for (size_t i = 0; i < t.n_values; i++)
		vids[i] = values[i].id;
	t.value_ids = vids;
	struct actor author = person_actor(who[0]);
	int64_t sid, g_out;
	bool already;
	rc = agreement_suggest(d, &author, gid, &t,
			       "A few of us talked about this after the last meeting and thought it "
			       "should be written down.", &sid, e);
	for (size_t i = 0; !rc && i < AGREEMENT_THRESHOLD_DEFAULT; i++) {
		struct actor a = person_actor(who[i]);
		rc = agreement_agree(d, &a, sid, &g_out, &already, e);
	}
	int version;
	if (!rc) rc = agreement_ratify(d, &manager, sid, &g_out, &version, e);
	if (rc)
		return rc;

	/* An open suggestion on top of version 2, with some agreement. */
	struct agreement_text t3 = t;
	const char **rules3 = arena_alloc(p->a, (t.n_rules + 1) * sizeof *rules3);
	if (!rules3)
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	memcpy(rules3, t.rules, t.n_rules * sizeof *rules3);
	t3.rules = rules3;
	if (t3.n_rules < AGREEMENT_RULES_MAX)
		t3.n_rules++;
	rules3[t3.n_rules - 1] = v3_rules[rng_below(r, 3)];
	struct actor author3 = person_actor(who[n - 1]);
	rc = agreement_suggest(d, &author3, gid, &t3,
			       "Some newer members said the start of the meeting can feel abrupt.",
			       &sid, e);
	for (size_t i = 0; !rc && i < 2; i++) {
		struct actor a = person_actor(who[n - 1 - i]);
		rc = agreement_agree(d, &a, sid, &g_out, &already, e);
	}
	return rc;
}

static const char *const agenda_titles[][2] = {
	{ "Ideas for a summer outing", "It would be good to do something together outside the usual room." },
	{ "How we welcome new people", "A couple of people said the first visit felt a bit overwhelming." },
	{ "Changing the start time", "Some of us struggle to get here by the current time after work." },
	{ "Sharing what helps with sleep", "Several of us have had a hard few weeks with sleep." },
	{ "Fundraising for new materials", "We are running low on tea, paper and pens." },
	{ "Getting through the holidays", "It can be a lonely time; can we plan for it together?" },
};

/* Items members propose for the next two upcoming meetings, with support. */
static int write_agendas(db *d, struct plan *p, int group, struct rng *r, herr *e)
{
	struct meeting_summary *up;
	size_t n_up;
	int rc = meeting_list_upcoming(d, p->a, p->groups[group].id, p->now, 4, &up, &n_up, e);
	if (rc)
		return rc;
	int64_t who[8];
	size_t n = pick_members(p, group, r, who, 8);
	int done = 0;
	for (size_t m = 0; !rc && m < n_up && done < 2 && n >= 2; m++) {
		if (strcmp(up[m].status, "scheduled") || up[m].starts_at <= p->now)
			continue;
		int items = 2 - done + rng_below(r, 2);
		for (int k = 0; !rc && k < items; k++) {
			int which = rng_below(r, 6);
			struct actor proposer = person_actor(who[(size_t)k % n]);
			int64_t item;
			rc = agenda_propose(d, &proposer, up[m].id, agenda_titles[which][0],
					    agenda_titles[which][1], &item, e);
			int supporters = 1 + rng_below(r, (int)(n < 5 ? n : 5));
			for (int s = 0; !rc && s < supporters; s++) {
				struct actor a = person_actor(who[((size_t)k + 1 + (size_t)s) % n]);
				rc = agenda_support(d, &a, item, true, e);
			}
		}
		done++;
	}
	return rc;
}

/* An open proposal, a dot vote closed with an outcome, and an anonymous
 * sense check. */
/* person's ballot on decision, cast as they would cast it. */
static int vote_as(db *d, int64_t person, int64_t decision, const int *marks, size_t n_marks,
		   const char *reason, herr *e)
{
	struct actor a = person_actor(person);
	struct decision_ballot b = { .marks = marks, .n_marks = n_marks, .reason = reason };
	return decision_vote(d, &a, decision, &b, e);
}

static int write_decisions(db *d, struct plan *p, int group, struct rng *r, herr *e)
{
	int64_t gid = p->groups[group].id;
	struct actor manager = person_actor(first_manager(p, group));
	int64_t who[10];
	size_t n = pick_members(p, group, r, who, 10);
	if (n < 3)
		return 0;
	int64_t id;
	struct decision_new prop = {
		.kind = DECISION_PROPOSAL,
		.title = "Meet in the garden room over the summer",
		.description = "The garden room is free on our evening from June. It is step-free "
			       "and has more light; the kitchen is a little further away.",
		.block_needs_reason = true,
		.closes_at = p->now + 6 * DAY_MS,
	};
	int rc = decision_open(d, &manager, gid, &prop, &id, e);
	for (size_t i = 0; !rc && i < n - 1; i++) {
		int mark = rng_chance(r, 0.75) ? PROPOSAL_AGREE : rng_chance(r, 0.6) ? PROPOSAL_ABSTAIN
											   : PROPOSAL_DISAGREE;
		rc = vote_as(d, who[i], id, &mark, 1,
			     mark == PROPOSAL_DISAGREE ? "The walk from the bus stop is longer." : NULL, e);
	}
	if (rc)
		return rc;

	static const char *const outings[] = { "Botanical Gardens picnic", "Bowling", "Peak District walk",
					       "Museum visit" };
	struct decision_new dots = {
		.kind = DECISION_DOT_VOTE,
		.title = "Where shall we go for our outing?",
		.description = "Put your three dots on the ideas you like best.",
		.options = outings, .n_options = 4, .dots = DECISION_DOTS_DEFAULT,
		.closes_at = p->now + 3 * DAY_MS,
	};
	if ((rc = decision_open(d, &manager, gid, &dots, &id, e)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		int marks[4] = { 0 };
		for (int k = 0; k < DECISION_DOTS_DEFAULT; k++)
			marks[rng_chance(r, 0.5) ? 0 : rng_below(r, 4)]++;
		rc = vote_as(d, who[i], id, marks, 4, NULL, e);
	}
	if (!rc) rc = decision_close(d, &manager, id, e);
	if (!rc) rc = decision_set_outcome(d, &manager, id,
		"The Botanical Gardens came out on top. We will bring a picnic and meet at the "
		"main gate; anyone who needs a lift, say so at the next meeting.", NULL, e);
	if (rc)
		return rc;

	struct decision_new sense = {
		.kind = DECISION_SENSE_CHECK,
		.title = "How are the longer check-ins working for you?",
		.description = "We have tried longer check-ins for a month. Nobody will see who "
			       "answered what.",
		.anonymous = true,
		.closes_at = p->now + 10 * DAY_MS,
	};
	if ((rc = decision_open(d, &manager, gid, &sense, &id, e)))
		return rc;
	for (size_t i = 0; !rc && i < n; i += 1 + (size_t)rng_below(r, 2)) {
		int mark = rng_chance(r, 0.7) ? SENSE_HAPPY : rng_chance(r, 0.8) ? SENSE_CONCERNS : SENSE_CANT;
		rc = vote_as(d, who[i], id, &mark, 1, NULL, e);
	}
	return rc;
}

static const char *const replies[] = {
	"That sounds really familiar. Thank you for saying it.",
	"Something that helped me was writing it down before I went to bed.",
	"I'm glad you brought this up; I'd like to talk about it next time too.",
	"Same here. Happy to chat about it over a cup of tea on Thursday.",
	"I found the library's quiet room useful for that.",
};

/* An announcement, a discussion with replies, an ask and an offer of help. */
static int write_threads(db *d, struct plan *p, int group, struct rng *r, herr *e)
{
	int64_t gid = p->groups[group].id;
	struct actor manager = person_actor(first_manager(p, group));
	int64_t who[8];
	size_t n = pick_members(p, group, r, who, 8);
	if (n < 4)
		return 0;
	int64_t id, reply;
	int rc = post_create_thread(d, &manager, gid, "announcement", "Room change next month",
		"We are in the room on the first floor for the next few weeks while the usual one "
		"is decorated. There is a lift; ask at reception if you need a hand.", &id, e);
	if (rc)
		return rc;
	struct actor a0 = person_actor(who[0]), a1 = person_actor(who[1]);
	struct actor a2 = person_actor(who[2]), a3 = person_actor(who[3]);
	if ((rc = post_create_thread(d, &a0, gid, "discussion", "What gets you through a bad week?",
		"I've had a rough few days and I'd love to hear the small things that help "
		"other people.", &id, e)))
		return rc;
	int k = 2 + rng_below(r, 3);
	for (int i = 0; !rc && i < k; i++) {
		struct actor a = person_actor(who[1 + (size_t)i % (n - 1)]);
		rc = post_reply(d, &a, id, replies[(i + rng_below(r, 5)) % 5], &reply, e);
	}
	if (!rc) rc = post_create_thread(d, &a2, gid, "ask", "Help filling in a benefits form",
		"Does anyone know somewhere that helps with the PIP form? I keep putting it off.",
		&id, e);
	if (!rc) rc = post_reply(d, &a1, id,
		"The advice centre on the high street helped me. Have a look on the resources page.",
		&reply, e);
	if (!rc) rc = post_create_thread(d, &a3, gid, "offer", "Spare allotment veg",
		"I have more courgettes and beans than I can eat. I'll bring a bag to the next "
		"meeting; take what you like.", &id, e);
	return rc;
}

static const struct resource_input demo_resources[] = {
	{ "Sheffield Housing Advice Line", "housing-advice",
	  "Free advice on renting, repairs and threats of eviction.", "0114 496 0101", NULL,
	  "https://housing.example.org", "Monday to Friday, 9am to 5pm", "12 Market Street, Sheffield", 0 },
	{ "Benefits Help Desk", "benefits",
	  "Help with claims, forms and appeals, including PIP and Universal Credit.", "0114 496 0102",
	  "help@benefits.example.org", NULL, "Tuesdays and Thursdays, 10am to 3pm", "Central Library", 0 },
	{ "Steps to Work", "employment",
	  "One-to-one support back into work or volunteering, at your own pace.", NULL,
	  "hello@stepstowork.example.org", "https://stepstowork.example.org", "By appointment", NULL, 0 },
	{ "Open Studio", "arts", "A free drop-in art studio with materials provided.", NULL, NULL,
	  "https://openstudio.example.org", "Wednesdays, 1pm to 4pm", "The Old Print Works", 0 },
	{ "Walk and Talk Football", "sport", "Gentle walking football for all abilities.",
	  "0114 496 0105", NULL, NULL, "Saturdays, 10am", "Park Hill playing fields", 0 },
	{ "Night Line", "crisis-lines", "Someone to talk to through the night, every night.",
	  "0808 157 0106", NULL, NULL, "Every day, 6pm to 6am", NULL, 0 },
	{ "Community Pantry", "food", "Low-cost groceries for members; joining is free.", NULL,
	  "pantry@food.example.org", NULL, "Fridays, 11am to 2pm", "St Mary's Hall", 0 },
	{ "Debt Advice Sheffield", "debt", "Free, confidential help to deal with debts.",
	  "0114 496 0108", NULL, "https://debt.example.org", "Monday to Friday, 9am to 5pm", NULL, 0 },
	{ "Carers' Centre", "carers", "Advice, breaks and groups for unpaid carers.",
	  "0114 496 0109", "info@carers.example.org", NULL, "Monday to Friday, 9am to 4pm", NULL, 0 },
	{ "Rainbow Connect", "lgbtq", "Social groups and one-to-one support for LGBTQ+ people.", NULL,
	  "hi@rainbow.example.org", "https://rainbow.example.org", "Evenings, see website", NULL, 0 },
};

static int write_resources(db *d, struct plan *p, herr *e)
{
	for (size_t i = 0; i < sizeof demo_resources / sizeof *demo_resources; i++) {
		int64_t id;
		int rc = resource_create(d, &p->coordinator, &demo_resources[i], &id, e);
		if (rc)
			return rc;
	}
	return 0;
}

/* An upcoming event, two connections and signposting at recent meetings. */
static int write_community(db *d, struct plan *p, int group, struct rng *r, herr *e)
{
	int64_t gid = p->groups[group].id;
	struct actor manager = person_actor(first_manager(p, group));
	struct standing st;
	int rc = membership_standing(d, gid, &manager, &st, e);
	if (rc)
		return rc;
	char date[16];
	local_date(p, p->now + (int64_t)(8 + rng_below(r, 20)) * DAY_MS, date);
	struct community_event_input ev = {
		.title = "Summer picnic", .date = date, .time = "13:00",
		.place = "Botanical Gardens, main gate",
		.description = "Bring something to share if you can; there will be plenty.",
	};
	int64_t id;
	if ((rc = community_event_add(d, &st, manager.person_id, &ev, &id, e)))
		return rc;
	local_date(p, p->now - (int64_t)(5 + rng_below(r, 40)) * DAY_MS, date);
	struct community_connection_input c1 = {
		.organisation_id = p->org_ids[ORG_HOST], .kind = "joint_activity", .date = date,
		.note = "Shared a stall at the community open day.",
	};
	if ((rc = community_connection_add(d, &st, manager.person_id, &c1, &id, e)))
		return rc;
	local_date(p, p->now - (int64_t)(45 + rng_below(r, 60)) * DAY_MS, date);
	struct community_connection_input c2 = {
		.with = "Local library", .kind = "visit", .date = date,
		.note = "The librarian came to tell us about the reading group.",
	};
	if ((rc = community_connection_add(d, &st, manager.person_id, &c2, &id, e)))
		return rc;

	static const char *const slugs[] = { "housing-advice", "benefits", "food", "mental-health",
					     "debt", "crisis-lines" };
	db_stmt *q = db_prepare(d, "SELECT id FROM meeting WHERE group_id = ? AND starts_at < ? "
				   "AND status <> 'cancelled' ORDER BY starts_at DESC LIMIT 3");
	if (!q)
		return db_fail(d, e, ERR_DB, "read the group's meetings");
	db_bind_int64(q, 1, gid);
	db_bind_int64(q, 2, p->now);
	int64_t meetings[3];
	size_t n = 0;
	while (n < 3 && db_step(q) == DB_ROW)
		meetings[n++] = db_col_int64(q, 0);
	db_reset(q);
	for (size_t i = 0; !rc && i < n; i++) {
		struct signpost_input s = { .meeting_id = meetings[i],
			.category = slugs[rng_below(r, 6)], .count = 1 + rng_below(r, 3) };
		rc = community_signpost_add(d, &st, manager.person_id, &s, e);
	}
	return rc;
}

/* Groups with threads, decisions and community life. */
static const int lively[] = { G_DROP_IN, G_WOMEN, G_WALK, G_WRITING, G_ONLINE, G_CARERS };

static int write_coproduction(db *d, struct plan *p, herr *e)
{
	int rc = write_resources(d, p, e);
	for (int g = 0; !rc && g < N_GROUPS; g++) {
		if (!group_is_active(g))
			continue;
		struct rng r = rng_seeded(p->seed, 2000 + (uint64_t)g);
		rc = write_agreement(d, p, g, &r, e);
		if (!rc) rc = write_agendas(d, p, g, &r, e);
	}
	for (size_t i = 0; !rc && i < sizeof lively / sizeof *lively; i++) {
		int g = lively[i];
		struct rng r = rng_seeded(p->seed, 3000 + (uint64_t)g);
		rc = write_threads(d, p, g, &r, e);
		if (!rc && i < 3) rc = write_decisions(d, p, g, &r, e);
		if (!rc && i < 4) rc = write_community(d, p, g, &r, e);
	}
	return rc;
}

/* ---- the whole network ------------------------------------------------------------- */

static void summarise(db *d, int64_t now, struct demo_summary *s)
{
	s->organisations = count_rows(d, "SELECT COUNT(*) FROM organisation", 0);
	s->tags = count_rows(d, "SELECT COUNT(*) FROM tag", 0);
	s->groups = count_rows(d, "SELECT COUNT(*) FROM peer_group", 0);
	s->people = count_rows(d, "SELECT COUNT(*) FROM person", 0);
	s->people_without_account = count_rows(d, "SELECT COUNT(*) FROM person WHERE email IS NULL", 0);
	s->memberships = count_rows(d, "SELECT COUNT(*) FROM membership WHERE status = 'active'", 0);
	s->requests = count_rows(d, "SELECT COUNT(*) FROM membership WHERE status = 'requested'", 0);
	s->past_meetings = count_rows(d, "SELECT COUNT(*) FROM meeting WHERE starts_at < ?", now);
	s->cancelled_meetings = count_rows(d,
		"SELECT COUNT(*) FROM meeting WHERE starts_at < ? AND status = 'cancelled'", now);
	s->upcoming_meetings = count_rows(d, "SELECT COUNT(*) FROM meeting WHERE starts_at >= ?", now);
	s->attendance = count_rows(d, "SELECT COUNT(*) FROM attendance", 0);
	s->roles_taken = count_rows(d, "SELECT COUNT(*) FROM meeting_role", 0);
	s->minutes = count_rows(d, "SELECT COUNT(*) FROM meeting WHERE minutes_md IS NOT NULL", 0);
	s->actions = count_rows(d, "SELECT COUNT(*) FROM action_item", 0);
}

int demo_database_in_use(db *d, herr *e)
{
	int version = db_schema_version(d);
	if (version < 0)
		return herr_set(e, version, NULL, "Could not read the database: %s", db_errmsg(d));
	if (version == 0)
		return 0;
	int64_t people = count_rows(d, "SELECT COUNT(*) FROM person", 0);
	int64_t groups_n = version >= 2 ? count_rows(d, "SELECT COUNT(*) FROM peer_group", 0) : 0;
	if (people < 0 || groups_n < 0)
		return herr_set(e, ERR_DB, NULL, "Could not read the database: %s", db_errmsg(d));
	return people > 0 || groups_n > 0;
}

static void plan_network(struct plan *p)
{
	struct rng r = rng_seeded(p->seed, 1);
	plan_people(p, &r);
	plan_memberships(p, &r);
	for (int g = 0; g < N_GROUPS; g++) {
		struct rng gr = rng_seeded(p->seed, 100 + (uint64_t)g);
		p->groups[g].started_at = p->now - (int64_t)groups[g].started_days_ago * DAY_MS;
		plan_member_history(p, g, &gr);
	}
}

static int write_network(db *d, struct plan *p, const struct demo_options *opt, herr *e)
{
	int rc = write_logins(d, p, opt, e);
	if (!rc) rc = write_organisations_and_tags(d, p, e);
	if (!rc) rc = write_account_holders(d, p, e);
	for (int g = 0; !rc && g < N_GROUPS; g++)
		rc = write_group(d, p, g, e);
	if (!rc) rc = backdate_logins(d, p, e);
	if (!rc) rc = write_requests(d, p, e);
	if (!rc) rc = write_coproduction(d, p, e);
	return rc;
}

int demo_check_options(const struct demo_options *opt, herr *e)
{
	for (int i = 0; i < DEMO_LOGINS; i++) {
		int rc = password_check_rules(opt->passwords[i] ? opt->passwords[i] : "",
					      demo_logins[i].email, demo_logins[i].display_name,
					      "password", e);
		if (rc)
			return rc;
	}
	return 0;
}

int demo_build(db *d, const struct demo_options *opt, struct demo_summary *ret, herr *e)
{
	int rc = demo_check_options(opt, e);
	if (rc)
		return rc;
	rc = demo_database_in_use(d, e);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return herr_set(e, ERR_CONFLICT, NULL, "The database already holds people or groups; "
				"the demo network needs a fresh one.");
	struct plan *p = calloc(1, sizeof *p);
	arena *a = arena_new(64 * 1024);
	if (!p || !a) {
		free(p);
		arena_free(a);
		return herr_set(e, ERR_NOMEM, NULL, "Out of memory.");
	}
	p->a = a;
	p->seed = opt->seed;
	p->now = time_now_ms();
	p->history_from = p->now - HISTORY_DAYS * DAY_MS;
	snprintf(p->zone, sizeof p->zone, "%s", DEMO_ZONE);
	local_date(p, p->now, p->today);
	plan_network(p);
	rc = write_network(d, p, opt, e);
	if (!rc) rc = demo_checkins_build(d, p->seed, p->now, e);
	if (!rc) {
		memset(ret, 0, sizeof *ret);
		summarise(d, p->now, ret);
	}
	arena_free(a);
	free(p);
	return rc;
}
