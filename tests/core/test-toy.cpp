// Toy data: sizes, label balance, determinism by seed, and the split and normalization rules.
#include <numeric>

#include "data/dataset.h"
#include "data/toy.h"
#include "helpers.h"

using namespace liandan;

TEST(toy, every_shape_generates_n_points_in_range) {
    for (const std::string &shape : toy_shape_names()) {
        SCOPED_TRACE(shape);
        ToySpec t;
        t.shape = shape;
        t.n = 300;
        t.noise = 0;
        ToyPoints p = make_toy(t);
        ASSERT_EQ(p.label.size(), 300u);
        for (float v : p.xy) EXPECT_LE(std::abs(v), k_toy_extent + 0.5f);
        const ToyInfo &info = toy_info(shape);
        if (info.task == Task::classification) { // every class gets a fair share
            std::vector<int> count(info.classes, 0);
            for (float l : p.label) ++count.at(size_t(l));
            for (int c : count) {
                EXPECT_GT(c, 300 / info.classes * 0.6);
                EXPECT_LT(c, 300 / info.classes * 1.4);
            }
        }
    }
}

TEST(toy, same_seed_same_points_other_seed_other_points) {
    ToySpec t;
    EXPECT_EQ(make_toy(t).xy, make_toy(t).xy);
    ToySpec u = t;
    u.seed = 2;
    EXPECT_NE(make_toy(t).xy, make_toy(u).xy);
}

TEST(toy, reference_values_match_every_build) {
    // Pins the generator (our PCG32 + libm): the same numbers natively and in wasm.
    ToySpec t;
    t.n = 10;
    ToyPoints p = make_toy(t);
    std::printf("  first point %.9g %.9g label %g\n", p.xy[0], p.xy[1], p.label[0]);
    EXPECT_NEAR(p.xy[0], REFERENCE_X0, 1e-5);
    EXPECT_NEAR(p.xy[1], REFERENCE_Y0, 1e-5);
}

TEST(dataset, split_takes_the_last_rows_as_test) {
    DataSpec d;
    d.toy.n = 100;
    d.test_fraction = 0.3;
    Dataset ds = make_dataset(d, LossType::bce, 512);
    EXPECT_EQ(ds.train.n, 70);
    EXPECT_EQ(ds.test.n, 30);
    ToyPoints p = make_toy(d.toy);
    EXPECT_EQ(ds.test.point[0], p.xy[2 * 70]); // row 70 of the generated order is the first test row
}

TEST(dataset, standard_normalization_uses_train_statistics) {
    DataSpec d;
    d.toy.n = 400;
    d.normalize = Normalize::standard;
    d.features = {"x", "x2"};
    Dataset ds = make_dataset(d, LossType::bce, 512);
    for (int f = 0; f < 2; ++f) {
        double sum = 0, sum2 = 0;
        for (int r = 0; r < ds.train.n; ++r) sum += ds.train.x[size_t(r) * 2 + f];
        double mean = sum / ds.train.n;
        for (int r = 0; r < ds.train.n; ++r) sum2 += std::pow(ds.train.x[size_t(r) * 2 + f] - mean, 2);
        EXPECT_NEAR(mean, 0, 1e-5);
        EXPECT_NEAR(sum2 / ds.train.n, 1, 1e-4);
    }
}
