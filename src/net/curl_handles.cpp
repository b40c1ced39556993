#include "net/curl_handles.hpp"

#include <new>
#include <utility>

#include "core/error.hpp"

namespace letts::net {

void ensure_curl_initialised() {
    static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (result != CURLE_OK) {
        throw Error(Status::internal,
                    std::string("libcurl initialisation failed: ") + curl_easy_strerror(result));
    }
}

EasyPtr make_easy() {
    ensure_curl_initialised();
    EasyPtr easy(curl_easy_init());
    if (!easy) throw std::bad_alloc();
    return easy;
}

MultiPtr make_multi() {
    ensure_curl_initialised();
    MultiPtr multi(curl_multi_init());
    if (!multi) throw std::bad_alloc();
    return multi;
}

HeaderList& HeaderList::operator=(HeaderList&& other) noexcept {
    if (this != &other) {
        curl_slist_free_all(list_);
        list_ = std::exchange(other.list_, nullptr);
    }
    return *this;
}

void HeaderList::add(const std::string& line) {
    curl_slist* extended = curl_slist_append(list_, line.c_str());
    if (!extended) throw std::bad_alloc();
    list_ = extended;
}

Share::Share() {
    ensure_curl_initialised();
    share_ = curl_share_init();
    if (!share_) throw std::bad_alloc();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &Share::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &Share::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

Share::~Share() { curl_share_cleanup(share_); }

std::mutex& Share::mutex_for(curl_lock_data data) noexcept {
    const auto index = static_cast<std::size_t>(data);
    return mutexes_[index < mutexes_.size() ? index : 0];
}

void Share::lock(CURL*, curl_lock_data data, curl_lock_access, void* self) noexcept {
    static_cast<Share*>(self)->mutex_for(data).lock();
}

void Share::unlock(CURL*, curl_lock_data data, void* self) noexcept {
    static_cast<Share*>(self)->mutex_for(data).unlock();
}

}  // namespace letts::net
