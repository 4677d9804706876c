// Max and average pooling: forward by hand, gradient check through a network, and routing of
// the max's gradient to the winning input.
#include "helpers.h"

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
