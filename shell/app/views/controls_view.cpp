// The experiment panel: the data (toy sets as thumbnails, noise, split, batch size, the points
// workbench), training (optimizer, schedule, stop rules, speed), initialization, and display
// settings. Every edit of the spec goes through App::load, so it gets the same checks as a file.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <imgui.h>

#include "data_files.h"
#include "data/catalog.h"
#include "data/toy.h"
#include "edit/net_design.h"
#include "edit/points.h"
#include "platform.h"
#include "ui/screen_keyboard.h"
#include "ui/heatmap_atlas.h"
#include "views/palette.h"
#include "ui/widget_locator.h"
#include "i18n/tr.h"
#include "views/views.h"

namespace {

// Natively a path on disk; on the web a file of the page's virtual file system (uploads go there).
std::string read_text_file(const std::string &path, std::string &text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return msgf("{0}: cannot be opened", {path});
    std::stringstream s;
    s << in.rdbuf();
    text = s.str();
    return "";
}

// A combo over one of the spec's name tables (spec.h): the names it lists are the spec's own.
template <class E> bool choice_combo(const char *label, E *value, std::span<const liandan::Named<E>> choices) {
    const char *current = "?";
    for (const auto &c : choices)
        if (c.value == *value) current = c.name;
    bool changed = false;
    if (begin_combo(label, current)) {
        for (const auto &c : choices)
            if (ImGui::Selectable(c.name, c.value == *value) && c.value != *value) *value = c.value, changed = true;
        ImGui::EndCombo();
    }
    return changed;
}

bool section(const char *title, bool open = true) {
    ImGui::Spacing();
    return ImGui::CollapsingHeader(title, open ? ImGuiTreeNodeFlags_DefaultOpen : 0);
}

// A small picture of every toy set (its points), rasterized once into a texture tile: drawn as
// shapes, the thumbnails would be most of the frame's vertices.
struct Thumbnails {
    HeatmapAtlas atlas;
    std::map<std::pair<std::string, int>, int> tile; // (shape, classes) -> tile
    palette::Scheme scheme = palette::Scheme::playground;
};
Thumbnails g_thumbs;

void draw_thumbnail(ImDrawList *dl, const std::string &shape, int classes, ImVec2 a, float side) {
    constexpr int px = 64;
    if (g_thumbs.scheme != palette::scheme()) g_thumbs.tile.clear(), g_thumbs.scheme = palette::scheme();
    const auto key = std::make_pair(shape, classes);
    if (!g_thumbs.tile.count(key)) {
        // Every shape and class count a user can pick fits: 10 shapes × up to 7 class counts.
        if (g_thumbs.atlas.count() == 0) g_thumbs.atlas.reshape(px, 80);
        if (g_thumbs.tile.size() >= 80) g_thumbs.tile.clear();
        liandan::ToySpec t;
        t.shape = shape;
        t.n = 200;
        t.noise = 0.1;
        t.classes = liandan::toy_info(shape).k_classes ? classes : liandan::toy_info(shape).classes;
        const liandan::ToyPoints p = liandan::make_toy(t);
        const bool regression = liandan::toy_info(shape).task == liandan::Task::regression;
        const int k = liandan::toy_info(shape).k_classes ? classes : 2;
        std::vector<uint32_t> pixels(size_t(px) * px, IM_COL32(255, 255, 255, 255));
        for (size_t i = 0; i < p.label.size(); ++i) {
            const int cx = int((p.xy[2 * i] / liandan::k_toy_extent * 0.5f + 0.5f) * (px - 1));
            const int cy = int((0.5f - p.xy[2 * i + 1] / liandan::k_toy_extent * 0.5f) * (px - 1));
            const ImU32 col = regression ? palette::diverging(0.5f + 0.5f * p.label[i]) : palette::category(int(p.label[i]), k);
            for (int dy = -1; dy <= 1; ++dy) // a plus-shaped dot of 5 pixels
                for (int dx = -1; dx <= 1; ++dx)
                    if ((dx == 0 || dy == 0) && cx + dx >= 0 && cx + dx < px && cy + dy >= 0 && cy + dy < px)
                        pixels[size_t(cy + dy) * px + size_t(cx + dx)] = col;
        }
        const int index = int(g_thumbs.tile.size());
        g_thumbs.tile[key] = index;
        g_thumbs.atlas.set_tile(index, pixels.data());
        g_thumbs.atlas.upload();
    }
    g_thumbs.atlas.draw(dl, g_thumbs.tile[key], a, {a.x + side, a.y + side});
}

void data_set_picker(liandan::Spec &spec, bool &changed) {
    const bool regression_now = liandan::toy_info(spec.data.toy.shape).task == liandan::Task::regression;
    const float side = std::floor((ImGui::GetContentRegionAvail().x - 3 * ImGui::GetStyle().ItemSpacing.x) / 4);
    int shown = 0;
    for (const std::string &shape : liandan::toy_shape_names()) {
        if ((liandan::toy_info(shape).task == liandan::Task::regression) != regression_now) continue;
        if (shown++ % 4) ImGui::SameLine();
        ImVec2 a = ImGui::GetCursorScreenPos();
        ImGui::BeginGroup();
        const bool selected = shape == spec.data.toy.shape;
        if (ImGui::Selectable(("##" + shape).c_str(), selected, 0, {side, side})) {
            // A set's own class count, unless both sets take any (k-class spirals and blobs).
            const liandan::ToyInfo &from = liandan::toy_info(spec.data.toy.shape), &to = liandan::toy_info(shape);
            if (!(from.k_classes && to.k_classes)) spec.data.toy.classes = to.classes;
            spec.data.toy.shape = shape;
            liandan::fit_output_to_data(spec);
            changed = true;
        }
        widget_locator_name_last_item(shape.c_str());
        item_tooltip(trf("{0} ({1})", {tr(liandan::toy_info(shape).title), shape}).c_str());
        ImDrawList *dl = ImGui::GetWindowDrawList();
        draw_thumbnail(dl, shape, std::max(3, spec.data.toy.classes), {a.x + 2, a.y + 2}, side - 4);
        if (selected) dl->AddRect(a, {a.x + side, a.y + side}, IM_COL32(40, 40, 40, 255), 0, 0, 2.5f);
        ImGui::EndGroup();
    }
    ImGui::TextDisabled("%s (%s)", tr(liandan::toy_info(spec.data.toy.shape).title), spec.data.toy.shape.c_str());
}

void data_controls(const liandan::Snapshot &snap, ViewContext &ctx) {
    liandan::Spec spec = ctx.spec;
    bool changed = false;
    const bool toy = spec.data.source == liandan::DataSource::toy, points = spec.data.source == liandan::DataSource::points;
    if (toy) {
        if (ctx.shown("dataset")) data_set_picker(spec, changed);
        const liandan::ToyInfo &info = liandan::toy_info(spec.data.toy.shape);
        if (info.k_classes && ImGui::SliderInt(trl("Classes"), &spec.data.toy.classes, info.classes, 8)) {
            liandan::fit_output_to_data(spec);
            changed = true;
        }
        float noise = float(spec.data.toy.noise) * 100;
        if (ctx.shown("noise") && ImGui::SliderFloat(trl("Noise"), &noise, 0, 50, "%.0f")) {
            spec.data.toy.noise = noise / 100;
            changed = true;
        }
        item_tooltip("How far points stray from their set's shape, in percent (TensorFlow Playground's scale).");
        if (ImGui::SliderInt(trl("Points"), &spec.data.toy.n, 50, 5000, "%d", ImGuiSliderFlags_Logarithmic)) changed = true;
        item_tooltip("Points generated, training and test together.");
    } else {
        const liandan::NamedSet *set = liandan::named_set(spec.data.source);
        const bool in_force = !ctx.load_pending && snap.spec.data.source == spec.data.source;
        if (points) ImGui::Text(tr("Your own points: %zu"), spec.data.points.size() / 3);
        else if (!in_force) text_wrapped(trf("Preparing {0}…", {set ? tr(set->title) : tr("the data")}));
        else {
            const std::string title = set ? tr(set->title) : liandan::data_source_name(spec.data.source);
            const std::string train = std::to_string(snap.data->train.n), test = std::to_string(snap.data->test.n);
            text_wrapped(snap.data->sample_shape.size() > 1 ? trf("{0}: {1} training images, {2} test", {title, train, test})
                                                            : trf("{0}: {1} training rows, {2} test", {title, train, test}));
        }
        if (ctx.shown("dataset") && ImGui::Button(trl("Back to the generated sets"))) {
            ctx.files.clear_message();
            if (ctx.last_toy_spec && !points) { // the toy experiment as it was left
                ctx.commands.load(*ctx.last_toy_spec);
                return;
            }
            liandan::back_to_toy_data(spec);
            changed = true;
        }
        item_tooltip(points ? tr("The plane's generated sets again (your points are gone unless exported).")
                            : tr("The toy experiment that was in force before, or the plane's generated sets with the plane's features."));
        if (set) draw_named_set_networks(ctx);
    }
    if (liandan::has_official_test_split(spec.data)) {
        ImGui::TextDisabled("%s", tr("The set's own test split is used."));
    } else if (ctx.shown("percTrainData")) {
        int train_pct = int(std::lround((1 - spec.data.test_fraction) * 100));
        if (ImGui::SliderInt(trl("Training data"), &train_pct, 10, 100, "%d%%")) {
            spec.data.test_fraction = std::min(0.9, 1 - train_pct / 100.0);
            spec.data.test_fraction_set = true;
            changed = true;
        }
        item_tooltip("The share of rows used for training; the rest is test data, never trained on.");
    }
    if (ctx.shown("batchSize") && ImGui::SliderInt(trl("Batch size"), &spec.train.batch_size, 1, 256, "%d", ImGuiSliderFlags_Logarithmic)) changed = true;
    item_tooltip("Rows per gradient step: the gradient is the mean over the batch, ∂L/∂w = (1/B)·Σ ∂ℓᵢ/∂w.");
    if (toy) {
        if (ImGui::Button(trl("Regenerate"))) {
            ++spec.data.toy.seed;
            changed = true;
        }
        item_tooltip("Draw new points from the same set (a new data seed).");
    }
    if (changed) ctx.commands.load(spec);
}

void workbench_controls(const liandan::Snapshot &snap, ViewContext &ctx) {
    ViewSettings &v = ctx.settings;
    const char *tools[] = {trl("Off"), trl("Add"), trl("Brush"), trl("Erase")};
    int tool = int(v.tool);
    ImGui::TextUnformatted(tr("Tool"));
    for (int t = 0; t < 4; ++t) {
        same_line_if_fits(checkbox_width(tools[t])); // a radio button is as wide as a checkbox
        if (ImGui::RadioButton(tools[t], tool == t)) v.tool = ViewSettings::Tool(t);
    }
    item_tooltip("Edit the data on the output map: Add puts one point per click, Brush paints points while the "
                 "button is held, Erase removes points under the brush. The first edit turns the set into your own points.");
    const bool regression = snap.task == liandan::Task::regression;
    if (regression) {
        const std::string minus = std::string("-1 (") + palette::negative_name() + ")", plus = std::string("+1 (") + palette::positive_name() + ")";
        const char *signs[] = {minus.c_str(), plus.c_str()};
        combo(trl("Value"), &v.tool_class, signs, 2);
    } else {
        const int k = std::max(2, snap.data->n_classes);
        for (int c = 0; c < std::min(k + 1, 16); ++c) {
            // Shown translated, named (and identified) by the English: "类别 1###Class 1".
            const std::string english = c < k ? "Class " + std::to_string(c) : "new";
            const std::string shown = c < k ? trf("Class {0}", {std::to_string(c)}) : tr("new");
            const std::string label = shown == english ? english : shown + "###" + english;
            if (c) same_line_if_fits(checkbox_width(label.c_str()));
            ImGui::PushID(c);
            ImGui::PushStyleColor(ImGuiCol_CheckMark, palette::category(c, std::max(k, c + 1)));
            if (ImGui::RadioButton(label.c_str(), v.tool_class == c)) v.tool_class = c;
            ImGui::PopStyleColor();
            ImGui::PopID();
        }
    }
    ImGui::SliderFloat(trl("Brush radius"), &v.brush_radius, 0.1f, 2.0f, "%.1f");
    static char path[256] = "liandan-points.csv";
    if (ImGui::Button(trl("Export CSV"))) {
        std::string err = platform_save_file(path, liandan::points_csv(*snap.data), "text/csv");
        ctx.commands.set_message(err.empty() ? msgf("Exported the points to {0}", {path}) : err);
    }
    item_tooltip("The points (train and test) as CSV: x, y, label.");
    ImGui::SameLine();
    // On the web the page's file picker (an x,y,label file goes through Open data file's
    // detection and becomes your points); natively the file named in the path field.
    if (ImGui::Button(trl("Load CSV")) && !platform_open_file_picker()) {
        std::string text, err = read_text_file(path, text);
        if (err.empty()) {
            liandan::Spec spec = ctx.spec;
            err = liandan::load_points_csv(spec, text, path);
            if (err.empty()) err = ctx.commands.load(spec);
        }
        ctx.commands.set_message(err.empty() ? msgf("Loaded points from {0}", {path}) : err);
    }
    item_tooltip("Loads a CSV with a header and the columns x, y and a label (or value) as your own points.");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##points file", path, sizeof path);
}

void training_controls(const liandan::Snapshot &snap, ViewContext &ctx) {
    liandan::Spec spec = ctx.spec;
    auto &o = spec.optimizer;
    bool changed = false;
    std::string note; // what changed besides the optimizer, said once it is loaded
    if (choice_combo(trl("Optimizer"), &o.type, liandan::optimizer_choices())) {
        // Each optimizer starts from its usual rate (adam at sgd's 0.03 often diverges on these sets).
        const double was = o.lr;
        o.lr = o.type == liandan::OptimizerType::sgd ? 0.03 : o.type == liandan::OptimizerType::rmsprop ? 0.01 : 0.001;
        o.weight_decay = o.type == liandan::OptimizerType::adamw ? 0.01 : o.weight_decay;
        auto number = [](double x) {
            char text[32];
            std::snprintf(text, sizeof text, "%g", x);
            return std::string(text);
        };
        if (o.lr != was)
            note = msgf("Learning rate set to {0} for {1}, its usual starting value (was {2}).",
                        {number(o.lr), liandan::optimizer_name(o.type), number(was)});
        changed = true;
    }
    item_tooltip("sgd: w ← w − η·g (with momentum: v ← μ·v + g, w ← w − η·v).\n"
                 "adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η·m̂/(√v̂ + ε).\n"
                 "adamw: adam with decoupled weight decay w ← w − η·λ·w.\n"
                 "rmsprop: v ← αv + (1−α)g², w ← w − η·g/(√v + ε). PyTorch's formulas and defaults.");
    if (o.type == liandan::OptimizerType::sgd || o.type == liandan::OptimizerType::rmsprop) {
        float momentum = float(o.momentum);
        if (ImGui::SliderFloat(trl("Momentum"), &momentum, 0, 0.99f, "%.2f")) {
            o.momentum = momentum;
            changed = true;
        }
        item_tooltip("μ: how much of the previous step carries over (0 = none, 0.9 is common).");
        if (o.type == liandan::OptimizerType::sgd && ImGui::Checkbox(trl("Nesterov"), &o.nesterov)) changed = true;
    }
    if (choice_combo(trl("LR schedule"), &o.schedule.type, liandan::schedule_choices())) {
        if (o.schedule.type == liandan::ScheduleType::exponential) o.schedule.gamma = 0.99;
        changed = true;
    }
    item_tooltip("How η changes over epochs e: step: η·γ^⌊e/s⌋; exponential: η·γ^e; cosine: from η down to the "
                 "floor along half a cosine over T epochs.");
    if (o.schedule.type == liandan::ScheduleType::step) changed |= ImGui::SliderInt(trl("Step every"), &o.schedule.step_size, 1, 200);
    if (o.schedule.type == liandan::ScheduleType::step || o.schedule.type == liandan::ScheduleType::exponential) {
        float gamma = float(o.schedule.gamma);
        if (ImGui::SliderFloat(trl("Gamma"), &gamma, 0.01f, 1.0f, "%.3f")) {
            o.schedule.gamma = gamma;
            changed = true;
        }
    }
    changed |= ImGui::SliderInt(trl("Warmup steps"), &o.schedule.warmup_steps, 0, 1000);
    item_tooltip("η rises linearly from η/n to η over the first n steps.");
    float clip = float(o.clip_norm);
    if (ImGui::SliderFloat(trl("Clip grad norm"), &clip, 0, 10, clip > 0 ? "%.2f" : tr("off"))) {
        o.clip_norm = clip;
        changed = true;
    }
    item_tooltip("Clipping of the gradient by its norm (PyTorch's clip_grad_norm_): if ‖g‖ > c, the whole gradient is "
                 "scaled to length c before the step.");

    // Images only: on rows of features the trainer refuses it (core/data/augment.h). The network's
    // input as the trainer takes it: model.input, else the data's rows.
    const std::vector<int> &input = spec.model.input.empty() && snap.data ? snap.data->sample_shape : spec.model.input;
    if (input.size() == 3) {
        ImGui::Spacing();
        ImGui::TextDisabled("%s", tr("Augmentation"));
        auto &a = spec.train.augment;
        changed |= ImGui::SliderInt(trl("Shift images"), &a.shift, 0, 4, a.shift > 0 ? tr("up to %d px") : tr("off"));
        item_tooltip("Each training image moves by up to this many pixels across and up or down, a new move each time it "
                     "comes round (the uncovered edge is blank). The net sees more than the same few thousand images and "
                     "learns shapes rather than positions; the test images never move.");
        changed |= ImGui::Checkbox(trl("Mirror images"), &a.flip);
        item_tooltip("Half the training images, drawn anew each time, are mirrored left to right: it suits clothes, which "
                     "look alike mirrored, not digits, where a mirrored 2 is no digit.");
    }

    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("Stop rules"));
    const int epoch_step = 10, epoch_step_fast = 100;
    changed |= ImGui::InputScalar(trl("Epochs"), ImGuiDataType_S32, &spec.train.epochs, &epoch_step, &epoch_step_fast,
                                  spec.train.epochs > 0 ? "%d" : tr("off"), ImGuiInputTextFlags_EnterReturnsTrue);
    mark_numeric_field();
    spec.train.epochs = std::max(0, spec.train.epochs);
    item_tooltip("Training pauses after this many epochs (0 = off: it goes on until paused).");
    float target = float(spec.train.target_loss);
    if (ImGui::InputFloat(trl("Target loss"), &target, 0, 0, target > 0 ? "%.4f" : tr("off"), ImGuiInputTextFlags_EnterReturnsTrue)) {
        spec.train.target_loss = std::max(0.0f, target);
        changed = true;
    }
    mark_numeric_field();
    item_tooltip("Training pauses once the training loss is at or below this (0 = off).");

    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("Initialization"));
    if (choice_combo(trl("Init scheme"), &spec.init.scheme, liandan::init_choices())) {
        changed = true;
    }
    item_tooltip("Initial weights: he N(0, 2/fan_in), xavier U(±√(6/(fan_in+fan_out))), lecun N(0, 1/fan_in), "
                 "normal N(0, 0.01²), zeros (every unit stays the same: symmetry is never broken).");
    int seed = int(spec.init.seed);
    if (ImGui::InputInt(trl("Init seed"), &seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue)) {
        spec.init.seed = uint64_t(std::max(0, seed));
        changed = true;
    }
    mark_numeric_field();
    item_tooltip("Same seed, same initial weights: try a few to see how much a run depends on its luck.");
    if (changed && ctx.commands.load(spec).empty() && !note.empty()) ctx.commands.set_message(note);
}

void display_controls(ViewContext &ctx) {
    int scheme = int(palette::scheme());
    const char *names[] = {palette::scheme_name(palette::Scheme::playground), palette::scheme_name(palette::Scheme::colour_blind)};
    if (combo(trl("Colours"), &scheme, names, 2)) palette::set_scheme(palette::Scheme(scheme));
    item_tooltip("Orange/blue is TensorFlow Playground's. Navy/gold differs in lightness too, so negative and positive "
                 "stay apart with any colour vision and in greyscale.");
    ImGui::SliderInt(trl("UI scale"), &ctx.settings.layout_scale_percent, 75, 200, "%d%%");
    item_tooltip("On top of the screen's own scale (high-DPI screens are detected).");
    liandan::ViewSpec v = ctx.spec.view;
    bool explain = !v.hide_text;
    if (ImGui::Checkbox(trl("Explanations"), &explain)) {
        v.hide_text = !explain;
        ctx.commands.set_view(v);
    }
    item_tooltip("The formulas and meanings shown when the mouse rests on a control, and the (?) marks. "
                 "A tutorial that explains the playground itself can turn them off (hideText=true in the URL).");
}

} // namespace

void release_controls_view_textures() {
    g_thumbs.atlas.release();
    g_thumbs.tile.clear();
}

void draw_controls_view(const liandan::Snapshot &snap, ViewContext &ctx) {
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.52f); // the rest is for the labels
    if (section(trl("Data"))) {
        data_controls(snap, ctx);
        if (ctx.shown("dataset")) draw_named_sets_view(ctx);
        draw_data_files_view(ctx);
    }
    if ((ctx.spec.data.source == liandan::DataSource::toy || ctx.spec.data.source == liandan::DataSource::points) &&
        section(trl("Edit the data"), false))
        workbench_controls(snap, ctx);
    if (section(trl("Training"))) {
        if (!ctx.load_pending) draw_loss_controls(snap, ctx.spec, [&](const liandan::Spec &s) { return ctx.commands.load(s); });
        training_controls(snap, ctx);
    }
    if (section(trl("Display"), false)) display_controls(ctx);
    ImGui::PopItemWidth();
}
