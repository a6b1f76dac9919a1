"""Loopback trust services for the test PKI: RFC 3161 TSA, RFC 6960 OCSP responder, CRLs.

One transport-free core, :class:`PkiResponder` (``handle(method, path, body)``), served two ways:

- :class:`PkiAsgiApp`, a plain ASGI app the service mounts at ``/pki``
  (``app.mount("/pki", PkiAsgiApp(responder))``);
- :class:`LoopbackPkiServer`, a threaded ``http.server`` for tests and the CLI.

Routes below the mount point: ``POST /tsa`` (``application/timestamp-query``),
``POST /ocsp`` (``application/ocsp-request``), ``GET /crl/ca.crl``, ``GET /crl/root.crl``,
``GET /ca.crt``, ``GET /root.crt``. Production uses a licensed TSA and the CA's own OCSP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp

from signing.testing.pki import REVOCATION_INFO_LIFETIME, SERVICE_PATHS, TestPki

__all__ = ["LoopbackPkiServer", "PkiAsgiApp", "PkiResponder", "ResponderReply"]

MAX_REQUEST_BYTES = 64 * 1024
_TSA_POLICY = "1.3.6.1.4.1.99999.3005.1"  # test policy OID (private arc), not a real TSA policy
_CRL_REFRESH = dt.timedelta(minutes=10)
_SERVICE_AT = {path: service for service, path in SERVICE_PATHS.items()}  # "/tsa" -> "tsa"
# message imprints the TSA stamps (SHA-1 is refused as too weak)
_IMPRINT_HASHES = frozenset({"sha256", "sha384", "sha512"})


@dataclass(frozen=True)
class ResponderReply:
    status: int
    content_type: str
    body: bytes


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _sign(key: Any, data: bytes) -> tuple[bytes, str]:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256())), "sha256_ecdsa"
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256()), "sha256_rsa"
    raise TypeError(type(key))


class PkiResponder:
    """Answers TSA, OCSP and CRL requests for one :class:`TestPki`. Thread-safe."""

    def __init__(self, pki: TestPki) -> None:
        self._pki = pki
        der = serialization.Encoding.DER
        self._tsa_asn1 = asn1_x509.Certificate.load(pki.tsa_cert.public_bytes(der))
        self._ca_der = pki.ca_cert.public_bytes(der)
        self._root_der = pki.root_cert.public_bytes(der)
        self._ca_asn1 = asn1_x509.Certificate.load(self._ca_der)
        self._tsa_cert_hash = hashlib.sha256(self._tsa_asn1.dump()).digest()
        self._crl_lock = threading.Lock()
        self._crl_cache: dict[str, tuple[int, dt.datetime, bytes]] = {}
        self._crl_number = 0
        ca_pub = pki.ca_cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self._ca_spki_bits = asn1_x509_public_key_bits(ca_pub)
        self._ca_name_der = pki.ca_cert.subject.public_bytes()

    # -- transport-free entry point ------------------------------------------------------------
    def handle(self, method: str, path: str, body: bytes) -> ResponderReply:
        if path.startswith("/pki/"):
            path = path[4:]
        service = _SERVICE_AT.get(path)
        try:
            if method == "POST" and service == "tsa":
                return ResponderReply(200, "application/timestamp-reply", self.timestamp(body))
            if method == "POST" and service == "ocsp":
                return ResponderReply(200, "application/ocsp-response", self.ocsp(body))
            if method == "GET" and service == "ca_crl":
                return ResponderReply(200, "application/pkix-crl", self.crl("ca"))
            if method == "GET" and service == "root_crl":
                return ResponderReply(200, "application/pkix-crl", self.crl("root"))
            if method == "GET" and service == "ca_cert":
                return ResponderReply(200, "application/pkix-cert", self._ca_der)
            if method == "GET" and service == "root_cert":
                return ResponderReply(200, "application/pkix-cert", self._root_der)
        except ValueError as e:
            return ResponderReply(400, "text/plain; charset=utf-8", f"bad request: {e}".encode())
        return ResponderReply(404, "text/plain; charset=utf-8", b"not found")

    # -- RFC 3161 ------------------------------------------------------------------------------
    def timestamp(self, body: bytes) -> bytes:
        try:
            req = tsp.TimeStampReq.load(body)
            imprint = req["message_imprint"]
            md = imprint["hash_algorithm"]["algorithm"].native
            _ = req.native  # force a full parse: malformed input fails here, not later
        except (ValueError, TypeError) as e:
            raise ValueError(f"TimeStampReq: {e}") from e
        if md not in _IMPRINT_HASHES:
            status = tsp.PKIStatusInfo(
                {"status": "rejection", "fail_info": tsp.PKIFailureInfo({"bad_alg"})}
            )
            # asn1crypto's TimeStampResp insists on a token; a rejection carries none
            return _der_sequence(status.dump())
        now = _now()
        tst_args: dict[str, Any] = {
            "version": "v1",
            "policy": _TSA_POLICY,
            "message_imprint": imprint,
            "serial_number": secrets.randbits(64),
            "gen_time": now,
            "accuracy": {"seconds": 1},
            "tsa": asn1_x509.GeneralName(name="directory_name", value=self._tsa_asn1.subject),
        }
        if req["nonce"].native is not None:
            tst_args["nonce"] = req["nonce"]
        tst_info = tsp.TSTInfo(tst_args).dump()
        signed_attrs = cms.CMSAttributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
                cms.CMSAttribute(
                    {"type": "signing_time", "values": [cms.Time({"utc_time": core.UTCTime(now)})]}
                ),
                cms.CMSAttribute(
                    {"type": "message_digest", "values": [hashlib.sha256(tst_info).digest()]}
                ),
                cms.CMSAttribute(
                    {
                        "type": "signing_certificate_v2",
                        "values": [
                            tsp.SigningCertificateV2(
                                {"certs": [tsp.ESSCertIDv2({"cert_hash": self._tsa_cert_hash})]}
                            )
                        ],
                    }
                ),
            ]
        )
        signature, sig_alg = _sign(self._pki.tsa_key, signed_attrs.dump())
        digest_alg = algos.DigestAlgorithm({"algorithm": "sha256"})
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                            {
                                "issuer": self._tsa_asn1.issuer,
                                "serial_number": self._tsa_asn1.serial_number,
                            }
                        )
                    }
                ),
                "digest_algorithm": digest_alg,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_alg}),
                "signed_attrs": signed_attrs,
                "signature": signature,
            }
        )
        certs = [self._tsa_asn1] if req["cert_req"].native else []
        if req["cert_req"].native:
            certs.append(self._ca_asn1)
        signed_data = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [digest_alg],
                "encap_content_info": {
                    "content_type": "tst_info",
                    "content": cms.ParsableOctetString(tst_info),
                },
                "certificates": certs or None,
                "signer_infos": [signer_info],
            }
        )
        token = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
        return tsp.TimeStampResp(
            {"status": {"status": "granted"}, "time_stamp_token": token}
        ).dump()

    # -- RFC 6960 ------------------------------------------------------------------------------
    def ocsp(self, body: bytes) -> bytes:
        try:
            req = ocsp.load_der_ocsp_request(body)
        except ValueError:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            ).public_bytes(serialization.Encoding.DER)
        algo = req.hash_algorithm
        if not self._issued_by_ca(req.issuer_name_hash, req.issuer_key_hash, algo):
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            ).public_bytes(serialization.Encoding.DER)
        state, revoked_at, reason = self._pki.state.lookup(req.serial_number)
        now = _now()
        cert_status = {
            "good": ocsp.OCSPCertStatus.GOOD,
            "revoked": ocsp.OCSPCertStatus.REVOKED,
            "unknown": ocsp.OCSPCertStatus.UNKNOWN,
        }[state]
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=req.issuer_name_hash,
            issuer_key_hash=req.issuer_key_hash,
            serial_number=req.serial_number,
            algorithm=algo,
            cert_status=cert_status,
            this_update=now - dt.timedelta(seconds=5),
            next_update=now + REVOCATION_INFO_LIFETIME,
            revocation_time=revoked_at.replace(tzinfo=None) if revoked_at else None,
            revocation_reason=x509.ReasonFlags[reason] if reason else None,
        )
        for ext in req.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                builder = builder.add_extension(ext.value, critical=False)
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self._pki.ocsp_cert)
        builder = builder.certificates([self._pki.ocsp_cert])
        resp = builder.sign(self._pki.ocsp_key, hashes.SHA256())
        return resp.public_bytes(serialization.Encoding.DER)

    def _issued_by_ca(self, name_hash: bytes, key_hash: bytes, algo: hashes.HashAlgorithm) -> bool:
        name_digest = hashes.Hash(type(algo)())
        name_digest.update(self._ca_name_der)
        key_digest = hashes.Hash(type(algo)())
        key_digest.update(self._ca_spki_bits)
        return secrets.compare_digest(name_digest.finalize(), name_hash) and secrets.compare_digest(
            key_digest.finalize(), key_hash
        )

    # -- RFC 5280 CRLs -------------------------------------------------------------------------
    def crl(self, which: str) -> bytes:
        version = self._pki.state.current_version()
        now = _now()
        with self._crl_lock:
            cached = self._crl_cache.get(which)
            if cached and cached[0] == version and now - cached[1] < _CRL_REFRESH:
                return cached[2]
            self._crl_number += 1
            data = self._pki.crl(which, number=self._crl_number, at=now)
            self._crl_cache[which] = (version, now, data)
            return data


def _der_sequence(content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return b"\x30" + length + content


def asn1_x509_public_key_bits(spki_der: bytes) -> bytes:
    """The subjectPublicKey BIT STRING contents (what OCSP's issuerKeyHash hashes)."""
    from asn1crypto import keys

    return bytes(keys.PublicKeyInfo.load(spki_der)["public_key"].contents[1:])


# -- ASGI --------------------------------------------------------------------------------------
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class PkiAsgiApp:
    """ASGI app for the loopback trust services; mount it at ``/pki``.

    Signing work is a few hundred microseconds, so it runs inline on the event loop.
    """

    def __init__(self, responder: PkiResponder) -> None:
        self._responder = responder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        body = b""
        too_big = False
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > MAX_REQUEST_BYTES:
                too_big = True
                break
            if not message.get("more_body"):
                break
        if too_big:
            reply = ResponderReply(413, "text/plain; charset=utf-8", b"request too large")
        else:
            reply = self._responder.handle(scope["method"], path or "/", body)
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [
                    (b"content-type", reply.content_type.encode()),
                    (b"content-length", str(len(reply.body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": reply.body})


# -- threaded HTTP server ----------------------------------------------------------------------
class LoopbackPkiServer:
    """``with LoopbackPkiServer(responder, port=8123) as srv: ...`` serves ``/pki/*``."""

    def __init__(self, responder: PkiResponder, *, host: str = "127.0.0.1", port: int = 0) -> None:
        outer = responder

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _reply(self, reply: ResponderReply) -> None:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def do_GET(self) -> None:
                self._reply(outer.handle("GET", self.path.split("?", 1)[0], b""))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_REQUEST_BYTES:
                    self.close_connection = True
                    self._reply(ResponderReply(413, "text/plain", b"request too large"))
                    return
                body = self.rfile.read(length)
                self._reply(outer.handle("POST", self.path.split("?", 1)[0], body))

            def log_message(self, format: str, *args: Any) -> None:
                pass  # tests and benchmarks would drown in access logs

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> LoopbackPkiServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackPkiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
