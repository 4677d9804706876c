// Live curves: train and test loss (and accuracy for classification) against epochs, drawn with
// ImGui's draw lists (ImPlot is packaged neither by Debian nor npm). Hover shows exact values.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "i18n/tr.h"
#include "views/palette.h"
#include "views/views.h"

namespace {

struct Series {
    const char *name;
    ImU32 colour;
    double liandan::HistoryPoint::*field;
};

void draw_plot(const char *id, const std::vector<liandan::HistoryPoint> &h, const Series (&series)[2], float height,
               bool from_zero_to_one) {
    ImVec2 origin = ImGui::GetCursorScreenPos();
    float width = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, {width, height});
    ImDrawList *dl = ImGui::GetWindowDrawList();
    const float em = ImGui::GetFontSize();
    const float left = ImGui::CalcTextSize("0.000").x + em * 0.5f, bottom = em * 1.2f;
    ImVec2 p0{origin.x + left, origin.y + 4}, p1{origin.x + width - 4, origin.y + height - bottom};
    dl->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 255));
    dl->AddRect(p0, p1, IM_COL32(160, 160, 160, 255));
    if (h.empty()) return;

    double x_max = std::max(h.back().epoch, 1e-9), y_lo = 0, y_hi = 1;
    if (!from_zero_to_one) {
        y_hi = 0;
        for (auto &pt : h)
            for (auto &s : series)
                if (std::isfinite(pt.*s.field)) y_hi = std::max(y_hi, pt.*s.field);
        y_hi = y_hi > 0 ? y_hi * 1.05 : 1.0;
    }
    auto to_screen = [&](double x, double y) {
        return ImVec2{p0.x + float(x / x_max) * (p1.x - p0.x), p1.y - float((y - y_lo) / (y_hi - y_lo)) * (p1.y - p0.y)};
    };
    char label[32];
    // y grid and labels: quarters, or halves or ends only when a short panel would stack the labels
    const int room = int((p1.y - p0.y) / (em * 1.6f)), steps = room >= 4 ? 4 : room >= 2 ? 2 : 1;
    for (int k = 0; k <= steps; ++k) {
        double y = y_lo + (y_hi - y_lo) * k / steps;
        ImVec2 a = to_screen(0, y);
        dl->AddLine({p0.x, a.y}, {p1.x, a.y}, IM_COL32(225, 225, 225, 255));
        std::snprintf(label, sizeof label, "%.3g", y);
        dl->AddText({origin.x + 2, a.y - em * 0.5f}, ImGui::GetColorU32(ImGuiCol_Text), label);
    }
    // The epoch reached, with fewer decimals as it grows ("%.3g" turned 1234 into 1.23e+03).
    const double last = h.back().epoch; // (x_max is kept above 0 for the scale)
    std::snprintf(label, sizeof label, last == 0 || last >= 100 ? tr("epoch %.0f") : last < 10 ? tr("epoch %.2f") : tr("epoch %.1f"), last);
    dl->AddText({p1.x - ImGui::CalcTextSize(label).x, p1.y + 2}, ImGui::GetColorU32(ImGuiCol_Text), label);
    dl->PushClipRect(p0, p1, true);
    std::vector<ImVec2> line(h.size());
    for (auto &s : series) {
        for (size_t i = 0; i < h.size(); ++i) line[i] = to_screen(h[i].epoch, std::isfinite(h[i].*s.field) ? h[i].*s.field : y_hi);
        dl->AddPolyline(line.data(), int(line.size()), s.colour, 0, 2.0f);
    }
    dl->PopClipRect();

    if (ImGui::IsItemHovered()) { // nearest recorded point to the mouse's epoch
        double epoch = (ImGui::GetIO().MousePos.x - p0.x) / (p1.x - p0.x) * x_max;
        auto it = std::lower_bound(h.begin(), h.end(), epoch, [](const liandan::HistoryPoint &p, double e) { return p.epoch < e; });
        if (it == h.end()) --it;
        ImVec2 a = to_screen(it->epoch, 0);
        dl->AddLine({a.x, p0.y}, {a.x, p1.y}, IM_COL32(0, 0, 0, 90));
        ImGui::SetTooltip(tr("epoch %.2f (step %lld)\n%s %.4f\n%s %.4f"), it->epoch, static_cast<long long>(it->step),
                          series[0].name, (*it).*series[0].field, series[1].name, (*it).*series[1].field);
    }
}

// "Loss   ▬ train 0.0123   ▬ test 0.0456": the values with their series' colours, one line; in a
// narrow panel the words go (the swatches match the lines, and hovering names them). A value that
// is not finite (training diverged) reads "—", not "-nan".
void heading(const char *title, const Series (&series)[2], const double (&values)[2], const char *format) {
    ImGui::TextUnformatted(title);
    const float em = ImGui::GetFontSize();
    char text[2][48];
    auto compose = [&](bool words) {
        float width = ImGui::CalcTextSize(title).x;
        for (int i = 0; i < 2; ++i) {
            const std::string name = words ? std::string(i == 0 ? tr("train") : tr("test")) + " " : "";
            if (std::isfinite(values[i])) std::snprintf(text[i], sizeof text[i], format, name.c_str(), values[i]);
            else std::snprintf(text[i], sizeof text[i], "%s—", name.c_str());
            width += em * 2 + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(text[i]).x;
        }
        return width;
    };
    if (compose(true) > ImGui::GetContentRegionAvail().x) compose(false);
    for (int i = 0; i < 2; ++i) {
        ImGui::SameLine(0, em);
        ImVec2 p = ImGui::GetCursorScreenPos();
        const float mid = p.y + ImGui::GetTextLineHeight() / 2;
        ImGui::GetWindowDrawList()->AddRectFilled({p.x, mid - 2}, {p.x + em, mid + 2}, series[i].colour);
        ImGui::Dummy({em, ImGui::GetTextLineHeight()});
        ImGui::SameLine();
        ImGui::TextUnformatted(text[i]);
    }
}

} // namespace

void draw_curve_view(const liandan::Snapshot &snap) {
    const auto &m = snap.metrics;
    if (snap.test_rows_sampled()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        text_wrapped(trf("Test figures from an even sample of {0} of the {1} test rows: this network is too costly to score them all in "
                         "every snapshot",
                         {std::to_string(m.test_rows_scored), std::to_string(snap.data->test.n)}));
        ImGui::PopStyleColor();
    }
    const Series loss[2] = {{tr("train loss"), palette::train_line, &liandan::HistoryPoint::loss_train},
                            {tr("test loss"), palette::test_line, &liandan::HistoryPoint::loss_test}};
    heading(tr("Loss"), loss, {m.loss_train, m.loss_test}, "%s%.4f");
    const bool classification = snap.task == liandan::Task::classification;
    const float line = ImGui::GetFrameHeightWithSpacing();
    const float avail = ImGui::GetContentRegionAvail().y;
    draw_plot("##loss_plot", snap.history, loss, classification ? (avail - line) * 0.5f : avail - 8, false);
    if (classification) {
        const Series acc[2] = {{tr("train accuracy"), palette::train_line, &liandan::HistoryPoint::accuracy_train},
                               {tr("test accuracy"), palette::test_line, &liandan::HistoryPoint::accuracy_test}};
        heading(tr("Accuracy"), acc, {100 * m.accuracy_train, 100 * m.accuracy_test}, "%s%.1f%%");
        draw_plot("##accuracy_plot", snap.history, acc, ImGui::GetContentRegionAvail().y - 8, true);
    }
}
