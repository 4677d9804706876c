// The project's own thread pool (docs/design.md, "Habits of the code"): a fixed number of threads, the caller being one
// of them. parallel_for splits a range into one contiguous chunk per thread, the same chunks
// every time, so results do not depend on timing. Threads claim chunks as they come: a worker
// that is late (descheduled on a busy machine, slow to wake in wasm) leaves its chunk to the
// caller instead of stalling it. Without LIANDAN_THREADS it runs inline.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "config.h"

namespace liandan {

// Chunks per thread for loops over samples or values (see parallel_for): a thread that starts
// late leaves a quarter of its share to the others, not all of it.
inline constexpr int k_sample_chunks_per_thread = 4;

class ThreadPool {
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    int size() const { return n_threads_; }

    // Calls f(begin, end, thread) on [0, n) split into size() · chunks_per_thread chunks (fewer
    // when n is small), chunk t covering [t·n/chunks, (t+1)·n/chunks), and returns when all are
    // done. thread is the index (0 = the caller) of the thread running the chunk, for per-thread
    // scratch only: which thread runs which chunk depends on timing. More chunks than threads
    // even out a thread that starts late (woken slowly, or preempted on a busy machine), at the
    // cost of more calls: for per-sample work, not for products that pack an operand per call.
    template <class F> void parallel_for(int n, F &&f, int chunks_per_thread = 1) {
        const int most = n_threads_ * chunks_per_thread, chunks = n < most ? n : most;
        if (n_threads_ == 1 || chunks <= 1) {
            if (n > 0) f(0, n, 0);
            return;
        }
        using Fn = std::remove_reference_t<F>;
        auto call = [](void *ctx, int begin, int end, int thread) { (*static_cast<Fn *>(ctx))(begin, end, thread); };
        dispatch(call, const_cast<void *>(static_cast<const void *>(&f)), n, chunks);
    }

private:
    using Job = void (*)(void *, int, int, int);
    void dispatch(Job job, void *ctx, int n, int chunks);
    void worker(int index);
    void run_chunks(uint64_t generation, int thread); // claims and runs chunks of one job

    int n_threads_ = 1;
#if LIANDAN_THREADS
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    // The job's fields are written before generation_ is bumped and read after it is seen; a
    // worker that read a stale job cannot run it, as its claim names the old generation.
    std::atomic<Job> job_{nullptr};
    std::atomic<void *> ctx_{nullptr};
    std::atomic<int> n_{0}, chunks_{0};
    std::atomic<uint64_t> claim_{0}; // (generation << 32) | next unclaimed chunk
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> pending_{0};
    std::atomic<int> sleepers_{0}; // workers waiting on wake_
    bool quit_ = false;
#endif
};

} // namespace liandan
