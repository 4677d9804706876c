// The project's own thread pool (docs/design.md, "Habits of the code"): a fixed number of threads, the caller being one
// of them. parallel_for splits a range into one contiguous chunk per thread, the same chunks
// every time, so results do not depend on timing. Chunk c is meant for thread c mod size(), so a
// thread meets the same data step after step (its weights stay in its core's cache: moving them
// between cores cost more than the split saved); a thread that is late (descheduled on a busy
// machine, slow to wake in wasm) leaves its chunks to the others instead of stalling them.
// Without LIANDAN_THREADS it runs inline.
#pragma once
#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "config.h"

namespace liandan {

// Share t of `shares` of n units (a layer's outputs, a tensor's rows): [begin, end), cut at
// multiples of align where n allows, so a split keeps vector tiles whole. Layers and the
// optimizer cut the same way, so the thread that computes a unit's gradient also updates it.
struct UnitShare {
    int begin, end;
};
inline UnitShare unit_share(int n, int shares, int t, int align) {
    const int blocks = (n + align - 1) / align;
    const int b0 = int(int64_t(blocks) * t / shares), b1 = int(int64_t(blocks) * (t + 1) / shares);
    return {b0 * align < n ? b0 * align : n, b1 * align < n ? b1 * align : n};
}

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
    // scratch only: chunk t usually runs on thread t mod size(), but that depends on timing. More chunks than threads
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
    // Per thread, its own chunks' claim: (generation << 32) | how many of them are taken. Chunk
    // c belongs to thread c mod size(); a thread takes its own first, then the others' left over.
    struct alignas(64) Claim {
        std::atomic<uint64_t> next{0};
    };
    std::vector<Claim> claims_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<int> pending_{0};
    std::atomic<int> sleepers_{0}; // workers waiting on wake_
    bool quit_ = false;
#endif
};

} // namespace liandan
