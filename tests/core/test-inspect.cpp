// Inspection: neuron maps, unit health and layer statistics, and the session commands the
// playground adds (edit a parameter, speed limit, target loss).
#include "train/inspect.h"

#include <chrono>
#include <thread>

#include "edit/net_design.h"
#include "helpers.h"
#include "train/session.h"
#include "train/trainer.h"

using namespace liandan;

TEST(inspect, columns_maps_and_stats) {
    Spec s = test::small_spec("circle");
    NetDesign d;
    d.hidden = {{6, Activation::relu}, {5, Activation::tanh}};
    d.batchnorm = true;
    s.model.layers = design_layers(d, 2);
    Trainer t(s);
    for (int i = 0; i < 20; ++i) t.step();
    const int M = 8;
    std::vector<float> inputs(size_t(M) * M * 2);
    for (int p = 0; p < M * M; ++p) t.data().features_of_point(float(p % M) - 4, 4 - float(p / M), &inputs[size_t(p) * 2]);
    Inspection in = inspect(t, M, inputs);
    ASSERT_EQ(in.columns.size(), 4u); // features, two hidden columns (batchnorm folded in), output
    EXPECT_EQ(in.columns[0].units, 2);
    EXPECT_EQ(in.columns[1].units, 6);
    EXPECT_EQ(in.columns[1].label, "dense 6 +bn relu");
    EXPECT_EQ(in.columns[1].activation, Activation::relu);
    EXPECT_GE(in.columns[1].dead, 0);
    EXPECT_EQ(in.columns[1].saturated, -1);
    EXPECT_GE(in.columns[2].saturated, 0);
    EXPECT_EQ(in.columns[3].units, 1);
    EXPECT_EQ(in.columns[3].fan_in, 5);
    EXPECT_EQ(in.columns[1].maps.size(), size_t(6 * M * M));
    // The output column's maps are the logits the model gives for those points.
    const float *out = t.model().forward(inputs.data(), M * M, false);
    for (int p = 0; p < M * M; ++p) EXPECT_FLOAT_EQ(in.columns[3].maps[size_t(p)], out[p]);
    // relu maps are never negative; the features column holds the inputs.
    for (float v : in.columns[1].maps) EXPECT_GE(v, 0.0f);
    EXPECT_EQ(in.columns[0].maps[1], inputs[0 * 2 + 0 + 2]) << "feature x of cell 1";
    ASSERT_EQ(in.layers.size(), 5u); // three dense weights and two batchnorm scales
    for (const auto &l : in.layers) {
        EXPECT_GT(l.grad_norm, 0) << l.name;
        int total = 0;
        for (int c : l.histogram) total += c;
        EXPECT_GT(total, 0);
    }
}

TEST(inspect, a_residual_columns_lines_are_its_first_layers_weights) {
    Spec s = test::small_spec("circle");
    NetDesign d;
    d.hidden = {{4, Activation::tanh}, {4, Activation::tanh}};
    d.residual = true; // the second layer keeps its input's width: y = x + tanh(W·x + b)
    s.model.layers = design_layers(d, 2);
    ASSERT_EQ(s.model.layers[1].type, LayerType::residual);
    Trainer t(s);
    Inspection in = inspect(t, 0, {});
    ASSERT_EQ(in.columns.size(), 4u);
    const NeuronColumn &c = in.columns[2];
    EXPECT_EQ(c.fan_in, 4);
    const ParamView *w = nullptr, *b = nullptr;
    for (const ParamView &v : t.model().param_views()) {
        if (v.name == "layers.1.layers.0.weight") w = &v;
        if (v.name == "layers.1.layers.0.bias") b = &v;
    }
    ASSERT_TRUE(w && b);
    EXPECT_EQ(c.weight_offset, long(w->offset));
    EXPECT_EQ(c.bias_offset, long(b->offset));
}

TEST(inspect, a_dead_relu_unit_is_counted) {
    Spec s = test::small_spec("circle");
    s.model.layers = design_layers(NetDesign{{{3, Activation::relu}}, false, 0, false, 1}, 2);
    Trainer t(s);
    // Unit 0: zero weights and a negative bias never fire.
    auto p = t.model().params();
    p[0] = p[1] = 0;
    p[6] = -1; // bias of unit 0 (weights [3, 2] come first)
    Inspection in = inspect(t, 0, {});
    ASSERT_EQ(in.columns.size(), 3u); // features, the relu layer, the output
    EXPECT_EQ(in.columns[1].dead, 1);
}

TEST(session, set_param_speed_limit_and_target_loss) {
    Spec s = test::small_spec("circle", 0); // no epoch limit
    s.train.target_loss = 0.2;
    Session session(s);
    auto first = session.latest();
    ASSERT_TRUE(first->inspection);
    session.post({Command::Kind::set_param, 0, 0.125});
    session.pump(1);
    EXPECT_EQ(session.latest()->params[0], 0.125f);
    // The speed limit: about 200 steps/s for 0.3 s is far fewer steps than unlimited.
    session.post({Command::Kind::set_speed, 0, 200});
    session.post({Command::Kind::play});
    auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(300)) session.pump(5);
    const int64_t limited = session.latest()->metrics.step;
    EXPECT_GT(limited, 5);
    EXPECT_LT(limited, 200);
    EXPECT_EQ(session.latest()->speed, 200);
    EXPECT_EQ(session.latest()->speed_unit, SpeedUnit::steps);
    // Without the limit it runs until the target loss stops it.
    session.post({Command::Kind::set_speed, 0, 0});
    for (int i = 0; i < 4000 && session.latest()->running; ++i) session.pump(5);
    auto done = session.latest();
    EXPECT_FALSE(done->running);
    EXPECT_LE(done->metrics.loss_train, 0.2);
    EXPECT_FALSE(done->grad_steps.empty());
    EXPECT_EQ(done->grad_norms.size(), done->grad_steps.size() * size_t(done->n_grad_layers));
}
