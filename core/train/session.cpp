// Session: command handling, the worker loop and snapshot publishing.
#include "train/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "data/catalog.h"
#include "data/toy.h"
#include "io/safetensors.h"

namespace liandan {
namespace {

double ms_of(Trainer::Clock::time_point t) { return std::chrono::duration<double, std::milli>(t.time_since_epoch()).count(); }
double now_ms() { return ms_of(Trainer::Clock::now()); }

// The worker trains in slices of this length between looks at the command queue.
constexpr double k_worker_slice_ms = 10.0;
// Least time between two curve points taken at epoch ends, once a curve has k_history_dense points:
// before that every epoch gets one, or a small network at full speed (150 epochs in 30 ms
// natively) drew its whole curve from five points.
constexpr double k_history_gap_ms = 3.0;
constexpr size_t k_history_dense = 200;

} // namespace

Session::Session(const Spec &spec, std::function<HostMemory()> host_memory) : host_memory_(std::move(host_memory)), view_(spec.view) {
    restart(spec);
    if (!error_.empty()) throw Error("spec", error_); // the first spec must build
    begin_publication();
    while (!advance_publication(1e9)) {}
}

Session::~Session() {
    {
        std::lock_guard lock(mutex_); // else the worker may test quit_, miss this notify and sleep for good
        quit_ = true;
    }
    wake_.notify_all();
#if LIANDAN_THREADS
    if (worker_.joinable()) worker_.join();
#endif
}

void Session::start_thread() {
#if LIANDAN_THREADS
    if (!worker_.joinable()) worker_ = std::thread([this] { worker_loop(); });
#endif
}

void Session::post(Command c) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(c));
    }
    wake_.notify_all();
}

void Session::note_input() { input_ms_.store(now_ms(), std::memory_order_relaxed); }

bool Session::input_recent() const { return now_ms() - input_ms_.load(std::memory_order_relaxed) < k_input_grace_ms; }

std::shared_ptr<const Snapshot> Session::latest() const {
    std::lock_guard lock(mutex_);
    return latest_;
}

void Session::worker_loop() {
    while (!quit_) {
        {
            std::unique_lock lock(mutex_);
            // running_, pending_steps_, held_ and publish_due_ are only written by this thread, so reading them here is safe.
            const auto woken = [&] {
                return quit_ || !queue_.empty() || !held_.empty() || running_ || pending_steps_ > 0 || publication_ || publish_due_;
            };
            if (keep_due_ms_ > 0) {
                // A change not kept yet (made too soon after the last file): kept once that is affordable,
                // so the state a person leaves the page idle in is what comes back.
                wake_.wait_for(lock, std::chrono::duration<double, std::milli>(std::max(0.0, keep_due_ms_ - now_ms())), woken); // pump keeps it
            } else wake_.wait(lock, woken);
        }
        if (quit_) break;
        const double slice_start = now_ms();
        pump(k_worker_slice_ms);
        if (running_ && speed_ <= 0 && input_recent()) { // take turns with the interface: as long a pause as the turn
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::duration<double, std::milli>(now_ms() - slice_start), [&] { return quit_ || !queue_.empty(); });
        }
        if (held_back_ms_ > 0 && running_ && !publication_) { // held back by the speed limit: sleep until the next step is due
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::duration<double, std::milli>(std::min(held_back_ms_, 4.0)),
                           [&] { return quit_ || !queue_.empty(); });
        }
    }
}

void Session::pump(double budget_ms) {
    std::deque<Command> commands;
    {
        std::lock_guard lock(mutex_);
        commands.swap(queue_);
    }
    if (!held_.empty()) { // they came first
        // A reset, load or restore since abandons the steps the save waits for (they would be
        // discarded): the save answers with the steps trained so far, and the new command goes on.
        const auto replaces_run = [](const Command &c) {
            return c.kind == Command::Kind::reset || c.kind == Command::Kind::load || c.kind == Command::Kind::restore;
        };
        if (std::any_of(commands.begin(), commands.end(), replaces_run)) pending_steps_ = 0;
        held_.insert(held_.end(), std::make_move_iterator(commands.begin()), std::make_move_iterator(commands.end()));
        commands.swap(held_);
        held_.clear();
    }
    for (auto it = commands.begin(); it != commands.end(); ++it) {
        Command &c = *it;
        // A save's file comes after the commands before it: "step n, save" saves the n steps
        // trained, so the save and what follows it wait for them (training goes on meanwhile).
        if (c.kind == Command::Kind::save && pending_steps_ > 0) {
            held_.assign(std::make_move_iterator(it), std::make_move_iterator(commands.end()));
            break;
        }
        // A save then a command in one batch (a download, then a lesson): the file is made before
        // the command changes the run, as the save promises.
        if (save_due_ && c.kind != Command::Kind::save) answer_save_now();
        // A snapshot under way was evaluated with weights or data these change (or with a trainer
        // a restart replaced, as play after a divergence does): it starts over.
        const bool changes_weights = c.kind == Command::Kind::load || c.kind == Command::Kind::reset ||
                                     c.kind == Command::Kind::edit_data || c.kind == Command::Kind::set_param ||
                                     c.kind == Command::Kind::load_weights || c.kind == Command::Kind::set_weights ||
                                     c.kind == Command::Kind::restore;
        const Trainer *before = trainer_.get();
        publish_due_ |= handle(c);
        if (changes_weights || trainer_.get() != before) publication_.reset();
    }
    // Training waits until the snapshot under way is out (all of it sees one set of weights), then
    // goes on in the same pump.
    const double slice_ms = std::max(budget_ms, publish_slice_ms);
    if (publication_ && !advance_publication(slice_ms)) return;
    if (running_ || pending_steps_ > 0) {
        train_for(budget_ms);
        bool stopped = !running_ && pending_steps_ == 0;
        // Publish at a bounded rate while training, and always when training has just stopped.
        // A snapshot of a big network (evaluation, decision map, neuron maps) costs milliseconds:
        // at most a fifth of the time goes to them (a tenth at full speed), on the trainer's
        // thread or the page's only one.
        const double interval = speed_ > 0 ? std::max(publish_interval_ms, 4 * publish_cost_ms_)
                                           : std::max(full_speed_publish_interval_ms, 9 * publish_cost_ms_);
        publish_due_ |= stopped || now_ms() - last_publish_ms_ >= interval;
        if (!publish_due_ && !publication_ && running_) {
            const double now = now_ms();
            if (now - std::max(last_publish_ms_, last_progress_ms_) >= progress_interval_ms) publish_progress();
        }
    }
    const bool keep_due = keep_due_ms_ > 0 && now_ms() >= keep_due_ms_; // a change left unkept, now affordable
    if (publish_due_ || keep_due) {
        // Paused, a snapshot made only for the file shows what the last one showed.
        const bool keep_only = !publish_due_ && !running_ && pending_steps_ == 0;
        publish_due_ = false;
        begin_publication(keep_only);
        advance_publication(slice_ms);
    }
}

bool Session::handle(Command &c) {
    switch (c.kind) {
    case Command::Kind::play: {
        // After a divergence the weights are lost: start over with the settings now in force (the
        // smaller learning rate the message asked for). After the last epoch, play goes on for as
        // many epochs again, from the weights as they are (edits included); reset starts over.
        if (diverged_) restart(trainer_->spec(), true);
        error_.clear();
        const int epochs = trainer_->spec().train.epochs;
        if (epochs > 0 && trainer_->epoch() >= epoch_limit_) epoch_limit_ = trainer_->epoch() + epochs;
        if (!running_) restart_rate(); // the time paused is not time trained
        running_ = true;
        return true;
    }
    case Command::Kind::pause: running_ = false; return true;
    case Command::Kind::step:
        if (diverged_) restart(trainer_->spec(), true);
        error_.clear(); // as play: the user goes on past a pause's reason or a refused load
        pending_steps_ += c.steps;
        return false;
    case Command::Kind::reset:
        running_ = false;
        pending_steps_ = 0;
        restart(trainer_->spec(), true);
        return true;
    case Command::Kind::load:
        running_ = false;
        pending_steps_ = 0;
        restart(*c.spec);
        view_ = c.spec->view; // the view the host loaded it with, even if refused (the host shows it)
        ++loads_;
        return true;
    case Command::Kind::edit_data:
        view_ = c.spec->view;
        ++loads_;
        ++edits_;
        if (go_on_with_data(*c.spec)) return true;
        running_ = false;
        pending_steps_ = 0;
        restart(*c.spec);
        return true;
    case Command::Kind::restore: {
        ++loads_;
        const Trainer *before = trainer_.get();
        restart(c.spec ? *c.spec : c.saved->spec, false, c.saved.get());
        if (trainer_.get() == before) return true; // refused: error_ says why, the run goes on
        view_ = (c.spec ? *c.spec : c.saved->spec).view;
        running_ = false;
        pending_steps_ = 0;
        return true;
    }
    case Command::Kind::save:
        save_due_ = true;
        save_asked_ = std::max(save_asked_, uint64_t(c.steps));
        return true;
    case Command::Kind::load_weights:
    case Command::Kind::set_weights:
        ++loads_;
        ++edits_;
        try { // all or nothing: a refused file changes no weight
            if (c.kind == Command::Kind::load_weights) trainer_->load_weights(*c.weights_file);
            else trainer_->set_values(c.input);
        } catch (const NetworkMismatch &e) { // weights alone do not say their network: the experiment file does
            error_ = std::string(e.what()) + ": these weights are another network's (an experiment file opens with its own network)";
            return true;
        } catch (const Error &e) {
            error_ = e.what(); // the run goes on as it was
            return true;
        }
        error_.clear();
        diverged_ = false; // finite weights again
        inspection_step_ = -1; // the maps must show them at once
        next_inspection_ms_ = 0;
        return true;
    case Command::Kind::set_lr:
        trainer_->set_lr(c.value);
        ++edits_;
        return true;
    case Command::Kind::probe: {
        if (int(c.input.size()) != data_->n_features) return false; // made for another data set
        probe_input_ = std::move(c.input);
        probe_id_ = uint64_t(c.steps);
        // Out at once in a copy of the latest snapshot: one forward pass, where a whole snapshot
        // (evaluation of both splits) takes seconds on MNIST, and the drawing pad reads live.
        const std::shared_ptr<const Snapshot> last = latest();
        if (last->run_id != run_id_ || !last->data) return true; // this run has no snapshot yet: in its first
        auto snap = std::make_shared<Snapshot>(*last);
        snap->probe = std::make_shared<const Probe>(probe_network(*trainer_, probe_id_, probe_input_));
        snap->version = ++version_;
        snap->shown_version = ++shown_version_;
        snap->content_version = content_version_ = snap->version; // the views' pictures of the probe change
        std::lock_guard lock(mutex_);
        latest_ = std::move(snap);
        return false;
    }
    case Command::Kind::set_param: {
        auto params = trainer_->model().params();
        if (c.steps < 0 || size_t(c.steps) >= params.size() || !std::isfinite(c.value)) return false;
        params[size_t(c.steps)] = float(c.value);
        ++edits_;
        inspection_step_ = -1; // the maps must show the edit at once
        next_inspection_ms_ = 0;
        return true;
    }
    case Command::Kind::set_view:
        if (!c.spec || view_ == c.spec->view) return false;
        view_ = c.spec->view;
        ++edits_; // kept with the next snapshot
        return true;
    case Command::Kind::set_speed:
        if (std::max(0.0, c.value) == speed_ && c.unit == speed_unit_) return false; // loads repeat it: keep the bucket
        speed_ = std::max(0.0, c.value);
        speed_unit_ = c.unit;
        speed_budget_ = 0;
        speed_clock_ms_ = now_ms();
        ++edits_;
        return true;
    }
    return false;
}

void Session::train_for(double budget_ms) {
    // One clock reading a step: the trainer's own, at the step's end, which is also when the next
    // step starts (Trainer::step(started)). A tiny network's step takes 3 µs in the page, where a
    // reading is a call out to JavaScript: three a step cost W3 about a sixth of its thread.
    Trainer::Clock::time_point t = Trainer::Clock::now();
    const double start = ms_of(t);
    double now = start;
    held_back_ms_ = 0;
    try {
        do {
            if (pending_steps_ > 0) --pending_steps_;
            else if (!running_ || throttled(now)) break;
            const int epoch_before = trainer_->epoch();
            trainer_->step(t);
            t = trainer_->last_step_end();
            now = ms_of(t);
            if (running_ && epoch_limit_ > 0 && trainer_->epoch() >= epoch_limit_) running_ = false; // the stop rule
            // A curve point per epoch, so fast runs still draw a smooth curve; past the first points
            // the time gate keeps evaluation under a few percent of training.
            // Its cost counts: on an image set an epoch can take a second, and its evaluation a
            // quarter of that, so it waits until it would take at most a twentieth of the time.
            if (trainer_->epoch() == epoch_before) continue;
            const double since = now - last_history_ms_;
            if (since >= 19 * epoch_evaluation_ms_ && (history_.size() < k_history_dense || since >= k_history_gap_ms)) {
                const auto [train_rows, test_rows] = evaluation_rows();
                const EpochMetrics m = trainer_->evaluate(train_rows, test_rows);
                t = Trainer::Clock::now(); // the next step starts after the evaluation
                epoch_evaluation_ms_ = ms_of(t) - now;
                now = ms_of(t);
                record_history(m);
                if (reached_target(m)) running_ = false;
            }
        } while ((running_ || pending_steps_ > 0) && now - start < budget_ms);
    } catch (const Diverged &e) {
        running_ = false;
        diverged_ = true;
        pending_steps_ = 0;
        error_ = e.what();
    }
}

bool Session::throttled(double now) {
    if (speed_ <= 0) return false;
    // Token bucket: the limit's rate of steps, with at most a tenth of a second saved up. An
    // epoch pace follows the run's epoch length, which a new data set or batch size changes.
    const double steps_per_s = speed_unit_ == SpeedUnit::epochs ? speed_ * std::max(1, trainer_->steps_per_epoch()) : speed_;
    speed_budget_ = std::min(speed_budget_ + (now - speed_clock_ms_) * steps_per_s / 1000.0, std::max(1.0, steps_per_s * 0.1));
    speed_clock_ms_ = now;
    if (speed_budget_ < 1) {
        held_back_ms_ = (1 - speed_budget_) * 1000.0 / steps_per_s; // until the next step is due
        return true;
    }
    speed_budget_ -= 1;
    return false;
}

bool Session::reached_target(const EpochMetrics &m) const {
    const double target = trainer_->spec().train.target_loss;
    return target > 0 && m.loss_train <= target;
}

void Session::restart(Spec spec, bool keep_data, const SavedExperiment *saved) {
    std::unique_ptr<Trainer> next;
    // The same data section and loss read the same rows: a reset, or a new network on a named set,
    // keeps them (a file opened again under the same name may hold other rows: it is read again).
    std::shared_ptr<const Dataset> same_data;
    if (trainer_ && (keep_data || named_set(spec.data.source)) && spec.loss.type == trainer_->spec().loss.type &&
        spec_to_json(spec)["data"] == spec_to_json(trainer_->spec())["data"])
        same_data = trainer_->shared_data();
    try {
        next = std::make_unique<Trainer>(spec, host_memory_ ? host_memory_() : HostMemory{}, std::move(same_data));
        if (saved) restore_experiment(*next, *saved);
    } catch (const Error &e) {
        error_ = e.what(); // keep the current run: nothing the user had is lost
        return;
    }
    trainer_ = std::move(next);
    error_.clear();
    diverged_ = false;
    dead_noticed_ = false;
    epoch_limit_ = spec.train.epochs;
    data_ = trainer_->shared_data();
    history_.clear();
    epoch_evaluation_ms_ = 0;
    history_stride_ = 1;
    points_since_thinning_ = 0;
    ++run_id_;
    steps_per_s_ = 0;
    grad_steps_.clear();
    grad_norms_.clear();
    grad_stride_ = 1;
    grad_points_since_thinning_ = 0;
    if (saved) { // its curves go on where they were
        history_ = saved->curves.history;
        // The gradient norms start afresh: a file's layer count is not checked against the network's.
    }
    restart_rate();
    views_of_new_data(spec);
}

// Points edited while the network trains: it goes on from its weights, optimizer state, steps and
// curves on the new rows, so the user sees it adapt, when nothing but the data changed and the
// network still fits them (a point of a new class widens the output: that starts over).
bool Session::go_on_with_data(const Spec &spec) {
    // The same spec but for the points (and the toy set they were first drawn from): the same
    // features, split and normalization, so the weights still mean what they meant.
    auto all_but_points = [](Spec s) {
        s.data.points.clear(); // not written out only to be erased
        nlohmann::json j = spec_to_json(s);
        j.erase("view");
        for (const char *key : {"source", "toy", "points"}) j["data"].erase(key);
        return j;
    };
    const DataSource was = trainer_->spec().data.source;
    if (diverged_ || spec.data.source != DataSource::points || (was != DataSource::points && was != DataSource::toy) ||
        all_but_points(spec) != all_but_points(trainer_->spec()))
        return false;
    try {
        trainer_->replace_data(spec.data);
    } catch (const Error &) {
        return false;
    }
    data_ = trainer_->shared_data();
    error_.clear();
    views_of_new_data(spec);
    return true;
}

void Session::views_of_new_data(const Spec &spec) {
    inspection_.reset(); // also dead and saturated units, counted on the training rows
    inspection_step_ = -1;
    next_inspection_ms_ = 0;
    grid_inputs_.clear();
    map_inputs_.clear();
    fit_inputs_.clear();
    if (!data_->toy && data_->n_features == 1 && data_->sample_shape.size() == 1) { // one input: a curve over its range
        float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
        for (const Split *s : {&data_->train, &data_->test})
            for (int r = 0; r < s->n; ++r) lo = std::min(lo, s->x[size_t(r)]), hi = std::max(hi, s->x[size_t(r)]);
        if (hi < lo) lo = hi = 0;
        const float margin = 0.05f * std::max(hi - lo, 1e-3f);
        for (int i = 0; i < k_fit_points; ++i) fit_inputs_.push_back(lo - margin + (hi - lo + 2 * margin) * float(i) / float(k_fit_points - 1));
    }
    if (!data_->toy) return; // decision maps are for data drawn from the plane
    // A dense network's multiply-adds per point are about its parameter count.
    const double macs = std::max<double>(1.0, double(trainer_->model().params().size()));
    auto side_within_budget = [&](int largest, int smallest, int step) {
        int side = largest;
        while (side > smallest && macs * side * side > k_map_macs) side -= step;
        return side;
    };
    grid_size_ = side_within_budget(k_grid_size, 16, 8);
    grid_inputs_ = data_->plane_grid_features(grid_size_);
    int units = data_->n_features;
    for (const LayerSpec &l : spec.model.layers) units += l.units;
    map_size_ = std::min(neuron_map_size(units), side_within_budget(32, 8, 4));
    map_inputs_ = data_->plane_grid_features(map_size_);
}

bool Session::inspection_due(double now) const {
    // Neuron maps cost a forward pass over the map grid: keep them under about a tenth of the time.
    const bool stale = inspection_step_ != trainer_->steps();
    return !inspection_ || (stale && (now >= next_inspection_ms_ || !running_));
}

void Session::adopt_inspection(Inspection next, double cost_ms, double now) {
    next_inspection_ms_ = now + std::max(publish_interval_ms, 9 * cost_ms);
    if (inspection_step_ != trainer_->steps() && trainer_->steps() > 0) {
        const size_t L = next.layers.size();
        if (grad_steps_.empty() || ++grad_points_since_thinning_ % grad_stride_ == 0) {
            grad_steps_.push_back(trainer_->steps());
            for (const LayerStats &l : next.layers) grad_norms_.push_back(float(l.grad_norm));
        }
        if (grad_steps_.size() >= k_grad_history_max) { // keep every other point, then add half as often
            size_t w = 0;
            for (size_t r = 0; r < grad_steps_.size(); r += 2, ++w) {
                grad_steps_[w] = grad_steps_[r];
                std::copy_n(&grad_norms_[r * L], L, &grad_norms_[w * L]);
            }
            grad_steps_.resize(w);
            grad_norms_.resize(w * L);
            grad_stride_ *= 2;
        }
    }
    next.id = ++inspections_made_;
    inspection_ = std::make_shared<Inspection>(std::move(next));
    inspection_step_ = trainer_->steps();
}

void Session::record_history(const EpochMetrics &m) {
    if (!history_.empty() && history_.back().step == m.step) return;
    if (history_.empty() || ++points_since_thinning_ % history_stride_ == 0)
        history_.push_back({m.step, trainer_->epoch_progress(), m.loss_train, m.loss_test,
                            m.accuracy_train, m.accuracy_test, m.rmse_test, m.r2_test});
    if (history_.size() >= k_history_max) { // keep every other point, then add half as often
        size_t w = 0;
        for (size_t r = 0; r < history_.size(); r += 2) history_[w++] = history_[r];
        history_.resize(w);
        history_stride_ *= 2;
    }
    last_history_ms_ = now_ms();
}

// A hidden layer whose relu units are all dead (0 on every probe row) passes no gradient down, so
// training cannot bring it back: say so once per run, like a divergence, rather than training on
// in silence (a learning rate of 10 does it in a few steps). Play goes on from there if wanted.
void Session::pause_if_a_layer_died() {
    if (!running_ || dead_noticed_ || !inspection_) return;
    const auto &columns = inspection_->columns;
    for (size_t i = 0; i + 1 < columns.size(); ++i) { // the last column is the output
        const NeuronColumn &c = columns[i];
        if (c.layer < 0 || c.units == 0 || c.dead != c.units) continue;
        dead_noticed_ = true;
        running_ = false;
        const size_t hidden = data_->toy ? i : i + 1; // as the network view counts its columns
        // The squared features reach 36 on the plane: large inputs kill relu units sooner. Said only where they are in use.
        const auto &f = trainer_->spec().data.features;
        const bool squares = data_->toy && (std::count(f.begin(), f.end(), "x2") || std::count(f.begin(), f.end(), "y2"));
        error_ = "paused: every unit of hidden layer " + std::to_string(hidden) + " (" + c.label + ", model.layers[" +
                 std::to_string(c.layer) + "]) is dead: it outputs 0 for every training point probed, so no gradient "
                 "flows back through it and training cannot revive it. Reset with a smaller learning rate (optimizer.lr), or use "
                 "leaky_relu" + std::string(squares ? " (large inputs such as x² and y² make relu layers die sooner)" : "") +
                 ". Play goes on as it is.";
        return;
    }
}

// Rows per chunk of a snapshot's passes. On the worker thread, whole batches: a chunk only has to
// let commands in now and then, and every chunk reads every weight (at 10 × 1000, chunks of 8 rows
// made a snapshot 2.7 times slower). Pumped on the caller's thread (the page without threads), a
// frame's share: about k_chunk_macs multiply-adds (a dense network costs about its parameter count
// per row), at least 8 rows.
int Session::chunk_rows() const {
    if (publish_chunk_rows > 0) return publish_chunk_rows;
    const int batch = trainer_->model().max_batch();
#if LIANDAN_THREADS
    if (worker_.joinable()) return batch;
#endif
    constexpr double k_chunk_macs = 1e8;
    const double macs = std::max<double>(1.0, double(trainer_->model().params().size()));
    return int(std::clamp(k_chunk_macs / macs, std::min(8.0, double(batch)), double(batch)));
}

std::pair<int, int> Session::evaluation_rows() const {
    const int affordable = int(std::clamp(evaluation_macs / trainer_->model().macs_per_row(), 100.0, 1e9));
    return {std::min(k_train_eval_rows, affordable), affordable};
}

void Session::begin_publication(bool keep_only) {
    publication_.emplace();
    Publication &p = *publication_;
    p.keep_only = keep_only;
    p.snap = std::make_shared<Snapshot>();
    const auto [train_rows, test_rows] = evaluation_rows();
    p.evaluation.emplace(*trainer_, train_rows, test_rows);
}

// The snapshot's stages in order, each a chunk of rows per call: evaluation of both splits, the
// decision map, the table views, the inspection when one is due; then the copy and the swap.
bool Session::advance_publication(double budget_ms) {
    Publication &p = *publication_;
    Snapshot &snap = *p.snap;
    const double t0 = now_ms();
    const int rows = chunk_rows();
    bool done = false;
    do {
        switch (p.stage) {
        case Publication::Stage::evaluate:
            if (p.evaluation->advance(rows)) {
                snap.metrics = p.evaluation->result();
                snap.test_probabilities = p.evaluation->take_test_probabilities();
                p.evaluation.reset();
                if (running_ && reached_target(snap.metrics)) running_ = false; // the spec's target loss is reached
                record_history(snap.metrics);
                p.stage = Publication::Stage::grid;
            }
            break;
        case Publication::Stage::grid:
            if (data_->toy && p.row < grid_size_ * grid_size_) {
                if (p.row == 0) snap.grid.resize(size_t(grid_size_) * grid_size_);
                const int n = std::min(rows, grid_size_ * grid_size_ - p.row);
                trainer_->predict(&grid_inputs_[size_t(p.row) * data_->n_features], n, &snap.grid[size_t(p.row)]);
                p.row += n;
                break;
            }
            p.row = 0;
            p.stage = Publication::Stage::table;
            break;
        case Publication::Stage::table:
            if (!data_->toy && data_->sample_shape.size() == 1) {
                if (data_->task == Task::regression) {
                    snap.test_predictions.resize(size_t(std::min(data_->test.n, k_fit_rows)));
                    trainer_->predict(data_->test.x.data(), int(snap.test_predictions.size()), snap.test_predictions.data());
                }
                if (!fit_inputs_.empty()) {
                    snap.fit_x = fit_inputs_;
                    snap.fit_y.resize(fit_inputs_.size());
                    trainer_->predict(fit_inputs_.data(), int(fit_inputs_.size()), snap.fit_y.data());
                }
            }
            if (int(probe_input_.size()) == data_->n_features)
                snap.probe = std::make_shared<const Probe>(probe_network(*trainer_, probe_id_, probe_input_));
            p.stage = Publication::Stage::inspect;
            if (inspection_due(now_ms())) {
                p.inspection.emplace(*trainer_, map_size_, map_inputs_);
                p.inspection_ms = 0;
            }
            break;
        case Publication::Stage::inspect:
            if (p.inspection) {
                const double i0 = now_ms();
                const bool complete = p.inspection->advance(rows);
                p.inspection_ms += now_ms() - i0;
                if (!complete) break;
                adopt_inspection(p.inspection->take(), p.inspection_ms, now_ms());
                p.inspection.reset();
            }
            done = true;
            break;
        }
    } while (!done && now_ms() - t0 < budget_ms);
    p.work_ms += now_ms() - t0;
    if (done) finish_publication();
    return done;
}

void Session::finish_publication() {
    std::shared_ptr<Snapshot> snap = std::move(publication_->snap);
    const double work_ms = publication_->work_ms;
    // Still only for the file if nothing asked for a snapshot while it was made (a pause, a play).
    const bool keep_only = publication_->keep_only && !publish_due_ && !running_ && pending_steps_ == 0;
    publication_.reset();
    const double t = now_ms();
    snap->version = ++version_;
    snap->shown_version = keep_only ? shown_version_ : ++shown_version_;
    snap->run_id = run_id_;
    snap->spec = trainer_->spec();
    snap->task = data_->task;
    snap->speed = speed_;
    snap->speed_unit = speed_unit_;
    snap->epoch_limit = epoch_limit_;
    // A snapshot only for the kept file leaves the rate as shown (it is not drawn).
    if (!keep_only) update_rate(t);
    snap->steps_per_s = steps_per_s_;
    snap->steps_now = trainer_->steps();
    snap->epoch_now = trainer_->epoch();
    snap->content_version = content_version_ = snap->version;
    snap->history = history_;
    if (data_->toy) {
        snap->grid_size = grid_size_;
        snap->extent = k_toy_extent;
    }
    snap->inspection = inspection_;
    snap->inspection_step = inspection_step_;
    snap->n_grad_layers = int(inspection_->layers.size());
    snap->grad_steps = grad_steps_;
    snap->grad_norms = grad_norms_;
    pause_if_a_layer_died();
    snap->running = running_;
    snap->error = error_;
    snap->diverged = diverged_;
    snap->loads = loads_;
    snap->data = data_;
    auto params = trainer_->model().params();
    snap->params.assign(params.begin(), params.end());
    const auto state = trainer_->model().state();
    snap->state.assign(state.begin(), state.end());
    snap->param_views = trainer_->model().param_views();
    last_publish_ms_ = t;
    const double cost = work_ms + (now_ms() - t);
    if (!keep_only) publish_cost_ms_ = publish_cost_ms_ > 0 ? 0.7 * publish_cost_ms_ + 0.3 * cost : cost;
    snap->publish_ms = publish_cost_ms_;
    attach_experiment(*snap, t);
    std::lock_guard lock(mutex_);
    latest_ = std::move(snap);
}

void Session::restart_rate() {
    rate_samples_.clear();
    rate_samples_.emplace_back(now_ms(), trainer_->steps());
}

// Steps per second over about the last 3 s (half a second at least): under a speed limit steps
// come one at a time, and a rate over one publish interval would flicker between 0 and 30; at full
// speed a costly snapshot's pause would read as a stall.
void Session::update_rate(double now) {
    rate_samples_.emplace_back(now, trainer_->steps());
    while (rate_samples_.size() > 2 && now - rate_samples_[1].first >= k_rate_window_ms) rate_samples_.pop_front();
    const auto [t0, steps0] = rate_samples_.front();
    if (now - t0 >= k_rate_first_ms || (!running_ && now > t0))
        steps_per_s_ = double(trainer_->steps() - steps0) * 1000.0 / (now - t0);
}

void Session::publish_progress() {
    std::shared_ptr<const Snapshot> last = latest();
    // Only over a full snapshot of this run: a load or reset publishes one at once.
    if (last->run_id != run_id_ || last->content_version != content_version_) return;
    auto snap = std::make_shared<Snapshot>(*last);
    const double t = now_ms();
    update_rate(t);
    snap->version = ++version_; // shown_version stays: the host draws progress alone within its own budget
    snap->steps_now = trainer_->steps();
    snap->epoch_now = trainer_->epoch();
    snap->steps_per_s = steps_per_s_;
    snap->running = running_;
    last_progress_ms_ = t;
    std::lock_guard lock(mutex_);
    latest_ = std::move(snap);
}

void Session::attach_experiment(Snapshot &snap, double now) {
    const auto state = std::make_tuple(run_id_, trainer_->steps(), edits_);
    const bool changed = state != saved_state_;
    const bool progress_only = running_ && std::get<0>(state) == std::get<0>(saved_state_) && std::get<2>(state) == std::get<2>(saved_state_);
    const double by_size_ms = progress_only && last_experiment_ ? 1000.0 * double(last_experiment_->size()) / keep_bytes_per_s : 0.0;
    const double spacing_ms = std::max(20 * experiment_cost_ms_, by_size_ms);
    const bool affordable = now - last_experiment_ms_ >= spacing_ms;
    keep_due_ms_ = keep_experiment_ && changed && !affordable && !save_due_ ? last_experiment_ms_ + spacing_ms : 0;
    if (save_due_ || (keep_experiment_ && changed && affordable)) {
        const double t0 = now_ms();
        last_experiment_ = std::make_shared<const std::string>(
            experiment_bytes(*trainer_, {history_, int(inspection_->layers.size()), grad_steps_, grad_norms_}, &view_));
        ++experiments_made_;
        experiment_cost_ms_ = now_ms() - t0;
        last_experiment_ms_ = now;
        saved_state_ = state;
        if (save_due_) saved_experiment_ = last_experiment_;
        save_due_ = false;
        save_served_ = save_asked_; // this file answers every save asked for so far
    }
    // Every snapshot carries the newest file: the host may skip snapshots, never the file asked for.
    snap.experiment = last_experiment_;
    snap.experiment_id = experiments_made_;
    snap.saved_experiment = saved_experiment_;
    snap.experiment_request = save_served_;
}

void Session::answer_save_now() {
    // The last snapshot as it was, carrying the file: nothing new to draw (its shown version stays).
    auto snap = std::make_shared<Snapshot>(*latest());
    attach_experiment(*snap, now_ms());
    snap->version = ++version_;
    std::lock_guard lock(mutex_);
    latest_ = std::move(snap);
}

} // namespace liandan
