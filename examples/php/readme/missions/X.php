<?php
// README "Standalone debug mode" calls its mission missions/X.php; X is the
// quick example (GenerateThumbnails.php), whose video_id input the README's
// commands pass:
//   php missions/X.php --input='{"video_id":42}'
require __DIR__ . '/GenerateThumbnails.php';
