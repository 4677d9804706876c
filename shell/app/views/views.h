// One view per file, each drawing only from the snapshot and acting through App (docs/design.md, "Habits of the code").
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "train/snapshot.h"

class App;

void draw_top_bar_view(const liandan::Snapshot &snap, App &app);      // transport and the common knobs
void draw_controls_view(const liandan::Snapshot &snap, App &app);     // data, training, display settings
void draw_network_view(const liandan::Snapshot &snap, App &app);      // features, neurons, weights
void draw_output_view(const liandan::Snapshot &snap, App &app);       // decision map, workbench, data info
void draw_curve_view(const liandan::Snapshot &snap);                  // loss and accuracy over time
void draw_stats_view(const liandan::Snapshot &snap);                  // gradient flow, unit health, weights
void draw_status_bar_view(const liandan::Snapshot &snap, App &app);   // speed, build, messages

// Shared by views: a "(?)" marker whose tooltip explains a control (its formula, what it means).
void help_marker(const char *text);
// The tooltip of the last item, wrapped at a readable width.
void item_tooltip(const char *text);
// The next item on the same line when `width` still fits there, else on a new line.
void same_line_if_fits(float width, float spacing = -1.0f);
// The width of a checkbox with its label.
float checkbox_width(const char *label);
void draw_data_files_view(App &app);
void draw_named_sets_view(App &app);     // the real data sets: a menu with samples, the fetch's progress
void draw_named_set_networks(App &app);  // the set in use: what it teaches, its proposed networks                                  // open a CSV / IDX file, choose the target

// The layer stack being edited: a stack that does not fit stays here (marked, explained) until it
// does; `base` is the spec's model it was made from, so a new spec from elsewhere replaces it.
struct LayerStackDraft {
    std::optional<std::vector<liandan::LayerSpec>> layers;
    std::string base;
    std::string error; // why the draft does not fit (as shown on its layer), "" when it does
};
// Images and tables: every layer's type, settings, output shape, parameters and memory; `load`
// takes a stack that fits and returns "" or the refusal.
void draw_layer_stack_view(const liandan::Snapshot &snap, const liandan::Spec &spec, LayerStackDraft &draft,
                           const std::function<std::string(const liandan::Spec &)> &load);
// The loss the task allows and its class weights (by hand or balanced), applied through `load`.
void draw_loss_controls(const liandan::Snapshot &snap, const liandan::Spec &spec, const std::function<std::string(const liandan::Spec &)> &load);
