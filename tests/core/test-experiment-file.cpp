// The experiment file: a run saved mid-epoch and opened again goes on as if never stopped; a file
// that does not fit is refused naming the tensor, and a session keeps its run then.
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "helpers.h"
#include "train/experiment_file.h"
#include "train/session.h"

using namespace liandan;

namespace {
Spec adam_spec() {
    Spec s = test::small_spec("spiral", 50);
    s.optimizer.type = OptimizerType::adam;
    s.optimizer.lr = 0.01;
    s.train.batch_size = 16; // 100 training rows: 7 batches an epoch
    return s;
}

std::shared_ptr<const SafetensorsFile> file_of(std::string bytes) {
    return std::make_shared<const SafetensorsFile>(std::move(bytes), "experiment.safetensors");
}

template <class Pred> std::shared_ptr<const Snapshot> pump_until(Session &s, Pred pred) {
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20); std::chrono::steady_clock::now() < deadline;) {
        s.pump(5);
        if (auto snap = s.latest(); pred(*snap)) return snap;
    }
    return s.latest();
}
} // namespace

TEST(experiment_file, a_run_saved_mid_epoch_goes_on_as_if_never_stopped) {
    for (OptimizerType type : {OptimizerType::adam, OptimizerType::sgd, OptimizerType::rmsprop}) {
        SCOPED_TRACE(optimizer_name(type));
        Spec spec = adam_spec();
        spec.optimizer.type = type;
        spec.optimizer.momentum = type == OptimizerType::adam ? 0 : 0.9;
        Trainer a(spec);
        for (int i = 0; i < 37; ++i) a.step(); // 5 epochs of 7 batches, and 2
        const Curves curves{{{37, 3.7, 0.5, 0.6, 0.7, 0.8, 0, 0}}, 2, {10, 20}, {1, 2, 3, 4}};
        const std::string bytes = experiment_bytes(a, curves);
        std::vector<double> losses;
        for (int i = 0; i < 25; ++i) losses.push_back(a.step());

        SavedExperiment saved = read_experiment(file_of(bytes));
        EXPECT_EQ(saved.progress.steps, 37);
        EXPECT_EQ(saved.progress.epoch, 5);
        EXPECT_EQ(saved.progress.batch_in_epoch, 2);
        EXPECT_EQ(spec_to_json(saved.spec), spec_to_json(parse_spec(spec_to_json(spec))));
        ASSERT_EQ(saved.curves.history.size(), 1u);
        EXPECT_EQ(saved.curves.history[0].accuracy_test, 0.8);
        EXPECT_EQ(saved.curves.grad_norms, (std::vector<float>{1, 2, 3, 4}));
        Trainer b(saved.spec);
        restore_experiment(b, saved);
        EXPECT_EQ(b.steps(), 37);
        for (int i = 0; i < 25; ++i) EXPECT_EQ(b.step(), losses[size_t(i)]) << "step " << 38 + i;
    }
}

TEST(experiment_file, the_weights_inside_load_as_a_plain_weights_file) {
    Trainer a(adam_spec());
    a.step();
    // The model's tensors come first under their PyTorch names; a weights file has nothing else.
    SafetensorsFile whole(experiment_bytes(a, {}), "e"), weights(weights_of_experiment(whole), "w");
    EXPECT_TRUE(is_experiment_file(whole));
    EXPECT_FALSE(is_experiment_file(weights));
    for (const ParamView &v : a.model().param_views()) {
        EXPECT_EQ(whole.tensor(v.name, "F32", nullptr), weights.tensor(v.name, "F32", nullptr));
    }
    EXPECT_EQ(weights.tensor_names().size(), a.model().param_views().size());
    EXPECT_TRUE(whole.has("liandan.optimizer.exp_avg") && whole.has("liandan.optimizer.exp_avg_sq"));
    Trainer b(adam_spec());
    load_model_tensors(b.model(), whole); // Liandan's own tensors are passed over
    EXPECT_EQ(std::vector<float>(b.model().params().begin(), b.model().params().end()),
              std::vector<float>(a.model().params().begin(), a.model().params().end()));
}

TEST(experiment_file, refusals_name_what_is_wrong) {
    Trainer a(adam_spec());
    const std::string weights = weights_of_experiment(SafetensorsFile(experiment_bytes(a, {}), "e"));
    EXPECT_THROW(read_experiment(file_of(weights)), Error);
    try {
        read_experiment(file_of(weights));
    } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()), "experiment.safetensors: is not a Liandan experiment file (its __metadata__ has no format \"liandan-experiment\")");
    }
    // A file whose tensors do not fit the spec it carries (edited by hand, or damaged).
    Spec wider = adam_spec();
    wider.model.layers.front().units = 9;
    Trainer w(wider);
    SafetensorsFile wide(experiment_bytes(w, {}), "e");
    std::vector<TensorBytes> tensors;
    for (const std::string &name : wide.tensor_names()) {
        auto shape = wide.shape_of(name);
        const std::string dtype = name == "liandan.history" ? "F64" : name == "liandan.grad_steps" ? "I64" : "F32";
        tensors.push_back({name, dtype, shape, std::string(wide.tensor(name, dtype, &shape))});
    }
    TensorMetadata metadata = wide.metadata();
    metadata["spec"] = spec_to_json(adam_spec()).dump();
    SavedExperiment mismatched = read_experiment(file_of(safetensors_bytes(tensors, metadata)));
    Trainer b(mismatched.spec);
    try {
        restore_experiment(b, mismatched);
        FAIL() << "a file of another shape was restored";
    } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()), "experiment.safetensors: liandan.optimizer.exp_avg has shape [" +
                                             std::to_string(w.model().params().size()) + "] but the model needs [" +
                                             std::to_string(b.model().params().size()) + "]");
    }
    // ... and a session keeps the run it had.
    Session session(adam_spec());
    session.post({Command::Kind::step, 12});
    auto before = pump_until(session, [](const Snapshot &s) { return s.metrics.step == 12; });
    Command restore{Command::Kind::restore};
    restore.saved = std::make_shared<const SavedExperiment>(std::move(mismatched));
    session.post(restore);
    auto refused = pump_until(session, [&](const Snapshot &s) { return s.loads > before->loads; });
    EXPECT_NE(refused->error.find("liandan.optimizer.exp_avg has shape"), std::string::npos) << refused->error;
    EXPECT_EQ(refused->run_id, before->run_id);
    EXPECT_EQ(refused->metrics.step, 12);
}

TEST(experiment_file, a_session_keeps_its_experiment_and_restores_it_with_its_curves) {
    Session session(adam_spec());
    session.keep_experiment(true);
    session.post({Command::Kind::step, 25});
    auto trained = pump_until(session, [](const Snapshot &s) { return s.metrics.step == 25 && s.experiment; });
    ASSERT_TRUE(trained->experiment);
    const SavedExperiment saved = read_experiment(file_of(*trained->experiment));
    EXPECT_EQ(saved.progress.steps, 25);
    EXPECT_EQ(saved.curves.history.size(), trained->history.size());

    Session other(test::small_spec("xor", 5));
    Command restore{Command::Kind::restore};
    restore.saved = std::make_shared<const SavedExperiment>(saved);
    other.post(restore);
    auto restored = pump_until(other, [](const Snapshot &s) { return s.loads > 0; });
    EXPECT_EQ(restored->error, "");
    EXPECT_EQ(restored->metrics.step, 25);
    EXPECT_EQ(restored->metrics.loss_train, trained->metrics.loss_train);
    EXPECT_EQ(restored->spec.data.toy.shape, "spiral");
    ASSERT_GE(restored->history.size(), trained->history.size());
    EXPECT_EQ(restored->history.front().loss_train, trained->history.front().loss_train);
    EXPECT_FALSE(restored->running);

    // A save command is answered by a file made after every command before it.
    other.post({Command::Kind::step, 3});
    other.post({Command::Kind::save, 7});
    auto saved_now = pump_until(other, [](const Snapshot &s) { return s.experiment_request >= 7; });
    ASSERT_EQ(saved_now->experiment_request, 7u);
    EXPECT_EQ(read_experiment(file_of(*saved_now->saved_experiment)).progress.steps, 28);

    // ... and before any after it: a download, then a lesson opened, reach the trainer together.
    Spec next = adam_spec();
    next.data.toy.shape = "xor";
    Command load{Command::Kind::load};
    load.spec = next;
    other.post({Command::Kind::save, 8});
    other.post(load);
    auto answered = pump_until(other, [&](const Snapshot &s) { return s.experiment_request >= 8 && s.loads > saved_now->loads; });
    ASSERT_EQ(answered->experiment_request, 8u);
    const SavedExperiment before_load = read_experiment(file_of(*answered->saved_experiment));
    EXPECT_EQ(before_load.spec.data.toy.shape, "spiral");
    EXPECT_EQ(before_load.progress.steps, 28);
    EXPECT_EQ(answered->spec.data.toy.shape, "xor");

    // Steps asked for before a save are in its file, though training them takes many pumps, and
    // a command after the save waits for them too.
    other.post({Command::Kind::step, 5000});
    other.post({Command::Kind::save, 9});
    other.post({Command::Kind::reset});
    auto after_steps = pump_until(other, [](const Snapshot &s) { return s.experiment_request >= 9 && s.metrics.step == 0; });
    ASSERT_EQ(after_steps->experiment_request, 9u);
    EXPECT_EQ(read_experiment(file_of(*after_steps->saved_experiment)).progress.steps, 5000);
    EXPECT_EQ(after_steps->metrics.step, 0); // the reset came after the file

    // A reset sent later cuts the steps short: the save answers with those trained so far.
    other.post({Command::Kind::step, 1000000000});
    other.post({Command::Kind::save, 10});
    for (int i = 0; i < 3; ++i) other.pump(5);
    other.post({Command::Kind::reset});
    auto cut = pump_until(other, [](const Snapshot &s) { return s.experiment_request >= 10 && s.metrics.step == 0; });
    ASSERT_EQ(cut->experiment_request, 10u);
    const int64_t saved_steps = read_experiment(file_of(*cut->saved_experiment)).progress.steps;
    EXPECT_GT(saved_steps, 0);
    EXPECT_LT(saved_steps, 1000000000);
    EXPECT_EQ(cut->metrics.step, 0);
}

TEST(experiment_file, a_change_made_too_soon_to_keep_is_kept_once_the_session_is_idle) {
    // Steps right after a kept file are not kept at once (the file costs time); the session keeps
    // them once it may, though nothing else happens: what a person leaves idle is what comes back.
    Session session(adam_spec());
    session.keep_experiment(true);
    session.post({Command::Kind::step, 5});
    pump_until(session, [](const Snapshot &s) { return s.metrics.step == 5 && s.experiment; });
    session.post({Command::Kind::step, 3});
    auto kept = pump_until(session, [](const Snapshot &s) {
        return s.experiment && read_experiment(file_of(*s.experiment)).progress.steps == 8;
    });
    ASSERT_TRUE(kept->experiment);
    EXPECT_EQ(read_experiment(file_of(*kept->experiment)).progress.steps, 8);
}
