// A training session: a Trainer on a worker thread (or pumped from the frame loop where threads
// are unavailable), commands in through a queue, snapshots out through a mailbox (docs/design.md, "How data moves").
#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

#include "config.h"
#include "spec.h"
#include "train/experiment_file.h"
#include "train/snapshot.h"
#include "train/trainer.h"

namespace liandan {

struct Command {
    // edit_data: a spec whose data alone changed (points edited); training goes on where it can
    // load_weights: a safetensors file (weights_file, as the host read it) replaces the weights, or
    // is refused leaving them
    // (set_weights: the same from values, as a link carries them)
    // probe: input [F] (normalized features) is followed through the network in every snapshot
    // from now on (Snapshot::probe, its id in steps), until another probe or a new data set
    // restore: a saved experiment replaces the run (weights, optimizer state, progress, curves), or
    // is refused leaving it; save (number in steps): the next snapshot carries the experiment file
    // made after the commands before it (the steps they asked for trained) and before any after it
    // (Snapshot::saved_experiment, experiment_request = that number)
    // set_view: the view settings the host shows now (spec.view), kept in the experiment file
    enum class Kind { play, pause, step, reset, load, edit_data, set_lr, set_param, set_speed, load_weights, set_weights, probe, restore, save, set_view };
    Kind kind;
    int64_t steps = 0;    // step: batches to take; set_param: index into the parameters
    double value = 0;     // set_lr: the rate; set_param: the new value; set_speed: the pace (0 = no limit)
    SpeedUnit unit = SpeedUnit::steps; // set_speed: value is steps, or epochs, per second
    std::optional<Spec> spec; // load, edit_data, set_view
    std::shared_ptr<const SafetensorsFile> weights_file; // load_weights
    std::vector<float> input; // probe; set_weights: the parameters, then the buffers
    std::shared_ptr<const SavedExperiment> saved; // restore
};

// A snapshot under way in a Session. At namespace scope rather than nested in Session: clang
// decides whether a nested class is default-constructible while the enclosing one is incomplete,
// and std::optional's emplace() then refuses it.
struct SessionPublication {
    enum class Stage { evaluate, grid, table, inspect } stage = Stage::evaluate;
    std::shared_ptr<Snapshot> snap;
    std::optional<Trainer::Evaluation> evaluation;
    std::optional<InspectionBuilder> inspection;
    int row = 0; // the next row of the stage's pass
    bool keep_only = false; // made only to carry the kept experiment file: nothing shown changes
    double work_ms = 0, inspection_ms = 0; // time spent on it so far, and on its inspection
};

class Session {
public:
    static constexpr size_t k_history_max = 2000;
    static constexpr int k_grid_size = 64; // the decision map's side, less for networks too big for it
    // Multiply-adds a snapshot's decision map and neuron maps may each cost: a network of millions
    // of weights gets coarser maps rather than a trainer that answers pause seconds late.
    static constexpr double k_map_macs = 4e7;
    static constexpr int k_fit_rows = 500, k_fit_points = 128; // table data's prediction views (snapshot.h)
    static constexpr size_t k_grad_history_max = 600;
    // A snapshot's training metrics come from this many training rows at most (the test split is
    // scored whole): a full pass over Fashion-MNIST's 60,000 took most of the trainer's time, and
    // with 5,000 the digits' snapshot (LeNet, 7,000 rows in all) took 370 ms in the page, so the
    // view moved every 3.5 s at full speed. 2,000 rows still give the accuracy within about ±0.3%.
    static constexpr int k_train_eval_rows = 2000;

    // host_memory, when given, tells what the host can still give each time a run is made (the
    // page's heap); a run that needs more is refused like one over limits.memory_mb.
    explicit Session(const Spec &spec, std::function<HostMemory()> host_memory = {});
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    // Snapshots carry the experiment file whenever it changed (trained, edited, a new run), so the
    // host can keep it (the page's IndexedDB, the native data folder); making one takes at most a
    // twentieth of the trainer's time.
    void keep_experiment(bool on) { keep_experiment_ = on; }
    // While training runs, a file for its progress alone (no edit, no new run) comes at most once
    // per its size at this rate: every file costs the host a copy and a write of all its bytes. In
    // the page, W1's 1.3 MB file kept 3.7 times a second took a fifth of its training speed; the
    // default network's file (5 KB) still comes with each snapshot. Pausing keeps at once.
    double keep_bytes_per_s = 256 * 1024;

    // Starts the worker thread (LIANDAN_THREADS builds). Without it, call pump() every frame.
    void start_thread();
    // Runs queued commands and trains for about budget_ms on the calling thread.
    void pump(double budget_ms);
    // pump() has work it can do at once: training at full speed, steps asked for, or a snapshot
    // under way (not a run under a speed limit, which waits for its next step, nor a change kept
    // later). For the pump's caller; a single-threaded page trains between frames while it holds.
    bool has_work_now() const { return (running_ && speed_ <= 0) || pending_steps_ > 0 || publication_.has_value() || !held_.empty(); }

    void post(Command c);
    // The user is working the interface (pointer, keys). For k_input_grace_ms after it, training
    // at full speed takes turns with it: each turn of the trainer's thread (training, a slice of a
    // snapshot) is followed by as long a pause, so the frames the input asks for get the machine's
    // cores (on 2 cores the trainer's threads held both while the GPU process drew). From any thread.
    void note_input();
    static constexpr double k_input_grace_ms = 300;
    // The latest published snapshot; never null.
    std::shared_ptr<const Snapshot> latest() const;

    // Snapshots are published at most this often while training under a speed limit (and at once
    // on state changes), and their making takes at most a fifth of the trainer's time.
    double publish_interval_ms = 33.0;
    // At full speed, at most this often and a tenth of the time: the interface draws about four
    // pictures a second then (shell/app/frame_pacer.h), and every snapshot is time not trained.
    double full_speed_publish_interval_ms = 250.0;
    // While playing, progress (steps, epoch, rate) is published at least this often, between the
    // full snapshots a costly evaluation spaces out.
    double progress_interval_ms = 250.0;
    // Work on a snapshot per pump, at least: a small network's whole snapshot (8 × 16: 13 ms in
    // wasm) goes out in the pump that starts it; a bigger one goes on in the next pumps.
    double publish_slice_ms = 16.0;
    // A snapshot scores each split within about this many multiply-adds (Model::macs_per_row): a
    // network of 4096 × 4096 units on a million points took minutes over its 500,000 test rows
    // before its first picture, the controls showing the new run and the picture the old one.
    // Such a network's metrics come from an even sample of the rows instead. Fashion-MNIST's
    // 10,000 test rows through its CNN, 1.1 · 10^10, stay whole. Tests set it small.
    double evaluation_macs = 1.5e10;
    // Rows per chunk of a snapshot's passes (0: by the network's cost). Tests set both small to
    // spread a snapshot over many pumps.
    int publish_chunk_rows = 0;

private:
    void worker_loop();
    bool input_recent() const; // note_input() came less than k_input_grace_ms ago
    bool handle(Command &c);     // returns true when a publish is due
    void train_for(double budget_ms);
    // A snapshot is made in slices (a big network's evaluation and maps take seconds in wasm):
    // begun, advanced for a budget at a time, then swapped in when complete.
    void begin_publication(bool keep_only = false);
    std::pair<int, int> evaluation_rows() const; // the most training and test rows a snapshot scores
    bool advance_publication(double budget_ms); // true when the snapshot is out
    void finish_publication();
    void publish_progress(); // the last snapshot with training's progress now
    void update_rate(double now);
    int chunk_rows() const;
    void record_history(const EpochMetrics &m);
    // By value: callers pass the current trainer's spec, which restart replaces. keep_data: the rows
    // in memory serve the new run when its data section is the same (a reset).
    // saved: a saved run's weights, optimizer state and progress go into the new trainer before it
    // replaces the current one, so a file that does not fit leaves the run as it was.
    void restart(Spec spec, bool keep_data = false, const SavedExperiment *saved = nullptr);
    bool go_on_with_data(const Spec &spec); // edit_data without a restart; false when one is needed
    void views_of_new_data(const Spec &spec); // inspection, decision map and neuron maps' grids afresh for data_
    bool inspection_due(double now) const;
    void adopt_inspection(Inspection next, double cost_ms, double now); // and its point of the gradient-norm history
    void pause_if_a_layer_died(); // the explained pause of a layer whose relu units all died
    bool throttled(double now); // the speed limit allows no step now
    bool reached_target(const EpochMetrics &m) const; // the spec's train.target_loss stop rule
    void attach_experiment(Snapshot &snap, double now); // when asked for or kept, and changed
    void answer_save_now(); // a save asked for before the command at hand: its file, as the run is now

    std::function<HostMemory()> host_memory_;
    std::unique_ptr<Trainer> trainer_;
    std::shared_ptr<const Dataset> data_;
    std::vector<HistoryPoint> history_;
    int history_stride_ = 1, points_since_thinning_ = 0;
    double last_history_ms_ = 0;
    double epoch_evaluation_ms_ = 0; // what the last curve point taken at an epoch's end cost
    bool running_ = false;
    bool diverged_ = false; // the weights hold NaN/Inf: the next play or step starts over
    bool dead_noticed_ = false; // this run was paused once because a layer's relu units all died
    int epoch_limit_ = 0;   // where training stops: the spec's epochs, one more round per play after that
    int64_t pending_steps_ = 0;
    // A save and the commands after it, held until the steps asked before it are trained (this
    // thread's only)
    std::deque<Command> held_;
    std::string error_;
    uint64_t version_ = 0, shown_version_ = 0, run_id_ = 0, loads_ = 0;
    double last_publish_ms_ = 0, last_progress_ms_ = 0;
    uint64_t content_version_ = 0; // version_ of the last full snapshot
    double publish_cost_ms_ = 0; // smoothed cost of publish(), which bounds how often it runs
    // steps/s shown: the steps of about the last k_rate_window_ms, evaluations and pictures
    // included, so the figure holds steady where a CNN's half-second snapshots made a half-second
    // window swing from 115 to 2; from k_rate_first_ms on after a start. (time, steps) at each
    // publish, the oldest the last one at least the window old.
    static constexpr double k_rate_window_ms = 3000, k_rate_first_ms = 500;
    std::deque<std::pair<double, int64_t>> rate_samples_;
    double steps_per_s_ = 0;
    void restart_rate(); // the window starts now
    std::vector<float> grid_inputs_; // [G*G, F], fixed per run
    std::vector<float> map_inputs_;  // [M*M, F] for neuron maps, fixed per run
    std::vector<float> fit_inputs_;  // [k_fit_points] along a single input feature's range, or empty
    int map_size_ = 0, grid_size_ = k_grid_size;
    std::shared_ptr<const Inspection> inspection_;
    uint64_t inspections_made_ = 0; // the last inspection's id
    int64_t inspection_step_ = -1;
    std::vector<float> probe_input_; // followed through the network in every snapshot (empty: none)
    uint64_t probe_id_ = 0;
    double next_inspection_ms_ = 0;
    std::vector<int64_t> grad_steps_;
    std::vector<float> grad_norms_;
    int grad_stride_ = 1, grad_points_since_thinning_ = 0;
    // The speed limit (0 = none), in steps or epochs a second, and its token bucket of steps
    double speed_ = 0, speed_budget_ = 0, speed_clock_ms_ = 0;
    double held_back_ms_ = 0; // > 0 when the last slice stopped for the limit: the wait for the next step
    SpeedUnit speed_unit_ = SpeedUnit::steps;
    // The host's view settings: they change without a new run (a pace, a switch), so the run's
    // spec has the ones it was loaded with, and a kept file needs these.
    ViewSpec view_;

    using Publication = SessionPublication;
    std::optional<Publication> publication_; // the snapshot under way, if any
    // A snapshot is owed (a command's effect, training's pace): kept until one can begin, since a
    // pump that ends inside a snapshot under way must not forget it (a load's outcome was lost so).
    bool publish_due_ = false;
    double keep_due_ms_ = 0; // when a change not kept yet may be kept (0: none waits); worker thread only

    std::atomic<bool> keep_experiment_{false};
    bool save_due_ = false;    // a save command: the next snapshot carries the file whatever changed
    uint64_t save_asked_ = 0, save_served_ = 0; // the save commands' numbers, asked and answered
    uint64_t edits_ = 0;       // weights or settings changed other than by training (and kept in the file)
    std::tuple<uint64_t, int64_t, uint64_t> saved_state_{}; // run, steps and edits of the last file made
    uint64_t experiments_made_ = 0;
    std::shared_ptr<const std::string> last_experiment_;
    std::shared_ptr<const std::string> saved_experiment_; // the file that answered the last save
    double experiment_cost_ms_ = 0, last_experiment_ms_ = -1e18;

    mutable std::mutex mutex_; // guards queue_ and latest_
    std::condition_variable wake_;
    std::deque<Command> queue_;
    std::shared_ptr<const Snapshot> latest_;
    std::atomic<bool> quit_{false};
    std::atomic<double> input_ms_{-1e18}; // when note_input() was last called (now_ms's clock)
#if LIANDAN_THREADS
    std::thread worker_;
#endif
};

} // namespace liandan
