#include "data/augment.h"

#include <algorithm>
#include <string>

#include "util/error.h"

namespace liandan {

ImageAugmenter::ImageAugmenter(const AugmentSpec &spec, int c, int h, int w, uint64_t seed)
    : spec_(spec), c_(c), h_(h), w_(w), rng_(seed, 0xa06du) {
    if (!spec_.on()) return;
    if (h_ <= 1 && w_ <= 1)
        throw Error("train.augment", "shifts and mirrors images, and this network takes rows of " + std::to_string(c_) +
                                         " features (model.input views rows as images: [channels, height, width])");
    if (spec_.shift >= std::min(h_, w_))
        throw Error("train.augment.shift", std::to_string(spec_.shift) + " would move a " + std::to_string(h_) + " × " +
                                               std::to_string(w_) + " image off itself; at most " +
                                               std::to_string(std::min(h_, w_) - 1));
}

void ImageAugmenter::draw(int n) {
    moves_.resize(size_t(n));
    const uint32_t sides = uint32_t(2 * spec_.shift + 1);
    for (Move &m : moves_) {
        m.dx = spec_.shift > 0 ? int(rng_.below(sides)) - spec_.shift : 0;
        m.dy = spec_.shift > 0 ? int(rng_.below(sides)) - spec_.shift : 0;
        m.flip = spec_.flip && (rng_.next_u32() & 1u);
    }
}

void ImageAugmenter::apply(int r, const Dataset &d, const float *src, float *dst) const {
    const Move &m = moves_[size_t(r)];
    if (m.dx == 0 && m.dy == 0 && !m.flip) {
        std::copy_n(src, size_t(c_) * h_ * w_, dst);
        return;
    }
    const float *offset = d.feature_offset.data(), *scale = d.feature_scale.data();
    for (int c = 0; c < c_; ++c)
        for (int y = 0; y < h_; ++y) {
            const int sy = y - m.dy;
            for (int x = 0; x < w_; ++x) {
                const int to = (c * h_ + y) * w_ + x;
                const int sx = m.flip ? w_ - 1 - x + m.dx : x - m.dx;
                float raw = 0; // what the uncovered edge holds
                if (sy >= 0 && sy < h_ && sx >= 0 && sx < w_) {
                    const int from = (c * h_ + sy) * w_ + sx;
                    raw = src[from] / scale[from] + offset[from];
                }
                dst[to] = (raw - offset[to]) * scale[to];
            }
        }
}

} // namespace liandan
