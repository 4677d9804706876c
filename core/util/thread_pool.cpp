// ThreadPool: a job is published with a generation number; workers poll it for a while after
// their last job before sleeping on a condition variable, since training dispatches thousands of
// short jobs a second and waking a sleeping thread costs tens of microseconds natively and far
// more in wasm (Atomics.notify to a worker). The poll is bounded by time, not by a count of
// spins, because one spin costs very different times natively and in wasm.
#include "util/thread_pool.h"

#include <chrono>

namespace liandan {

#if LIANDAN_THREADS

namespace {
// How long a worker keeps polling after its last job: longer than the gap between two parallel
// regions of a training step (loss, optimizer, serial layers), short enough that an idle trainer
// stops burning a core at once.
constexpr auto k_poll_time = std::chrono::milliseconds(2);
constexpr int k_spin_rounds = 20000; // the caller's wait for the other chunks, before it yields
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
} // namespace

ThreadPool::ThreadPool(int threads) : n_threads_(threads < 1 ? 1 : threads), claims_(size_t(n_threads_)) {
    for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    for (auto &t : workers_) t.join();
}

void ThreadPool::run_chunks(uint64_t generation, int thread) {
    const uint64_t tag = generation << 32;
    // Sequentially consistent loads: if any of them saw a later job's field, the claims below
    // see that job's tag (stored before its fields) and this thread runs nothing.
    const Job job = job_.load();
    void *ctx = ctx_.load();
    const int n = n_.load(), chunks = chunks_.load(), T = n_threads_;
    for (int i = 0; i < T; ++i) { // its own chunks first, then the ones the others left
        const int owner = (thread + i) % T;
        const int owned = owner < chunks ? (chunks - owner + T - 1) / T : 0; // chunks owner, owner + T, ...
        std::atomic<uint64_t> &next = claims_[size_t(owner)].next;
        uint64_t claim = next.load();
        for (;;) {
            if ((claim & ~uint64_t(0xffffffff)) != tag || int(claim & 0xffffffff) >= owned) break; // another job, or all taken
            if (!next.compare_exchange_weak(claim, claim + 1)) continue;
            const int t = owner + int(claim & 0xffffffff) * T;
            // chunk t covers [t·n/chunks, (t+1)·n/chunks)
            job(ctx, int(int64_t(n) * t / chunks), int(int64_t(n) * (t + 1) / chunks), thread);
            pending_.fetch_sub(1, std::memory_order_acq_rel);
            claim = next.load();
        }
        if ((claim & ~uint64_t(0xffffffff)) != tag) return; // a later job: this one is done
    }
}

void ThreadPool::dispatch(Job job, void *ctx, int n, int chunks) {
    const uint64_t generation = (generation_.load(std::memory_order_relaxed) + 1) & 0xffffffff;
    // The new tags first, so a worker late from the last job cannot claim once any field changed.
    for (Claim &c : claims_) c.next.store(generation << 32);
    job_.store(job);
    ctx_.store(ctx);
    n_.store(n);
    chunks_.store(chunks);
    pending_.store(chunks);
    // Pollers see the new generation at once. Sleepers count themselves before they check the
    // generation (both sequentially consistent), so either a sleeper sees the new generation and
    // does not wait, or this load sees the sleeper and wakes it through the mutex.
    generation_.store(generation, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
        { std::lock_guard lock(mutex_); }
        wake_.notify_all();
    }
    run_chunks(generation, 0); // the caller takes its chunks, and the others' if their threads are late
    for (int spins = 0; pending_.load(std::memory_order_acquire) != 0; ++spins)
        if (spins > k_spin_rounds) std::this_thread::yield();
        else cpu_relax();
}

void ThreadPool::worker(int index) {
    uint64_t seen = 0;
    for (;;) {
        uint64_t gen = generation_.load(std::memory_order_acquire);
        if (gen == seen) {
            const auto start = std::chrono::steady_clock::now();
            for (int spins = 1; gen == seen; ++spins) {
                cpu_relax();
                gen = generation_.load(std::memory_order_acquire);
                if (spins % 1024 == 0 && std::chrono::steady_clock::now() - start > k_poll_time) break;
            }
        }
        if (gen == seen) {
            std::unique_lock lock(mutex_);
            sleepers_.fetch_add(1, std::memory_order_seq_cst);
            wake_.wait(lock, [&] { return quit_ || generation_.load(std::memory_order_seq_cst) != seen; });
            sleepers_.fetch_sub(1, std::memory_order_relaxed);
            if (quit_) return;
            gen = generation_.load(std::memory_order_acquire);
        }
        seen = gen;
        run_chunks(gen, index);
    }
}

#else

ThreadPool::ThreadPool(int) : n_threads_(1) {}
ThreadPool::~ThreadPool() = default;
void ThreadPool::dispatch(Job job, void *ctx, int n, int) { job(ctx, 0, n, 0); }

#endif

} // namespace liandan
