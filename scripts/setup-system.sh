#!/usr/bin/env bash
# Installs what the tests need from the operating system, once: Debian's Chromium for the UI tests,
# and the real device stacks the system tests talk to. Safe to run again; does nothing when all
# is present. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  chromium              # end-to-end tests (driven by playwright-core; no browser download)
  fonts-noto-cjk        # Chinese text in screenshots and rendered documents
  socat                 # pseudo-terminal pairs for the serial reader tests
  pcscd libpcsclite1 vsmartcard-vpcd   # real PC/SC stack with a virtual reader for chip tests
  util-linux openssl    # unshare for a private pcscd per test run; openssl cross-checks brainpool ECDSA
  softhsm2 opensc       # a real PKCS#11 token for CA-key tests
  poppler-utils         # pdftoppm / pdftotext for archive-copy tests
  jbig2dec              # an independent JBIG2 decoder the OFD image tests check against
  build-essential       # the test SKF library is compiled from C
  libssl-dev            # OpenSSL headers: the test SKF library's SM2/SM3 come from libcrypto
  mariadb-server        # the front-end processor (HN_license) tests push into a real MariaDB
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages for the tests: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Need root to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The front-end processor tests need MariaDB on 127.0.0.1:3306; start it if it is installed but down.
if command -v mariadbd >/dev/null && ! (echo > /dev/tcp/127.0.0.1/3306) 2>/dev/null; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  for _ in $(seq 1 30); do (echo > /dev/tcp/127.0.0.1/3306) 2>/dev/null && break; sleep 1; done
fi

# Those tests log in over TCP as root without a password; a fresh Debian install lets root in only
# through its Unix socket. Allow both, once, when that is the case (and we are root).
if command -v mariadb >/dev/null && [ "$(id -u)" -eq 0 ] && (echo > /dev/tcp/127.0.0.1/3306) 2>/dev/null &&
  ! mariadb -h 127.0.0.1 -u root -e 'SELECT 1' >/dev/null 2>&1; then
  mariadb -u root -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" || true
fi
