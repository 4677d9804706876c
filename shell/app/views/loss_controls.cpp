// The loss and its class weights: which loss the task allows (mse for regression, bce or
// cross-entropy for two classes, cross-entropy for more), and a weight per class, set by hand or
// balanced from the training split's class counts, so a rare class can count as much as a
// common one. Both are part of the spec (and so of the URL).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "spec.h"
#include "ui/widget_locator.h"
#include "i18n/tr.h"
#include "views/views.h"

namespace {

// Weights n / (k · n_c): each class then contributes as if the classes were equally common.
std::vector<double> balanced_weights(const liandan::Dataset &d) {
    std::vector<double> counts(size_t(std::max(1, d.n_classes)), 0.0);
    for (float y : d.train.y)
        if (y >= 0 && size_t(y) < counts.size()) counts[size_t(y)] += 1;
    std::vector<double> w(counts.size(), 1.0);
    for (size_t c = 0; c < counts.size(); ++c)
        if (counts[c] > 0) w[c] = std::round(double(d.train.n) / (double(counts.size()) * counts[c]) * 100) / 100;
    return w;
}

} // namespace

void draw_loss_controls(const liandan::Snapshot &snap, const liandan::Spec &spec, const std::function<std::string(const liandan::Spec &)> &load) {
    const liandan::Dataset &d = *snap.data;
    liandan::Spec next = spec;
    bool changed = false;
    if (d.task == liandan::Task::regression || d.n_classes > 2) {
        ImGui::Text(tr("Loss: %s"), liandan::loss_name(spec.loss.type));
        item_tooltip(d.task == liandan::Task::regression ? tr("Mean squared error: (1/N)·Σ (ŷ − y)²")
                                                         : tr("Cross-entropy over the classes' softmax: −(1/N)·Σ log p(yᵢ)"));
    } else {
        const char *losses[] = {"bce", "cross_entropy"};
        int loss = spec.loss.type == liandan::LossType::cross_entropy ? 1 : 0;
        if (combo(trl("Loss"), &loss, losses, 2)) {
            next.loss.type = loss ? liandan::LossType::cross_entropy : liandan::LossType::bce;
            if (!next.model.layers.empty()) next.model.layers.back().units = loss ? 2 : 1; // one sigmoid unit, or two softmax ones
            changed = true;
        }
        item_tooltip("bce: one sigmoid output p and −(1/N)·Σ [y·log p + (1−y)·log(1−p)].\n"
                     "cross_entropy: two softmax outputs and −(1/N)·Σ log p(yᵢ). The same model, written two ways.");
    }
    if (d.task == liandan::Task::classification && d.n_classes >= 2) {
        bool weighted = !spec.loss.class_weights.empty();
        if (ImGui::Checkbox(trl("Class weights"), &weighted)) {
            next.loss.class_weights = weighted ? balanced_weights(d) : std::vector<double>{};
            changed = true;
        }
        item_tooltip("Each sample's loss times its class's weight: a rare class weighted up counts as much as a common one, "
                     "trading precision for its recall. Turned on, the weights start balanced: n / (k · n_class).");
        if (weighted && int(spec.loss.class_weights.size()) == d.n_classes) {
            for (int c = 0; c < d.n_classes; ++c) {
                char label[64];
                const std::string name = c < int(d.class_names.size()) ? d.class_names[size_t(c)] : std::to_string(c);
                std::snprintf(label, sizeof label, "%s##class weight %d", name.c_str(), c);
                float weight = 0;
                if (slider_on_release(label, float(spec.loss.class_weights[size_t(c)]), &weight, 0.1f, 10.0f, "%.2f", ImGuiSliderFlags_Logarithmic))
                    next.loss.class_weights[size_t(c)] = weight, changed = true;
            }
            if (ImGui::SmallButton(trl("Balance"))) {
                next.loss.class_weights = balanced_weights(d);
                changed = true;
            }
            item_tooltip("Weights n / (k · n_class) from the training split's counts");
        }
    }
    if (changed) load(next);
}
