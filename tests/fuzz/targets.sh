# Sourced by check.sh and campaign.sh: the fuzz targets (tests/fuzz/fuzz_<name>.cpp,
# seeds in corpus/<name>/) and the dictionary each one uses. Keep in step
# with fuzz_targets in meson.build.
fuzz_targets=(letts_config dugdale_config request_json fd3_reader ndjson_events run_result mission_input router
              byte_range)

target_dict() {
    case $1 in
        letts_config|dugdale_config) echo yaml.dict ;;
        router|byte_range) echo http.dict ;;
        *) echo json.dict ;;
    esac
}
