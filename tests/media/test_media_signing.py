"""Signed download URLs: HMAC-SHA256, URL-safe, constant-time check, expiry."""

from __future__ import annotations

import re

import pytest

from vidlens.media.signing import sign_download, signed_query, verify_download

SECRET = "s" * 40
NOW = 1_800_000_000


def _sign(media_id: str = "media-1", expires_at: int = NOW + 60, secret: str = SECRET) -> str:
    return sign_download(key_or_media_id=media_id, expires_at=expires_at, secret=secret)


def test_signature_is_url_safe_and_deterministic() -> None:
    signature = _sign()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", signature)
    assert _sign() == signature


def test_valid_before_expiry() -> None:
    assert verify_download(
        key_or_media_id="media-1",
        expires_at=NOW + 60,
        signature=_sign(),
        secret=SECRET,
        now=NOW + 59.9,
    )


@pytest.mark.parametrize("now", [NOW + 60, NOW + 3600], ids=["at-expiry", "after"])
def test_expired(now: int) -> None:
    assert not verify_download(
        key_or_media_id="media-1", expires_at=NOW + 60, signature=_sign(), secret=SECRET, now=now
    )


@pytest.mark.parametrize(
    ("media_id", "expires_at", "secret"),
    [
        pytest.param("media-2", NOW + 60, SECRET, id="other-media"),
        pytest.param("media-1", NOW + 6000, SECRET, id="extended-expiry"),
        pytest.param("media-1", NOW + 60, "t" * 40, id="other-secret"),
    ],
)
def test_tampered(media_id: str, expires_at: int, secret: str) -> None:
    assert not verify_download(
        key_or_media_id=media_id,
        expires_at=expires_at,
        signature=_sign(),
        secret=secret,
        now=NOW,
    )


@pytest.mark.parametrize("signature", ["", "x", "é" * 43, "A" * 43])
def test_garbage_signature(signature: str) -> None:
    assert not verify_download(
        key_or_media_id="media-1",
        expires_at=NOW + 60,
        signature=signature,
        secret=SECRET,
        now=NOW,
    )


def test_flipped_character() -> None:
    signature = _sign()
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    assert not verify_download(
        key_or_media_id="media-1", expires_at=NOW + 60, signature=flipped, secret=SECRET, now=NOW
    )


def test_signed_query_round_trip() -> None:
    query = signed_query(key_or_media_id="media-1", ttl_seconds=3600, secret=SECRET, now=NOW)
    assert query["expires"] == str(NOW + 3600)
    assert verify_download(
        key_or_media_id="media-1",
        expires_at=int(query["expires"]),
        signature=query["signature"],
        secret=SECRET,
        now=NOW + 3599,
    )
