// Session: commands through the queue, snapshots through the mailbox, on a worker thread where
// the build has threads, and pumped on the caller's thread always.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "edit/net_design.h"
#include "data/fit_spec.h"
#include "edit/points.h"
#include "helpers.h"
#include "io/safetensors.h"
#include "loss/loss.h"
#include "train/experiment_file.h"
#include "train/session.h"

using namespace liandan;

namespace {
// Waits (pumping when there is no thread) until pred(snapshot) holds or 20 s pass.
template <class Pred> std::shared_ptr<const Snapshot> wait_for(Session &s, bool pumped, Pred pred) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (pumped) s.pump(5);
        auto snap = s.latest();
        if (pred(*snap)) return snap;
        if (!pumped) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return s.latest();
}

// Posts the workbench's edit of the data and handles it: the snapshot after it.
std::shared_ptr<const Snapshot> edit_data(Session &s, const Spec &spec) {
    Command edit{Command::Kind::edit_data};
    edit.spec = spec;
    s.post(edit);
    s.pump(1);
    return s.latest();
}

void play_until_done(bool pumped) {
    Spec spec = test::small_spec("xor", 20);
    Session session(spec);
    if (!pumped) session.start_thread();
    auto first = session.latest();
    EXPECT_EQ(first->metrics.step, 0);
    EXPECT_EQ(first->grid.size(), size_t(Session::k_grid_size * Session::k_grid_size));
    session.post({Command::Kind::play});
    auto done = wait_for(session, pumped, [](const Snapshot &s) { return !s.running && s.metrics.epoch >= 20; });
    EXPECT_EQ(done->metrics.epoch, 20);
    EXPECT_LT(done->metrics.loss_train, first->metrics.loss_train);
    EXPECT_FALSE(done->history.empty());

    session.post({Command::Kind::reset});
    auto reset = wait_for(session, pumped, [&](const Snapshot &s) { return s.run_id > done->run_id; });
    EXPECT_EQ(reset->metrics.step, 0);
    session.post({Command::Kind::step, 7});
    auto stepped = wait_for(session, pumped, [](const Snapshot &s) { return s.metrics.step == 7; });
    EXPECT_EQ(stepped->metrics.step, 7);
}
} // namespace

TEST(session, progress_comes_between_snapshots_that_an_evaluation_spaces_out) {
    // A CNN's evaluation takes half a second in the page, so at full speed its snapshots come every
    // few seconds; the step and epoch counters and the rate must not wait for them.
    Session session(test::small_spec("spiral", 1000000));
    session.full_speed_publish_interval_ms = 1e9; // as if every evaluation took minutes
    session.progress_interval_ms = 1;
    session.post({Command::Kind::set_speed, 0, 0});
    session.post({Command::Kind::play});
    session.pump(5); // play publishes a full snapshot at once
    const auto full = session.latest();
    auto moved = wait_for(session, true, [&](const Snapshot &s) { return s.steps_now > full->steps_now + 50 && s.steps_per_s > 0; });
    EXPECT_GT(moved->steps_now, full->steps_now + 50);
    EXPECT_GT(moved->steps_per_s, 0);
    EXPECT_TRUE(moved->running);
    EXPECT_EQ(moved->metrics.step, full->metrics.step); // the losses are still those of that evaluation, at its step
    EXPECT_EQ(moved->content_version, full->content_version);
    EXPECT_EQ(moved->shown_version, full->shown_version); // the host decides when progress alone is drawn
    EXPECT_EQ(moved->history.size(), full->history.size());
    session.post({Command::Kind::pause});
    auto paused = wait_for(session, true, [&](const Snapshot &s) { return !s.running; });
    EXPECT_EQ(paused->metrics.step, paused->steps_now); // stopping evaluates where training stopped
    EXPECT_GT(paused->content_version, full->content_version);
}

TEST(session, pumped_on_the_callers_thread) { play_until_done(true); }

#if LIANDAN_THREADS
TEST(session, on_a_worker_thread) { play_until_done(false); }

// Every kind of command posted while the worker trains with a pool of two, snapshots read as they
// come, and the session torn down mid-run: the mailbox and queue under ThreadSanitizer
// (native-tsan) and AddressSanitizer (native-asan). Not in wasm under node: there the test's
// thread never returns to the event loop, so the workers of ended threads are not handed back for
// reuse and the pool of a run that a load makes cannot start (the page returns every frame).
#ifndef __EMSCRIPTEN__
TEST(session, commands_while_the_worker_trains) {
    Spec spec = test::small_spec("spiral", 1000);
    spec.train.threads = 2;
    spec.model.layers.front().units = 16;
    Session session(spec);
    session.publish_interval_ms = session.full_speed_publish_interval_ms = 1; // as many snapshots as the worker makes
    session.start_thread();
    session.post({Command::Kind::set_speed, 0, 0});
    session.post({Command::Kind::play});
    Spec other = spec;
    other.data.toy.shape = "xor";
    int64_t last_version = -1;
    for (int i = 0; i < 60; ++i) {
        switch (i % 6) {
        case 0: session.post({Command::Kind::set_lr, 0, 0.01 * (1 + i % 3)}); break;
        case 1: session.post({Command::Kind::set_param, i, 0.1}); break;
        case 2: session.post({Command::Kind::pause}); session.post({Command::Kind::step, 7}); break;
        case 3: session.post({Command::Kind::play}); break;
        case 4: { Command c{Command::Kind::edit_data}; c.spec = i % 12 == 4 ? other : spec; session.post(c); } break;
        case 5: { Command c{Command::Kind::load}; c.spec = spec; session.post(c); session.post({Command::Kind::play}); } break;
        }
        auto snap = session.latest();
        EXPECT_GE(int64_t(snap->version), last_version); // the mailbox never hands out an older snapshot
        last_version = int64_t(snap->version);
        EXPECT_TRUE(snap->error.empty()) << snap->error;
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    auto end = wait_for(session, false, [](const Snapshot &s) { return s.metrics.step > 0; });
    EXPECT_GT(end->metrics.step, 0);
    // the destructor stops the worker while it trains
}
#endif // __EMSCRIPTEN__
#endif

TEST(session, bad_load_keeps_the_run_and_reports) {
    Session session(test::small_spec());
    Spec bad = test::small_spec();
    bad.model.layers.back().units = 3; // bce needs one output
    Command c{Command::Kind::load};
    c.spec = bad;
    session.post(c);
    auto snap = wait_for(session, true, [](const Snapshot &s) { return !s.error.empty(); });
    EXPECT_EQ(snap->error, "model.layers[1]: gives 3 outputs, but bce on 'spiral' needs 1");
    EXPECT_EQ(snap->loads, 1u);
    EXPECT_EQ(snap->spec.model.layers.back().units, 1); // the previous run is still there
}

TEST(session, weights_that_do_not_fit_are_refused_and_the_run_kept) {
    Spec spec = test::small_spec("xor", 5);
    Spec other = spec;
    other.model.layers.front().units = 3;
    const std::string fits = liandan::test::temp_folder() + "liandan-session-fits.safetensors";
    const std::string wrong = liandan::test::temp_folder() + "liandan-session-wrong.safetensors";
    {
        Trainer a(spec), b(other);
        std::fill(a.model().params().begin(), a.model().params().end(), 0.25f);
        save_safetensors(a.model(), fits);
        save_safetensors(b.model(), wrong);
    }
    Session session(spec);
    session.post({Command::Kind::step, 10});
    auto before = wait_for(session, true, [](const Snapshot &s) { return s.metrics.step >= 10; });
    const uint64_t loads = before->loads;
    Command c{Command::Kind::load_weights};
    auto file = [](const std::string &path) { return std::make_shared<const SafetensorsFile>(read_file_bytes(path, size_t(1) << 20), path); };
    c.weights_file = file(wrong);
    session.post(c);
    auto refused = wait_for(session, true, [&](const Snapshot &s) { return s.loads > loads; });
    EXPECT_EQ(refused->error, wrong + ": layers.0.weight has shape [3, 2] but the model needs [8, 2]: these weights are another "
                               "network's (an experiment file opens with its own network)");
    EXPECT_EQ(refused->run_id, before->run_id);
    EXPECT_EQ(refused->metrics.loss_train, before->metrics.loss_train); // the same weights
    c.weights_file = file(fits);
    session.post(c);
    auto loaded = wait_for(session, true, [&](const Snapshot &s) { return s.loads > loads + 1; });
    EXPECT_EQ(loaded->error, "");
    EXPECT_EQ(loaded->metrics.step, before->metrics.step); // weights replaced, the run goes on
    EXPECT_NE(loaded->metrics.loss_train, before->metrics.loss_train);
    std::remove(fits.c_str());
    std::remove(wrong.c_str());
}

TEST(session, divergence_pauses_with_a_message) {
    Spec s = test::small_spec("plane", 100);
    s.loss.type = LossType::mse;
    s.optimizer.lr = 10;
    s.model.layers = {test::dense(8, Activation::relu), test::dense(8, Activation::relu), test::dense(1)};
    Session session(s);
    session.post({Command::Kind::play});
    auto snap = wait_for(session, true, [](const Snapshot &x) { return !x.error.empty(); });
    EXPECT_FALSE(snap->running);
    EXPECT_NE(snap->error.find("diverged"), std::string::npos);

    // Following the advice: a smaller learning rate, then play. The run starts over from fresh
    // weights (the old ones are NaN) and trains without the error.
    session.post({Command::Kind::set_lr, 0, 0.01});
    session.post({Command::Kind::play});
    auto again = wait_for(session, true, [&](const Snapshot &x) { return x.run_id > snap->run_id && x.metrics.epoch >= 2; });
    EXPECT_TRUE(again->error.empty()) << again->error;
    EXPECT_TRUE(std::isfinite(again->metrics.loss_train));
    EXPECT_EQ(again->spec.optimizer.lr, 0.01);
}

TEST(session, play_after_the_last_epoch_goes_on_from_the_weights_as_they_are) {
    Session session(test::small_spec("xor", 5));
    session.post({Command::Kind::play});
    auto done = wait_for(session, true, [](const Snapshot &s) { return !s.running && s.metrics.epoch >= 5; });
    ASSERT_EQ(done->metrics.epoch, 5);
    EXPECT_EQ(done->epoch_limit, 5);
    // An edit after the run (as the network view's weight popup makes) must survive play.
    session.post({Command::Kind::set_param, 0, 0.25});
    session.post({Command::Kind::play});
    auto more = wait_for(session, true, [](const Snapshot &s) { return !s.running && s.metrics.epoch >= 10; });
    EXPECT_EQ(more->run_id, done->run_id); // the same run, not a new one
    EXPECT_EQ(more->metrics.epoch, 10);
    EXPECT_EQ(more->epoch_limit, 10);
}

TEST(session, maps_of_a_big_network_are_coarser_not_slower) {
    Spec s = test::small_spec("spiral", 1);
    s.model.layers = {test::dense(300, Activation::relu), test::dense(300, Activation::relu), test::dense(1)};
    Session session(s);
    auto snap = session.latest();
    EXPECT_LT(snap->grid_size, Session::k_grid_size);
    EXPECT_GE(snap->grid_size, 16);
    EXPECT_EQ(snap->grid.size(), size_t(snap->grid_size) * size_t(snap->grid_size));
    EXPECT_LE(double(snap->params.size()) * snap->grid_size * snap->grid_size, Session::k_map_macs);
}

// A network too costly to score every test row in a snapshot is scored on an even sample of
// them, within the session's budget, and says so; the same rows each time.
TEST(session, a_costly_network_is_scored_on_an_even_sample_of_the_test_rows) {
    Spec s = test::small_spec("circle", 1);
    s.data.toy.n = 2000; // 1000 test rows
    s.model.layers = {test::dense(32, Activation::tanh), test::dense(32, Activation::tanh), test::dense(1)};
    Session session(test::small_spec("xor", 1));
    EXPECT_EQ(session.latest()->metrics.test_rows_scored, session.latest()->data->test.n); // within budget: whole
    session.evaluation_macs = 500 * Model(s.model, {2, 1, 1}).macs_per_row(); // 500 rows' worth
    Command load{Command::Kind::load};
    load.spec = s;
    session.post(load);
    auto snap = wait_for(session, true, [](const Snapshot &x) { return x.loads == 1 && x.metrics.step == 0; });
    ASSERT_EQ(snap->data->test.n, 1000);
    EXPECT_EQ(snap->metrics.test_rows_scored, 500);
    EXPECT_TRUE(snap->test_probabilities.empty()); // the galleries need every row's
    // The sample is every other row here: its metrics are those of those rows.
    Trainer t(s);
    const EpochMetrics whole = t.evaluate(0, 0), sample = t.evaluate(0, 500);
    EXPECT_EQ(whole.test_rows_scored, 1000);
    EXPECT_EQ(sample.test_rows_scored, 500);
    EXPECT_NEAR(sample.loss_test, snap->metrics.loss_test, 1e-9);
    EXPECT_NE(sample.loss_test, whole.loss_test);
    EXPECT_EQ(sample.loss_train, whole.loss_train);
    EXPECT_DOUBLE_EQ(sample.accuracy_test * 500, std::round(sample.accuracy_test * 500)); // out of 500 rows
    // The rows scored are 0, 2, 4, ... of the 1000: their mean loss, from the model's outputs here.
    const Split &test = t.data().test;
    const size_t F = size_t(t.data().n_features);
    std::vector<float> x, y;
    for (int r = 0; r < 1000; r += 2) {
        x.insert(x.end(), test.x.begin() + std::ptrdiff_t(size_t(r) * F), test.x.begin() + std::ptrdiff_t(size_t(r + 1) * F));
        y.push_back(test.y[size_t(r)]);
    }
    double loss = 0;
    for (int first = 0; first < 500; first += 250)
        loss += 250 * loss_forward(s.loss.type, t.model().forward(&x[size_t(first) * F], 250, false), &y[size_t(first)], 250,
                                   t.model().n_outputs(), nullptr);
    EXPECT_NEAR(loss / 500, sample.loss_test, 1e-9);
}

// An epoch pace follows the run's epoch length: at 10 epochs a second, a third of a second holds
// at most 3 epochs, plus the tenth of a second the bucket may save up, plus the epoch under way.
TEST(session, epoch_pace_limits_epochs_not_steps) {
    Spec spec = test::small_spec("circle", 0); // 100 training points, batch 10: 10 steps an epoch
    Session session(spec);
    Command pace{Command::Kind::set_speed, 0, 10};
    pace.unit = SpeedUnit::epochs;
    session.post(pace);
    session.post({Command::Kind::play});
    const auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(300)) session.pump(5);
    auto snap = session.latest();
    EXPECT_LE(snap->metrics.epoch, 5);
    EXPECT_EQ(snap->speed, 10);
    EXPECT_EQ(snap->speed_unit, SpeedUnit::epochs);
    // It keeps going at that pace (however busy the machine, some epochs within 20 s).
    snap = wait_for(session, true, [](const Snapshot &s) { return s.metrics.epoch >= 2; });
    EXPECT_GE(snap->metrics.epoch, 2);
}

// A single-threaded page trains between frames while the pump has work it can do at once, and
// leaves it to the frames otherwise: a paused run, a run under a speed limit (waiting for its
// next step), and a snapshot under way after training has stopped all count.
TEST(session, has_work_now_while_training_at_full_speed_steps_or_a_snapshot_are_under_way) {
    Session session(test::small_spec("spiral", 0)); // no last epoch: it trains until paused
    session.pump(1);
    EXPECT_FALSE(session.has_work_now()) << "paused, first snapshot out";
    session.post({Command::Kind::play});
    EXPECT_FALSE(session.has_work_now()) << "a command only queued";
    session.pump(1);
    EXPECT_TRUE(session.has_work_now()) << "training at full speed";
    session.post({Command::Kind::set_speed, 0, 50});
    session.pump(1);
    EXPECT_FALSE(session.has_work_now()) << "under a speed limit";
    session.post({Command::Kind::pause});
    session.pump(1e6);
    EXPECT_FALSE(session.has_work_now()) << "paused, its snapshot out";
    const int64_t paused_at = session.latest()->metrics.step;
    session.publish_chunk_rows = 3;
    session.publish_slice_ms = 0; // one chunk a pump: the steps' snapshot takes many pumps
    session.post({Command::Kind::step, 3});
    session.pump(0);
    int pumps = 0;
    while (session.has_work_now() && pumps < 100000) session.pump(0), ++pumps;
    EXPECT_GT(pumps, 5) << "the steps, then their snapshot made in slices";
    EXPECT_EQ(session.latest()->metrics.step, paused_at + 3);
    EXPECT_FALSE(session.latest()->running);
}

// A layer whose relu units all died (a learning rate of 10 does it in a few steps; here its
// biases are set far below zero) pauses training once with the reason; play then goes on.
TEST(session, a_layer_of_dead_relu_units_pauses_once_with_the_reason) {
    Spec spec = test::small_spec("circle", 0);
    spec.model.layers[0].activation = Activation::relu; // 8 units on x, y: weight [8, 2], then bias [8]
    Session session(spec);
    for (int i = 0; i < 16; ++i) session.post({Command::Kind::set_param, i, 0.0});
    for (int i = 16; i < 24; ++i) session.post({Command::Kind::set_param, i, -100.0});
    session.post({Command::Kind::play});
    auto snap = wait_for(session, true, [](const Snapshot &s) { return !s.running && s.metrics.step > 0; });
    EXPECT_FALSE(snap->running);
    EXPECT_NE(snap->error.find("every unit of hidden layer 1 (dense 8 relu, model.layers[0]) is dead"), std::string::npos) << snap->error;
    EXPECT_NE(snap->error.find("optimizer.lr"), std::string::npos) << snap->error;
    session.post({Command::Kind::play});
    const int64_t paused_at = snap->metrics.step;
    snap = wait_for(session, true, [&](const Snapshot &s) { return s.metrics.step > paused_at + 200; });
    EXPECT_TRUE(snap->running);
    EXPECT_TRUE(snap->error.empty()) << snap->error;
}

// Points added while training: the run goes on from its weights and step count on the new rows;
// a point of a new class widens the output, which starts over.
TEST(session, edited_points_keep_training_unless_the_network_no_longer_fits) {
    Spec spec = test::small_spec("circle", 0);
    Dataset toy = make_dataset(spec.data, spec.loss.type, 512);
    ASSERT_TRUE(make_points_source(spec, toy));
    Session session(spec);
    session.post({Command::Kind::step, 35}); // 3 epochs of 10 batches and half the 4th
    auto snap = wait_for(session, true, [](const Snapshot &s) { return s.metrics.step == 35; });
    const uint64_t run = snap->run_id;
    const int rows = snap->data->train.n + snap->data->test.n;
    const std::vector<float> weights = snap->params;

    add_point(spec, 0.5f, 0.5f, 1);
    snap = edit_data(session, spec);
    EXPECT_EQ(snap->run_id, run) << "the same run goes on";
    EXPECT_EQ(snap->metrics.step, 35);
    EXPECT_EQ(snap->params, weights);
    EXPECT_EQ(snap->data->train.n + snap->data->test.n, rows + 1);
    EXPECT_EQ(snap->spec.data.points.size(), spec.data.points.size());
    session.post({Command::Kind::step, 5});
    snap = wait_for(session, true, [](const Snapshot &s) { return s.metrics.step == 40; });
    EXPECT_EQ(snap->metrics.step, 40);
    // The cut 4th epoch counts as done, the new rows start the 5th: the curve never goes back.
    EXPECT_EQ(snap->metrics.epoch, 4);
    EXPECT_GE(snap->history.back().epoch, 4.0);

    Spec normalized = spec; // not a points edit: the inputs would mean something else to the weights
    normalized.data.normalize = Normalize::standard;
    const uint64_t run2 = edit_data(session, normalized)->run_id;
    EXPECT_NE(run2, run);

    add_point(spec, -0.5f, 0.5f, 2); // a third class: bce no longer fits
    fit_output_to_data(spec);
    snap = edit_data(session, spec);
    EXPECT_NE(snap->run_id, run2) << "a new run for the wider output";
    EXPECT_EQ(snap->metrics.step, 0);
    EXPECT_TRUE(snap->error.empty()) << snap->error;
    EXPECT_EQ(snap->data->n_classes, 3);
}

TEST(session, table_data_publishes_its_fit_views) {
    // One input and a target: the curve over the input's range, and the test rows' predictions.
    std::string rows = "x,y\n";
    for (int i = 0; i < 50; ++i) rows += std::to_string(-2.0 + 0.08 * i) + "," + std::to_string(0.5 * i) + "\n";
    Spec spec = spec_for_csv(test::small_spec("xor"), test::write_temp_file("line.csv", rows));
    Session session(spec);
    auto snap = session.latest();
    ASSERT_EQ(snap->task, Task::regression);
    ASSERT_EQ(snap->fit_x.size(), size_t(Session::k_fit_points));
    ASSERT_EQ(snap->fit_y.size(), snap->fit_x.size());
    EXPECT_LT(snap->fit_x.front(), snap->fit_x.back());
    float lo = 1e9f, hi = -1e9f; // the curve spans every row's (normalized) input
    for (const Split *s : {&snap->data->train, &snap->data->test})
        for (float v : s->x) lo = std::min(lo, v), hi = std::max(hi, v);
    EXPECT_LE(snap->fit_x.front(), lo);
    EXPECT_GE(snap->fit_x.back(), hi);
    EXPECT_EQ(snap->test_predictions.size(), size_t(snap->data->test.n));
    EXPECT_TRUE(snap->grid.empty()) << "no plane map for table data";
}

TEST(session, a_snapshot_made_in_slices_equals_one_made_at_once) {
    // A big network's snapshot is made a chunk of rows per pump, so the page's only thread is never
    // held for long; here 3 rows a chunk spread a small network's snapshot over many pumps.
    Spec spec = test::small_spec("spiral");
    Session whole(spec), sliced(spec);
    sliced.publish_chunk_rows = 3;
    sliced.publish_slice_ms = 0; // one chunk a pump
    std::shared_ptr<const Snapshot> done[2];
    Session *sessions[2] = {&whole, &sliced};
    for (int i = 0; i < 2; ++i) {
        sessions[i]->post({Command::Kind::step, 40});
        done[i] = wait_for(*sessions[i], true, [](const Snapshot &s) { return s.metrics.step == 40 && !s.running; });
        ASSERT_EQ(done[i]->metrics.step, 40);
    }
    // A parameter edit: both publish anew, the sliced one over many pumps of one chunk each.
    for (Session *s : sessions) s->post({Command::Kind::set_param, 0, 0.25});
    whole.pump(1e6); // the whole budget: the snapshot in one go
    auto a = whole.latest();
    int pumps = 0;
    while (sliced.latest()->version == done[1]->version && pumps < 10000) sliced.pump(0), ++pumps;
    auto b = sliced.latest();
    EXPECT_GT(pumps, 50) << "the snapshot was made in slices";
    ASSERT_GT(a->version, done[0]->version);
    EXPECT_EQ(a->params, b->params);
    EXPECT_NEAR(a->metrics.loss_train, b->metrics.loss_train, 1e-6);
    EXPECT_NEAR(a->metrics.loss_test, b->metrics.loss_test, 1e-6);
    EXPECT_EQ(a->metrics.accuracy_test, b->metrics.accuracy_test);
    EXPECT_EQ(a->metrics.confusion_test, b->metrics.confusion_test);
    ASSERT_EQ(a->grid.size(), b->grid.size());
    float worst = 0;
    for (size_t i = 0; i < a->grid.size(); ++i) worst = std::max(worst, std::fabs(a->grid[i] - b->grid[i]));
    ASSERT_TRUE(a->inspection && b->inspection);
    ASSERT_EQ(a->inspection->columns.size(), b->inspection->columns.size());
    for (size_t k = 0; k < a->inspection->columns.size(); ++k) {
        const NeuronColumn &x = a->inspection->columns[k], &y = b->inspection->columns[k];
        ASSERT_EQ(x.maps.size(), y.maps.size());
        for (size_t i = 0; i < x.maps.size(); ++i) worst = std::max(worst, std::fabs(x.maps[i] - y.maps[i]));
        EXPECT_EQ(x.dead, y.dead);
        EXPECT_EQ(x.saturated, y.saturated);
    }
    ASSERT_EQ(a->inspection->layers.size(), b->inspection->layers.size());
    for (size_t l = 0; l < a->inspection->layers.size(); ++l) {
        EXPECT_EQ(a->inspection->layers[l].histogram, b->inspection->layers[l].histogram);
        EXPECT_NEAR(a->inspection->layers[l].weight_norm, b->inspection->layers[l].weight_norm, 1e-9);
    }
    std::printf("largest difference in the maps: %g\n", double(worst));
    EXPECT_LT(worst, 1e-5f);
}

TEST(session, a_probed_input_is_followed_through_every_layer_and_test_rows_get_probabilities) {
    Spec spec = test::small_spec("spirals");
    spec.data.toy.classes = 3;
    fit_output_to_data(spec);
    Session session(spec);
    auto first = wait_for(session, true, [](const Snapshot &s) { return s.data != nullptr; });
    const int F = first->data->n_features, K = first->data->n_classes;
    ASSERT_EQ(K, 3);
    EXPECT_EQ(first->test_probabilities.size(), size_t(first->data->test.n) * 3);
    for (int r = 0; r < first->data->test.n; ++r) {
        const float *p = &first->test_probabilities[size_t(r) * 3];
        EXPECT_NEAR(p[0] + p[1] + p[2], 1.0f, 1e-5f);
    }
    Command probe{Command::Kind::probe, 42};
    probe.input.assign(first->data->test.x.begin(), first->data->test.x.begin() + F);
    session.post(probe);
    auto snap = wait_for(session, true, [](const Snapshot &s) { return s.probe != nullptr; });
    ASSERT_NE(snap->probe, nullptr);
    EXPECT_EQ(snap->probe->id, 42u);
    ASSERT_EQ(snap->probe->layers.size(), spec.model.layers.size());
    EXPECT_EQ(snap->probe->layers.back().shape.size(), 3);
    ASSERT_EQ(snap->probe->probabilities.size(), 3u);
    // The same probabilities as the evaluation gives the first test row.
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(snap->probe->probabilities[size_t(c)], snap->test_probabilities[size_t(c)], 1e-5f);
    // An input of the wrong width (made for another data set) is ignored.
    Command wrong{Command::Kind::probe, 43};
    wrong.input.assign(size_t(F + 1), 0.0f);
    session.post(wrong);
    session.pump(5);
    EXPECT_EQ(session.latest()->probe->id, 42u);
}

TEST(session, a_reset_keeps_the_rows_in_memory_and_a_new_load_reads_its_file_again) {
    const std::string path = test::write_temp_file("reset-rows.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
    Spec spec = spec_for_csv(test::small_spec(), path);
    Session session(spec);
    auto first = wait_for(session, true, [](const Snapshot &s) { return s.data != nullptr; });
    session.post({Command::Kind::reset});
    auto reset = wait_for(session, true, [&](const Snapshot &s) { return s.run_id > first->run_id; });
    EXPECT_EQ(reset->data.get(), first->data.get()); // held once, not read and copied again
    Command load{Command::Kind::load};
    load.spec = spec;
    session.post(load);
    auto loaded = wait_for(session, true, [&](const Snapshot &s) { return s.run_id > reset->run_id; });
    EXPECT_NE(loaded->data.get(), first->data.get()); // a file opened again may hold other rows
}

// While training, a file for its progress alone comes at most once per its size at
// keep_bytes_per_s; an edit, and the pause, are kept at once, with the step the run stopped at.
TEST(session, training_progress_is_kept_spaced_by_the_file_size_and_a_pause_at_once) {
    Session session(test::small_spec("xor", 0)); // no epoch limit: it trains until paused
    session.keep_experiment(true);
    session.keep_bytes_per_s = 100; // the few-KB file once a minute or less
    session.post({Command::Kind::play});
    auto first = wait_for(session, true, [](const Snapshot &s) { return s.experiment && s.metrics.step > 0; });
    ASSERT_TRUE(first->experiment);
    auto later = wait_for(session, true, [&](const Snapshot &s) { return s.version > first->version + 3 && s.metrics.step > first->metrics.step; });
    ASSERT_GT(later->metrics.step, first->metrics.step);
    EXPECT_EQ(later->experiment_id, first->experiment_id) << "training's progress alone was kept again at once";

    session.post({Command::Kind::set_lr, 0, 0.05}); // an edit while training
    auto edited = wait_for(session, true, [&](const Snapshot &s) { return s.experiment_id > later->experiment_id; });
    ASSERT_GT(edited->experiment_id, later->experiment_id) << "the edit was never kept";
    auto trained_on = wait_for(session, true, [&](const Snapshot &s) { return s.metrics.step > edited->metrics.step; });
    EXPECT_EQ(trained_on->experiment_id, edited->experiment_id);

    session.post({Command::Kind::pause});
    auto paused = wait_for(session, true, [&](const Snapshot &s) { return !s.running && s.experiment_id > edited->experiment_id; });
    ASSERT_GT(paused->experiment_id, edited->experiment_id) << "the paused run was never kept";
    const SavedExperiment saved = read_experiment(std::make_shared<const SafetensorsFile>(*paused->experiment, "kept"));
    EXPECT_EQ(saved.progress.steps, paused->metrics.step);
}

// A change kept later (too soon after the last file to afford one) comes in a snapshot of its own:
// paused, that snapshot shows what the last one showed, so the page draws nothing for it.
TEST(session, a_snapshot_only_for_the_kept_file_shows_nothing_new) {
    Session session(test::small_spec("xor", 5));
    session.keep_experiment(true);
    session.post({Command::Kind::step, 1});
    auto first = wait_for(session, true, [](const Snapshot &s) { return s.metrics.step == 1 && s.experiment; });
    session.post({Command::Kind::step, 1}); // at once: not affordable, kept later
    auto second = wait_for(session, true, [](const Snapshot &s) { return s.metrics.step == 2; });
    ASSERT_EQ(second->metrics.step, 2);
    EXPECT_GT(second->shown_version, first->shown_version);
    auto kept = wait_for(session, true, [&](const Snapshot &s) { return s.experiment_id > second->experiment_id; });
    ASSERT_GT(kept->experiment_id, second->experiment_id) << "the change was never kept";
    EXPECT_GT(kept->version, second->version);
    EXPECT_EQ(kept->shown_version, second->shown_version);
    EXPECT_EQ(kept->steps_per_s, second->steps_per_s) << "what the status bar shows stays as drawn";
}

// The host's view settings change without a new run (a pace chosen, a switch): the kept file
// carries them, so a page opened later, without the URL that had them, comes back with them.
TEST(session, view_settings_sent_by_the_host_are_kept_in_the_experiment_file) {
    Session session(test::small_spec("xor", 5));
    session.keep_experiment(true);
    session.post({Command::Kind::step, 1});
    auto first = wait_for(session, true, [](const Snapshot &s) { return s.metrics.step == 1 && s.experiment; });
    ASSERT_TRUE(first->experiment);
    EXPECT_EQ(read_experiment(std::make_shared<const SafetensorsFile>(*first->experiment, "kept")).spec.view.speed, 30);

    Command view{Command::Kind::set_view};
    view.spec = test::small_spec("xor", 5);
    view.spec->view.speed = 0;
    view.spec->view.show_test_data = false;
    session.post(view);
    auto kept = wait_for(session, true, [&](const Snapshot &s) { return s.experiment_id > first->experiment_id; });
    ASSERT_GT(kept->experiment_id, first->experiment_id) << "the view's change was never kept";
    const SavedExperiment saved = read_experiment(std::make_shared<const SafetensorsFile>(*kept->experiment, "kept"));
    EXPECT_EQ(saved.spec.view.speed, 0);
    EXPECT_FALSE(saved.spec.view.show_test_data);
    EXPECT_EQ(saved.progress.steps, 1) << "the run goes on as it was";
}
