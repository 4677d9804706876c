// The functions web/liandan.js calls (through ccall) to implement window.liandan. They run on the
// page's main thread, between frames, like the buttons do. Returned strings live until the next call.
#include <algorithm>
#include <cmath>
#include <string>

#include <emscripten.h>
#include <emscripten/heap.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include "app.h"
#include "config.h"
#include "io/pytorch_export.h"
#include "i18n/tr.h"
#include "lessons_data.h"
#include "platform.h"
#include "ui/screen_keyboard.h"
#include "ui/widget_locator.h"
#include "url_hash.h"
#include "views/views.h"

extern App *g_app;

namespace {
std::string g_result; // storage for the last returned string
const char *result(std::string s) {
    g_result = std::move(s);
    return g_result.c_str();
}

// Draw commands in the last frame's lists: each is one GL draw call (a scissor or texture change
// starts a new one), and a software renderer pays for each.
int draw_calls() {
    const ImDrawData *d = ImGui::GetDrawData();
    int n = 0;
    for (int i = 0; d && i < d->CmdListsCount; ++i) n += d->CmdLists[i]->CmdBuffer.Size;
    return n;
}

// Pixels the last frame's triangles cover, counted once per triangle (what overlaps is counted
// again: a software renderer fills and blends each), the interface's cost to a software renderer;
// a picture made into a texture that frame (ui/cached_layer.h) is not counted. Each triangle is
// clipped by its command's rectangle in proportion to its bounding box.
double pixels_drawn() {
    const ImDrawData *d = ImGui::GetDrawData();
    double total = 0;
    for (int i = 0; d && i < d->CmdListsCount; ++i) {
        const ImDrawList *list = d->CmdLists[i];
        for (const ImDrawCmd &cmd : list->CmdBuffer) {
            if (cmd.UserCallback) continue;
            const ImVec4 clip = cmd.ClipRect;
            for (unsigned k = 0; k + 2 < cmd.ElemCount; k += 3) {
                const ImDrawVert &a = list->VtxBuffer[int(cmd.VtxOffset + list->IdxBuffer[int(cmd.IdxOffset + k)])];
                const ImDrawVert &b = list->VtxBuffer[int(cmd.VtxOffset + list->IdxBuffer[int(cmd.IdxOffset + k + 1)])];
                const ImDrawVert &c = list->VtxBuffer[int(cmd.VtxOffset + list->IdxBuffer[int(cmd.IdxOffset + k + 2)])];
                const double area = std::abs(double(b.pos.x - a.pos.x) * (c.pos.y - a.pos.y) - double(c.pos.x - a.pos.x) * (b.pos.y - a.pos.y)) / 2;
                const float x0 = std::min({a.pos.x, b.pos.x, c.pos.x}), x1 = std::max({a.pos.x, b.pos.x, c.pos.x});
                const float y0 = std::min({a.pos.y, b.pos.y, c.pos.y}), y1 = std::max({a.pos.y, b.pos.y, c.pos.y});
                const double box = double(x1 - x0) * (y1 - y0);
                const double inside = double(std::max(0.0f, std::min(x1, clip.z) - std::max(x0, clip.x))) * std::max(0.0f, std::min(y1, clip.w) - std::max(y0, clip.y));
                total += box > 0 ? area * inside / box : 0;
            }
        }
    }
    return total;
}

// Whether the last frame drawn showed a tooltip.
bool tooltip_shown() {
    for (const ImGuiWindow *w : GImGui->Windows)
        if ((w->Flags & ImGuiWindowFlags_Tooltip) && w->WasActive) return true;
    return false;
}
} // namespace

extern "C" {

// Loads a spec (JSON text). Returns "" on success, else the one-line refusal naming the key.
EMSCRIPTEN_KEEPALIVE const char *liandan_load(const char *spec_json) { return result(g_app->load_json(spec_json)); }

// The spec in force (JSON text, every key filled in).
EMSCRIPTEN_KEEPALIVE const char *liandan_spec() { return result(liandan::spec_to_json(g_app->spec()).dump()); }

// play | pause | reset | step (n batches) | set_lr (value). Returns "" or an error.
EMSCRIPTEN_KEEPALIVE const char *liandan_command(const char *name, double value) {
    std::string n = name;
    if (n == "play") g_app->play();
    else if (n == "pause") g_app->pause();
    else if (n == "reset") g_app->reset();
    else if (n == "step") {
        if (!(value >= 1 && value <= 1e9)) return result("step: n must be a whole number from 1 to 1e9");
        g_app->step(static_cast<int64_t>(value));
    } else if (n == "set_lr") {
        if (!(value > 0 && value <= 10)) return result("optimizer.lr: must be above 0 and at most 10");
        g_app->set_lr(value);
    } else return result("unknown command '" + n + "'");
    return result("");
}

// The latest metrics (JSON text): the CLI's metrics keys plus running, steps_per_s, run, error.
EMSCRIPTEN_KEEPALIVE const char *liandan_metrics() { return result(g_app->metrics_json().dump()); }

// Every labelled widget of the last frame (JSON array of {label, text, window, x, y, w, h, checked}),
// in canvas CSS pixels: tests click the real controls by their labels.
EMSCRIPTEN_KEEPALIVE const char *liandan_widgets() {
    nlohmann::json list = nlohmann::json::array();
    for (const WidgetRect &w : widget_locator_widgets())
        list.push_back({{"label", w.label}, {"text", w.text}, {"window", w.window}, {"x", w.x}, {"y", w.y}, {"w", w.w}, {"h", w.h}, {"checked", w.checked}});
    return result(list.dump());
}

// What the views show besides the metrics, for tests and tutorials: the network's columns
// (label and units), the frame time and its build part, the draw lists' vertices, the view settings.
EMSCRIPTEN_KEEPALIVE const char *liandan_view_state() {
    const liandan::Snapshot &snap = g_app->snapshot();
    nlohmann::json columns = nlohmann::json::array();
    if (snap.inspection)
        for (const auto &c : snap.inspection->columns) columns.push_back({{"label", c.label}, {"units", c.units}, {"dead", c.dead}, {"saturated", c.saturated}});
    const ViewSettings &v = g_app->view();
    nlohmann::json state = g_app->views_json();
    state.update(nlohmann::json{{"columns", columns},
                                 {"frame_ms", g_app->frame_ms()},
                                 {"frames_drawn", g_app->frames_drawn()},
                                 {"paced_fps", g_app->paced_fps()},
                                 {"picture_ms", g_app->picture_ms()}, // a drawn frame's cost, GPU included
                                 {"build_ms", g_app->build_ms()},
                                 {"publish_ms", snap.publish_ms},
                                 {"inspection_step", snap.inspection_step}, // the step the maps show
                                 {"sample_strips_pending", g_app->sample_strips_pending()},
                                 {"vertices", ImGui::GetDrawData() ? ImGui::GetDrawData()->TotalVtxCount : 0},
                                 {"draw_calls", draw_calls()},
                                 {"pixels_drawn", int(pixels_drawn())},
                                 {"line_pictures", network_line_pictures()},
                                 {"tooltip_shown", tooltip_shown()},
                                 {"show_test_data", g_app->spec().view.show_test_data},
                                 {"discretize", g_app->spec().view.discretize},
                                 {"tool", int(v.tool)},
                                 {"points", snap.data ? snap.data->train.n + snap.data->test.n : 0},
                                 {"message", g_app->message()},
                                 {"notice_shown", display_message(g_app->notice())}, // the status bar's words
                                 {"waiting_link", g_app->waiting_link().has_value()},
                                 {"link_asked", g_app->asked_replacement() && !g_app->asked_replacement()->lesson},
                                 {"experiment_id", snap.experiment_id},
                                 {"experiment_request", snap.experiment_request},
                                 {"loads_posted", g_app->loads_posted()},
                                 {"fonts_version", g_app->fonts_version()},
                                 {"language", ui_language()},
                                 {"missing_glyphs", g_app->missing_glyphs()},
                                 {"lesson", g_app->lesson() ? g_app->lesson()->id : ""},
                                 {"lesson_variant", g_app->lesson() ? g_app->lesson_variant() : ""},
                                 {"heap_used_mb", platform_heap_in_use_mb()},
                                 {"heap_size_mb", double(emscripten_get_heap_size()) / (1024.0 * 1024.0)}});
    return result(state.dump());
}

// Opens a data file the page wrote into the wasm file system. Returns JSON
// {"status": "loaded" | "waiting" | "error", "message": ...}; "loaded" means a load was posted.
EMSCRIPTEN_KEEPALIVE const char *liandan_open_file(const char *path) {
    DataFiles::Result r = g_app->data_files().open(path, *g_app);
    return result(nlohmann::json{{"status", status_name(r.status)}, {"message", r.message}}.dump());
}

// Makes a column of the CSV in use the target; the same JSON as liandan_open_file.
EMSCRIPTEN_KEEPALIVE const char *liandan_set_target(const char *column) {
    DataFiles::Result r = g_app->data_files().set_target(column, *g_app);
    return result(nlohmann::json{{"status", status_name(r.status)}, {"message", r.message}}.dump());
}

// Loads the experiment of a URL hash (with or without '#'). Returns "" or the refusal naming the key.
EMSCRIPTEN_KEEPALIVE const char *liandan_load_url(const char *hash) { return result(g_app->load_url(hash)); }

// The same for a link the address bar was given (hashchange): over the user's own trained run it
// asks first (App::link_arrived; viewState()'s link_asked until answered). "" or the refusal.
EMSCRIPTEN_KEEPALIVE const char *liandan_link_arrived(const char *hash) { return result(g_app->link_arrived(hash)); }

// The shareable hash of the spec in force, without '#'.
EMSCRIPTEN_KEEPALIVE const char *liandan_url() { return result(g_app->url()); }

// The same with the trained weights (weights=): JSON {"url"} or {"error"} for a network too big.
EMSCRIPTEN_KEEPALIVE const char *liandan_url_with_weights() {
    std::string error;
    const std::string url = g_app->url(true, &error);
    return result(error.empty() ? nlohmann::json{{"url", url}}.dump() : nlohmann::json{{"error", error}}.dump());
}

// The lessons (core/lesson.h) as JSON [{id, title, variants: [{name, label}]}], and the one open.
EMSCRIPTEN_KEEPALIVE const char *liandan_lessons() {
    nlohmann::json list = nlohmann::json::array();
    for (const liandan::Lesson &l : app_lessons()) {
        nlohmann::json variants = nlohmann::json::array();
        for (const auto &v : l.variants) variants.push_back({{"name", v.name}, {"label", v.label.en}});
        list.push_back({{"id", l.id}, {"title", l.title.en}, {"variants", variants}});
    }
    return result(list.dump());
}
// Opens a lesson (variant "" = its first): "" or the refusal.
EMSCRIPTEN_KEEPALIVE const char *liandan_open_lesson(const char *id, const char *variant) { return result(g_app->open_lesson(id, variant)); }

// web/data-fetch.js reports on a fetch that App::submit started (platform_fetch_data).
EMSCRIPTEN_KEEPALIVE void liandan_data_progress(int id, double loaded_mb, double total_mb) {
    g_app->data_fetch_progress(id, loaded_mb, total_mb);
}
EMSCRIPTEN_KEEPALIVE void liandan_data_fetched(int id, const char *error) { g_app->data_fetched(id, error); }

// The experiment file (train/experiment_file.h): ask for one, then read it once viewState()'s
// experiment_request reaches the number returned. weights: only the model's tensors.
EMSCRIPTEN_KEEPALIVE double liandan_request_experiment() { return double(g_app->request_experiment()); }
namespace {
std::string g_bytes; // the last file handed out: liandan_file_data() points into it
}
EMSCRIPTEN_KEEPALIVE const char *liandan_take_experiment(int weights) {
    const auto &file = g_app->snapshot().saved_experiment; // the file the request asked for
    if (!file) return result("no experiment file has been made yet");
    try {
        g_bytes = weights ? liandan::weights_of_experiment(liandan::SafetensorsFile(*file, "experiment")) : *file;
    } catch (const liandan::Error &e) {
        return result(e.what());
    }
    return result("");
}
EMSCRIPTEN_KEEPALIVE const char *liandan_file_data() { return g_bytes.data(); }
EMSCRIPTEN_KEEPALIVE double liandan_file_size() { return double(g_bytes.size()); }

// The Python file of an export to PyTorch (io/pytorch_export.h), or "" before the run has data.
EMSCRIPTEN_KEEPALIVE const char *liandan_export_pytorch() {
    const liandan::Snapshot &snap = g_app->snapshot();
    return result(snap.data ? liandan::pytorch_module(snap.spec, *snap.data) : "");
}

EMSCRIPTEN_KEEPALIVE void liandan_new_experiment() { g_app->new_experiment(); }
EMSCRIPTEN_KEEPALIVE void liandan_download(const char *what) { g_app->download(what); }
// web/liandan.js fetched the interface's texts in a language (Module.fetchCatalog): "" when it could not.
EMSCRIPTEN_KEEPALIVE void liandan_catalog_arrived(const char *language, const char *json, const char *messages_json) {
    g_app->catalog_arrived(language, json, messages_json);
}

// web/liandan.js wrote a font file the first frame went without (/fonts/cjk.ttf).
EMSCRIPTEN_KEEPALIVE void liandan_fonts_arrived() { g_app->fonts_arrived(); }

// web/screen-keyboard.js: the phone's keyboard replaced characters [start, end) of the hidden
// input's copy of the active text field with `text`.
EMSCRIPTEN_KEEPALIVE void liandan_text_edit(int start, int end, const char *text) { replace_in_active_field(start, end, text); }

// web/keep.js could not keep the experiment (said once in the app).
EMSCRIPTEN_KEEPALIVE void liandan_storage_failed(const char *why) { g_app->storage_failed(why); }

// Which build is running: SIMD path and threading.
EMSCRIPTEN_KEEPALIVE const char *liandan_build_info() {
    return result(nlohmann::json{{"simd", LIANDAN_SIMD_NAME}, {"threads", bool(LIANDAN_THREADS)}}.dump());
}

} // extern "C"
