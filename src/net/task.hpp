// Task<T>: the coroutine type of the client's operations.
//
// Every operation that talks to a dugdale is written once, as straight-line
// code that co_awaits its exchanges and pauses (net/loop.hpp). The same
// coroutine then serves both shapes the C API offers: a blocking call drives
// it to the end on the calling thread (block_on), a run handle lets the
// caller's event loop step it. Nothing runs on a hidden thread.
//
// A Task is lazy (it starts when awaited or started), owns its frame (the
// frame is destroyed with the Task, which destroys the frames it awaits in
// turn, so abandoning a root task releases everything it holds through RAII)
// and hands its result or exception to whoever awaits it. Resumption of the
// awaiting coroutine is a symmetric transfer: no stack growth along chains of
// awaits.
//
// One rule for every coroutine of libletts, because of a GCC 12 bug: never
// pass a prvalue of class type (a braced temporary, a function's result, a
// lambda converted to std::function) as an argument of a coroutine call
// inside a co_await expression — GCC 12 may destroy that temporary twice
// (seen as a double free of a std::string member). Name it first and pass
// it by std::move; lvalues and std::move(name) are safe.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace letts::net {

template <class T>
class Task;

namespace detail {

struct PromiseBase {
    std::coroutine_handle<> continuation = std::noop_coroutine();
    std::exception_ptr failure;

    std::suspend_always initial_suspend() const noexcept { return {}; }

    struct FinalAwaiter {
        bool await_ready() const noexcept { return false; }
        template <class Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) const noexcept {
            return self.promise().continuation;
        }
        void await_resume() const noexcept {}
    };
    FinalAwaiter final_suspend() const noexcept { return {}; }

    void unhandled_exception() noexcept { failure = std::current_exception(); }
};

template <class T>
struct Promise : PromiseBase {
    std::optional<T> value;
    Task<T> get_return_object() noexcept;
    template <class U>
    void return_value(U&& result) {
        value.emplace(std::forward<U>(result));
    }
    T take() {
        if (failure) std::rethrow_exception(failure);
        return std::move(*value);
    }
};

template <>
struct Promise<void> : PromiseBase {
    Task<void> get_return_object() noexcept;
    void return_void() const noexcept {}
    void take() const {
        if (failure) std::rethrow_exception(failure);
    }
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] Task {
public:
    using promise_type = detail::Promise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    Task() noexcept = default;
    explicit Task(Handle handle) noexcept : handle_(handle) {}
    Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Task& operator=(Task&& other) noexcept {
        if (this != &other) {
            reset();
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task() { reset(); }

    // Awaiting runs the task and resumes the awaiting coroutine when it ends.
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
        handle_.promise().continuation = awaiting;
        return handle_;
    }
    T await_resume() { return handle_.promise().take(); }

    // For the root of a tree of tasks (the loop's owner): start it, see
    // whether it ended, take its outcome once it has.
    void start() { handle_.resume(); }
    bool done() const noexcept { return !handle_ || handle_.done(); }
    T take() { return handle_.promise().take(); }
    explicit operator bool() const noexcept { return static_cast<bool>(handle_); }

private:
    void reset() noexcept {
        if (handle_) handle_.destroy();
        handle_ = nullptr;
    }
    Handle handle_;
};

namespace detail {

template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
    return Task<T>(Task<T>::Handle::from_promise(*this));
}

inline Task<void> Promise<void>::get_return_object() noexcept {
    return Task<void>(Task<void>::Handle::from_promise(*this));
}

}  // namespace detail

}  // namespace letts::net
