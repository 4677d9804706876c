// An experiment saved whole, in one safetensors file: the model's tensors under PyTorch's names
// (the file still loads into torch), the optimizer's state as liandan.optimizer.<buffer>, the curves
// as liandan.history and liandan.grad_*, and the spec and progress as text in __metadata__. The page
// keeps one in IndexedDB and the native app in its data folder (a reload, a crash); the user
// downloads and opens it as the "experiment" file.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "spec.h"
#include "train/snapshot.h"
#include "train/trainer.h"

namespace liandan {

// The curves a session draws (Session's history and gradient norms).
struct Curves {
    std::vector<HistoryPoint> history;
    int n_grad_layers = 0;
    std::vector<int64_t> grad_steps;
    std::vector<float> grad_norms; // [point * n_grad_layers + layer]
};

struct SavedExperiment {
    Spec spec;
    Trainer::Progress progress;
    int64_t optimizer_steps = 0;
    Curves curves;
    std::shared_ptr<const SafetensorsFile> file; // the weights and optimizer state, read when restored
};

// The bytes of the experiment file for the trainer as it stands; view, if given, in place of the
// view settings the run was loaded with.
std::string experiment_bytes(Trainer &trainer, const Curves &curves, const ViewSpec *view = nullptr);
// The weights-only file of an experiment file: the model's tensors, nothing else (what torch's
// load_state_dict takes as it is), with the spec in __metadata__ for the record.
std::string weights_of_experiment(const SafetensorsFile &experiment);

bool is_experiment_file(const SafetensorsFile &file); // its metadata says so
// Reads the spec, progress and curves; Error names the file and what is wrong.
SavedExperiment read_experiment(std::shared_ptr<const SafetensorsFile> file);
// Weights, optimizer state and progress into a trainer made from saved.spec; Error names the
// tensor and both shapes (the caller drops the trainer then: the run in force goes on).
void restore_experiment(Trainer &trainer, const SavedExperiment &saved);

} // namespace liandan
