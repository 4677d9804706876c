// Training loop of one run: checks of the spec against the data, seeded batch order, forward,
// loss, backward, clipping, optimizer step; and evaluation with the metrics of contract 2 (docs/design.md).
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "loss/loss.h"
#include "nn/residual.h"

namespace liandan {
namespace {

// Batches in an epoch: the last one takes the rows that are left.
int batches_of(int rows, int batch_size) { return (rows + batch_size - 1) / batch_size; }

std::string mb_text(double bytes) { return std::to_string(int(std::ceil(bytes / (1024.0 * 1024.0)))); }

} // namespace

nlohmann::json metrics_to_json(const EpochMetrics &m, Task task) {
    nlohmann::json j = {{"epoch", m.epoch},           {"step", m.step},       {"loss_train", m.loss_train},
                        {"loss_test", m.loss_test},   {"lr", m.lr},           {"samples_per_s", m.samples_per_s},
                        {"seconds", m.seconds}};
    if (task == Task::classification) {
        j["accuracy_train"] = m.accuracy_train;
        j["accuracy_test"] = m.accuracy_test;
        j["confusion_test"] = m.confusion_test;
    } else {
        j["rmse_train"] = m.rmse_train;
        j["rmse_test"] = m.rmse_test;
        j["r2_train"] = m.r2_train;
        j["r2_test"] = m.r2_test;
    }
    return j;
}

namespace {
std::string source_name(const Spec &spec) { return spec.data.source == DataSource::toy ? "'" + spec.data.toy.shape + "'" : "the data"; }

// The loss against the data's task and classes.
void check_loss_fits_data(const Spec &spec, const Dataset &d) {
    const std::string source = source_name(spec);
    if (d.task == Task::regression && spec.loss.type != LossType::mse)
        throw Error("loss.type", std::string("'") + loss_name(spec.loss.type) + "' needs class labels; " + source +
                                     " is a regression set: use mse");
    if (spec.loss.type == LossType::bce && d.n_classes > 2)
        throw Error("loss.type", "bce separates two classes; " + source + " has " + std::to_string(d.n_classes) + ": use cross_entropy");
    if (spec.loss.type == LossType::mse && d.task == Task::classification && d.n_classes > 2)
        throw Error("loss.type", "mse on class labels works for two classes; " + source + " has " + std::to_string(d.n_classes) +
                                     ": use cross_entropy");
    if (!spec.loss.class_weights.empty() && int(spec.loss.class_weights.size()) != d.n_classes)
        throw Error("loss.class_weights", "has " + std::to_string(spec.loss.class_weights.size()) + " weights for " +
                                              std::to_string(d.n_classes) + " classes");
}

// The model's outputs against the loss and the data, and the memory of both against the limit.
// data_held: the rows are in memory already (a reset reuses them): only the model is new.
void check_model_fits_data(const Spec &spec, const Dataset &d, const Model &model, const MemoryLimit &limit, bool data_held = false) {
    const int want = spec.loss.type == LossType::cross_entropy ? d.n_classes : 1;
    if (model.n_outputs() != want) {
        const std::string key = "model.layers[" + std::to_string(spec.model.layers.size() - 1) + "]";
        throw Error(key, "gives " + std::to_string(model.n_outputs()) + " outputs, but " + loss_name(spec.loss.type) + " on " +
                             source_name(spec) + " needs " + std::to_string(want));
    }

    // Memory: the model's buffers for the evaluation batch, plus the data, before allocating.
    const int B = spec.train.batch_size;
    const int max_batch = std::max(B, k_min_eval_batch);
    const double data_bytes = data_held ? 0.0 : 4.0 * (double(d.train.n) + d.test.n) * (d.n_features + 1);
    const Capacity cap{max_batch, B, spec.train.threads};
    const double model_bytes = model.memory_bytes(cap, optimizer_moments(spec.optimizer.type));
    if (data_bytes + model_bytes > limit.mb * 1024 * 1024)
        throw Error("limits.memory_mb", "this run needs about " + mb_text(data_bytes + model_bytes) + " MB (model " +
                                            mb_text(model_bytes) + " MB, data " + mb_text(data_bytes) + " MB), " + limit.over() +
                                            "; " + limit.advice());
}
} // namespace

Trainer::Trainer(const Spec &spec, const HostMemory &host, std::shared_ptr<const Dataset> data)
    : spec_(spec), host_(host), order_rng_(spec.train.seed, 0x0bd3u) {
    const MemoryLimit limit(spec.limits.memory_mb, host);
    const bool data_held = data != nullptr;
    data_ = data_held ? std::move(data) : std::make_shared<const Dataset>(make_dataset(spec.data, spec.loss.type, limit));
    const Dataset &d = *data_;
    // The spec against the data: input shape, output width, loss and class weights. model.input
    // may view rows as images of the same size (a CSV of 784 pixel columns as [1, 28, 28]).
    Shape input = shape_of(d.sample_shape);
    if (!spec.model.input.empty()) {
        const Shape wanted = shape_of(spec.model.input);
        if (wanted.size() != input.size())
            throw Error("model.input", "shape " + wanted.text() + " does not match the data's " + input.text());
        input = wanted;
    }
    check_loss_fits_data(spec, d);
    class_weights_.assign(spec.loss.class_weights.begin(), spec.loss.class_weights.end());

    augment_ = std::make_unique<ImageAugmenter>(spec.train.augment, input.c, input.h, input.w, spec.train.seed);
    model_ = std::make_unique<Model>(spec.model, input); // shape checks; nothing allocated yet
    check_model_fits_data(spec, d, *model_, limit, data_held);

    const int B = spec.train.batch_size;
    const int max_batch = std::max(B, k_min_eval_batch);
    pool_ = std::make_unique<ThreadPool>(spec.train.threads);
    model_->allocate(Capacity{max_batch, B, pool_->size()}, pool_.get(), spec.train.seed);
    model_->init(spec.init);
    optimizer_ = make_optimizer(spec.optimizer, model_->params().size());
    param_shares_ = model_->param_shares(pool_->size());
    x_batch_.resize(size_t(B) * d.n_features);
    y_batch_.resize(size_t(B));
    dout_.resize(size_t(max_batch) * model_->n_outputs());
    order_.resize(d.train.n);
    steps_per_epoch_ = batches_of(d.train.n, B);
    start_epoch();
}

void Trainer::load_weights(const SafetensorsFile &file) {
    load_model_tensors(*model_, file);
    optimizer_ = make_optimizer(spec_.optimizer, model_->params().size());
}

void Trainer::set_values(const std::vector<float> &values) {
    auto params = model_->params();
    auto state = model_->state();
    if (values.size() != params.size() + state.size())
        throw Error("weights", std::to_string(values.size()) + " values for a network of " + std::to_string(params.size() + state.size()));
    std::copy(values.begin(), values.begin() + std::ptrdiff_t(params.size()), params.begin());
    std::copy(values.begin() + std::ptrdiff_t(params.size()), values.end(), state.begin());
    optimizer_ = make_optimizer(spec_.optimizer, params.size());
}

void Trainer::replace_data(const DataSpec &data) {
    Spec next_spec = spec_;
    next_spec.data = data;
    const MemoryLimit limit(spec_.limits.memory_mb, host_);
    Dataset next = make_dataset(data, spec_.loss.type, limit);
    if (next.sample_shape != data_->sample_shape)
        throw Error("data", "the new rows have " + shape_of(next.sample_shape).text() + " features, the network takes " +
                                shape_of(data_->sample_shape).text());
    check_loss_fits_data(next_spec, next);
    check_model_fits_data(next_spec, next, *model_, limit);
    std::vector<uint32_t> order(size_t(next.train.n)); // everything that can fail comes before any change
    spec_.data = std::move(next_spec.data);
    data_ = std::make_shared<const Dataset>(std::move(next));
    order_.swap(order);
    steps_per_epoch_ = batches_of(data_->train.n, spec_.train.batch_size);
    if (batch_in_epoch_ > 0) ++epoch_; // the epoch under way ends here: the new rows start the next
    start_epoch();
}

void Trainer::restore_progress(const Progress &p) {
    if (p.steps < 0 || p.epoch < 0 || p.batch_in_epoch < 0 || p.batch_in_epoch >= steps_per_epoch_)
        throw Error("progress", "step " + std::to_string(p.steps) + ", epoch " + std::to_string(p.epoch) + ", batch " +
                                    std::to_string(p.batch_in_epoch) + " do not fit this run's " + std::to_string(steps_per_epoch_) +
                                    " batches an epoch");
    // The row order of each epoch comes from one generator: replayed up to the saved epoch (a
    // shuffle of 60,000 rows takes about a millisecond; past 10⁸ rows a fresh order will do).
    order_rng_ = Rng(spec_.train.seed, 0x0bd3u);
    const int replays = double(p.epoch) * double(order_.size()) <= 1e8 ? p.epoch : 0;
    for (int e = 0; e <= replays; ++e) start_epoch();
    steps_ = p.steps;
    epoch_ = p.epoch;
    batch_in_epoch_ = p.batch_in_epoch;
    train_seconds_ = p.train_seconds;
}

void Trainer::start_epoch() {
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<uint32_t>(i);
    if (spec_.train.shuffle) shuffle(order_.data(), order_.size(), order_rng_);
    batch_in_epoch_ = 0;
}

double Trainer::step(Clock::time_point started) {
    const int B = spec_.train.batch_size, F = data_->n_features, O = model_->n_outputs();
    const int first = batch_in_epoch_ * B;
    const int n = std::min(B, data_->train.n - first); // the last batch of an epoch may be short
    const bool augment = augment_->on();
    if (augment) augment_->draw(n);
    auto gather = [&](int r0, int r1, int) {
        for (int r = r0; r < r1; ++r) {
            const uint32_t row = order_[first + r];
            const float *x = &data_->train.x[size_t(row) * F];
            if (augment) augment_->apply(r, *data_, x, &x_batch_[size_t(r) * F]);
            else std::copy_n(x, F, &x_batch_[size_t(r) * F]);
            y_batch_[r] = data_->train.y[row];
        }
    };
    // A batch of images is a few hundred kilobytes to gather: one thread alone held the others
    // up (W1 at 2 threads: 6% of the time in this copy, while the other thread waited).
    constexpr size_t k_parallel_gather = size_t(1) << 15; // floats
    if (size_t(n) * F >= k_parallel_gather) pool_->parallel_for(n, gather);
    else gather(0, n, 0);
    const float *out = model_->forward(x_batch_.data(), n, true);
    double loss = loss_forward(spec_.loss.type, out, y_batch_.data(), n, O, dout_.data(), class_weights_);
    if (!std::isfinite(loss)) report_divergence(loss, n);
    model_->backward(x_batch_.data(), dout_.data(), n);
    if (spec_.optimizer.clip_norm > 0) clip_grad_norm(model_->grads(), spec_.optimizer.clip_norm);
    last_lr_ = scheduled_lr(spec_.optimizer, spec_.optimizer.lr, steps_, epoch_, spec_.train.epochs);
    optimizer_->step(model_->params(), model_->grads(), last_lr_, pool_.get(), &param_shares_);

    ++steps_;
    if (++batch_in_epoch_ == steps_per_epoch_) {
        ++epoch_;
        start_epoch();
    }
    if (started != last_step_end_) run_start_ = started, run_steps_ = 0; // a new run of steps (the caller read the clock)
    ++run_steps_;
    if (clock_skip_ > 0) {
        --clock_skip_;
        last_step_end_ = started + step_time_;
    } else {
        last_step_end_ = Clock::now();
        step_time_ = (last_step_end_ - run_start_) / run_steps_;
        run_start_ = last_step_end_, run_steps_ = 0;
        clock_skip_ = step_time_ < std::chrono::microseconds(20) ? 7 : 0;
    }
    const double dt = std::chrono::duration<double>(last_step_end_ - started).count();
    train_seconds_ += dt;
    seconds_since_report_ += dt;
    samples_since_report_ += n;
    return loss;
}

namespace {
// The spec key of the first layer whose output of the last forward holds a NaN or Inf, looking
// inside residual blocks (whose own output is x + body(x)); empty if every output is finite.
std::string first_non_finite(const Sequence &body, int n) {
    for (size_t l = 0; l < body.size(); ++l) {
        const float *a = body.output(l);
        const size_t count = size_t(n) * body.layer(l).out_size();
        if (std::none_of(a, a + count, [](float v) { return !std::isfinite(v); })) continue;
        if (auto *block = dynamic_cast<const Residual *>(&body.layer(l)))
            if (std::string inner = first_non_finite(block->body(), n); !inner.empty()) return inner;
        return body.key(l);
    }
    return "";
}
} // namespace

void Trainer::report_divergence(double loss, int n) {
    // Name the first layer whose output stopped being finite, so the user knows where to look.
    std::string where = first_non_finite(model_->body(), n);
    if (where.empty()) where = "the loss";
    char value[32]; // NaN and ±infinity as a reader writes them, not the C library's "-nan"
    if (std::isnan(loss)) std::snprintf(value, sizeof value, "NaN");
    else if (std::isinf(loss)) std::snprintf(value, sizeof value, "%sinfinity", loss > 0 ? "" : "-");
    else std::snprintf(value, sizeof value, "%g", loss);
    throw Diverged("train", "diverged at step " + std::to_string(steps_ + 1) + " (epoch " + std::to_string(epoch_ + 1) +
                                "): the loss became " + value + ", first non-finite values in " + where +
                                "; try a smaller optimizer.lr");
}

EpochMetrics Trainer::run_epoch() {
    const int start = epoch_;
    while (epoch_ == start) step();
    return evaluate();
}

void Trainer::fit(const std::function<bool(const EpochMetrics &)> &on_epoch) {
    while (epoch_ < spec_.train.epochs)
        if (!on_epoch(run_epoch())) break;
}

void Trainer::score_rows(const Split &s, int first, int n, ScoreSums &sums) {
    const int F = data_->n_features, O = model_->n_outputs(), K = data_->n_classes;
    const float *out_rows = model_->forward(&s.x[size_t(first) * F], n, false);
    const float *y = &s.y[first];
    // Weighted losses are means over their own normalizer; weigh chunks by rows for the split mean.
    sums.loss += n * loss_forward(spec_.loss.type, out_rows, y, n, O, nullptr, class_weights_);
    for (int r = 0; r < n; ++r) {
        const float *row = out_rows + size_t(r) * O;
        if (data_->task == Task::classification) {
            const int p = predicted_class(spec_.loss.type, row, O), t = int(y[r]);
            sums.correct += p == t;
            if (!sums.confusion.empty() && p < K) ++sums.confusion[size_t(t) * K + p];
            if (!sums.probabilities.empty()) class_probabilities(spec_.loss.type, row, O, K, &sums.probabilities[size_t(first + r) * K]);
        } else {
            const double d = double(row[0]) - y[r];
            sums.sq += d * d;
            sums.sum_y += y[r];
            sums.sum_y2 += double(y[r]) * y[r];
        }
    }
}

Trainer::SplitScore Trainer::finish_score(int n, ScoreSums &sums) const {
    SplitScore out;
    if (n == 0) return out;
    out.confusion = std::move(sums.confusion);
    out.loss = sums.loss / n;
    out.accuracy = double(sums.correct) / n;
    if (data_->task == Task::regression) {
        out.rmse = std::sqrt(sums.sq / n);
        const double total = sums.sum_y2 - sums.sum_y * sums.sum_y / n; // Σ (y - ȳ)²
        out.r2 = total > 0 ? 1.0 - sums.sq / total : 0.0;
    }
    return out;
}

EpochMetrics Trainer::evaluate(int max_train_rows, int max_test_rows) {
    Evaluation e(*this, max_train_rows, max_test_rows);
    while (!e.advance(model_->max_batch())) {}
    return e.result();
}

Trainer::Evaluation::Evaluation(Trainer &t, int max_train_rows, int max_test_rows) : t_(t) {
    const Split &test = t.data_->test;
    rows_[0] = max_train_rows > 0 ? std::min(max_train_rows, t.data_->train.n) : t.data_->train.n;
    rows_[1] = test.n;
    if (max_test_rows > 0 && max_test_rows < test.n) rows_[1] = sampled_ = max_test_rows; // rows spread over the whole split
    // The test split's confusion matrix, for classification.
    if (t.data_->task == Task::classification) sums_[1].confusion.assign(size_t(t.data_->n_classes) * t.data_->n_classes, 0);
    // And its rows' probabilities (the views' galleries, ROC curves): up to a few MB, of every row.
    if (t.data_->task == Task::classification && !sampled_ && size_t(test.n) * t.data_->n_classes <= (size_t(1) << 22))
        sums_[1].probabilities.assign(size_t(test.n) * t.data_->n_classes, 0.0f);
}

bool Trainer::Evaluation::advance(int max_rows) {
    const Split *splits[2] = {&t_.data_->train, &t_.data_->test};
    while (split_ < 2 && row_ >= rows_[split_]) ++split_, row_ = 0;
    if (split_ == 2) return true;
    const int n = std::max(1, std::min({max_rows, t_.model_->max_batch(), rows_[split_] - row_}));
    if (split_ == 1 && sampled_) { // sample rows row_ .. row_ + n: test row i · N / sampled_ each, gathered
        const Split &test = t_.data_->test;
        const size_t F = size_t(t_.data_->n_features);
        chunk_.x.resize(size_t(n) * F);
        chunk_.y.resize(size_t(n));
        chunk_.n = n;
        for (int i = 0; i < n; ++i) {
            const size_t r = size_t(int64_t(row_ + i) * test.n / sampled_);
            std::copy_n(&test.x[r * F], F, &chunk_.x[size_t(i) * F]);
            chunk_.y[size_t(i)] = test.y[r];
        }
        t_.score_rows(chunk_, 0, n, sums_[1]);
    } else {
        t_.score_rows(*splits[split_], row_, n, sums_[split_]);
    }
    row_ += n;
    while (split_ < 2 && row_ >= rows_[split_]) ++split_, row_ = 0;
    return split_ == 2;
}

EpochMetrics Trainer::Evaluation::result() {
    SplitScore train = t_.finish_score(rows_[0], sums_[0]), test = t_.finish_score(rows_[1], sums_[1]);
    EpochMetrics m;
    m.epoch = t_.epoch_;
    m.step = t_.steps_;
    m.loss_train = train.loss, m.loss_test = test.loss;
    m.accuracy_train = train.accuracy, m.accuracy_test = test.accuracy;
    m.rmse_train = train.rmse, m.rmse_test = test.rmse, m.r2_train = train.r2, m.r2_test = test.r2;
    m.confusion_test = std::move(test.confusion);
    m.test_rows_scored = rows_[1];
    m.lr = t_.steps_ ? t_.last_lr_ : scheduled_lr(t_.spec_.optimizer, t_.spec_.optimizer.lr, 0, 0, t_.spec_.train.epochs);
    m.seconds = t_.train_seconds_;
    m.samples_per_s = t_.seconds_since_report_ > 0 ? t_.samples_since_report_ / t_.seconds_since_report_ : 0.0;
    t_.samples_since_report_ = 0;
    t_.seconds_since_report_ = 0;
    return m;
}

void Trainer::predict(const float *x, int n, float *values) {
    const int F = data_->n_features, O = model_->n_outputs(), chunk = model_->max_batch();
    for (int first = 0; first < n; first += chunk) {
        int count = std::min(chunk, n - first);
        const float *out = model_->forward(x + size_t(first) * F, count, false);
        for (int r = 0; r < count; ++r) values[first + r] = output_value(spec_.loss.type, out + size_t(r) * O, O);
    }
}

} // namespace liandan
