#include "palette.h"

#include <algorithm>

namespace palette {
const ImU32 negative = IM_COL32(245, 147, 34, 255);
const ImU32 positive = IM_COL32(8, 119, 189, 255);
const ImU32 neutral = IM_COL32(232, 234, 235, 255);
const ImU32 train_line = IM_COL32(80, 80, 80, 255);
const ImU32 test_line = IM_COL32(245, 147, 34, 255);
const ImU32 error_text = IM_COL32(220, 50, 47, 255);

ImU32 diverging(float v) {
    v = std::clamp(v, 0.0f, 1.0f);
    const ImU32 a = v < 0.5f ? negative : neutral, b = v < 0.5f ? neutral : positive;
    float t = v < 0.5f ? v * 2 : (v - 0.5f) * 2;
    auto channel = [&](int shift) {
        float ca = float((a >> shift) & 0xFF), cb = float((b >> shift) & 0xFF);
        return ImU32(ca + (cb - ca) * t + 0.5f) << shift;
    };
    return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) | (ImU32(255) << IM_COL32_A_SHIFT);
}

ImU32 category(int k) {
    static const ImU32 colours[] = {IM_COL32(230, 159, 0, 255),  IM_COL32(86, 180, 233, 255), IM_COL32(0, 158, 115, 255),
                                    IM_COL32(240, 228, 66, 255), IM_COL32(0, 114, 178, 255),  IM_COL32(213, 94, 0, 255),
                                    IM_COL32(204, 121, 167, 255), IM_COL32(90, 90, 90, 255)};
    return colours[(k % 8 + 8) % 8];
}

ImU32 lighten(ImU32 c, float amount) {
    auto channel = [&](int shift) {
        float v = float((c >> shift) & 0xFF);
        return ImU32(v + (255.0f - v) * amount + 0.5f) << shift;
    };
    return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) | (c & IM_COL32_A_MASK);
}
} // namespace palette
