// Training loop of one run: seeded batch order, forward, loss, backward, optimizer step.
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "loss/loss.h"

namespace liandan {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Evaluation batches are larger than training batches so a full pass stays cheap.
constexpr int k_min_eval_batch = 256;

} // namespace

nlohmann::json metrics_to_json(const EpochMetrics &m, Task task) {
    nlohmann::json j = {{"epoch", m.epoch},           {"step", m.step},
                        {"loss_train", m.loss_train}, {"loss_test", m.loss_test},
                        {"samples_per_s", m.samples_per_s}, {"seconds", m.seconds}};
    if (task == Task::classification) {
        j["accuracy_train"] = m.accuracy_train;
        j["accuracy_test"] = m.accuracy_test;
    }
    return j;
}

Trainer::Trainer(const Spec &spec)
    : spec_(spec), data_(make_dataset(spec.data)),
      model_(spec.model, data_.n_features, std::max(spec.train.batch_size, k_min_eval_batch)),
      order_rng_(spec.train.seed, 0x0bd3u) {
    model_.init(spec.init);
    optimizer_ = make_optimizer(spec.optimizer, model_.params().size());
    const int B = spec.train.batch_size;
    x_batch_.resize(size_t(B) * data_.n_features);
    y_batch_.resize(size_t(B) * data_.n_targets);
    dout_.resize(size_t(model_.max_batch()) * model_.n_outputs());
    order_.resize(data_.train.n);
    steps_per_epoch_ = data_.train.n == 0 ? 0 : (data_.train.n + B - 1) / B;
    if (steps_per_epoch_ == 0) throw Error("data.test_fraction", "leaves no training rows");
    start_epoch();
}

void Trainer::start_epoch() {
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<uint32_t>(i);
    if (spec_.train.shuffle) shuffle(order_.data(), order_.size(), order_rng_);
    batch_in_epoch_ = 0;
}

double Trainer::step() {
    auto t0 = Clock::now();
    const int B = spec_.train.batch_size, F = data_.n_features, T = data_.n_targets, O = model_.n_outputs();
    const int first = batch_in_epoch_ * B;
    const int n = std::min(B, data_.train.n - first); // the last batch of an epoch may be short
    for (int r = 0; r < n; ++r) {
        uint32_t row = order_[first + r];
        std::copy_n(&data_.train.x[size_t(row) * F], F, &x_batch_[size_t(r) * F]);
        std::copy_n(&data_.train.y[size_t(row) * T], T, &y_batch_[size_t(r) * T]);
    }
    const float *out = model_.forward(x_batch_.data(), n);
    double loss = loss_forward(spec_.loss.type, out, y_batch_.data(), n, O, dout_.data());
    if (!std::isfinite(loss)) report_divergence(loss, n);
    model_.backward(x_batch_.data(), dout_.data(), n);
    optimizer_->step(model_.params(), model_.grads());

    ++steps_;
    if (++batch_in_epoch_ == steps_per_epoch_) {
        ++epoch_;
        start_epoch();
    }
    double dt = seconds_since(t0);
    train_seconds_ += dt;
    seconds_since_report_ += dt;
    samples_since_report_ += n;
    return loss;
}

void Trainer::report_divergence(double loss, int n) {
    // Name the first layer whose output stopped being finite, so the user knows where to look.
    std::string where = "the loss";
    for (size_t l = 0; l < model_.n_layers(); ++l) {
        const float *a = model_.activations(l);
        size_t count = size_t(n) * model_.layer(l).out_size();
        if (std::any_of(a, a + count, [](float v) { return !std::isfinite(v); })) {
            where = "model.layers[" + std::to_string(model_.spec_index(l)) + "]";
            break;
        }
    }
    char value[32];
    std::snprintf(value, sizeof value, "%g", loss);
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

double Trainer::evaluate_split(const Split &s, double *accuracy) {
    const int F = data_.n_features, T = data_.n_targets, O = model_.n_outputs(), chunk = model_.max_batch();
    double loss = 0;
    int correct = 0;
    for (int first = 0; first < s.n; first += chunk) {
        int n = std::min(chunk, s.n - first);
        const float *out = model_.forward(&s.x[size_t(first) * F], n);
        loss += n * loss_forward(spec_.loss.type, out, &s.y[size_t(first) * T], n, O, nullptr);
        if (data_.task == Task::classification) correct += count_correct(spec_.loss.type, out, &s.y[size_t(first) * T], n, O);
    }
    if (accuracy) *accuracy = s.n ? double(correct) / s.n : 0.0;
    return s.n ? loss / s.n : 0.0;
}

EpochMetrics Trainer::evaluate() {
    EpochMetrics m;
    m.epoch = epoch_;
    m.step = steps_;
    m.loss_train = evaluate_split(data_.train, &m.accuracy_train);
    m.loss_test = evaluate_split(data_.test, &m.accuracy_test);
    m.seconds = train_seconds_;
    m.samples_per_s = seconds_since_report_ > 0 ? samples_since_report_ / seconds_since_report_ : 0.0;
    samples_since_report_ = 0;
    seconds_since_report_ = 0;
    return m;
}

void Trainer::predict(const float *x, int n, float *values) {
    const int F = data_.n_features, O = model_.n_outputs(), chunk = model_.max_batch();
    for (int first = 0; first < n; first += chunk) {
        int count = std::min(chunk, n - first);
        const float *out = model_.forward(x + size_t(first) * F, count);
        for (int r = 0; r < count; ++r) values[first + r] = output_value(spec_.loss.type, out + size_t(r) * O, O);
    }
}

} // namespace liandan
