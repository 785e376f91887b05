"""The body: segment lengths as fractions of height, limb thickness, postures.

Lengths are the Drillis and Contini ratios tabled in Winter's *Biomechanics and Motor
Control of Human Movement* (../shared/figures.md); the figure is 1 unit tall. Body axes:
x toward the person's left, y up the spine, z forward (out of the belly).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Segment lengths, fractions of standing height.
THIGH = 0.245
SHANK = 0.246
FOOT = 0.152
ANKLE_HEIGHT = 0.039
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108
TRUNK = 0.288  # hip (trochanter) height to shoulder height: 0.818 - 0.530
HEAD = 0.130  # top of head to chin

HIP_HALF = 0.055  # hip joint centre from the midline (hip width 0.191 is the outside)
SHOULDER_HALF = 0.108  # shoulder joint from the midline (shoulder width 0.259 outside)
LUMBAR = (0.0, 0.06, 0.0)  # where the trunk bends on the pelvis, in the pelvis frame
SHOULDER_Y = TRUNK - 0.06 - 0.012  # shoulder joints above the lumbar point
NECK_BASE_Y = SHOULDER_Y + 0.01
HEAD_CENTRE = (0.0, SHOULDER_Y + 0.052 + HEAD / 2, 0.008)  # chin at 0.870 H
HEAD_RADIUS = HEAD / 2 - 0.004

# Half thickness (radius) of each rounded segment.
RADIUS = {
    "thigh": 0.050, "shank": 0.034, "foot": 0.022,
    "upper_arm": 0.027, "forearm": 0.022, "hand": 0.019, "neck": 0.027,
}

# Radius at the near and the far end of each segment: limbs taper toward hands and feet.
TAPER = {
    "thigh": (0.058, 0.040), "shank": (0.040, 0.024), "foot": (0.024, 0.016),
    "upper_arm": (0.031, 0.024), "forearm": (0.025, 0.018), "hand": (0.020, 0.016),
}

# Cross-sections (height, half-width, half-depth) whose outline makes the pelvis and trunk.
PELVIS_SECTIONS = ((-0.060, 0.085, 0.060), (-0.005, 0.108, 0.075), (0.070, 0.098, 0.068))
TRUNK_SECTIONS = ((0.000, 0.090, 0.064), (0.090, 0.088, 0.064), (0.165, 0.112, 0.074),
                  (SHOULDER_Y + 0.012, 0.128, 0.062))

Matrix = tuple[tuple[float, float, float], ...]
IDENTITY: Matrix = ((1, 0, 0), (0, 1, 0), (0, 0, 1))


@dataclass(frozen=True)
class Posture:
    """How the pelvis lies in the room, and the usual joint angles of the position.

    ``root`` turns body axes into room axes (X right of a viewer in front, Y up, Z toward
    that viewer). ``defaults`` are signed axis angles (see ``handout.model.pose.net_angles``),
plus ``wrist.ext``, which only postures set (hands flat on the floor).
    """

    root: Matrix
    defaults: dict[str, float] = field(default_factory=dict)
    feet_rest: bool = True  # the feet take weight (standing, sitting): they set the floor


def _both(**axes: float) -> dict[str, float]:
    return {f"{side}_{name.replace('__', '.')}": value
            for side in ("right", "left") for name, value in axes.items()}


# Room placement: upright people face the front viewer; lying on the back, the feet point
# to the front viewer; face down and on hands and knees, the head does; lying on a side,
# the belly does. So "front" sees the front of the body and "back" the back, as in figures.md.
SUPINE: Matrix = ((1, 0, 0), (0, 0, 1), (0, -1, 0))
PRONE: Matrix = ((1, 0, 0), (0, 0, -1), (0, 1, 0))
ON_HANDS_AND_KNEES: Matrix = ((1, 0, 0), (0, 0.2079, -0.9781), (0, 0.9781, 0.2079))  # face down, head up 12 degrees
LEANING_BACK: Matrix = ((1, 0, 0), (0, 0.8660, 0.5), (0, -0.5, 0.8660))  # sitting, pelvis rolled back 30 degrees
ON_LEFT_SIDE: Matrix = ((0, 1, 0), (-1, 0, 0), (0, 0, 1))
ON_RIGHT_SIDE: Matrix = ((0, -1, 0), (1, 0, 0), (0, 0, 1))

POSTURES: dict[str, Posture] = {
    "standing": Posture(IDENTITY, _both(shoulder__abd=6)),
    "seated": Posture(IDENTITY, _both(hip__flex=90, knee__flex=90, shoulder__abd=4, shoulder__flex=14,
                                                elbow__flex=14)),
    # leaning back on the hands: the pelvis rolls back, so bent legs rest their heels on the mat
    # (upright, figures.md's 45 degree rotations would push the shins through the floor)
    "sitting_on_floor": Posture(LEANING_BACK, _both(hip__flex=90, shoulder__flex=-35, shoulder__abd=12),
                                feet_rest=False),
    "lying_on_back": Posture(SUPINE, _both(shoulder__abd=22), feet_rest=False),
    "lying_face_down": Posture(PRONE, _both(shoulder__abd=7, ankle__dorsi=-45), feet_rest=False),
    "hands_and_knees": Posture(ON_HANDS_AND_KNEES, _both(hip__flex=78, knee__flex=90, ankle__dorsi=-50,
                                                   shoulder__flex=78, wrist__ext=80), feet_rest=False),
    "lying_on_left_side": Posture(ON_LEFT_SIDE, {"left_shoulder.flex": 165, "right_shoulder.flex": 12}),
    "lying_on_right_side": Posture(ON_RIGHT_SIDE, {"right_shoulder.flex": 165, "left_shoulder.flex": 12}),
}
