// Pointing a spec at data files: the task, the input and output sizes and the loss follow the
// data, the user's hidden layers and optimizer stay, and the result trains.
#include <functional>

#include <nlohmann/json.hpp>

#include "data/fit_spec.h"
#include "data/idx.h"
#include "helpers.h"
#include "train/trainer.h"

using namespace liandan;

namespace {
std::string refusal(const std::function<void()> &f) {
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
// Two features, a text class from their sign, and a numeric value column.
std::string toy_csv() {
    std::string text = "a,b,value,kind\n";
    Rng rng(3, 1);
    for (int i = 0; i < 120; ++i) {
        double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
        const char *kind = a > 0 ? (b > 0 ? "north" : "east") : "south";
        text += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(2 * a - b + 0.5) + "," + kind + "\n";
    }
    return test::write_temp_file("fit.csv", text);
}
Spec user_spec() { // what a user might have built on toy data: two tanh layers, adam
    Spec s = parse_spec_text(R"({"model": {"layers": [{"units": 12, "activation": "tanh"}, {"units": 6, "activation": "tanh"}, {"units": 1}]},
                                 "optimizer": {"type": "adam", "lr": 0.02}, "train": {"epochs": 30, "batch_size": 8}})");
    return s;
}
} // namespace

TEST(fit_spec, csv_last_column_is_the_target_and_the_net_keeps_its_hidden_layers) {
    std::string path = toy_csv();
    Spec s = spec_for_csv(user_spec(), path);
    EXPECT_EQ(s.data.source, DataSource::csv);
    EXPECT_EQ(s.data.target, "kind");
    EXPECT_EQ(s.model.input, (std::vector<int>{3}));
    ASSERT_EQ(s.model.layers.size(), 3u);
    EXPECT_EQ(s.model.layers[0].units, 12);
    EXPECT_EQ(s.model.layers[1].activation, Activation::tanh);
    EXPECT_EQ(s.model.layers[2].units, 3);
    EXPECT_EQ(s.loss.type, LossType::cross_entropy);
    EXPECT_EQ(s.optimizer.type, OptimizerType::adam);
    EXPECT_EQ(s.train.epochs, 30);
    // It survives the parser (what App::load does) and trains: the classes are separable.
    Spec checked = parse_spec(spec_to_json(s));
    Trainer t(checked);
    EpochMetrics before = t.evaluate();
    while (t.epoch() < 30) t.step();
    EpochMetrics after = t.evaluate();
    std::printf("  loss %.4f -> %.4f, test accuracy %.3f\n", before.loss_train, after.loss_train, after.accuracy_test);
    EXPECT_LT(after.loss_train, 0.5 * before.loss_train);
    EXPECT_GT(after.accuracy_test, 0.85);
}

TEST(fit_spec, retargeting_a_numeric_column_gives_regression_and_keeps_data_settings) {
    std::string path = toy_csv();
    Spec s = spec_for_csv(user_spec(), path);
    s.data.test_fraction = 0.4; // a user's change to the data settings
    Spec r = spec_for_csv(s, path, "value");
    EXPECT_EQ(r.data.target, "value");
    EXPECT_DOUBLE_EQ(r.data.test_fraction, 0.4);
    EXPECT_EQ(r.loss.type, LossType::mse);
    EXPECT_EQ(r.model.layers.back().units, 1);
    EXPECT_EQ(r.model.input, (std::vector<int>{5})); // a, b and kind one-hot (east, north, south)
    Trainer t(parse_spec(spec_to_json(r)));
    EXPECT_EQ(t.data().task, Task::regression);
}

TEST(fit_spec, two_classes_take_bce_and_integer_labels_are_classes) {
    std::string path = test::write_temp_file("binary.csv", "x,y,label\n0.1,0.2,0\n0.3,0.1,1\n0.5,0.9,1\n0.2,0.2,0\n0.8,0.1,1\n");
    Spec s = spec_for_csv(user_spec(), path);
    EXPECT_EQ(s.loss.type, LossType::bce);
    EXPECT_EQ(s.model.layers.back().units, 1);
    Spec ce = user_spec();
    ce.loss.type = LossType::cross_entropy;
    EXPECT_EQ(spec_for_csv(ce, path).model.layers.back().units, 2); // a cross_entropy user keeps it
}

TEST(fit_spec, conv_layers_give_way_to_a_dense_stack_for_columns) {
    Spec conv = parse_spec_text(R"({"data": {"source": "mnist"}, "model": {"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "filters": 4, "kernel": 3}, {"type": "flatten"}, {"units": 10}]}, "loss": {"type": "cross_entropy"},
        "train": {"augment": {"shift": 1}}})");
    Spec s = spec_for_csv(conv, toy_csv());
    ASSERT_EQ(s.model.layers.size(), 2u);
    EXPECT_EQ(s.model.layers[0].type, LayerType::dense);
    EXPECT_EQ(s.model.layers[0].activation, Activation::relu);
    EXPECT_FALSE(s.train.augment.on()) << "images' shifts do not follow the net onto a table's rows";
}

TEST(fit_spec, idx_pair_sets_image_input_and_classes) {
    std::string images = liandan::test::temp_folder() + "fit-images.gz", labels = liandan::test::temp_folder() + "fit-labels";
    std::vector<uint8_t> px(20 * 6 * 6), lab(20);
    for (int i = 0; i < 20; ++i) lab[i] = uint8_t(i % 4);
    write_idx(images, {20, 6, 6}, px);
    write_idx(labels, {20}, lab);
    Spec s = spec_for_idx(user_spec(), images, labels);
    EXPECT_EQ(s.data.source, DataSource::idx);
    EXPECT_EQ(s.model.input, (std::vector<int>{1, 6, 6}));
    EXPECT_EQ(s.model.layers.back().units, 4);
    EXPECT_EQ(s.loss.type, LossType::cross_entropy);
    Trainer t(parse_spec(spec_to_json(s)));
    EXPECT_EQ(t.data().n_classes, 4);

    std::string few = liandan::test::temp_folder() + "fit-few-labels";
    write_idx(few, {19}, std::vector<uint8_t>(19, 1));
    EXPECT_EQ(refusal([&] { spec_for_idx(user_spec(), images, few); }),
              few + ": has 19 labels but " + images + " has 20 images");
    EXPECT_EQ(refusal([&] { spec_for_idx(user_spec(), labels, labels); }), labels + ": holds labels (one dimension), not images");
}

TEST(fit_spec, malformed_csv_is_refused_naming_file_and_line) {
    std::string ragged = test::write_temp_file("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
    EXPECT_EQ(refusal([&] { spec_for_csv(user_spec(), ragged); }), ragged + ":3: has 2 fields; the header has 3");
    std::string hole = test::write_temp_file("hole.csv", "a,b,c\n1,NA,3\n");
    EXPECT_EQ(refusal([&] { spec_for_csv(user_spec(), hole); }), hole + ":2: column 'b' has no value");
    std::string path = toy_csv();
    EXPECT_EQ(refusal([&] { spec_for_csv(user_spec(), path, "colour"); }), "data.target: no column 'colour' in " + path);
}

TEST(fit_spec, a_mismatched_model_input_is_refused_naming_both_shapes) {
    Spec s = spec_for_csv(user_spec(), toy_csv());
    s.model.input = {1, 2, 2};
    EXPECT_EQ(refusal([&] { Trainer t(parse_spec(spec_to_json(s))); }), "model.input: shape [1, 2, 2] does not match the data's [3]");
}
