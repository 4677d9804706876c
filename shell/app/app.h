// The app's state between frames: the training session, the latest snapshot and the spec the
// user is editing. Views and the page API act through it; it never touches live weights.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "data_files.h"
#include "spec.h"
#include "train/session.h"

class App {
public:
    explicit App(const liandan::Spec &spec);

    // Once per frame, before drawing: pumps the session where there are no threads, takes the
    // latest snapshot.
    void update(double frame_budget_ms);
    void draw(); // all views, laid out for the current display size

    // Commands, shared by buttons, keys and the page API.
    void play() { post({liandan::Command::Kind::play}); }
    void pause() { post({liandan::Command::Kind::pause}); }
    void step(int64_t n) { post({liandan::Command::Kind::step, n}); }
    void reset() { post({liandan::Command::Kind::reset}); }
    void toggle_play() { snap_->running ? pause() : play(); }
    void step_epoch(); // the batches of one epoch, as TensorFlow Playground's step button
    void set_lr(double lr);
    // Validates and loads a spec; returns "" or the error (the current run is kept on error).
    std::string load(const liandan::Spec &spec);
    std::string load_json(const std::string &text);
    // Loads the experiment of a URL hash (url_hash.h); a refusal is shown in the app as well.
    std::string load_url(const std::string &hash);
    void show_message(std::string text) { message_ = std::move(text); }
    DataFiles &data_files() { return data_files_; }

    const liandan::Spec &spec() const { return spec_; } // the last accepted spec
    const liandan::Snapshot &snapshot() const { return *snap_; }
    nlohmann::json metrics_json() const;
    const std::string &message() const { return message_; }

private:
    void post(liandan::Command c);

    liandan::Spec spec_;
    std::unique_ptr<liandan::Session> session_;
    std::shared_ptr<const liandan::Snapshot> snap_;
    std::string message_; // the last refusal of a spec edit, shown in the controls
    uint64_t loads_posted_ = 0, loads_seen_ = 0; // load commands sent, and those whose outcome update() has looked at
    DataFiles data_files_;
};
