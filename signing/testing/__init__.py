"""signing.testing: the test PKI, its loopback trust services and sample certificate data.

Used by the tests, the benchmarks, the ``paoyici pki`` / ``paoyici certificate sample`` verbs and
the embedded default, which :func:`signing.build_signing_services` builds with
``serve_test_pki`` on: a PKI generated on first start (every name in it marked 仅供测试) whose
TSA, OCSP responder and CRLs the service mounts at ``/pki``. That builder is the one production
path into this package, and only with ``serve_test_pki``: a deployment with a real PKI never
imports it.
"""

from signing.testing.pki import PkiUrls, RevocationState, TestPki, init_test_pki, open_test_pki
from signing.testing.responders import LoopbackPkiServer, PkiAsgiApp, PkiResponder
from signing.testing.samples import sample_meta

__all__ = [
    "LoopbackPkiServer",
    "PkiAsgiApp",
    "PkiResponder",
    "PkiUrls",
    "RevocationState",
    "TestPki",
    "init_test_pki",
    "open_test_pki",
    "sample_meta",
]
