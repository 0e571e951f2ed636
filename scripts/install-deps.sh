#!/usr/bin/env bash
# Installs every Debian package yoshiki needs to build, run and test.
# Idempotent: packages already present are left alone. Needs root (or sudo).
set -euo pipefail

packages=(
  # build; dpkg-dev: dpkg-shlibdeps, the .deb's dependencies (cpack -G DEB)
  build-essential cmake pkg-config clang-format dpkg-dev
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer's runtime
  clang libclang-rt-14-dev
  # libraries
  libpodofo-dev libxml2-dev libharfbuzz-dev libfreetype-dev libicu-dev zlib1g-dev
  libdeflate-dev
  libpoppler-cpp-dev
  catch2 libcli11-dev nlohmann-json3-dev libxlsxwriter-dev
  # yoshiki serve's HTTP server
  libcpp-httplib-dev
  # fonts (roles in fonts/fonts.xml)
  fonts-ipaexfont-gothic fonts-ipaexfont-mincho fonts-noto-cjk
  # third-party checkers used by the tests
  poppler-utils qpdf python3-pypdf python3-pil python3-lxml pdftk-java time
  # MuPDF: fillers_table renders with mutool and fills with PyMuPDF (python3-fitz)
  mupdf-tools python3-fitz
  # the Python binding (python/) and its tests: pybind11, pandas, Dask
  pybind11-dev python3-dev python3-pytest python3-pandas python3-dask python3-distributed
  # LibreOffice (no GUI) opens the report's XLSX in the tests, as an office user would
  libreoffice-calc-nogui
  # headless Chromium drives yoshiki serve's page in the serve_browser test
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
