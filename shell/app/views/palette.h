// Colours shared by views. The default is TensorFlow Playground's orange (negative / class 0) to
// blue (positive / class 1) through a light grey, so its users read our maps the same way; the
// colour-blind-safe scheme uses Okabe-Ito's vermillion and blue with a darker middle, which stay
// apart under every common colour-vision deficiency and in greyscale.
#pragma once
#include <imgui.h>

namespace palette {
enum class Scheme { playground, colour_blind };
void set_scheme(Scheme s);
Scheme scheme();
const char *scheme_name(Scheme s);

ImU32 negative();
ImU32 positive();
extern const ImU32 train_line, test_line, error_text, ok_text;
// v in [0, 1]: 0 = negative, 0.5 = neutral, 1 = positive.
ImU32 diverging(float v);
// A signed value on the diverging scale, v / scale in [-1, 1].
inline ImU32 signed_value(float v, float scale) { return diverging(0.5f + 0.5f * v / scale); }
// Class k of many (more than two classes): the Okabe-Ito colour-blind-safe set, repeating.
// For two classes, class 0 and 1 are negative() and positive().
ImU32 category(int k, int n_classes);
// The same colour mixed toward white by amount in [0, 1] (maps are lighter than the points on them).
ImU32 lighten(ImU32 colour, float amount);
ImU32 with_alpha(ImU32 colour, float alpha);
} // namespace palette
