#include "devserver/applied_doc.hpp"

#include "core/text.hpp"
#include "devserver/json_out.hpp"

namespace letts::devserver {
namespace {

bool type_error(std::string& error, const char* field, const jv::Value& v, const char* want) {
    error = std::string("json: cannot unmarshal ") + v.go_type_name() + " into Go struct field " + field +
            " of type " + want;
    return false;
}

bool read_string(const jv::Value* v, std::string& out, const char* field, std::string& error) {
    if (!v || v->type == jv::Type::null) return true;
    if (v->type != jv::Type::string) return type_error(error, field, *v, "string");
    out = v->text;
    return true;
}

bool read_strings(const jv::Value* v, std::vector<std::string>& out, const char* field, std::string& error) {
    if (!v || v->type == jv::Type::null) return true;
    if (v->type != jv::Type::array) return type_error(error, field, *v, "[]string");
    for (const auto& item : v->items) {
        if (item.type != jv::Type::string) return type_error(error, field, item, "string");
        out.push_back(item.text);
    }
    return true;
}

bool read_bool(const jv::Value* v, bool& out, const char* field, std::string& error) {
    if (!v || v->type == jv::Type::null) return true;
    if (v->type != jv::Type::boolean) return type_error(error, field, *v, "bool");
    out = v->boolean;
    return true;
}

}  // namespace

bool decode_applied(const std::string& body, AppliedState& out, std::string& error) {
    auto parsed = jv::parse(body);
    if (!parsed.value) {
        error = parsed.error;
        return false;
    }
    const jv::Value& root = *parsed.value;
    if (root.type == jv::Type::null) return true;
    if (root.type != jv::Type::object) return type_error(error, "AppliedState", root, "apply.AppliedState");
    if (!read_string(root.find_fold("mission_dir"), out.mission_dir, "AppliedState.mission_dir", error)) return false;
    if (const jv::Value* labels = root.find_fold("labels"); labels && labels->type != jv::Type::null) {
        std::vector<std::string> l;
        if (!read_strings(labels, l, "AppliedState.labels", error)) return false;
        out.labels = std::move(l);
    }
    if (const jv::Value* lanes = root.find_fold("lanes"); lanes && lanes->type != jv::Type::null) {
        if (lanes->type != jv::Type::object)
            return type_error(error, "AppliedState.lanes", *lanes, "map[string]apply.Lane");
        for (const auto& [name, lane] : lanes->members) {
            AppliedLane l;
            if (lane.type == jv::Type::object) {
                const jv::Value* c = lane.find_fold("concurrency");
                // An integer literal only; one beyond int64 fails like a
                // fraction instead of escaping the handler as an exception.
                if (c && c->type != jv::Type::null &&
                    (c->type != jv::Type::number || !text::parse_int64(c->text, l.concurrency)))
                    return type_error(error, "AppliedState.lanes.concurrency", *c, "int");
                if (!read_bool(lane.find_fold("paused"), l.paused, "AppliedState.lanes.paused", error)) return false;
                std::string ignored;  // paused_by is recomputed by the server
                if (!read_string(lane.find_fold("paused_by"), ignored, "AppliedState.lanes.paused_by", error))
                    return false;
            } else if (lane.type != jv::Type::null) {
                return type_error(error, "AppliedState.lanes", lane, "apply.Lane");
            }
            out.lanes[name] = l;
        }
    }
    if (const jv::Value* rt = root.find_fold("runtime"); rt && rt->type != jv::Type::null) {
        if (rt->type != jv::Type::object) return type_error(error, "AppliedState.runtime", *rt, "apply.Runtime");
        if (!read_string(rt->find_fold("mission_path_template"), out.mission_path_template,
                         "AppliedState.runtime.mission_path_template", error) ||
            !read_strings(rt->find_fold("command_template"), out.command_template,
                          "AppliedState.runtime.command_template", error) ||
            !read_bool(rt->find_fold("validate_mission_file"), out.validate_mission_file,
                       "AppliedState.runtime.validate_mission_file", error))
            return false;
    }
    return true;
}

json::Ptr encode_applied(const AppliedState& s) {
    auto o = json::object();
    json::add(o.get(), "mission_dir", jout::string(s.mission_dir));
    if (s.labels) {
        auto labels = json::array();
        for (const auto& l : *s.labels) json::append(labels.get(), jout::string(l));
        json::add(o.get(), "labels", std::move(labels));
    } else {
        json::add(o.get(), "labels", json::null());
    }
    auto lanes = json::object();
    for (const auto& [name, lane] : s.lanes) {
        auto l = json::object();
        json::add(l.get(), "concurrency", jout::int64(lane.concurrency));
        if (lane.paused) {
            json::add(l.get(), "paused", json::boolean(true));
            if (!lane.paused_by.empty()) json::add(l.get(), "paused_by", jout::string(lane.paused_by));
        }
        json::add(lanes.get(), name, std::move(l));
    }
    json::add(o.get(), "lanes", std::move(lanes));
    auto rt = json::object();
    if (!s.mission_path_template.empty())
        json::add(rt.get(), "mission_path_template", jout::string(s.mission_path_template));
    if (!s.command_template.empty()) {
        auto cmd = json::array();
        for (const auto& a : s.command_template) json::append(cmd.get(), jout::string(a));
        json::add(rt.get(), "command_template", std::move(cmd));
    }
    json::add(rt.get(), "validate_mission_file", json::boolean(s.validate_mission_file));
    json::add(o.get(), "runtime", std::move(rt));
    return o;
}

}  // namespace letts::devserver
