// RAII owners for libcurl objects and the one-time global initialisation.
//
// Every curl resource of libletts lives in one of these types, so no code
// path (including exceptions thrown from callbacks' callers) can leak a
// handle or a header list.
#pragma once

#include <curl/curl.h>

#include <array>
#include <memory>
#include <mutex>
#include <string>

namespace letts::net {

// curl_global_init is not thread-safe before 7.84 and must run once; every
// constructor below calls this first. Throws Error(internal) on failure.
void ensure_curl_initialised();

struct EasyDeleter {
    void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
EasyPtr make_easy();  // throws std::bad_alloc

struct MultiDeleter {
    void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
using MultiPtr = std::unique_ptr<CURLM, MultiDeleter>;
MultiPtr make_multi();  // throws std::bad_alloc

// A header list built line by line; frees itself.
class HeaderList {
public:
    HeaderList() = default;
    HeaderList(const HeaderList&) = delete;
    HeaderList& operator=(const HeaderList&) = delete;
    HeaderList(HeaderList&& other) noexcept : list_(other.list_) { other.list_ = nullptr; }
    HeaderList& operator=(HeaderList&& other) noexcept;
    ~HeaderList() { curl_slist_free_all(list_); }

    void add(const std::string& line);  // throws std::bad_alloc
    curl_slist* get() const noexcept { return list_; }

private:
    curl_slist* list_ = nullptr;
};

// The connection cache, DNS cache and TLS sessions shared by every easy
// handle of one client (and its scoped copies), guarded by one mutex per
// data kind as libcurl's share interface requires for use across threads.
class Share {
public:
    Share();  // throws std::bad_alloc
    ~Share();
    Share(const Share&) = delete;
    Share& operator=(const Share&) = delete;

    CURLSH* get() const noexcept { return share_; }

private:
    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self) noexcept;
    static void unlock(CURL*, curl_lock_data data, void* self) noexcept;
    std::mutex& mutex_for(curl_lock_data data) noexcept;

    CURLSH* share_ = nullptr;
    std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes_;
};

}  // namespace letts::net
