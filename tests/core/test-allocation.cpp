// Steady training allocates nothing: the global operator new is counted while a warmed-up
// trainer takes steps (MLP and CNN, 1 and 2 threads).
#include <atomic>
#include <cstdlib>
#include <new>

#include "helpers.h"
#include "train/trainer.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
} // namespace

void *operator new(std::size_t n) {
    if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t n) { return operator new(n); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }

using namespace liandan;

TEST(allocation, none_per_step_once_a_run_has_started) {
    const char *specs[] = {
        R"({"data": {"toy": {"n": 300}}, "model": {"layers": [{"units": 16, "activation": "tanh"}, {"units": 16, "activation": "relu"},
            {"type": "dropout", "rate": 0.1}, {"units": 1}]}, "optimizer": {"type": "adam", "clip_norm": 1,
            "schedule": {"type": "cosine", "warmup_steps": 5}}, "train": {"batch_size": 16, "threads": THREADS}})",
        R"({"data": {"toy": {"n": 200}, "features": ["x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"]},
            "model": {"input": [1, 3, 3], "layers": [{"type": "conv2d", "filters": 4, "kernel": 2, "padding": "same", "activation": "relu"},
            {"type": "batchnorm"}, {"type": "maxpool", "size": 2, "stride": 1}, {"type": "flatten"},
            {"type": "residual", "layers": [{"units": 16, "activation": "relu"}]}, {"units": 1}]},
            "optimizer": {"type": "rmsprop"}, "train": {"batch_size": 8, "threads": THREADS}})"};
    for (const char *text : specs)
        for (const char *threads : {"1", "2"}) {
            std::string s = text;
            s.replace(s.find("THREADS"), 7, threads);
            Trainer t(parse_spec_text(s));
            for (int i = 0; i < 2 * t.steps_per_epoch(); ++i) t.step(); // warm up: first epoch ends, buffers settle
            g_allocations = 0;
            g_counting = true;
            for (int i = 0; i < 3 * t.steps_per_epoch(); ++i) t.step(); // across epoch boundaries too
            g_counting = false;
            EXPECT_EQ(g_allocations.load(), 0) << "threads " << threads << ": " << s.substr(0, 60);
        }
}
