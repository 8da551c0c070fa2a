"""Real OpenSSF model signatures made in the test: local EC keys and a local certificate chain
(root CA -> intermediate CA -> signing certificate), signed with the model_signing library.
No network."""

import datetime
from pathlib import Path
from typing import List, Tuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SIGNATURE_NAME = "model.sig"


def _pem_private(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem_public(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class KeyPair:
    def __init__(self, folder: Path, name: str):
        self.name = name
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.private_path = folder / f"{name}.key"
        self.private_path.write_bytes(_pem_private(self.key))
        self.public_pem = _pem_public(self.key)

    def sign(self, model: Path, signature: Path, ignore: List[Path] = ()) -> Path:
        import model_signing

        hashing = model_signing.hashing.Config().set_ignored_paths(
            paths=[signature, *ignore], ignore_git_paths=True
        )
        model_signing.signing.Config().use_elliptic_key_signer(
            private_key=self.private_path
        ).set_hashing_config(hashing).sign(model, signature)
        return signature

    def trusted_entry(self) -> dict:
        return {"name": self.name, "pem": self.public_pem}


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject, issuer, public_key, signing_key, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(signing_key, hashes.SHA256())


class CertificateChain:
    """A root CA, an intermediate CA and a leaf signing certificate (CN=signer)."""

    def __init__(self, folder: Path, name: str, signer: str = "model-builder@example.test"):
        pem = serialization.Encoding.PEM
        root_key = ec.generate_private_key(ec.SECP256R1())
        mid_key = ec.generate_private_key(ec.SECP256R1())
        self.leaf_key = ec.generate_private_key(ec.SECP256R1())
        root = _cert(
            _name(f"{name} root"), _name(f"{name} root"), root_key.public_key(), root_key, True
        )
        mid = _cert(
            _name(f"{name} intermediate"), root.subject, mid_key.public_key(), root_key, True
        )
        leaf = _cert(_name(signer), mid.subject, self.leaf_key.public_key(), mid_key, False)
        self.root_pem = root.public_bytes(pem).decode()
        self.paths = {}
        for label, data in (
            ("root", root.public_bytes(pem)),
            ("mid", mid.public_bytes(pem)),
            ("leaf", leaf.public_bytes(pem)),
            ("leaf_key", _pem_private(self.leaf_key)),
        ):
            path = folder / f"{name}-{label}.pem"
            path.write_bytes(data)
            self.paths[label] = path
        self.subject = leaf.subject.rfc4514_string()

    def sign(self, model: Path, signature: Path) -> Path:
        import model_signing

        hashing = model_signing.hashing.Config().set_ignored_paths(paths=[signature])
        model_signing.signing.Config().use_certificate_signer(
            private_key=self.paths["leaf_key"],
            signing_certificate=self.paths["leaf"],
            certificate_chain=[self.paths["mid"]],
        ).set_hashing_config(hashing).sign(model, signature)
        return signature

    def trusted_entry(self) -> dict:
        return {"name": "test root", "pem": self.root_pem}


def signature_policy(required: dict, keys=(), roots=(), **actions) -> dict:
    section = {"required_for": required, "trusted": {}}
    if keys:
        section["trusted"]["public_keys"] = [k.trusted_entry() for k in keys]
    if roots:
        section["trusted"]["certificate_roots"] = [r.trusted_entry() for r in roots]
    section.update(actions)
    return {"provenance": {"signatures": section}}


def flip_one_byte(path: Path, offset: int = -10) -> Tuple[int, int]:
    data = bytearray(path.read_bytes())
    before = data[offset]
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    return before, data[offset]
