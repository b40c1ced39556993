// letts/config.h: loading letts.yaml and reading the loaded configuration.
#include <memory>
#include <string>

#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "letts/config.h"

namespace cfg = letts::config;
using letts::capi::guarded;
using letts::capi::require;

namespace {

constexpr unsigned known_flags = LETTS_CONFIG_INSECURE_PERMISSIONS;

cfg::LoadOptions load_options(unsigned flags, const char* function) {
    require((flags & ~known_flags) == 0,
            std::string(function) + ": unknown flag bits " + std::to_string(flags & ~known_flags));
    cfg::LoadOptions options;
    options.insecure_permissions = (flags & LETTS_CONFIG_INSECURE_PERMISSIONS) != 0;
    return options;
}

std::unique_ptr<letts_config> wrap(cfg::Config config) {
    auto handle = std::make_unique<letts_config>();
    handle->json = cfg::to_json(config);
    handle->config = std::move(config);
    return handle;
}

}  // namespace

extern "C" {

LETTS_EXTERN letts_status letts_config_load_file(letts_config** out, const char* path,
                                                 unsigned flags, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_config_load_file: out is NULL");
        require(path != nullptr, "letts_config_load_file: path is NULL");
        auto options = load_options(flags, "letts_config_load_file");
        letts::capi::hand_over(out, wrap(cfg::load_file(path, options)));
    });
}

LETTS_EXTERN letts_status letts_config_load_string(letts_config** out, const char* yaml,
                                                   size_t len, const char* name,
                                                   letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_config_load_string: out is NULL");
        require(yaml != nullptr || len == 0, "letts_config_load_string: yaml is NULL");
        std::string_view text = yaml ? std::string_view(yaml, len) : std::string_view();
        letts::capi::hand_over(out, wrap(cfg::load_string(text, name ? name : "<string>")));
    });
}

LETTS_EXTERN letts_status letts_config_discover(letts_config** out, unsigned flags,
                                                letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_config_discover: out is NULL");
        auto options = load_options(flags, "letts_config_discover");
        const std::string path = cfg::discover("", cfg::process_environment());
        letts::capi::hand_over(out, wrap(cfg::load_file(path, options)));
    });
}

LETTS_EXTERN void letts_config_free(letts_config* config) {
    std::unique_ptr<letts_config> owned(config);
}

LETTS_EXTERN const char* letts_config_path(const letts_config* config) {
    return config ? letts::capi::null_if_empty(config->config.path) : nullptr;
}

LETTS_EXTERN const char* letts_config_json(const letts_config* config) {
    return config ? config->json.c_str() : nullptr;
}

LETTS_EXTERN letts_status letts_config_dugdales(const letts_config* config,
                                                const char* const* labels, size_t n_labels,
                                                letts_string_list** out, letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(config != nullptr, "letts_config_dugdales: cfg is NULL");
        require(out != nullptr, "letts_config_dugdales: out is NULL");
        const auto wanted = letts::capi::copy_string_array(labels, n_labels, "labels");
        letts::capi::hand_over(
            out, std::make_unique<letts_string_list>(letts_string_list{cfg::ids_carrying(config->config, wanted)}));
    });
}

LETTS_EXTERN letts_status letts_config_base_url(const letts_config* config,
                                                const char* dugdale_id, char** out,
                                                letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(config != nullptr, "letts_config_base_url: cfg is NULL");
        require(dugdale_id != nullptr, "letts_config_base_url: dugdale_id is NULL");
        require(out != nullptr, "letts_config_base_url: out is NULL");
        *out = letts::capi::copy_to_caller(cfg::base_url(config->config, dugdale_id));
    });
}

}  // extern "C"
