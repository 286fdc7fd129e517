#!/usr/bin/env bash
# `make test`: output/deck.pdf and output/deck/index.html. The PDF (poppler-utils): one page per slide of the HTML deck,
# every page 16:9, every font embedded, every page renders; the HTML deck: one file, no network, no external files.
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-output}"
pdf="$output/deck.pdf"
html="$output/deck/index.html"
[ -f "$pdf" ] || { echo "deck test: $pdf is missing" >&2; exit 1; }
[ -f "$html" ] || { echo "deck test: $html is missing" >&2; exit 1; }

slides=$(grep -c '<section class="slide"' "$html")
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
[ "$pages" = "$slides" ] || { echo "deck test: deck.pdf has $pages pages, the HTML deck $slides slides" >&2; exit 1; }

# Every page 16:9 (pdfinfo -l lists each page's size).
pdfinfo -f 1 -l "$pages" "$pdf" | awk '/^Page +[0-9]+ size:/ { w = $4; h = $6; r = w / h; if (r < 1.77 || r > 1.78) { print "deck test: page " $2 " is " w " x " h; bad = 1 } } END { exit bad }'

# Every font embedded.
fonts=$(pdffonts "$pdf" | tail -n +3)
[ -n "$fonts" ] || { echo "deck test: deck.pdf has no fonts" >&2; exit 1; }
if echo "$fonts" | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit !bad }'; then
  echo "deck test: a font of deck.pdf is not embedded:" >&2; echo "$fonts" >&2; exit 1
fi

# Every page renders, and not blank.
mkdir -p artifacts/deck
rm -f artifacts/deck/page-*.png
pdftoppm -png -r 50 "$pdf" artifacts/deck/page
rendered=$(ls artifacts/deck/page-*.png | wc -l)
[ "$rendered" = "$pages" ] || { echo "deck test: pdftoppm rendered $rendered of $pages pages" >&2; exit 1; }
for png in artifacts/deck/page-*.png; do
  [ "$(stat -c %s "$png")" -gt 3000 ] || { echo "deck test: $png looks blank" >&2; exit 1; }
done

# The HTML deck stands alone: no http(s) or protocol-relative references, no files but itself.
if grep -Eo '(src|href)="[^"#][^"]*"' "$html" | grep -v 'src="data:' | grep -q .; then
  echo "deck test: the HTML deck refers to other files:" >&2
  grep -Eo '(src|href)="[^"#][^"]*"' "$html" | grep -v 'src="data:' | head >&2
  exit 1
fi
python3 scripts/validate_html.py "$html"
echo "deck test: deck.pdf has $pages 16:9 pages (one per slide), fonts embedded; the HTML deck stands alone"
