#!/bin/sh
# A test plugin that describes itself (taking batches), then hangs on every other call with a child of its
# own (whose pid it writes to $CHILD_PID), so tests see the whole process group stopped.
request=$(cat)
case "$request" in
  *'"method":"describe"'*)
    printf '{"protocol": 1, "summary": "hangs", "batch": true, "methods": ["requests", "observe"]}'
    exit 0 ;;
esac
echo "info: starting the long wait" >&2
sleep 300 &
echo $! > "$CHILD_PID"
wait
