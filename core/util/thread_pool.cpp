// ThreadPool: workers sleep on a condition variable between jobs; a job is published with a
// generation number so a worker runs each job once.
#include "util/thread_pool.h"

namespace liandan {

#if LIANDAN_THREADS

ThreadPool::ThreadPool(int threads) : n_threads_(threads < 1 ? 1 : threads) {
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

void ThreadPool::dispatch(Job job, void *ctx, int n, int chunks) {
    {
        std::lock_guard lock(mutex_);
        job_ = job;
        ctx_ = ctx;
        n_ = n;
        chunks_ = chunks;
        pending_ = chunks - 1;
        ++generation_;
    }
    wake_.notify_all();
    job(ctx, 0, n / chunks, 0); // chunk 0 on the caller
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
}

void ThreadPool::worker(int index) {
    uint64_t seen = 0;
    for (;;) {
        Job job;
        void *ctx;
        int n, chunks;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
            if (quit_) return;
            seen = generation_;
            job = job_, ctx = ctx_, n = n_, chunks = chunks_;
        }
        if (index < chunks) {
            // chunk t covers [t·n/chunks, (t+1)·n/chunks)
            job(ctx, int(int64_t(n) * index / chunks), int(int64_t(n) * (index + 1) / chunks), index);
            std::lock_guard lock(mutex_);
            if (--pending_ == 0) done_.notify_one();
        }
    }
}

#else

ThreadPool::ThreadPool(int) : n_threads_(1) {}
ThreadPool::~ThreadPool() = default;
void ThreadPool::dispatch(Job job, void *ctx, int n, int) { job(ctx, 0, n, 0); }

#endif

} // namespace liandan
