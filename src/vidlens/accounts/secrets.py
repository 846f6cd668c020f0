"""Generation and hashing of API keys and client secrets.

Keys are ``ng_`` + 40 random base62 characters (~238 bits). Only their SHA-256 is stored:
with that much entropy a fast hash is safe (no dictionary to try), lets a request be
authenticated with one indexed lookup, and survives a rotation of the server's secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

KEY_PREFIX = "ng_"
_ALPHABET = string.ascii_letters + string.digits
_SECRET_LENGTH = 40
DISPLAY_PREFIX_LENGTH = 10


def random_token(length: int = _SECRET_LENGTH) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def generate_api_key() -> str:
    return KEY_PREFIX + random_token()


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def display_prefix(key: str) -> str:
    """The short prefix shown in listings, e.g. ``ng_k83js9d``."""
    return key[:DISPLAY_PREFIX_LENGTH]


def looks_like_api_key(value: str) -> bool:
    return (
        value.startswith(KEY_PREFIX)
        and len(value) == len(KEY_PREFIX) + _SECRET_LENGTH
        and all(ch in _ALPHABET for ch in value[len(KEY_PREFIX) :])
    )


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
