// The Liandan app, one main for native and web: window, GL context and ImGui set-up, then the
// frame body handed to platform_run (a loop natively, the browser's animation frames on the web).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include "app.h"
#include "frame_pacer.h"
#include "gpu_fence.h"
#include "i18n/tr.h"
#include "data/catalog.h"
#include "options.h"
#include "platform.h"
#include "screenshot.h"
#include "ui/cached_layer.h"
#include "ui/driver.h"
#include "ui/input_queue.h"
#include "ui/screen_keyboard.h"
#include "ui/touch_input.h"
#include "ui/widget_locator.h"
#include "ui_cjk_ranges.h"
#include "ui_glyph_ranges.h"
#include "url_hash.h"

// A big network's window holds more vertices than 16-bit indices reach (cmake/dependencies.cmake).
static_assert(sizeof(ImDrawIdx) == 4, "ImGui must be built with 32-bit draw indices");

App *g_app = nullptr; // for the page API (web_api.cpp); the app lives as long as the program

namespace {

liandan::Spec initial_spec(const AppOptions &o) {
    if (o.spec_path.empty()) return default_experiment();
    std::ifstream in(o.spec_path);
    if (!in) throw liandan::Error(o.spec_path, "cannot be opened");
    std::stringstream text;
    text << in.rdbuf();
    return liandan::parse_spec_text(text.str(), o.spec_path);
}

// Text is rasterized at the screen's real pixel density (crisp on high-DPI screens) and laid out
// in logical pixels; ui_scale enlarges everything (the screen's DPI times the user's choice).
void load_fonts(float ui_scale, float framebuffer_scale) {
    ImGuiIO &io = ImGui::GetIO();
    io.Fonts->Clear();
    const float px = 15.0f * ui_scale * framebuffer_scale;
    if (FILE *f = std::fopen(platform_font_path(), "rb")) {
        std::fclose(f);
        io.Fonts->AddFontFromFileTTF(platform_font_path(), px, nullptr, ui_glyph_ranges());
        if (FILE *cjk = std::fopen(platform_cjk_font_path(), "rb")) { // Chinese glyphs into the same font
            std::fclose(cjk);
            ImFontConfig merge;
            merge.MergeMode = true;
            io.Fonts->AddFontFromFileTTF(platform_cjk_font_path(), px, &merge, ui_cjk_ranges());
        }
    } else {
        ImFontConfig config;
        config.SizePixels = px;
        io.Fonts->AddFontDefault(&config); // the font package is missing: ImGui's built-in font still reads
    }
    io.FontGlobalScale = 1.0f / framebuffer_scale;
}

void apply_style(float ui_scale) {
    ImGuiStyle s;
    ImGui::StyleColorsLight(&s);
    s.WindowRounding = 4;
    s.FrameRounding = 3;
    s.WindowBorderSize = 1;
    s.Colors[ImGuiCol_WindowBg] = ImVec4(0.98f, 0.98f, 0.98f, 1);
    s.ScaleAllSizes(ui_scale);
    ImGui::GetStyle() = s;
}

// The screen's scale: high-DPI framebuffers (drawable larger than the window) and displays that
// report more than 96 dots per inch.
struct Scale {
    float ui = 1, framebuffer = 1;
    bool operator!=(const Scale &o) const { return ui != o.ui || framebuffer != o.framebuffer; }
};

Scale screen_scale(SDL_Window *window, int user_percent) {
    int w = 0, h = 0, dw = 0, dh = 0;
    SDL_GetWindowSize(window, &w, &h);
    SDL_GL_GetDrawableSize(window, &dw, &dh);
    float ddpi = 0;
    Scale s;
    s.framebuffer = w > 0 ? std::clamp(float(dw) / float(w), 1.0f, 4.0f) : 1.0f;
    float dpi = SDL_GetDisplayDPI(SDL_GetWindowDisplayIndex(window), &ddpi, nullptr, nullptr) == 0 && ddpi > 0 ? ddpi / 96.0f : 1.0f;
    if (s.framebuffer > 1) dpi = 1; // the framebuffer already carries the density
    s.ui = std::round(std::clamp(dpi, 1.0f, 3.0f) * float(user_percent) / 100.0f * 20) / 20; // steps of 5%
    return s;
}

void handle_shortcut(const SDL_Event &e, App &app) {
    if (e.type != SDL_KEYDOWN || e.key.repeat || ImGui::GetIO().WantTextInput) return;
    switch (e.key.keysym.sym) {
    case SDLK_SPACE: app.toggle_play(); break;
    case SDLK_s: app.step_epoch(); break;
    case SDLK_r: app.reset(); break;
    case SDLK_o: app.data_files().request_open(); break;
    default: break;
    }
}

// The experiment the app opens with: the spec file's or the default, or the URL's; a link to files
// the page no longer has, or to a named set it has yet to fetch, is loaded once the app runs.
struct Start {
    liandan::Spec spec;
    LinkKeys link;                     // a link's own keys: lesson= (opened, or shown beside the link's experiment), weights=
    std::string kept_path;             // the experiment kept from the last visit, restored
    std::shared_ptr<const liandan::SavedExperiment> kept;
    std::string kept_error;            // ... or why it could not be
    std::string url_error;                    // a refused URL, shown in the app
    std::optional<liandan::Spec> waiting_link; // a link to files the page was given where it was made
    std::optional<liandan::Spec> fetch_first;  // a link to a named set the page has yet to fetch
};

// The kept experiment is restored when the app is opened without another: no spec file or data
// files, and no link or the link of the kept experiment itself (a reload keeps the URL in step).
bool restore_kept(const AppOptions &opt, Start &s) {
    if (!opt.spec_path.empty() || !opt.data_paths.empty() || (s.kept_path = platform_kept_experiment_path()).empty()) return false;
    try {
        s.kept = std::make_shared<const liandan::SavedExperiment>(liandan::read_experiment(
            std::make_shared<const liandan::SafetensorsFile>(liandan::read_file_bytes(s.kept_path, size_t(1) << 30), s.kept_path)));
        if (opt.url.empty()) return true;
        const liandan::Lesson *lesson = find_lesson(s.link.id);
        const liandan::Spec linked = lesson && s.link.rest.empty() ? lesson->spec(s.link.variant) : liandan::spec_from_url_hash(s.link.rest);
        return liandan::url_hash_from_spec(linked) == liandan::url_hash_from_spec(s.kept->spec);
    } catch (const liandan::Error &e) {
        s.kept_error = msgf("The experiment kept from your last visit could not be restored: {0}", {e.what()});
        return false;
    }
}

Start experiment_at_start(const AppOptions &opt, bool keep) {
    Start s;
    s.spec = initial_spec(opt); // throws for a bad spec file: refused before any window opens
    s.link = link_keys(opt.url);
    if (keep && restore_kept(opt, s)) return s;
    s.kept.reset();
    if (!s.link.id.empty() && s.link.rest.empty()) return s; // the app opens the lesson (and fetches its data)
    // A refused URL is shown in the app, which opens with its default experiment: the page's
    // address bar may hold anything, and the user should see what was wrong with it.
    if (!opt.url.empty()) {
        try {
            liandan::Spec linked = liandan::spec_from_url_hash(s.link.rest);
            if (!uploads_of(linked, true).empty()) s.waiting_link = std::move(linked);
            else if (!liandan::missing_data_root_files(linked.data).empty()) s.fetch_first = std::move(linked);
            else s.spec = std::move(linked);
        } catch (const liandan::Error &e) {
            s.url_error = msgf("URL {0}", {e.what()});
        }
    }
    return s;
}

struct Window {
    SDL_Window *window = nullptr;
    SDL_GLContext context = nullptr;
};

// SDL, a window and a GL context of the platform's flavour; nothing and a message on stderr if not.
std::optional<Window> open_window(const AppOptions &opt) {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "liandan: error: SDL_Init: %s\n", SDL_GetError());
        return std::nullopt;
    }
    const GlVersion gl = platform_gl_version();
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, gl.profile);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, gl.major);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, gl.minor);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0); // ImGui draws without depth tests: no depth buffer to clear and keep
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    Window w;
    w.window = SDL_CreateWindow("Liandan", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, opt.width, opt.height,
                                SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!w.window) {
        std::fprintf(stderr, "liandan: error: cannot open a window: %s\n", SDL_GetError());
        return std::nullopt;
    }
    w.context = SDL_GL_CreateContext(w.window);
    if (!w.context) {
        std::fprintf(stderr, "liandan: error: cannot create an OpenGL %d.%d context: %s\n", gl.major, gl.minor, SDL_GetError());
        return std::nullopt;
    }
    SDL_GL_MakeCurrent(w.window, w.context);
    SDL_GL_SetSwapInterval(1);
    return w;
}

// One frame: the driver's step, events, training's share (single-threaded), the views, the GL
// draw, and a screenshot when one is due. Returns false when the app should end.
struct FrameLoop {
    const AppOptions &opt;
    SDL_Window *window;
    App &app;
    Driver &driver;
    InputQueue input;
    TouchInput touch;
    ScreenKeyboard keyboard;
    Scale scale;
    int frame = 0, exit_code = 0;
    uint64_t drawn_changes = 0; // App::changes() at the last frame drawn
    int64_t drawn_steps = 0;    // and the snapshot's steps_now
    int settle_frames = 0;      // frames still drawn after the last change (hover, popups settle)
    bool had_events = false;
    double tooltip_due_ms = 0; // when the pointer will have rested long enough for a tooltip (0: none waits)
    int fonts_loaded = 0;       // App::fonts_version() of the fonts in the atlas
    uint64_t last_drawn = 0;    // performance counter at the start of the last frame drawn (0: the last was skipped)
    FramePacer pacer;
    GpuFence gpu;

    bool run() {
        const uint64_t frame_start = SDL_GetPerformanceCounter();
        if (driver.active() && !driver.before_frame(window, app)) {
            if (!driver.error().empty()) {
                std::fprintf(stderr, "liandan: error: %s\n", driver.error().c_str());
                exit_code = 3;
            }
            return false;
        }
        if (!handle_events()) return false;
        const double start_ms = ms_of(frame_start);
        pacer.callback(start_ms);
        if (const double gpu_ms = gpu.poll(start_ms); gpu_ms >= 0) pacer.gpu_latency(gpu_ms);
        if constexpr (!LIANDAN_THREADS) train_on_this_thread(start_ms);
        app.update();
        if (!worth_drawing(start_ms)) { // the screen keeps its picture; the trainer keeps the machine
            last_drawn = 0;
            platform_idle();
            return true;
        }
        platform_drawing();
        // Frame time between frames drawn back to back (an idle gap is no frame's time).
        if (last_drawn) app.set_frame_ms(start_ms - ms_of(last_drawn));
        last_drawn = frame_start;
        pacer.drawn(start_ms);
        app.set_paced_fps(paced() ? pacer.drawn_per_s() : -1);
        app.set_picture_ms(pacer.cost_ms());
        if (Scale now = screen_scale(window, app.view().layout_scale_percent); now != scale || app.fonts_version() != fonts_loaded) {
            scale = now; // moved to another screen, or the user changed the UI scale, or a font file came
            fonts_loaded = app.fonts_version();
            apply_style(scale.ui);
            load_fonts(scale.ui, scale.framebuffer);
            // ImGui 1.86's NewFrame remakes the texture only with the shaders: remade here.
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        widget_locator_new_frame();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        input.apply(ImGui::GetIO(), [&](const SDL_Event &key) { handle_shortcut(key, app); });
        touch.apply(ImGui::GetIO());
        input.handed(ImGui::GetIO());
        // A finger is less precise than a mouse: once one is seen, controls answer a little
        // beyond their edges (where two neighbours' margins overlap, the first drawn answers).
        ImGui::GetStyle().TouchExtraPadding = fingers_in_use() ? ImVec2(4 * scale.ui, 4 * scale.ui) : ImVec2(0, 0);
        ImGui::NewFrame();
        app.draw();
        ImGui::Render();
        keyboard.after_frame(touch.finger(), !input.empty());
        app.set_build_ms(double(SDL_GetPerformanceCounter() - frame_start) * 1000.0 / double(SDL_GetPerformanceFrequency()));
        int w = 0, h = 0;
        SDL_GL_GetDrawableSize(window, &w, &h);
        CachedLayer::render_pending(); // pictures the views asked for, before the frame shows them
        glViewport(0, 0, w, h);
        // The panels have no backgrounds of their own (layout.cpp): the clear paints them, where a
        // software renderer blended a million pixels of panels over it every frame.
        const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        gpu.submitted(ms_of(SDL_GetPerformanceCounter()));
        if (++frame == 1) platform_app_ready(); // the page's "ready" means a frame is on screen
        if (driver.active()) driver.after_frame(app, w, h);
        if (screenshot_taken(w, h)) return false;
        SDL_GL_SwapWindow(window);
        return true;
    }

    // Single-threaded builds: while training has work, the page trains in tasks of its own between
    // the browser's frame callbacks, about k_task_ms each (a snapshot's slice,
    // Session::publish_slice_ms, while one is under way), so a frame waits about that long at most.
    // Trained in the callbacks instead (14 of 16.7 ms at most), the page kept 0.66 of node's W1 and
    // 0.47 of its W2, whose 4.6 ms steps ran past the budget into the next vsync. Natively, and on
    // the web while training has nothing to do at once, each frame trains for up to half a 60 Hz
    // frame, most of one while paced frames are not due.
    static constexpr double k_task_ms = 8;
    bool between_frames = false; // such a loop runs
    void train_on_this_thread(double start_ms) {
        if (between_frames) return;
        app.train(paced() && !pacer.due(start_ms + 16) ? 14.0 : 8.0);
        if (!app.has_training_work()) return;
        between_frames = platform_repeat_between_frames([this] {
            app.train(k_task_ms);
            return between_frames = app.has_training_work();
        });
    }

    static double ms_of(uint64_t counter) { return double(counter) * 1000.0 / double(SDL_GetPerformanceFrequency()); }
    // Training at full speed, where frames for new snapshots are paced (FramePacer).
    bool paced() const { return app.snapshot().running && app.snapshot().speed <= 0; }

    // A frame is drawn when something may look different: input (and while a button is held or a
    // text field is active), a new snapshot, a message, a load or fetch under way, the first
    // frames, a driver script or a screenshot; then a few more, for hovering and popups to settle.
    // While training at full speed, new snapshots alone are drawn at the pacer's rate.
    bool worth_drawing(double now_ms) {
        const ImGuiIO &io = ImGui::GetIO();
        const bool pressed = io.MouseDown[0] || io.MouseDown[1] || io.MouseDown[2], held = pressed || io.WantTextInput;
        // A tooltip shows once the pointer has rested on an item (rested_on_item in layout.cpp): one
        // frame is drawn after that wait, since a resting pointer sends no events to draw one.
        if (had_events) tooltip_due_ms = now_ms + 450;
        const bool tooltip_due = tooltip_due_ms > 0 && now_ms >= tooltip_due_ms;
        if (tooltip_due) tooltip_due_ms = 0;
        const bool asked = frame < 3 || driver.active() || !opt.screenshot_path.empty() || had_events || held || !input.empty() ||
                           tooltip_due || touch.moving();
        // Events or a button held (not a text field's focus alone, which lasts): training makes room.
        if (had_events || pressed) app.note_input();
        had_events = false;
        const uint64_t changes = app.changes();
        // Training alone changes nothing on screen: its snapshots do (a big network's come every
        // few seconds at full speed, and drawing between them took a tenth of a core for nothing).
        const bool changed = changes != drawn_changes;
        // Progress alone (a progress-only snapshot) is drawn within the tenth, paced or not.
        const bool progressed = app.snapshot().steps_now != drawn_steps;
        const bool draw_change = asked || (changed && (!paced() || pacer.due(now_ms)));
        if (draw_change || (progressed && pacer.progress_due(now_ms))) {
            drawn_changes = changes;
            drawn_steps = app.snapshot().steps_now;
            // A paced frame, or progress alone, needs no settling: nothing moved.
            settle_frames = draw_change && (asked || !paced()) ? 4 : 1;
        }
        return settle_frames-- > 0;
    }

    bool handle_events() {
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            had_events = true;
            touch.observe(e);
            if (input.take(e)) continue; // handed to ImGui in order, shortcuts included
            ImGui_ImplSDL2_ProcessEvent(&e);
            if (e.type == SDL_QUIT) return false;
            if (e.type == SDL_DROPFILE) { // a file dragged onto the window (native; the page handles its own drops)
                app.data_files().open(e.drop.file, app);
                SDL_free(e.drop.file);
            }
        }
        return true;
    }

    // --screenshot: after a number of frames, or when training has finished (all epochs done, or
    // stopped by an error). True when one was taken (the app then ends).
    bool screenshot_taken(int w, int h) {
        if (opt.screenshot_path.empty()) return false;
        const liandan::Snapshot &snap = app.snapshot();
        const bool done = snap.metrics.epoch >= snap.spec.train.epochs || !snap.error.empty();
        const bool finished = opt.play ? done && !snap.running : frame > 2;
        if (!(opt.screenshot_frame > 0 ? frame >= opt.screenshot_frame : finished)) return false;
        const bool ok = save_screenshot(opt.screenshot_path, w, h);
        std::fprintf(stderr, "liandan: %s %s after %d frames\n", ok ? "wrote" : "could not write", opt.screenshot_path.c_str(), frame);
        return true;
    }
};

} // namespace

int main(int argc, char **argv) {
    platform_init();
    AppOptions opt = parse_options(argc, argv);
    if (!opt.error.empty()) {
        std::fprintf(stderr, "%s\n", opt.error.c_str());
        return opt.error.rfind("Liandan", 0) == 0 ? 0 : 2; // --help is not an error
    }
    // Scripted runs (screenshots, UI scripts) start the same every time unless told to keep.
    const bool keep = opt.keep || (!opt.fresh && opt.screenshot_path.empty() && opt.drive_path.empty());
    Start start;
    try {
        start = experiment_at_start(opt, keep);
    } catch (const liandan::Error &e) {
        std::fprintf(stderr, "liandan: error: %s\n", e.what());
        return 2;
    }
    const std::optional<Window> win = open_window(opt);
    if (!win) return 1;

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr; // the layout comes from the window size, nothing to save
    widget_locator_enable();
    const Scale scale = screen_scale(win->window, 100);
    apply_style(scale.ui);
    load_fonts(scale.ui, scale.framebuffer);
    ImGui_ImplSDL2_InitForOpenGL(win->window, win->context);
    ImGui_ImplOpenGL3_Init(platform_gl_version().glsl);

    // Static: on the web main() never returns, and the API needs the app later.
    static std::unique_ptr<App> app_holder;
    try {
        app_holder = std::make_unique<App>(start.spec);
    } catch (const liandan::Error &e) {
        if (opt.url.empty()) throw;
        start.url_error = msgf("URL {0}", {e.what()}); // the data or shapes of the URL's experiment
        app_holder = std::make_unique<App>(initial_spec(opt));
    }
    App &app = *app_holder;
    g_app = &app;
    if (!start.url_error.empty()) {
        std::fprintf(stderr, "liandan: %s\n", start.url_error.c_str());
        app.set_message(start.url_error);
    }
    if (const std::string lang = !start.link.lang.empty() ? start.link.lang : opt.lang; !lang.empty() && lang != "en") app.set_language(lang);
    if (opt.embed == "output") app.view().embed = ViewSettings::Embed::output;
    else if (opt.embed == "network") app.view().embed = ViewSettings::Embed::network;
    else if (!opt.embed.empty())
        app.set_message(msgf("embed: '{0}' is not a layout (output, network); the whole playground shows", {opt.embed}));
    const bool restored = start.kept != nullptr; // the kept experiment, which a link of the same spec does not replace
    if (restored) app.open_experiment(std::move(start.kept), start.kept_path, true);
    app.keep_experiment(keep); // after the restore is posted: nothing is kept before it is in force
    if (!start.kept_error.empty()) app.set_message(start.kept_error);
    if (start.waiting_link) app.open_link(*start.waiting_link); // says which files to open again
    if (start.fetch_first) app.load(*start.fetch_first);        // loads once fetched (natively: says what is missing)
    if (!start.link.id.empty()) { // its experiment, unless the link or the kept one brings its own
        const bool own = restored || !start.link.rest.empty();
        if (std::string err = own ? app.show_lesson(start.link.id, start.link.variant) : app.load_url(opt.url); !err.empty())
            std::fprintf(stderr, "liandan: %s\n", err.c_str());
    }
    // A link's trained weights, for its experiment (loaded, fetched or waiting for its files) or the
    // lesson's (load_url above took them with its experiment).
    if (!start.link.weights.empty() && !restored && (start.link.id.empty() || !start.link.rest.empty()))
        app.apply_link_weights(start.link.weights);
    for (const std::string &path : opt.data_paths) {
        DataFiles::Result r = app.data_files().open(path, app);
        std::fprintf(stderr, "liandan: %s\n", r.message.c_str());
        if (r.status == DataFiles::Status::error) return 2;
    }
    if (opt.play) app.play();

    Driver driver;
    if (!opt.drive_path.empty()) {
        if (std::string err = driver.load(opt.drive_path); !err.empty()) {
            std::fprintf(stderr, "liandan: error: %s\n", err.c_str());
            return 2;
        }
    }
    if (!opt.screenshot_path.empty() || driver.active()) SDL_WarpMouseInWindow(win->window, opt.width - 1, opt.height - 1); // no hover tooltip in pictures
    static FrameLoop *loop = nullptr; // static with the app: the web's frames outlive this scope
    static FrameLoop frames{opt, win->window, app, driver, InputQueue{}, TouchInput{}, ScreenKeyboard{}, scale};
    loop = &frames;
    platform_run([] { return loop->run(); });

    app.release_textures(); // while the GL context still exists
    frames.gpu.release();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(win->context);
    SDL_DestroyWindow(win->window);
    SDL_Quit();
    return frames.exit_code;
}
