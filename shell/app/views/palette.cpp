#include "palette.h"

#include <algorithm>
#include <cmath>

#include "i18n/tr.h"

namespace palette {
namespace {

struct Colours {
    ImU32 negative, neutral, positive;
};
constexpr Colours k_playground{IM_COL32(245, 147, 34, 255), IM_COL32(232, 234, 235, 255), IM_COL32(8, 119, 189, 255)};
// Navy to gold, cividis's ends (darkened at the gold end, so thin lines show on white): sign reads
// from lightness alone, the one cue every colour-vision deficiency and a greyscale print keep.
constexpr Colours k_colour_blind{IM_COL32(0, 34, 78, 255), IM_COL32(222, 222, 216, 255), IM_COL32(226, 178, 8, 255)};
Scheme g_scheme = Scheme::playground;
const Colours &current() { return g_scheme == Scheme::playground ? k_playground : k_colour_blind; }

ImU32 mix(ImU32 a, ImU32 b, float t) {
    auto channel = [&](int shift) {
        float ca = float((a >> shift) & 0xFF), cb = float((b >> shift) & 0xFF);
        return ImU32(ca + (cb - ca) * t + 0.5f) << shift;
    };
    return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) | (ImU32(255) << IM_COL32_A_SHIFT);
}

} // namespace

const ImU32 train_line = IM_COL32(80, 80, 80, 255);
const ImU32 test_line = IM_COL32(230, 120, 20, 255);
const ImU32 error_text = IM_COL32(200, 40, 40, 255);
const ImU32 ok_text = IM_COL32(30, 130, 60, 255);

void set_scheme(Scheme s) { g_scheme = s; }
Scheme scheme() { return g_scheme; }
// In the language in force: the views show them.
const char *scheme_name(Scheme s) { return s == Scheme::playground ? tr("Orange/blue") : tr("Navy/gold (colour-blind)"); }
const char *positive_name() { return g_scheme == Scheme::playground ? tr("blue") : tr("gold"); }
const char *negative_name() { return g_scheme == Scheme::playground ? tr("orange") : tr("navy"); }
ImU32 negative() { return current().negative; }
ImU32 positive() { return current().positive; }

ImU32 diverging(float v) {
    v = std::clamp(v, 0.0f, 1.0f);
    const Colours &c = current();
    return v < 0.5f ? mix(c.negative, c.neutral, v * 2) : mix(c.neutral, c.positive, (v - 0.5f) * 2);
}

ImU32 category(int k, int n_classes) {
    if (n_classes <= 2) return k <= 0 ? negative() : positive();
    static const ImU32 colours[] = {IM_COL32(230, 159, 0, 255),  IM_COL32(86, 180, 233, 255), IM_COL32(0, 158, 115, 255),
                                    IM_COL32(240, 228, 66, 255), IM_COL32(0, 114, 178, 255),  IM_COL32(213, 94, 0, 255),
                                    IM_COL32(204, 121, 167, 255), IM_COL32(90, 90, 90, 255)};
    return colours[(k % 8 + 8) % 8];
}

ImU32 lighten(ImU32 c, float amount) { return mix(c, IM_COL32(255, 255, 255, 255), amount); }

ImU32 with_alpha(ImU32 c, float alpha) { return (c & ~IM_COL32_A_MASK) | (ImU32(std::clamp(alpha, 0.0f, 1.0f) * 255 + 0.5f) << IM_COL32_A_SHIFT); }
float unit_map_scale(const float *map, int cells, bool feature) {
    if (!feature) return 1.0f;
    float own = 0;
    for (int p = 0; p < cells; ++p) own = std::max(own, std::fabs(map[p]));
    return std::max(own, 1e-6f);
}

} // namespace palette
