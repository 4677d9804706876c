// What the trainer publishes for views: a value copied out of the worker at a bounded rate.
// Views draw only from this; they never touch the live model.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "spec.h"
#include "train/inspect.h"
#include "train/trainer.h"

namespace liandan {

struct HistoryPoint {
    int64_t step;
    double epoch; // fractional: step / steps per epoch
    double loss_train, loss_test;
    double accuracy_train, accuracy_test;
    double rmse_test = 0, r2_test = 0; // regression
};

struct Snapshot {
    uint64_t version = 0;   // increases with every publish
    // Increases with every publish that may look different; one that only brings the kept
    // experiment file (made once a change could be afforded) keeps it, so the page draws nothing.
    uint64_t shown_version = 0;
    uint64_t run_id = 0;    // increases with every reset or successful load
    uint64_t loads = 0;     // load commands handled, successful or not
    bool running = false;   // playing (not paused)
    std::string error;      // why training stopped or paused (divergence, a dead layer, a refused load); empty if none
    bool diverged = false;  // the weights are lost: Play starts over (else the run can go on as it is)
    Spec spec;
    Task task = Task::classification;
    EpochMetrics metrics;   // evaluated at its step (metrics.step), which may be a few snapshots old
    // Its test figures come from an even sample of the test rows (Session::evaluation_macs), whose
    // probabilities the image galleries then lack.
    bool test_rows_sampled() const { return metrics.test_rows_scored > 0 && data && metrics.test_rows_scored < data->test.n; }
    // Training's progress when published. At full speed an evaluation may take a tenth of every few
    // seconds (a CNN's: half a second); between two, progress-only snapshots carry these and the
    // rate, the rest as the last full one left it (content_version says which that was), and
    // shown_version as it was: the host decides how often progress alone is worth a picture.
    int64_t steps_now = 0;
    int epoch_now = 0;
    uint64_t content_version = 0;
    double steps_per_s = 0;
    std::vector<HistoryPoint> history; // thinned to at most Session::k_history_max points
    // Decision map over [-extent, extent]² (toy data only): grid[row * grid_size + col], row 0 at y = +extent.
    int grid_size = 0;
    float extent = 0;
    std::vector<float> grid;
    // Table data (not the plane, not images): the prediction for each of the first test rows (at
    // most Session::k_fit_rows), to set against their targets; with a single input feature, the
    // model's curve over that feature's range (fit_x normalized like the rows, fit_y the output).
    std::vector<float> test_predictions;
    std::vector<float> fit_x, fit_y;
    // Classification: each test row's class probabilities [n_test, n_classes] (galleries, ROC curves).
    std::vector<float> test_probabilities;
    // The input last probed (Command::Kind::probe) as the network stands now, or null.
    std::shared_ptr<const Probe> probe;
    std::shared_ptr<const Dataset> data; // shared, immutable for a run
    std::vector<float> params;           // copy of the weights at publish time
    std::vector<float> state;            // and of the buffers (batchnorm's statistics)
    std::vector<ParamView> param_views;  // where each tensor of params lies, and its shape
    // Neuron maps and layer statistics; refreshed at most as often as their cost allows, so it
    // may be a few publishes old (inspection_step says when it was taken).
    std::shared_ptr<const Inspection> inspection;
    int64_t inspection_step = 0;
    // Gradient norm of every layer with weights (Inspection::layers order) over time:
    // grad_norms[point * n_grad_layers + layer] at grad_steps[point].
    int n_grad_layers = 0;
    std::vector<int64_t> grad_steps;
    std::vector<float> grad_norms;
    double speed = 0; // the speed limit in force (0 = as fast as possible), in speed_unit a second
    SpeedUnit speed_unit = SpeedUnit::steps;
    int epoch_limit = 0;        // the epoch where training stops (0 = never): the spec's, or later after play
    double publish_ms = 0;      // what making a snapshot costs (evaluation, maps), smoothed
    // The newest experiment file (train/experiment_file.h), made when one was asked for or as the
    // run changes while kept (Session::keep_experiment); experiment_id counts the files made.
    std::shared_ptr<const std::string> experiment;
    uint64_t experiment_id = 0;
    // The file that answers the last save command (its number): kept through later snapshots, whose
    // newest file may already be of a run a later command started.
    std::shared_ptr<const std::string> saved_experiment;
    uint64_t experiment_request = 0;
};

} // namespace liandan
