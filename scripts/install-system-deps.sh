#!/usr/bin/env bash
# Install the Debian packages the tests and the embedded service need. Idempotent: does nothing
# when everything is present. Needs root (or sudo).
#   fonts-noto-cjk, fonts-wqy-microhei  CJK fonts: certificates, checklists, synthetic documents
#   fonts-noto-cjk-extra, fonts-arphic-ukai, fonts-arphic-uming
#                                       more CJK faces of the synthetic training family
#   fonts-wqy-zenhei, fonts-lxgw-wenkai, fonts-arphic-gbsn00lp, fonts-arphic-gkai00mp,
#   fonts-droid-fallback                the CJK faces of the held-out family (never tuned on)
#   fonts-babelstone-han, fonts-hanazono, fonts-ipamj-mincho, fonts-ipaexfont-mincho,
#   fonts-ipaexfont-gothic              the CJK faces of the second held-out family (heldout2)
#   fonts-cns11643-sung, fonts-cns11643-kai, fonts-cwtex-fs, fonts-cwtex-heib, fonts-smiley-sans,
#   fonts-unifont, fonts-morisawa-bizud-gothic, fonts-morisawa-bizud-mincho,
#   fonts-mplus                         the faces of the third held-out family (heldout3)
#   fonts-cwtex-ming, fonts-cwtex-kai, fonts-cwtex-yen, fonts-arphic-bsmi00lp, fonts-arphic-bkai00mp,
#   fonts-ipafont-mincho, fonts-ipafont-gothic, fonts-takao-mincho, fonts-vlgothic,
#   fonts-horai-umefont, fonts-unfonts-core, fonts-klee, fonts-kiloji, fonts-seto,
#   fonts-dotgothic16, fonts-migmix, fonts-kouzan-mouhitsu (+ the Thin/ExtraLight Noto CJK weights)
#                                       the faces of the fourth held-out family (heldout4)
#   fonts-dejavu-core                   the monospaced digits of synthetic ID numbers
#   poppler-utils, libnss3-tools        pdfsig + certutil: independent signature validation
#   softhsm2                            a PKCS#11 token for the HSM key source
#   radosgw, ceph-mon, ceph-osd         a real S3 server (Ceph RGW) on loopback for storage tests
#   chromium                            headless browser for the web-page tests
#   libgl1, libglib2.0-0                the GUI build of OpenCV that the optional PaddleOCR engine needs
set -euo pipefail
PACKAGES=(
  curl openssl uuid-runtime
  fonts-noto-cjk fonts-wqy-microhei fonts-dejavu-core
  fonts-noto-cjk-extra fonts-arphic-ukai fonts-arphic-uming
  fonts-wqy-zenhei fonts-lxgw-wenkai fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-droid-fallback
  fonts-babelstone-han fonts-hanazono fonts-ipamj-mincho fonts-ipaexfont-mincho fonts-ipaexfont-gothic
  fonts-cns11643-sung fonts-cns11643-kai fonts-cwtex-fs fonts-cwtex-heib fonts-smiley-sans
  fonts-unifont fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho fonts-mplus
  fonts-cwtex-ming fonts-cwtex-kai fonts-cwtex-yen fonts-arphic-bsmi00lp fonts-arphic-bkai00mp
  fonts-ipafont-mincho fonts-ipafont-gothic fonts-takao-mincho fonts-vlgothic fonts-horai-umefont
  fonts-unfonts-core fonts-klee fonts-kiloji fonts-seto fonts-dotgothic16 fonts-migmix
  fonts-kouzan-mouhitsu
  poppler-utils libnss3-tools
  softhsm2
  radosgw ceph-mon ceph-osd
  chromium
  libgl1 libglib2.0-0
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
