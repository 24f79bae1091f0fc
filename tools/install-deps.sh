#!/usr/bin/env bash
# Installs the Debian packages flywheel needs, only those missing. Idempotent.
# Usage: tools/install-deps.sh   (as root, or with sudo available)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libtbb-dev libboost-dev libboost-random-dev librandom123-dev libsleef-dev
  libhdf5-dev hdf5-tools netcdf-bin libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format clang-tidy
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-pandas python3-xarray
  python3-h5netcdf python3-netcdf4 python3-dask python3-yaml python3-matplotlib python3-nbclient python3-nbformat
  python3-ipykernel python3-pytest
  python3-flask libjs-chart.js python3-selenium chromium chromium-driver
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
