// The experiment panel: play / pause / step / reset, the counters, and the spec's common fields
// (data set, noise, split, features, layers, activation, learning rate, batch size). Every edit
// goes through App::load, so it gets the same validation as a spec file.
#include <algorithm>

#include <imgui.h>

#include "app.h"
#include "config.h"
#include "data/toy.h"
#include "views/palette.h"
#include "views/views.h"

namespace {

const char *const k_feature_names[] = {"x", "y", "x2", "y2", "xy", "sinx", "siny", "cosx", "cosy"};
const char *const k_feature_labels[] = {"X1", "X2", "X1²", "X2²", "X1·X2", "sin X1", "sin X2", "cos X1", "cos X2"};
const liandan::Activation k_hidden_activations[] = {liandan::Activation::tanh, liandan::Activation::relu,
                                                    liandan::Activation::sigmoid, liandan::Activation::linear,
                                                    liandan::Activation::leaky_relu, liandan::Activation::elu,
                                                    liandan::Activation::gelu};

void section(const char *title) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextDisabled("%s", title);
}

void transport(const liandan::Snapshot &snap, App &app) {
    const float w = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
    if (ImGui::Button(snap.running ? "Pause" : "Play", {w, 0})) app.toggle_play();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Train until paused or the spec's epochs are done (key: space)");
    ImGui::SameLine();
    if (ImGui::Button("Step", {w, 0})) app.step_epoch();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Train one epoch (key: s)");
    ImGui::SameLine();
    if (ImGui::Button("Reset", {w, 0})) app.reset();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("New initial weights from the seed, epoch 0 (key: r)");

    ImGui::Text("Epoch %d   step %lld", snap.metrics.epoch, static_cast<long long>(snap.metrics.step));
    ImGui::Text("%.0f steps/s", snap.steps_per_s);
}

// After a change of toy set: the loss and the last layer's width that the set needs
// (mse for regression, bce for two classes unless mse was chosen, cross_entropy for k classes).
void fit_output_to_data(liandan::Spec &spec) {
    const liandan::ToyInfo &info = liandan::toy_info(spec.data.toy.shape);
    if (!info.k_classes) spec.data.toy.classes = info.classes;
    auto &loss = spec.loss.type;
    if (info.task == liandan::Task::regression) loss = liandan::LossType::mse;
    else if (spec.data.toy.classes > 2) loss = liandan::LossType::cross_entropy;
    else if (loss != liandan::LossType::mse) loss = liandan::LossType::bce;
    spec.model.layers.back().units = loss == liandan::LossType::cross_entropy ? spec.data.toy.classes : 1;
    spec.loss.class_weights.clear();
}

void data_controls(App &app) {
    liandan::Spec spec = app.spec();
    if (spec.data.source != liandan::DataSource::toy) {
        ImGui::Text("Source: %s", liandan::data_source_name(spec.data.source));
        return;
    }
    bool changed = false;
    const auto &shapes = liandan::toy_shape_names();
    if (ImGui::BeginCombo("Data set", spec.data.toy.shape.c_str())) {
        for (const std::string &s : shapes)
            if (ImGui::Selectable(s.c_str(), s == spec.data.toy.shape)) {
                spec.data.toy.shape = s;
                fit_output_to_data(spec);
                changed = true;
            }
        ImGui::EndCombo();
    }
    if (liandan::toy_info(spec.data.toy.shape).k_classes && ImGui::SliderInt("Classes", &spec.data.toy.classes, 2, 8)) {
        fit_output_to_data(spec);
        changed = true;
    }
    float noise = float(spec.data.toy.noise) * 100;
    if (ImGui::SliderFloat("Noise", &noise, 0, 50, "%.0f%%")) {
        spec.data.toy.noise = noise / 100;
        changed = true;
    }
    float train_pct = float(1 - spec.data.test_fraction) * 100;
    if (ImGui::SliderFloat("Train share", &train_pct, 10, 90, "%.0f%%")) {
        spec.data.test_fraction = 1 - train_pct / 100;
        changed = true;
    }
    if (ImGui::SliderInt("Batch size", &spec.train.batch_size, 1, 30)) changed = true;
    if (ImGui::Button("Regenerate")) {
        ++spec.data.toy.seed;
        changed = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Draw new points (data seed %llu)", static_cast<unsigned long long>(spec.data.toy.seed));

    ImGui::TextUnformatted("Features");
    for (int i = 0; i < 9; ++i) {
        bool on = std::find(spec.data.features.begin(), spec.data.features.end(), k_feature_names[i]) != spec.data.features.end();
        if (i % 3) ImGui::SameLine(ImGui::GetContentRegionAvail().x * 0 + 8 + (i % 3) * 100.0f);
        if (ImGui::Checkbox(k_feature_labels[i], &on)) {
            std::vector<std::string> next;
            for (const char *f : k_feature_names) { // keep the canonical order
                bool was = std::find(spec.data.features.begin(), spec.data.features.end(), f) != spec.data.features.end();
                if (f == k_feature_names[i] ? on : was) next.emplace_back(f);
            }
            if (!next.empty()) {
                spec.data.features = next;
                changed = true;
            }
        }
    }
    if (changed) app.load(spec);
}

void network_controls(App &app) {
    liandan::Spec spec = app.spec();
    bool changed = false;
    auto &layers = spec.model.layers;
    const bool all_dense = std::all_of(layers.begin(), layers.end(), [](const liandan::LayerSpec &l) { return l.type == liandan::LayerType::dense; });
    if (!all_dense) { // the +/- editor is for stacks of dense layers; others are shown as they are
        for (size_t i = 0; i < layers.size(); ++i)
            ImGui::BulletText("%zu: %s%s%s", i, liandan::layer_type_name(layers[i].type),
                              layers[i].activation != liandan::Activation::linear ? ", " : "",
                              layers[i].activation != liandan::Activation::linear ? liandan::activation_name(layers[i].activation) : "");
    } else {
    const int hidden = int(layers.size()) - 1;
    ImGui::Text("%d hidden layer%s", hidden, hidden == 1 ? "" : "s");
    ImGui::SameLine();
    if (ImGui::SmallButton("+##layer")) {
        liandan::LayerSpec l = hidden > 0 ? layers[hidden - 1] : liandan::LayerSpec{};
        if (hidden == 0) l.units = 4, l.activation = liandan::Activation::tanh;
        layers.insert(layers.end() - 1, l);
        changed = true;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("-##layer") && hidden > 0) {
        layers.erase(layers.end() - 2);
        changed = true;
    }
    for (int i = 0; i < hidden; ++i) {
        ImGui::PushID(i);
        ImGui::Text("Layer %d: %d units", i + 1, layers[i].units);
        ImGui::SameLine();
        if (ImGui::SmallButton("+")) {
            ++layers[i].units;
            changed = true;
        }
        ImGui::SameLine();
        if (ImGui::SmallButton("-") && layers[i].units > 1) {
            --layers[i].units;
            changed = true;
        }
        ImGui::PopID();
    }
    liandan::Activation current = hidden > 0 ? layers[0].activation : liandan::Activation::tanh;
    if (ImGui::BeginCombo("Activation", liandan::activation_name(current))) {
        for (auto a : k_hidden_activations)
            if (ImGui::Selectable(liandan::activation_name(a), a == current)) {
                for (int i = 0; i < hidden; ++i) layers[i].activation = a;
                changed = true;
            }
        ImGui::EndCombo();
    }
    }
    if (changed) app.load(spec);

    float lr = float(spec.optimizer.lr);
    if (ImGui::InputFloat("Learning rate", &lr, 0, 0, "%.5f", ImGuiInputTextFlags_EnterReturnsTrue) && lr > 0 && lr <= 10)
        app.set_lr(lr);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step size of %s; applies at once, without a reset", liandan::optimizer_name(spec.optimizer.type));
}

} // namespace

void draw_controls_view(const liandan::Snapshot &snap, App &app) {
    ImGui::TextUnformatted("Liandan");
    ImGui::SameLine();
    ImGui::TextDisabled("%s, %s", LIANDAN_SIMD_NAME, LIANDAN_THREADS ? "trainer thread" : "single thread");
    transport(snap, app);
    const std::string &error = !snap.error.empty() ? snap.error : app.message();
    if (!error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, palette::error_text);
        ImGui::TextWrapped("%s", error.c_str());
        ImGui::PopStyleColor();
    }
    section("Data");
    data_controls(app);
    draw_data_files_view(app);
    section("Network");
    network_controls(app);
}
