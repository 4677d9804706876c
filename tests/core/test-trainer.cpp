// Trainer: the loss falls on the spiral, runs are deterministic, numbers match a reference in
// every build, and divergence stops the run naming step and layer.
#include <cstring>

#include "helpers.h"
#include "train/trainer.h"

using namespace liandan;

TEST(trainer, spiral_is_learned) {
    Spec s = parse_spec_text(R"({
      "data": { "toy": { "shape": "spiral", "n": 400, "noise": 0.1 }, "features": ["x", "y", "x2", "y2", "xy", "sinx", "siny"] },
      "model": { "layers": [ { "units": 16, "activation": "tanh" }, { "units": 16, "activation": "tanh" }, { "units": 1 } ] },
      "optimizer": { "lr": 0.01, "momentum": 0.9 }, "train": { "epochs": 150 } })");
    Trainer t(s);
    EpochMetrics first = t.evaluate(), last;
    t.fit([&](const EpochMetrics &m) {
        last = m;
        return true;
    });
    std::printf("  loss %.4f -> %.4f, test accuracy %.3f\n", first.loss_train, last.loss_train, last.accuracy_test);
    EXPECT_EQ(last.epoch, 150);
    EXPECT_EQ(last.step, 150 * 20);
    EXPECT_LT(last.loss_train, 0.1 * first.loss_train);
    EXPECT_GT(last.accuracy_test, 0.9);
}

TEST(trainer, same_seed_same_weights) {
    Spec s = test::small_spec();
    Trainer a(s), b(s);
    for (int i = 0; i < 50; ++i) {
        a.step();
        b.step();
    }
    EXPECT_TRUE(std::equal(a.model().params().begin(), a.model().params().end(), b.model().params().begin()));
    s.init.seed = 2;
    Trainer c(s);
    EXPECT_FALSE(std::equal(a.model().params().begin(), a.model().params().end(), c.model().params().begin()));
}

TEST(trainer, reference_loss_matches_every_build) {
    // Measured natively (x86-64) and pinned: wasm must agree within 1e-4. Floating-point sums may
    // be ordered differently by the two compilers' vectorizers, so bitwise equality is not asked.
    Spec s = test::small_spec();
    Trainer t(s);
    for (int i = 0; i < 100; ++i) t.step();
    EpochMetrics m = t.evaluate();
    std::printf("  loss_train after 100 steps: %.9f\n", m.loss_train);
    EXPECT_NEAR(m.loss_train, REFERENCE_LOSS_100, 1e-4);
}

TEST(trainer, short_last_batch_and_no_shuffle) {
    Spec s = test::small_spec();
    s.data.toy.n = 25; // 13 train rows: batches of 10 and 3
    s.train.shuffle = false;
    Trainer t(s);
    EXPECT_EQ(t.steps_per_epoch(), 2);
    t.step();
    t.step();
    EXPECT_EQ(t.epoch(), 1);
}

TEST(trainer, divergence_names_step_and_layer) {
    Spec s = test::small_spec("plane");
    s.loss.type = LossType::mse;
    s.optimizer.lr = 10;
    s.model.layers = {test::dense(8, Activation::relu), test::dense(8, Activation::relu), test::dense(1)};
    Trainer t(s);
    try {
        for (int i = 0; i < 1000; ++i) t.step();
        FAIL() << "lr 10 did not diverge";
    } catch (const Diverged &e) {
        std::string what = e.what();
        std::printf("  %s\n", what.c_str());
        EXPECT_NE(what.find("train: diverged at step"), std::string::npos);
        EXPECT_NE(what.find("model.layers["), std::string::npos);
    }
}

namespace {
// Steps until Diverged and returns its message ("none" if 20 steps pass).
std::string divergence_after_poisoning(Trainer &t, const std::string &tensor, int good_steps) {
    for (int i = 0; i < good_steps; ++i) t.step();
    for (const ParamView &v : t.model().param_views())
        if (v.name == tensor) t.model().params()[v.offset] = INFINITY;
    try {
        for (int i = 0; i < 20; ++i) t.step();
    } catch (const Diverged &e) {
        return e.what();
    }
    return "none";
}
} // namespace

TEST(trainer, divergence_names_the_first_layer_with_non_finite_values) {
    // One weight of layer 1 set to infinity after 5 good steps: layer 0's outputs stay finite, so the
    // message must name step 6 and model.layers[1], not the first layer or just "the loss".
    Spec s = test::small_spec();
    s.model.layers = {test::dense(8, Activation::relu), test::dense(8, Activation::tanh), test::dense(1)};
    Trainer t(s);
    std::string what = divergence_after_poisoning(t, "layers.1.weight", 5);
    std::printf("  %s\n", what.c_str());
    EXPECT_EQ(what.rfind("train: diverged at step 6 (epoch 1): the loss became ", 0), 0u) << what;
    EXPECT_NE(what.find(", first non-finite values in model.layers[1]; try a smaller optimizer.lr"), std::string::npos) << what;

    // Inside a residual block the message names the inner layer.
    LayerSpec block;
    block.type = LayerType::residual;
    block.layers = {test::dense(8, Activation::relu), test::dense(8)};
    s.model.layers = {test::dense(8, Activation::tanh), block, test::dense(1)};
    Trainer r(s);
    what = divergence_after_poisoning(r, "layers.1.layers.1.weight", 0);
    std::printf("  %s\n", what.c_str());
    EXPECT_NE(what.find("first non-finite values in model.layers[1].layers[1];"), std::string::npos) << what;
}

namespace {
struct WeightSums {
    double sum = 0, sum_squares = 0;
    uint64_t hash = 0xcbf29ce484222325ULL; // FNV-1a of the parameter bytes: equal only if every bit is
};
WeightSums weight_sums(const Model &m) {
    WeightSums w;
    for (float p : m.params()) {
        w.sum += p;
        w.sum_squares += double(p) * p;
        uint32_t bits;
        std::memcpy(&bits, &p, 4);
        for (int k = 0; k < 4; ++k) w.hash = (w.hash ^ ((bits >> (8 * k)) & 0xffu)) * 0x100000001b3ULL;
    }
    return w;
}
} // namespace

TEST(trainer, reference_weights_match_every_build) {
    // The weights themselves, not only the loss: sum and sum of squares of every parameter after
    // 100 steps, measured natively (x86-64 release) and pinned, checked natively and in both wasm
    // builds. Not bitwise (the FNV hash printed differs): native kernels use AVX2 FMA, wasm SIMD128
    // has none. Largest relative differences measured: wasm and wasm-st 5.0e-7 (cnn sum), 7e-8 (mlp sum);
    // the tolerance is 1e-6 relative.
    struct Case {
        const char *name;
        Spec spec;
        double sum, sum_squares;
    };
    Spec cnn = parse_spec_text(R"({"data": {"toy": {"n": 200}, "features": ["x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"]},
        "model": {"input": [1, 3, 3], "layers": [{"type": "conv2d", "filters": 4, "kernel": 2, "padding": "same", "activation": "relu"},
                  {"type": "batchnorm"}, {"type": "maxpool", "size": 2, "stride": 1}, {"type": "flatten"}, {"type": "dropout", "rate": 0.2},
                  {"type": "residual", "layers": [{"units": 16, "activation": "gelu"}]}, {"units": 1}]},
        "optimizer": {"type": "adam", "lr": 0.01}, "train": {"batch_size": 8}})");
    const Case cases[] = {{"mlp sgd", test::small_spec(), REFERENCE_MLP_SUM, REFERENCE_MLP_SUM_SQUARES},
                          {"cnn adam", cnn, REFERENCE_CNN_SUM, REFERENCE_CNN_SUM_SQUARES}};
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name);
        Trainer t(c.spec);
        for (int i = 0; i < 100; ++i) t.step();
        WeightSums w = weight_sums(t.model());
        std::printf("  %-8s sum %.17g  sum of squares %.17g  hash %016llx  (differences %.3g, %.3g)\n", c.name, w.sum, w.sum_squares,
                    static_cast<unsigned long long>(w.hash), w.sum - c.sum, w.sum_squares - c.sum_squares);
        EXPECT_NEAR(w.sum, c.sum, REFERENCE_WEIGHT_TOLERANCE * std::max(1.0, std::abs(c.sum)));
        EXPECT_NEAR(w.sum_squares, c.sum_squares, REFERENCE_WEIGHT_TOLERANCE * std::max(1.0, c.sum_squares));
    }
}

namespace {
std::string refusal(const std::string &text) {
    try {
        Trainer t(parse_spec_text(text));
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
} // namespace

TEST(trainer, spec_against_data_refusals_name_the_key) {
    EXPECT_EQ(refusal(R"({"model": {"input": [3]}})"), "model.input: shape [3] does not match the data's [2]");
    EXPECT_EQ(refusal(R"({"model": {"layers": [{"units": 2}]}})"), "model.layers[0]: gives 2 outputs, but bce on 'spiral' needs 1");
    EXPECT_EQ(refusal(R"({"data": {"toy": {"shape": "plane"}}})"),
              "loss.type: 'bce' needs class labels; 'plane' is a regression set: use mse");
    EXPECT_EQ(refusal(R"({"data": {"toy": {"shape": "blobs", "classes": 3}}})"),
              "loss.type: bce separates two classes; 'blobs' has 3: use cross_entropy");
    EXPECT_EQ(refusal(R"({"loss": {"class_weights": [1, 2, 3]}})"), "loss.class_weights: has 3 weights for 2 classes");
    EXPECT_EQ(refusal(R"({"data": {"toy": {"n": 10}, "test_fraction": 0.9}, "train": {"batch_size": 1}})"), "accepted");
    std::string big = refusal(R"({"model": {"layers": [{"units": 60000}, {"units": 60000}, {"units": 1}]}})");
    EXPECT_EQ(big.rfind("limits.memory_mb: this run needs about", 0), 0u) << big;
    // 2^32 weights in one layer: their count wraps to 0 in wasm's 32-bit size_t, and must still be refused.
    big = refusal(R"({"model": {"layers": [{"units": 65536}, {"units": 65536}, {"units": 1}]}})");
    EXPECT_EQ(big.rfind("limits.memory_mb: this run needs about 49", 0), 0u) << big;
}

TEST(trainer, a_host_with_less_memory_than_the_limit_refuses_naming_itself) {
    // 2 x 2000 units with Adam: about 64 MB. The spec allows 512 MB; the host has 40 MB free.
    const Spec spec = parse_spec_text(R"({"model": {"layers": [{"units": 2000}, {"units": 2000}, {"units": 1}]},
                                          "optimizer": {"type": "adam"}})");
    EXPECT_NO_THROW(Trainer(spec, HostMemory{1000, "the page's free memory", ""}));
    try {
        Trainer t(spec, HostMemory{40, "the page's free memory", "its wasm heap holds at most 512 MB"});
        ADD_FAILURE() << "accepted";
    } catch (const Error &e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind("limits.memory_mb: this run needs about", 0), 0u) << what;
        EXPECT_NE(what.find("over the page's free memory of 40 MB (its wasm heap holds at most 512 MB); shrink the model or the data"),
                  std::string::npos) << what;
    }
}

TEST(trainer, k_class_spirals_with_cross_entropy) {
    Trainer t(parse_spec_text(R"({
      "data": { "toy": { "shape": "spirals", "classes": 3, "n": 600, "noise": 0.05 }, "features": ["x", "y", "sinx", "siny"] },
      "model": { "layers": [ { "units": 32, "activation": "relu" }, { "units": 32, "activation": "relu" }, { "units": 3 } ] },
      "loss": { "type": "cross_entropy" }, "optimizer": { "type": "adam", "lr": 0.01 }, "train": { "batch_size": 16, "epochs": 60 } })"));
    EpochMetrics m;
    t.fit([&](const EpochMetrics &e) {
        m = e;
        return true;
    });
    std::printf("  3 spirals: test accuracy %.3f\n", m.accuracy_test);
    EXPECT_GT(m.accuracy_test, 0.85);
    EXPECT_EQ(m.confusion_test.size(), 9u);
}

TEST(trainer, regression_metrics) {
    Trainer t(parse_spec_text(R"({"data": {"toy": {"shape": "plane", "noise": 0}}, "loss": {"type": "mse"},
                                  "model": {"layers": [{"units": 1}]}, "optimizer": {"lr": 0.01}, "train": {"epochs": 20}})"));
    EpochMetrics m;
    t.fit([&](const EpochMetrics &e) {
        m = e;
        return true;
    });
    // The plane is linear in x and y: a linear model fits it almost exactly.
    EXPECT_LT(m.rmse_test, 0.02);
    EXPECT_GT(m.r2_test, 0.99);
    EXPECT_NEAR(m.rmse_train * m.rmse_train, m.loss_train, 1e-6);
}

TEST(trainer, one_two_and_three_threads_give_the_same_weights) {
    // Work is split over rows or columns of each product, over samples and over parameters (the
    // optimizer), never over a sum: bit-identical. Three threads cut 509 units unevenly. The
    // convolutions' weight gradients take both paths: dot products (4 filters), outer products (16).
    const char *mlp = R"({"data": {"toy": {"n": 600}}, "model": {"layers": [{"units": 64, "activation": "relu"}, {"units": 64, "activation": "relu"}, {"units": 1}]},
                          "optimizer": {"type": "adam"}, "train": {"batch_size": 64, "threads": THREADS}})";
    const char *cnn = R"({"data": {"toy": {"n": 200}, "features": ["x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"]},
                          "model": {"input": [1, 3, 3], "layers": [{"type": "conv2d", "filters": 4, "kernel": 2, "padding": "same", "activation": "relu"},
                                                                   {"type": "conv2d", "filters": 16, "kernel": 3, "padding": "same", "activation": "relu"},
                                                                   {"type": "batchnorm"}, {"type": "flatten"}, {"type": "dropout", "rate": 0.2}, {"units": 1}]},
                          "train": {"batch_size": 32, "threads": THREADS}})";
    // Activations over 2^16 values and more are split over the pool in blocks (tanh and sigmoid have
    // vector bodies and scalar tails: the split must not move values between them).
    const char *wide = R"({"data": {"toy": {"n": 400}}, "model": {"layers": [{"units": 509, "activation": "tanh"}, {"units": 509, "activation": "sigmoid"},
                          {"units": 1}]}, "train": {"batch_size": 150, "threads": THREADS}})";
    // Augmented images: the moves come from one stream drawn before the batch is gathered.
    const char *augmented = R"({"data": {"toy": {"n": 200}, "features": ["x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"]},
                          "model": {"input": [1, 3, 3], "layers": [{"type": "conv2d", "filters": 4, "kernel": 2, "padding": "same", "activation": "relu"},
                                                                   {"type": "flatten"}, {"units": 1}]},
                          "train": {"batch_size": 32, "threads": THREADS, "augment": {"shift": 1, "flip": true}}})";
    for (const char *text : {mlp, cnn, wide, augmented}) {
        const std::string spec = text;
        const size_t at = spec.find("THREADS"); // (not string::replace: GCC 12 warns falsely about it, bug 105329)
        auto with_threads = [&](const char *t) { return spec.substr(0, at) + t + spec.substr(at + 7); };
        Trainer a(parse_spec_text(with_threads("1"))), b(parse_spec_text(with_threads("2"))), c(parse_spec_text(with_threads("3")));
        for (int i = 0; i < 30; ++i) {
            a.step();
            b.step();
            c.step();
        }
        EXPECT_TRUE(std::equal(a.model().params().begin(), a.model().params().end(), b.model().params().begin()));
        EXPECT_TRUE(std::equal(a.model().params().begin(), a.model().params().end(), c.model().params().begin()));
    }
}
