// The experiment file: safetensors with Liandan's own tensors beside the model's (experiment_file.h).
#include "train/experiment_file.h"

#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace liandan {
namespace {

constexpr const char *k_format = "liandan-experiment";
constexpr int k_history_columns = 8; // HistoryPoint's fields, in order

// (An empty vector's data() may be null, which memcpy must not be given even for no bytes.)
template <class T> std::string bytes_of(const std::vector<T> &v) {
    return v.empty() ? std::string() : std::string(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
}
template <class T> std::vector<T> values_of(std::string_view bytes) {
    std::vector<T> v(bytes.size() / sizeof(T));
    if (!v.empty()) std::memcpy(v.data(), bytes.data(), v.size() * sizeof(T));
    return v;
}

} // namespace

std::string weights_of_experiment(const SafetensorsFile &f) {
    std::vector<TensorBytes> tensors;
    for (const std::string &name : f.tensor_names()) {
        if (name.rfind("liandan.", 0) == 0) continue;
        const auto shape = f.shape_of(name);
        const std::string dtype = name.ends_with("num_batches_tracked") ? "I64" : "F32";
        tensors.push_back({name, dtype, shape, std::string(f.tensor(name, dtype, &shape))});
    }
    TensorMetadata metadata{{"format", "pt"}};
    if (auto spec = f.metadata().find("spec"); spec != f.metadata().end()) metadata["liandan_spec"] = spec->second;
    return safetensors_bytes(tensors, metadata);
}

std::string experiment_bytes(Trainer &trainer, const Curves &curves, const ViewSpec *view) {
    std::vector<TensorBytes> tensors = model_tensors(trainer.model());
    const auto n_params = int64_t(trainer.model().params().size());
    for (auto [name, values] : trainer.optimizer().buffers())
        tensors.push_back({std::string("liandan.optimizer.") + name, "F32", {n_params}, bytes_of(*values)});
    std::vector<double> history;
    history.reserve(curves.history.size() * k_history_columns);
    for (const HistoryPoint &p : curves.history)
        history.insert(history.end(), {double(p.step), p.epoch, p.loss_train, p.loss_test, p.accuracy_train, p.accuracy_test, p.rmse_test, p.r2_test});
    tensors.push_back({"liandan.history", "F64", {int64_t(curves.history.size()), k_history_columns}, bytes_of(history)});
    tensors.push_back({"liandan.grad_steps", "I64", {int64_t(curves.grad_steps.size())}, bytes_of(curves.grad_steps)});
    tensors.push_back({"liandan.grad_norms", "F32", {int64_t(curves.grad_steps.size()), curves.n_grad_layers}, bytes_of(curves.grad_norms)});
    const Trainer::Progress p = trainer.progress();
    const nlohmann::json progress = {{"steps", p.steps}, {"epoch", p.epoch}, {"batch_in_epoch", p.batch_in_epoch},
                                     {"train_seconds", p.train_seconds}, {"optimizer_steps", trainer.optimizer().steps_taken()}};
    Spec spec = trainer.spec();
    if (view) spec.view = *view;
    return safetensors_bytes(tensors, {{"format", k_format}, {"version", "1"}, {"spec", spec_to_json(spec).dump()},
                                       {"progress", progress.dump()}});
}

bool is_experiment_file(const SafetensorsFile &file) {
    auto it = file.metadata().find("format");
    return it != file.metadata().end() && it->second == k_format;
}

SavedExperiment read_experiment(std::shared_ptr<const SafetensorsFile> file) {
    const SafetensorsFile &f = *file;
    if (!is_experiment_file(f)) throw Error(f.name(), "is not a Liandan experiment file (its __metadata__ has no format \"liandan-experiment\")");
    auto text = [&](const char *key) {
        auto it = f.metadata().find(key);
        if (it == f.metadata().end()) throw Error(f.name(), std::string("has no __metadata__ ") + key);
        return it->second;
    };
    SavedExperiment s;
    s.spec = parse_spec_text(text("spec"), f.name() + " (its spec)");
    try {
        const nlohmann::json p = nlohmann::json::parse(text("progress"));
        s.progress = {p.at("steps").get<int64_t>(), p.at("epoch").get<int>(), p.at("batch_in_epoch").get<int>(), p.at("train_seconds").get<double>()};
        s.optimizer_steps = p.at("optimizer_steps").get<int64_t>();
    } catch (const nlohmann::json::exception &) {
        throw Error(f.name(), "has a malformed __metadata__ progress (steps, epoch, batch_in_epoch, train_seconds, optimizer_steps)");
    }
    const auto history_shape = f.shape_of("liandan.history");
    if (history_shape.size() != 2 || history_shape[1] != k_history_columns) throw Error(f.name(), "liandan.history is not [points, 8]");
    const auto history = values_of<double>(f.tensor("liandan.history", "F64", &history_shape));
    for (size_t r = 0; r + k_history_columns <= history.size(); r += k_history_columns) {
        const double *h = &history[r];
        if (!(h[0] >= 0 && h[0] < 9e15)) throw Error(f.name(), "liandan.history holds a step that is not a whole number of steps");
        s.curves.history.push_back({int64_t(h[0]), h[1], h[2], h[3], h[4], h[5], h[6], h[7]});
    }
    const auto norms_shape = f.shape_of("liandan.grad_norms");
    if (norms_shape.size() != 2) throw Error(f.name(), "liandan.grad_norms is not [points, layers]");
    const std::vector<int64_t> steps_shape{norms_shape[0]};
    s.curves.grad_steps = values_of<int64_t>(f.tensor("liandan.grad_steps", "I64", &steps_shape));
    s.curves.grad_norms = values_of<float>(f.tensor("liandan.grad_norms", "F32", &norms_shape));
    s.curves.n_grad_layers = int(norms_shape[1]);
    s.file = std::move(file);
    return s;
}

void restore_experiment(Trainer &trainer, const SavedExperiment &saved) {
    const SafetensorsFile &f = *saved.file;
    const auto n_params = int64_t(trainer.model().params().size());
    std::vector<std::pair<std::vector<float> *, std::vector<float>>> buffers; // read whole before any is set
    for (auto [name, values] : trainer.optimizer().buffers()) {
        const std::string tensor = std::string("liandan.optimizer.") + name;
        if (!f.has(tensor)) throw Error(f.name(), "has no tensor " + tensor + " that the " + optimizer_name(saved.spec.optimizer.type) + " optimizer needs");
        const std::vector<int64_t> shape{n_params};
        buffers.emplace_back(values, values_of<float>(f.tensor(tensor, "F32", &shape)));
    }
    load_model_tensors(trainer.model(), f);
    for (auto &[values, saved_values] : buffers) *values = std::move(saved_values);
    trainer.optimizer().set_steps_taken(saved.optimizer_steps);
    trainer.restore_progress(saved.progress);
}

} // namespace liandan
