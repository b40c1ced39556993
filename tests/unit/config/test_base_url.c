/*
 * Base URL construction (spec/client-config.md §8) through
 * letts_config_base_url: url wins and loses its trailing slashes, embedded
 * port > dugdale port > defaults.port > 7180, IPv6 brackets, and the
 * http/https check on `url` at first use.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

static const char *const urls_yaml =
    "defaults: {port: 7190}\n"
    "dugdales:\n"
    "  - {id: server1, host: server1.internal}\n"
    "  - {id: server2, host: server2.internal, port: 7181}\n"
    "  - {id: server3, host: \"server3.internal:7999\"}\n"
    "  - {id: embedwins, host: \"h:7999\", port: 7181}\n"
    "  - {id: zeroport, host: \"h:0\", port: 7181}\n"
    "  - {id: abcport, host: \"h:abc\"}\n"
    "  - {id: ipv4, host: 10.0.0.7}\n"
    "  - {id: ipv4port, host: \"10.0.0.7:8000\"}\n"
    "  - {id: v6loop, host: \"::1\"}\n"
    "  - {id: v6bracket, host: \"[::1]\"}\n"
    "  - {id: v6withport, host: \"[2001:db8::5]:7999\"}\n"
    "  - {id: v6bare, host: \"2001:db8::5\", port: 7181}\n"
    "  - {id: gw, url: \"https://gw.example.com/letts/\", host: ignored, port: 1}\n"
    "  - {id: asis, url: \"http://h:8080\"}\n"
    "  - {id: slashes, url: \"http://h:1///\"}\n"
    "  - {id: upper, url: \"HTTPS://gw.example.com/x\"}\n"
    "  - {id: ftp, url: \"ftp://h/x\"}\n"
    "  - {id: noscheme, url: \"h:7180\"}\n";

static int setup(void **state) {
    letts_config *cfg = NULL;
    letts_error *err = NULL;
    if (letts_config_load_string(&cfg, urls_yaml, strlen(urls_yaml), "urls.yaml", &err) !=
        LETTS_OK) {
        print_error("url fixture failed to load: %s\n", letts_error_message(err));
        letts_error_free(err);
        return -1;
    }
    *state = cfg;
    return 0;
}

static int teardown(void **state) {
    letts_config_free(*state);
    return 0;
}

static void expect_url_(const char *file, int line, const letts_config *cfg, const char *id,
                        const char *want) {
    char *url = NULL;
    letts_error *err = NULL;
    check_ok_(file, line, letts_config_base_url(cfg, id, &url, &err), &err);
    if (url == NULL || strcmp(url, want) != 0) {
        print_error("base URL of %s: \"%s\", expected \"%s\"\n", id, url ? url : "(null)", want);
        letts_free(url);
        _fail(file, line);
    }
    letts_free(url);
}
#define EXPECT_URL(cfg, id, want) expect_url_(__FILE__, __LINE__, (cfg), (id), (want))

static void test_defaults_port_used(void **state) {
    EXPECT_URL(*state, "server1", "http://server1.internal:7190");
}

static void test_dugdale_port_beats_defaults(void **state) {
    EXPECT_URL(*state, "server2", "http://server2.internal:7181");
}

static void test_embedded_port_used(void **state) {
    EXPECT_URL(*state, "server3", "http://server3.internal:7999");
}

static void test_embedded_port_beats_dugdale_port(void **state) {
    EXPECT_URL(*state, "embedwins", "http://h:7999");
}

static void test_embedded_zero_port_falls_back(void **state) {
    EXPECT_URL(*state, "zeroport", "http://h:7181");
}

static void test_embedded_non_numeric_port_falls_back(void **state) {
    EXPECT_URL(*state, "abcport", "http://h:7190");
}

static void test_ipv4_host(void **state) {
    EXPECT_URL(*state, "ipv4", "http://10.0.0.7:7190");
    EXPECT_URL(*state, "ipv4port", "http://10.0.0.7:8000");
}

static void test_ipv6_literal_bracketed(void **state) {
    EXPECT_URL(*state, "v6loop", "http://[::1]:7190");
}

static void test_bracketed_ipv6_without_port(void **state) {
    EXPECT_URL(*state, "v6bracket", "http://[::1]:7190");
}

static void test_bracketed_ipv6_with_port(void **state) {
    EXPECT_URL(*state, "v6withport", "http://[2001:db8::5]:7999");
}

static void test_bare_ipv6_with_dugdale_port(void **state) {
    EXPECT_URL(*state, "v6bare", "http://[2001:db8::5]:7181");
}

static void test_url_wins_and_trailing_slash_dropped(void **state) {
    EXPECT_URL(*state, "gw", "https://gw.example.com/letts");
}

static void test_url_returned_as_written(void **state) {
    EXPECT_URL(*state, "asis", "http://h:8080");
}

static void test_url_all_trailing_slashes_dropped(void **state) {
    EXPECT_URL(*state, "slashes", "http://h:1");
}

static void test_url_scheme_case_insensitive(void **state) {
    char *url = NULL;
    letts_error *err = NULL;
    EXPECT_OK(letts_config_base_url(*state, "upper", &url, &err), &err);
    assert_non_null(url);
    EXPECT_PRESENT(url, "gw.example.com/x");
    letts_free(url);
}

static void test_url_ftp_scheme_rejected_at_use(void **state) {
    char *url = (char *)"sentinel";
    letts_error *err = NULL;
    letts_status rc = letts_config_base_url(*state, "ftp", &url, &err);
    assert_null(url);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "ftp", "http");
}

static void test_url_without_scheme_rejected_at_use(void **state) {
    char *url = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_base_url(*state, "noscheme", &url, &err);
    assert_null(url);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "http");
}

static void test_unknown_dugdale_rejected(void **state) {
    char *url = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_base_url(*state, "ghost", &url, &err);
    assert_null(url);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "ghost");
}

static void test_alias_is_not_a_dugdale_id(void **state) {
    (void)state;
    /* base_url takes a dugdale id; aliases are resolved by targets. */
    letts_config *cfg = LOAD_OK("aliases: {primary: s1}\ndugdales:\n  - {id: s1, host: h}\n");
    char *url = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_base_url(cfg, "primary", &url, &err);
    assert_null(url);
    EXPECT_ERROR(rc, &err, LETTS_ERR_CONFIG, "primary");
    letts_config_free(cfg);
}

static void test_default_port_7180(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("defaults: {port: 0}\n"
                                "dugdales:\n  - {id: s1, host: h}\n  - {id: s2, host: \"::1\"}\n");
    EXPECT_URL(cfg, "s1", "http://h:7180");
    EXPECT_URL(cfg, "s2", "http://[::1]:7180");
    letts_config_free(cfg);
}

static void test_no_defaults_block_port_7180(void **state) {
    (void)state;
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: h, port: 0}\n");
    EXPECT_URL(cfg, "s1", "http://h:7180");
    letts_config_free(cfg);
}

static void test_no_substitution_in_host(void **state) {
    (void)state;
    env_set("LT_URL_HOST", "substituted");
    letts_config *cfg = LOAD_OK("dugdales:\n  - {id: s1, host: \"${LT_URL_HOST}\"}\n");
    char *url = NULL;
    letts_error *err = NULL;
    letts_status rc = letts_config_base_url(cfg, "s1", &url, &err);
    /* ${...} is literal text in host: it must never become "substituted". */
    if (rc == LETTS_OK) EXPECT_ABSENT(url, "substituted");
    letts_free(url);
    letts_error_free(err);
    letts_config_free(cfg);
    env_set("LT_URL_HOST", NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_defaults_port_used),
        T(test_dugdale_port_beats_defaults),
        T(test_embedded_port_used),
        T(test_embedded_port_beats_dugdale_port),
        T(test_embedded_zero_port_falls_back),
        T(test_embedded_non_numeric_port_falls_back),
        T(test_ipv4_host),
        T(test_ipv6_literal_bracketed),
        T(test_bracketed_ipv6_without_port),
        T(test_bracketed_ipv6_with_port),
        T(test_bare_ipv6_with_dugdale_port),
        T(test_url_wins_and_trailing_slash_dropped),
        T(test_url_returned_as_written),
        T(test_url_all_trailing_slashes_dropped),
        T(test_url_scheme_case_insensitive),
        T(test_url_ftp_scheme_rejected_at_use),
        T(test_url_without_scheme_rejected_at_use),
        T(test_unknown_dugdale_rejected),
        T(test_alias_is_not_a_dugdale_id),
        T(test_default_port_7180),
        T(test_no_defaults_block_port_7180),
        T(test_no_substitution_in_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
