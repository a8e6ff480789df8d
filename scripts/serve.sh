#!/bin/sh
# Runs the compiled server (dist/, see scripts/build.mjs) with the heap settings production uses;
# extra arguments are node flags (the bench adds profilers). A frontdesk process lives on about
# 60–80 MB of live objects, yet V8's defaults (a 64 MB young generation, an old one allowed to
# grow to four times what survived) let garbage take it to 490 MB resident while reminders fire.
# A smaller young generation and growth of at most 1.5× keep it under 300 MB, for more frequent,
# mostly concurrent collections (the bench's CPU per command shows their cost).
# No allocation-site pretenuring: with hundreds of webhook deliveries in flight, V8 saw their
# objects survive young collections and began allocating them straight into the old generation,
# where they died: a full collection every 0.4 s, and in the runs where that set in a quarter to
# 40% more CPU per delivery.
cd "$(dirname "$0")/.." || exit 1
exec node --max-semi-space-size=8 --heap-growing-percent=50 --no-allocation-site-pretenuring "$@" dist/src/main.js
