#!/bin/sh
# A test plugin that writes a whole answer, then does not exit.
printf '{"protocol": 1, "observations": []}\n'
sleep 300
