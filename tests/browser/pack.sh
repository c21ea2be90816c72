#!/usr/bin/env bash
# pack.sh: the board pack in a real browser (the ctest browser_pack). pack_fixture writes the
# page of the hand-built fixture (tests/unit/report/pack_fixture.h) and prints its PDF through
# board_pack_pdf(); then headless Chromium
#   0. loads a control page that logs a console error and asks for an image over HTTP: both
#      checks below must see them, or they prove nothing;
#   1. loads the pack: no console message, and no request made by the page (the net log's
#      requests whose network isolation key is the file's origin; the browser's own
#      background requests are not the page's, and every host name resolves to nothing);
#   2. its DOM (--dump-dom) holds the fixture's rows, cell by cell, as the CSVs would hold the
#      published figures (hand-worked: small counts [c]);
#   3. every <svg> is role="img" with a <title> and a <desc>, and every figure has a table
#      after its chart;
#   4. a screenshot is kept as a test artefact (its path is printed);
#   5. the PDF is A4, of the expected page count, and its text holds the headline figures.
# Prints one line per failed check and exits 1 if any failed.
# usage: tests/browser/pack.sh PACK_FIXTURE OUT_DIR   (browser: $YJ_BROWSER, default
#        /usr/bin/chromium, installed by scripts/install-deps.sh from scripts/packages.txt)
set -euo pipefail
FIXTURE=$1
OUT=$2
BROWSER=${YJ_BROWSER:-/usr/bin/chromium}
PAGES=19 # the fixture's pack on A4
bad=0
fail() { echo "pack.sh: $*" >&2; bad=1; }

if [[ ! -x "$BROWSER" ]]; then
    echo "pack.sh: no browser at $BROWSER (scripts/install-deps.sh test installs chromium)" >&2
    exit 1
fi
for tool in pdfinfo pdftotext; do
    command -v "$tool" >/dev/null || {
        echo "pack.sh: no $tool (scripts/install-deps.sh test installs poppler-utils)" >&2
        exit 1
    }
done
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

flags=(--headless --disable-gpu --no-first-run --no-default-browser-check --disable-extensions
    --disable-background-networking --disable-component-update --disable-sync
    "--host-resolver-rules=MAP * ~NOTFOUND" --proxy-server=127.0.0.1:9
    --enable-logging=stderr --v=0)
if [[ $(id -u) -eq 0 ]]; then
    flags+=(--no-sandbox) # Chromium refuses to run as root with its sandbox
fi

# browse NAME URL [FLAG...]: the browser with its own profile; net log OUT/NAME.netlog, its
# stderr OUT/NAME.log, its stdout to stdout
browse() {
    local name=$1 url=$2
    shift 2
    timeout 60 "$BROWSER" "${flags[@]}" --user-data-dir="$OUT/profile-$name" \
        --log-net-log="$OUT/$name.netlog" "$@" "$url" 2>"$OUT/$name.log"
}
# the URLs the page at FILE asked for, from net log $1
page_requests() {
    { grep '"network_isolation_key":"file://' "$1" || true; } |
        grep -o '"url":"[^"]*"' | sed 's/^"url":"//; s/"$//' | grep -vx "file://$2" | sort -u || true
}
console() { grep 'CONSOLE' "$1" || true; }

# 0. the control page
cat >"$OUT/control.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><title>control</title></head><body><p>control</p>
<img alt="" src="http://198.51.100.7/control.png"><script>console.error("control")</script>
</body></html>
HTML
browse control "file://$OUT/control.html" --dump-dom >/dev/null
[[ "$(page_requests "$OUT/control.netlog" "$OUT/control.html")" == "http://198.51.100.7/control.png" ]] ||
    fail "the net log check does not see the control page's request"
[[ -n "$(console "$OUT/control.log")" ]] || fail "the console check does not see the control page's error"

# 1. the pack, no console message, no request
"$FIXTURE" "$OUT" --pdf "$BROWSER"
browse dom "file://$OUT/pack.html" --dump-dom >"$OUT/dom.html"
req=$(page_requests "$OUT/dom.netlog" "$OUT/pack.html")
[[ -z "$req" ]] || fail "the page made requests: $req"
msg=$(console "$OUT/dom.log")
[[ -z "$msg" ]] || fail "the page logged to the console: $msg"

# 2. the rows as the browser holds them: one line per <tr>, cells joined by '|'
sed 's#</tr>#&\n#g' "$OUT/dom.html" | sed 's#</t[dh]><t[dh][^>]*>#|#g; s#<[^>]*>##g' >"$OUT/rows.txt"
while IFS= read -r row; do
    grep -qFx -- "$row" "$OUT/rows.txt" || fail "the page's text lacks the row '$row'"
done <<'ROWS'
2023Q2|[c]|-|-
2023Q3|[c]|-|-
2024Q1|[c]|35|205.9
2024Q3|[c]|32|188.2
2025Q1|[c]|39|229.4
2024Q1|42|7|16.7|155|20|12.9|1.18|10.00
2024Q1|not final|9|[c]|9|[c]|[c]|1.00
2022Q4|final|20|7|15|35.0|2.14|0.75
Mixed|[c]|[c]|1020|6.0|[c]|[c]
All groups|22|||||
Motoring &lt;offences&gt;|0|0.0|[c]|[c]
1|accommodation|2025Q1|21.3|%|-|provisional
10|serious_violence|2025Q1|[c]|%|[c]|provisional
ROWS

# 3. every chart's text alternative, and a table after it in its figure
nsvg=$(grep -o '<svg [^>]*>' "$OUT/dom.html" | wc -l)
nimg=$(grep -o '<svg [^>]*>' "$OUT/dom.html" | grep -c 'role="img"[^>]*aria-labelledby="[^"]*-t [^"]*-d"' || true)
ntitle=$(grep -o '<title id="[^"]*-t">[^<][^<]*</title>' "$OUT/dom.html" | wc -l)
ndesc=$(grep -o '<desc id="[^"]*-d">[^<][^<]*</desc>' "$OUT/dom.html" | wc -l)
[[ "$nsvg" -eq 17 && "$nimg" -eq 17 && "$ntitle" -eq 17 && "$ndesc" -eq 17 ]] ||
    fail "charts $nsvg, with role=img and labels $nimg, titles $ntitle, descriptions $ndesc (expected 17 each)"
nobad=$(tr '\n' ' ' <"$OUT/dom.html" | sed 's#<figure #\n<figure #g' | grep '^<figure ' |
    sed 's#</figure>.*##' | { grep -v -e '<svg .*<table>' -e 'class="nochart".*<table>' || true; } |
    wc -l)
[[ "$nobad" -eq 0 ]] || fail "$nobad figure(s) without a chart (or a note) and a table after it"

# 4. the screenshot
browse shot "file://$OUT/pack.html" --hide-scrollbars --window-size=1280,2400 \
    --screenshot="$OUT/pack.png" >/dev/null
if [[ "$(head -c 4 "$OUT/pack.png" 2>/dev/null | tail -c 3)" == "PNG" ]]; then
    echo "pack.sh: screenshot: $OUT/pack.png" >&2
else
    fail "no screenshot at $OUT/pack.png"
fi

# 5. the PDF
info=$(pdfinfo "$OUT/pack.pdf")
grep -qE '^Page size: +594\.96 x 841\.92 pts \(A4\)$' <<<"$info" || fail "the PDF is not A4: $info"
grep -qE "^Pages: +$PAGES$" <<<"$info" || fail "the PDF has not $PAGES pages: $(grep Pages <<<"$info")"
text=$(pdftotext -layout "$OUT/pack.pdf" -)
for want in "Youth justice board pack: MEDWAY, 2025Q1" "The ten KPI headlines" \
    "accommodation" "21.3" "205.9" "First time entrants by quarter" "Custody by quarter" \
    "Reoffending by cohort" "Offence types, in the rolling year" "All groups"; do
    grep -qF -- "$want" <<<"$text" || fail "the PDF's text lacks '$want'"
done
rm -rf "$OUT"/profile-*
exit $bad
