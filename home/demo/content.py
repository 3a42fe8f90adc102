"""The demo site's words. Written for this project; the reference page gave only its structure."""

import datetime

AUTHORS = [
    ("Clinical Education Team", "Physiotherapists and massage therapists who teach our workshops."),
    ("Maya Lindqvist", "Sports physiotherapist; writes about the back, hips and running injuries."),
    ("Tomas Ferreira", "Massage therapist and movement coach with a soft spot for desk workers."),
]

TESTIMONIALS = [
    # quote, name, role, featured, live
    (
        "The workshop changed how I palpate. My clients notice the difference.",
        "Priya N.",
        "Massage therapist",
        True,
        True,
    ),
    (
        "Clear, practical and well paced. I used the techniques the next morning.",
        "Jonas W.",
        "Personal trainer",
        True,
        True,
    ),
    (
        "Finally a course that explains why a point refers pain where it does.",
        "Elena R.",
        "Physiotherapy student",
        True,
        True,
    ),
    ("Good handouts and patient teachers.", "Marcus T.", "Pilates instructor", False, True),
    (
        "(Draft) Waiting for this student's permission to publish.",
        "Draft Student",
        "Course attendee",
        True,
        False,
    ),
]

PROMO = {
    "title": "Learn it with your hands",
    "body": (
        "<p>Our weekend workshops are built for manual therapists and exercise professionals who want "
        "to add trigger point work to what they already do.</p>"
        "<p>Small groups, plenty of supervised practice, and notes you can take back to your clinic. "
        "We stay in touch afterwards to answer questions.</p>"
    ),
    # The promo's "Find out more" opens this demo article (load_demo sets it as the promo's page).
    "link_slug": "weekend-workshops",
}

DISCLAIMER = {
    "title": "Information only",
    "body": (
        "<p>These articles share general information about muscles and movement. They are not a "
        "diagnosis, not a treatment plan and not a substitute for advice from a doctor or another "
        "qualified health professional who knows your situation. If you are in pain or unwell, see one.</p>"
    ),
}

# slug, title, intro, date, author index, tags, body: paragraphs, and ("h2", text) for a heading
ARTICLES = [
    (
        "upper-trapezius-tension",
        "Releasing tension in the upper trapezius",
        "Why the muscle between neck and shoulder gets sore at a desk, and three ways to ease it.",
        datetime.date(2025, 9, 3),
        2,
        ["neck", "shoulders", "self-care"],
        [
            "The upper trapezius lifts the shoulder blade and steadies the neck. Hours of typing keep it "
            "slightly switched on, and a muscle that never rests gets tender.",
            ("h2", "Three ways to ease it"),
            "Gentle pressure on the sore band for thirty to sixty seconds, followed by slow shoulder "
            "rolls, is a good start. Repeat a few times a day rather than once, hard.",
            "Next, tip the ear towards the opposite shoulder and let the arm hang heavy. The stretch "
            "should feel broad and easy; if it pulls sharply, come up a little.",
            "Finally, look at what keeps the muscle working: a screen too low, a phone held with the "
            "shoulder, a bag always on the same side. Changing one of them often helps more than any stretch.",
        ],
    ),
    (
        "dry-needling-explained",
        "Dry needling: what it is and what it is not",
        "A plain account of the technique, who may use it and what the evidence says so far.",
        datetime.date(2025, 10, 14),
        1,
        ["dry-needling", "back", "education"],
        [
            "Dry needling uses a thin, solid needle to reach a tight band of muscle. It is not "
            "acupuncture, although the needles look alike: the reasoning behind it is different.",
            ("h2", "What a session feels like"),
            "It should only be done by a trained, registered practitioner. Most people feel a brief "
            "twitch and some soreness for a day.",
            "A good practitioner explains what they are about to do, asks about medicines that thin the "
            "blood, and stops whenever you ask. Needles are single-use and go straight into a sharps bin.",
            ("h2", "What the evidence says"),
            "Trials suggest dry needling can ease muscle pain in the short term, especially alongside "
            "exercise. It is one tool among several, not a cure on its own.",
        ],
    ),
    (
        "hamstring-stretching",
        "Stretching the hamstrings without straining your back",
        "Keep the spine long and let the hips do the work: a safer way to stretch.",
        datetime.date(2025, 11, 20),
        1,
        ["hamstrings", "back", "stretching"],
        [
            "Folding forward with a rounded back stretches the ligaments of the spine more than the "
            "hamstrings. Hinge at the hips instead and keep a soft bend in the knees.",
            ("h2", "A safer stretch, step by step"),
            "Stand with one heel on a low step, the toes pointing up. Put your hands on your hips and "
            "tip the pelvis forward as if pouring water out of a bowl, until you feel the back of the thigh.",
            "Hold each stretch for about thirty seconds and breathe out slowly. Mild tension is fine; "
            "sharp pain means stop.",
        ],
    ),
    (
        "gluteus-medius-hip-pain",
        "Gluteus medius and hip pain when walking",
        "The small muscle at the side of the hip that keeps the pelvis level, and what happens when it tires.",
        datetime.date(2026, 1, 12),
        0,
        ["hips", "glutes", "lower-back-pain"],
        [
            "Every step puts your weight on one leg for a moment, and gluteus medius stops the other "
            "side of the pelvis from dropping. Trigger points here often send pain into the low back.",
            ("h2", "What helps"),
            "Side-lying leg raises, done slowly, build endurance. Pressure with a ball against a wall "
            "can ease the tender spots.",
            "Runners and walkers who add two short sessions a week usually notice a steadier stride within a month.",
        ],
    ),
    (
        "desk-posture-small-changes",
        "Desk posture: small changes that add up",
        "No perfect posture exists; the best one is the next one. Simple ways to move more at work.",
        datetime.date(2026, 2, 18),
        2,
        ["posture", "neck", "self-care"],
        [
            "Set the screen at eye height and bring the keyboard close enough that your elbows rest by "
            "your sides. Then stop worrying about the perfect position.",
            ("h2", "Move more, worry less"),
            "Change position every half hour: stand for a call, walk to refill water, roll the "
            "shoulders. Movement is the point.",
            "A timer helps at first. After a couple of weeks most people find they get up without one.",
        ],
    ),
    (
        "quadratus-lumborum",
        "Quadratus lumborum: a hidden source of back ache",
        "Deep in the low back, this muscle can mimic disc or kidney pain. How to tell and what helps.",
        datetime.date(2026, 3, 30),
        0,
        ["back", "lower-back-pain"],
        [
            "Quadratus lumborum joins the pelvis to the lowest rib and the spine. When it is overloaded, "
            "turning over in bed or standing up from a chair can hurt sharply.",
            ("h2", "Easing it"),
            "Side bends, breathing into the side of the ribs, and pressure just above the pelvis often "
            "bring relief. Persistent or night pain needs a medical check.",
        ],
    ),
    (
        "finding-a-practitioner",
        "How to find a trigger point practitioner you can trust",
        "Qualifications, questions to ask at the first visit, and the signs of a good fit.",
        datetime.date(2025, 8, 19),
        0,
        ["education", "self-care"],
        [
            "Trigger point work is offered by physiotherapists, massage therapists, osteopaths and "
            "chiropractors. The title matters less than training, registration and how they listen.",
            ("h2", "Before you book"),
            "Check that the practitioner belongs to a professional body with a public register and a "
            "complaints procedure. Ask how long they have used trigger point techniques and where they trained.",
            ("h2", "At the first visit"),
            "Expect questions about your pain, your health and your daily routine before anyone touches "
            "you. A plan should include things to do at home, not only appointments.",
            "If you feel rushed, or are promised a cure in one session, it is fine to look elsewhere.",
        ],
    ),
    (
        "weekend-workshops",
        "Our weekend workshops: what to expect",
        "Two days of small-group, hands-on practice for therapists and trainers. Here is how a weekend runs.",
        datetime.date(2025, 7, 8),
        0,
        ["workshops", "education"],
        [
            "Each workshop takes twelve people at most, with two teachers in the room, so everyone gets "
            "feedback on their hands and not just on their notes.",
            ("h2", "Saturday"),
            "The morning covers anatomy and referral patterns of the muscles of the week. After lunch "
            "you practise finding and treating trigger points on each other, in pairs.",
            ("h2", "Sunday"),
            "The second day brings it together: assessment, treatment and home exercises for a case, "
            "then a short practical review with a teacher.",
            ("h2", "Afterwards"),
            "You leave with illustrated notes and a certificate of attendance, and you can send us "
            "questions about your own clients for three months.",
        ],
    ),
]

MIRROR = {
    "slug": "erector-spinae-trigger-points",
    "title": "Erector spinae trigger points: where low back pain often starts",
    "intro": "The long muscles beside the spine do a great deal of quiet work. Here is how their trigger points cause pain, and what helps.",
    "date": datetime.date(2026, 4, 22),
    "author": 0,
    "tags": ["back", "lower-back-pain", "erector-spinae", "self-care"],
    "video": (
        "https://www.youtube.com/watch?v=M7lc1UVf-VE",
        "Working on erector spinae trigger points: a short demonstration",
    ),
    "heading_1": "Where should you begin?",
    "paragraphs_1": [
        "Low back pain is one of the commonest reasons people miss work or book an appointment with "
        "their doctor, and most of us will have it at some point.",
        "The erector spinae is not a single muscle but three columns on each side of the spine, "
        "named iliocostalis, longissimus and spinalis. Together they run from the pelvis all the way "
        "up to the base of the skull.",
        "They control the trunk as you lean forward and pull you upright again. Working with the "
        "hamstrings and the gluteus maximus, they straighten the spine, and higher up they extend the "
        "neck and help tilt the head.",
        "At full forward bend the muscles go quiet and the ligaments of the back take the load, which "
        "is one reason lifting from a fully rounded position is hard on the spine.",
    ],
    "figure_caption": "Erector spinae: where trigger points usually sit",
    "figure_alt": "Outline of a back with red dots marking common trigger points along both sides of the spine",
    "heading_2": "Trigger points in the erector spinae",
    "paragraphs_2": [
        "Tender, tight spots in these muscles are a frequent companion of low back pain, and they can "
        "send pain into the buttocks as well.",
        "Studies of low back pain suggest that insoles, belts or advice alone make little difference, "
        "while regular exercise that combines stretching and strengthening helps a large share of people.",
        "Part of the reason may be that movement helps settle trigger points. Combined with hands-on "
        "trigger point work, it can bring relief that lasts.",
    ],
    "links_title": "Keep reading",
    # title, the slug of a demo article or None, an outside address or "" (the demo links only to itself)
    "links": [
        ("Finding a trigger point practitioner you can trust", "finding-a-practitioner", ""),
        ("Releasing the upper trapezius", "upper-trapezius-tension", ""),
        ("Dry needling for trigger points", "dry-needling-explained", ""),
        ("Our weekend workshops for therapists and trainers", "weekend-workshops", ""),
        ("Quadratus lumborum, the other back muscle", "quadratus-lumborum", ""),
        ("Stretching the hamstrings without straining your back", "hamstring-stretching", ""),
    ],
    "related": ["quadratus-lumborum", "hamstring-stretching"],
    "testimonials": ["Priya N.", "Elena R."],
}

# name, e-mail, text, reply-to index (or None), approved
COMMENTS = [
    (
        "Sara",
        "sara@example.com",
        "I had no idea the erector spinae was three muscles. That explains a lot about my stiff mornings.",
        None,
        True,
    ),
    (
        "Maya Lindqvist",
        "maya@example.com",
        "Glad it helped! Gentle movement first thing usually eases that stiffness.",
        0,
        True,
    ),
    (
        "Dev",
        "dev@example.com",
        "Would a foam roller work for these trigger points, or is a ball better?",
        None,
        True,
    ),
    ("Lee", "lee@example.com", "Waiting for a moderator: this one stays pending in the demo.", None, False),
]
