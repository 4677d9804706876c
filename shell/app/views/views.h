// One view per file, each drawing from the snapshot and a ViewContext: the spec being edited, the
// view settings and a command sink (App implements it); views never see App itself (docs/design.md,
// "Habits of the code").
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson.h"
#include "train/snapshot.h"
#include "ui/heatmap_atlas.h"

class DataFiles;
struct ViewContext;

void draw_top_bar_view(const liandan::Snapshot &snap, ViewContext &ctx, bool short_bar); // transport and the common knobs
void draw_controls_view(const liandan::Snapshot &snap, ViewContext &ctx); // data, training, display settings
// A unit of the network view under the pointer, which the output view shows large (-1: none).
struct HoveredUnit {
    int column = -1, unit = -1;
};
HoveredUnit draw_network_view(const liandan::Snapshot &snap, ViewContext &ctx);                  // features, neurons, weights
// How many times the network's weight lines were drawn into their picture (ui/cached_layer.h):
// frames that change no weight (the pointer moving, a tooltip) make none.
uint64_t network_line_pictures();
// The network panel's width that shows its columns without scrolling, as last drawn (0: not yet).
float network_view_width_needed();
void draw_output_view(const liandan::Snapshot &snap, ViewContext &ctx, HoveredUnit hovered);     // decision map, workbench, data info
void draw_curve_view(const liandan::Snapshot &snap);                                              // loss and accuracy over time
void draw_stats_view(const liandan::Snapshot &snap);                                              // gradient flow, unit health, weights
void draw_lesson_view(const liandan::Lesson &lesson, ViewContext &ctx);
void draw_status_bar_view(const liandan::Snapshot &snap, const ViewContext &ctx);                // speed, build, messages
void draw_replace_question(const liandan::Snapshot &snap, ViewContext &ctx); // Open or Cancel, when one is asked

// The views' GL textures, freed while the GL context still exists (App::release_textures).
void release_controls_view_textures();
void release_named_sets_textures();
void release_network_view_textures();
void release_output_view_textures();

// Shared by views: a "(?)" marker whose tooltip explains a control (its formula, what it means).
void help_marker(const char *text);
// The tooltip of the last item, wrapped at a readable width.
void item_tooltip(const char *text);
// Text wrapped at `width` (0: the room left in the window), breaking at spaces and between Chinese
// characters, not before closing punctuation.
void text_wrapped(std::string_view text, float width = 0);
// After SameLine: an item `width` wide that does not fit on the row starts a new one.
void wrap_before(float width);
// The next item on the same line when `width` still fits there, else on a new line.
void same_line_if_fits(float width, float spacing = -1.0f);
// The width of a button with its label (what follows "##" is not shown).
float button_width(const char *label);
// The width of a checkbox (or a radio button) with its label.
float checkbox_width(const char *label);
// Edits that apply when they end (Enter or a click elsewhere; the slider released), not at each key
// or drag step, since each applied change may start a new run; what is being edited is kept
// between frames, by control. True once, with *out the new value. Width: SetNextItemWidth before.
bool input_int_on_commit(const char *label, int value, int *out, bool steps = false);
// at_lo: the text shown at the slider's lowest value ("as is", "off"), else the format.
bool slider_on_release(const char *label, float value, float *out, float lo, float hi, const char *format = "%.2f",
                       ImGuiSliderFlags flags = 0, const char *at_lo = nullptr);
void draw_data_files_view(ViewContext &ctx);    // open a CSV / IDX file, choose the target
void draw_named_sets_view(ViewContext &ctx);    // the real data sets: a menu with samples, the fetch's progress
void draw_named_set_networks(ViewContext &ctx); // the set in use: what it teaches, its proposed networks

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
    bool show_augmented = false; // training images as train.augment moves them
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

// Settings of the views that are not part of the experiment (those that a URL carries, like
// showTestData, live in the spec's view section instead).
struct ViewSettings {
    // The data workbench: off, add points of a class, paint with a brush, erase.
    enum class Tool { none, add, brush, erase } tool = Tool::none;
    int tool_class = 1;         // class label (or regression value sign) of added points
    float brush_radius = 0.6f;  // in plane units
    int layout_scale_percent = 100; // extra scale on top of the screen's DPI
    bool output_beside = true;      // the output view shares the screen with the network (not on another tab)
    float lesson_height = 0;        // the lesson panel's content as last drawn (the layout gives it that much)
    // The page embedded in a tutorial (?embed=): only the output, or the network and the output,
    // under a slim bar (play, reset, the epoch and the losses).
    enum class Embed { none, output, network } embed = Embed::none;
    LayerStackDraft stack_draft;    // the layer stack editor's draft (images and tables)
    ImageViewsState images;         // the image views' choices and textures
    TableViewsState tables;         // the table views' threshold
};

// A named set being fetched by the page, as the data panel shows it.
struct FetchProgress {
    std::string title; // "MNIST digits"
    double loaded_mb = 0, total_mb = 0;
};

// A lesson chosen from the menu, or a link given to the address bar, that would replace the
// user's own trained run: it waits for the user's answer (draw_replace_question).
struct AskedReplacement {
    const liandan::Lesson *lesson = nullptr; // the lesson, or null for
    std::string link;                        // the link (a URL hash)
};

// What the views may ask of the app: commands on the run, edits of the spec (each goes through the
// spec's checks; "" or the refusal), data files, and notices for the status bar.
class ViewCommands {
public:
    virtual ~ViewCommands() = default;
    virtual std::string load(const liandan::Spec &spec) = 0;
    virtual std::string edit_data(const liandan::Spec &spec) = 0; // the workbench: training goes on where it can
    virtual void toggle_play() = 0;
    virtual void reset() = 0;
    virtual void step_epoch() = 0;
    virtual void set_lr(double lr) = 0;
    virtual void set_speed(double rate, liandan::SpeedUnit unit) = 0;
    virtual void set_param(size_t index, float value) = 0;
    virtual void probe(std::vector<float> features, uint64_t id) = 0;
    virtual void set_view(const liandan::ViewSpec &view) = 0; // the spec's view section: no new run
    virtual void set_message(std::string message) = 0;
    virtual void cancel_data_fetch() = 0;
    virtual void open_data_file(const std::string &path) = 0; // a path typed natively (DataFiles::open)
    virtual void set_target(const std::string &column) = 0;   // another column of the table in use
    virtual void request_open() = 0;                          // the page's file picker, or the native path field
    virtual void new_experiment() = 0;
    virtual void share_link_with_weights() = 0;
    virtual void set_language(const std::string &language) = 0; // "en" or "zh"
    virtual std::string open_lesson(const std::string &id, const std::string &variant) = 0;
    virtual void close_lesson() = 0;
    // A lesson chosen from the menu: opened, or over the user's own trained run asked about first
    // (as a link is); the question waiting, then its answer.
    virtual void choose_lesson(const liandan::Lesson &lesson) = 0;
    virtual const std::optional<AskedReplacement> &asked_replacement() const = 0;
    virtual void answer_replacement(bool open) = 0;
    virtual void download(const std::string &what) = 0;       // "spec", "weights", "experiment", "pytorch"
};

// Everything a view gets besides the snapshot, made by App::draw for each frame.
struct ViewContext {
    const liandan::Spec &spec; // the spec being edited (the last accepted)
    ViewSettings &settings;
    ViewCommands &commands;
    DataFiles &files;                                // the last file's message, a CSV's columns
    bool load_pending;                               // a load posted and not yet taken up
    const std::optional<liandan::Spec> &last_toy_spec; // for "Back to the generated sets"
    const FetchProgress *fetch;                      // a named set being fetched, or null
    const std::string &notice;                       // the status bar's message
    bool notice_is_error;
    bool notice_is_done; // it says something was done (saved, restored): the status bar's alone
    double frame_ms, build_ms;
    double paced_fps; // frames drawn a second while training at full speed (-1: not paced)
    double picture_ms; // what a drawn frame costs, the GPU's part included (FramePacer::cost_ms)
    const char *isolation; // the page: how its threads came ("headers", "service worker") or "none"; natively ""
    const liandan::Lesson *lesson; // the open lesson, or null
    const std::string &lesson_variant;
    // False for a control a URL hid with <control>_hide (TensorFlow Playground's names).
    bool shown(const char *control) const;
};

// The image views with their probes sent through the context's commands: the network view draws
// them beside the output, the output view when it is a tab of its own.
inline void draw_image_views(const liandan::Snapshot &snap, ViewContext &ctx) {
    draw_image_views(snap, ctx.settings.images, {[&](std::vector<float> f, uint64_t id) { ctx.commands.probe(std::move(f), id); }});
}

// The speed control's choices: epoch paces to watch a network learn (30 is the default), step
// paces to follow single batches, and no limit.
struct SpeedChoice {
    double rate;
    liandan::SpeedUnit unit;
};
inline constexpr SpeedChoice k_speeds[] = {{0, liandan::SpeedUnit::epochs},     {100, liandan::SpeedUnit::epochs},
                                           {30, liandan::SpeedUnit::epochs},    {10, liandan::SpeedUnit::epochs},
                                           {1, liandan::SpeedUnit::epochs},     {1000, liandan::SpeedUnit::steps},
                                           {100, liandan::SpeedUnit::steps},    {10, liandan::SpeedUnit::steps},
                                           {1, liandan::SpeedUnit::steps}};
// Where the page puts the files it is given (web/liandan.js), and the spec's files from there
// (only those missing now, if asked).
// A message as the interface shows it: "layer 1" for model.layers[0], a file's name for the
// page's /uploads/ path of it (the page API and the CLI keep the spec's names).
std::string display_message(const std::string &message);
// "full speed", "30 epochs/s", "1 step/s"
std::string speed_text(double rate, liandan::SpeedUnit unit);
// The same in the language in force (top_bar_view.cpp): what the top and status bars show.
std::string speed_shown(double rate, liandan::SpeedUnit unit);
