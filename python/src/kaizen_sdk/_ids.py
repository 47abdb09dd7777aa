"""UUIDv7 (time-ordered, RFC 9562) for client-side ids: Python's ``uuid`` has it only from 3.14.

The random bits come from a PRNG seeded from the OS (and re-seeded in a forked child): these ids
need to be unique, not secret, and ``os.urandom`` on every call cost more than the rest of
``instrument()``'s work together.
"""

from __future__ import annotations

import os
import random
import time
import uuid

_random = random.Random(os.urandom(32))
os.register_at_fork(after_in_child=lambda: _random.seed(os.urandom(32)))


def uuid7() -> str:
    millis = time.time_ns() // 1_000_000
    value = (
        (millis << 80)
        | (0x7 << 76)
        | (_random.getrandbits(12) << 64)
        | (0b10 << 62)
        | _random.getrandbits(62)
    )
    return str(uuid.UUID(int=value))
