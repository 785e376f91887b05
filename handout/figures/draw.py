"""The person as paint operations: rounded limbs with an outline, trunk, pelvis, head.

In: a Skeleton, a Camera and colours. Out: Ops, far parts first (painter's order). A limb is
painted as one silhouette (all its outlines, then all its fills), so joints read as smooth;
the pelvis is its own shape over the trunk, so the hips stand out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import body
from .kinematics import Camera, Skeleton, apply, transpose
from .paint import Op, convex_hull
from .style import FigureStyle, mix

LIMBS = {
    "leg": (("hip", "knee", "thigh"), ("knee", "ankle", "shank"), ("heel", "toe", "foot")),
    "arm": (("shoulder", "elbow", "upper_arm"), ("elbow", "wrist", "forearm"), ("wrist", "hand", "hand")),
}
FAR_DEPTH = 0.04  # a limb this much farther than its partner is drawn a shade lighter
SECTION_STEPS = 10
HAIR = 0.8  # the hair cap's radius as a fraction of the head's, inside its outline
HAIR_FACING = 0.3
EYE_RADIUS = 0.0105  # about 1 mm across on a card
EYE_APART = 0.024  # how far the face must turn away (cosine) before the hair shows
HAIRLINE = (math.radians(45), math.radians(115))  # a turned head's hair ends this far above and below the face
LID = 0.09  # a turned head's closed eye: half its thickness, of the head's radius
LENS = tuple((math.cos(math.pi * i / 3), math.sin(math.pi * i / 3)) for i in range(6))
EAR = 0.3  # a turned head's ear, its radius as a fraction of the head's


@dataclass(frozen=True)
class Colours:
    """Colours of one pose: outline, near and far limbs, pelvis, the working limb (and a far
    working limb, a shade darker, so two working legs that overlap do not merge in grey)."""

    ink: str
    near: str
    far: str
    pelvis: str
    work: str
    work_far: str
    dashed: bool = False  # the ghost: a dashed mid-grey outline that survives a grey photocopy

    @classmethod
    def solid(cls, style: FigureStyle) -> "Colours":
        return cls(style.ink, style.body, style.body_far, style.pelvis, style.work, mix(style.work, style.ink, 0.3))

    @classmethod
    def ghost(cls, style: FigureStyle) -> "Colours":
        return cls(style.pale_ink, style.pale, style.pale, style.pale, style.pale, style.pale, dashed=True)


def _rings(sections) -> tuple[tuple[float, float, float], ...]:
    return tuple((w * math.cos(a), y, d * math.sin(a)) for y, w, d in sections
                 for a in (2 * math.pi * i / SECTION_STEPS for i in range(SECTION_STEPS)))


TRUNK_RING = _rings(body.TRUNK_SECTIONS)
PELVIS_RING = _rings(body.PELVIS_SECTIONS)


def _hull(cam: Camera, frame, origin, local_points) -> tuple[tuple[float, float], ...]:
    """Outline of a body (trunk, pelvis) given by points in its own frame."""
    r, u = apply(transpose(frame), cam.right), apply(transpose(frame), cam.up)
    ox, oy = cam.page(origin)
    return tuple(convex_hull([(ox + r[0] * x + r[1] * y + r[2] * z, oy + u[0] * x + u[1] * y + u[2] * z)
                              for x, y, z in local_points]))


def _arc(c, r: float, a0: float, a1: float, n: int) -> list[tuple[float, float]]:
    return [(c[0] + r * math.cos(a0 + (a1 - a0) * i / n), c[1] + r * math.sin(a0 + (a1 - a0) * i / n))
            for i in range(n + 1)]


def _capsule(a, b, ra: float, rb: float) -> tuple[tuple[float, float], ...]:
    """Outline of a limb segment tapering from radius ``ra`` at ``a`` to ``rb`` at ``b``."""
    length = math.dist(a, b)
    if length <= abs(ra - rb) + 1e-6:
        return tuple(_arc(a, max(ra, rb), 0.0, 2 * math.pi * 7 / 8, 7))
    heading = math.atan2(b[1] - a[1], b[0] - a[0])
    beta = math.acos((ra - rb) / length)
    return tuple(_arc(b, rb, heading - beta, heading + beta, 4)
                 + _arc(a, ra, heading + beta, heading + 2 * math.pi - beta, 6))


def groups(sk: Skeleton, cam: Camera, head_turn: str | None = None, only=None) -> dict[str, tuple[float, list]]:
    """Each body part (or each one named in ``only``) as (depth, [(kind, data)]) on the page;
    larger depth is nearer. ``head_turn`` (a face-down spec's ``head``) draws the head turned a
    quarter, the cheek on the mat."""
    out: dict[str, tuple[float, list]] = {}
    pts = sk.points
    for side in ("right", "left"):
        for limb, segments in LIMBS.items():
            if only is not None and f"{side}_{limb}" not in only:
                continue
            items = [("limb", _capsule(cam.page(pts[f"{side}_{a}"]), cam.page(pts[f"{side}_{b}"]), *body.TAPER[r]))
                     for a, b, r in segments]
            names = [f"{side}_{a}" for a, _, _ in segments] + [f"{side}_{segments[-1][1]}"]
            depth = sum(cam.depth(pts[n]) for n in names) / len(names)
            out[f"{side}_{limb}"] = (depth, items)
    if only is None or "trunk" in only:
        trunk_hull = _hull(cam, sk.trunk, sk.in_pelvis(body.LUMBAR), TRUNK_RING)
        out["trunk"] = (cam.depth(sk.in_trunk((0, 0.12, 0))), [("hull", trunk_hull)])
    if only is None or "pelvis" in only:
        out["pelvis"] = (cam.depth(sk.origin), [("hull", _hull(cam, sk.pelvis, sk.origin, PELVIS_RING))])
    if only is not None and "head" not in only:
        return out
    head = pts["head"]
    items = [("seg", (cam.page(pts["neck"]), cam.page(head), body.RADIUS["neck"]))]
    eyes = _eyes(sk, cam)  # no nose: a bump on the head was read as a hand at the ear or a bun
    items.append(("circle", (cam.page(head), body.HEAD_RADIUS)))
    if head_turn:
        items += _turned_head(sk, cam, 1.0 if head_turn == "turned_left" else -1.0)
    elif _back_of_head(sk, cam):  # a cap toward the crown and the back of the head, the face side
        # left bare: seen from the side, a face-down head shows hair on top and its face to the mat
        centre = cam.page(head)
        x, y, z = body.HEAD_CENTRE
        dx, dy = (a - b for a, b in zip(cam.page(sk.in_trunk((x, y + 1.0, z - 1.0))), cam.page(sk.in_trunk((x, y, z)))))
        n = math.hypot(dx, dy) or 1.0
        shift = body.HEAD_RADIUS * (1 - HAIR) * 0.9
        items.append(("hair", ((centre[0] + dx / n * shift, centre[1] + dy / n * shift), body.HEAD_RADIUS * HAIR)))
    items += [("eye", (cam.page(eye), EYE_RADIUS)) for eye in eyes]
    out["head"] = (cam.depth(head), items)
    return out


def _turned_head(sk: Skeleton, cam: Camera, s: float) -> list:
    """A face-down head turned a quarter toward the person's left (``s`` 1) or right (-1), the
    cheek on the mat, drawn as a profile: hair over the back and crown up to a hairline, the
    face side bare with a closed eye, and the ear (with no face, readers could not tell face
    down from face up)."""
    x, y, z = body.HEAD_CENTRE
    r = body.HEAD_RADIUS
    centre = cam.page(sk.in_trunk((x, y, z)))
    face = cam.page(sk.in_trunk((x + s, y, z)))
    a = math.atan2(face[1] - centre[1], face[0] - centre[0])  # where the face looks on the page
    c, sn = math.cos(a), math.sin(a)
    crown = cam.page(sk.in_trunk((x, y + 1.0, z)))
    up = 1.0 if c * (crown[1] - centre[1]) - sn * (crown[0] - centre[0]) >= 0 else -1.0  # the crown's side

    def at(f: float, u: float) -> tuple[float, float]:  # r times f toward the face, u toward the crown
        return (centre[0] + r * (f * c - u * sn * up), centre[1] + r * (f * sn + u * c * up))

    cap = _arc(centre, r * 0.96, a + up * HAIRLINE[0], a + up * (2 * math.pi - HAIRLINE[1]), 8)
    lid = [at(0.62 + 0.17 * cos_t, 0.08 + 0.05 * cos_t + LID * sin_t)
           for cos_t, sin_t in LENS]  # a closed eye: a flat lens, a little tilted
    return [("cap", tuple(cap)), ("ear", (at(-0.1, -0.12), r * EAR)), ("lid", tuple(lid))]


def _back_of_head(sk: Skeleton, cam: Camera) -> bool:
    """The face is turned away from the viewer (face down from above, or seen from behind):
    the head then gets dark hair, so a reader sees the back of the head, not a blank face."""
    centre = sk.in_trunk(body.HEAD_CENTRE)
    front = sk.in_trunk((body.HEAD_CENTRE[0], body.HEAD_CENTRE[1], body.HEAD_CENTRE[2] + 1.0))
    return cam.depth(front) - cam.depth(centre) < -HAIR_FACING


def _eyes(sk: Skeleton, cam: Camera) -> list:
    """Two eyes on a face turned to the viewer (lying on the back seen from above or the feet,
    sitting facing us): with the hair on a head turned away, they tell face up from face down."""
    x, y, z = body.HEAD_CENTRE
    centre, front = sk.in_trunk((x, y, z)), sk.in_trunk((x, y, z + 1.0))
    if cam.depth(front) - cam.depth(centre) < HAIR_FACING:
        return []
    r = body.HEAD_RADIUS * 0.82
    return [sk.in_trunk((x + s * EYE_APART, y + 0.008, z + r)) for s in (-1, 1)]


def _order(parts: dict[str, tuple[float, list]], sk: Skeleton) -> list[str]:
    """Far to near; at equal depth, lower in the room first (a top leg lies on the bottom one)."""
    def key(name: str) -> tuple[float, float]:
        depth = parts[name][0]
        anchor = {"trunk": "neck", "pelvis": "pelvis", "head": "head"}.get(name, name.replace("_leg", "_knee")
                                                                           .replace("_arm", "_elbow"))
        return (round(depth / 0.02), sk.points[anchor][1])
    order = sorted(parts, key=key)
    # the pelvis always covers the bottom of the trunk it sits in
    if "pelvis" in parts and "trunk" in parts and order.index("pelvis") < order.index("trunk") and abs(parts["pelvis"][0] - parts["trunk"][0]) < 0.06:
        order.remove("pelvis")
        order.insert(order.index("trunk") + 1, "pelvis")
    return order


def far_limbs(parts: dict[str, tuple[float, list]]) -> set[str]:
    far = set()
    for limb in ("leg", "arm"):
        if f"right_{limb}" not in parts or f"left_{limb}" not in parts:
            continue
        right, left = parts[f"right_{limb}"][0], parts[f"left_{limb}"][0]
        if abs(right - left) > FAR_DEPTH:
            far.add(f"right_{limb}" if right < left else f"left_{limb}")
    return far


def working_parts(moving, support: str | None = None) -> set[str]:
    """The body parts a figure's moving parts name: a foot or knee is its leg, a hand its arm;
    a hip turn is the pelvis and the standing leg it turns on (round 9: with neither leg dark,
    readers could not tell which leg works)."""
    limb = {"foot": "leg", "knee": "leg", "hand": "arm"}
    out = set()
    for part in moving:
        side, _, what = part.partition("_")
        out.add(f"{side}_{limb[what]}" if what in limb else "pelvis")
    if "pelvis" in out and support:
        out.add(f"{support.split('_')[0]}_leg")
    return out


def person_ops(sk: Skeleton, cam: Camera, colours: Colours, keep=None, parts: dict | None = None,
               work=frozenset()) -> list[Op]:
    """Paint operations for one pose; ``keep(part, index)`` picks the pieces (to layer what
    moved), ``work`` the parts filled darkest."""
    parts = parts or groups(sk, cam)
    far = far_limbs(parts)
    ops: list[Op] = []
    for name in _order(parts, sk):
        items = [item for i, item in enumerate(parts[name][1]) if keep is None or keep(name, i)]
        if not items:
            continue
        fill = colours.far if name in far else colours.near
        if name == "pelvis":
            fill = colours.pelvis
        if name in work:
            fill = colours.work_far if name in far and sum(w.endswith("_leg") for w in work) > 1 else colours.work
        if colours.dashed:
            ops += _ghost_ops(items, colours)
            continue
        for kind, data in items:  # outlines first, so a limb reads as one shape
            if kind == "seg":
                a, b, r = data
                ops.append(Op("line", (a, b), (2 * r, 2.0), stroke=colours.ink))
            elif kind == "limb":
                ops.append(Op("poly", data, (0.0, 2.0), stroke=colours.ink, fill=colours.ink))
        for kind, data in items:
            if kind == "limb":
                ops.append(Op("poly", data, fill=fill))
            elif kind == "seg":
                a, b, r = data
                ops.append(Op("line", (a, b), (2 * r, 0.0), stroke=fill))
            elif kind == "hull":
                ops.append(Op("poly", data, (0.0, 1.0), stroke=colours.ink, fill=fill))
            elif kind == "hair":
                centre, radius = data
                ops.append(Op("circle", (centre,), fill=colours.ink, radius=radius))  # dark hair: the back of the head
            elif kind == "eye":
                centre, radius = data
                ops.append(Op("circle", (centre,), fill=colours.ink, radius=radius))
            elif kind in ("cap", "lid"):  # a turned head's hair, its closed eye
                ops.append(Op("poly", data, fill=colours.ink))
            else:  # the head, and a turned head's ear
                centre, radius = data
                ops.append(Op("circle", (centre,), (0.0, 1.0), stroke=colours.ink, fill=fill, radius=radius))
    return ops


GHOST_OUTLINE = 4.0  # outlines (3 vanished on a grey card); the fill covers the inner half, the outer half shows in dashes


def _ghost_ops(items, colours: Colours) -> list[Op]:
    """One part of the start pose: dashed outlines under a near-white fill, so each limb reads
    as one dashed silhouette (the fill hides the dashes where its pieces overlap)."""
    ops: list[Op] = []
    items = [item for item in items if item[0] not in ("hair", "eye", "cap", "ear", "lid")]
    for kind, data in items:
        if kind == "seg":
            a, b, r = data
            ops.append(Op("line", (a, b), (2 * r, GHOST_OUTLINE), stroke=colours.ink, dashed=True))
        elif kind == "circle":
            centre, radius = data
            ops.append(Op("circle", (centre,), (0.0, GHOST_OUTLINE), stroke=colours.ink, radius=radius, dashed=True))
        else:
            ops.append(Op("poly", data, (0.0, GHOST_OUTLINE), stroke=colours.ink, dashed=True))
    for kind, data in items:
        if kind == "seg":
            a, b, r = data
            ops.append(Op("line", (a, b), (2 * r, 0.0), stroke=colours.near))
        elif kind == "circle":
            centre, radius = data
            ops.append(Op("circle", (centre,), fill=colours.near, radius=radius))
        else:
            ops.append(Op("poly", data, fill=colours.near))
    return ops


def end_on_foot(sk: Skeleton, cam: Camera, part: str, index: int) -> bool:
    """A foot of the start ghost pointing at the viewer: drawn, it shrank to a small
    figure-like mark over the shin (read as a drawing error), so it is left out."""
    if not part.endswith("_leg") or index != 2:
        return False
    side = part.split("_")[0]
    return math.dist(cam.page(sk.points[f"{side}_heel"]), cam.page(sk.points[f"{side}_toe"])) < 0.5 * body.FOOT


def ghost_outline_ops(start: Skeleton, end: Skeleton, cam: Camera, colour: str, work,
                      tolerance: float = 0.012) -> list[Op]:
    """The working limbs' moved segments of the start pose as dashed outlines, drawn over the
    end pose, so a start hidden behind the end pose (a shin that pointed at the viewer) shows."""
    ops = []
    for side in ("right", "left"):
        for limb, segments in LIMBS.items():
            if f"{side}_{limb}" not in work:
                continue
            for i, (a, b, r) in enumerate(segments):
                ends = (f"{side}_{a}", f"{side}_{b}")
                if end_on_foot(start, cam, f"{side}_{limb}", i):
                    continue
                if i == 2 or not any(math.dist(start.points[j], end.points[j]) > tolerance for j in ends):
                    continue  # a ghost foot tangled with its shin into a scribble: the shin says it
                a, b = cam.page(start.points[ends[0]]), cam.page(start.points[ends[1]])
                mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
                if not any(inside(mid, _capsule(cam.page(end.points[f"{side}_{c}"]), cam.page(end.points[f"{side}_{d}"]),
                                                 *body.TAPER[q])) for c, d, q in segments):
                    continue  # the ghost shows: dashed twice, out of step, it read as a scribble
                ops.append(Op("poly", _capsule(a, b, *body.TAPER[r]), (0.0, GHOST_OUTLINE / 2), stroke=colour, dashed=True))
    return ops


def moved_pieces(a: Skeleton, b: Skeleton, parts: dict, tolerance: float = 0.012) -> set[tuple[str, int]]:
    """The (part, piece index) whose joints differ between two poses: a limb segment that moved,
    or every piece of the trunk, pelvis and head when the body moved. Their start is drawn."""
    moved = set()
    for side in ("right", "left"):
        for limb, segments in LIMBS.items():
            for i, (j0, j1, _) in enumerate(segments):
                if any(math.dist(a.points[f"{side}_{j}"], b.points[f"{side}_{j}"]) > tolerance for j in (j0, j1)):
                    moved.add((f"{side}_{limb}", i))
    if math.dist(a.points["neck"], b.points["neck"]) > tolerance or \
            any(math.dist(a.points[f"{s}_hip"], b.points[f"{s}_hip"]) > tolerance for s in ("right", "left")):
        moved |= {(name, i) for name in ("trunk", "pelvis", "head") for i in range(len(parts[name][1]))}
    return moved


def patch_centre(sk: Skeleton, cam: Camera, side: str) -> tuple[float, float]:
    """Where the working hip's patch goes on the page: on the hip, unless the other thigh is
    nearer and covers it there (E2 seen turned: the glow sat on the pale thigh, read as the
    wrong leg); then down the working thigh to its first point clear of the other one."""
    other = "left" if side == "right" else "right"
    hip, knee = cam.page(sk.points[f"{side}_hip"]), cam.page(sk.points[f"{side}_knee"])
    if cam.depth(sk.points[f"{other}_knee"]) <= cam.depth(sk.points[f"{side}_knee"]):
        return hip
    cover = _capsule(cam.page(sk.points[f"{other}_hip"]), cam.page(sk.points[f"{other}_knee"]), *body.TAPER["thigh"])
    for i in range(7):
        t = 0.1 * i
        p = (hip[0] + (knee[0] - hip[0]) * t, hip[1] + (knee[1] - hip[1]) * t)
        if not inside(p, cover):  # a step further, so the patch's core clears the other thigh
            if i == 0:
                return hip
            return (hip[0] + (knee[0] - hip[0]) * (t + 0.1), hip[1] + (knee[1] - hip[1]) * (t + 0.1))
    return hip


def inside(p, poly) -> bool:
    """Whether page point ``p`` lies inside the polygon ``poly``."""
    result = False
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        if (y0 > p[1]) != (y1 > p[1]) and p[0] < x0 + (p[1] - y0) * (x1 - x0) / (y1 - y0):
            result = not result
    return result


def highlight_ops(sk: Skeleton, cam: Camera, which: str, style: FigureStyle) -> list[Op]:
    """A soft patch over the working hip: two translucent discs in the clinic's colour."""
    sides = ("right", "left") if which == "both_hips" else (which.split("_")[0],)
    ops = []
    for side in sides:
        centre = patch_centre(sk, cam, side)
        ops.append(Op("circle", (centre,), fill=style.accent, radius=0.085, opacity=0.18))
        ops.append(Op("circle", (centre,), fill=style.accent, radius=0.058, opacity=0.30))
    return ops
