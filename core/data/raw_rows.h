// New inputs for a trained model, as the data file has them (liandan-train --predict, and the
// check of a model exported to PyTorch): plane points, table rows or images become features the
// way the training rows did, normalized with the training split's statistics.
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"

namespace liandan {

// rows: a CSV with a header (plane points: columns x and y; a table: the model's input columns by
// name) or an IDX images file (plain or gzip). Returns [n, F]; Error names the file and line.
std::vector<float> features_of_raw_file(const Dataset &data, const std::string &path, int &n);

} // namespace liandan
