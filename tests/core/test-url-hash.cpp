// The experiment in the URL: a real TensorFlow Playground link gives the same experiment, short
// and full forms read back to the same spec, and bad keys or values are refused naming the key.
#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "helpers.h"
#include "url_hash.h"

using namespace liandan;
using json = nlohmann::json;

namespace {
// A link as TensorFlow Playground writes it (its serialize(): every key, in its order).
const char *k_playground_link =
    "#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0"
    "&networkShape=4,2&seed=0.59688&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false"
    "&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification"
    "&initZero=false&hideText=false";

std::string refusal(const std::string &hash) {
    try {
        spec_from_url_hash(hash);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
json as_json(const Spec &s) { return spec_to_json(s); }
} // namespace

TEST(url_hash, playground_link_gives_the_same_experiment) {
    Spec s = spec_from_url_hash(k_playground_link);
    EXPECT_EQ(s.data.source, DataSource::toy);
    EXPECT_EQ(s.data.toy.shape, "circle");
    EXPECT_EQ(s.data.toy.n, 500);             // Playground's NUM_SAMPLES_CLASSIFY
    EXPECT_DOUBLE_EQ(s.data.toy.noise, 0.0);
    EXPECT_DOUBLE_EQ(s.data.test_fraction, 0.5); // percTrainData 50
    EXPECT_EQ(s.data.features, (std::vector<std::string>{"x", "y"}));
    ASSERT_EQ(s.model.layers.size(), 3u);     // networkShape 4,2 and one output
    EXPECT_EQ(s.model.layers[0].units, 4);
    EXPECT_EQ(s.model.layers[1].units, 2);
    EXPECT_EQ(s.model.layers[0].activation, Activation::tanh);
    EXPECT_EQ(s.model.layers[2].units, 1);
    EXPECT_EQ(s.model.layers[2].activation, Activation::linear);
    EXPECT_EQ(s.loss.type, LossType::bce);
    EXPECT_EQ(s.optimizer.type, OptimizerType::sgd);
    EXPECT_DOUBLE_EQ(s.optimizer.lr, 0.03);
    EXPECT_DOUBLE_EQ(s.optimizer.momentum, 0.0);
    EXPECT_DOUBLE_EQ(s.optimizer.weight_decay, 0.0);
    EXPECT_EQ(s.train.batch_size, 10);
    EXPECT_EQ(s.train.epochs, 0);             // Playground trains until paused
    EXPECT_FALSE(s.train.shuffle);            // ... in one fixed order of its points
    EXPECT_EQ(s.init.scheme, InitScheme::xavier);
    // One seed for the points, the weights and the batches, as Playground's one seedrandom stream.
    EXPECT_EQ(s.data.toy.seed, seed_from_text("0.59688"));
    EXPECT_EQ(s.init.seed, s.data.toy.seed);
    EXPECT_EQ(s.train.seed, s.data.toy.seed);
    EXPECT_FALSE(s.view.show_test_data);
    EXPECT_FALSE(s.view.discretize);
    EXPECT_TRUE(s.view.hidden.empty());
    // The link Liandan writes back for it says the same, in Playground's keys.
    std::string back = url_hash_from_spec(s);
    EXPECT_EQ(back.rfind("activation=tanh&regularization=none&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&", 0), 0u) << back;
    EXPECT_EQ(as_json(spec_from_url_hash(back)), as_json(s));
}

TEST(url_hash, the_same_points_as_the_spec_says) {
    // Noise is Playground's percent: noise=25 is the generator's 0.25, and the data follow.
    Spec s = spec_from_url_hash("dataset=xor&noise=25&percTrainData=70&seed=7");
    EXPECT_DOUBLE_EQ(s.data.toy.noise, 0.25);
    EXPECT_EQ(s.data.toy.seed, 7u);
    Dataset d = make_dataset(s.data, s.loss.type, 512);
    EXPECT_EQ(d.train.n, 350); // Playground: floor(500 * 70 / 100) training points
    EXPECT_EQ(d.test.n, 150);
}

TEST(url_hash, keys_left_out_take_playground_defaults) {
    Spec s = spec_from_url_hash("");
    EXPECT_EQ(s.data.toy.shape, "circle");
    EXPECT_EQ(s.model.layers.size(), 3u);
    EXPECT_EQ(s.data.toy.seed, 1u); // Playground would draw one; a fixed seed keeps the link reproducible
    Spec none = spec_from_url_hash("networkShape=&activation=relu");
    EXPECT_EQ(none.model.layers.size(), 1u); // no hidden layers
}

TEST(url_hash, regression_features_regularization_and_hidden_controls) {
    Spec s = spec_from_url_hash("#problem=regression&regDataset=reg-gauss&dataset=spiral&regularization=L2&regularizationRate=0.003"
                                "&xSquared=true&sinY=true&y=false&learningRate_hide=true&noise_hide=true&x_hide=false&discretize=true");
    EXPECT_EQ(s.data.toy.shape, "multigauss");
    EXPECT_EQ(s.data.toy.n, 1200); // NUM_SAMPLES_REGRESS
    EXPECT_EQ(s.loss.type, LossType::mse);
    EXPECT_DOUBLE_EQ(s.optimizer.weight_decay, 0.003);
    EXPECT_EQ(s.data.features, (std::vector<std::string>{"x", "x2", "siny"}));
    EXPECT_EQ(s.view.hidden, (std::vector<std::string>{"learningRate", "noise"}));
    EXPECT_TRUE(s.view.discretize);
    Spec l1 = spec_from_url_hash("regularization=L1&regularizationRate=0.01");
    EXPECT_DOUBLE_EQ(l1.optimizer.l1, 0.01);
    EXPECT_DOUBLE_EQ(l1.optimizer.weight_decay, 0.0);
    EXPECT_EQ(as_json(spec_from_url_hash(url_hash_from_spec(s))), as_json(s));
}

TEST(url_hash, liandan_keys) {
    Spec s = spec_from_url_hash("dataset=spirals&numClasses=4&optimizer=adam&learningRate=0.005&epochs=40&batchNorm=true"
                                "&dropout=0.1&initScheme=he&networkShape=16,16&activation=relu&numSamples=800&shuffle=true");
    EXPECT_EQ(s.data.toy.classes, 4);
    EXPECT_EQ(s.data.toy.n, 800);
    EXPECT_EQ(s.loss.type, LossType::cross_entropy);
    ASSERT_EQ(s.model.layers.size(), 7u); // (dense, batchnorm, dropout) × 2, output
    EXPECT_EQ(s.model.layers[0].activation, Activation::linear);
    EXPECT_EQ(s.model.layers[1].type, LayerType::batchnorm);
    EXPECT_EQ(s.model.layers[1].activation, Activation::relu);
    EXPECT_DOUBLE_EQ(s.model.layers[2].rate, 0.1);
    EXPECT_EQ(s.model.layers[6].units, 4);
    EXPECT_EQ(s.optimizer.type, OptimizerType::adam);
    EXPECT_EQ(s.train.epochs, 40);
    EXPECT_TRUE(s.train.shuffle);
    EXPECT_EQ(s.init.scheme, InitScheme::he);
    std::string h = url_hash_from_spec(s);
    EXPECT_NE(h.find("&numClasses=4"), std::string::npos) << h;
    EXPECT_NE(h.find("&batchNorm=true&dropout=0.1"), std::string::npos) << h;
    EXPECT_EQ(as_json(spec_from_url_hash(h)), as_json(s));
}

TEST(url_hash, round_trip_short_for_the_apps_edits) {
    // What the app's controls make: another data set, noise, split, features, widths, rate, seeds.
    Spec s = spec_from_url_hash("dataset=spiral&noise=10&percTrainData=80&networkShape=8,8,8&learningRate=0.01"
                                "&x=true&y=true&sinX=true&cosY=true&batchSize=25&epochs=300&momentum=0.9");
    s.data.toy.seed += 1; // the app's Regenerate button draws new points only
    s.view.show_test_data = true;
    std::string h = url_hash_from_spec(s);
    EXPECT_EQ(h.find("spec="), std::string::npos) << h;
    EXPECT_NE(h.find("noise=10&"), std::string::npos) << h;
    EXPECT_NE(h.find("percTrainData=80&"), std::string::npos) << h;
    EXPECT_NE(h.find("&initSeed=1&trainSeed=1"), std::string::npos) << h;
    EXPECT_EQ(as_json(spec_from_url_hash("#" + h)), as_json(s));
}

TEST(url_hash, pace_of_the_app) {
    EXPECT_EQ(spec_from_url_hash("dataset=xor").view.speed, 30); // watchable by default
    Spec s = spec_from_url_hash("dataset=xor&speed=100&speedUnit=steps");
    EXPECT_EQ(s.view.speed, 100);
    EXPECT_EQ(s.view.speed_unit, SpeedUnit::steps);
    std::string h = url_hash_from_spec(s);
    EXPECT_NE(h.find("&speed=100&speedUnit=steps"), std::string::npos) << h;
    EXPECT_EQ(url_hash_from_spec(spec_from_url_hash("speed=30")).find("speed"), std::string::npos);
    EXPECT_EQ(spec_from_url_hash("speed=0").view.speed, 0); // as fast as it goes
    EXPECT_THROW(spec_from_url_hash("speedUnit=frames"), Error);
}

TEST(url_hash, round_trip_full_form_for_what_short_keys_cannot_say) {
    Spec s = parse_spec_text(R"({"data": {"source": "csv", "path": "${LIANDAN_DATA}/tabular/iris.csv", "target": "species"},
        "model": {"layers": [{"units": 16, "activation": "relu"}, {"type": "dropout", "rate": 0.2}, {"units": 3}]},
        "loss": {"type": "cross_entropy"}, "optimizer": {"type": "adam", "schedule": {"type": "cosine"}},
        "view": {"hidden": ["noise"]}})");
    std::string h = url_hash_from_spec(s);
    EXPECT_EQ(h.rfind("spec=", 0), 0u);
    EXPECT_EQ(h.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 5), std::string::npos);
    EXPECT_EQ(as_json(spec_from_url_hash(h)), as_json(s));
    // A toy spec with a schedule is beyond the short keys too.
    const Spec defaults = parse_spec(spec_to_json(default_spec())); // as parsed: the toy set's classes filled in
    Spec toy = defaults;
    toy.optimizer.schedule.type = ScheduleType::cosine;
    EXPECT_EQ(url_hash_from_spec(toy).rfind("spec=", 0), 0u);
    EXPECT_EQ(as_json(spec_from_url_hash(url_hash_from_spec(toy))), as_json(toy));
    // The default spec has Liandan's own defaults (spiral, 8 tanh units, 100 epochs): still short.
    EXPECT_EQ(url_hash_from_spec(defaults).find("spec="), std::string::npos) << url_hash_from_spec(defaults);
    EXPECT_EQ(as_json(spec_from_url_hash(url_hash_from_spec(defaults))), as_json(defaults));
    // The full form by hand: URI-encoded JSON.
    Spec typed = spec_from_url_hash("#spec=%7B%22train%22%3A%7B%22epochs%22%3A7%7D%7D");
    EXPECT_EQ(typed.train.epochs, 7);
}

TEST(url_hash, bad_keys_and_values_name_the_key) {
    EXPECT_EQ(refusal("noise=120"), "noise: 120 is above the maximum 100");
    EXPECT_EQ(refusal("activation=swish"), "activation: 'swish' is not one of relu, tanh, sigmoid, linear, leaky_relu, elu, gelu");
    EXPECT_EQ(refusal("dataset=donut"), "dataset: 'donut' is not one of circle, xor, gauss, spiral, moons, checkerboard, spirals, blobs, "
                                      "mnist, fashion-mnist, iris, breast-cancer, boston-housing");
    EXPECT_EQ(refusal("batchSize=ten"), "batchSize: 'ten' is not a number");
    EXPECT_EQ(refusal("batchSize=2.5"), "batchSize: '2.5' is not a whole number");
    EXPECT_EQ(refusal("networkShape=4,,2"), "networkShape: '4,,2' has an empty entry; write widths like 4,2");
    EXPECT_EQ(refusal("networkShape=4,0"), "networkShape: 0 is below the minimum 1");
    EXPECT_EQ(refusal("showTestData=yes"), "showTestData: 'yes' is not true or false");
    EXPECT_EQ(refusal("learningRat=0.1"), "learningRat: unknown key (see docs/url.md)");
    // Known keys with empty values are skipped, as Playground does; unknown ones are not.
    EXPECT_EQ(refusal("asdf"), "asdf: unknown key (see docs/url.md)");
    EXPECT_EQ(refusal("%%%garbage&&&=="), "%%%garbage: unknown key (see docs/url.md)");
    EXPECT_EQ(refusal("noise=5&=3"), "=3: is a setting without a name; write key=value pairs joined by &");
    // Percent escapes that make no text: named as written, not as the bytes they decode to.
    EXPECT_EQ(refusal("%E0%A4%A=1"), "%E0%A4%A=1: is not text once its percent escapes are decoded (they make invalid UTF-8)");
    EXPECT_EQ(refusal("noise=%FF"), "noise=%FF: is not text once its percent escapes are decoded (they make invalid UTF-8)");
    EXPECT_EQ(refusal("noise=%E4%B8%AD"), "noise: '中' is not a number"); // text, escaped: read as such
    for (const char *bytes : {"%ED%A0%80", "%E0%80%AF", "%F0%80%80%AF", "%F4%90%80%80", "%F5%80%80%80", "%C0%AF", "%E4%B8"})
        EXPECT_NE(refusal(std::string("noise=") + bytes).find("is not text once"), std::string::npos) << bytes; // surrogates, overlong, past U+10FFFF, cut
    EXPECT_EQ(refusal("noise=%F0%9F%98%80"), "noise: '😀' is not a number");
    EXPECT_NO_THROW(spec_from_url_hash("noise=&seed=&dataset="));
    EXPECT_EQ(refusal("percTrainData=5"), "percTrainData: 5 is below the minimum 10");
    EXPECT_EQ(refusal("seed=1&seed=2"), "seed: is given twice");
    EXPECT_EQ(refusal("wheel_hide=true"), "wheel_hide: 'wheel' is not a control that can be hidden (see docs/url.md)");
    EXPECT_EQ(refusal("x=false&y=false"), "x: every input feature is off (x, y, xSquared, ...); turn at least one on");
    EXPECT_EQ(refusal("problem=regression&regDataset=reg-maximum"),
              "regDataset: 'reg-maximum' is TensorFlow Playground's, but Liandan has no generator for it; one of reg-plane, reg-gauss");
    EXPECT_EQ(refusal("regDataset=reg-maximum"), "accepted"); // unused for classification, as in Playground
    EXPECT_EQ(refusal("numClasses=3"), "numClasses: the data set 'circle' has 2 classes; spirals and blobs take any number");
    EXPECT_EQ(refusal("optimizer=adam&momentum=0.9"), "momentum: is for optimizer sgd or rmsprop, not adam");
    EXPECT_EQ(refusal("spec=@@@"), "spec: is neither JSON nor base64url-encoded JSON (character '@')");
    EXPECT_EQ(refusal("spec=%7B%22train%22%3A%7B%22batch_sise%22%3A4%7D%7D"), "train.batch_sise: unknown key");
    EXPECT_EQ(refusal("spec=e30&noise=5"), "spec: the full-spec form stands alone; put the other settings inside the spec");
}

TEST(url_hash, seeds_from_text) {
    EXPECT_EQ(seed_from_text("42"), 42u);
    EXPECT_EQ(seed_from_text("0.59688"), seed_from_text("0.59688"));
    EXPECT_NE(seed_from_text("0.59688"), seed_from_text("0.59689"));
    EXPECT_LT(seed_from_text("0.59688"), uint64_t(1) << 53);
    EXPECT_EQ(base64url_decode(base64url_encode("any bytes \xff\x01")), "any bytes \xff\x01");
}
