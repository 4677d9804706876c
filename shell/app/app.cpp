// App: command plumbing between the views, the page API and the session.
#include "app.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include "data/catalog.h"
#include "io/link_weights.h"
#include "io/pytorch_export.h"
#include "i18n/tr.h"
#include "lessons_data.h"
#include "edit/layer_stack.h"
#include "platform.h"
#include "url_hash.h"

liandan::Spec default_experiment() {
    return liandan::parse_spec_text(R"({
      "data": { "toy": { "shape": "spiral", "n": 500, "noise": 0.1 },
                "features": ["x", "y", "x2", "y2", "xy", "sinx", "siny"] },
      "model": { "layers": [ { "type": "dense", "units": 16, "activation": "tanh" },
                             { "type": "dense", "units": 16, "activation": "tanh" },
                             { "type": "dense", "units": 1 } ] },
      "optimizer": { "lr": 0.01, "momentum": 0.9 },
      "train": { "batch_size": 10, "epochs": 200 } })");
}

App::App(const liandan::Spec &spec) : spec_(spec), session_(std::make_unique<liandan::Session>(spec, platform_host_memory)) {
    set_speed(spec.view.speed, spec.view.speed_unit);
    if constexpr (LIANDAN_THREADS) session_->start_thread();
    take_latest();
    // The menu's sample strips (a few KB): the page fetches them at once, quietly (fetch id 0).
    std::vector<std::string> strips;
    for (const liandan::NamedSet &set : liandan::named_sets())
        if (std::error_code e; set.images && !std::filesystem::exists(liandan::data_root() + "/" + liandan::samples_file(set), e))
            strips.push_back(liandan::samples_file(set));
    strips_pending_ = !strips.empty() && platform_fetch_data(0, strips);
}

void App::take_latest() {
    snap_ = session_->latest();
    if (snap_->error != seen_error_) { // a new reason from the trainer: newer than the last message
        seen_error_ = snap_->error;
        error_time_ = ++notice_clock_;
    }
}

void App::update() {
    take_latest();
    keep_and_deliver();
    // A load the trainer refused (the data or the shapes) leaves the previous run in force: so
    // is its spec, so the next edit starts from what is running. Only once every posted load is
    // done, so an edit still in the queue is not undone.
    if (snap_->loads == loads_posted_ && snap_->loads != loads_seen_) {
        loads_seen_ = snap_->loads;
        if (!snap_->error.empty()) { // the run's spec, but the view as the user left it (the pace is not the trainer's)
            const liandan::ViewSpec view = spec_.view;
            spec_ = snap_->spec;
            spec_.view = view;
        }
    }
    send_view();
}

void App::send_view() {
    // The view settings change without a new run: the session keeps them in the experiment file,
    // so a page opened later comes back with them (its pace among them), not only a reload's URL.
    if (spec_.view == posted_view_) return;
    posted_view_ = spec_.view;
    liandan::Command c{liandan::Command::Kind::set_view};
    c.spec = spec_;
    post(std::move(c));
}

uint64_t App::changes() const {
    const uint64_t fetched = fetch_ ? uint64_t(fetch_->progress.loaded_mb * 100) + 1 : 0;
    return snap_->shown_version * 1000003u + notice_clock_ * 10007u + loads_posted_ * 101u + fetched + uint64_t(fonts_version_ + texts_version_) * 7919u +
           fetches_done_ * 104729u + questions_ * 1299709u + data_files_.messages() * 15485863u;
}

void App::post(liandan::Command c) {
    // A refused link is about the address it came from: once the user acts on the run in force, it is old news.
    const bool acts = c.kind == liandan::Command::Kind::play || c.kind == liandan::Command::Kind::pause ||
                      c.kind == liandan::Command::Kind::step || c.kind == liandan::Command::Kind::reset;
    if (acts && message_.rfind("URL ", 0) == 0) set_message("");
    session_->post(std::move(c));
}

void App::step_epoch() {
    const int batch = snap_->spec.train.batch_size;
    step((snap_->data->train.n + batch - 1) / batch);
}

void App::set_lr(double lr) {
    spec_.optimizer.lr = lr;
    post({liandan::Command::Kind::set_lr, 0, lr});
}

void App::set_param(size_t index, float value) {
    liandan::Command c{liandan::Command::Kind::set_param, int64_t(index), double(value)};
    post(std::move(c));
}

void App::probe(std::vector<float> features, uint64_t id) {
    liandan::Command c{liandan::Command::Kind::probe, int64_t(id)};
    c.input = std::move(features);
    post(std::move(c));
}

void App::set_speed(double rate, liandan::SpeedUnit unit) {
    spec_.view.speed = rate;
    spec_.view.speed_unit = unit;
    liandan::Command c{liandan::Command::Kind::set_speed, 0, rate};
    c.unit = unit;
    post(std::move(c));
}

namespace {
// Messages made around another message (a refusal of the core's, a reason from the page): the
// wrapper and the message inside are translated each, since tr_message looks a template's values
// up only as whole texts. Each is also the template its msgf registers.
constexpr const char *k_wrapping_messages[] = {
    "URL {0}",
    "The experiment kept from your last visit could not be restored: {0}",
    "{0} (the experiment kept from your last visit could not be restored; it stays in storage, and nothing is kept in this visit)",
    "No link with weights: {0}",
    "Your experiment is not kept between visits: {0}. Everything else works; download the experiment to keep it.",
};

std::string translated_message(const std::string &text) {
    for (const char *wrapper : k_wrapping_messages) {
        const std::string_view w = wrapper;
        const size_t at = w.find("{0}");
        const std::string_view before = w.substr(0, at), after = w.substr(at + 3);
        if (text.size() > before.size() + after.size() && text.starts_with(before) && text.ends_with(after))
            return trf(wrapper, {translated_message(text.substr(before.size(), text.size() - before.size() - after.size()))});
    }
    return tr_message(text);
}

// interface_key_text's words for a spec key ("layer 3, block layer 1, kernel"), which a translated
// message may still hold in its values, in the words of the language in force.
std::string translated_layer_words(const std::string &text) {
    // "layer 3[, block layer 1 ...][, kernel]", as interface_key_text writes it; parsed by hand (see there).
    static constexpr std::string_view k_layer = "layer ", k_block = ", block layer ";
    const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    const auto digits_end = [&](size_t p) {
        while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) ++p;
        return p;
    };
    std::string out;
    size_t last = 0;
    for (size_t at = 0; (at = text.find(k_layer, at)) != std::string::npos;) {
        const size_t d0 = at + k_layer.size(), d1 = digits_end(d0);
        if ((at > 0 && word_char(text[at - 1])) || d1 == d0) { // not a word of its own, or no number
            at = d0;
            continue;
        }
        out += text.substr(last, at - last);
        std::string words = trf("layer {0}", {text.substr(d0, d1 - d0)});
        size_t p = d1;
        for (size_t b1; text.compare(p, k_block.size(), k_block) == 0 && (b1 = digits_end(p + k_block.size())) > p + k_block.size(); p = b1)
            words = trf("{0}, block layer {1}", {words, text.substr(p + k_block.size(), b1 - p - k_block.size())});
        if (text.compare(p, 2, ", ") == 0 && p + 2 < text.size() &&
            (std::isalpha(static_cast<unsigned char>(text[p + 2])) || text[p + 2] == '_')) { // ", kernel"
            size_t w1 = p + 2;
            while (w1 < text.size() && word_char(text[w1])) ++w1;
            words = trf("{0}'s {1}", {words, text.substr(p + 2, w1 - p - 2)});
            p = w1;
        }
        out += words;
        last = at = p;
    }
    return out + text.substr(last);
}
} // namespace

std::string display_message(const std::string &message) {
    std::string text = liandan::interface_key_text(message);
    for (size_t at; (at = text.find(k_uploads_dir)) != std::string::npos;) text.erase(at, std::strlen(k_uploads_dir));
    if (ui_language() == "en") return text;
    // Asked each frame (the status bar and the Output panel): the last answer is kept.
    static std::string last_translated, last_shown;
    const std::string translated = translated_message(text);
    if (translated == text) return text; // not translated: the English stays whole
    if (translated != last_translated) last_translated = translated, last_shown = translated_layer_words(translated);
    return last_shown;
}

std::string App::load(const liandan::Spec &spec) { return submit(spec, liandan::Command::Kind::load); }
void App::load_weights(std::shared_ptr<const liandan::SafetensorsFile> file) {
    liandan::Command c{liandan::Command::Kind::load_weights};
    c.weights_file = std::move(file);
    post(std::move(c));
    ++loads_posted_; // counted as a load: the page's loadFile waits for its outcome
}

std::string App::edit_data(const liandan::Spec &spec) { return submit(spec, liandan::Command::Kind::edit_data); }

std::string App::submit(const liandan::Spec &spec, liandan::Command::Kind kind, std::shared_ptr<const liandan::SavedExperiment> saved) {
    try {
        // Round-trip through the parser so every edit gets the same checks as a file.
        liandan::Spec checked = liandan::parse_spec(liandan::spec_to_json(spec));
        waiting_link_.reset(); // the user moved on (the link's own load clears it first)
        fetch_.reset();        // and from a set still being fetched
        set_message("");
        const std::vector<std::string> missing = liandan::missing_data_root_files(checked.data);
        if (!missing.empty() && platform_fetch_data(next_fetch_id_, missing)) {
            const liandan::NamedSet *set = liandan::named_set(checked.data.source);
            fetch_ = DataFetch{next_fetch_id_++, {set ? set->title : missing[0]}, checked, kind, std::move(saved)};
            return ""; // loaded once the page has the files (data_fetched)
        }
        const bool toy_now = spec_.data.source == liandan::DataSource::toy || spec_.data.source == liandan::DataSource::points;
        const bool toy_next = checked.data.source == liandan::DataSource::toy || checked.data.source == liandan::DataSource::points;
        if (toy_now && !toy_next) last_toy_spec_ = spec_;
        spec_ = checked;
        liandan::Command c{kind};
        c.spec = checked;
        c.saved = std::move(saved);
        post(std::move(c));
        ++loads_posted_;
        set_speed(checked.view.speed, checked.view.speed_unit); // a loaded spec brings its pace
        return "";
    } catch (const liandan::Error &e) {
        set_message(e.what());
        return message_;
    }
}

std::string App::open_experiment(std::shared_ptr<const liandan::SafetensorsFile> file, const std::string &name) {
    try {
        return open_experiment(std::make_shared<const liandan::SavedExperiment>(liandan::read_experiment(std::move(file))), name, false);
    } catch (const liandan::Error &e) {
        set_message(e.what());
        return message_;
    }
}

std::string App::open_experiment(std::shared_ptr<const liandan::SavedExperiment> saved, const std::string &name, bool from_storage) {
    try {
        if (std::string err = submit(saved->spec, liandan::Command::Kind::restore, saved); !err.empty()) return err;
        restoring_ = from_storage;
        const auto &p = saved->progress;
        const std::string where =
            from_storage ? (platform_kept_experiment_path().rfind("/kept/", 0) == 0 ? msgf("this browser's storage", {}) : name)
                         : name.substr(name.find_last_of('/') + 1);
        const std::string epoch = std::to_string(p.epoch), steps = std::to_string(p.steps);
        set_done_message(from_storage
                        ? msgf("Restored your experiment from {0}: epoch {1}, step {2}, with its weights, optimizer state and curves "
                               "(Experiment > New experiment starts clean)",
                               {where, epoch, steps})
                        : msgf("Opened {0}: epoch {1}, step {2}, with its weights, optimizer state and curves", {where, epoch, steps}));
        if (fetch_) fetch_->done_notice = message_; // its data are on their way (a named set)
        return "";
    } catch (const liandan::Error &e) {
        set_message(e.what());
        return message_;
    }
}

uint64_t App::request_experiment() {
    post({liandan::Command::Kind::save, int64_t(++saves_asked_)}); // after every command already posted
    return saves_asked_;
}

void App::new_experiment() {
    platform_forget_experiment();
    lesson_ = nullptr;
    if (std::string err = load(default_experiment()); !err.empty()) return;
    set_done_message(msgf("New experiment (the spiral, with fresh weights); the one before is no longer kept", {}));
}

namespace {
// liandan-<data>-<what>: the toy set's shape, the named set's or the file's name.
std::string download_name(const liandan::Spec &spec, const std::string &what, const char *extension) {
    std::string data = spec.data.source == liandan::DataSource::toy ? spec.data.toy.shape : liandan::data_source_name(spec.data.source);
    if (spec.data.source == liandan::DataSource::csv || spec.data.source == liandan::DataSource::idx) {
        const std::string &path = spec.data.source == liandan::DataSource::csv ? spec.data.path : spec.data.images;
        data = std::filesystem::path(path).stem().string();
    }
    for (char &c : data)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
    return "liandan-" + data + "-" + what + extension;
}
} // namespace

void App::download(const std::string &what) {
    if (what == "pytorch") {
        const std::string name = download_name(spec_, "model", ".py");
        std::string err = msgf("the run has no data yet", {});
        if (snap_->data) err = platform_save_file(name, liandan::pytorch_module(snap_->spec, *snap_->data), "text/x-python");
        if (!err.empty()) set_message(err);
        else set_done_message(msgf("Saved {0}: the network in PyTorch; its load() takes the weights file (Download weights)", {name}));
        return;
    }
    if (what == "spec") {
        const std::string name = download_name(spec_, "spec", ".json");
        const std::string err = platform_save_file(name, liandan::spec_to_json(spec_).dump(2) + "\n", "application/json");
        if (!err.empty()) set_message(err);
        else set_done_message(msgf("Saved {0}: the spec, which Open and liandan-train --config take", {name}));
        return;
    }
    downloads_.emplace_back(what, request_experiment());
}

void App::set_language(const std::string &language) {
    set_ui_language(language);
    if (ui_language() != "en" && !ui_catalog_loaded(ui_language())) platform_request_catalog(ui_language());
    ++texts_version_; // draw again: the glyphs are in the font already, or come with its file (fonts_arrived)
}

void App::catalog_arrived(const std::string &language, const std::string &json, const std::string &messages_json) {
    if (json.empty()) return set_message(msgf("The {0} texts of the interface could not be read; it stays in English", {language}));
    if (std::string err = load_ui_catalog(language, json, messages_json); !err.empty()) return set_message(err);
    ++texts_version_; // draw again, in the new language
}

std::string App::missing_glyphs() const {
    std::string missing;
    const ImFont *font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
    if (!font) return missing;
    for (const std::string &text : ui_catalog_texts())
        for (const char *p = text.c_str(); *p;) {
            unsigned int c = 0;
            p += ImTextCharFromUtf8(&c, p, nullptr);
            if (c >= 0x20 && !font->FindGlyphNoFallback(ImWchar(c))) {
                char utf8[5] = {};
                ImTextCharToUtf8(utf8, c);
                if (missing.find(utf8) == std::string::npos) missing += utf8;
            }
        }
    return missing;
}

void App::share_link_with_weights() {
    std::string error;
    const std::string link = url(true, &error);
    if (!error.empty()) return set_message(msgf("No link with weights: {0}", {error}));
    // The platforms' answers (platform_share_link) have whole templates of their own in
    // assets/i18n/messages.json, which sort before this one.
    set_done_message(msgf("The experiment with its trained weights (step {0}) is {1}", // the weights of metrics.step
                     {std::to_string(snap_->metrics.step), platform_share_link(link)}));
}

void App::keep_experiment(bool on) {
    keep_ = on;
    session_->keep_experiment(on);
}

void App::storage_failed(const std::string &why) {
    if (storage_failed_) return;
    storage_failed_ = true;
    set_message(msgf("Your experiment is not kept between visits: {0}. Everything else works; download the experiment to keep it.", {why}));
}

void App::keep_and_deliver() {
    if (!snap_->experiment) return;
    const uint64_t id = snap_->experiment_id;
    for (auto it = downloads_.begin(); it != downloads_.end();) {
        if (snap_->experiment_request < it->second || !snap_->saved_experiment) {
            ++it;
            continue;
        }
        try {
            const bool weights = it->first == "weights";
            const std::string name = download_name(snap_->spec, weights ? "weights" : "experiment", ".safetensors");
            const std::string &file = *snap_->saved_experiment; // the run as it was when asked, not the newest
            const std::string bytes = weights ? liandan::weights_of_experiment(liandan::SafetensorsFile(file, name)) : file;
            const std::string err = platform_save_file(name, bytes);
            if (!err.empty()) set_message(err);
            else set_done_message(weights ? msgf("Saved {0}: the weights under PyTorch's names (torch's load_state_dict takes them)", {name})
                                          : msgf("Saved {0}: spec, weights, optimizer state and curves; Open takes it back", {name}));
        } catch (const liandan::Error &e) { set_message(e.what()); }
        it = downloads_.erase(it);
    }
    if (restoring_) { // the kept experiment is being restored: nothing is kept before it is in force
        if (load_pending() || fetch_) return;
        restoring_ = false;
        if (!snap_->error.empty()) {
            keep_ = false; // refused: the kept file stays as it is rather than be replaced
            set_message(msgf("{0} (the experiment kept from your last visit could not be restored; it stays in storage, and nothing is "
                             "kept in this visit)",
                             {snap_->error}));
        }
    }
    if (keep_ && !storage_failed_ && id != kept_id_) {
        kept_id_ = id;
        if (std::string err = platform_keep_experiment(*snap_->experiment, uploads_of(snap_->spec)); !err.empty()) storage_failed(err);
    }
}

void App::data_fetch_progress(int id, double loaded_mb, double total_mb) {
    if (!fetch_ || fetch_->id != id) return; // a fetch the user moved on from
    fetch_->progress.loaded_mb = loaded_mb;
    fetch_->progress.total_mb = total_mb;
}

void App::data_fetched(int id, const std::string &error) {
    ++fetches_done_; // the menu's sample strips (fetch 0) are new pictures too
    if (id == 0) strips_pending_ = false;
    if (!fetch_ || fetch_->id != id) return;
    DataFetch done = std::move(*fetch_);
    fetch_.reset();
    if (!error.empty()) {
        ++fetch_failures_;
        set_message(error);
        return;
    }
    if (!submit(done.spec, done.kind, done.saved).empty()) return; // the files are in place now
    // submit clears old messages; what opening this experiment said is about it, and stays.
    if (!done.done_notice.empty()) set_done_message(done.done_notice);
    if (done.weights.empty()) return;
    liandan::Command c{liandan::Command::Kind::set_weights}; // a link's trained weights, for the experiment now live
    c.input = std::move(done.weights);
    post(std::move(c));
    ++loads_posted_;
}

void App::cancel_data_fetch() {
    if (fetch_) set_message(msgf("{0}: loading cancelled; the experiment in force goes on", {fetch_->progress.title}));
    fetch_.reset();
}

std::string App::load_json(const std::string &text, const std::string &name) {
    try {
        return load(liandan::parse_spec_text(text, name));
    } catch (const liandan::Error &e) {
        return e.what();
    }
}

LinkKeys link_keys(const std::string &hash) {
    LinkKeys link;
    std::string text = hash.rfind('#', 0) == 0 ? hash.substr(1) : hash;
    for (size_t start = 0; start <= text.size();) {
        size_t end = text.find('&', start);
        if (end == std::string::npos) end = text.size();
        const std::string pair = text.substr(start, end - start);
        if (pair.rfind("lesson=", 0) == 0) link.id = pair.substr(7);
        else if (pair.rfind("variant=", 0) == 0) link.variant = pair.substr(8);
        else if (pair.rfind("weights=", 0) == 0) link.weights = pair.substr(8);
        else if (pair.rfind("lang=", 0) == 0) link.lang = pair.substr(5);
        else if (!pair.empty()) link.rest += (link.rest.empty() ? "" : "&") + pair;
        start = end + 1;
    }
    return link;
}

const liandan::Lesson *find_lesson(const std::string &id) {
    for (const liandan::Lesson &l : app_lessons())
        if (l.id == id) return &l;
    return nullptr;
}

namespace {
std::string lesson_ids() {
    std::string ids;
    for (const liandan::Lesson &l : app_lessons()) ids += (ids.empty() ? "" : ", ") + l.id;
    return ids;
}

// A link's lesson= that names none ("URL " before it).
std::string no_such_lesson(const std::string &id) {
    return msgf("lesson: there is no lesson '{0}' (the lessons: {1})", {id, lesson_ids()});
}

// "" when variant is empty (the first) or one of the lesson's, else a link's refusal ("URL " before it).
std::string no_such_variant(const liandan::Lesson &lesson, const std::string &variant) {
    if (variant.empty() || lesson.variant(variant)) return "";
    std::string names;
    for (const auto &v : lesson.variants) names += (names.empty() ? "" : ", ") + v.name;
    return msgf("variant: the lesson '{0}' has no variant '{1}' (its variants: {2})", {lesson.id, variant, names});
}

// A link's lesson= and variant= refused ("URL " before it), or "" when it names none or one there is.
std::string link_lesson_refusal(const LinkKeys &link) {
    if (link.id.empty()) return "";
    const liandan::Lesson *lesson = find_lesson(link.id);
    return !lesson ? no_such_lesson(link.id) : no_such_variant(*lesson, link.variant);
}
} // namespace

std::string App::open_lesson(const std::string &id, const std::string &variant) {
    const liandan::Lesson *lesson = find_lesson(id);
    if (!lesson) {
        set_message(msgf("There is no lesson '{0}' (the lessons: {1})", {id, lesson_ids()}));
        return message_;
    }
    if (std::string err = no_such_variant(*lesson, variant); !err.empty()) {
        set_message(err);
        return message_;
    }
    try {
        liandan::Spec spec = lesson->spec(variant);
        // An embed's hidden controls stay hidden, but for the buttons that run a lesson's
        // experiment: its text says to play each variant and compare.
        if (!spec_.view.hidden.empty()) {
            spec.view = spec_.view;
            auto &hidden = spec.view.hidden;
            for (const char *control : {"playButton", "stepButton", "resetButton"})
                hidden.erase(std::remove(hidden.begin(), hidden.end(), control), hidden.end());
        }
        if (std::string err = load(spec); !err.empty()) return err;
    } catch (const liandan::Error &e) {
        set_message(e.what());
        return message_;
    }
    lesson_ = lesson;
    lesson_variant_ = lesson->variant(variant) ? variant : lesson->variants.front().name;
    return "";
}

std::string App::apply_link_weights(const std::string &text) {
    try {
        std::vector<float> values = liandan::values_from_link(text);
        if (waiting_link_) return ""; // a link waiting for its files: it trains from fresh weights
        if (fetch_) {
            fetch_->weights = std::move(values);
            return "";
        }
        liandan::Command c{liandan::Command::Kind::set_weights};
        c.input = std::move(values);
        post(std::move(c));
        ++loads_posted_;
        return "";
    } catch (const liandan::Error &e) {
        set_message(e.what());
        return message_;
    }
}

std::string App::show_lesson(const std::string &id, const std::string &variant) {
    const liandan::Lesson *lesson = find_lesson(id);
    if (!lesson) {
        set_message(msgf("URL {0}", {no_such_lesson(id)}));
        return message_;
    }
    lesson_ = lesson;
    lesson_variant_ = lesson->variant(variant) ? variant : lesson->variants.front().name;
    return "";
}

std::string App::url(bool with_weights, std::string *error) const {
    std::string hash = liandan::url_hash_from_spec(spec_);
    if (lesson_) {
        std::string own = "lesson=" + lesson_->id;
        if (lesson_variant_ != lesson_->variants.front().name) own += "&variant=" + lesson_variant_;
        bool unchanged = false; // the lesson's own experiment: a short link for teachers
        try {
            liandan::Spec lesson_spec = lesson_->spec(lesson_variant_);
            lesson_spec.view = spec_.view;
            unchanged = liandan::url_hash_from_spec(lesson_spec) == hash;
        } catch (const liandan::Error &) {
        }
        hash = unchanged ? own : hash + "&" + own;
    }
    if (with_weights) {
        std::vector<float> values = snap_->params;
        values.insert(values.end(), snap_->state.begin(), snap_->state.end());
        const std::string text = liandan::link_weights(values);
        if (!text.empty()) hash += "&weights=" + text;
        else if (error)
            *error = msgf("this network has {0} weights; links carry at most {1} (download the weights or the experiment instead)",
                          {std::to_string(values.size()), std::to_string(liandan::k_link_weights_max)});
    }
    if (ui_language() != "en") hash += "&lang=" + ui_language();
    return hash;
}

std::string App::load_url(const std::string &hash) {
    try {
        const LinkKeys link = link_keys(hash);
        if (!link.lang.empty()) set_language(link.lang);
        if (!link.weights.empty()) liandan::values_from_link(link.weights); // a bad text is refused before anything loads
        std::string err;
        if (link.id.empty()) {
            lesson_ = nullptr;
            err = open_link(liandan::spec_from_url_hash(link.rest));
        } else {
            if (const std::string refusal = link_lesson_refusal(link); !refusal.empty()) {
                set_message(msgf("URL {0}", {refusal}));
                return message_;
            }
            err = link.rest.empty() ? open_lesson(link.id, link.variant) : open_link(liandan::spec_from_url_hash(link.rest));
            if (err.empty() && !link.rest.empty()) err = show_lesson(link.id, link.variant);
        }
        // The experiment, then its trained values (after its fetch, or dropped while it waits for files).
        if (err.empty() && !link.weights.empty()) err = apply_link_weights(link.weights);
        return err;
    } catch (const liandan::Error &e) {
        set_message(msgf("URL {0}", {e.what()}));
        return message_;
    }
}

std::string App::link_arrived(const std::string &hash) {
    if (view_.embed != ViewSettings::Embed::none || !own_trained_run()) return load_url(hash);
    try { // a link that would be refused is refused at once (by load_url), without a question first
        const LinkKeys link = link_keys(hash);
        if (!link.weights.empty()) liandan::values_from_link(link.weights);
        if (!link_lesson_refusal(link).empty()) return load_url(hash);
        if (link.id.empty() || !link.rest.empty()) {
            const nlohmann::json spec = liandan::spec_to_json(liandan::spec_from_url_hash(link.rest));
            // The link of the experiment in force (typed again, or Back and Forward) keeps its run.
            if (link.id.empty() && link.weights.empty() && spec == liandan::spec_to_json(spec_)) {
                if (!link.lang.empty()) set_language(link.lang);
                return "";
            }
        }
    } catch (const liandan::Error &) {
        return load_url(hash);
    }
    ask_replacement({nullptr, hash});
    return "";
}

void App::choose_lesson(const liandan::Lesson &lesson) {
    if (own_trained_run()) ask_replacement({&lesson, ""});
    else open_lesson(lesson.id, "");
}

void App::answer_replacement(bool open) {
    std::optional<AskedReplacement> asked = std::move(asked_);
    asked_.reset();
    ++questions_;
    if (!open || !asked) return;
    if (asked->lesson) open_lesson(asked->lesson->id, "");
    else load_url(asked->link); // a refusal shows in the app
}

std::string App::open_link(const liandan::Spec &spec) {
    const std::vector<std::string> missing = uploads_of(spec, true);
    if (missing.empty()) return load(spec); // (load drops any link still waiting)
    waiting_link_ = spec;
    std::string names;
    for (size_t i = 0; i < missing.size(); ++i) names += (i ? " and " : "") + missing[i].substr(std::strlen(k_uploads_dir));
    if (missing.size() > 1)
        set_message(
            msgf("This link trains on {0}, opened from the disk of the computer it was made on. Open them again (Open data file… or a "
                 "drop on the page) and the link's experiment loads.",
                 {names}));
    else
        set_message(
            msgf("This link trains on {0}, opened from the disk of the computer it was made on. Open it again (Open data file… or a "
                 "drop on the page) and the link's experiment loads.",
                 {names}));
    return "";
}

std::vector<std::string> uploads_of(const liandan::Spec &spec, bool only_missing) {
    std::vector<std::string> paths;
    for (const std::string *path : data_file_fields(spec))
        if (std::error_code e; path->rfind(k_uploads_dir, 0) == 0 && !(only_missing && std::filesystem::exists(*path, e)))
            paths.push_back(*path);
    return paths;
}

nlohmann::json App::views_json() const {
    const ImageViewsState &im = view_.images;
    const TableViewsState &t = view_.tables;
    nlohmann::json j = {{"layer_stack_error", view_.stack_draft.error},
                        {"threshold", {{"value", t.threshold}, {"auc", t.auc}, {"recall", t.recall}, {"precision", t.precision}}},
                        {"confusion_cell", {{"actual", im.cell_actual}, {"predicted", im.cell_predicted}, {"images", im.cell_count}}}};
    if (snap_->probe && snap_->probe->id == im.probe_id) {
        const auto &p = snap_->probe->probabilities;
        j["probe"] = {{"id", im.probe_id}, {"drawn", im.pad_in_use}, {"probabilities", p},
                      {"top", p.empty() ? -1 : int(std::max_element(p.begin(), p.end()) - p.begin())}};
    }
    return j;
}

nlohmann::json App::metrics_json() const {
    nlohmann::json j = liandan::metrics_to_json(snap_->metrics, snap_->task);
    j["running"] = snap_->running;
    j["steps_per_s"] = snap_->steps_per_s;
    j["step_now"] = snap_->steps_now; // step and epoch are the evaluation's, with its losses
    j["epoch_now"] = snap_->epoch_now;
    j["run"] = snap_->run_id;
    j["loads"] = snap_->loads;
    if (fetch_) j["fetching"] = {{"data", fetch_->progress.title}, {"loaded_mb", fetch_->progress.loaded_mb}, {"total_mb", fetch_->progress.total_mb}};
    j["fetch_failures"] = fetch_failures_;
    if (!snap_->error.empty()) j["error"] = snap_->error;
    return j;
}

