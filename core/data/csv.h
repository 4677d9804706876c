// CSV with a header row (RFC 4180 quoting, comma-separated): numeric columns as they are, text
// columns one-hot encoded as features or mapped to classes as the target. A missing value is an
// error naming file, line and column.
#pragma once
#include <string>
#include <vector>

#include "spec.h"

namespace liandan {

struct CsvData {
    std::vector<float> x; // [N, F]
    std::vector<float> y; // [N]: class index (classification) or value (regression)
    std::vector<std::string> feature_names, class_names;
    int n = 0;
};

// classification: the target holds class labels (integers from 0, or text); else numbers.
CsvData read_csv_dataset(const DataSpec &spec, bool classification);

} // namespace liandan
