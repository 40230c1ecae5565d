#!/usr/bin/env bash
# Installe les paquets système dont les tests ont besoin, s'ils manquent :
# chromium et chromium-driver (tests du site dans un vrai navigateur),
# poppler-utils (pdftotext, pdfimages pour vérifier les PDF),
# libreoffice-writer-nogui (soffice : documents de relecture ouverts et réenregistrés).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installation des paquets système : ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Erreur : il faut être administrateur (root) pour installer ${missing[*]}." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
