<?php
// README "Mission control & queries".
// Added: the autoloader, $letts and $id — a FlushCache mission on s1's lane
// "manual". With that lane paused (as the test does) the mission is still
// queued when kill() reaches it, so it is finished at once and restart()
// accepts it; restart() queues a copy; delete() removes the original.
require __DIR__ . '/../../../bindings/php/autoload.php';

use Letts\Client;

$letts = Client::default();
$id = $letts->dispatch(mission: 'FlushCache', host: 's1', lane: 'manual', input: ['items' => ['sessions']]);

// ---- README code, verbatim ----
$info = $letts->getMission($id); // ?MissionInfo; host omitted → search all dugdales
$info = $letts->getMission($id, host: 's1');
$list = $letts->listMissions(host: 's1', filters: ['status' => 'running']); // admin; host required
$letts->kill($id, signal: 'TERM', host: 's1'); // admin
$newId = $letts->restart($id, host: 's1'); // admin; returns the new mission id
$letts->delete($id, host: 's1', force: true); // admin
$dugdales = $letts->dugdales(match: ['prod']); // list<Config\Dugdale> matching labels
$scoped = $letts->withMatch(['prod']); // copy with a default auto-select label filter
