// ImageAugmenter (core/data/augment.h): every augmented image is its source moved by at most the
// shift (and mirrored when asked), its edge a raw 0 whatever the normalization; the moves cover
// the whole range; rows that are not images, and shifts larger than the image, are refused.
#include <set>
#include <tuple>

#include "data/augment.h"
#include "helpers.h"
#include "train/trainer.h"

using namespace liandan;

namespace {

// One channel of 5 × 6 whose raw pixels are all different and non-zero, normalized with the
// given per-pixel offset and scale.
struct Image {
    static constexpr int c = 1, h = 5, w = 6, f = c * h * w;
    Dataset d;
    std::vector<float> raw, row;
    Image(float offset, float scale) {
        for (int i = 0; i < f; ++i) raw.push_back(float(i + 1));
        d.feature_offset.assign(f, offset);
        d.feature_scale.assign(f, scale);
        for (int i = 0; i < f; ++i) d.feature_offset[i] += 0.01f * float(i); // each pixel its own statistics
        for (int i = 0; i < f; ++i) row.push_back((raw[i] - d.feature_offset[i]) * d.feature_scale[i]);
    }
    // The raw image moved right by dx and down by dy after an optional mirror, normalized.
    std::vector<float> moved(int dx, int dy, bool flip) const {
        std::vector<float> out(f);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const int sx = flip ? w - 1 - x + dx : x - dx, sy = y - dy, to = y * w + x;
                const float v = sx >= 0 && sx < w && sy >= 0 && sy < h ? raw[sy * w + sx] : 0.0f;
                out[to] = (v - d.feature_offset[to]) * d.feature_scale[to];
            }
        return out;
    }
};

// The move that gives `out` from the image, or {99, 99, false} when none does.
std::tuple<int, int, bool> move_of(const Image &im, const std::vector<float> &out, int shift) {
    for (bool flip : {false, true})
        for (int dy = -shift; dy <= shift; ++dy)
            for (int dx = -shift; dx <= shift; ++dx) {
                const std::vector<float> want = im.moved(dx, dy, flip);
                bool same = true;
                for (int i = 0; i < Image::f; ++i) same = same && std::abs(out[i] - want[i]) <= 1e-5f * (1 + std::abs(want[i]));
                if (same) return {dx, dy, flip};
            }
    return {99, 99, false};
}

std::set<std::tuple<int, int, bool>> moves_seen(const AugmentSpec &spec, const Image &im, int rows) {
    ImageAugmenter a(spec, Image::c, Image::h, Image::w, 7);
    a.draw(rows);
    std::set<std::tuple<int, int, bool>> seen;
    std::vector<float> out(Image::f);
    for (int r = 0; r < rows; ++r) {
        a.apply(r, im.d, im.row.data(), out.data());
        seen.insert(move_of(im, out, spec.shift));
    }
    return seen;
}

std::string refusal(const AugmentSpec &spec, int c, int h, int w) {
    try {
        ImageAugmenter a(spec, c, h, w, 1);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}

} // namespace

TEST(augment, shifts_cover_the_range_and_fill_the_edge_with_raw_zero) {
    for (auto [offset, scale] : {std::pair{0.0f, 1.0f}, std::pair{3.5f, 0.25f}}) {
        const Image im(offset, scale);
        const auto seen = moves_seen({.shift = 2}, im, 400);
        EXPECT_EQ(seen.size(), 25u) << "every move of up to 2 pixels, none mirrored, none other";
        for (auto [dx, dy, flip] : seen) {
            EXPECT_LE(std::abs(dx), 2);
            EXPECT_LE(std::abs(dy), 2);
            EXPECT_FALSE(flip);
        }
    }
}

TEST(augment, mirrors_half_the_images_and_combines_with_shifts) {
    const Image im(0.5f, 2.0f);
    const auto flips = moves_seen({.flip = true}, im, 100);
    EXPECT_EQ(flips, (std::set<std::tuple<int, int, bool>>{{0, 0, false}, {0, 0, true}}));
    EXPECT_EQ(moves_seen({.shift = 1, .flip = true}, im, 400).size(), 18u);
}

TEST(augment, refuses_rows_that_are_not_images_and_shifts_past_the_image) {
    EXPECT_EQ(refusal({.shift = 1}, 12, 1, 1),
              "train.augment: shifts and mirrors images, and this network takes rows of 12 features (model.input views "
              "rows as images: [channels, height, width])");
    EXPECT_EQ(refusal({.shift = 3}, 1, 3, 5), "train.augment.shift: 3 would move a 3 × 5 image off itself; at most 2");
    EXPECT_EQ(refusal({}, 12, 1, 1), "accepted"); // off: nothing to refuse
    EXPECT_EQ(refusal({.shift = 2}, 1, 3, 5), "accepted");
}

TEST(augment, the_trainer_refuses_it_on_plane_points_naming_the_key) {
    try {
        Trainer t(parse_spec_text(R"({"train": {"augment": {"flip": true}}})"));
        FAIL() << "accepted";
    } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()).rfind("train.augment: shifts and mirrors images, and this network takes rows of 2", 0), 0u)
            << e.what();
    }
}

TEST(augment, changes_training) {
    // Toy features viewed as 3 × 3 images; that any thread count trains on the same moved images is
    // checked with the other thread-count cases (trainer.one_two_and_three_threads_give_the_same_weights).
    auto spec = [](const char *augment) {
        return parse_spec_text(std::string(R"({"data": {"toy": {"n": 200}, "features": ["x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"]},
            "model": {"input": [1, 3, 3], "layers": [{"type": "conv2d", "filters": 4, "kernel": 2, "padding": "same", "activation": "relu"},
                                                     {"type": "flatten"}, {"units": 1}]},
            "train": {"batch_size": 32, "augment": )") + augment + "}}");
    };
    Trainer plain(spec("{}")), moved(spec(R"({"shift": 1, "flip": true})"));
    for (int i = 0; i < 20; ++i) plain.step(), moved.step();
    EXPECT_FALSE(std::equal(moved.model().params().begin(), moved.model().params().end(), plain.model().params().begin()));
}
