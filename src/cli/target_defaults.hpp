// What `run` and `dispatch` fill in when letts.yaml makes the choice
// obvious, so the everyday call is `letts run --mission NAME`: the only
// dugdale when no route, host or label filter is given, and the dugdale's
// only lane (or its lane "default") when a host is given without --lane.
#pragma once

#include <string>

#include <letts/letts.h>

#include "job_flags.hpp"

namespace letts_cli {

// Sets f.hosts to the single dugdale of letts.yaml when nothing addresses one.
void default_host(const letts_client* client, DispatchFlags& f);

// f.lane, or the lane letts.yaml makes obvious for `host`, or "" (the
// library then reports that a lane is required).
std::string lane_for(const letts_client* client, const DispatchFlags& f, const std::string& host);

}  // namespace letts_cli
