// The data view. Toy data: the model's decision map over the plane as a heatmap, with training
// points (white rim) and test points (black rim) on top; hover shows coordinates and output.
// Other data: what was loaded, and the test confusion matrix.
#include <cstdio>

#include <imgui.h>

#include "views/palette.h"
#include "views/views.h"

namespace {

bool many_classes(const liandan::Snapshot &snap) { return snap.task == liandan::Task::classification && snap.data->n_classes > 2; }

// Colour of an output or label: probability / regression value on the diverging scale, or a class colour.
ImU32 colour_of(const liandan::Snapshot &snap, float v) {
    if (many_classes(snap)) return palette::category(int(v));
    return palette::diverging(snap.task == liandan::Task::regression ? 0.5f * (v + 1.0f) : v);
}

void draw_points(ImDrawList *dl, const liandan::Snapshot &snap, const liandan::Split &s, ImVec2 origin, float scale, bool test) {
    const float r = std::max(2.5f, scale * 0.09f);
    for (int i = 0; i < s.n; ++i) {
        ImVec2 p{origin.x + (s.point[2 * i] + snap.extent) * scale, origin.y + (snap.extent - s.point[2 * i + 1]) * scale};
        dl->AddCircleFilled(p, r, colour_of(snap, s.y[i]), 12);
        dl->AddCircle(p, r, test ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255), 12, test ? 1.5f : 1.0f);
    }
}

void draw_decision_map(const liandan::Snapshot &snap) {
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
            ImU32 c = colour_of(snap, snap.grid[size_t(row) * G + col]);
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
        else if (many_classes(snap)) ImGui::SetTooltip("x %.2f  y %.2f\npredicted class %d", x, y, int(v));
        else ImGui::SetTooltip("x %.2f  y %.2f\nP(blue class) %.3f", x, y, v);
    }
}

void draw_confusion(const liandan::Snapshot &snap) {
    const int K = snap.data->n_classes;
    const auto &c = snap.metrics.confusion_test;
    if (K < 2 || c.size() != size_t(K) * K || K > 16) return;
    ImGui::TextUnformatted("Test confusion matrix (rows: actual, columns: predicted)");
    if (ImGui::BeginTable("##confusion", K + 1, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        for (int p = 0; p < K; ++p) {
            ImGui::TableNextColumn();
            ImGui::Text("%d", p);
        }
        for (int a = 0; a < K; ++a) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(snap.data->class_names[a].c_str());
            for (int p = 0; p < K; ++p) {
                ImGui::TableNextColumn();
                if (a == p) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, IM_COL32(200, 230, 200, 255));
                ImGui::Text("%lld", static_cast<long long>(c[size_t(a) * K + p]));
            }
        }
        ImGui::EndTable();
    }
}

} // namespace

void draw_data_view(const liandan::Snapshot &snap) {
    if (snap.data->toy && snap.grid_size > 0) {
        draw_decision_map(snap);
        return;
    }
    const liandan::Dataset &d = *snap.data;
    std::string shape;
    for (size_t i = 0; i < d.sample_shape.size(); ++i) shape += (i ? " × " : "") + std::to_string(d.sample_shape[i]);
    ImGui::Text("%s: %d training rows, %d test rows, samples of %s", liandan::data_source_name(snap.spec.data.source), d.train.n,
                d.test.n, shape.c_str());
    if (snap.task == liandan::Task::classification) {
        ImGui::Text("%d classes", d.n_classes);
        draw_confusion(snap);
    } else {
        ImGui::Text("RMSE train %.4f   test %.4f", snap.metrics.rmse_train, snap.metrics.rmse_test);
        ImGui::Text("R²   train %.4f   test %.4f", snap.metrics.r2_train, snap.metrics.r2_test);
    }
}
