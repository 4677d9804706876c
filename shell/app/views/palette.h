// Colours shared by views. The default is TensorFlow Playground's orange (negative / class 0) to
// blue (positive / class 1) through a light grey, so its users read our maps the same way; the
// colour-blind scheme runs from navy to gold, apart in lightness as well as hue, so the sign stays
// readable under every common colour-vision deficiency and in greyscale.
#pragma once
#include <imgui.h>

namespace palette {
enum class Scheme { playground, colour_blind };
void set_scheme(Scheme s);
Scheme scheme();
const char *scheme_name(Scheme s); // in the language in force, as the next two
const char *positive_name(); // "blue" or "gold" (蓝色, 金色): the positive class's colour in words
const char *negative_name(); // "orange" or "navy"

ImU32 negative();
ImU32 positive();
extern const ImU32 train_line, test_line, error_text, ok_text;
// v in [0, 1]: 0 = negative, 0.5 = neutral, 1 = positive.
ImU32 diverging(float v);
// A signed value on the diverging scale, v / scale in [-1, 1].
inline ImU32 signed_value(float v, float scale) { return diverging(0.5f + 0.5f * v / scale); }
// The scale a map is coloured on (values beyond it keep the full colour): a feature's own largest
// magnitude (x² reaches 36, sin x stays in ±1); for a unit, 1, as TensorFlow Playground does: a relu
// unit's region above 1 shows in full colour, and a layer whose signal has faded looks faded.
float unit_map_scale(const float *map, int cells, bool feature);
// Class k of many (more than two classes): the Okabe-Ito colour-blind-safe set, repeating.
// For two classes, class 0 and 1 are negative() and positive().
ImU32 category(int k, int n_classes);
// The same colour mixed toward white by amount in [0, 1] (maps are lighter than the points on them).
ImU32 lighten(ImU32 colour, float amount);
ImU32 with_alpha(ImU32 colour, float alpha);
} // namespace palette
