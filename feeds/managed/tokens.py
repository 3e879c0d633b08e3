"""The two secrets of a managed plan; the database keeps only their SHA-256 digests.

The manage token is random. The feed token is derived from it (HMAC with a random salt that
rotation replaces), so the manage page can show the feed URL although the database never
holds either token, and the feed token reveals nothing about the manage token.

A digest is the first 16 bytes of the token's SHA-256: finding a token that matches a stored
digest still takes about 2**128 guesses, and it takes half the room of the whole digest in the
row and in its unique index. Migration 0004 cut the whole digests stored before it to this
prefix, so every token already issued still finds its plan (or its retirement).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
DIGEST_BYTES = 16


def new_token() -> str:
    """A fresh unguessable token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_salt() -> str:
    return secrets.token_hex(16)


def feed_token(manage_token: str, salt: str) -> str:
    """The feed token that `manage_token` and the current salt give."""
    mac = hmac.new(manage_token.encode(), f"feed/{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def digest(token: str) -> str:
    """What the database stores and looks tokens up by, as hex (the store keeps the bytes)."""
    return hashlib.sha256(token.encode()).digest()[:DIGEST_BYTES].hex()
