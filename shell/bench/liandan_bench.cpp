// liandan-bench: the core's speed, natively and in wasm (under node). Prints one JSON object per
// figure: the machine's single-thread peak (a multiply-add probe), GEMM 512³ GFLOP/s, and the
// training throughput of the three reference workloads of the training-core issue:
//   W1 MLP 784-128-64-10 relu, Adam, batch 64, MNIST          (samples/s)
//   W2 conv 5×5×8 same relu, maxpool 2, conv 5×5×16 same relu, maxpool 3, dense 10; Adam, batch 32 (samples/s)
//   W3 2-8-8-1 tanh, MSE, SGD lr 0.03, batch 10               (steps/s)
// and of the net the app proposes for the MNIST digits (the LeNet-like preset, batch 32), whose
// speed sets the page's time to 98% (samples/s), and of its evaluation, the forward passes a snapshot
// makes over both splits (rows/s). With threads, the round trip of a cache line
// between two threads ("link"): a layer split over threads moves thousands of lines a step, and
// on a VM whose vCPUs the host sometimes runs far apart this figure tells the two-thread figures'
// mode (docs/performance.md, "Fourth pass").
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "config.h"
#include "data/catalog.h"
#include "data/dataset.h"
#include "kernels/gemm.h"
#include "kernels/peak.h"
#include "train/trainer.h"
#include "util/rng.h"
#include "util/thread_pool.h"

namespace {

// Wall-clock time by default; with --clock cpu the calling thread's CPU time, which on a shared,
// loaded machine leaves out the time the benchmark was not running (one thread: close to the
// figure an idle machine gives; more threads: the caller's waits for the others still count).
// Where the CPU clock is missing, wall-clock time.
bool g_cpu_clock = false;
double now_seconds() {
    timespec t;
    if (g_cpu_clock && clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0) return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double seconds_since(double t) { return now_seconds() - t; }

void report(nlohmann::json j) {
    j["build"] = LIANDAN_SIMD_NAME;
    std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
}

double peak_gflops() {
    liandan::peak_probe(1000000); // warm up the clock
    double t0 = now_seconds();
    double flops = liandan::peak_probe(40000000);
    return flops / seconds_since(t0) / 1e9;
}

// GEMM 512³ split over threads by rows of C, as the layers do.
double gemm_gflops(int threads, double seconds) {
    const int n = 512;
    std::vector<float> a(size_t(n) * n), b(size_t(n) * n), c(size_t(n) * n);
    liandan::Rng rng(1);
    for (float &v : a) v = float(rng.uniform(-1, 1));
    for (float &v : b) v = float(rng.uniform(-1, 1));
    liandan::ThreadPool pool(threads);
    auto run = [&] {
        pool.parallel_for(n, [&](int r0, int r1, int) {
            liandan::gemm(false, false, r1 - r0, n, n, &a[size_t(r0) * n], n, b.data(), n, &c[size_t(r0) * n], n, false);
        });
    };
    run();
    int reps = 0;
    double t0 = now_seconds();
    while (seconds_since(t0) < seconds) run(), ++reps;
    return 2.0 * n * n * n * reps / seconds_since(t0) / 1e9;
}

// Steps per second of a spec after a warm-up epoch's worth of steps (training only, no
// evaluation), and the mean batch loss of the warm-up's steps and of the last ten: it must fall.
struct Rate {
    double steps_per_s;
    double loss_start, loss_end;
};
Rate training_rate(const std::string &spec_text, int threads, double seconds, const std::string &mnist_dir) {
    nlohmann::json j = nlohmann::json::parse(spec_text);
    j["train"]["threads"] = threads;
    if (!mnist_dir.empty() && j["data"].value("source", "") == "mnist") j["data"]["dir"] = mnist_dir;
    liandan::Trainer t(liandan::parse_spec(j));
    double start = 0, last = 0;
    for (int i = 0; i < 20; ++i) start += t.step();
    long steps = 0;
    double t0 = now_seconds();
    while (seconds_since(t0) < seconds) {
        last = 0;
        for (int i = 0; i < 10; ++i) last += t.step(), ++steps;
    }
    return {steps / seconds_since(t0), start / 20, last / 10};
}

// Rows per second of a snapshot's evaluation (both splits, the training split capped as the
// session caps it): the forward passes a snapshot pays for, against the training's samples/s.
double evaluation_rows_per_s(const std::string &spec_text, int threads, double seconds, const std::string &mnist_dir, int train_rows) {
    nlohmann::json j = nlohmann::json::parse(spec_text);
    j["train"]["threads"] = threads;
    if (!mnist_dir.empty() && j["data"].value("source", "") == "mnist") j["data"]["dir"] = mnist_dir;
    liandan::Trainer t(liandan::parse_spec(j));
    for (int i = 0; i < 20; ++i) t.step();
    const int rows = std::min(train_rows, t.data().train.n) + t.data().test.n;
    t.evaluate(train_rows);
    long passes = 0;
    double t0 = now_seconds();
    while (seconds_since(t0) < seconds) t.evaluate(train_rows), ++passes;
    return double(passes) * rows / seconds_since(t0);
}

void report_rate(const char *figure, const Rate &r, int batch, int threads) {
    nlohmann::json j = {{"figure", figure}, {"threads", threads}, {"loss", {r.loss_start, r.loss_end}}};
    if (batch > 1) j["samples_per_s"] = batch * r.steps_per_s;
    else j["steps_per_s"] = r.steps_per_s;
    report(j);
}

const char *k_w1 = R"({"data": {"source": "mnist"}, "model": {"input": [1, 28, 28], "layers": [{"type": "flatten"},
    {"units": 128, "activation": "relu"}, {"units": 64, "activation": "relu"}, {"units": 10}]},
    "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam"}, "train": {"batch_size": 64}})";
const char *k_w2 = R"({"data": {"source": "mnist"}, "model": {"input": [1, 28, 28], "layers": [
    {"type": "conv2d", "filters": 8, "kernel": 5, "padding": "same", "activation": "relu"}, {"type": "maxpool", "size": 2},
    {"type": "conv2d", "filters": 16, "kernel": 5, "padding": "same", "activation": "relu"}, {"type": "maxpool", "size": 3},
    {"type": "flatten"}, {"units": 10}]},
    "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam"}, "train": {"batch_size": 32}})";
const char *k_w3 = R"({"data": {"toy": {"shape": "spiral", "n": 500}}, "model": {"layers": [{"units": 8, "activation": "tanh"},
    {"units": 8, "activation": "tanh"}, {"units": 1}]}, "loss": {"type": "mse"}, "optimizer": {"type": "sgd", "lr": 0.03},
    "train": {"batch_size": 10}})";

// The digits' proposed network as a spec on the MNIST digits.
std::string digits_spec() {
    const liandan::NamedSet &mnist = *liandan::named_set("mnist");
    nlohmann::json j = nlohmann::json::parse(mnist.presets[0].json);
    j["data"] = {{"source", "mnist"}};
    j["model"]["input"] = {1, 28, 28};
    return j.dump();
}

} // namespace

#if LIANDAN_THREADS
// Nanoseconds for a cache line to go from one thread to another and back: each thread waits for
// the other's last value, then writes the next (wall-clock time whatever --clock says).
double link_round_trip_ns() {
    constexpr int k_warmup = 1000, k_trips = 200000; // the first trips wait for the thread to start
    alignas(64) std::atomic<int> line{0};
    std::thread other([&] {
        for (int i = 0; i < k_warmup + k_trips; ++i) {
            while (line.load(std::memory_order_acquire) != 2 * i + 1) {
            }
            line.store(2 * i + 2, std::memory_order_release);
        }
    });
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < k_warmup + k_trips; ++i) {
        if (i == k_warmup) t0 = std::chrono::steady_clock::now();
        line.store(2 * i + 1, std::memory_order_release);
        while (line.load(std::memory_order_acquire) != 2 * i + 2) {
        }
    }
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / k_trips;
    other.join();
    return ns;
}
#endif

int main(int argc, char **argv) {
    CLI::App app{"Benchmarks of the Liandan core."};
    std::vector<int> threads = {1, 2};
    double seconds = 2.0;
    std::vector<std::string> only;
    std::string mnist_dir; // under node the wasm build sees no HOME, so scripts pass the folder
    app.add_option("--mnist", mnist_dir, "folder of the fetched MNIST IDX files");
    app.add_option("--threads", threads, "thread counts to measure");
    app.add_option("--seconds", seconds, "time per figure");
    app.add_option("--only", only, "peak, link (threaded builds), gemm, w1, w2, w3, digits, eval (the digits net's snapshot passes)");
    bool list = false;
    app.add_flag("--workloads", list, "print the W1-W3 and digits specs as one JSON object and exit (for the page's benchmark)");
    std::string clock = "wall";
    app.add_option("--clock", clock, "wall, or cpu: the calling thread's CPU time (for a loaded machine)")->check(CLI::IsMember({"wall", "cpu"}));
    CLI11_PARSE(app, argc, argv);
    g_cpu_clock = clock == "cpu";
    if (list) {
        std::printf("%s\n", nlohmann::json{{"W1", nlohmann::json::parse(k_w1)}, {"W2", nlohmann::json::parse(k_w2)},
                                            {"W3", nlohmann::json::parse(k_w3)}, {"digits", nlohmann::json::parse(digits_spec())}}
                                .dump()
                                .c_str());
        return 0;
    }
    auto want = [&](const char *name) { return only.empty() || std::find(only.begin(), only.end(), name) != only.end(); };
    try {
        if (want("peak")) report({{"figure", "peak"}, {"gflops", peak_gflops()}, {"threads", 1}});
#if LIANDAN_THREADS
        if (want("link")) report({{"figure", "link"}, {"round_trip_ns", link_round_trip_ns()}, {"threads", 2}});
#endif
        for (int t : threads) {
            if (want("gemm")) report({{"figure", "gemm512"}, {"gflops", gemm_gflops(t, seconds)}, {"threads", t}, {"kernel", liandan::gemm_kernel_name()}});
            if (want("w1")) report_rate("W1", training_rate(k_w1, t, seconds, mnist_dir), 64, t);
            if (want("w2")) report_rate("W2", training_rate(k_w2, t, seconds, mnist_dir), 32, t);
            if (want("w3")) report_rate("W3", training_rate(k_w3, t, seconds, mnist_dir), 1, t); // W3 counts steps
            if (want("digits")) report_rate("digits", training_rate(digits_spec(), t, seconds, mnist_dir), 32, t);
            if (want("eval"))
                report({{"figure", "digits-eval"}, {"threads", t}, {"rows_per_s", evaluation_rows_per_s(digits_spec(), t, seconds, mnist_dir, 2000)}});
        }
    } catch (const liandan::Error &e) {
        std::fprintf(stderr, "liandan-bench: error: %s\n", e.what());
        return 2;
    }
    return 0;
}
