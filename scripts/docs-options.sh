#!/usr/bin/env bash
# Regenerates the option table in docs/options.md (between the OPTIONS markers) from the one
# option table in entrypoint/options/table.ts: `npm run docs`.
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(node dist/whisk.cjs help --markdown)
python3 - "$table" <<'PY'
import re, sys
page = open('docs/options.md').read()
table = sys.argv[1]
new = re.sub(r'(<!-- OPTIONS:BEGIN[^\n]*-->\n).*?(<!-- OPTIONS:END -->)', lambda m: m.group(1) + table + '\n' + m.group(2), page, flags=re.S)
open('docs/options.md', 'w').write(new)
PY
