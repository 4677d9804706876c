// The thread pool: every index is run exactly once, whatever the threads' timing, over many short
// jobs in a row (workers polling), after idle gaps (workers asleep) and with the pool torn down
// at once. Run under ThreadSanitizer by the native-tsan preset.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "util/thread_pool.h"

using namespace liandan;

namespace {

// Runs parallel_for over n and checks each index was visited once, chunks in bounds.
void expect_each_index_once(ThreadPool &pool, int n, int chunks_per_thread) {
    std::vector<std::atomic<int>> visits(n);
    std::atomic<int> bad_thread{0};
    pool.parallel_for(
        n,
        [&](int begin, int end, int thread) {
            if (thread < 0 || thread >= pool.size()) bad_thread.fetch_add(1);
            for (int i = begin; i < end; ++i) visits[i].fetch_add(1, std::memory_order_relaxed);
        },
        chunks_per_thread);
    EXPECT_EQ(bad_thread.load(), 0);
    for (int i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << "index " << i << " of " << n;
}

} // namespace

TEST(thread_pool, every_index_once_over_many_short_jobs) {
    for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        for (int round = 0; round < 2000; ++round) expect_each_index_once(pool, round % 37, 1 + round % 4);
    }
}

TEST(thread_pool, plain_writes_of_one_job_are_seen_by_the_caller) {
    // Each chunk writes its own slots without atomics; the caller reads them after parallel_for.
    ThreadPool pool(2);
    std::vector<float> out(4096);
    for (int round = 0; round < 200; ++round) {
        pool.parallel_for(int(out.size()), [&](int begin, int end, int) {
            for (int i = begin; i < end; ++i) out[i] = float(i + round);
        }, 4);
        double sum = 0;
        for (float v : out) sum += v;
        ASSERT_EQ(sum, 4096.0 * 4095 / 2 + 4096.0 * round);
    }
}

TEST(thread_pool, wakes_after_idle_and_stops_when_idle_or_busy) {
    ThreadPool pool(2);
    expect_each_index_once(pool, 100, 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(20)); // workers stop polling and sleep
    expect_each_index_once(pool, 100, 4);
    for (int i = 0; i < 50; ++i) { // torn down right after a job, while workers still poll
        ThreadPool short_lived(3);
        expect_each_index_once(short_lived, 10, 1);
    }
}

TEST(thread_pool, unit_shares_cover_the_units_once_at_tile_boundaries) {
    for (int n : {1, 10, 16, 64, 128, 509})
        for (int shares : {1, 2, 3, 4}) {
            int next = 0;
            for (int t = 0; t < shares; ++t) {
                const UnitShare u = unit_share(n, shares, t, 16);
                EXPECT_EQ(u.begin, next) << n << " units, share " << t << " of " << shares;
                EXPECT_LE(u.begin, u.end);
                if (u.end < n) {
                    EXPECT_EQ(u.end % 16, 0);
                }
                next = u.end;
            }
            EXPECT_EQ(next, n);
        }
    EXPECT_EQ(unit_share(128, 2, 0, 16).end, 64); // even shares when the tiles allow
}
