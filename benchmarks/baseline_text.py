"""The text of the ir-mobility handout, typed in for the hand-written baseline (``baseline.py``).

Copied from what ``handout markup --program ir-mobility`` prints; ``tests/test_benchmark_baseline.py``
fails when it no longer matches the project's handout.
"""

TITLE = "Gentle hip turning moves"
SUBJECT = "Home exercises for the hip's turning muscles"
WHY = ("These 6 gentle moves turn your thigh in, a motion that often gets stiff first. Doing them each "
       "day helps keep that motion easy.")
PAIN_LIMIT = 3
LOG_WEEKS = 2

EXERCISES = [
    dict(number=1, name="Seated foot swing-out", short="Seated swing-out", figure="seated-ir",
         dose="20 times · every day · each leg",
         start="Sit tall on a firm chair, knees at a right angle, feet flat and hip-width apart.",
         steps=["Hold the sides of the seat.",
                "Keep your knee still and pointing forward.",
                "Slowly swing one foot out to the side. Your thigh turns in.",
                "Stop when you feel a gentle pull. Then bring your foot back.",
                "Repeat with the same leg, then switch legs."],
         cue="Only your foot and shin move out.",
         watch=("letting your knee slide to the side", "leaning your body to one side"),
         tip="You can build up to 30 times on each leg.",
         easier="Make the swing smaller, or do it fewer times.",
         harder="Hold the end for 3 seconds each time, or add a loop band around your ankles."),
    dict(number=2, name="Lying knee tips (windshield wipers)", short="Knee tips", figure="windshield-wipers",
         dose="5 times · every day · each way",
         start="Lie on your back with your knees bent. Put your feet flat, a bit wider than your hips.",
         steps=["Let both knees tip slowly to one side.",
                "One thigh turns in and the other turns out.",
                "Go only as far as feels OK. Your knees do not need to touch the floor.",
                "Bring your knees back to the middle.",
                "Tip them to the other side."],
         cue="Keep both shoulders resting on the floor.",
         watch=("forcing your knees down to the floor", "lifting your shoulders"),
         tip="You can build up to 10 times each way.",
         easier="Tip one knee at a time instead of both.",
         harder="Your therapist may add a band, so your muscles work more."),
    dict(number=3, name="Floor sitting hip switches (90/90)", short="90/90 switches", figure="ninety-ninety",
         dose="5 times · hold 5 seconds · every day · each way",
         start="Sit on the floor with both knees bent to a right angle. Your front leg lies on its outer side. "
               "Your back leg lies on its inner side.",
         steps=["Sit tall with your hands on the floor behind you.",
                "Keep your heels on the floor.",
                "Lift your knees and turn both legs to the other side.",
                "Now your other hip is the one turned in.",
                "Pause, then switch back. That is 1 time each way."],
         cue="Sit tall and keep your chest up.",
         watch=("hunching or rounding your back", "forcing your knees down to the floor"),
         easier="Lean back further on your hands, and turn your knees less far.",
         harder="Do it with no hands, or turn your chest toward the leg that is turned in."),
    dict(number=4, name="Face-down foot swing-out", short="Face-down swing-out", figure="prone-ir",
         dose="10 times · every day · each leg",
         start="Lie face down. Bend one knee to a right angle, so your shin points up to the ceiling.",
         steps=["Keep both hip bones on the floor.",
                "Let your foot fall slowly out to the side.",
                "Stop before that side of your hips lifts off the floor.",
                "Bring your foot back up.",
                "Repeat with the same leg, then switch legs."],
         cue="Keep your belly and both hip bones resting on the floor.",
         watch=("your hips lifting or rolling", "arching your low back"),
         tip="You can build up to 15 on each leg.",
         easier="Make the movement smaller.",
         harder="Hold the end position for a gentle stretch."),
    dict(number=5, name="Face-down feet fall-out stretch", short="Face-down stretch", figure="prone-ir-stretch",
         dose="hold 20 seconds · every day · both legs together",
         start="Lie face down with your knees hip-width apart. Bend both knees so your feet point up.",
         steps=["Keep your knees bent at a right angle.",
                "Let both feet fall slowly out to the sides.",
                "Stop when you feel a gentle stretch.",
                "Hold and breathe slowly.",
                "Bring your feet back up."],
         cue="Keep both hips resting on the floor.",
         watch=("one hip lifting, or your back twisting", "your knees moving away from a right angle"),
         stop="sharp pain in your knee or hip.",
         tip="You can build up to 30 seconds. Do it once, unless your clinician says more.",
         easier="Do one leg at a time, or put a rolled towel or block between your knees.",
         harder="Put a folded towel under your knees."),
    dict(number=6, name="Hands-and-knees foot swing-out", short="Hands-knees swing", figure="hands-knees-ir",
         dose="10 times · every day · each leg",
         start="Get on your hands and knees. Put your hands under your shoulders and your knees under your "
               "hips.",
         steps=["Lift one foot just off the floor.",
                "Keep that knee where it is.",
                "Swing your foot out to the side. Your thigh turns in.",
                "Bring your foot back slowly.",
                "Repeat with the same leg, then switch legs."],
         cue="Keep your back flat and still.",
         watch=("shifting your hips to the side", "twisting your low back"),
         easier="Swing your foot out less far.",
         harder="Add a loop band around your ankles."),
]

BEFORE = ["<b>Had a hip replacement?</b> Do not do these exercises unless your surgeon or therapist has said yes.",
          "<b>Pinching hip (impingement) or a torn hip rim?</b> If a move brings back your usual groin pain, stop.",
          '<b>"Each leg":</b> one leg, then the other, even if only one hip is stiff.',
          "<b>Moves 2, 3, 4, 5 and 6 are on the floor.</b> If getting down or up is hard for you, ask your "
          "clinician first.",
          'Move slowly. Never bounce or force a move. Read "When to stop and get help" after the cards.']
STOP_RULES = [
    "you feel sharp pain, in your hip or anywhere else.",
    f"your pain goes above {PAIN_LIMIT} out of 10 (see the scale).",
    "your pain is worse the next day.",
    "a move brings back your usual groin pain.",
    "your leg goes numb, tingles, or feels weak. Then call your clinician.",
]
SCALE_INTRO = "<b>Mild discomfort is OK.</b> Rate your pain from 0 to 10:"
CARE_TITLE = "Take extra care if one of these fits you"
PRECAUTIONS = [  # (lead, which moves, text)
    ("If you have had a hip replacement", "all the moves",
     "Do not do these unless your surgeon or therapist has said yes. After a hip replacement you may be told "
     "not to turn your leg or toes in, bend your hip past a right angle, or cross your legs, often for 6 to 12 "
     "weeks, sometimes for life."),
    ("If you have a pinching hip (impingement) or a torn hip rim", "moves 1, 2, 3, 5 and 6",
     "Avoid deep bends with your knee pulled across your body and your thigh turned in. Ask your therapist "
     "about moves with your hip straight."),
    ("If you are pregnant", "move 2, Knee tips",
     "Move smoothly, with no bouncing or forcing. Stop and call your midwife or doctor if you have bleeding, "
     "dizziness, chest pain, calf pain or swelling, or leaking fluid. After the first 3 months, do not "
     "exercise lying flat on your back."),  # (move 2 is on the back; none is standing)
    ("If kneeling hurts your knees", "move 6, Hands-knees swing",
     "Your weight is on your knees. Sharp knee pain? Stop and ask your therapist."),
]
RED_FLAGS_INTRO = "Get urgent care now if you have:"
RED_FLAGS = [
    "Fever, chills, or feeling very unwell with hip pain, or a hot, red, swollen joint.",
    "A fall or injury, and now you cannot put weight on the leg, or the leg looks shorter or turned out.",
    "After a hip replacement, sudden bad pain, or you cannot stand or walk on that leg.",
    "Pain or swelling in your calf, or new swelling in one leg.",
    "Numbness in your groin, private parts or around your bottom, new bladder or bowel trouble, or weakness "
    "in both legs.",
    "Sudden, very bad pain with no clear cause.",
]
CALL_FLAGS_INTRO = "Stop and call your clinician soon if you have:"
CALL_FLAGS = [
    "New numbness, tingling or weakness in your leg.",
    "Pain at night that rest or changing position does not ease, weight loss you cannot explain, or night "
    "sweats. Tell them if you have ever had cancer.",
    "New hip pain if you have taken steroid medicine for a long time.",
]
LOG_INTRO = "Tick each move you do. Write your worst pain (0 to 10) during the moves and the next morning."
LOG_REMINDER = "Fever, a hot swollen hip, calf pain or swelling, numb groin, or can't stand on the leg? Get urgent care."

ARTICLE_TITLE = "The muscles that turn your hip in"
# The article's summary (ir-mobility prints the summary): a list of items.
SUMMARY = [
    "Muscles on the side and front of your hip turn your thigh in, so your kneecap points toward your other "
    "leg. They also keep your hips level when you stand on one leg.",
    "A hip that gets stiff turning in can be an early sign of a joint problem, such as arthritis. Gentle turning "
    "moves help keep the motion easy.",
]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
