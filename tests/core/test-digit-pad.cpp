// The drawing pad's MNIST-style preparation (core/data/digit_pad.h).
#include <gtest/gtest.h>

#include "data/digit_pad.h"

using namespace liandan;

TEST(digit_pad, a_stroke_is_scaled_to_twenty_pixels_and_centred_by_mass) {
    // A vertical bar 10 wide, 60 tall, in the top-left corner of a 112-pixel canvas.
    const int side = 112;
    std::vector<float> canvas(size_t(side) * side, 0.0f);
    for (int y = 5; y < 65; ++y)
        for (int x = 8; x < 18; ++x) canvas[size_t(y) * side + x] = 1.0f;
    const std::vector<float> d = mnist_style_digit(canvas, side);
    ASSERT_EQ(d.size(), 784u);
    int top = 28, bottom = -1, left = 28, right = -1;
    double mass = 0, my = 0, mx = 0;
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
            const float v = d[size_t(y) * 28 + x];
            if (v > 0.01f) top = std::min(top, y), bottom = std::max(bottom, y), left = std::min(left, x), right = std::max(right, x);
            mass += v, my += v * (y + 0.5), mx += v * (x + 0.5);
        }
    EXPECT_EQ(bottom - top + 1, 20); // the longer side is 20 pixels
    EXPECT_NEAR(right - left + 1, 3.3, 1.0); // the aspect kept: 10 / 60 of 20
    EXPECT_NEAR(my / mass, 14.0, 0.6);
    EXPECT_NEAR(mx / mass, 14.0, 0.6);
}

TEST(digit_pad, an_empty_pad_gives_an_empty_image) {
    const std::vector<float> d = mnist_style_digit(std::vector<float>(64 * 64, 0.0f), 64);
    for (float v : d) EXPECT_EQ(v, 0.0f);
}
