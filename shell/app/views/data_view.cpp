// The data view: the model's decision map over the plane as a heatmap, with the training points
// (filled) and test points (outlined) on top. Hovering shows the coordinates and the output.
#include <cstdio>

#include <imgui.h>

#include "views/palette.h"
#include "views/views.h"

namespace {

// Maps an output to [0, 1] for the palette: probabilities as they are, regression values
// from [-1, 1] (the toy label range).
float to_unit(const liandan::Snapshot &snap, float v) {
    return snap.task == liandan::Task::regression ? 0.5f * (v + 1.0f) : v;
}

void draw_points(ImDrawList *dl, const liandan::Snapshot &snap, const liandan::Split &s, ImVec2 origin, float scale,
                 bool outlined) {
    const float r = std::max(2.5f, scale * 0.09f);
    for (int i = 0; i < s.n; ++i) {
        ImVec2 p{origin.x + (s.point[2 * i] + snap.extent) * scale, origin.y + (snap.extent - s.point[2 * i + 1]) * scale};
        ImU32 c = palette::diverging(to_unit(snap, s.y[i]));
        if (outlined) {
            dl->AddCircleFilled(p, r, c, 12);
            dl->AddCircle(p, r, IM_COL32(0, 0, 0, 255), 12, 1.5f);
        } else {
            dl->AddCircleFilled(p, r, c, 12);
            dl->AddCircle(p, r, IM_COL32(255, 255, 255, 255), 12, 1.0f);
        }
    }
}

} // namespace

void draw_data_view(const liandan::Snapshot &snap) {
    static bool show_test = true;
    ImGui::Checkbox("Show test data", &show_test);
    ImVec2 avail = ImGui::GetContentRegionAvail();
    float side = std::max(50.0f, std::min(avail.x, avail.y));
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##decision_map", {side, side});
    ImDrawList *dl = ImGui::GetWindowDrawList();

    const int G = snap.grid_size;
    const float cell = side / G;
    for (int row = 0; row < G; ++row)
        for (int col = 0; col < G; ++col) {
            ImVec2 a{origin.x + col * cell, origin.y + row * cell};
            // +1 px overlap hides seams between cells when the size is not a whole number of pixels.
            ImU32 c = palette::diverging(to_unit(snap, snap.grid[size_t(row) * G + col]));
            dl->AddRectFilled(a, {a.x + cell + 1, a.y + cell + 1}, palette::lighten(c, 0.3f));
        }
    const float scale = side / (2 * snap.extent);
    draw_points(dl, snap, snap.data->train, origin, scale, false);
    if (show_test) draw_points(dl, snap, snap.data->test, origin, scale, true);
    dl->AddRect(origin, {origin.x + side, origin.y + side}, IM_COL32(120, 120, 120, 255));

    if (ImGui::IsItemHovered()) {
        ImVec2 m = ImGui::GetIO().MousePos;
        float x = (m.x - origin.x) / scale - snap.extent, y = snap.extent - (m.y - origin.y) / scale;
        int col = std::clamp(int((m.x - origin.x) / cell), 0, G - 1), row = std::clamp(int((m.y - origin.y) / cell), 0, G - 1);
        float v = snap.grid[size_t(row) * G + col];
        if (snap.task == liandan::Task::regression) ImGui::SetTooltip("x %.2f  y %.2f\noutput %.3f", x, y, v);
        else ImGui::SetTooltip("x %.2f  y %.2f\nP(blue class) %.3f", x, y, v);
    }
}
