// Table data's views of the model's quality (views.h): for two classes the ROC and
// precision-recall curves of the test rows, a threshold that moves the confusion matrix and its
// scores, and the rarer class's share of the training rows (with class weights, in the loss
// controls, the churn or fraud lesson: a rare class is missed unless it is weighed up); for a
// regression the residuals, and RMSE and R² over training.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <numeric>

#include <imgui.h>

#include "i18n/tr.h"
#include "ui/widget_locator.h"
#include "views/palette.h"
#include "views/views.h"

namespace {

struct Counts {
    int tp = 0, fp = 0, tn = 0, fn = 0;
};

Counts counts_at(const std::vector<float> &p1, const std::vector<float> &y, float threshold) {
    Counts c;
    for (size_t i = 0; i < p1.size(); ++i) {
        const bool predicted = p1[i] >= threshold, actual = y[i] > 0.5f;
        (predicted ? (actual ? c.tp : c.fp) : (actual ? c.fn : c.tn))++;
    }
    return c;
}

void binary_views(const liandan::Snapshot &snap, const liandan::Spec &spec, TableViewsState &st,
                  const std::function<std::string(const liandan::Spec &)> &load, float side) {
    const liandan::Dataset &d = *snap.data;
    if (snap.test_probabilities.size() != size_t(d.test.n) * 2 || d.test.n == 0) return;
    std::vector<float> p1(size_t(d.test.n)), y(d.test.y.begin(), d.test.y.end());
    for (int r = 0; r < d.test.n; ++r) p1[size_t(r)] = snap.test_probabilities[size_t(r) * 2 + 1];
    const std::string positive = d.class_names.size() > 1 ? d.class_names[1] : "1";

    // The curves: every distinct score is a threshold, from the highest down.
    std::vector<size_t> order(p1.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p1[a] > p1[b]; });
    const double positives = double(std::count_if(y.begin(), y.end(), [](float v) { return v > 0.5f; }));
    const double negatives = double(y.size()) - positives;
    Scatter roc{"roc curve", "FPR", "ROC: TPR"}, pr{"precision-recall curve", tr("recall"), tr("precision")};
    roc.fixed_unit_axes = pr.fixed_unit_axes = true;
    roc.line_x = {0}, roc.line_y = {0};
    double tp = 0, fp = 0, auc = 0, last_fpr = 0, last_tpr = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        (y[order[i]] > 0.5f ? tp : fp) += 1;
        if (i + 1 < order.size() && p1[order[i + 1]] == p1[order[i]]) continue; // ties move together
        const double tpr = positives ? tp / positives : 0, fpr = negatives ? fp / negatives : 0;
        auc += (fpr - last_fpr) * (tpr + last_tpr) / 2; // trapezoids
        last_fpr = fpr, last_tpr = tpr;
        roc.line_x.push_back(float(fpr)), roc.line_y.push_back(float(tpr));
        pr.line_x.push_back(float(tpr)), pr.line_y.push_back(float(tp / (tp + fp)));
    }
    // The threshold in force, a point on both curves and the confusion matrix below.
    const Counts c = counts_at(p1, y, st.threshold);
    const float tpr = c.tp + c.fn ? float(c.tp) / float(c.tp + c.fn) : 0, fpr = c.fp + c.tn ? float(c.fp) / float(c.fp + c.tn) : 0;
    const float precision = c.tp + c.fp ? float(c.tp) / float(c.tp + c.fp) : 1;
    roc.xs = {fpr}, roc.ys = {tpr}, roc.colours = {palette::error_text};
    pr.xs = {tpr}, pr.ys = {precision}, pr.colours = {palette::error_text};

    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
    ImGui::SliderFloat(trl("Threshold"), &st.threshold, 0.0f, 1.0f, "%.2f");
    widget_locator_name_last_item(trl("Threshold"));
    item_tooltip(trf("A test row is called '{0}' when the model's probability of it is at least this. Lower finds more "
                     "of them (recall) at the cost of more false alarms (precision).", {positive}).c_str());
    if (ImGui::BeginTable("##threshold confusion", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
        const std::string negative = d.class_names.empty() ? "0" : d.class_names[0];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", tr("actual \\ called"));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(negative.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(positive.c_str());
        for (int a = 0; a < 2; ++a) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted((a ? positive : negative).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d", a ? c.fn : c.tn);
            ImGui::TableNextColumn();
            ImGui::Text("%d", a ? c.tp : c.fp);
        }
        ImGui::EndTable();
    }
    const float f1 = precision + tpr > 0 ? 2 * precision * tpr / (precision + tpr) : 0;
    ImGui::Text(tr("recall %.3f  precision %.3f  F1 %.3f  AUC %.3f"), tpr, precision, f1, auc);
    item_tooltip("recall = TP / (TP + FN): the share of actual positives found.\nprecision = TP / (TP + FP): the share of those "
                 "called positive that are.\nAUC: the area under the ROC curve, the chance that a random positive scores above a "
                 "random negative (0.5 = guessing).");
    st.auc = float(auc), st.recall = tpr, st.precision = precision;

    // The rarer class's share of the training rows, applied on release (a new run).
    float share = 0;
    const bool released = slider_on_release(trl("Rare class share"), float(spec.data.minority_share), &share, 0.0f, 0.5f, "%.2f", 0, tr("as is"));
    ImGui::PopItemWidth();
    widget_locator_name_last_item(trl("Rare class share"));
    if (released) {
        liandan::Spec next = spec;
        next.data.minority_share = share < 0.005f ? 0.0 : std::round(double(share) * 100) / 100;
        load(next);
    }
    item_tooltip("Leaves out rows of the rarer class from the training split until it makes this share (the test rows keep "
                 "theirs): watch recall fall as the class gets rare, and come back with class weights (Training, Class weights).");

    const float half = std::max(120.0f, (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2);
    ImGui::BeginGroup();
    draw_scatter(roc, std::min(half, side));
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    draw_scatter(pr, std::min(half, side));
    ImGui::EndGroup();
}

void regression_views(const liandan::Snapshot &snap, float side) {
    const liandan::Dataset &d = *snap.data;
    if (!snap.test_predictions.empty()) {
        Scatter res{"residual plot", tr("predicted"), tr("residual (actual − predicted)")};
        for (size_t r = 0; r < snap.test_predictions.size(); ++r) {
            res.xs.push_back(snap.test_predictions[r]);
            res.ys.push_back(d.test.y[r] - snap.test_predictions[r]);
            res.colours.push_back(palette::test_line);
        }
        res.line_x = {*std::min_element(res.xs.begin(), res.xs.end()), *std::max_element(res.xs.begin(), res.xs.end())};
        res.line_y = {0, 0};
        draw_scatter(res, side);
    }
    std::vector<float> rmse, r2;
    for (const liandan::HistoryPoint &h : snap.history) rmse.push_back(float(h.rmse_test)), r2.push_back(float(h.r2_test));
    if (rmse.size() < 2) return;
    char label[64];
    std::snprintf(label, sizeof label, tr("test RMSE %.4g"), rmse.back());
    ImGui::PlotLines("##rmse", rmse.data(), int(rmse.size()), 0, label, 0, FLT_MAX, {side, ImGui::GetFontSize() * 4});
    std::snprintf(label, sizeof label, tr("test R² %.4f"), r2.back());
    ImGui::PlotLines("##r2", r2.data(), int(r2.size()), 0, label, std::min(0.0f, *std::min_element(r2.begin(), r2.end())), 1.0f,
                     {side, ImGui::GetFontSize() * 4});
    item_tooltip("R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²: 1 is perfect, 0 is no better than predicting the mean");
}

} // namespace

void draw_table_views(const liandan::Snapshot &snap, const liandan::Spec &spec, TableViewsState &st,
                      const std::function<std::string(const liandan::Spec &)> &load) {
    if (!snap.data || snap.data->toy || snap.data->sample_shape.size() != 1) return;
    const float side = std::max(140.0f, ImGui::GetContentRegionAvail().x);
    if (snap.task == liandan::Task::regression) regression_views(snap, side);
    else if (snap.data->n_classes == 2) binary_views(snap, spec, st, load, side);
}
