// The top bar, as TensorFlow Playground's: reset / play / step, the epoch counter, then learning
// rate, activation, regularization and its rate, and the problem type. Edits other than the
// learning rate go through App::load (a new run, checked like a spec file).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include <imgui.h>

#include "data/toy.h"
#include "edit/net_design.h"
#include "lessons_data.h"
#include "ui/widget_locator.h"
#include "i18n/tr.h"
#include "util/ui_text.h"
#include "views/views.h"

namespace {

constexpr double k_rates[] = {0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10};
constexpr double k_reg_rates[] = {0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10};

// True while the settings are drawn as the rows of a short window's Settings menu.
bool g_menu_rows = false;

// A labelled combo in a column of the bar: the caption above, the control below.
// Columns that do not fit on the row start a new one (the layout gives a narrow window two rows).
// In the Settings menu, a row of its table: the caption, then the control.
template <class Body> void column(const char *caption, float width, Body body) {
    if (g_menu_rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", caption);
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(width);
        body();
        return;
    }
    wrap_before(std::max(width, ImGui::CalcTextSize(caption).x));
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", caption);
    ImGui::SetNextItemWidth(width);
    body();
    ImGui::EndGroup();
    ImGui::SameLine(0, ImGui::GetFontSize() * 1.2f);
}

// A menu opens under its button, not over it where the pointer was: from its left edge upon the
// screen's left half, from its right edge upon the right half (so it stays on screen).
// Call just before BeginPopup (a tooltip's window would take the position).
void open_below(ImVec2 a, ImVec2 b) {
    const bool right = a.x + b.x > ImGui::GetIO().DisplaySize.x;
    ImGui::SetNextWindowPos({right ? b.x : a.x, b.y + 2}, ImGuiCond_Appearing, {right ? 1.0f : 0.0f, 0.0f});
}

// BeginPopup for a menu that Escape closes, as a browser's menus do (ImGui 1.86 closes a popup on a
// click outside only). Not while a field in it is being typed into.
bool begin_menu_popup(const char *popup) {
    if (!ImGui::BeginPopup(popup)) return false;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)) && !ImGui::GetIO().WantTextInput) ImGui::CloseCurrentPopup();
    return true;
}

// A button of the bar (unless its control is hidden) that opens a menu below it: true while the
// menu is open, to be ended with ImGui::EndPopup().
bool begin_bar_menu(const ViewContext &ctx, const char *control, const char *popup, const char *label, const char *tooltip, float h) {
    if (!ctx.shown(control)) return false;
    if (h <= ImGui::GetFrameHeight()) wrap_before(button_width(label));
    if (ImGui::Button(label, {0, h})) ImGui::OpenPopup(popup);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    item_tooltip(tooltip);
    ImGui::SameLine();
    open_below(a, b);
    return begin_menu_popup(popup);
}

// Keep and share: a new experiment, the files out (spec, weights, the whole experiment), files in.
void experiment_menu(ViewContext &ctx, float h) {
    if (!begin_bar_menu(ctx, "experimentMenu", "Experiment menu", trl("Experiment"),
                        tr("New, download and open experiments. Your experiment is kept as it trains (in this browser, "
                           "or natively in your data folder) and comes back after a reload."),
                        h))
        return;
    if (ImGui::Selectable(trl("New experiment"))) ctx.commands.new_experiment();
    item_tooltip(tr("The spiral with fresh weights. The experiment in force is no longer kept: download it first to keep it."));
    ImGui::Separator();
    if (ImGui::Selectable(trl("Download spec (JSON)"))) ctx.commands.download("spec");
    item_tooltip(tr("The data, network, optimizer and training settings: Open takes it back, liandan-train --config runs it."));
    if (ImGui::Selectable(trl("Download weights (safetensors)"))) ctx.commands.download("weights");
    item_tooltip(tr("The weights under PyTorch's names and layouts: torch's load_state_dict takes them as they are."));
    if (ImGui::Selectable(trl("Download experiment (all)"))) ctx.commands.download("experiment");
    item_tooltip(tr("Spec, weights, optimizer state and curves in one safetensors file: Open takes it back where it was."));
    if (ImGui::Selectable(trl("Link with trained weights"))) ctx.commands.share_link_with_weights();
    item_tooltip(tr("A link that opens this experiment with the weights it has now, for a tutorial to show a trained "
                 "network (networks of up to 2,000 weights; the page's address bar, natively the clipboard)."));
    if (ImGui::Selectable(trl("Export to PyTorch (Python)"))) ctx.commands.download("pytorch");
    item_tooltip(tr("A Python file that builds this network as a torch.nn.Module, loads the weights file unchanged, "
                 "predicts raw rows and trains on with the same optimizer: for when you outgrow the browser."));
    ImGui::Separator();
    if (ImGui::Selectable(trl("Open a file..."))) ctx.commands.request_open();
    item_tooltip(tr("A spec (JSON), weights or an experiment (safetensors), or data: CSV, IDX images and labels (key: o)."));
    ImGui::EndPopup();
}

// Lessons: each opens its experiment with its text beside the network.
void lessons_menu(ViewContext &ctx, float h) {
    if (!begin_bar_menu(ctx, "lessonsMenu", "Lessons menu", trl("Lessons"),
                        tr("Short lessons, each an experiment that shows its point within a minute: depth, activations, dropout, "
                           "skip connections, seeds, learning rates, rare classes, curves, images, tables."),
                        h))
        return;
    for (const liandan::Lesson &l : app_lessons())
        if (ImGui::Selectable((l.title.in(ui_language()) + "###lesson " + l.id).c_str(), ctx.lesson == &l)) ctx.commands.choose_lesson(l);
    ImGui::EndPopup();
}

// The buttons: two lines tall, or one in a short window's bar (where a button that does not fit
// on the row starts a new one).
void transport(const liandan::Snapshot &snap, ViewContext &ctx, bool short_bar) {
    const float h = short_bar ? ImGui::GetFrameHeight() : ImGui::GetFrameHeightWithSpacing() * 2 - ImGui::GetStyle().ItemSpacing.y;
    experiment_menu(ctx, h);
    lessons_menu(ctx, h);
    if (ctx.shown("resetButton")) {
        if (short_bar) wrap_before(button_width(trl("Reset")));
        if (ImGui::Button(trl("Reset"), {0, h})) ctx.commands.reset();
        item_tooltip(tr("New initial weights from the init seed; back to epoch 0 (key: r)."));
        ImGui::SameLine();
    }
    if (ctx.shown("playButton")) {
        // As wide playing as paused, so the row does not move when it is pressed.
        const float w = short_bar ? std::max(button_width(trl("Play")), button_width(trl("Pause"))) : h * 1.6f;
        if (short_bar) wrap_before(w);
        if (ImGui::Button(snap.running ? trl("Pause") : trl("Play"), {w, h})) ctx.commands.toggle_play();
        item_tooltip(tr("Train until paused, the epochs are done or the target loss is reached (key: space)."));
        ImGui::SameLine();
    }
    if (ctx.shown("stepButton")) {
        if (short_bar) wrap_before(button_width(trl("Step")));
        if (ImGui::Button(trl("Step"), {0, h})) ctx.commands.step_epoch();
        item_tooltip(tr("Train one epoch: every training row once, in batches (key: s)."));
        ImGui::SameLine();
    }
}

// The epoch, under its caption, or beside it in a short window's bar (without leading zeros there:
// they would take the room of a button).
void epoch_readout(const liandan::Snapshot &snap, bool short_bar) {
    if (short_bar) {
        char epoch[64];
        std::snprintf(epoch, sizeof epoch, "%s %d", tr("Epoch"), snap.epoch_now);
        wrap_before(ImGui::CalcTextSize(epoch).x);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(epoch);
        return;
    }
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", tr("Epoch"));
    ImGui::Text("%06d", snap.epoch_now);
    ImGui::EndGroup();
    ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
}

void speed(ViewContext &ctx) {
    const liandan::ViewSpec &view = ctx.spec.view;
    const double rate = view.speed;
    const auto unit = view.speed_unit;
    column(tr("Speed"), ImGui::GetFontSize() * 8.0f, [&] {
        if (begin_combo("##Speed", speed_shown(rate, unit).c_str())) {
            for (const SpeedChoice &c : k_speeds) {
                // Shown in the language in force, named by its English ("100 steps/s") for tests.
                const std::string english = speed_text(c.rate, c.unit), shown = speed_shown(c.rate, c.unit);
                const std::string label = shown == english ? english : shown + "###" + english;
                if (ImGui::Selectable(label.c_str(), c.rate == rate && (rate == 0 || c.unit == unit)))
                    ctx.commands.set_speed(c.rate, c.unit);
            }
            ImGui::EndCombo();
        }
        item_tooltip(tr("How fast training goes. An epoch pace shows the network learning (30 epochs/s is the default; "
                     "TensorFlow Playground runs an epoch a frame), a step pace follows single batches, full speed "
                     "trains as fast as the machine allows. URL: speed=30&speedUnit=epochs."));
    });
}

void learning_rate(const liandan::Snapshot &, ViewContext &ctx) {
    if (!ctx.shown("learningRate")) return;
    const double lr = ctx.spec.optimizer.lr;
    char text[32];
    std::snprintf(text, sizeof text, "%g", lr);
    column(tr("Learning rate"), ImGui::GetFontSize() * 5.5f, [&] {
        if (begin_combo("##Learning rate", text)) {
            for (double r : k_rates) {
                std::snprintf(text, sizeof text, "%g", r);
                if (ImGui::Selectable(text, std::fabs(r - lr) < 1e-12)) ctx.commands.set_lr(r);
            }
            ImGui::EndCombo();
        }
        item_tooltip(tr("η, the step size: w ← w − η·∂L/∂w (for SGD; Adam and RMSProp scale each step). "
                     "Applies at once, without a reset."));
    });
}

void activation(ViewContext &ctx) {
    liandan::Spec spec = ctx.spec;
    auto design = liandan::design_of(spec.model.layers);
    if (!design || design->hidden.empty() || !ctx.shown("activation")) return;
    const liandan::Activation current = design->hidden[0].activation;
    column(tr("Activation"), ImGui::GetFontSize() * 6.0f, [&] {
        if (begin_combo("##Activation", liandan::activation_name(current))) {
            for (auto a : liandan::hidden_activations())
                if (ImGui::Selectable(liandan::activation_name(a), a == current)) {
                    for (auto &h : design->hidden) h.activation = a;
                    spec.model.layers = liandan::design_layers(*design, liandan::toy_input_width(spec));
                    ctx.commands.load(spec);
                }
            ImGui::EndCombo();
        }
        item_tooltip(tr("f in a = f(W·x + b), for every hidden layer (each layer can differ: use the combo above its "
                     "column). tanh and sigmoid saturate; relu can die (zero for every input)."));
    });
}

void regularization(ViewContext &ctx) {
    liandan::Spec spec = ctx.spec;
    auto &o = spec.optimizer;
    const int kind = o.l1 > 0 ? 1 : o.weight_decay > 0 ? 2 : 0;
    const char *names[] = {tr("None"), "L1", "L2"};
    bool changed = false;
    if (ctx.shown("regularization")) column(tr("Regularization"), ImGui::GetFontSize() * 4.5f, [&] {
        if (begin_combo("##Regularization", names[kind])) {
            for (int k = 0; k < 3; ++k)
                if (ImGui::Selectable(names[k], k == kind)) {
                    const double rate = std::max(o.l1, o.weight_decay) > 0 ? std::max(o.l1, o.weight_decay) : 0.001;
                    o.l1 = k == 1 ? rate : 0;
                    o.weight_decay = k == 2 ? rate : 0;
                    changed = true;
                }
            ImGui::EndCombo();
        }
        item_tooltip(tr("A penalty on large weights. L1 adds λ·Σ|w| to the loss (pushes weights to exactly zero); "
                     "L2 adds λ/2·Σw² (shrinks them: w ← w − η·λ·w each step)."));
    });
    double rate = kind == 1 ? o.l1 : kind == 2 ? o.weight_decay : 0;
    char text[32];
    std::snprintf(text, sizeof text, "%g", rate);
    if (ctx.shown("regularizationRate")) column(tr("Regularization rate"), ImGui::GetFontSize() * 5.5f, [&] {
        ImGui::BeginDisabled(kind == 0);
        if (begin_combo("##Regularization rate", text)) {
            for (double r : k_reg_rates) {
                std::snprintf(text, sizeof text, "%g", r);
                if (ImGui::Selectable(text, r == rate)) {
                    (kind == 1 ? o.l1 : o.weight_decay) = r;
                    changed = true;
                }
            }
            ImGui::EndCombo();
        }
        ImGui::EndDisabled();
        item_tooltip(tr("λ, the strength of the penalty."));
    });
    if (changed) ctx.commands.load(spec);
}

void problem_type(ViewContext &ctx) {
    liandan::Spec spec = ctx.spec;
    if ((spec.data.source != liandan::DataSource::toy && spec.data.source != liandan::DataSource::points) || !ctx.shown("problem")) return;
    const bool regression = spec.data.source == liandan::DataSource::toy
                                ? liandan::toy_info(spec.data.toy.shape).task == liandan::Task::regression
                                : spec.loss.type == liandan::LossType::mse;
    const char *names[] = {tr("Classification"), tr("Regression")};
    column(tr("Problem type"), ImGui::GetFontSize() * 8.0f, [&] {
        if (begin_combo("##Problem type", names[regression])) {
            for (int k = 0; k < 2; ++k)
                if (ImGui::Selectable(names[k], k == int(regression)) && k != int(regression)) {
                    // Back to a problem type, back to the data set it had (circle and plane at first).
                    static std::string last_shape[2] = {"circle", "plane"};
                    if (spec.data.source == liandan::DataSource::toy) {
                        last_shape[int(regression)] = spec.data.toy.shape;
                        spec.data.toy.shape = last_shape[k];
                    }
                    spec.loss.type = k ? liandan::LossType::mse : liandan::LossType::bce;
                    liandan::fit_output_to_data(spec);
                    ctx.commands.load(spec);
                }
            ImGui::EndCombo();
        }
        item_tooltip(tr("Classification: the output is P(class 1) through a sigmoid (or class scores through softmax), "
                     "with cross-entropy loss. Regression: the output is a number, with squared error loss."));
    });
}

// English or Chinese, at the bar's end (kept in the URL as lang=zh).
void language(ViewContext &ctx) {
    const char *names[] = {"English", "中文"};
    const bool zh = ui_language() == "zh";
    column(tr("Language"), ImGui::GetFontSize() * 5.0f, [&] {
        if (begin_combo("##Language", names[zh])) {
            for (int k = 0; k < 2; ++k)
                if (ImGui::Selectable(names[k], k == int(zh))) ctx.commands.set_language(k ? "zh" : "en");
            ImGui::EndCombo();
        }
        item_tooltip("English / 中文");
    });
}

} // namespace

namespace {
// A pace's text, the rate for {0}: one template for the English (the speed menu's IDs) and the
// language in force.
const char *speed_template(double rate, liandan::SpeedUnit unit) {
    if (rate <= 0) return N_("full speed");
    const bool one = rate == 1;
    if (unit == liandan::SpeedUnit::epochs) return one ? N_("{0} epoch/s") : N_("{0} epochs/s");
    return one ? N_("{0} step/s") : N_("{0} steps/s");
}

std::string rate_text(double rate) {
    char n[32];
    std::snprintf(n, sizeof n, "%g", rate);
    return n;
}
} // namespace

std::string speed_text(double rate, liandan::SpeedUnit unit) { return msgf(speed_template(rate, unit), {rate_text(rate)}); }

std::string speed_shown(double rate, liandan::SpeedUnit unit) { return trf(speed_template(rate, unit), {rate_text(rate)}); }

void draw_top_bar_view(const liandan::Snapshot &snap, ViewContext &ctx, bool short_bar) {
    const auto settings = [&] {
        speed(ctx);
        learning_rate(snap, ctx);
        activation(ctx);
        regularization(ctx);
        problem_type(ctx);
        language(ctx);
    };
    if (!short_bar) {
        transport(snap, ctx, false);
        epoch_readout(snap, false);
        settings();
        ImGui::NewLine();
        return;
    }
    // A short window (a phone held sideways, a small frame) keeps its height for the views: one
    // line of buttons, closer together (a 480 px window fits them in English), the settings in a menu.
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, {std::round(ImGui::GetFontSize() * 0.3f), ImGui::GetStyle().ItemSpacing.y});
    transport(snap, ctx, true);
    wrap_before(button_width(trl("Settings")));
    const bool open = ImGui::Button(trl("Settings"));
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    item_tooltip(tr("Speed, learning rate, activation, regularization, problem type and language."));
    ImGui::SameLine();
    epoch_readout(snap, true);
    ImGui::PopStyleVar();
    if (open) ImGui::OpenPopup("Settings menu");
    open_below(a, b);
    if (begin_menu_popup("Settings menu")) {
        if (ImGui::BeginTable("##settings", 2, ImGuiTableFlags_SizingFixedFit)) {
            g_menu_rows = true;
            settings();
            g_menu_rows = false;
            ImGui::EndTable();
        }
        ImGui::EndPopup();
    }
}
