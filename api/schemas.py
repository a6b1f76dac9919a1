"""Request and response models of the HTTP API (CONTRACT §4), separate from the ORM models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# --- accounts --------------------------------------------------------------------------------


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=256)
    name: str = Field(default="", max_length=64)


class UserOut(BaseModel):
    id: str
    username: str
    role: str


class MeOut(UserOut):
    name: str
    matters: list[str]


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int
