"""Signed checkpoints of the chain head, with a key the auditor holds (Ed25519).

An operator able to rewrite the whole store could recompute every hash; they cannot
forge the auditor's signature over a head they saw earlier. ``laurel audit checkpoint``
signs the verified head; ``laurel audit verify --checkpoints`` checks each signature and
that the chain, recomputed, still passes through each signed head.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)


@dataclass(frozen=True)
class Checkpoint:
    position: int
    chain_hash: str
    signed_at: str
    signature: str

    def message(self) -> bytes:
        return f"laurel-checkpoint|{self.position}|{self.chain_hash}|{self.signed_at}".encode()


def new_key_pair(folder: Path) -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    private, public = folder / "auditor.key", folder / "auditor.pub"
    folder.mkdir(parents=True, exist_ok=True)
    private.touch(mode=0o600)
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def sign(key_file: Path, position: int, chain_hash: str) -> Checkpoint:
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{key_file} is not an Ed25519 private key")
    unsigned = Checkpoint(position, chain_hash, datetime.now(UTC).isoformat(), "")
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(position, chain_hash, unsigned.signed_at, signature)


def append(file: Path, checkpoint: Checkpoint) -> None:
    with file.open("a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(checkpoint)) + "\n")


def load_verified(file: Path, public_key_file: Path) -> dict[int, bytes]:
    """The signed heads (position → chain hash); a bad signature is an error."""
    return {c.position: bytes.fromhex(c.chain_hash)
            for c in load_checkpoints(file, public_key_file)}


def load_checkpoints(file: Path, public_key_file: Path) -> list[Checkpoint]:
    """The checkpoints of ``file`` in order, each signature checked with the auditor's
    public key; a bad signature is an error (the public verification page shows them)."""
    key = serialization.load_pem_public_key(public_key_file.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{public_key_file} is not an Ed25519 public key")
    found: list[Checkpoint] = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        checkpoint = Checkpoint(**json.loads(line))
        try:
            key.verify(base64.b64decode(checkpoint.signature), checkpoint.message())
        except InvalidSignature:
            raise ValueError(f"{file}:{number}: the signature does not verify") from None
        found.append(checkpoint)
    return found
