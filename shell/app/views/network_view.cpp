// The network view, as TensorFlow Playground's and beyond: a column of input features (each with
// its map over the plane; click one to switch it on or off), then every layer's units, each with
// its own map, joined by lines whose colour is the weight's sign and thickness its size. Layers
// and units are added and removed with +/-, each layer has its own activation; hovering a unit
// shows its map large in the output view; clicking a unit or a line edits its bias or weight.
#include <algorithm>
#include <cstdint>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

#include <imgui.h>

#include "data/toy.h"
#include "edit/net_design.h"
#include "ui/screen_keyboard.h"
#include "ui/cached_layer.h"
#include "ui/heatmap_atlas.h"
#include "ui/widget_locator.h"
#include "views/palette.h"
#include "i18n/tr.h"
#include "views/views.h"

namespace {

// The nine plane features (core/data/toy.h): the spec's name, Playground's URL key, the label.
const liandan::PlaneFeature &feature(size_t f) { return liandan::plane_features()[f]; }
// Lines drawn at most, shared by the layers: beyond it each layer shows its strongest weights, so
// huge layers stay fluid (a 10 × 1000 network has 10 million weights). Lines are most of a
// software-rendered frame's pixels: 12,000 of them at 2 × 500 took 110 ms a frame under llvmpipe.
constexpr int k_max_lines = 4000, k_min_lines_per_layer = 256;
// Beyond this many lines they get thinner (1-3 px instead of 1-5), or they cover the picture.
constexpr size_t k_thin_lines = 2500;

// The atlas of unit maps: rebuilt when a new inspection or another palette arrives.
struct MapCache {
    HeatmapAtlas atlas;
    uint64_t inspection = 0; // the id of the inspection drawn
    palette::Scheme scheme = palette::Scheme::playground;
    std::vector<int> first_tile; // per column: its first unit's tile
    // Maps of the features that are switched off (they have no column data), by feature name.
    HeatmapAtlas off_features;
    int off_side = 0;
    palette::Scheme off_scheme = palette::Scheme::playground;
    CachedLayer lines; // the weight lines' picture
};
MapCache g_maps;

void refresh_atlas(const liandan::Inspection &in) {
    if (g_maps.inspection == in.id && g_maps.scheme == palette::scheme()) return;
    g_maps.inspection = in.id;
    g_maps.scheme = palette::scheme();
    const int M = in.map_size, cells = M * M;
    int tiles = 0;
    g_maps.first_tile.clear();
    for (const auto &c : in.columns) {
        g_maps.first_tile.push_back(tiles);
        tiles += c.maps.empty() ? 0 : c.units;
    }
    if (M == 0 || tiles == 0) return;
    g_maps.atlas.reshape(M, tiles);
    std::vector<uint32_t> px(static_cast<size_t>(cells));
    for (size_t k = 0; k < in.columns.size(); ++k) {
        const auto &c = in.columns[k];
        if (c.maps.empty()) continue;
        for (int u = 0; u < c.units; ++u) {
            const float *m = &c.maps[size_t(u) * cells];
            const float scale = palette::unit_map_scale(m, cells, c.layer < 0);
            for (int p = 0; p < cells; ++p) px[size_t(p)] = palette::signed_value(m[p], scale);
            g_maps.atlas.set_tile(g_maps.first_tile[k] + u, px.data());
        }
    }
    g_maps.atlas.upload();
}

// Maps of all nine candidate features (raw values over the plane), for the switched-off ones.
void refresh_off_features() {
    const int M = 24;
    if (g_maps.off_side == M && g_maps.off_scheme == palette::scheme()) return;
    g_maps.off_side = M;
    g_maps.off_scheme = palette::scheme();
    g_maps.off_features.reshape(M, 9);
    std::vector<uint32_t> px(size_t(M) * M);
    for (int f = 0; f < 9; ++f) {
        std::vector<std::string> one{feature(size_t(f)).name};
        std::vector<float> values(size_t(M) * M);
        float hi = 1e-6f;
        for (int row = 0; row < M; ++row)
            for (int col = 0; col < M; ++col) {
                float x = -liandan::k_toy_extent + (col + 0.5f) * 2 * liandan::k_toy_extent / M;
                float y = liandan::k_toy_extent - (row + 0.5f) * 2 * liandan::k_toy_extent / M;
                liandan::toy_features(one, x, y, &values[size_t(row) * M + col]);
                hi = std::max(hi, std::fabs(values[size_t(row) * M + col]));
            }
        for (size_t p = 0; p < values.size(); ++p) px[p] = palette::signed_value(values[p], hi);
        g_maps.off_features.set_tile(f, px.data());
    }
    g_maps.off_features.upload();
}

struct UnitBox {
    ImVec2 a, b;
    ImVec2 centre() const { return {(a.x + b.x) / 2, (a.y + b.y) / 2}; }
};

struct Line {
    ImVec2 from, to;
    size_t param; // index into params
};

// The weights drawn as lines, chosen once per snapshot rather than every frame: finding a big
// layer's strongest weights means a pass over millions of values (most of a frame's time at
// 10 × 1000 before this cache).
struct Weight {
    int column, unit, input; // the line runs from unit `input` of column - 1 to `unit` of column
    size_t param;
};
struct WeightCache {
    uint64_t version = 0, inspection = 0; // the snapshot's content_version and its inspection's id
    std::vector<Weight> weights;
    float max_w = 1e-6f;
};
WeightCache g_weights;

void refresh_weights(const liandan::Snapshot &snap, const liandan::Inspection &in) {
    if (g_weights.version == snap.content_version && g_weights.inspection == in.id) return;
    g_weights.version = snap.content_version;
    g_weights.inspection = in.id;
    g_weights.weights.clear();
    const int n_cols = int(in.columns.size());
    auto drawn = [&](int k) {
        const auto &c = in.columns[size_t(k)];
        return c.weight_offset >= 0 && c.fan_in == in.columns[size_t(k - 1)].units;
    };
    int layers = 0;
    for (int k = 1; k < n_cols; ++k) layers += drawn(k);
    const size_t budget = size_t(std::max(k_min_lines_per_layer, k_max_lines / std::max(1, layers)));
    float max_w = 1e-6f;
    std::vector<float> sample;
    for (int k = 1; k < n_cols; ++k) {
        if (!drawn(k)) continue;
        const auto &c = in.columns[size_t(k)];
        const float *w = &snap.params[size_t(c.weight_offset)];
        const size_t count = size_t(c.units) * size_t(c.fan_in);
        // The strongest `budget` weights, when there are more: the cut is estimated from an even
        // sample of at most 16,384 magnitudes, so one pass over the layer does (a selection over a
        // million-weight layer took 100 ms in wasm).
        float threshold = 0;
        if (count > budget) {
            const size_t stride = std::max<size_t>(1, count / 16384);
            sample.clear();
            for (size_t i = 0; i < count; i += stride) sample.push_back(std::fabs(w[i]));
            const size_t keep = std::max<size_t>(1, budget * sample.size() / count);
            std::nth_element(sample.begin(), sample.end() - ptrdiff_t(keep), sample.end());
            threshold = sample[sample.size() - keep];
        }
        // Only weights at or above the cut are kept (the largest, which sets the thickest line, is
        // among them). Magnitudes are compared as integers (the bit patterns of non-negative floats
        // sort like the values), so a block's largest is a vectorized max and most blocks are
        // skipped whole: at 10 × 1000 this pass took 80 ms a snapshot in wasm.
        uint32_t cut;
        std::memcpy(&cut, &threshold, sizeof cut);
        const size_t first = g_weights.weights.size();
        constexpr size_t k_block = 64;
        for (size_t b0 = 0; b0 < count && g_weights.weights.size() - first < 2 * budget; b0 += k_block) { // the estimate may run over a little
            const size_t b1 = std::min(count, b0 + k_block);
            uint32_t block_max = 0;
            for (size_t i = b0; i < b1; ++i) {
                uint32_t bits;
                std::memcpy(&bits, &w[i], sizeof bits);
                block_max = std::max(block_max, bits & 0x7fffffffu);
            }
            if (block_max < cut) continue;
            for (size_t i = b0; i < b1 && g_weights.weights.size() - first < 2 * budget; ++i) {
                const float m = std::fabs(w[i]);
                if (!(m >= threshold)) continue;
                max_w = std::max(max_w, m);
                g_weights.weights.push_back({k, int(i / size_t(c.fan_in)), int(i % size_t(c.fan_in)), size_t(c.weight_offset) + i});
            }
        }
    }
    g_weights.max_w = max_w;
}

// "dense 16 +bn tanh" → "dense +bn": the layer's type and what was folded into its column.
std::string short_column_label(const std::string &label) {
    std::string out = label.substr(0, label.find(' '));
    if (label.find("+bn") != std::string::npos) out += " +bn";
    if (label.find("+dropout") != std::string::npos) out += " +drop";
    return out;
}

// A map drawn large inside the open tooltip: where the output view is on another tab.
void tooltip_map(const HeatmapAtlas &atlas, int tile) {
    const float big = 9 * ImGui::GetFontSize();
    const ImVec2 a = ImGui::GetCursorScreenPos();
    atlas.draw(ImGui::GetWindowDrawList(), tile, a, {a.x + big, a.y + big});
    ImGui::Dummy({big, big});
}

// Distance from p to the segment ab.
float distance_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
    const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    float t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    t = std::clamp(t, 0.0f, 1.0f);
    const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return std::sqrt(ex * ex + ey * ey);
}

// The edit popup of a weight or bias: what was clicked stays until the popup closes.
struct Edit {
    size_t param = 0;
    float value = 0;
    std::string what;
};
Edit g_edit;

void open_edit(const liandan::Snapshot &snap, size_t param, std::string what) {
    if (param >= snap.params.size()) return;
    g_edit = {param, snap.params[param], std::move(what)};
    ImGui::OpenPopup("Edit parameter");
}

void edit_popup(ViewContext &ctx) {
    if (!ImGui::BeginPopup("Edit parameter")) return;
    ImGui::TextUnformatted(g_edit.what.c_str());
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    // The value follows the typing (no EnterReturnsTrue: with it, a click on Set found the typed
    // text not yet applied); Enter or Set commits it.
    ImGui::InputFloat("##parameter value", &g_edit.value, 0, 0, "%.4f");
    mark_numeric_field();
    const bool entered = ImGui::IsItemDeactivated() && (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
                                                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter)));
    ImGui::SameLine();
    if (ImGui::Button(trl("Set")) || entered) {
        ctx.commands.set_param(g_edit.param, g_edit.value);
        ImGui::CloseCurrentPopup();
    }
    ImGui::TextDisabled("%s", tr("Training continues from the edited value."));
    ImGui::EndPopup();
}

// The row of network switches above the picture: layers, batchnorm, dropout, residual.
void design_controls(ViewContext &ctx, const liandan::NetDesign &design) {
    liandan::Spec spec = ctx.spec;
    liandan::NetDesign d = design;
    bool changed = false;
    ImGui::Text(d.hidden.size() == 1 ? tr("%zu hidden layer") : tr("%zu hidden layers"), d.hidden.size());
    same_line_if_fits(button_width(trl("Add layer")));
    if (ImGui::Button(trl("Add layer"))) {
        d.hidden.push_back(d.hidden.empty() ? liandan::HiddenLayer{} : d.hidden.back());
        changed = true;
    }
    item_tooltip("Adds a hidden layer like the last one (no limit but the memory check of the core).");
    same_line_if_fits(button_width(trl("Remove layer")));
    ImGui::BeginDisabled(d.hidden.empty());
    if (ImGui::Button(trl("Remove layer"))) {
        d.hidden.pop_back();
        changed = true;
    }
    ImGui::EndDisabled();
    // The switches wrap onto a second row in a narrow panel, rather than run off its edge.
    same_line_if_fits(checkbox_width(trl("Batchnorm")), ImGui::GetFontSize());
    if (ImGui::Checkbox(trl("Batchnorm"), &d.batchnorm)) changed = true;
    item_tooltip("Normalizes each unit over the batch before its activation: x̂ = (x − μ_B)/√(σ²_B + ε), y = γ·x̂ + β; "
                 "evaluation uses running averages of μ and σ².");
    const float slider_w = ImGui::GetFontSize() * 5;
    same_line_if_fits(slider_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(trl("Dropout"), nullptr, true).x);
    float rate = float(d.dropout);
    ImGui::SetNextItemWidth(slider_w);
    if (ImGui::SliderFloat(trl("Dropout"), &rate, 0, 0.9f, rate > 0 ? "%.2f" : tr("off"))) {
        d.dropout = std::round(rate * 20) / 20; // steps of 0.05
        changed = true;
    }
    item_tooltip("While training, each hidden unit is zeroed with probability p and the rest scaled by 1/(1−p) "
                 "(inverted dropout); evaluation uses every unit.");
    same_line_if_fits(checkbox_width(trl("Residual")));
    if (ImGui::Checkbox(trl("Residual"), &d.residual)) changed = true;
    item_tooltip("A hidden layer whose input has its width adds the input to its output: y = x + f(x).");
    if (changed) {
        spec.model.layers = liandan::design_layers(d, liandan::toy_input_width(spec));
        ctx.commands.load(spec);
    }
}

// The width of column_header's first row (+, -, the count): columns closer than this would overlap.
float column_header_width() {
    const float pad = ImGui::GetStyle().FramePadding.x;
    return ImGui::CalcTextSize("+").x + ImGui::CalcTextSize("-").x + 4 * pad + 2 + 4 + ImGui::CalcTextSize("0000").x + 2 * pad;
}

// The header of a hidden column: +/- units and the layer's activation.
void column_header(ViewContext &ctx, const liandan::NetDesign &design, int hidden_index, ImVec2 at, float width) {
    liandan::Spec spec = ctx.spec;
    liandan::NetDesign d = design;
    auto &h = d.hidden[size_t(hidden_index)];
    bool changed = false;
    ImGui::SetCursorScreenPos(at);
    ImGui::PushID(hidden_index);
    char label[32];
    ImGui::PushButtonRepeat(true); // held down, +/- keep counting
    std::snprintf(label, sizeof label, "+##units %d", hidden_index + 1);
    if (ImGui::SmallButton(label)) {
        ++h.units;
        changed = true;
    }
    item_tooltip("One more unit in this layer (hold to keep adding)");
    ImGui::SameLine(0, 2);
    std::snprintf(label, sizeof label, "-##units %d", hidden_index + 1);
    if (ImGui::SmallButton(label) && h.units > 1) {
        --h.units;
        changed = true;
    }
    item_tooltip("One unit fewer in this layer (hold to keep removing)");
    ImGui::PopButtonRepeat();
    ImGui::SameLine(0, 4);
    // The count can be typed: it applies on Enter or when the field loses focus. Four digits wide
    // (more scroll in the field), so that columns can stand close in a small embed.
    std::snprintf(label, sizeof label, "##units count %d", hidden_index + 1);
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("0000").x + ImGui::GetStyle().FramePadding.x * 2);
    if (int n = 0; input_int_on_commit(label, h.units, &n)) {
        h.units = std::max(1, n);
        changed |= h.units != design.hidden[size_t(hidden_index)].units;
    }
    item_tooltip("Units in this layer: type a number (the core refuses a network too big for memory, and says so)");
    ImGui::SetCursorScreenPos({at.x, at.y + ImGui::GetFrameHeightWithSpacing()});
    ImGui::SetNextItemWidth(std::max(width, ImGui::GetFontSize() * 4.5f));
    std::snprintf(label, sizeof label, "##activation %d", hidden_index + 1);
    if (begin_combo(label, liandan::activation_name(h.activation), ImGuiComboFlags_NoArrowButton)) {
        for (auto a : liandan::hidden_activations())
            if (ImGui::Selectable(liandan::activation_name(a), a == h.activation)) {
                h.activation = a;
                changed = true;
            }
        ImGui::EndCombo();
    }
    item_tooltip("This layer's activation f: a = f(W·x + b)");
    ImGui::PopID();
    if (changed) {
        spec.model.layers = liandan::design_layers(d, liandan::toy_input_width(spec));
        ctx.commands.load(spec);
    }
}

void toggle_feature(ViewContext &ctx, const char *name) {
    liandan::Spec spec = ctx.spec;
    std::vector<std::string> next;
    for (const liandan::PlaneFeature &pf : liandan::plane_features()) { // keep the canonical order
        const char *f = pf.name;
        const bool was = std::find(spec.data.features.begin(), spec.data.features.end(), f) != spec.data.features.end();
        if (std::string(f) == name ? !was : was) next.emplace_back(f);
    }
    if (next.empty()) {
        ctx.commands.set_message(msgf("At least one feature must stay on.", {}));
        return;
    }
    spec.data.features = next;
    // Keep the hidden layers: only the first layer's input width changes.
    if (auto d = liandan::design_of(spec.model.layers)) spec.model.layers = liandan::design_layers(*d, int(next.size()));
    ctx.commands.load(spec);
}



// Where everything of the network picture goes this frame: columns, unit boxes, the canvas.
struct NetworkLayout {
    bool plane = false;
    int n_cols = 0, max_rows = 0;
    std::vector<int> rows;         // boxes per column (the feature column: every candidate feature)
    std::vector<int> candidates;   // plane: the features shown, as indices into plane_features()
    std::vector<int> feature_row;  // plane: the row of each active feature (unit of column 0)
    float em = 0, side = 0, gap = 0, label_w = 0, pitch = 0, header_h = 0, total_h = 0;
    float content_w = 0; // the canvas's width: the panel's, or the columns' where they need more (it scrolls)
    ImVec2 origin;
    std::vector<std::vector<UnitBox>> boxes;
    bool canvas_hovered = false, canvas_clicked = false;
    const UnitBox &box_of(int k, int u) const { return boxes[size_t(k)][size_t(plane && k == 0 ? feature_row[size_t(u)] : u)]; }
};

// The width the columns need at their closest, as last laid out (network_view_width_needed).
float g_columns_need = 0;

// Step 1: the columns' heights, the boxes' size and pitch to fill the panel, and the canvas item.
NetworkLayout lay_out_network(const liandan::Inspection &in, bool plane, const ViewContext &ctx) {
    NetworkLayout L;
    L.plane = plane;
    L.n_cols = int(in.columns.size());
    L.rows.resize(size_t(L.n_cols));
    for (int k = 0; k < L.n_cols; ++k) L.rows[size_t(k)] = in.columns[size_t(k)].units;
    // The candidate features shown: all nine, less those a URL hid (x_hide, ...) that are off.
    for (int f = 0; f < 9 && plane; ++f) {
        const auto &on = in.columns[0].unit_names;
        if (ctx.shown(feature(size_t(f)).url_key) || std::find(on.begin(), on.end(), feature(size_t(f)).name) != on.end()) L.candidates.push_back(f);
    }
    if (plane) L.rows[0] = int(L.candidates.size());
    L.max_rows = *std::max_element(L.rows.begin(), L.rows.end());

    L.em = ImGui::GetFontSize();
    L.origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    L.header_h = L.em + 6 + ImGui::GetFrameHeightWithSpacing() * 2;
    L.gap = std::max(3.0f, L.em * 0.3f);
    L.side = std::clamp((avail.y - L.header_h - L.em - L.gap * float(L.max_rows)) / float(L.max_rows), 10.0f, 3.2f * L.em);
    L.label_w = plane ? L.em * 4.2f : 0;
    // Columns as close as their lines and headers allow (closer, the panel scrolls); the last one
    // keeps room for its label.
    const float min_pitch = std::max(L.side + std::max(L.em * 4, L.side * 1.5f), plane ? column_header_width() + 2 : 0.0f);
    const std::string &last_label = in.columns.back().label;
    const float last_w = std::max(L.side, ImGui::CalcTextSize(short_column_label(last_label).c_str()).x + 2);
    const float last_room = std::max(ImGui::CalcTextSize(last_label.c_str()).x + L.em * 0.5f, L.em * 3); // its whole label where there is room
    L.pitch = std::max(min_pitch, (avail.x - L.label_w - last_room) / float(std::max(1, L.n_cols - 1)));
    const float total_w = L.label_w + last_w + L.pitch * float(L.n_cols - 1);
    L.total_h = L.header_h + float(L.max_rows) * (L.side + L.gap);
    // Columns taller than the panel bring a vertical scrollbar, which takes its width from them.
    const bool scrolls_down = L.total_h + L.em > avail.y + 1;
    g_columns_need = L.label_w + last_w + min_pitch * float(L.n_cols - 1) + (scrolls_down ? ImGui::GetStyle().ScrollbarSize : 0.0f);
    // The canvas starts below the column headers, whose buttons must not sit under it.
    ImGui::SetCursorScreenPos({L.origin.x, L.origin.y + L.header_h});
    // A click is a press and a release on the canvas (a finger that swipes to scroll is no click).
    L.content_w = std::max(total_w, avail.x - 4);
    L.canvas_clicked = ImGui::InvisibleButton("##network_canvas", {L.content_w, L.total_h - L.header_h + L.em});
    widget_locator_name_last_item("network");
    L.canvas_hovered = ImGui::IsItemHovered();

    // Unit boxes, centred vertically in each column; at the top when the columns are taller than
    // the view, so a 1000-unit layer does not push the features out of sight.
    const bool centred = L.total_h <= avail.y;
    L.boxes.resize(size_t(L.n_cols));
    for (int k = 0; k < L.n_cols; ++k) {
        const float x = L.origin.x + L.label_w + L.pitch * float(k);
        const float y0 = L.origin.y + L.header_h + (centred ? float(L.max_rows - L.rows[size_t(k)]) * (L.side + L.gap) / 2 : 0.0f);
        for (int u = 0; u < L.rows[size_t(k)]; ++u) {
            ImVec2 a{x, y0 + float(u) * (L.side + L.gap)};
            L.boxes[size_t(k)].push_back({a, {a.x + L.side, a.y + L.side}});
        }
    }
    // Plane data: which candidate row each active feature (unit of column 0) sits in.
    if (plane)
        for (const std::string &f : in.columns[0].unit_names) {
            const auto all = liandan::plane_features();
            const int index = int(std::find_if(all.begin(), all.end(), [&](const liandan::PlaneFeature &p) { return f == p.name; }) - all.begin());
            L.feature_row.push_back(int(std::find(L.candidates.begin(), L.candidates.end(), index) - L.candidates.begin()));
        }
    return L;
}

// Drawn in layers, merged at the end: every line, then every map of the atlas, then the maps of
// switched-off features, then frames and text. Each layer is one draw call (one texture), where
// interleaving them cost two calls per unit: 300 at 8 × 16, most of a software-rendered frame.
enum Layer { lines_layer, maps_layer, off_maps_layer, overlay_layer, layer_count };

// Step 2: the weights, as lines between a dense column and the one before it; returns those drawn.
// They are drawn into a picture kept while they stay the same (CachedLayer): the pointer moving
// or a tooltip redraws the frame, not the lines.
std::vector<Line> draw_weight_lines(const liandan::Snapshot &snap, const liandan::Inspection &in, const NetworkLayout &L, ImDrawList *dl) {
    dl->ChannelsSetCurrent(lines_layer);
    refresh_weights(snap, in);
    struct Stroke {
        ImVec2 a, b;
        ImU32 colour;
        float thickness;
    };
    static_assert(sizeof(Stroke) == 24, "hashed as bytes: no padding");
    std::vector<Stroke> strokes;
    std::vector<Line> lines;
    strokes.reserve(g_weights.weights.size());
    lines.reserve(g_weights.weights.size());
    const float max_w = g_weights.max_w;
    const float widen = g_weights.weights.size() > k_thin_lines ? 2.0f : 4.0f;
    ImRect bounds{FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX};
    uint64_t key = 1469598103934665603u; // FNV-1a over every stroke: the same lines make the same picture
    for (const Weight &wt : g_weights.weights) {
        const float w = snap.params[wt.param];
        const UnitBox &from = L.box_of(wt.column - 1, wt.input), &to = L.box_of(wt.column, wt.unit);
        const ImVec2 a{from.b.x, from.centre().y}, b{to.a.x, to.centre().y};
        if (!ImGui::IsRectVisible({a.x, std::min(a.y, b.y)}, {b.x, std::max(a.y, b.y) + 1})) continue; // scrolled away
        const float t = std::fabs(w) / max_w;
        const Stroke s{a, b, palette::with_alpha(palette::signed_value(w, max_w), 0.35f + 0.65f * t), std::round(1.0f + widen * t)};
        for (const unsigned char *p = reinterpret_cast<const unsigned char *>(&s), *e = p + sizeof s; p < e; ++p) key = (key ^ *p) * 1099511628211u;
        const float r = s.thickness / 2 + 1.5f; // the antialiased fringe, and AddLine's half-pixel shift
        bounds.Add(ImRect{std::min(a.x, b.x) - r, std::min(a.y, b.y) - r, std::max(a.x, b.x) + r, std::max(a.y, b.y) + r});
        strokes.push_back(s);
        lines.push_back({a, b, wt.param});
    }
    if (strokes.empty()) return lines;
    bounds.ClipWithFull(ImRect{dl->GetClipRectMin(), dl->GetClipRectMax()});
    if (ImDrawList *to = g_maps.lines.begin(bounds, ImGui::GetStyleColorVec4(ImGuiCol_WindowBg), key))
        for (const Stroke &s : strokes) to->AddLine(s.a, s.b, s.colour, s.thickness);
    g_maps.lines.draw(dl);
    return lines;
}

// Step 3: the units (their maps, or plain boxes without plane data), feature names, column headers
// and unit health; returns the unit under the pointer (column, row), or (-1, -1).
std::pair<int, int> draw_units(const liandan::Inspection &in, const std::optional<liandan::NetDesign> &design, const NetworkLayout &L,
                               ViewContext &ctx, ImDrawList *dl) {
    dl->ChannelsSetCurrent(overlay_layer);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool plane = L.plane;
    int hover_k = -1, hover_u = -1;
    for (int k = 0; k < L.n_cols; ++k) {
        const auto &c = in.columns[size_t(k)];
        for (int r = 0; r < L.rows[size_t(k)]; ++r) {
            const UnitBox &box = L.boxes[size_t(k)][size_t(r)];
            if (!ImGui::IsRectVisible(box.a, box.b)) continue; // a tall column scrolled out of view
            int unit = r;
            bool active = true;
            if (plane && k == 0) {
                auto it = std::find(L.feature_row.begin(), L.feature_row.end(), r);
                active = it != L.feature_row.end();
                unit = active ? int(it - L.feature_row.begin()) : -1;
                ImVec2 ta{L.origin.x, box.a.y + L.side / 2 - L.em / 2};
                dl->AddText(ta, ImGui::GetColorU32(active ? ImGuiCol_Text : ImGuiCol_TextDisabled), feature(size_t(L.candidates[size_t(r)])).label);
            }
            if (unit >= 0 && !c.maps.empty()) {
                dl->ChannelsSetCurrent(maps_layer);
                g_maps.atlas.draw(dl, g_maps.first_tile[size_t(k)] + unit, box.a, box.b);
                dl->ChannelsSetCurrent(overlay_layer);
            } else if (plane && k == 0) {
                dl->ChannelsSetCurrent(off_maps_layer);
                g_maps.off_features.draw(dl, L.candidates[size_t(r)], box.a, box.b);
                dl->ChannelsSetCurrent(overlay_layer);
                dl->AddRectFilled(box.a, box.b, IM_COL32(255, 255, 255, 170)); // switched off: faded
            } else dl->AddRectFilled(box.a, box.b, IM_COL32(220, 220, 220, 255));
            char name[48]; // for tests: "feature x", "unit 2.5" (column 2, unit 5), counted from 1
            if (plane && k == 0) std::snprintf(name, sizeof name, "feature %s", feature(size_t(L.candidates[size_t(r)])).name);
            else std::snprintf(name, sizeof name, "unit %d.%d", k + (plane ? 0 : 1), r + 1);
            widget_locator_add(name, box.a.x, box.a.y, L.side, L.side);
            const bool hovered = L.canvas_hovered && mouse.x >= box.a.x && mouse.x < box.b.x && mouse.y >= box.a.y && mouse.y < box.b.y;
            dl->AddRect(box.a, box.b, hovered ? IM_COL32(0, 0, 0, 255) : IM_COL32(150, 150, 150, 255), 0, 0, hovered ? 2.0f : 1.0f);
            if (hovered) hover_k = k, hover_u = plane && k == 0 ? r : unit;
        }
        // Headers: the column's label; hidden dense columns of a design get +/- and activation.
        const float x = L.origin.x + L.label_w + L.pitch * float(k);
        std::string title = plane && k == 0 ? tr("Features") : c.label;
        // A label wider than its column loses its units and activation (the +/- row and the combo
        // below show them), then is clipped: wide networks pack columns closer than their labels,
        // and the last column's label ends where the canvas does.
        const ImVec4 clip{x, L.origin.y, std::min(x + L.pitch - L.em * 0.5f, L.origin.x + L.content_w), L.origin.y + L.em * 1.5f};
        if (ImGui::CalcTextSize(title.c_str()).x > clip.z - clip.x) title = short_column_label(c.label);
        dl->AddText(nullptr, 0.0f, {x, L.origin.y}, ImGui::GetColorU32(ImGuiCol_TextDisabled), title.c_str(), nullptr, 0.0f, &clip);
        const int hidden_index = k - (plane ? 1 : 0);
        if (design && plane && hidden_index >= 0 && hidden_index < int(design->hidden.size()))
            column_header(ctx, *design, hidden_index, {x, L.origin.y + L.em + 2}, L.pitch - L.em);
        if (c.dead > 0 || c.saturated > 0) {
            char health[48];
            std::snprintf(health, sizeof health, c.dead > 0 ? tr("%d dead") : tr("%d saturated"), c.dead > 0 ? c.dead : c.saturated);
            const UnitBox &last = L.boxes[size_t(k)].back();
            dl->AddText({x, last.b.y + 2}, palette::error_text, health);
        }
    }
    return {hover_k, hover_u};
}

// Step 4: what the pointer is on: a unit (its meaning; its map large in the output view; a click
// edits its bias or switches a feature) or a line (its weight; a click edits it).
HoveredUnit explain_hover(const liandan::Snapshot &snap, const liandan::Inspection &in, const NetworkLayout &L, std::pair<int, int> hover,
                          const std::vector<Line> &lines, ViewContext &ctx, ImDrawList *dl) {
    HoveredUnit hovered;
    const auto [hover_k, hover_u] = hover;
    const bool beside = ctx.settings.output_beside;
    if (hover_k >= 0) {
        const auto &c = in.columns[size_t(hover_k)];
        if (L.plane && hover_k == 0) {
            const bool on = std::find(L.feature_row.begin(), L.feature_row.end(), hover_u) != L.feature_row.end();
            ImGui::BeginTooltip();
            ImGui::Text(on ? tr("%s: on\nIts map shows the feature's value over the plane (%s positive, %s negative).\nClick to switch it off.")
                           : tr("%s: off\nIts map shows the feature's value over the plane (%s positive, %s negative).\nClick to switch it on."),
                        feature(size_t(L.candidates[size_t(hover_u)])).label, palette::positive_name(), palette::negative_name());
            if (!beside) tooltip_map(g_maps.off_features, L.candidates[size_t(hover_u)]); // the output view is on another tab
            ImGui::EndTooltip();
            if (on) hovered = {0, int(std::find(L.feature_row.begin(), L.feature_row.end(), hover_u) - L.feature_row.begin())};
            if (L.canvas_clicked) toggle_feature(ctx, feature(size_t(L.candidates[size_t(hover_u)])).name);
        } else if (hover_u >= 0) {
            hovered = {hover_k, hover_u};
            const float bias = c.bias_offset >= 0 ? snap.params[size_t(c.bias_offset) + size_t(hover_u)] : 0.0f;
            ImGui::BeginTooltip();
            // The last line, the bias, stays empty for a layer without one.
            // A table's or an image's network has no plane to map: no line about maps.
            const std::string map_line = !L.plane ? std::string()
                                         : beside ? std::string(tr("Its map: the unit's output at every point of the plane (shown large in the output view).")) + "\n"
                                                  : std::string(tr("Its map: the unit's output at every point of the plane.")) + "\n";
            const std::string tip = trf("Layer {0} ({1}), unit {2}", {std::to_string(hover_k + (L.plane ? 0 : 1)), c.label, std::to_string(hover_u + 1)}) +
                                    "\n" + map_line + (c.bias_offset >= 0 ? trf("Click to edit its bias: {0}", {std::to_string(bias)}) : std::string());
            ImGui::TextUnformatted(tip.c_str());
            if (!beside && !c.maps.empty()) tooltip_map(g_maps.atlas, g_maps.first_tile[size_t(hover_k)] + hover_u);
            ImGui::EndTooltip();
            if (L.canvas_clicked && c.bias_offset >= 0)
                open_edit(snap, size_t(c.bias_offset) + size_t(hover_u), trf("{0}, unit {1}: bias", {c.label, std::to_string(hover_u + 1)}));
        }
    } else if (L.canvas_hovered) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        const Line *best = nullptr;
        float best_d = 5.0f;
        for (const Line &l : lines)
            if (float d = distance_to_segment(mouse, l.from, l.to); d < best_d) best_d = d, best = &l;
        if (best) {
            ImGui::SetTooltip(tr("Weight %.4f\nClick to edit it."), snap.params[best->param]);
            dl->AddLine(best->from, best->to, IM_COL32(0, 0, 0, 200), 2.0f);
            if (L.canvas_clicked) open_edit(snap, best->param, tr("Weight"));
        }
    }
    return hovered;
}

// The wheel over a wide network with nothing to scroll vertically scrolls it sideways (ImGui 1.86
// scrolls sideways only with shift or a horizontal wheel).
void wheel_scrolls_sideways() {
    const ImGuiIO &io = ImGui::GetIO();
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) && io.MouseWheel != 0 && !io.KeyShift && ImGui::GetScrollMaxY() <= 0 &&
        ImGui::GetScrollMaxX() > 0)
        ImGui::SetScrollX(ImGui::GetScrollX() - io.MouseWheel * ImGui::GetFontSize() * 5);
}

// The network's picture: the columns, their units and lines, and what the pointer is over.
HoveredUnit draw_network_picture(const liandan::Snapshot &snap, const liandan::Inspection &in,
                                 const std::optional<liandan::NetDesign> &design, bool plane, ViewContext &ctx) {
    const NetworkLayout layout = lay_out_network(in, plane, ctx);
    ImDrawList *dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(layer_count);
    const std::vector<Line> lines = draw_weight_lines(snap, in, layout, dl);
    const std::pair<int, int> hover = draw_units(in, design, layout, ctx, dl);
    dl->ChannelsMerge();
    const HoveredUnit hovered = explain_hover(snap, in, layout, hover, lines, ctx, dl);
    ImGui::SetCursorScreenPos({layout.origin.x, layout.origin.y + layout.total_h + layout.em});
    edit_popup(ctx);
    return hovered;
}
} // namespace

void release_network_view_textures() {
    g_maps.atlas.release();
    g_maps.off_features.release();
    g_maps.inspection = 0;
    g_maps.off_side = 0;
    g_maps.lines.release();
}

uint64_t network_line_pictures() { return g_maps.lines.pictures(); }

float network_view_width_needed() { return g_columns_need > 0 ? g_columns_need + 2 * ImGui::GetStyle().WindowPadding.x : 0; }

HoveredUnit draw_network_view(const liandan::Snapshot &snap, ViewContext &ctx) {
    ViewSettings &view = ctx.settings;
    const auto design = liandan::design_of(ctx.spec.model.layers);
    const bool plane = snap.data->toy;
    if (design && plane && ctx.shown("numHiddenLayers")) design_controls(ctx, *design);
    else if (plane && ctx.load_pending) ImGui::TextDisabled("%s", tr("Loading…")); // the spec is the next run's, the picture still this one's
    else if (plane) ImGui::TextDisabled("%s", tr("Layers as in the spec (not a stack of dense layers: edit the spec to change them)"));
    else {
        draw_layer_stack_view(snap, ctx.spec, view.stack_draft, [&](const liandan::Spec &s) { return ctx.commands.load(s); });
        if (snap.data->sample_shape.size() > 1) { // images: their views (on the Output tab in tabs), no unit boxes (a flatten layer would be thousands)
            if (!view.output_beside) return {};
            ImGui::Spacing();
            draw_image_views(snap, ctx);
            return {};
        }
        ImGui::Spacing();
    }
    if (!snap.inspection || snap.inspection->columns.empty()) return {};
    const liandan::Inspection &in = *snap.inspection;
    refresh_atlas(in);
    if (plane) refresh_off_features();

    // The plane's picture scrolls in a region of its own under the switches, so that Add layer
    // stays in sight when a small embed scrolls down a tall layer or across a deep network. A
    // table's scrolls with its layer list, as one page (nested scrollbars there were one too many).
    if (!plane) {
        wheel_scrolls_sideways();
        return draw_network_picture(snap, in, design, plane, ctx);
    }
    // At least a few lines tall: where the switches fill a small embed, the panel scrolls to it.
    const float height = std::max(ImGui::GetContentRegionAvail().y, 8 * ImGui::GetFontSize());
    ImGui::BeginChild("##network picture", {0, height}, false, ImGuiWindowFlags_HorizontalScrollbar);
    wheel_scrolls_sideways();
    const HoveredUnit hovered = draw_network_picture(snap, in, design, plane, ctx);
    ImGui::EndChild();
    return hovered;
}
