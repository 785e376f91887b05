"""Placeholder: the figures work replaces this with the pose-data model."""

from pydantic import BaseModel, ConfigDict


class FigureSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")
