#!/usr/bin/env bash
# System packages for scans (OCR) and legacy formats. Only OCR and .doc/.rtf/.odt
# need them; txt, docx and text PDFs work without. Installs with apt where it
# can (Debian/Ubuntu, as root or with passwordless sudo); otherwise says how.
#   tesseract-ocr tesseract-ocr-rus  OCR of scans and photos (Russian data)
#   poppler-utils                    pdfimages/pdftoppm, used by bench/ for the bare-tool baseline
#   fonts-dejavu-core                Cyrillic TTF the test fixtures' PDFs are typeset in
#   libreoffice-writer-nogui         .doc/.rtf/.odt conversion (skip with SKIP_LIBREOFFICE=1)
#   chromium                         the browser tests of the review workspace and the comparison report (Playwright drives it; skip with SKIP_CHROMIUM=1)
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-rus)
if command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx rus; then need+=(tesseract-ocr-rus); fi
command -v pdfimages >/dev/null 2>&1 || need+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need+=(fonts-dejavu-core)
if [ "${SKIP_LIBREOFFICE:-0}" != 1 ] && ! command -v soffice >/dev/null 2>&1; then need+=(libreoffice-writer-nogui); fi
if [ "${SKIP_CHROMIUM:-0}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "system-deps: please install: ${need[*]} (needed only for scans, .doc/.rtf/.odt and the test fixtures)"; exit 0; fi
fi
if command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${need[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null 2>&1
  if ! $SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
    # one missing package (e.g. no -nogui variant on an older release) must not block the others
    for p in "${need[@]}"; do
      $SUDO apt-get install -y -qq "$p" >/dev/null 2>&1 || echo "system-deps: apt-get could not install $p"
    done
  fi
else
  echo "system-deps: no apt-get here; install ${need[*]} with your package manager (only needed for OCR and legacy formats)"
fi
