#!/bin/sh
# README "Standalone debug mode": its three commands, verbatim. Run it from a
# directory that holds missions/ (this folder's, or a link to it) and
# payload.json, with JSON on stdin for the third command:
#   echo '{"video_id":99}' | sh standalone.sh
set -e

php missions/X.php --input='{"video_id":42}'
php missions/X.php --input-file=payload.json
php missions/X.php --input=- # read JSON from stdin
