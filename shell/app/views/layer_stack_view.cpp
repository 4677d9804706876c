// The layer stack editor, for any data that is not the plane (images, tables): one row per layer
// with its type and settings, its output shape, parameters and memory, computed live
// (core/edit/layer_stack.h); layers are added, removed and moved with buttons. A stack that does
// not fit is kept as a draft, its faulty layer marked and explained, and only a stack that fits
// is trained; the output layer stays last, fitted to the data.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "edit/layer_stack.h"
#include "i18n/tr.h"
#include "ui/touch_input.h"
#include "ui/widget_locator.h"
#include "views/palette.h"
#include "views/views.h"

namespace {

constexpr liandan::LayerType k_addable[] = {liandan::LayerType::conv2d,  liandan::LayerType::maxpool,   liandan::LayerType::avgpool,
                                            liandan::LayerType::flatten, liandan::LayerType::dense,     liandan::LayerType::dropout,
                                            liandan::LayerType::batchnorm, liandan::LayerType::residual};

// A number field of `chars` digits that applies when typing ends. Once a finger is seen it has
// - and + buttons too: a step is one tap, where typing takes the phone's keyboard.
bool committed_int(const char *label, int value, int *out, float chars) {
    const bool steps = fingers_in_use();
    const float buttons = steps ? 2 * (ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x) : 0;
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("0").x * chars + ImGui::GetStyle().FramePadding.x * 2 + buttons);
    return input_int_on_commit(label, value, out, steps);
}

bool activation_combo(const char *label, liandan::Activation *a) {
    bool changed = false;
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(liandan::activation_name(*a)).x + ImGui::GetStyle().FramePadding.x * 2 + 2);
    if (begin_combo(label, liandan::activation_name(*a), ImGuiComboFlags_NoArrowButton)) {
        for (liandan::Activation option : liandan::hidden_activations())
            if (ImGui::Selectable(liandan::activation_name(option), option == *a)) *a = option, changed = true;
        ImGui::EndCombo();
    }
    return changed;
}

std::string shape_text(liandan::Shape s) {
    return s.is_image() ? std::to_string(s.c) + "×" + std::to_string(s.h) + "×" + std::to_string(s.w) : std::to_string(s.size());
}

std::string count_text(int64_t n) { // 61706 → "61,706"
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string bytes_text(double bytes) {
    char text[32];
    if (bytes < 1024 * 1024) std::snprintf(text, sizeof text, "%.0f KB", bytes / 1024);
    else std::snprintf(text, sizeof text, "%.1f MB", bytes / (1024 * 1024));
    return text;
}

// The settings of layer k: returns true when one changed. `output`: the last layer, whose width the data fixes.
bool layer_settings(liandan::LayerSpec &l, int k, bool output) {
    char label[48];
    bool changed = false;
    auto id = [&](const char *what) {
        std::snprintf(label, sizeof label, "##layer %d %s", k + 1, what);
        return label;
    };
    auto next = [] { ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x); };
    // "/ stride" after the window or kernel, as the row reads: 5 / 1 (`tooltip` already translated)
    auto stride_field = [&](const char *tooltip) {
        next();
        ImGui::TextDisabled("/");
        next();
        changed |= committed_int(id("stride"), l.stride, &l.stride, 1);
        item_tooltip(tooltip);
    };
    switch (l.type) {
    case liandan::LayerType::conv2d: {
        changed |= committed_int(id("filters"), l.filters, &l.filters, 3);
        item_tooltip("Filters: output channels, each a K×K×C kernel sliding over the input");
        next();
        ImGui::TextUnformatted("×");
        next();
        changed |= committed_int(id("kernel"), l.kernel, &l.kernel, 2);
        item_tooltip("Kernel side K: each output looks at a K×K patch of every input channel");
        stride_field(tr("Stride (after the /): how far the kernel moves between outputs (2 halves the height and width)"));
        next();
        const char *paddings[] = {"valid", "same"};
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("valid").x + ImGui::GetStyle().FramePadding.x * 2 + 2);
        if (begin_combo(id("padding"), paddings[int(l.padding)], ImGuiComboFlags_NoArrowButton)) {
            for (int p = 0; p < 2; ++p)
                if (ImGui::Selectable(paddings[p], p == int(l.padding))) l.padding = liandan::Padding(p), changed = true;
            ImGui::EndCombo();
        }
        item_tooltip("valid: no padding, the output shrinks by K−1; same: zeros around the edge keep the size (at stride 1)");
        next();
        changed |= activation_combo(id("activation"), &l.activation);
        break;
    }
    case liandan::LayerType::maxpool:
    case liandan::LayerType::avgpool: {
        const int size = l.size;
        if (committed_int(id("size"), l.size, &l.size, 2)) {
            if (l.stride == size) l.stride = l.size; // the usual non-overlapping pool follows its size
            changed = true;
        }
        item_tooltip("Window side: the max (or mean) of each window is kept");
        stride_field(tr("Stride (after the /): how far the window moves; the window's side gives windows that do not overlap"));
        break;
    }
    case liandan::LayerType::dense:
        if (output) {
            ImGui::TextDisabled(tr("%d outputs, fitted to the data"), l.units);
            break;
        }
        changed |= committed_int(id("units"), l.units, &l.units, 4);
        item_tooltip("Units: each computes f(W·x + b) over all of the layer's inputs");
        next();
        changed |= activation_combo(id("activation"), &l.activation);
        break;
    case liandan::LayerType::dropout: {
        float rate = float(l.rate);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        if (slider_on_release(id("rate"), float(l.rate), &rate, 0.0f, 0.9f)) l.rate = rate, changed = true;
        item_tooltip("The share of inputs zeroed at random while training (the rest scaled by 1/(1−p)); nothing at test time");
        break;
    }
    case liandan::LayerType::batchnorm:
        changed |= activation_combo(id("activation"), &l.activation);
        item_tooltip("Normalizes each channel over the batch, then scales and shifts (learned), then the activation");
        break;
    case liandan::LayerType::flatten: // short: the settings column is narrow at 1280 px
        ImGui::TextDisabled("%s", tr("as one vector"));
        item_tooltip("channels × height × width as one vector");
        break;
    case liandan::LayerType::residual: {
        ImGui::TextDisabled("%s", liandan::layer_settings_text(l).c_str());
        std::string inner;
        for (size_t i = 0; i < l.layers.size(); ++i) {
            if (i) inner += '\n';
            inner.append(liandan::layer_type_name(l.layers[i].type)).append(" ").append(liandan::layer_settings_text(l.layers[i]));
        }
        inner += std::string("\n") + tr("Output = input + these layers(input): the shape must come back unchanged.");
        item_tooltip(inner.c_str());
        break;
    }
    }
    return changed;
}

} // namespace

void draw_layer_stack_view(const liandan::Snapshot &snap, const liandan::Spec &spec, LayerStackDraft &draft,
                           const std::function<std::string(const liandan::Spec &)> &load) {
    // The draft follows the spec until an edit does not fit; a new spec from elsewhere (a preset,
    // a link) replaces it.
    const std::string base = liandan::spec_to_json(spec)["model"].dump();
    if (draft.base != base) draft.layers.reset(), draft.base = base;
    std::vector<liandan::LayerSpec> layers = draft.layers ? *draft.layers : spec.model.layers;
    const liandan::Shape input = liandan::shape_of(spec.model.input.empty() ? snap.data->sample_shape : spec.model.input);
    const liandan::StackSummary summary = liandan::summarize_stack(layers, input, spec.train.batch_size, spec.optimizer.type);
    draft.error = summary.error;

    bool changed = false;
    int remove = -1, move_up = -1;
    ImGui::TextDisabled(tr("input %s"), shape_text(input).c_str());
    // Never narrower than its columns need (the Settings column's controls about 15 em): a narrow
    // panel scrolls it sideways rather than squeeze the settings out of sight.
    const float table_w = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 38);
    if (ImGui::BeginTable("layer stack", 6, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH, {table_w, 0})) {
        ImGui::TableSetupColumn("#");
        ImGui::TableSetupColumn(trl("Layer"));
        ImGui::TableSetupColumn(trl("Settings"), ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn(trl("Output"));
        ImGui::TableSetupColumn(trl("Parameters"));
        ImGui::TableSetupColumn(trl("Memory"));
        ImGui::TableHeadersRow();
        for (int k = 0; k < int(layers.size()); ++k) {
            liandan::LayerSpec &l = layers[size_t(k)];
            const bool output = k + 1 == int(layers.size());
            ImGui::TableNextRow();
            if (k == summary.error_layer) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(250, 200, 200, 255));
            ImGui::PushID(k);
            ImGui::TableNextColumn();
            ImGui::Text("%d", k + 1);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(output ? tr("output") : liandan::layer_type_name(l.type));
            if (!output) {
                ImGui::SameLine();
                char label[40];
                std::snprintf(label, sizeof label, "^##layer %d up", k + 1);
                if (k > 0 && ImGui::SmallButton(label)) move_up = k;
                if (k > 0) item_tooltip("Move this layer up");
                ImGui::SameLine(0, 2);
                std::snprintf(label, sizeof label, "v##layer %d down", k + 1);
                if (k + 2 < int(layers.size()) && ImGui::SmallButton(label)) move_up = k + 1;
                if (k + 2 < int(layers.size())) item_tooltip("Move this layer down");
                ImGui::SameLine(0, std::round(ImGui::GetFontSize() * 0.6f)); // apart from the moves: a finger's slip should not remove a layer
                std::snprintf(label, sizeof label, "x##layer %d remove", k + 1);
                if (ImGui::SmallButton(label)) remove = k;
                item_tooltip("Remove this layer");
            }
            ImGui::TableNextColumn();
            changed |= layer_settings(l, k, output);
            if (k < int(summary.rows.size())) {
                const liandan::StackRow &row = summary.rows[size_t(k)];
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(shape_text(row.out).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(count_text(row.params).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(bytes_text(row.bytes).c_str());
            }
            ImGui::PopID();
            if (k == summary.error_layer) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TableNextColumn();
                ImGui::TableNextColumn();
                ImGui::PushStyleColor(ImGuiCol_Text, palette::error_text);
                ImGui::BeginGroup(); // one item for the locator, however many lines
                text_wrapped(tr_message(summary.error));
                ImGui::EndGroup();
                ImGui::PopStyleColor();
                widget_locator_name_last_item("layer stack error");
            }
        }
        ImGui::EndTable();
    }
    // Add: before the output layer, fitted to what comes out of the layer above it.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (begin_combo("##add layer", tr("Add a layer…"))) {
        for (liandan::LayerType t : k_addable)
            if (ImGui::Selectable(liandan::layer_type_name(t))) {
                const size_t at = layers.empty() ? 0 : layers.size() - 1;
                const liandan::Shape in = at == 0 ? input : at - 1 < summary.rows.size() ? summary.rows[at - 1].out : input;
                layers.insert(layers.begin() + std::ptrdiff_t(at), liandan::default_layer(t, in));
                changed = true;
            }
        ImGui::EndCombo();
    }
    item_tooltip("Adds a layer before the output layer; move it with ^ and v");
    ImGui::SameLine();
    if (summary.ok())
        ImGui::TextDisabled(tr("%s parameters, about %s at batch %d"), count_text(summary.params).c_str(), bytes_text(summary.bytes).c_str(),
                            spec.train.batch_size);
    else ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(palette::error_text), "%s", tr("Training waits for a stack that fits"));

    if (remove >= 0) layers.erase(layers.begin() + remove), changed = true;
    if (move_up > 0) std::swap(layers[size_t(move_up - 1)], layers[size_t(move_up)]), changed = true;
    if (!changed) return;
    const liandan::StackSummary next = liandan::summarize_stack(layers, input, spec.train.batch_size, spec.optimizer.type);
    if (!next.ok()) {
        draft.layers = layers; // kept, marked and explained until it fits
        return;
    }
    liandan::Spec edited = spec;
    edited.model.layers = layers;
    if (load(edited).empty()) draft.layers.reset();
    else draft.layers = layers;
}
