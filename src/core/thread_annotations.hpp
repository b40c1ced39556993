// Clang's thread-safety analysis (-Wthread-safety, an error in the clang
// build: meson.build) checks that state marked GUARDED_BY(m) is touched only
// with `m` held and that functions marked REQUIRES(m) are called with it.
// The macros expand to nothing on other compilers. std::mutex carries no
// annotations in libstdc++, hence the small Mutex and MutexLock below: the
// analysis sees them, the generated code is std::mutex and std::unique_lock.
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define LETTS_TSA(x) __attribute__((x))
#else
#define LETTS_TSA(x)
#endif

#define CAPABILITY(x) LETTS_TSA(capability(x))
#define SCOPED_CAPABILITY LETTS_TSA(scoped_lockable)
#define GUARDED_BY(x) LETTS_TSA(guarded_by(x))
#define PT_GUARDED_BY(x) LETTS_TSA(pt_guarded_by(x))
#define ACQUIRED_AFTER(...) LETTS_TSA(acquired_after(__VA_ARGS__))
#define REQUIRES(...) LETTS_TSA(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) LETTS_TSA(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) LETTS_TSA(acquire_capability(__VA_ARGS__))
#define RELEASE(...) LETTS_TSA(release_capability(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) LETTS_TSA(assert_capability(x))
#define RETURN_CAPABILITY(x) LETTS_TSA(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS LETTS_TSA(no_thread_safety_analysis)

namespace letts {

class MutexLock;

class CAPABILITY("mutex") Mutex {
public:
    Mutex() = default;
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    void lock() ACQUIRE() { m_.lock(); }
    void unlock() RELEASE() { m_.unlock(); }
    // Tells the analysis what a caller guarantees and it cannot see: the
    // mutex reached through another name (a reference another object
    // holds) is this one, held. Costs nothing at run time.
    void assert_held() const ASSERT_CAPABILITY(this) {}

private:
    friend class MutexLock;
    std::mutex m_;
};

// std::lock_guard / std::unique_lock for Mutex: held from construction to
// destruction unless unlock()ed in between; wait() for condition variables.
class SCOPED_CAPABILITY MutexLock {
public:
    explicit MutexLock(Mutex& m) ACQUIRE(m) : lock_(m.m_) {}
    ~MutexLock() RELEASE() {}
    MutexLock(const MutexLock&) = delete;
    MutexLock& operator=(const MutexLock&) = delete;

    void lock() ACQUIRE() { lock_.lock(); }
    void unlock() RELEASE() { lock_.unlock(); }

    // The lock for std::condition_variable::wait*: released while waiting,
    // held again on return, which is what the analysis assumes throughout.
    // Callers loop on their condition instead of passing a predicate: a
    // lambda is analysed as a function of its own, without the lock.
    std::unique_lock<std::mutex>& native() noexcept { return lock_; }

private:
    std::unique_lock<std::mutex> lock_;
};

}  // namespace letts
