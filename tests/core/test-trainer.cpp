// Trainer: the loss falls on the spiral, runs are deterministic, numbers match a reference in
// every build, and divergence stops the run naming step and layer.
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
    s.model.layers = {{"dense", 8, Activation::relu}, {"dense", 8, Activation::relu}, {"dense", 1}};
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
