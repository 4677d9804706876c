// The trainer owns data, model, loss and optimizer for one spec and trains it: step() is one
// batch, run_epoch() steps to the end of an epoch and evaluates, fit() runs the spec's epochs
// (docs/design.md, "Habits of the code"). It is not thread-safe itself; Session puts it on a worker thread.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "data/augment.h"
#include "data/dataset.h"
#include "nn/model.h"
#include "optim/optimizer.h"
#include "spec.h"
#include "util/error.h"
#include "util/memory_limit.h"
#include "util/rng.h"
#include "util/thread_pool.h"

namespace liandan {

class SafetensorsFile; // io/safetensors.h

struct EpochMetrics {
    int epoch = 0;    // completed epochs
    int64_t step = 0; // optimizer steps taken
    double loss_train = 0, loss_test = 0;
    double accuracy_train = 0, accuracy_test = 0; // classification
    double rmse_train = 0, rmse_test = 0, r2_train = 0, r2_test = 0; // regression
    std::vector<int64_t> confusion_test; // classification: [actual, predicted], k × k counts
    // Test rows the test metrics come from: all of them, or an even sample where a network is too
    // costly to score them all in a snapshot (Trainer::Evaluation's max_test_rows).
    int test_rows_scored = 0;
    double lr = 0;            // learning rate of the last step
    double samples_per_s = 0; // training throughput since the previous report
    double seconds = 0;       // training time since the run started (evaluation excluded)
};

// Evaluation batches are larger than training batches so a full pass stays cheap: the model's
// buffers are sized for max(batch size, this).
constexpr int k_min_eval_batch = 256;
// Values of optimizer state kept per parameter (sgd: velocity; adam, adamw, rmsprop: two).
inline int optimizer_moments(OptimizerType t) { return t == OptimizerType::sgd ? 1 : 2; }

// The CLI's metrics line and the page's metrics(): the keys of contract 2 (docs/design.md).
nlohmann::json metrics_to_json(const EpochMetrics &m, Task task);

// Thrown by step() when the loss or an activation stops being finite.
class Diverged : public Error {
public:
    using Error::Error;
};

class Trainer {
public:
    // Throws Error naming the key or file that cannot be honoured. host: what the host can still
    // give (a page's heap); a run that needs more is refused before anything is allocated.
    // data: rows already made from this spec's data section with its loss (a reset keeps them:
    // remade, a set of 200 MB would be held twice for a while).
    explicit Trainer(const Spec &spec, const HostMemory &host = {}, std::shared_ptr<const Dataset> data = nullptr);
    Trainer(const Trainer &) = delete;
    Trainer &operator=(const Trainer &) = delete;

    using Clock = std::chrono::steady_clock;
    double step() { return step(Clock::now()); } // one batch; returns its loss; throws Diverged
    // The same, its time counted from `started`, a clock reading the caller has just taken, and
    // its end kept in last_step_end(): a caller that reads the clock at every step (the session's
    // pacing) pays one reading a step instead of three. In the page each reading is a call out to
    // JavaScript, and three took a sixth of W3's trainer thread. Steps of a few microseconds read
    // it at every 8th step only, and end at the pace measured over the steps since the last
    // reading; a caller that goes on from last_step_end() keeps the times exact at each reading.
    double step(Clock::time_point started);
    Clock::time_point last_step_end() const { return last_step_end_; }
    EpochMetrics run_epoch(); // steps to the end of the current epoch, then evaluates
    // Runs until spec.train.epochs are done or on_epoch returns false.
    void fit(const std::function<bool(const EpochMetrics &)> &on_epoch);
    // Passes over train and test with the current weights; max_train_rows > 0 scores only that
    // many training rows, max_test_rows > 0 an even sample of that many test rows (as Evaluation does).
    EpochMetrics evaluate(int max_train_rows = 0, int max_test_rows = 0);

private:
    struct ScoreSums {
        double loss = 0, sq = 0, sum_y = 0, sum_y2 = 0;
        int64_t correct = 0;
        std::vector<int64_t> confusion; // [K, K] when wanted
        std::vector<float> probabilities; // [N, K] each row's class probabilities, when wanted
    };
    struct SplitScore {
        double loss = 0, accuracy = 0, rmse = 0, r2 = 0;
        std::vector<int64_t> confusion;
    };

public:
    // evaluate() in pieces, for a caller that must not hold its thread for whole passes (a big
    // network's snapshot on the page's only thread): the training rows, then the test rows, a
    // chunk at a time. The weights must not change between advance() calls.
    class Evaluation {
    public:
        // max_train_rows > 0: the training metrics from the first that many training rows only
        // (a snapshot's estimate on large sets); max_test_rows > 0: the test metrics from an even
        // sample of that many test rows where there are more (its rows then get no probabilities).
        explicit Evaluation(Trainer &t, int max_train_rows = 0, int max_test_rows = 0);
        bool advance(int max_rows); // scores up to max_rows more rows (at least one); true when all are scored
        EpochMetrics result();      // once advance() returned true
        // Classification: each test row's class probabilities [N_test, K] (once advance() returned true).
        std::vector<float> take_test_probabilities() { return std::move(sums_[1].probabilities); }
    private:
        Trainer &t_;
        int split_ = 0, row_ = 0; // the next row: split_ 0 train, 1 test
        int rows_[2] = {0, 0};    // rows scored of each split
        ScoreSums sums_[2];
        int sampled_ = 0;   // > 0: the test rows scored are an even sample of this many
        Split chunk_;       // the sampled rows of the chunk under way, gathered (a chunk's worth, not the sample's)
    };

    // values [N] = output_value() of each row of x [N, F] (chunked by the model's max batch).
    void predict(const float *x, int n, float *values);

    const Spec &spec() const { return spec_; }
    const Dataset &data() const { return *data_; }
    // Shared with the snapshots (a set of 200 MB is held once, not copied for the views).
    std::shared_ptr<const Dataset> shared_data() const { return data_; }
    Model &model() { return *model_; }
    const Model &model() const { return *model_; }
    int epoch() const { return epoch_; }
    // Epochs done, with the part of the current one: the curves' x (steps / steps_per_epoch while
    // the data stay; it never goes back when replace_data changes the epoch's length).
    double epoch_progress() const { return epoch_ + double(batch_in_epoch_) / steps_per_epoch_; }
    int64_t steps() const { return steps_; }
    int steps_per_epoch() const { return steps_per_epoch_; }
    double train_seconds() const { return train_seconds_; }
    // New rows for the same network (the workbench's point edits): the weights, the optimizer's
    // state and the step and epoch counts carry over; the epoch under way starts over on the new
    // rows. Throws Error, changing nothing, when the network does not fit them (a new class).
    void replace_data(const DataSpec &data);
    // Changes the base learning rate (the schedule scales it) and the spec's record of it.
    void set_lr(double lr) { spec_.optimizer.lr = lr; }
    // Replaces the weights from a safetensors file (all or nothing; throws Error naming the tensor)
    // and starts the optimizer's state afresh: moments of other weights do not fit these.
    void load_weights(const SafetensorsFile &file);
    // The same from values: the parameters, then the buffers (Model::params(), state()), as a
    // link carries them (io/link_weights.h); throws Error naming the count, changing nothing.
    void set_values(const std::vector<float> &values);

    // Where training stands, for an experiment saved whole and opened again (train/experiment_file.h).
    struct Progress {
        int64_t steps = 0;
        int epoch = 0, batch_in_epoch = 0;
        double train_seconds = 0;
    };
    Progress progress() const { return {steps_, epoch_, batch_in_epoch_, train_seconds_}; }
    // Takes up a saved run's progress (its weights and optimizer state are set apart): the epoch
    // under way goes on in the order it had, so a run without dropout continues as if never stopped.
    void restore_progress(const Progress &p);
    Optimizer &optimizer() { return *optimizer_; }

private:
    void score_rows(const Split &s, int first, int n, ScoreSums &sums); // rows [first, first + n), n ≤ max batch
    SplitScore finish_score(int n, ScoreSums &sums) const;
    void start_epoch();
    [[noreturn]] void report_divergence(double loss, int n);

    Spec spec_;
    HostMemory host_; // as measured when the run was made; data edits are checked against it too
    std::shared_ptr<const Dataset> data_;
    std::unique_ptr<ThreadPool> pool_;
    std::unique_ptr<ImageAugmenter> augment_; // train.augment on the model's input shape
    std::unique_ptr<Model> model_;
    std::unique_ptr<Optimizer> optimizer_;
    ParamShares param_shares_; // which thread updates which parameters (Model::param_shares)
    std::vector<float> class_weights_;
    Rng order_rng_;
    std::vector<uint32_t> order_;                  // row order of the current epoch
    std::vector<float> x_batch_, y_batch_, dout_;  // [B, F], [B], [max batch, O]
    int batch_in_epoch_ = 0, steps_per_epoch_ = 0, epoch_ = 0;
    int64_t steps_ = 0;
    double train_seconds_ = 0, last_lr_ = 0;
    Clock::time_point last_step_end_{};
    // The clock read every few steps when steps are fast: the run of steps since the last reading
    // (its start and length), the pace it measured, and the steps left before the next reading.
    Clock::time_point run_start_{};
    int run_steps_ = 0, clock_skip_ = 0;
    Clock::duration step_time_{};
    int64_t samples_since_report_ = 0;
    double seconds_since_report_ = 0;
};

} // namespace liandan
