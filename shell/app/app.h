// The app's state between frames: the training session, the latest snapshot, the spec the user is
// editing and the views' settings. The page API acts through it, the views through the ViewContext
// it makes each frame (views/views.h); it never touches live weights.
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "data_files.h"
#include "lesson.h"
#include "spec.h"
#include "train/session.h"
#include "views/views.h"

// The views see App only as ViewCommands (views/views.h), through the ViewContext App::draw makes.
class App : public ViewCommands {
public:
    explicit App(const liandan::Spec &spec);

    // Single-threaded builds: runs the session's commands and trains for about budget_ms on this
    // thread. has_training_work(): it would go on at once (Session::has_work_now).
    void train(double budget_ms) { session_->pump(budget_ms); }
    bool has_training_work() const { return session_->has_work_now(); }
    // Once per frame, before drawing: takes the latest snapshot.
    void update();
    void draw(); // all views, laid out for the current display size (then send_view)
    // Frees every view's GL textures: before the GL context goes (the views keep their caches'
    // file-scope owners, but not textures of a destroyed context).
    void release_textures();
    // The time between the last two frames drawn one after the other (the frame loop measures it).
    double frame_ms() const { return frame_ms_; }
    void set_frame_ms(double ms) { frame_ms_ = ms; }
    // Frames drawn a second while training at full speed (FramePacer paces them), or -1.
    double paced_fps() const { return paced_fps_; }
    void set_paced_fps(double fps) { paced_fps_ = fps; }
    // What a drawn frame costs the machine, the GPU's part included (FramePacer::cost_ms).
    double picture_ms() const { return picture_ms_; }
    void set_picture_ms(double ms) { picture_ms_ = ms; }
    uint64_t frames_drawn() const { return frames_drawn_; }
    // A count that changes whenever what the views show may change without any input: a new
    // snapshot, a message, a load posted, a fetch's progress (the frame loop skips the others).
    uint64_t changes() const;
    // A font file came after the first frame (the page's Chinese glyphs): the frame loop loads the
    // fonts again when this count changes.
    void fonts_arrived() { ++fonts_version_; }
    int fonts_version() const { return fonts_version_; }
    // The user is working the interface: training at full speed takes turns with it for a moment.
    void note_input() { session_->note_input(); }
    // The CPU time of the last frame up to its draw lists (events, training snapshot, views,
    // ImGui): our part of a frame, told apart from the GL submission and the GPU's rasterization.
    double build_ms() const { return build_ms_; }
    void set_build_ms(double ms) { build_ms_ = ms; }

    // Commands, shared by buttons, keys and the page API.
    void play() { post({liandan::Command::Kind::play}); }
    void pause() { post({liandan::Command::Kind::pause}); }
    void step(int64_t n) { post({liandan::Command::Kind::step, n}); }
    void reset() override { post({liandan::Command::Kind::reset}); }
    void toggle_play() override { snap_->running ? pause() : play(); }
    void step_epoch() override; // the batches of one epoch, as TensorFlow Playground's step button
    void set_lr(double lr) override;
    void set_param(size_t index, float value) override; // a weight or bias edited in the network view
    // Follows an input (normalized features) through the network in every snapshot (Snapshot::probe).
    void probe(std::vector<float> features, uint64_t id) override;
    // The pace, rate epochs or steps a second (0 = as fast as possible): a view setting, kept in
    // the spec (and its URL) without a new run.
    void set_speed(double rate, liandan::SpeedUnit unit) override;
    // Validates and loads a spec; returns "" or the error (the current run is kept on error).
    std::string load(const liandan::Spec &spec) override;
    // The experiment as a whole (train/experiment_file.h): a saved file replaces the run with its
    // weights, optimizer state, progress and curves, fetching a named set's files first, or is
    // refused leaving the run ("" or the refusal naming the file; a file that does not fit the
    // spec it carries is refused by the trainer, as weights are).
    std::string open_experiment(std::shared_ptr<const liandan::SafetensorsFile> file, const std::string &name);
    // The same, read already (from_storage: the kept one at start).
    std::string open_experiment(std::shared_ptr<const liandan::SavedExperiment> saved, const std::string &name, bool from_storage);
    // Asks for the experiment file as of every command posted so far; returns the request's number
    // (the file has come when Snapshot::experiment_request reaches it).
    uint64_t request_experiment();
    // Lessons (core/lesson.h): opening one loads its spec (as the variant sets it) and shows its
    // text beside the network until closed; "" or the refusal.
    std::string open_lesson(const std::string &id, const std::string &variant = "") override;
    // A link's trained weights (io/link_weights.h) for the experiment loaded last, once it is live
    // (after a named set's fetch); the trainer refuses values that do not fit the network.
    std::string apply_link_weights(const std::string &text);
    // Shows a lesson's text beside the experiment in force (a link that carries both).
    std::string show_lesson(const std::string &id, const std::string &variant);
    void close_lesson() override { lesson_ = nullptr; }
    // A lesson or a link that would replace the user's own trained run waits for Open or Cancel
    // (views/replace_question_view.cpp); a newer question replaces an older one.
    void choose_lesson(const liandan::Lesson &lesson) override;
    const std::optional<AskedReplacement> &asked_replacement() const override { return asked_; }
    void answer_replacement(bool open) override;
    // A link the page's address bar was given (hashchange): over the user's own trained run, in the
    // playground (not an embed, whose tutorial changes it), a link that reads well is asked about
    // first; anything else goes to load_url. "" (loaded or asked) or the refusal.
    std::string link_arrived(const std::string &hash);
    const liandan::Lesson *lesson() const { return lesson_; } // the open lesson, or null
    const std::string &lesson_variant() const { return lesson_variant_; }
    // The URL hash of what is open: lesson=<id>[&variant=<name>] while the lesson's spec is
    // unchanged, else the experiment's hash with &lesson=<id> (the text stays beside it).
    // with_weights: &weights= the trained values too (io/link_weights.h), or error says why not.
    std::string url(bool with_weights = false, std::string *error = nullptr) const;
    // A clean start: the default experiment, and nothing kept until it changes.
    void new_experiment() override;
    // Downloads "spec" (JSON), "weights" (safetensors, PyTorch names), "experiment" (the whole
    // file) or "pytorch" (io/pytorch_export.h): natively into the working folder. The weights and
    // the experiment come with the next snapshot.
    void download(const std::string &what) override;
    // The link of the experiment with its trained weights, handed to the user (platform_share_link).
    void share_link_with_weights() override;
    // The interface's language (i18n/tr.h): the page fetches its catalog when first wanted.
    void set_language(const std::string &language) override;
    // The page's fetch: the catalog, and assets/i18n/messages.json (or "").
    void catalog_arrived(const std::string &language, const std::string &json, const std::string &messages_json);
    // Characters of the translated texts the loaded font has no glyph for (the test wants none).
    std::string missing_glyphs() const;
    // Keeps the experiment in the host's storage as it changes (platform_keep_experiment).
    void keep_experiment(bool on);
    // The page's storage refused (full, private mode): said once; the app works on without it.
    void storage_failed(const std::string &why);
    // Posts a safetensors file's weights for the network in force; the trainer refuses one that
    // does not fit (naming the tensor and both shapes) and the run goes on as it was.
    void load_weights(std::shared_ptr<const liandan::SafetensorsFile> file);
    // As load, for a spec whose data alone changed (the workbench's points): training goes on
    // from the weights as they are when the network still fits the data.
    std::string edit_data(const liandan::Spec &spec) override;
    std::string load_json(const std::string &text, const std::string &name = "spec"); // name: for line and column in refusals
    // Loads the experiment of a URL hash (url_hash.h; lesson= and variant= open a lesson); a
    // refusal is shown in the app as well.
    std::string load_url(const std::string &hash);
    // The experiment of a parsed link: loaded, or kept waiting for its uploaded files (saying which).
    std::string open_link(const liandan::Spec &spec);
    DataFiles &data_files() { return data_files_; }
    // A named set's files the page fetches before its experiment loads (data/catalog.h): the run in
    // force goes on meanwhile; progress and failures arrive from the page (web_api.cpp).
    struct DataFetch {
        int id = 0;
        FetchProgress progress; // its title and MB so far, as the data panel shows them
        liandan::Spec spec;
        liandan::Command::Kind kind;
        std::shared_ptr<const liandan::SavedExperiment> saved;
        std::vector<float> weights; // a link's, set once the experiment is live
        std::string done_notice;    // what opening it said (restored, opened), said again once it is live
    };
    const std::optional<DataFetch> &data_fetch() const { return fetch_; }
    void data_fetch_progress(int id, double loaded_mb, double total_mb);
    void data_fetched(int id, const std::string &error); // "" when every file is in place
    void cancel_data_fetch() override;
    void open_data_file(const std::string &path) override { data_files_.open(path, *this); }
    void set_target(const std::string &column) override { data_files_.set_target(column, *this); }
    void request_open() override { data_files_.request_open(); }
    int data_fetch_failures() const { return fetch_failures_; }
    // The data menu's sample strips are on their way (fetched quietly at start): their arrival is drawn.
    bool sample_strips_pending() const { return strips_pending_; }
    // The toy experiment in force before the data became a file or a named set, for "Back to the
    // generated sets".
    const std::optional<liandan::Spec> &last_toy_spec() const { return last_toy_spec_; }
    // A link (URL hash) whose data are files the page was given on the computer it was made on
    // (/uploads/...): a reloaded page no longer has them. Its experiment waits for them to be
    // opened again instead of being lost; DataFiles::open loads it once they are all there.
    const std::optional<liandan::Spec> &waiting_link() const { return waiting_link_; }
    void set_waiting_link(liandan::Spec spec) { waiting_link_ = std::move(spec); }
    void clear_waiting_link() { waiting_link_.reset(); }

    const liandan::Spec &spec() const { return spec_; } // the last accepted spec
    bool load_pending() const { return snap_->loads < loads_posted_; } // posted, not yet taken up by the trainer
    uint64_t loads_posted() const { return loads_posted_; }
    const liandan::Snapshot &snapshot() const { return *snap_; }
    nlohmann::json metrics_json() const;
    // What the data and image views show besides the metrics (the page's viewState(), the
    // driver's dump): the layer stack's fault, the opened confusion cell, the probed input's reading.
    nlohmann::json views_json() const;
    const std::string &message() const { return message_; }
    void set_message(std::string m) override {
        message_ = std::move(m);
        message_time_ = ++notice_clock_;
        message_done_ = false;
    }
    // A message that says something was done (saved, restored, opened): never coloured as an error.
    void set_done_message(std::string m) {
        set_message(std::move(m));
        message_done_ = true;
    }
    // The notice is a refusal or the trainer's reason for stopping: a message with a colon ("key:
    // why") not marked done, or the trainer's error.
    bool notice_is_error() const {
        const std::string &n = notice();
        return &n == &snap_->error || (!message_done_ && n.find(':') != std::string::npos);
    }
    bool notice_is_done() const { return message_done_ && &notice() == &message_; }
    // What the status bar says: the newer of the trainer's reason for stopping and the app's last
    // message (a refused link after a refused load shows the link's reason, not the older one).
    const std::string &notice() const {
        if (message_.empty() || (!snap_->error.empty() && error_time_ > message_time_)) return snap_->error;
        return message_;
    }
    ViewSettings &view() { return view_; }
    // The spec's view section (show test data, discretize, hidden controls) changes without a
    // new run: it is in the URL, not in the training.
    void set_view(const liandan::ViewSpec &v) override { spec_.view = v; }

private:
    void post(liandan::Command c);
    // load, edit_data or restore (saved: the experiment restored)
    std::string submit(const liandan::Spec &spec, liandan::Command::Kind kind,
                       std::shared_ptr<const liandan::SavedExperiment> saved = nullptr);
    void keep_and_deliver(); // in update(): the experiment file to storage and to downloads asked for

    liandan::Spec spec_;
    std::unique_ptr<liandan::Session> session_;
    std::shared_ptr<const liandan::Snapshot> snap_;
    std::string message_; // the last refusal of a spec edit (or a workbench notice), shown in the status bar
    void take_latest(); // the session's latest snapshot, noting when its error changed
    // What a lesson or a link asks about before replacing it: a run of the user's (no lesson's)
    // with training in it.
    bool own_trained_run() const { return !lesson_ && snap_->steps_now > 0; }
    void ask_replacement(AskedReplacement asked) {
        asked_ = std::move(asked);
        ++questions_; // a frame to show it, though nothing else changed
    }
    std::string seen_error_;  // the trainer's error as last seen, to tell when it changes
    uint64_t notice_clock_ = 0, message_time_ = 0, error_time_ = 0; // which of the two came last
    bool message_done_ = false; // message_ came from set_done_message
    ViewSettings view_;
    std::optional<liandan::Spec> waiting_link_;
    double frame_ms_ = 0, build_ms_ = 0, paced_fps_ = -1, picture_ms_ = 0;
    uint64_t frames_drawn_ = 0;
    liandan::ViewSpec posted_view_; // the view settings last sent to the session
    void send_view(); // sends them if they changed (after an API call or a frame's input)
    uint64_t loads_posted_ = 0, loads_seen_ = 0; // load commands sent, and those whose outcome update() has looked at
    DataFiles data_files_;
    std::optional<DataFetch> fetch_;
    int next_fetch_id_ = 1, fetch_failures_ = 0;
    std::optional<liandan::Spec> last_toy_spec_;
    int fonts_version_ = 0;
    int texts_version_ = 0; // a language chosen or its catalog arrived: drawn again, the fonts kept
    uint64_t fetches_done_ = 0; // data fetches that ended, any of them (a change to draw)
    bool strips_pending_ = false; // fetch 0, the sample strips, started and not ended
    const liandan::Lesson *lesson_ = nullptr;
    std::optional<AskedReplacement> asked_;
    uint64_t questions_ = 0; // questions asked and answered, for changes()
    std::string lesson_variant_;
    bool keep_ = false, storage_failed_ = false;
    bool restoring_ = false; // the kept experiment's restore is under way (keeping waits for it)
    uint64_t kept_id_ = 0;                    // the experiment file last handed to storage
    std::vector<std::pair<std::string, uint64_t>> downloads_; // what to download once the file of that request comes
    uint64_t saves_asked_ = 0;
};

// The experiment the app opens with when there is nothing else: a spiral, as TensorFlow Playground's hardest.
liandan::Spec default_experiment();

// The keys of a URL hash the app reads itself (a lesson, its variant, trained weights) taken out
// of the experiment's keys (the rest, for url_hash.h).
struct LinkKeys {
    std::string id, variant, weights, lang, rest; // id: the lesson's
};
LinkKeys link_keys(const std::string &hash);
const liandan::Lesson *find_lesson(const std::string &id); // in app_lessons(), or null

inline constexpr const char *k_uploads_dir = "/uploads/";
// The spec's fields that name data files (const or not, as the spec).
template <class S> auto data_file_fields(S &spec) {
    return std::array{&spec.data.path, &spec.data.images, &spec.data.labels, &spec.data.test_images, &spec.data.test_labels};
}
std::vector<std::string> uploads_of(const liandan::Spec &spec, bool only_missing = false);

