// Discovery of letts.yaml (spec/client-config.md §2) with an injected
// environment.
// Tested on the C++ internals (config/config.hpp); helpers in
// internal_support.hpp.
#include "internal_support.hpp"

namespace {

// ---- §2 discovery with an injected environment -------------------------------

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
    std::remove(path);
    return 0;
}

void make_dirs(const std::string& path) {
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') mkdir(path.substr(0, i).c_str(), 0700);
    }
}

struct TempDir {
    std::string path;
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string tmpl = std::string(base && *base ? base : "/tmp") + "/letts-cfgtest-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (mkdtemp(buf.data()) == nullptr) fail();
        path = buf.data();
    }
    ~TempDir() { nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string write(const std::string& rel, const std::string& text) const {
        std::string full = path + "/" + rel;
        make_dirs(full.substr(0, full.rfind('/')));
        FILE* f = std::fopen(full.c_str(), "wb");
        if (f == nullptr) fail();
        std::size_t written = std::fwrite(text.data(), 1, text.size(), f);
        if (std::fclose(f) != 0 || written != text.size()) fail();
        chmod(full.c_str(), 0600);
        return full;
    }
};

struct Cwd {
    std::string old;
    explicit Cwd(const std::string& dir) {
        char buf[4096];
        if (getcwd(buf, sizeof buf) != nullptr) old = buf;
        if (chdir(dir.c_str()) != 0) fail();
    }
    ~Cwd() {
        if (!old.empty() && chdir(old.c_str()) != 0) std::abort();
    }
};

void test_discover_uses_injected_letts_config(void**) {
    TempDir t;
    std::string env_file = t.write("env.yaml", "dugdales: []\n");
    t.write("work/letts.yaml", "dugdales: []\n");
    Cwd cwd(t.path + "/work");
    FakeEnv env{{"LETTS_CONFIG", env_file}, {"HOME", t.path + "/home"}};
    EXPECT_STR(NO_THROW(cfg::discover("", env.lookup())), env_file);
}

void test_discover_explicit_path_wins(void**) {
    TempDir t;
    std::string env_file = t.write("env.yaml", "dugdales: []\n");
    std::string mine = t.write("mine.yaml", "dugdales: []\n");
    FakeEnv env{{"LETTS_CONFIG", env_file}};
    EXPECT_STR(NO_THROW(cfg::discover(mine, env.lookup())), mine);
}

void test_discover_explicit_missing_is_error(void**) {
    TempDir t;
    std::string env_file = t.write("env.yaml", "dugdales: []\n");
    FakeEnv env{{"LETTS_CONFIG", env_file}};
    std::string missing = t.path + "/missing.yaml";
    EXPECT_THROW(cfg::discover(missing, env.lookup()), Status::config, missing.c_str());
}

void test_discover_injected_xdg_and_home(void**) {
    TempDir t;
    std::string xdg_file = t.write("xdg/letts/letts.yaml", "dugdales: []\n");
    std::string home_file = t.write("home/.letts/letts.yaml", "dugdales: []\n");
    t.write("home/.config/letts/letts.yaml", "dugdales: []\n");
    make_dirs(t.path + "/work");
    Cwd cwd(t.path + "/work");
    FakeEnv with_xdg{{"XDG_CONFIG_HOME", t.path + "/xdg"}, {"HOME", t.path + "/home"}};
    EXPECT_STR(NO_THROW(cfg::discover("", with_xdg.lookup())), xdg_file);
    FakeEnv home_only{{"HOME", t.path + "/home"}};
    EXPECT_STR(NO_THROW(cfg::discover("", home_only.lookup())), home_file);
}

void test_discover_injected_missing_letts_config(void**) {
    TempDir t;
    t.write("work/letts.yaml", "dugdales: []\n");
    Cwd cwd(t.path + "/work");
    std::string missing = t.path + "/gone.yaml";
    FakeEnv env{{"LETTS_CONFIG", missing}};
    EXPECT_THROW(cfg::discover("", env.lookup()), Status::config,
                 ("config file \"" + missing + "\" does not exist (from $LETTS_CONFIG)").c_str());
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discover_uses_injected_letts_config),
        cmocka_unit_test(test_discover_explicit_path_wins),
        cmocka_unit_test(test_discover_explicit_missing_is_error),
        cmocka_unit_test(test_discover_injected_xdg_and_home),
        cmocka_unit_test(test_discover_injected_missing_letts_config),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
