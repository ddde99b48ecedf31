"""Identifiers shaped like the ones the real API hands out."""

from __future__ import annotations

import random
import string

_ALPHANUMERIC = string.ascii_letters + string.digits


def hex_id(rng: random.Random, prefix: str, digits: int = 32) -> str:
    return f"{prefix}{rng.getrandbits(digits * 4):0{digits}x}"


def alphanumeric_id(rng: random.Random, prefix: str, length: int = 22) -> str:
    return prefix + "".join(rng.choices(_ALPHANUMERIC, k=length))
