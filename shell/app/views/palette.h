// Colours shared by views: TensorFlow Playground's orange (negative / class 0) to blue
// (positive / class 1) through a light grey, so its users read our maps the same way.
#pragma once
#include <imgui.h>

namespace palette {
extern const ImU32 negative, positive, neutral, train_line, test_line, error_text;
// v in [0, 1]: 0 = negative, 0.5 = neutral, 1 = positive.
ImU32 diverging(float v);
// Class k of many (more than two classes): the Okabe-Ito colour-blind-safe set, repeating.
ImU32 category(int k);
// The same colour mixed toward white by amount in [0, 1] (maps are lighter than the points on them).
ImU32 lighten(ImU32 colour, float amount);
} // namespace palette
