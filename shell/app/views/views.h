// One view per file, each drawing only from the snapshot and acting through App (docs/design.md, "Habits of the code").
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "train/snapshot.h"
#include "ui/heatmap_atlas.h"

class App;

void draw_top_bar_view(const liandan::Snapshot &snap, App &app);      // transport and the common knobs
void draw_controls_view(const liandan::Snapshot &snap, App &app);     // data, training, display settings
// A unit of the network view under the pointer, which the output view shows large (-1: none).
struct HoveredUnit {
    int column = -1, unit = -1;
};
HoveredUnit draw_network_view(const liandan::Snapshot &snap, App &app); // features, neurons, weights
void draw_output_view(const liandan::Snapshot &snap, App &app, HoveredUnit hovered); // decision map, workbench, data info
void draw_curve_view(const liandan::Snapshot &snap);                  // loss and accuracy over time
void draw_stats_view(const liandan::Snapshot &snap);                  // gradient flow, unit health, weights
void draw_status_bar_view(const liandan::Snapshot &snap, App &app);   // speed, build, messages

// The views' GL textures, freed while the GL context still exists (App::release_textures).
void release_controls_view_textures();
void release_named_sets_textures();
void release_network_view_textures();
void release_output_view_textures();

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

// What the image views keep between frames: the page of samples, the confusion cell opened, the
// image followed through the network, the drawing pad, and their textures (released with
// release_textures() before the GL context goes).
struct ImageViewsState {
    const liandan::Dataset *data = nullptr; // the data set these are for
    bool show_test = false, open_inside = false;
    int page = 0;
    uint64_t shuffle_seed = 0;
    int cell_actual = -1, cell_predicted = -1, cell_count = 0;
    int chosen_test = -1;   // the test image followed (Inside), -1 for none
    uint64_t probe_id = 0;  // of the last probe sent
    bool pad_in_use = false, pad_dirty = true;
    std::vector<float> pad, prepared; // the drawing [112 × 112] and what the network gets [28 × 28]
    struct InsideRow {
        std::string title;
        int first = 0, count = 0;
        bool image = true;
    };
    std::vector<InsideRow> inside_rows;
    uint64_t inside_version = 0;
    HeatmapAtlas samples_atlas, cell_atlas, mistakes_atlas, inside_atlas, pad_atlas, prepared_atlas;
    std::string samples_key, cell_key, mistakes_key;
    void release_textures();
    void start_over(const liandan::Dataset *for_data); // another data set: every choice back to its default
};
// What the image views ask of the app: to follow an input (normalized features) through the network.
struct ImageViewsSink {
    std::function<void(std::vector<float>, uint64_t)> probe;
};
void draw_image_views(const liandan::Snapshot &snap, ImageViewsState &st, const ImageViewsSink &sink);

// A scatter of points (xs[i], ys[i]) with an optional line through (line_x, line_y) or the diagonal
// y = x, on axes fitted to all of them; the axes' ends are labelled. Hover names the nearest point.
struct Scatter {
    const char *id;
    std::string x_label, y_label;
    std::vector<float> xs, ys;
    std::vector<ImU32> colours;
    std::vector<float> line_x, line_y;
    bool diagonal = false;
    bool fixed_unit_axes = false; // both axes 0 … 1 (ROC and precision-recall curves)
};
void draw_scatter(const Scatter &p, float side);

// Table data's views of the model's quality: for two classes the ROC and precision-recall curves
// of the test rows with a threshold that moves the confusion matrix, and the rarer class's share of
// the training rows; for a regression the residuals and RMSE and R² over training.
struct TableViewsState {
    float threshold = 0.5f;
    float auc = 0, recall = 0, precision = 0; // as last shown (the page's viewState)
};
void draw_table_views(const liandan::Snapshot &snap, const liandan::Spec &spec, TableViewsState &st,
                      const std::function<std::string(const liandan::Spec &)> &load);
