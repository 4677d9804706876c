// The output view. Plane data: the model's decision map as a heatmap, training points (white rim)
// and test points (black rim) on top, a colour legend; a unit hovered in the network view is shown
// large here instead; the workbench tools add, paint and erase points on it. Other data: what was
// loaded, and the test confusion matrix or the regression scores.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "edit/net_design.h"
#include "edit/points.h"
#include "ui/heatmap_atlas.h"
#include "ui/touch_input.h"
#include "ui/widget_locator.h"
#include "views/palette.h"
#include "i18n/tr.h"
#include "views/views.h"

namespace {

bool many_classes(const liandan::Snapshot &snap) { return snap.task == liandan::Task::classification && snap.data->n_classes > 2; }

// Colour of an output or label: probability / regression value on the diverging scale, or a class colour.
ImU32 colour_of(const liandan::Snapshot &snap, float v, bool discretize) {
    if (many_classes(snap)) return palette::category(int(v), snap.data->n_classes);
    float t = snap.task == liandan::Task::regression ? 0.5f * (v + 1.0f) : v;
    if (discretize) t = t >= 0.5f ? 1.0f : 0.0f;
    return palette::diverging(t);
}

// The decision map's texture, and the focus unit's, rebuilt when their source changes.
struct MapTextures {
    HeatmapAtlas decision, focus;
    uint64_t decision_version = 0, focus_key = 0;
    float focus_scale = 1; // the focus map's colours run from -focus_scale to +focus_scale
    bool discretize = false;
    palette::Scheme scheme = palette::Scheme::playground;
};
MapTextures g_tex;

void refresh_decision(const liandan::Snapshot &snap, bool discretize) {
    if (g_tex.decision_version == snap.content_version && g_tex.discretize == discretize && g_tex.scheme == palette::scheme()) return;
    g_tex.decision_version = snap.content_version;
    g_tex.discretize = discretize;
    g_tex.scheme = palette::scheme();
    const int G = snap.grid_size;
    std::vector<uint32_t> px(size_t(G) * G);
    for (size_t i = 0; i < px.size(); ++i) px[i] = palette::lighten(colour_of(snap, snap.grid[i], discretize), 0.25f);
    g_tex.decision.reshape(G, 1);
    g_tex.decision.set_tile(0, px.data());
    g_tex.decision.upload();
}

void refresh_focus(const liandan::Snapshot &snap, int column, int unit) {
    const liandan::Inspection &in = *snap.inspection;
    const uint64_t key = ((in.id * 131 + uint64_t(column)) * 4099 + uint64_t(unit)) * 2 + uint64_t(palette::scheme());
    if (g_tex.focus_key == key) return;
    g_tex.focus_key = key;
    const auto &c = in.columns[size_t(column)];
    const int M = in.map_size, cells = M * M;
    const float *m = &c.maps[size_t(unit) * cells];
    const float scale = palette::unit_map_scale(m, cells, column == 0);
    g_tex.focus_scale = scale;
    std::vector<uint32_t> px(static_cast<size_t>(cells));
    for (int p = 0; p < cells; ++p) px[size_t(p)] = palette::lighten(palette::signed_value(m[p], scale), 0.25f);
    g_tex.focus.reshape(M, 1);
    g_tex.focus.set_tile(0, px.data());
    g_tex.focus.upload();
}

// At most this many points of a split are drawn, evenly spread through it (toy points come in
// random order): a million points made twenty million vertices a frame, and the page ran out of
// memory; past a few thousand the map shows no more anyway.
constexpr int k_points_drawn = 1500;
int points_step(int n) { return std::max(1, (n + k_points_drawn - 1) / k_points_drawn); }
int points_drawn(int n) { return (n + points_step(n) - 1) / points_step(n); }

// Each point is a rim disc under a colour disc, without anti-aliased fringes: a thousand points
// would otherwise be most of the frame's vertices (a software-rendered page feels that).
void draw_points(ImDrawList *dl, const liandan::Snapshot &snap, const liandan::Split &s, ImVec2 origin, float scale, bool test) {
    const float r = std::max(2.5f, scale * 0.09f);
    const ImDrawListFlags saved = dl->Flags;
    dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
    const int segments = r < 4 ? 8 : 10;
    const int step = points_step(s.n);
    for (int i = 0; i < s.n; i += step) {
        ImVec2 p{origin.x + (s.point[2 * i] + snap.extent) * scale, origin.y + (snap.extent - s.point[2 * i + 1]) * scale};
        dl->AddCircleFilled(p, r + (test ? 1.5f : 1.0f), test ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255), segments);
        dl->AddCircleFilled(p, r, colour_of(snap, s.y[i], false), segments);
    }
    dl->Flags = saved;
}

// The workbench: strokes are collected while the button is held and applied on release, so a
// stroke starts one new run, not one per frame.
struct Stroke {
    std::vector<float> add;    // [n, 3]
    std::vector<float> erase;  // [n, 2] brush centres
    float last_x = 1e9f, last_y = 1e9f;
};
Stroke g_stroke;

void workbench(const liandan::Snapshot &snap, ViewContext &ctx, ImVec2 origin, float scale, bool hovered) {
    ViewSettings &v = ctx.settings;
    if (v.tool == ViewSettings::Tool::none) return;
    ImDrawList *dl = ImGui::GetWindowDrawList();
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float x = (m.x - origin.x) / scale - snap.extent, y = snap.extent - (m.y - origin.y) / scale;
    const float label = snap.task == liandan::Task::regression ? (v.tool_class ? 1.0f : -1.0f) : float(v.tool_class);
    if (hovered && v.tool != ViewSettings::Tool::add)
        dl->AddCircle(m, v.brush_radius * scale, IM_COL32(0, 0, 0, 160), 32, 1.5f);
    if (hovered && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        const float dx = x - g_stroke.last_x, dy = y - g_stroke.last_y;
        const bool moved = dx * dx + dy * dy > 0.04f * v.brush_radius * v.brush_radius;
        if (v.tool == ViewSettings::Tool::add && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) g_stroke.add.insert(g_stroke.add.end(), {x, y, label});
        if (v.tool == ViewSettings::Tool::brush && moved) {
            // A few points scattered in the brush, at a seeded, repeatable spread.
            for (int i = 0; i < 3; ++i) {
                const float a = float(g_stroke.add.size() * 2.39996f + i), r = v.brush_radius * std::sqrt(float((g_stroke.add.size() / 3 + i) % 7) / 7.0f);
                g_stroke.add.insert(g_stroke.add.end(), {x + r * std::cos(a), y + r * std::sin(a), label});
            }
        }
        if (v.tool == ViewSettings::Tool::erase && moved) g_stroke.erase.insert(g_stroke.erase.end(), {x, y});
        if (moved) g_stroke.last_x = x, g_stroke.last_y = y;
    }
    for (size_t i = 0; i + 2 < g_stroke.add.size(); i += 3) { // the stroke so far, before it is applied
        ImVec2 p{origin.x + (g_stroke.add[i] + snap.extent) * scale, origin.y + (snap.extent - g_stroke.add[i + 1]) * scale};
        dl->AddCircleFilled(p, 3.5f, colour_of(snap, g_stroke.add[i + 2], false), 8);
    }
    if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && (!g_stroke.add.empty() || !g_stroke.erase.empty())) {
        liandan::Spec spec = ctx.spec;
        if (liandan::make_points_source(spec, *snap.data)) {
            int erased = 0;
            for (size_t i = 0; i + 2 < g_stroke.add.size(); i += 3) liandan::add_point(spec, g_stroke.add[i], g_stroke.add[i + 1], g_stroke.add[i + 2]);
            for (size_t i = 0; i + 1 < g_stroke.erase.size(); i += 2) erased += liandan::erase_points(spec, g_stroke.erase[i], g_stroke.erase[i + 1], v.brush_radius);
            liandan::fit_output_to_data(spec);
            std::string err = ctx.commands.edit_data(spec);
            if (err.empty() && erased == 1) ctx.commands.set_message(msgf("Erased {0} point", {std::to_string(erased)}));
            else if (err.empty() && erased) ctx.commands.set_message(msgf("Erased {0} points", {std::to_string(erased)}));
        }
        g_stroke = {};
    }
}

// The colour bar under the map; focus_scale > 0: a unit's map, coloured from -focus_scale to +focus_scale.
void legend(const liandan::Snapshot &snap, float width, float focus_scale) {
    ImDrawList *dl = ImGui::GetWindowDrawList();
    ImVec2 a = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetFontSize() * 0.6f;
    if (many_classes(snap) && focus_scale <= 0) {
        for (int k = 0; k < snap.data->n_classes; ++k) {
            if (k) ImGui::SameLine();
            ImVec2 p = ImGui::GetCursorScreenPos();
            dl->AddRectFilled({p.x, p.y + 3}, {p.x + h, p.y + 3 + h}, palette::category(k, snap.data->n_classes));
            ImGui::Dummy({h + 2, h});
            ImGui::SameLine();
            ImGui::Text("%s", snap.data->class_names[size_t(k)].c_str());
        }
        return;
    }
    const int steps = 32;
    for (int i = 0; i < steps; ++i) {
        const float t0 = float(i) / steps;
        dl->AddRectFilled({a.x + t0 * width, a.y}, {a.x + (t0 + 1.0f / steps) * width + 1, a.y + h}, palette::diverging(t0 + 0.5f / steps));
    }
    ImGui::Dummy({width, h});
    char lo[24] = "0", mid[24] = "0.5", hi[24] = "1";
    if (focus_scale > 0) {
        std::snprintf(lo, sizeof lo, "%.3g", -focus_scale);
        std::snprintf(mid, sizeof mid, "0");
        std::snprintf(hi, sizeof hi, "%.3g", focus_scale);
    } else if (snap.task == liandan::Task::regression) {
        std::snprintf(lo, sizeof lo, "-1");
        std::snprintf(mid, sizeof mid, "0");
    }
    ImGui::TextDisabled("%s", lo);
    ImGui::SameLine(width / 2 - ImGui::CalcTextSize(mid).x / 2);
    ImGui::TextDisabled("%s", mid);
    ImGui::SameLine(width - ImGui::CalcTextSize(hi).x);
    ImGui::TextDisabled("%s", hi);
}

void draw_plane(const liandan::Snapshot &snap, ViewContext &ctx, HoveredUnit v) {
    const bool focus = v.column >= 0 && snap.inspection && size_t(v.column) < snap.inspection->columns.size() &&
                       !snap.inspection->columns[size_t(v.column)].maps.empty();
    liandan::ViewSpec shown = ctx.spec.view;
    const float em = ImGui::GetFontSize(), legend_h = em * 2.2f;
    const ImVec2 room = ImGui::GetContentRegionAvail();
    // The options and the caption stand above the map, or beside it where that makes the map
    // larger (a short window's tab, a wide embed): as a column of about 14 em.
    const float above = std::min(room.x, room.y - legend_h - ImGui::GetFrameHeightWithSpacing() - ImGui::GetTextLineHeightWithSpacing());
    const float beside = std::min(room.x - 14 * em, room.y - legend_h);
    const bool options_beside = beside > above;
    const auto options = [&] {
        bool changed = false;
        if (ctx.shown("showTestData")) {
            changed |= ImGui::Checkbox(trl("Show test data"), &shown.show_test_data);
            item_tooltip("Test points have a black rim; they are never trained on.");
            // Side by side where both fit (a narrow embed puts the second under the first).
            if (!options_beside && ctx.shown("discretize")) same_line_if_fits(checkbox_width(trl("Discretize output")));
            else if (!options_beside) ImGui::SameLine();
        }
        if (ctx.shown("discretize")) {
            changed |= ImGui::Checkbox(trl("Discretize output"), &shown.discretize);
            const std::string tip = trf("Colour each point of the plane by the predicted class only (P ≥ 0.5 is {0}), not by confidence.",
                                        {palette::positive_name()});
            item_tooltip(tip.c_str());
        }
        if (changed) ctx.commands.set_view(shown);
        if (!ctx.shown("showTestData") && !ctx.shown("discretize") && !options_beside) ImGui::NewLine();
        if (focus) {
            const auto &c = snap.inspection->columns[size_t(v.column)];
            if (v.column == 0) ImGui::TextWrapped(tr("Feature %s: its value over the plane"), c.unit_names[size_t(v.unit)].c_str());
            else ImGui::TextWrapped(tr("%s, unit %d: its output over the plane"), c.label.c_str(), v.unit + 1);
        } else {
            if (snap.task == liandan::Task::regression) ImGui::TextDisabled("%s", tr("Output: the predicted value"));
            else if (many_classes(snap)) ImGui::TextDisabled("%s", tr("Output: the predicted class"));
            else ImGui::TextDisabled(tr("Output: P(%s class)"), palette::positive_name());
        }
    };
    if (!options_beside) options();
    const float side = std::max(60.0f, options_beside ? beside : std::min(room.x, ImGui::GetContentRegionAvail().y - legend_h));
    if (options_beside) ImGui::BeginGroup();
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##decision_map", {side, side});
    widget_locator_name_last_item("output map");
    if (ctx.settings.tool != ViewSettings::Tool::none) touch_drags_last_item(); // a finger paints points there
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList *dl = ImGui::GetWindowDrawList();
    if (focus) {
        refresh_focus(snap, v.column, v.unit);
        g_tex.focus.draw(dl, 0, origin, {origin.x + side, origin.y + side});
    } else {
        refresh_decision(snap, shown.discretize);
        g_tex.decision.draw(dl, 0, origin, {origin.x + side, origin.y + side});
    }
    const float scale = side / (2 * snap.extent);
    dl->PushClipRect(origin, {origin.x + side, origin.y + side}, true);
    draw_points(dl, snap, snap.data->train, origin, scale, false);
    if (shown.show_test_data) draw_points(dl, snap, snap.data->test, origin, scale, true);
    workbench(snap, ctx, origin, scale, hovered);
    dl->PopClipRect();
    dl->AddRect(origin, {origin.x + side, origin.y + side}, IM_COL32(120, 120, 120, 255));
    legend(snap, side, focus ? g_tex.focus_scale : 0.0f);
    const liandan::Split &train = snap.data->train, &test = snap.data->test;
    if (points_step(train.n) > 1 || (shown.show_test_data && points_step(test.n) > 1)) {
        const int total = train.n + (shown.show_test_data ? test.n : 0);
        const int drawn = points_drawn(train.n) + (shown.show_test_data ? points_drawn(test.n) : 0);
        ImGui::TextDisabled(tr("%d of the %d points drawn, spread evenly"), drawn, total);
    }
    if (options_beside) {
        ImGui::EndGroup();
        ImGui::SameLine(0, em);
        ImGui::BeginGroup();
        ImGui::PushTextWrapPos(0.0f); // to the panel's edge
        options();
        ImGui::PopTextWrapPos();
        ImGui::EndGroup();
    }

    if (hovered && ctx.settings.tool == ViewSettings::Tool::none) {
        ImVec2 m = ImGui::GetIO().MousePos;
        const int G = snap.grid_size;
        float x = (m.x - origin.x) / scale - snap.extent, y = snap.extent - (m.y - origin.y) / scale;
        int col = std::clamp(int((m.x - origin.x) / side * G), 0, G - 1), row = std::clamp(int((m.y - origin.y) / side * G), 0, G - 1);
        float val = snap.grid[size_t(row) * G + col];
        if (snap.task == liandan::Task::regression) ImGui::SetTooltip(tr("x %.2f  y %.2f\noutput %.3f"), x, y, val);
        else if (many_classes(snap)) ImGui::SetTooltip(tr("x %.2f  y %.2f\npredicted class %d"), x, y, int(val));
        else ImGui::SetTooltip(tr("x %.2f  y %.2f\nP(%s class) %.3f"), x, y, palette::positive_name(), val);
    }
}

void draw_confusion(const liandan::Snapshot &snap) {
    const int K = snap.data->n_classes;
    const auto &c = snap.metrics.confusion_test;
    if (K < 2 || c.size() != size_t(K) * K || K > 16) return;
    text_wrapped(tr("Test confusion matrix (rows: actual, columns: predicted)"));
    // Narrow cells, so that ten columns of three-digit counts fit the panel at 1280 × 800. A table
    // that scrolls takes all the height left unless told its own, with room for its scrollbar
    // (which read as an empty last row when there was none): it scrolls only where it must.
    const ImVec2 pad{2, ImGui::GetStyle().CellPadding.y};
    const auto text_w = [](int n) { return ImGui::CalcTextSize(std::to_string(n).c_str()).x; };
    // Columns are headed by the class's number (ten names would not fit); a row by its number
    // and its name, so that the two read together: "1 versicolor".
    // The widths are set from this frame's counts: fitted to the last frame's, the first picture of
    // new counts would cut them (and at full speed it stays up for a second).
    std::vector<std::string> rows(size_t(K), "");
    std::vector<float> widths(size_t(K + 1), 0.0f);
    for (int a = 0; a < K; ++a) {
        const std::string &name = snap.data->class_names[size_t(a)];
        rows[size_t(a)] = name == std::to_string(a) ? name : std::to_string(a) + " " + name;
        widths[0] = std::max(widths[0], ImGui::CalcTextSize(rows[size_t(a)].c_str()).x);
    }
    for (int p = 0; p < K; ++p) {
        float &w = widths[size_t(p + 1)];
        w = text_w(p);
        for (int a = 0; a < K; ++a) w = std::max(w, text_w(c[size_t(a) * K + p]));
    }
    float columns_w = 0;
    for (float w : widths) columns_w += w + 2 * pad.x + 1;
    const bool scrolls = columns_w > ImGui::GetContentRegionAvail().x;
    const float rows_h = float(K + 1) * (ImGui::GetTextLineHeight() + 2 * pad.y + 1) + ImGui::GetStyle().ScrollbarSize + 2;
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, pad);
    const bool shown = ImGui::BeginTable("##confusion", K + 1, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | (scrolls ? ImGuiTableFlags_ScrollX : 0),
                                         {0, scrolls ? rows_h : 0.0f});
    ImGui::PopStyleVar();
    if (shown) {
        for (float w : widths) ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, w);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        for (int p = 0; p < K; ++p) {
            ImGui::TableNextColumn();
            ImGui::Text("%d", p);
        }
        for (int a = 0; a < K; ++a) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(rows[size_t(a)].c_str());
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

void draw_scatter(const Scatter &p, float side) {
    float x_lo = FLT_MAX, x_hi = -FLT_MAX, y_lo = FLT_MAX, y_hi = -FLT_MAX;
    auto extend = [&](float x, float y) {
        if (!std::isfinite(x) || !std::isfinite(y)) return;
        x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x), y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
    };
    for (size_t i = 0; i < p.xs.size(); ++i) extend(p.xs[i], p.ys[i]);
    for (size_t i = 0; i < p.line_x.size(); ++i) extend(p.line_x[i], p.line_y[i]);
    if (x_lo > x_hi) return;
    if (p.diagonal) x_lo = y_lo = std::min(x_lo, y_lo), x_hi = y_hi = std::max(x_hi, y_hi);
    const float x_pad = std::max(1e-6f, (x_hi - x_lo) * 0.04f), y_pad = std::max(1e-6f, (y_hi - y_lo) * 0.06f);
    x_lo -= x_pad, x_hi += x_pad, y_lo -= y_pad, y_hi += y_pad;
    if (p.fixed_unit_axes) x_lo = y_lo = 0, x_hi = y_hi = 1;
    const float em = ImGui::GetFontSize();
    ImGui::TextDisabled(tr("%s against %s"), p.y_label.c_str(), p.x_label.c_str());
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float left = ImGui::CalcTextSize("-0.000").x + em * 0.3f, w = side - left, h = side * 0.8f;
    ImGui::InvisibleButton(p.id, {side, h + em * 1.3f});
    widget_locator_name_last_item(p.id);
    const ImVec2 a{origin.x + left, origin.y}, b{a.x + w, a.y + h};
    auto to_screen = [&](float x, float y) { return ImVec2{a.x + (x - x_lo) / (x_hi - x_lo) * w, b.y - (y - y_lo) / (y_hi - y_lo) * h}; };
    ImDrawList *dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 255));
    char text[32];
    const ImU32 ink = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    std::snprintf(text, sizeof text, "%.3g", y_hi);
    dl->AddText({origin.x, a.y}, ink, text);
    std::snprintf(text, sizeof text, "%.3g", y_lo);
    dl->AddText({origin.x, b.y - em}, ink, text);
    std::snprintf(text, sizeof text, "%.3g", x_lo);
    dl->AddText({a.x, b.y + 2}, ink, text);
    std::snprintf(text, sizeof text, "%.3g", x_hi);
    dl->AddText({b.x - ImGui::CalcTextSize(text).x, b.y + 2}, ink, text);
    dl->PushClipRect(a, b, true);
    if (p.diagonal) dl->AddLine(to_screen(x_lo, x_lo), to_screen(x_hi, x_hi), IM_COL32(150, 150, 150, 255), 1.0f);
    for (size_t i = 0; i < p.xs.size(); ++i) {
        const ImVec2 c = to_screen(p.xs[i], p.ys[i]);
        dl->AddCircleFilled(c, 3.0f, p.colours[i], 8);
    }
    if (p.line_x.size() >= 2) {
        std::vector<ImVec2> line;
        for (size_t i = 0; i < p.line_x.size(); ++i)
            if (std::isfinite(p.line_y[i])) line.push_back(to_screen(p.line_x[i], p.line_y[i]));
        dl->AddPolyline(line.data(), int(line.size()), IM_COL32(30, 30, 30, 255), 0, 2.0f);
    }
    dl->PopClipRect();
    dl->AddRect(a, b, IM_COL32(120, 120, 120, 255));
    if (ImGui::IsItemHovered()) {
        const ImVec2 m = ImGui::GetIO().MousePos;
        size_t best = p.xs.size();
        float best_d = 64;
        for (size_t i = 0; i < p.xs.size(); ++i) {
            const ImVec2 c = to_screen(p.xs[i], p.ys[i]);
            const float d = (c.x - m.x) * (c.x - m.x) + (c.y - m.y) * (c.y - m.y);
            if (d < best_d) best_d = d, best = i;
        }
        if (best < p.xs.size()) ImGui::SetTooltip("%s %.4g\n%s %.4g", p.x_label.c_str(), p.xs[best], p.y_label.c_str(), p.ys[best]);
    }
}

// Table data: with one input feature, the rows and the model's curve over that feature; for a
// regression, each test row's prediction against its target (on the diagonal when right).
void draw_table_fit(const liandan::Snapshot &snap, float side) {
    const liandan::Dataset &d = *snap.data;
    const bool regression = snap.task == liandan::Task::regression;
    const std::string target = snap.spec.data.target.empty() ? tr("target") : snap.spec.data.target;
    if (!snap.fit_x.empty() && d.n_features == 1 && !d.feature_scale.empty()) {
        auto raw = [&](float v) { return v / d.feature_scale[0] + d.feature_offset[0]; }; // normalized = (raw - offset) * scale
        Scatter p{"fit plot", d.feature_names.empty() ? "x" : d.feature_names[0],
                  regression ? target : d.n_classes == 2 ? trf("P(class {0}), class", {d.class_names[1]}) : tr("class")};
        for (const liandan::Split *s : {&d.train, &d.test})
            for (int r = 0; r < s->n; ++r) {
                p.xs.push_back(raw(s->x[size_t(r)]));
                p.ys.push_back(s->y[size_t(r)]);
                const ImU32 c = regression ? (s == &d.train ? palette::train_line : palette::test_line)
                                           : d.n_classes == 2 ? (s->y[size_t(r)] > 0.5f ? palette::positive() : palette::negative())
                                                              : palette::category(int(s->y[size_t(r)]), d.n_classes);
                p.colours.push_back(c);
            }
        for (size_t i = 0; i < snap.fit_x.size(); ++i) p.line_x.push_back(raw(snap.fit_x[i]));
        p.line_y = snap.fit_y;
        draw_scatter(p, side);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        text_wrapped(regression ? tr("Grey: training rows, orange: test rows; line: the model") : tr("Rows at their class; line: the model's output"));
        ImGui::PopStyleColor();
    } else if (regression && !snap.test_predictions.empty()) {
        Scatter p{"prediction plot", trf("actual {0}", {target}), tr("predicted")};
        for (size_t r = 0; r < snap.test_predictions.size(); ++r) {
            p.xs.push_back(d.test.y[r]);
            p.ys.push_back(snap.test_predictions[r]);
            p.colours.push_back(palette::test_line);
        }
        p.diagonal = true;
        draw_scatter(p, side);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        text_wrapped(tr("Test rows; on the diagonal when the prediction is right"));
        ImGui::PopStyleColor();
    }
}

void release_output_view_textures() {
    g_tex.decision.release();
    g_tex.focus.release();
    g_tex.decision_version = g_tex.focus_key = 0;
}

void draw_output_view(const liandan::Snapshot &snap, ViewContext &ctx, HoveredUnit hovered) {
    // The newest notice whole (the status bar has room for its start only): why training stopped,
    // a refused edit or link, what a link still needs. One that says a thing was done (saved,
    // restored) stays in the status bar: it would push the map down for as long as it is the newest.
    if (const std::string &notice = ctx.notice; !notice.empty() && !ctx.notice_is_done) {
        ImGui::PushStyleColor(ImGuiCol_Text, ctx.notice_is_error ? palette::error_text : palette::ok_text);
        text_wrapped(display_message(notice));
        ImGui::PopStyleColor();
    }
    if (snap.data->toy && snap.grid_size > 0) {
        draw_plane(snap, ctx, hovered);
        return;
    }
    const liandan::Dataset &d = *snap.data;
    std::string shape;
    for (size_t i = 0; i < d.sample_shape.size(); ++i) shape += (i ? " × " : "") + std::to_string(d.sample_shape[i]);
    text_wrapped(trf("{0}: {1} training rows, {2} test rows, samples of {3}",
                     {liandan::data_source_name(snap.spec.data.source), std::to_string(d.train.n), std::to_string(d.test.n), shape}));
    const bool table = d.sample_shape.size() == 1;
    const auto load = [&](const liandan::Spec &s) { return ctx.commands.load(s); };
    if (snap.task == liandan::Task::classification) {
        ImGui::Text(tr("%d classes"), d.n_classes);
        if (table && d.n_classes == 2) draw_table_views(snap, ctx.spec, ctx.settings.tables, load); // the confusion at a threshold
        else if (!table && !ctx.settings.output_beside) { // tabs: the images' views are the output's (a wide window has them under the network)
            ImGui::Spacing();
            draw_image_views(snap, ctx);
            return;
        } else draw_confusion(snap);
    } else {
        ImGui::Text(tr("RMSE train %.4f   test %.4f"), snap.metrics.rmse_train, snap.metrics.rmse_test);
        ImGui::Text(tr("R²   train %.4f   test %.4f"), snap.metrics.r2_train, snap.metrics.r2_test);
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    draw_table_fit(snap, std::max(120.0f, std::min(avail.x, (avail.y - ImGui::GetFontSize() * 5) / 0.8f)));
    if (snap.task == liandan::Task::regression) draw_table_views(snap, ctx.spec, ctx.settings.tables, load);
}
