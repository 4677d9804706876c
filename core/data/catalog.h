// The named data sets: real data the set-up fetches into the data root (scripts/fetch-data) and
// the page fetches from its server (data/ beside index.html). One table says, for each set, its
// spec and URL name, its files, what it holds and teaches, and the networks proposed for it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "spec.h"

namespace liandan {

// A network one click away for a named set: its layers, optimizer and batch size as spec JSON.
struct NetworkPreset {
    const char *name;    // "mlp", "lenet", "convnetjs", "table-mlp"
    const char *title;   // the button's text
    const char *about;   // the tooltip: where it comes from, what to expect
    const char *json;    // {"model": {...}, "optimizer": {...}, "train": {...}, "loss": {...}}
};

struct NamedSet {
    const char *name;   // data.source in a spec and dataset= in a URL: "mnist", "iris", ...
    DataSource source;
    const char *title;  // "MNIST digits"
    const char *folder; // under the data root: "mnist", "fashion-mnist", "tabular"
    std::vector<std::string> files; // in the folder: IDX train images, labels, test images, labels; or one CSV
    const char *size;    // what it holds, e.g. "10,000 digits, 28 × 28 (8,000 train / 2,000 test), 10 classes"
    const char *teaches; // one sentence for a learner
    const char *target;  // tables: the target column
    bool images;         // IDX images with their own test split, or a table split by test_fraction
    std::vector<NetworkPreset> presets; // the first is proposed when the set is picked
    const char *data_json;              // tables: the data settings proposed with the set (split, normalization)
};

// An image set's sample strip (two training images a class, scripts/fetch-data makes it), relative
// to the data root: "mnist/samples-idx3-ubyte.gz".
std::string samples_file(const NamedSet &set);

// Every named set, images first.
const std::vector<NamedSet> &named_sets();
// The set of a data.source or URL name, or null (toy, points, csv and idx files are not named).
const NamedSet *named_set(DataSource source);
const NamedSet *named_set(std::string_view name);

// A named set's spec as explicit files: data.source csv or idx with paths under the data root
// (what the loaders read). Other sources come back as they are.
DataSpec resolve_named_set(const DataSpec &data);

// The files of the data root the spec reads, relative to it ("mnist/train-images-idx3-ubyte.gz"):
// a named set's files, and paths written as ${LIANDAN_DATA}/...; the page fetches those it lacks.
std::vector<std::string> data_root_files(const DataSpec &data);
// Those of them not in the data root now.
std::vector<std::string> missing_data_root_files(const DataSpec &data);

// The experiment proposed when a set is picked: its data, the preset's network and training,
// the view settings of `current` (its pace, the hidden controls).
Spec proposed_spec(const NamedSet &set, const NetworkPreset &preset, const Spec &current);
// `current` with another of its set's networks (its layers, optimizer, batch size and loss).
Spec with_network_preset(const Spec &current, const NetworkPreset &preset);

} // namespace liandan
