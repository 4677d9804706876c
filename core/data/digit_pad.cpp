#include "data/digit_pad.h"

#include <algorithm>
#include <cmath>

namespace liandan {

std::vector<float> mnist_style_digit(const std::vector<float> &canvas, int side) {
    constexpr int k_out = 28, k_box = 20;
    std::vector<float> out(size_t(k_out) * k_out, 0.0f);
    // The ink's bounding box.
    int top = side, bottom = -1, left = side, right = -1;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            if (canvas[size_t(y) * side + x] > 0.05f) top = std::min(top, y), bottom = std::max(bottom, y), left = std::min(left, x), right = std::max(right, x);
    if (bottom < 0) return out;
    const int w = right - left + 1, h = bottom - top + 1;
    const double scale = double(k_box) / std::max(w, h); // the longer side becomes 20 pixels
    const int sw = std::max(1, int(std::lround(w * scale))), sh = std::max(1, int(std::lround(h * scale)));
    // Area sampling: each small pixel is the mean of the canvas pixels it covers (anti-aliased).
    std::vector<float> small(size_t(sw) * sh, 0.0f);
    for (int y = 0; y < sh; ++y)
        for (int x = 0; x < sw; ++x) {
            const double y0 = top + y / scale, y1 = top + (y + 1) / scale, x0 = left + x / scale, x1 = left + (x + 1) / scale;
            double sum = 0, area = 0;
            for (int cy = int(std::floor(y0)); cy < int(std::ceil(y1)); ++cy)
                for (int cx = int(std::floor(x0)); cx < int(std::ceil(x1)); ++cx) {
                    if (cy < 0 || cy >= side || cx < 0 || cx >= side) continue;
                    const double a = (std::min<double>(cy + 1, y1) - std::max<double>(cy, y0)) * (std::min<double>(cx + 1, x1) - std::max<double>(cx, x0));
                    sum += a * canvas[size_t(cy) * side + cx];
                    area += a;
                }
            small[size_t(y) * sw + x] = area > 0 ? float(sum / area) : 0.0f;
        }
    // Centre of mass of the scaled digit, moved to the image's centre (14, 14).
    double mass = 0, my = 0, mx = 0;
    for (int y = 0; y < sh; ++y)
        for (int x = 0; x < sw; ++x) {
            const double v = small[size_t(y) * sw + x];
            mass += v, my += v * (y + 0.5), mx += v * (x + 0.5);
        }
    const int oy = int(std::lround(k_out / 2.0 - my / mass)), ox = int(std::lround(k_out / 2.0 - mx / mass));
    for (int y = 0; y < sh; ++y)
        for (int x = 0; x < sw; ++x) {
            const int ty = y + oy, tx = x + ox;
            if (ty >= 0 && ty < k_out && tx >= 0 && tx < k_out) out[size_t(ty) * k_out + tx] = std::clamp(small[size_t(y) * sw + x], 0.0f, 1.0f);
        }
    return out;
}

} // namespace liandan
