#!/bin/sh
# A test plugin that ignores SIGTERM (its children inherit that) and never answers: only
# SIGKILL stops it.
trap '' TERM
echo "warning: ignoring SIGTERM" >&2
while :; do sleep 1; done
