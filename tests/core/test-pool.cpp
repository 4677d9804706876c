// Max and average pooling: forward by hand, gradient check through a network and of the input
// gradient, routing of the max's gradient to the winning input, and a save/load round trip of a
// model that contains them (they have no parameters of their own); the max kernel's vector
// paths against a plain scan.
#include <limits>
#include <tuple>

#include "helpers.h"
#include "kernels/pool.h"
#include "nn/pool.h"

using namespace liandan;
using test::dense;

namespace {
LayerSpec pool(LayerType t, int size, int stride = 0) {
    LayerSpec l;
    l.type = t;
    l.size = size;
    l.stride = stride ? stride : size;
    return l;
}
} // namespace

TEST(pool, forward_by_hand) {
    std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}; // 1×4×4
    auto mx = test::make_model({1, 4, 4}, {pool(LayerType::maxpool, 2)});
    const float *y = mx->forward(x.data(), 1, false);
    EXPECT_EQ(std::vector<float>(y, y + 4), (std::vector<float>{6, 8, 14, 16}));
    auto av = test::make_model({1, 4, 4}, {pool(LayerType::avgpool, 2)});
    y = av->forward(x.data(), 1, false);
    EXPECT_EQ(std::vector<float>(y, y + 4), (std::vector<float>{3.5f, 5.5f, 11.5f, 13.5f}));
    auto overlap = test::make_model({1, 4, 4}, {pool(LayerType::maxpool, 3, 1)});
    y = overlap->forward(x.data(), 1, false);
    EXPECT_EQ(std::vector<float>(y, y + 4), (std::vector<float>{11, 12, 15, 16}));
}

TEST(pool, max_routes_the_gradient_to_the_maximum) {
    std::vector<float> x = {1, 9, 3, 4}; // 1×2×2, max at index 1
    auto m = test::make_model({1, 2, 2}, {pool(LayerType::maxpool, 2), dense(1)});
    std::fill(m->params().begin(), m->params().end(), 1.0f);
    std::vector<float> dy = {1};
    m->forward(x.data(), 1, true);
    m->backward(x.data(), dy.data(), 1);
    EXPECT_FLOAT_EQ(m->grads()[0], 9.0f); // dW = pooled value
}

TEST(pool, gradient_check) {
    for (LayerType t : {LayerType::maxpool, LayerType::avgpool}) {
        SCOPED_TRACE(layer_type_name(t));
        LayerSpec c;
        c.type = LayerType::conv2d, c.filters = 2, c.kernel = 3, c.stride = 1, c.activation = Activation::tanh;
        auto m = test::make_model({1, 6, 6}, {c, pool(t, 2), dense(1)}, 2);
        m->init({InitScheme::xavier, 3});
        Rng rng(8);
        std::vector<float> x(72);
        for (float &v : x) v = float(rng.uniform(-1, 1));
        std::vector<float> target = {0.3f, -0.4f};
        EXPECT_LT(test::max_gradient_error(*m, LossType::mse, x, target, 2), 3e-3);
    }
}

TEST(pool, input_gradient_check) {
    // Overlapping windows (size 3, stride 2) and a size that leaves a remainder (7 = 3·2 + 1).
    for (bool max : {true, false}) {
        SCOPED_TRACE(max ? "maxpool" : "avgpool");
        Pool2d p({2, 7, 7}, 3, 2, max);
        p.allocate({3, 3, 1});
        RunContext ctx;
        // Values 0.01 apart in shuffled order: every window has one maximum, and the difference
        // quotient's ±1e-3 never changes which one it is.
        Rng rng(12);
        std::vector<float> x(3 * 98);
        for (size_t i = 0; i < x.size(); ++i) x[i] = 0.01f * (float(i) - 147.0f);
        shuffle(x.data(), x.size(), rng);
        EXPECT_LT(test::max_input_gradient_error(p, x, 3, ctx), 1e-3);
    }
}

TEST(pool, save_load_round_trip) {
    LayerSpec c;
    c.type = LayerType::conv2d, c.filters = 2, c.kernel = 3, c.stride = 1, c.activation = Activation::relu;
    LayerSpec flat;
    flat.type = LayerType::flatten;
    Rng rng(3);
    std::vector<float> x(4 * 64);
    for (float &v : x) v = float(rng.uniform(-1, 1));
    test::expect_save_load_round_trip({1, 8, 8}, {c, pool(LayerType::maxpool, 2), pool(LayerType::avgpool, 2, 1), flat, dense(1)}, x, 4,
                                      "pool.safetensors");
}

TEST(pool, max_kernels_agree_with_a_plain_scan_on_ties_and_nan) {
    // The vector paths (AVX2's 2 × 2 windows and gathers, SIMD128's 2 × 2 windows) against the definition: the first
    // maximum in row-major window order wins, a NaN never does; widths that leave a remainder.
    for (auto [size, stride, w] : {std::tuple{2, 2, 19}, std::tuple{2, 2, 8}, std::tuple{2, 2, 28}, std::tuple{2, 2, 33}, std::tuple{3, 3, 14},
                                          std::tuple{3, 2, 9}}) {
        SCOPED_TRACE(std::to_string(size) + "x" + std::to_string(size) + " stride " + std::to_string(stride) + " width " + std::to_string(w));
        const int C = 2, H = w, OH = (H - size) / stride + 1, OW = (w - size) / stride + 1;
        const PoolGeometry g{C, H, w, size, stride, OH, OW};
        std::vector<float> x(size_t(C) * H * w);
        for (size_t i = 0; i < x.size(); ++i) x[i] = float((i * 37) % 5); // many ties
        x[3] = std::numeric_limits<float>::quiet_NaN();
        x[w + 1] = std::numeric_limits<float>::quiet_NaN();
        std::vector<float> y(size_t(C) * OH * OW);
        std::vector<int32_t> am(y.size());
        maxpool_forward(g, x.data(), y.data(), am.data());
        for (int c = 0; c < C; ++c)
            for (int oy = 0; oy < OH; ++oy)
                for (int ox = 0; ox < OW; ++ox) {
                    float best = -std::numeric_limits<float>::infinity();
                    int32_t where = 0;
                    for (int i = 0; i < size; ++i)
                        for (int j = 0; j < size; ++j) {
                            const int32_t at = (c * H + oy * stride + i) * w + ox * stride + j;
                            if (x[size_t(at)] > best) best = x[size_t(at)], where = at;
                        }
                    const size_t o = (size_t(c) * OH + oy) * OW + ox;
                    ASSERT_EQ(y[o], best) << "at " << o;
                    ASSERT_EQ(am[o], where) << "at " << o;
                }
    }
}
