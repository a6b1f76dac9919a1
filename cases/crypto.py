"""Encryption of personal data at rest (AES-256-GCM) and keyed lookup digests.

Ciphertext layout: ``b"v1" + nonce(12) + ciphertext+tag``. The version prefix lets a key
rotation add ``v2`` without rewriting every row at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PREFIX = b"v1"


class FieldCipher:
    """Encrypts and decrypts small values; one instance per key, safe to share between threads."""

    def __init__(self, key_b64: str) -> None:
        key = base64.b64decode(key_b64)
        if len(key) != 32:
            raise ValueError("encryption key must be 32 bytes, base64-encoded")
        self._aead = AESGCM(key)
        self._mac_key = hashlib.sha256(b"paoyici-lookup" + key).digest()

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        return _PREFIX + nonce + self._aead.encrypt(nonce, plaintext, _PREFIX)

    def decrypt(self, blob: bytes) -> bytes:
        if not blob.startswith(_PREFIX):
            raise ValueError("unknown ciphertext version")
        nonce, body = blob[2:14], blob[14:]
        return self._aead.decrypt(nonce, body, _PREFIX)

    def encrypt_json(self, value: Any) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True).encode())

    def decrypt_json(self, blob: bytes) -> Any:
        return json.loads(self.decrypt(blob))

    def lookup_digest(self, value: str) -> str:
        """Keyed digest for equality search on an encrypted value (no plaintext index)."""
        return hmac.new(self._mac_key, value.encode(), hashlib.sha256).hexdigest()
