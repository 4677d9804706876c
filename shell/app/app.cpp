// App: command plumbing and the frame layout (ImGui 1.86 has no docking, so panels are placed
// from the display size each frame).
#include "app.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "url_hash.h"
#include "views/views.h"

App::App(const liandan::Spec &spec) : spec_(spec), session_(std::make_unique<liandan::Session>(spec)) {
    if constexpr (LIANDAN_THREADS) session_->start_thread();
    snap_ = session_->latest();
}

void App::update(double frame_budget_ms) {
    if constexpr (!LIANDAN_THREADS) session_->pump(frame_budget_ms); // time-sliced on the main thread
    snap_ = session_->latest();
    // A load the trainer refused (the data or the shapes) leaves the previous run in force: so
    // is its spec, so the next edit starts from what is running. Only once every posted load is
    // done, so an edit still in the queue is not undone.
    if (snap_->loads == loads_posted_ && snap_->loads != loads_seen_) {
        loads_seen_ = snap_->loads;
        if (!snap_->error.empty()) spec_ = snap_->spec;
    }
}

void App::post(liandan::Command c) { session_->post(std::move(c)); }

void App::step_epoch() {
    const int batch = snap_->spec.train.batch_size;
    step((snap_->data->train.n + batch - 1) / batch);
}

void App::set_lr(double lr) {
    spec_.optimizer.lr = lr;
    post({liandan::Command::Kind::set_lr, 0, lr});
}

std::string App::load(const liandan::Spec &spec) {
    try {
        // Round-trip through the parser so every edit gets the same checks as a file.
        liandan::Spec checked = liandan::parse_spec(liandan::spec_to_json(spec));
        spec_ = checked;
        message_.clear();
        liandan::Command c{liandan::Command::Kind::load};
        c.spec = checked;
        post(std::move(c));
        ++loads_posted_;
        return "";
    } catch (const liandan::Error &e) {
        message_ = e.what();
        return message_;
    }
}

std::string App::load_json(const std::string &text) {
    try {
        return load(liandan::parse_spec_text(text));
    } catch (const liandan::Error &e) {
        return e.what();
    }
}

std::string App::load_url(const std::string &hash) {
    try {
        return load(liandan::spec_from_url_hash(hash));
    } catch (const liandan::Error &e) {
        message_ = std::string("URL ") + e.what();
        return message_;
    }
}

nlohmann::json App::metrics_json() const {
    nlohmann::json j = liandan::metrics_to_json(snap_->metrics, snap_->task);
    j["running"] = snap_->running;
    j["steps_per_s"] = snap_->steps_per_s;
    j["run"] = snap_->run_id;
    j["loads"] = snap_->loads;
    if (!snap_->error.empty()) j["error"] = snap_->error;
    return j;
}

void App::draw() {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float margin = 8.0f;
    const float controls_w = std::min(340.0f, display.x * 0.3f);
    const float rest_x = controls_w + 2 * margin;
    const float rest_w = display.x - rest_x - margin;
    // The data view is square and as large as fits; curves take what remains on the right or below.
    const float side = std::max(120.0f, std::min(display.y - 2 * margin, rest_w * 0.6f));
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse;

    ImGui::SetNextWindowPos({margin, margin});
    ImGui::SetNextWindowSize({controls_w, display.y - 2 * margin});
    if (ImGui::Begin("Experiment", nullptr, fixed)) draw_controls_view(*snap_, *this);
    ImGui::End();

    ImGui::SetNextWindowPos({rest_x, margin});
    ImGui::SetNextWindowSize({side, side});
    if (ImGui::Begin("Data", nullptr, fixed)) draw_data_view(*snap_);
    ImGui::End();

    ImGui::SetNextWindowPos({rest_x + side + margin, margin});
    ImGui::SetNextWindowSize({std::max(120.0f, rest_w - side - margin), display.y - 2 * margin});
    if (ImGui::Begin("Curves", nullptr, fixed)) draw_curve_view(*snap_);
    ImGui::End();
}
