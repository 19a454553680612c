"""Every sign cart recognises in a person's own words, as data (docs/clinical-basis.md section 4).

A concept has a name, a level, the line of docs/clinical-basis.md it comes from, the
vocabulary symptom it equals (``symptoms.VOCABULARY``; the triage rules then treat the words
exactly as that symptom chosen from the list), and patterns in a small grammar:

- ``"can't wake"``: words in this order. Small words in between are skipped ("can't wake
  him up"); ``~2`` allows up to two other words; ``a|b`` is either word; ``@name`` is a word
  class of ``lexicon.CLASSES``; a trailing ``?`` makes a word optional.
- ``"@lips + @blue"``: all parts within one clause, in any order, at most ``NEAR_WINDOW``
  words apart ("blue lips", "her lips look a bit blue").

Words are compared by stem (``lexicon.stem``), so every pattern covers its inflections, and
every negative form (can't, cant, cannot, can not, won't...) is ``@neg``. A concept whose
pattern holds ``@neg`` is a negative form that is a sign itself ("not waking", "hasn't
weed"): it always counts. Every name and alias of the vocabulary is also a pattern of the
concept that equals its symptom (``concept_for_symptom``), so the list and the words agree.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from cart_cli.levels import Level
from cart_cli.models import DEFAULT_FEVER_THRESHOLD_C
from cart_cli.thresholds import LOW_SYSTOLIC

NEAR_WINDOW = 6  # the parts of a "+" pattern lie at most this many words apart
NOT_A_SIGN = "not_a_sign"  # its words name no sign, and any sign found inside them is dropped

EMERGENCY, RED, AMBER = Level.EMERGENCY, Level.RED, Level.AMBER


class Concept(NamedTuple):  # a row of a constant table, never replaced: cheaper to define
    """One sign: its name, level, source line, vocabulary symptom, patterns, and plain words."""

    name: str
    level: Level
    source: str
    symptom: str | None  # the vocabulary symptom it equals, if there is one
    patterns: tuple[str, ...]
    label: str  # how the screen names it, e.g. "hard to wake"


def _c(name: str, level: Level, source: str, symptom: str | None, label: str, *patterns: str) -> Concept:
    return Concept(name, level, source, symptom, tuple(patterns), label)


S3E = "section 3 (emergency)"
S4E = "section 4 (emergency words)"
S4R = "section 4 (red words)"
S4A = "section 4 (amber words)"

# fmt: off
CONCEPTS: tuple[Concept, ...] = (
    # --- emergency: call the emergency number now (section 3, section 4) ---
    _c("seizure", EMERGENCY, f"{S3E}; {S4E}", "seizure", "a fit or seizure",
       "fit", "fitting", "seizure", "convulse", "having a fit", "jerk|jerking + eye|eyes + roll|rolled|rolling",
       "eyes roll|rolled|rolling back", "epileptic", "shaking all over + @neg respond|answer"),
    _c("unresponsive", EMERGENCY, f"{S3E}; {S4E}", "very hard to wake", "very hard to wake or not responding",
       "unconscious", "unresponsive", "unrousable", "unrouseable", "floppy", "@neg ~1 @wake", "@difficult to @wake", "@neg ~1 rouse", "@neg respond", "@neg answer", "@neg ~1 react", "no response", "@neg ~1 come round",
       "out cold", "lifeless"),
    _c("collapse", EMERGENCY, f"{S3E}; {S4E}", "collapse", "collapsed or fainted",
       "collapse", "fainted", "pass out", "passed out", "black out", "blackout", "blacked out",
       "keel over", "fall down unconscious", "hit the floor", "dropped to the floor", "went down"),
    _c("breathing_difficulty", EMERGENCY, f"{S3E}; {S4E}; T15", "breathless at rest",
       "struggling to breathe or breathless at rest",
       "@neg breath", "@neg ~1 @breath properly|normally|right", "struggle|struggling|fighting|battling ~1 @breath",
       "@breath + labored|laboured|struggling", "gasp", "gasping", "fight|fighting for breath|air", "breathless at|while|when rest|resting",
       "breathless + rest|resting|sitting|still|lying", "out of breath + rest|resting|sitting|still",
       "short of breath + rest|resting|sitting|still", "sob + rest|resting|sitting|still",
       "@breath + @tight", "stopped breathing", "@neg get air|breath", "blue + @breath", "turning blue + @breath",
       "barely|hardly breath|breathing", "breath|breathing + barely|hardly", "@breath + rasp|rasping|noisy|gurgling|grunting",
       "@neg sure ~3 @breath", "@neg ~1 tell|know|see|hear + @breath"),
    _c("cyanosis", EMERGENCY, "section 3 (blue or grey lips, tongue or skin); T19", "blue lips", "blue or grey lips, tongue or skin",
       "@lips + @blue", "@skin + @blue", "@face + @blue", "turning|turned|going|gone|went blue|gray|grey|purple",
       "cyanosed", "cyanotic", "blue|gray + around the mouth|lips"),
    _c("mottled_skin", EMERGENCY, "section 3 (mottled or ashen skin); T19", "mottled skin", "mottled or ashen skin",
       "mottled", "mottling", "ashen", "blotchy + pale|white|gray|blue|purple|skin|legs|arms", "marbled + skin|legs|arms",
       "deathly pale", "pale as a sheet", "white as a sheet", "gray skin", "pale and clammy", "clammy and pale"),
    _c("non_blanching_rash", EMERGENCY, "section 3 (a rash that does not fade under a glass); T21", "non-blanching rash",
       "a rash that does not fade under a glass",
       "@rash + @neg ~2 @fade", "non blanching", "nonblanching",
       "@rash + @neg ~2 go|went away + press|pressed|glass", "purple|dark red + spots|dots|pinpricks + @neg ~2 @fade",
       "petechial rash"),
    _c("stroke_signs", EMERGENCY, "section 3 (a drooping face or sudden weakness of one side); T20", "stroke signs",
       "a drooping face or sudden weakness of one side",
       "@face + @droop", "@droop + mouth|smile|eye|eyelid|side", "one side + @weak", "@weak + one side",
       "@neg ~2 lift + arm|arms|leg", "@neg ~2 move + arm|leg|side|hand", "arm|leg + suddenly|sudden + @weak",
       "sudden|suddenly + @weak + arm|leg|side", "smile + lopsided|wonky|uneven|crooked", "@face + wonky|crooked|lopsided|slipped",
       "@face + one side"),
    _c("airway_swelling", EMERGENCY, "section 3 (swelling of lips, tongue or throat); T15", "swollen tongue or throat",
       "swelling of the lips, tongue or throat, or a tight throat",
       "@lips + @swell", "@throat + @swell", "@throat + @tight", "@throat + @neg ~1 swallow",
       "@neg ~1 swallow", "anaphylaxis", "anaphylactic", "anaphylaxic", "tongue + thick|thicker",
       "throat closing", "throat + closing|closed|closes"),
    _c("choking", EMERGENCY, S4E, "choking", "choking", "choke", "choking", "choked", "stuck in + throat"),
    # --- red: altered mental state, speech and the rest of the nervous system (section 3, T19) ---
    _c("altered_mental_state", RED, "section 3 (altered mental state, at any time); T19", "confusion",
       "confused or not making sense",
       "confused", "muddled", "disoriented", "disorientated", "delirious", "delirium", "befuddled",
       "@neg ~1 make|making sense", "@neg ~2 @sense + out of", "talking|talk|speaking|say|saying + nonsense|gibberish|rubbish",
       "nonsense", "gibberish", "@neg ~1 know|knows|knew + where|who|what|day|me|us|year|date",
       "@neg ~1 recognise|recognize|recognising|recognizing",
       "@neg ~1 himself|herself|themselves|myself|yourself|themself", "acting|behaving + strange|strangely|weird|weirdly|odd|oddly|different|bizarre|bizarrely",
       "out of character", "away with the fairies", "@neg ~1 with it", "@neg all there", "spaced out", "vacant",
       "staring blankly", "agitated", "@neg ~1 follow|following + conversation|instructions",
       "mixed up", "all over the place", "lost track", "@neg ~1 understand|understanding",
       "forgetful", "forgetting", "wandering", "away with it", "zoned out", "glassy eyed", "dazed", "confus"),
    _c("drowsiness", RED, "section 3 (drowsiness, hard to rouse); section 4", "drowsiness", "drowsy or hard to rouse",
       "drowsy", "sleepy", "nod off", "nodding off", "dozing", "doze off", "doze", "dozy", "@neg ~1 stay|keep awake",
       "keeps falling asleep", "falling asleep", "fall asleep + keep|keeps|mid|talking", "sleeping all day",
       "sleep all|constantly", "@difficult to rouse", "groggy", "lethargic", "dopey", "half asleep", "out of it",
       "eyes closing", "zonked", "heavy eyed", "sleepier", "sleeping more"),
    _c("hallucinations", RED, "section 3 (seeing things that are not there); section 4", "hallucinations",
       "seeing or hearing things that are not there",
       "hallucinate", "seeing|see|sees|saw things", "hearing|hear|hears|heard voices|things", "seeing|see|sees|saw + @neg there",
       "seeing people", "seeing bugs|spiders|insects|animals"),
    _c("speech_problem", RED, "section 3 (a new speech problem, at any time); T19", "speech problems",
       "a speech problem",
       "@speech + @mixed", "@mixed + @speech", "@neg ~2 @speech", "@speech + @difficult", "@difficult ~1 @speech",
       "slur", "slurred", "slurring", "word finding", "@neg ~2 find|finding|get|getting + words|word", "find|finding + words|word", "words + @neg ~1 come|coming",
       "stutter|stuttering|stammering", "@neg ~2 get words out", "words come out wrong", "talking funny|strange|oddly|weird|slowly",
       "speech + slow|slower|slowed|funny|odd|strange|weird|thick", "aphasia", "lost + voice|words"),
    _c("handwriting_change", RED, "section 3 (trouble writing); T10", "writing problems", "a change in handwriting",
       "handwriting", "handwriting + changed|change|different|messy|shaky|wobbly|scrawl|scrawly|worse|illegible|weird|smaller|bigger|spidery",
       "writing + @difficult|changed|different|messy|shaky|wobbly|scrawl|worse|illegible|weird",
       "@neg ~2 write", "@difficult ~1 writing|write", "signature + changed|different|shaky|messy"),
    _c("tremor", RED, "section 3 (tremor); section 4", "tremor", "shaking or tremor",
       "tremor", "trembl", "twitch", "twitching", "shaky", "shaking", "shake", "jitter|jittery", "jerky|jerking|jerks",
       "quiver|quivering", "@neg stop shaking"),
    _c("unsteady", RED, "section 3 (trouble moving); section 4", "movement problems", "unsteady or weak",
       "unsteady", "wobbly", "off balance", "lost|losing|lose|loses + balance", "balance + off|bad|poor|gone|problem|problems", "clumsy",
       "staggering|stagger", "@neg ~2 walk|stand|straight", "legs + gave|giving|give way", "legs + weak|jelly|wobbly",
       "weak", "falling over", "keep|keeps falling", "tripping", "uncoordinated", "dropping things",
       "@difficult ~1 walking|walk|standing|stand"),
    _c("headache", RED, "section 3 (headache); section 4", "headache", "a headache",
       "headache", "head ache", "head + hurt|hurts|pain|pounding|throbbing|splitting|killing|sore|banging",
       "migraine", "sore head", "head is pounding"),
    _c("stiff_neck", RED, "section 4 (stiff neck)", "stiff neck", "a stiff neck",
       "neck + stiff|stiffness|rigid", "stiff neck", "neck stiff", "neck is stiff",
       "@neg ~2 bend|move|turn + neck|head|chin"),
    _c("light_sensitivity", RED, "section 4 (light hurting the eyes)", None, "light hurting the eyes",
       "light + hurt|hurts|hurting|sore|bother|bothers|painful + eye|eyes", "photophobia", "@neg ~1 bear|stand|tolerate + light",
       "sensitive to light", "light sensitive", "bright light + hurt|hurts|hurting"),
    _c("numbness", RED, "section 3 (numbness); section 4", "numbness", "numbness or tingling",
       "numb", "pins and needles", "tingling|tingle|tingly", "@neg ~1 feel + arm|leg|hand|hands|feet|foot|fingers|face|toes",
       "dead arm|leg|hand"),
    _c("blurred_vision", RED, "section 3 (blurred vision); section 4", "blurred vision", "blurred or double vision",
       "blurred|blurry|blurring|blury + vision|eyesight|sight|eyes", "double vision", "seeing double", "@neg ~2 see properly|clearly|straight",
       "vision + blurred|blurry|fuzzy|funny|strange|odd|gone|double|dim|dark", "@difficult ~1 seeing", "fuzzy vision|eyesight"),
    _c("dizziness", RED, "section 3 (dizziness); section 4", "dizziness", "dizzy or light-headed",
       "dizzy", "dizzi", "light headed", "lightheaded", "giddy", "vertigo", "room + spinning|spin", "woozy", "faint", "feeling faint",
       "head + spinning|swimming"),
    _c("low_blood_pressure", RED, f"section 3 (systolic {LOW_SYSTOLIC} or less); T6, T11", None, "low blood pressure",
       "low blood pressure", "blood pressure + low|dropped|dropping|falling|crashed|crashing", "bp + low|dropped|dropping|falling|crashed",
       "low bp", "hypotension", "hypotensive"),
    # --- red: infection and CRS (seed page: signs of infection; section 4) ---
    _c("fever", RED, f"seed: temperature {DEFAULT_FEVER_THRESHOLD_C:g} °C or above; section 4", "feeling feverish", "a fever or feeling hot",
       "fever", "febrile", "pyrexia", "pyrexial", "temperature", "temp", "hot", "burning up", "boiling", "roasting",
       "running a temperature|temp", "high temp|temperature", "sweats|sweating|sweaty + hot|night|fever|drenched",
       "night sweats", "flushed + hot", "hot and cold", "hot to touch|touch"),
    _c("shivering", RED, "seed: shivering; T19 (rigors)", "shivering", "shivering, chills or rigors",
       "shiver", "shivers", "shivery", "rigor", "rigors", "rigour", "rigours", "chill", "chills", "chilly",
       "teeth chattering", "chattering teeth", "@neg ~2 get|keep warm", "freezing + cold|@neg|shaking|hot", "shaking + cold|chills",
       "cold + shaking|shakes|shivers", "goose bumps|pimples + cold"),
    _c("cough", RED, "seed: cough", "cough", "a cough", "cough", "coughing", "hacking", "chesty"),
    _c("chest_pain", RED, "seed: chest pain; section 4", "chest pain", "chest pain or tightness",
       "@chest + pain|painful|hurt|hurts|hurting|ache|aching|sore|tight|tightness|pressure|heavy|heaviness|crushing|squeez|discomfort|burning|stabbing",
       "tight chest", "pain in + chest", "angina"),
    _c("breathlessness", RED, "seed: breathlessness; section 4", "breathlessness", "breathless",
       "breathless", "short of breath", "shortness of breath", "out of breath", "sob", "puffed out", "puffing",
       "panting", "winded", "@neg ~1 catch + breath", "@neg ~2 get + @breath", "@difficult ~1 @breath", "@breath + @difficult", "breath + short|shorter|shallow|fast|quick|rapid",
       "breathing + fast|quickly|quick|rapid|heavy|heavily|shallow|short",
       "dyspnoea", "dyspnea", "@neg ~1 @breath + properly|well", "breathing + funny|strange|odd|weird|noisy"),
    _c("wheeze", RED, "seed: breathlessness; T15 (wheeze)", "wheezing", "a wheeze", "wheeze", "wheezing", "wheezy", "whistling + @breath"),
    _c("rash", RED, "seed: allergic reaction (rash)", "rash", "a rash", "rash", "rashes", "spots", "red + skin|patches|blotches",
       "skin + red|blotchy|spotty|blotches|bumps|lumps|peeling|blistering", "blotchy", "blisters|blistering"),
    _c("hives", RED, "seed: allergic reaction (hives)", "hives", "hives or welts", "hives", "urticaria", "welts", "nettle rash", "wheals|weals"),
    _c("itching", RED, "seed: allergic reaction (itching)", "itching", "itching", "itch", "itchy", "itching", "scratching + all"),
    _c("swelling", RED, "seed: allergic reaction (swelling)", "swollen face", "swelling",
       "@face + @swell", "puffy + face|eyes", "swell", "swollen", "puffy", "puffed up"),
    _c("allergic_reaction", RED, "seed: allergic reaction", "allergic reaction", "an allergic reaction",
       "allergic", "allergy", "reaction + drug|medicine|tablet|infusion|antibiotic"),
    _c("vomiting", RED, "seed: being sick", "vomiting", "being sick",
       "vomit", "being sick", "been sick", "was sick", "is sick", "were sick", "got sick + up", "sick + twice|again|times|everywhere|once|bowl|bucket|up",
       "throwing up", "throw up", "threw up", "thrown up", "puke", "puking", "spewing", "hurl|hurling", "retching|heaving",
       "bring|bringing|brought + up", "@neg keep + down", "sicking up", "vomited", "emesis"),
    _c("fluids_not_kept_down", RED, "section 3 (not keeping fluids or medicines down); T22",
       "not keeping fluids down",
       "not keeping fluids or medicines down",
       "@neg ~2 keep|kept|keeping|hold|holding|stay|stays|staying + @fluids + down", "@difficult keep|keeping|holding + @fluids + down", "@fluids + @neg stay|stays|staying + down",
       "@fluids + straight back up", "@neg ~1 drink|drinking", "@neg ~2 keep|keeping + down", "sick after|every + drink|sip|sips|mouthful",
       "@neg eat|eating + or|nor drink|drinking", "@neg ~1 taking|take + fluids|drinks|anything|water"),
    _c("diarrhoea", RED, "seed: diarrhoea", "diarrhoea", "diarrhoea",
       "diarrhoea", "diarrhea", "the runs", "runny|watery|loose|liquid + @stool", "@stool + runny|watery|loose|liquid",
       "loose stool|stools", "squits", "trots", "running to the loo|toilet"),
    _c("blood_in_stool", RED, "seed: blood in stool; section 4 (black poo)", "blood in stool", "blood in poo or black poo",
       "@blood + @stool", "@stool + @blood", "@black + @stool", "@stool + @black", "tarry", "melaena", "melena",
       "rectal bleeding", "bleeding from + bottom|back passage|bum"),
    _c("blood_elsewhere", RED, "section 4 (blood in urine or vomit; bleeding)", "bleeding", "bleeding",
       "@blood + @urine", "@urine + @blood", "@urine + @red_colour", "@red_colour + @urine", "@blood + @vomit",
       "@vomit + @blood", "coffee grounds", "coughing up blood", "@blood + gums|mouth|cough|coughing|spit|spitting|phlegm",
       "bleed", "bleeding", "bleeds", "haemorrhage", "hemorrhage"),
    _c("nosebleed", RED, "section 4 (nosebleed)", "nosebleed", "a nosebleed",
       "nosebleed", "nose bleed", "nose + bleed|bleeding|blood|pouring"),
    _c("bruising", RED, "section 4 (bruising)", "bruising", "bruising",
       "bruise", "bruising", "bruised", "bruises", "petechiae", "tiny red|purple + spots|dots"),
    _c("no_urine", RED, "section 3 (no urine for 18 hours); T14, T19", "no urine", "no wee (urine)",
       "@neg ~1 @urine", "@neg passed|pass|passing + urine|water", "dry nappy|nappies|pad",
       "@urine + hardly|barely|little|tiny|trickle|drops|drop", "hardly|barely + @urine", "anuria", "anuric"),
    _c("dark_urine", RED, "section 4 (dark wee)", None, "dark wee",
       "@black + @urine", "@urine + @black", "urine + concentrated"),
    _c("urine_pain", RED, "seed: pain passing urine", "pain passing urine", "pain or burning when weeing",
       "@urine + burn|burning|burns|sting|stinging|stings|pain|painful|hurts|hurt", "burning|stinging|pain|hurts + when|on + @urine",
       "dysuria", "cystitis", "uti", "water infection"),
    _c("smelly_urine", RED, "seed: smelly urine", "smelly urine", "smelly wee",
       "@urine + smell|smells|smelly|stink|stinks|stinky|foul|cloudy", "smelly|cloudy + @urine"),
    _c("tummy_pain", RED, "seed: tummy pain", "tummy pain", "tummy pain",
       "tummy|stomach|belly|abdomen|abdominal|abdo|gut + pain|ache|aching|hurt|hurts|hurting|cramp|cramps|cramping|sore|agony",
       "tummy ache", "stomach ache", "bellyache", "stomachache", "tummyache", "pain in + tummy|stomach|belly"),
    _c("line_problem", RED, "seed: redness, pain or discharge at the central line", "central line redness",
       "redness, pain or discharge at the line",
       "line|picc|hickman|portacath|port|cannula + red|redness|sore|pain|painful|hurts|ooz|oozing|leak|leaking|discharge|pus|swollen|hot|weeping|infected|gunk",
       "red|sore|pain|ooz|oozing|pus|discharge + around|at|from + line|picc|hickman|port"),
    _c("extreme_tiredness", RED, "seed: extreme tiredness", "extreme tiredness", "extreme tiredness",
       "exhausted", "extremely tired", "@neg ~2 get out of bed", "too tired to", "wiped out", "shattered", "knackered",
       "completely drained", "@neg lift + head", "totally|completely|utterly + drained|done in|wiped"),
    _c("feeling_unwell", RED, "seed: feeling generally unwell", "feeling unwell", "feeling unwell",
       "unwell", "poorly", "ill", "generally rough|awful|terrible|dreadful|horrible", "feel|feels|feeling|felt + rough|awful|terrible|dreadful|horrible|crap|rubbish|lousy|grim",
       "under the weather", "@neg well|right|good", "@neg feel|feeling ~1 well|right|good", "off colour|color"),
    _c("flu_like", RED, "seed: flu-like symptoms (CRS)", "flu-like symptoms", "flu-like symptoms",
       "flu", "flu like", "aching all over", "aches and pains", "body aches", "achy", "aching"),
    # --- not a sign: everyday phrases holding a sign word ("fit and well", "a hot bath") ---
    _c(NOT_A_SIGN, Level.GREEN, "section 4 (words that only look like a sign)", None, "not a sign",
       "fit and well", "fit and healthy", "keep|keeping|feel|feeling|felt|get|getting fit", "fit enough|again",
       "fit to", "fit for", "fit in", "fits in", "a good fit", "hot water|drink|drinks|bath|shower|tea|chocolate|food|meal|weather|day|room|bottle",
       "hot + water bottle"),
    # --- amber: tell the team (section 4) ---
    _c("nausea", AMBER, S4A, "nausea", "nausea", "nausea", "nauseous", "nauseated", "queasy", "feel|feels|feeling sick",
       "sick feeling", "sicky"),
    _c("sore_throat", AMBER, S4A, "sore throat", "a sore throat", "throat + sore|scratchy|raw|hurts|painful"),
    _c("sore_mouth", AMBER, S4A, "sore mouth", "a sore mouth", "mouth + sore|ulcer|ulcers|painful", "ulcers", "mouth ulcers"),
    _c("poor_appetite", AMBER, S4A, "poor appetite", "poor appetite", "@neg ~1 appetite", "off + food", "@neg ~1 hungry",
       "@neg ~1 eat|eating", "appetite + gone|poor|low|small", "off his|her|my food"),
    _c("constipation", AMBER, S4A, "constipation", "constipation", "constipated", "bunged up", "@neg ~1 poo|pooed|opened + bowels",
       "@neg ~2 @stool"),
)
# fmt: on

BY_NAME: dict[str, Concept] = {concept.name: concept for concept in CONCEPTS}


@cache
def concept_for_symptom() -> dict[str, Concept]:
    """Each vocabulary symptom's concept: the one that names it, else one made for it."""
    from cart_cli.symptoms import GROUPS, VOCABULARY

    found = {c.symptom: c for c in CONCEPTS if c.symptom is not None}
    group_level = {"emergency": EMERGENCY, "minor": AMBER}
    for symptom in VOCABULARY:
        if symptom.name not in found:
            level = group_level.get(symptom.group, RED)
            source = f"the symptom list ({GROUPS[symptom.group]})"
            found[symptom.name] = Concept(
                symptom.name.replace(" ", "_").replace("-", "_"),
                level,
                source,
                symptom.name,
                (),
                symptom.name,
            )
    return found
