"""Pose data for an exercise figure: the ``figure:`` block of an exercise YAML file.

A clinician describes a picture with words and joint angles, never with coordinates::

    figure:
      posture: seated        # standing | seated | sitting_on_floor | lying_on_back |
                             # lying_face_down | hands_and_knees | lying_on_left_side |
                             # lying_on_right_side
      view: front            # where the viewer stands: front | back | left | right | side | top
      tilt: 0                # optional: degrees the viewer looks down (top view = 90)
      turn: 0                # optional: degrees the viewer walks round the person, to the
                             # viewer's own right (negative: left), for a three-quarter view
      perspective: 2.0       # optional: the camera's distance from the hips in body heights,
                             # so near parts are drawn larger (default: a parallel view)
      head: turned_left      # optional, lying_face_down only: the head turned a quarter, the
                             # cheek on the mat (turned_left | turned_right: where the face looks)
      support: left_foot     # optional, standing only: the foot that stays planted
      props: [chair]         # floor | mat | chair | wall | counter | table | block | towel
                             # or {kind: band, from: right_ankle, to: left_ankle}     (loop band)
                             # or {kind: band, from: right_ankle, anchor: [0.4, 0.05]} (tied)
                             # a wall may say side: left | right (default: where the foot pushes)
      moving: right_foot     # what the arrow follows (one or a list): right_foot | left_foot |
                             # right_knee | left_knee | right_hand | left_hand | trunk | pelvis
      highlight: right_hip   # optional soft patch: right_hip | left_hip | both_hips
      start: {right_hip_ir: 0}
      end:   {right_hip_ir: 35}
      push: right_hip_ir     # isometric only: the motion pushed against (no end pose)

Angles are degrees from standing upright, named ``<side>_<joint>_<motion>`` (``trunk_...``
for the trunk), each within the normal range of ../shared/figures.md (see ``MOTIONS``). The
posture supplies the usual angles (seated: hips and knees at 90); ``start`` changes some of
them and ``end`` changes some of the start. A band ``anchor`` is ``[across, height]`` in
fractions of the person's height: ``across`` toward the person's left (negative: right) of
their midline, ``height`` above the floor. docs/figures.md explains every key.

Errors are pydantic validation errors whose location reaches the key (an unknown joint) or
whose message names the joint (an angle out of range), so the loader can say file:line.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError, core_schema

SIDES = ("right", "left")


@dataclass(frozen=True)
class Motion:
    """One named motion a clinician can write, e.g. ``right_hip_ir``, and its normal range."""

    key: str
    axis: str  # the signed axis it moves, e.g. "right_hip.rot"
    sign: int  # +1 or -1 along that axis
    low: float
    high: float
    joint: str  # for messages: "hip"
    label: str  # for messages: "internal rotation"

    @property
    def range_text(self) -> str:
        if self.low < 0:
            return f"0 to {self.high:g} degrees ({-self.low:g} past straight allowed)"
        return f"{self.low:g} to {self.high:g} degrees"


def _motions() -> dict[str, Motion]:
    table: list[tuple[str, str, int, float, float, str, str]] = []
    for side in SIDES:
        table += [
            (f"{side}_hip_flexion", f"{side}_hip.flex", 1, 0, 120, "hip", "flexion"),
            (f"{side}_hip_extension", f"{side}_hip.flex", -1, 0, 20, "hip", "extension"),
            (f"{side}_hip_abduction", f"{side}_hip.abd", 1, 0, 45, "hip", "abduction"),
            (f"{side}_hip_adduction", f"{side}_hip.abd", -1, 0, 30, "hip", "adduction"),
            (f"{side}_hip_ir", f"{side}_hip.rot", 1, 0, 45, "hip", "internal rotation"),
            (f"{side}_hip_er", f"{side}_hip.rot", -1, 0, 45, "hip", "external rotation"),
            (f"{side}_knee_flexion", f"{side}_knee.flex", 1, -5, 135, "knee", "flexion"),
            (f"{side}_ankle_dorsiflexion", f"{side}_ankle.dorsi", 1, 0, 20, "ankle", "dorsiflexion"),
            (f"{side}_ankle_plantarflexion", f"{side}_ankle.dorsi", -1, 0, 50, "ankle", "plantarflexion"),
            (f"{side}_shoulder_flexion", f"{side}_shoulder.flex", 1, 0, 180, "shoulder", "flexion"),
            (f"{side}_shoulder_extension", f"{side}_shoulder.flex", -1, 0, 60, "shoulder", "extension"),
            (f"{side}_shoulder_abduction", f"{side}_shoulder.abd", 1, 0, 180, "shoulder", "abduction"),
            (f"{side}_elbow_flexion", f"{side}_elbow.flex", 1, 0, 145, "elbow", "flexion"),
        ]
    table += [
        ("trunk_flexion", "trunk.flex", 1, 0, 90, "trunk", "flexion"),
        ("trunk_side_bend_left", "trunk.side", 1, 0, 30, "trunk", "side bend"),
        ("trunk_side_bend_right", "trunk.side", -1, 0, 30, "trunk", "side bend"),
        ("trunk_rotation_left", "trunk.rot", 1, 0, 40, "trunk", "rotation"),
        ("trunk_rotation_right", "trunk.rot", -1, 0, 40, "trunk", "rotation"),
    ]
    return {row[0]: Motion(*row) for row in table}


MOTIONS: dict[str, Motion] = _motions()
JOINT_NAMES: tuple[str, ...] = tuple(MOTIONS)

Posture = Literal["standing", "seated", "sitting_on_floor", "lying_on_back", "lying_face_down",
                  "hands_and_knees", "lying_on_left_side", "lying_on_right_side"]
View = Literal["front", "back", "left", "right", "side", "top"]
PropKind = Literal["floor", "mat", "chair", "wall", "counter", "table", "band", "block", "towel"]
PointName = Literal["right_ankle", "left_ankle", "right_knee", "left_knee", "right_wrist", "left_wrist"]
MovingPart = Literal["right_foot", "left_foot", "right_knee", "left_knee", "right_hand", "left_hand",
                     "trunk", "pelvis"]
Highlight = Literal["right_hip", "left_hip", "both_hips"]


def _unknown_joint(name: object) -> str:
    if not isinstance(name, str):
        raise PydanticCustomError("unknown_joint", "a joint name must be text, like right_hip_ir")
    if name not in MOTIONS:
        import difflib  # only for a mistyped joint: a build never needs it

        close = (difflib.get_close_matches(name, JOINT_NAMES, n=1, cutoff=0.6)
                 or difflib.get_close_matches(f"right_{name}", JOINT_NAMES, n=1, cutoff=0.6))
        hint = f"did you mean {close[0]}? " if close else ""
        raise PydanticCustomError("unknown_joint", f"unknown joint ({hint}see docs/figures.md)")
    return name


class Angles(Mapping[str, float]):
    """Joint angles by name: an immutable, hashable mapping (so a FigureSpec hashes)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, float] | None = None):
        self._values = dict(values or {})

    def __getitem__(self, key: str) -> float:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(frozenset(self._values.items()))

    def __repr__(self) -> str:
        return f"Angles({self._values!r})"

    @classmethod
    def _checked(cls, values: dict[str, float]) -> "Angles":
        for key, value in values.items():
            motion = MOTIONS[key]
            if not motion.low <= value <= motion.high:
                other = [m.key for m in MOTIONS.values() if m.axis == motion.axis and m.key != key]
                hint = f"; for the other way use {other[0]}" if value < 0 and other else ""
                raise ValueError(f"{key}: {value:g} is outside the {motion.joint}'s {motion.label} "
                                 f"range {motion.range_text}{hint}")
        for key, value in values.items():
            motion = MOTIONS[key]
            for other in MOTIONS.values():
                if (other.axis == motion.axis and other.key > key and values.get(other.key)
                        and value):
                    raise ValueError(f"{key} and {other.key} are opposite motions: give only one")
        return cls(values)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        as_dict = core_schema.dict_schema(
            keys_schema=core_schema.no_info_plain_validator_function(_unknown_joint),
            values_schema=core_schema.float_schema(allow_inf_nan=False),
        )
        return core_schema.no_info_after_validator_function(
            cls._checked, as_dict,
            serialization=core_schema.plain_serializer_function_ser_schema(dict),
        )


def net_angles(angles: Mapping[str, float]) -> dict[str, float]:
    """Named motions as signed axes: ``{"right_hip.rot": 35.0}`` for ``right_hip_ir: 35``."""
    out: dict[str, float] = {}
    for key, value in angles.items():
        motion = MOTIONS[key]
        if value or motion.axis not in out:
            out[motion.axis] = motion.sign * value
    return out


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class Prop(_Frozen):
    """Something drawn behind the person, in light grey; placed from the pose."""

    kind: PropKind
    from_: PointName | None = Field(default=None, alias="from")
    to: PointName | None = None
    anchor: tuple[float, float] | None = None
    side: Literal["left", "right"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, data: Any) -> Any:
        return {"kind": data} if isinstance(data, str) else data

    @field_validator("anchor")
    @classmethod
    def _anchor_near(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None:
            across, height = value
            if not (math.isfinite(across) and math.isfinite(height)) or abs(across) > 1.5 \
                    or not 0 <= height <= 1.5:
                raise ValueError("anchor is [across, height] in fractions of the person's height: "
                                 "across between -1.5 and 1.5, height between 0 and 1.5")
        return value

    @model_validator(mode="after")
    def _band_has_ends(self) -> "Prop":
        if self.kind == "band":
            if self.from_ is None:
                raise ValueError("a band needs from: the ankle (or knee, wrist) it goes around")
            if self.to is None and self.anchor is None:
                raise ValueError(f"the band from {self.from_} has no anchor: add to: (a loop band, "
                                 "e.g. to: left_ankle) or anchor: [across, height]")
            if self.to is not None and self.anchor is not None:
                raise ValueError(f"the band from {self.from_} has both to: and anchor: give one")
            if self.to == self.from_:
                raise ValueError(f"the band goes from {self.from_} to itself")
        elif self.from_ or self.to or self.anchor:
            raise ValueError(f"from:, to: and anchor: belong to a band, not a {self.kind}")
        return self


class FigureSpec(_Frozen):
    """The figure of one exercise: posture, view, props, start and end joint angles."""

    posture: Posture
    view: View
    tilt: Annotated[float, Field(ge=0, le=90)] | None = None
    turn: Annotated[float, Field(ge=-180, le=180)] = 0.0
    perspective: Annotated[float, Field(ge=1.0, le=20.0)] | None = None
    support: Literal["left_foot", "right_foot"] | None = None
    head: Literal["turned_left", "turned_right"] | None = None
    props: tuple[Prop, ...] = ()
    moving: tuple[MovingPart, ...] = ()
    highlight: Highlight | None = None
    start: Angles = Field(default_factory=Angles)
    end: Angles | None = None
    push: str | None = None
    # One leg only (a clinician's "left leg only" dose): that leg drawn working, the picture
    # mirrored when the pose works the other one, and no footprint key ("1, then 2") on it.
    only: Literal["left", "right"] | None = None

    @field_validator("props", "moving", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, (str, dict)) else value

    @field_validator("push")
    @classmethod
    def _push_is_motion(cls, value: str | None) -> str | None:
        if value is not None and value not in MOTIONS:
            import difflib

            close = difflib.get_close_matches(value, JOINT_NAMES, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(f"push: {value!r} is not a known joint motion{hint}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "FigureSpec":
        if self.support and self.posture != "standing":
            raise ValueError("support: (the planted foot) only applies to posture standing")
        if self.head and self.posture != "lying_face_down":
            raise ValueError("head: (turned, the cheek on the mat) only applies to posture lying_face_down")
        if self.push:
            if not self.moving or {"trunk", "pelvis"} & set(self.moving):
                raise ValueError(f"push: {self.push} needs moving: the foot, knee or hand that pushes")
            if self.end:
                raise ValueError("an isometric figure (push:) holds still: remove end:")
        elif self.moving and not self.end:
            raise ValueError("moving: needs an end: pose (or push: for a hold without motion)")
        return self

    @property
    def working_side(self) -> str | None:
        """"right" or "left" when one leg works (one moving foot or knee, or a hip turn over one
        standing leg); None when both do (E4, E5, E7)."""
        if len(self.moving) == 1 and self.moving[0].split("_")[0] in ("right", "left"):
            return self.moving[0].split("_")[0]
        if self.turns_over_standing_leg:
            return self.support.split("_")[0]
        return None

    @property
    def turns_over_standing_leg(self) -> bool:
        """A hip turn over one standing leg (the hip airplane): the leg stood on is the one that works."""
        return self.moving == ("pelvis",) and self.support is not None

    @property
    def end_angles(self) -> dict[str, float]:
        """The end pose's named angles: the start, changed by ``end``."""
        merged = dict(self.start)
        for key, value in (self.end or {}).items():
            axis = MOTIONS[key].axis
            for other in [k for k in merged if MOTIONS[k].axis == axis]:
                del merged[other]
            merged[key] = value
        return merged


__all__ = ["FigureSpec", "Prop", "Angles", "MOTIONS", "JOINT_NAMES", "Motion", "net_angles"]
