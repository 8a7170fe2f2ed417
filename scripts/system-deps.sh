#!/usr/bin/env bash
# System packages for scans (OCR) and legacy formats. Only OCR and .doc/.rtf/.odt
# need them; txt, docx and text PDFs work without. Installs with apt where it
# can (Debian/Ubuntu, as root or with passwordless sudo); otherwise says how.
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-rus)
if command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx rus; then need+=(tesseract-ocr-rus); fi
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "system-deps: please install: ${need[*]} (needed only for scanned PDFs and images)"; exit 0; fi
fi
if command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${need[*]} (for OCR of scans)…"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null 2>&1
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || echo "system-deps: apt-get could not install ${need[*]}; OCR will be unavailable"
else
  echo "system-deps: no apt-get here; install ${need[*]} with your package manager (only needed for OCR)"
fi
