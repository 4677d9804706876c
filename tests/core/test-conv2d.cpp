// Conv2d: forward with constant weights by hand (valid, same, stride 2), gradient check, save/load.
#include "helpers.h"
#include "io/safetensors.h"
#include "nn/conv2d.h"
#include "util/thread_pool.h"

using namespace liandan;
using test::dense;

namespace {
LayerSpec conv(int filters, int kernel, int stride = 1, Padding padding = Padding::valid, Activation a = Activation::linear) {
    LayerSpec l;
    l.type = LayerType::conv2d;
    l.filters = filters, l.kernel = kernel, l.stride = stride, l.padding = padding, l.activation = a;
    return l;
}
LayerSpec flatten() {
    LayerSpec l;
    l.type = LayerType::flatten;
    return l;
}
std::vector<float> iota(int n) {
    std::vector<float> v(n);
    for (int i = 0; i < n; ++i) v[i] = float(i + 1);
    return v;
}
} // namespace

TEST(conv2d, forward_constant_weights_valid) {
    auto m = test::make_model({1, 3, 3}, {conv(1, 2)});
    std::fill(m->params().begin(), m->params().end(), 1.0f);
    m->params()[4] = 0.5f; // bias after the [1, 1, 2, 2] weight
    std::vector<float> x = iota(9); // 1..9 in a 3×3 image
    const float *y = m->forward(x.data(), 1, false);
    EXPECT_EQ(m->n_outputs(), 4);
    EXPECT_FLOAT_EQ(y[0], 12.5f); // 1+2+4+5 + 0.5
    EXPECT_FLOAT_EQ(y[1], 16.5f);
    EXPECT_FLOAT_EQ(y[2], 24.5f);
    EXPECT_FLOAT_EQ(y[3], 28.5f);
}

TEST(conv2d, forward_same_padding_and_stride) {
    auto same = test::make_model({1, 3, 3}, {conv(1, 3, 1, Padding::same)});
    std::fill(same->params().begin(), same->params().end(), 1.0f);
    same->params()[9] = 0.0f;
    std::vector<float> x = iota(9);
    const float *y = same->forward(x.data(), 1, false);
    EXPECT_FLOAT_EQ(y[0], 12.0f); // corner sees 1, 2, 4, 5
    EXPECT_FLOAT_EQ(y[4], 45.0f); // centre sees all
    auto strided = test::make_model({1, 4, 4}, {conv(1, 2, 2)});
    std::fill(strided->params().begin(), strided->params().end(), 1.0f);
    strided->params()[4] = 0.0f;
    std::vector<float> x4 = iota(16);
    const float *z = strided->forward(x4.data(), 1, false);
    EXPECT_EQ(strided->n_outputs(), 4);
    EXPECT_FLOAT_EQ(z[0], 1 + 2 + 5 + 6);
    EXPECT_FLOAT_EQ(z[3], 11 + 12 + 15 + 16);
}

TEST(conv2d, gradient_check) {
    auto m = test::make_model({2, 5, 5}, {conv(3, 3, 1, Padding::same, Activation::tanh), conv(2, 2, 2), flatten(), dense(1)}, 3);
    m->init({InitScheme::he, 9});
    Rng rng(4);
    std::vector<float> x(3 * 50);
    for (float &v : x) v = float(rng.uniform(-1, 1));
    std::vector<float> target = {0.5f, -0.5f, 0.2f};
    EXPECT_LT(test::max_gradient_error(*m, LossType::mse, x, target, 3), 5e-3);
}

TEST(conv2d, forward_same_padding_even_kernel_pads_bottom_right) {
    // PyTorch's padding='same' with an even kernel puts the extra row and column at the bottom and
    // right: K = 2 pads 0 above/left and 1 below/right, so y[i][j] = x[i][j] + x[i][j+1] + x[i+1][j] + x[i+1][j+1].
    auto m = test::make_model({1, 3, 3}, {conv(1, 2, 1, Padding::same)});
    std::fill(m->params().begin(), m->params().end(), 1.0f);
    m->params()[4] = 0.0f;
    std::vector<float> x = iota(9);
    const float *y = m->forward(x.data(), 1, false);
    EXPECT_EQ(std::vector<float>(y, y + 9), (std::vector<float>{12, 16, 9, 24, 28, 15, 15, 17, 9}));
}

TEST(conv2d, gradient_check_strides_and_paddings) {
    // Stride 2 and 3 with sizes that leave a remainder (7 → 3, 7 → 2), same padding with an even
    // kernel; 'same' takes stride 1 only (as in PyTorch), so stride and same padding meet in one net.
    struct Case {
        const char *name;
        std::vector<LayerSpec> layers;
    };
    const Case cases[] = {
        {"stride 2 valid, then same K=3", {conv(3, 3, 2, Padding::valid, Activation::tanh), conv(2, 3, 1, Padding::same), flatten(), dense(1)}},
        {"stride 3 valid, K=2", {conv(2, 2, 3, Padding::valid, Activation::tanh), flatten(), dense(1)}},
        {"same K=2 and K=4", {conv(2, 2, 1, Padding::same, Activation::tanh), conv(2, 4, 1, Padding::same), flatten(), dense(1)}},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name);
        auto m = test::make_model({2, 7, 7}, c.layers, 2);
        m->init({InitScheme::he, 5});
        Rng rng(11);
        std::vector<float> x(2 * 98);
        for (float &v : x) v = float(rng.uniform(-1, 1));
        std::vector<float> target = {0.4f, -0.3f};
        EXPECT_LT(test::max_gradient_error(*m, LossType::mse, x, target, 2), 5e-3);
    }
}

TEST(conv2d, input_gradient_check) {
    // dx of the layer itself (col2im): stride 2, stride 1 with same padding (one contiguous run
    // per row, even and odd kernels) and with valid padding.
    struct Case { int stride, kernel; bool same; const char *name; };
    for (Case c : {Case{2, 2, false, "stride 2"}, Case{1, 4, true, "same, even kernel"}, Case{1, 3, true, "same, odd kernel"},
                   Case{1, 3, false, "valid"}}) {
        SCOPED_TRACE(c.name);
        Conv2d layer({2, 6, 5}, 3, c.kernel, c.stride, c.same);
        std::vector<float> params(size_t(3 * 2 * c.kernel * c.kernel + 3)), grads(params.size());
        Rng rng(13);
        for (float &v : params) v = float(rng.uniform(-0.5, 0.5));
        layer.bind(params.data(), grads.data(), nullptr);
        layer.allocate({2, 2, 1});
        std::vector<float> x(2 * 60);
        for (float &v : x) v = float(rng.uniform(-1, 1));
        RunContext ctx;
        ctx.training = true;
        EXPECT_LT(test::max_input_gradient_error(layer, x, 2, ctx), 2e-3);
    }
}

TEST(conv2d, same_padding_matches_a_direct_convolution) {
    // Stride 1 with same padding runs as products over the shifted padded image (no im2col):
    // output, weight, bias and input gradients against the definition, summed in double, for odd
    // and even kernels on a non-square image, several samples, and two threads.
    // 7 filters take the weight gradient's dot products, 16 its outer products (whole tiles).
    for (auto [k, O] : {std::pair{5, 7}, std::pair{4, 7}, std::pair{1, 7}, std::pair{5, 16}, std::pair{3, 16}}) {
        SCOPED_TRACE(testing::Message() << "K " << k << ", O " << O);
        const int C = 3, H = 9, W = 7, n = 5, pad = (k - 1) / 2;
        Conv2d layer({C, H, W}, O, k, 1, true);
        std::vector<float> params(size_t(O) * C * k * k + O), grads(params.size());
        Rng rng(17);
        for (float &v : params) v = float(rng.uniform(-0.5, 0.5));
        layer.bind(params.data(), grads.data(), nullptr);
        layer.allocate({n, n, 2});
        ThreadPool pool(2);
        RunContext ctx;
        ctx.pool = &pool;
        ctx.training = true;
        std::vector<float> x(size_t(n) * C * H * W), dy(size_t(n) * O * H * W), y(dy.size()), dx(x.size());
        for (float &v : x) v = float(rng.uniform(-1, 1));
        for (float &v : dy) v = float(rng.uniform(-1, 1));
        layer.forward(x.data(), y.data(), n, ctx);
        layer.backward(x.data(), y.data(), dy.data(), dx.data(), n, ctx);
        const float *w = params.data(), *b = w + size_t(O) * C * k * k;
        std::vector<double> ref_y(y.size()), ref_dx(dx.size(), 0.0), ref_dw(size_t(O) * C * k * k, 0.0), ref_db(O, 0.0);
        for (int s = 0; s < n; ++s)
            for (int o = 0; o < O; ++o)
                for (int oy = 0; oy < H; ++oy)
                    for (int ox = 0; ox < W; ++ox) {
                        const size_t at = ((size_t(s) * O + o) * H + oy) * W + ox;
                        double sum = b[o];
                        ref_db[o] += dy[at];
                        for (int c = 0; c < C; ++c)
                            for (int ki = 0; ki < k; ++ki)
                                for (int kj = 0; kj < k; ++kj) {
                                    const int iy = oy + ki - pad, ix = ox + kj - pad;
                                    if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                    const size_t xi = ((size_t(s) * C + c) * H + iy) * W + ix, wi = ((size_t(o) * C + c) * k + ki) * k + kj;
                                    sum += double(w[wi]) * x[xi];
                                    ref_dw[wi] += double(dy[at]) * x[xi];
                                    ref_dx[xi] += double(dy[at]) * w[wi];
                                }
                        ref_y[at] = sum;
                    }
        for (size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(y[i], ref_y[i], 1e-4) << "y at " << i;
        for (size_t i = 0; i < dx.size(); ++i) ASSERT_NEAR(dx[i], ref_dx[i], 1e-4) << "dx at " << i;
        for (size_t i = 0; i < ref_dw.size(); ++i) ASSERT_NEAR(grads[i], ref_dw[i], 1e-4) << "dw at " << i;
        for (int o = 0; o < O; ++o) ASSERT_NEAR(grads[ref_dw.size() + o], ref_db[o], 1e-4) << "db at " << o;
    }
}

TEST(conv2d, col2im_matches_element_by_element_scatter_bitwise) {
    // The kernel adds runs of a row at once; a plain scatter in the same (c, ki, kj, oy, ox) order
    // must give the same bits (valid padding, as layers use it, and the general path's padding).
    for (auto [k, same] : {std::pair{5, true}, std::pair{4, true}, std::pair{3, false}, std::pair{1, true}}) {
        SCOPED_TRACE(k);
        const int C = 3, H = 7, W = 6, pad = same ? (k - 1) / 2 : 0;
        const int OH = same ? H : H - k + 1, OW = same ? W : W - k + 1;
        const ConvGeometry g{C, H, W, k, 1, pad, OH, OW};
        std::vector<float> cols(size_t(C) * k * k * OH * OW);
        Rng rng(5);
        for (float &v : cols) v = float(rng.uniform(-1, 1));
        std::vector<float> expected(size_t(C) * H * W, 0.0f), got(expected.size(), 1.0f);
        for (int c = 0; c < C; ++c)
            for (int ki = 0; ki < k; ++ki)
                for (int kj = 0; kj < k; ++kj)
                    for (int oy = 0; oy < OH; ++oy)
                        for (int ox = 0; ox < OW; ++ox) {
                            const int iy = oy + ki - pad, ix = ox + kj - pad;
                            if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                                expected[size_t(c * H + iy) * W + ix] += cols[size_t(((c * k + ki) * k + kj) * OH + oy) * OW + ox];
                        }
        col2im(g, cols.data(), size_t(OH) * OW, got.data());
        for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], expected[i]) << "at " << i;
    }
}

TEST(conv2d, save_load_round_trip) {
    auto a = test::make_model({1, 4, 4}, {conv(2, 3), flatten(), dense(1)});
    a->init({InitScheme::lecun, 2});
    std::string path = liandan::test::temp_folder() + "conv.safetensors";
    save_safetensors(*a, path);
    auto b = test::make_model({1, 4, 4}, {conv(2, 3), flatten(), dense(1)});
    load_safetensors(*b, path);
    EXPECT_TRUE(std::equal(a->params().begin(), a->params().end(), b->params().begin()));
    EXPECT_EQ(a->param_views()[0].shape, (std::vector<int>{2, 1, 3, 3}));
}

TEST(conv2d, shapes_that_do_not_fit_are_refused) {
    ModelSpec m;
    m.layers = {conv(2, 5)};
    try {
        Model model(m, {1, 4, 4});
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "model.layers[0].kernel: 5 is larger than the input 4×4 (use padding 'same' or a smaller kernel)");
    }
    try {
        Model model(m, {10, 1, 1});
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "model.layers[0]: conv2d needs an image input [C, H, W], but its input is [10]");
    }
}
