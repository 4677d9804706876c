// Inside the network: per-layer gradient norms over time (log scale: vanishing and exploding
// gradients show as lines far apart), dead and saturated units per layer, and a histogram of each
// layer's weights. Drawn with ImGui's draw lists, like the curves.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <imgui.h>

#include "i18n/tr.h"
#include "views/palette.h"
#include "views/views.h"

namespace {

// Up to eight layers in the colour-blind-safe set; more get hues spread around the wheel, so no two repeat.
ImU32 layer_colour(int i, int n) {
    if (n <= 8) return palette::category(i, std::max(3, n));
    return ImColor::HSV(float(i) / float(n), 0.7f, 0.75f);
}

// "layers.3" (the tensor prefix) as the interface names it: "layer 4 conv2d".
std::string layer_label(const liandan::Snapshot &snap, const std::string &name) {
    const int i = std::atoi(name.c_str() + (name.rfind("layers.", 0) == 0 ? 7 : 0));
    const auto &layers = snap.spec.model.layers;
    return trf("layer {0}", {std::to_string(i + 1)}) + (i >= 0 && size_t(i) < layers.size() ? std::string(" ") + liandan::layer_type_name(layers[size_t(i)].type) : "");
}

void gradient_flow(const liandan::Snapshot &snap) {
    const int L = snap.n_grad_layers;
    const size_t P = snap.grad_steps.size();
    ImGui::TextUnformatted(tr("Gradient norm per layer"));
    help_marker("‖∂L/∂W‖ of each layer's weights and bias at each step, on a log scale. Lines that fall far below the "
                "others mean the early layers barely learn (vanishing gradients); lines that shoot up mean exploding "
                "gradients (try a lower learning rate, clipping or batchnorm).");
    const float height = ImGui::GetFontSize() * 9;
    ImVec2 o = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x, left = ImGui::GetFontSize() * 3;
    ImGui::InvisibleButton("##gradient_plot", {width, height});
    ImDrawList *dl = ImGui::GetWindowDrawList();
    ImVec2 p0{o.x + left, o.y + 2}, p1{o.x + width - 4, o.y + height - ImGui::GetFontSize()};
    dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 255));
    dl->AddRect(p0, p1, IM_COL32(160, 160, 160, 255));
    if (L == 0 || P < 1) {
        dl->AddText({p0.x + 6, p0.y + 6}, ImGui::GetColorU32(ImGuiCol_TextDisabled), tr("Train a few steps to see the gradients."));
        return;
    }
    double lo = 1e30, hi = -1e30;
    for (float g : snap.grad_norms)
        if (g > 0 && std::isfinite(g)) lo = std::min(lo, std::log10(double(g))), hi = std::max(hi, std::log10(double(g)));
    if (lo > hi) lo = -1, hi = 0;
    lo = std::floor(lo), hi = std::ceil(hi);
    if (hi <= lo) hi = lo + 1;
    const double x_max = double(std::max<int64_t>(1, snap.grad_steps.back()));
    auto at = [&](size_t point, int layer) {
        float g = snap.grad_norms[point * size_t(L) + size_t(layer)];
        double lg = g > 0 ? std::log10(double(g)) : lo;
        return ImVec2{p0.x + float(double(snap.grad_steps[point]) / x_max) * (p1.x - p0.x), p1.y - float((lg - lo) / (hi - lo)) * (p1.y - p0.y)};
    };
    char text[64];
    for (double e = lo; e <= hi; e += 1) {
        float y = p1.y - float((e - lo) / (hi - lo)) * (p1.y - p0.y);
        dl->AddLine({p0.x, y}, {p1.x, y}, IM_COL32(230, 230, 230, 255));
        std::snprintf(text, sizeof text, "1e%d", int(e));
        dl->AddText({o.x + 2, y - ImGui::GetFontSize() / 2}, ImGui::GetColorU32(ImGuiCol_Text), text);
    }
    std::snprintf(text, sizeof text, tr("step %lld"), static_cast<long long>(snap.grad_steps.back()));
    dl->AddText({p1.x - ImGui::CalcTextSize(text).x, p1.y + 1}, ImGui::GetColorU32(ImGuiCol_Text), text);
    std::vector<ImVec2> line(P);
    dl->PushClipRect(p0, p1, true);
    for (int l = 0; l < L; ++l) {
        for (size_t p = 0; p < P; ++p) line[p] = at(p, l);
        dl->AddPolyline(line.data(), int(P), layer_colour(l, L), 0, 1.8f);
    }
    dl->PopClipRect();
    if (ImGui::IsItemHovered()) {
        const double step = (ImGui::GetIO().MousePos.x - p0.x) / (p1.x - p0.x) * x_max;
        size_t best = size_t(std::lower_bound(snap.grad_steps.begin(), snap.grad_steps.end(), int64_t(step)) - snap.grad_steps.begin());
        best = std::min(best, P - 1);
        std::snprintf(text, sizeof text, tr("step %lld"), static_cast<long long>(snap.grad_steps[best]));
        std::string tip = text;
        for (int l = 0; l < L; ++l) {
            std::snprintf(text, sizeof text, "\n%s  %.3g", snap.inspection ? layer_label(snap, snap.inspection->layers[size_t(l)].name).c_str() : tr("layer"),
                          double(snap.grad_norms[best * size_t(L) + size_t(l)]));
            tip += text;
        }
        ImGui::SetTooltip("%s", tip.c_str());
    }
    for (int l = 0; l < L && snap.inspection; ++l) { // legend, wrapped onto more lines in a narrow panel
        const std::string label = layer_label(snap, snap.inspection->layers[size_t(l)].name);
        if (l) same_line_if_fits(14 + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(label.c_str()).x);
        ImVec2 p = ImGui::GetCursorScreenPos();
        dl->AddRectFilled({p.x, p.y + 5}, {p.x + 12, p.y + 9}, layer_colour(l, L));
        ImGui::Dummy({14, ImGui::GetFontSize()});
        ImGui::SameLine();
        ImGui::TextUnformatted(label.c_str());
    }
}

void unit_health(const liandan::Snapshot &snap) {
    ImGui::TextUnformatted(tr("Unit health"));
    help_marker("Dead: a relu unit that outputs 0 for every one of the first 256 training rows; it gets no gradient and "
                "never recovers by itself. Saturated: a tanh or sigmoid unit within 2% of its bound on 90% of those rows; "
                "its gradient is nearly zero.");
    if (!ImGui::BeginTable("##health", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn(trl("layer"));
    ImGui::TableSetupColumn(trl("units"));
    ImGui::TableSetupColumn(trl("dead"));
    ImGui::TableSetupColumn(trl("saturated"));
    ImGui::TableHeadersRow();
    for (const auto &c : snap.inspection->columns) {
        if (c.layer < 0) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d: %s", c.layer + 1, c.label.c_str()); // counted from 1, as the network view and the legends count
        ImGui::TableNextColumn();
        ImGui::Text("%d", c.units);
        ImGui::TableNextColumn();
        c.dead >= 0 ? ImGui::Text("%d", c.dead) : ImGui::TextDisabled("-");
        ImGui::TableNextColumn();
        c.saturated >= 0 ? ImGui::Text("%d", c.saturated) : ImGui::TextDisabled("-");
    }
    ImGui::EndTable();
}

void histograms(const liandan::Snapshot &snap) {
    ImGui::TextUnformatted(tr("Weights per layer"));
    help_marker("The distribution of each layer's weights (not biases), symmetric around 0. Regularization pulls it in; "
                "L1 piles weights at exactly 0.");
    const float w = std::max(ImGui::GetFontSize() * 8, (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2);
    const float h = ImGui::GetFontSize() * 3.5f;
    int shown = 0;
    for (const auto &l : snap.inspection->layers) {
        if (shown++ % 2) ImGui::SameLine();
        ImGui::BeginGroup();
        ImGui::Text("%s  ‖W‖ %.3g", layer_label(snap, l.name).c_str(), l.weight_norm);
        ImVec2 o = ImGui::GetCursorScreenPos();
        ImGui::Dummy({w - 4, h});
        ImDrawList *dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(o, {o.x + w - 4, o.y + h}, IM_COL32(255, 255, 255, 255));
        const int most = std::max(1, *std::max_element(l.histogram.begin(), l.histogram.end()));
        const float bw = (w - 4) / float(l.histogram.size());
        for (size_t b = 0; b < l.histogram.size(); ++b) {
            const float bh = float(l.histogram[b]) / float(most) * (h - 2);
            const float mid = l.hist_lo + (float(b) + 0.5f) / float(l.histogram.size()) * (l.hist_hi - l.hist_lo);
            dl->AddRectFilled({o.x + float(b) * bw, o.y + h - bh}, {o.x + float(b + 1) * bw - 1, o.y + h}, palette::signed_value(mid, l.hist_hi));
        }
        dl->AddRect(o, {o.x + w - 4, o.y + h}, IM_COL32(180, 180, 180, 255));
        ImGui::TextDisabled("%.2g … %.2g", double(l.hist_lo), double(l.hist_hi));
        ImGui::EndGroup();
    }
}

} // namespace

void draw_stats_view(const liandan::Snapshot &snap) {
    if (!snap.inspection) return;
    gradient_flow(snap);
    ImGui::Spacing();
    unit_health(snap);
    ImGui::Spacing();
    histograms(snap);
}
