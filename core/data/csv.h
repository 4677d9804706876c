// CSV with a header row (RFC 4180 quoting, comma-separated): numeric columns as they are, text
// columns one-hot encoded as features or mapped to classes as the target. A missing value is an
// error naming file, line and column.
#pragma once
#include <string>
#include <vector>

#include "spec.h"

namespace liandan {

// One input column of a table as the features see it: a number, or text one-hot encoded over its
// categories (sorted).
struct InputColumn {
    std::string name;
    std::vector<std::string> categories; // empty: numeric
};

struct CsvData {
    std::vector<float> x; // [N, F]
    std::vector<float> y; // [N]: class index (classification) or value (regression)
    std::vector<std::string> feature_names, class_names;
    std::vector<InputColumn> columns; // the input columns in file order
    int n = 0;
};

// classification: the target holds class labels (integers from 0, or text); else numbers.
CsvData read_csv_dataset(const DataSpec &spec, bool classification);

// Rows of new inputs for a trained model (liandan-train --predict): the given input columns, found
// by name in the file's header (other columns, such as the target, are passed over) and encoded as
// read_csv_dataset encodes them: [N, features]. Error names the line of a value that does not fit.
std::vector<float> read_csv_inputs(const std::string &path, const std::vector<InputColumn> &columns, int &n);

// The header row alone (names trimmed); reads only as far as the first row's end. Throws Error
// naming the file for an empty or repeated name.
std::vector<std::string> read_csv_header(const std::string &path);

// What each column holds, from a full read with the same checks as read_csv_dataset (field
// counts, missing values), so a file that passes here also loads.
struct CsvColumn {
    std::string name;
    bool numeric = true;  // every value parses as a number
    bool integral = true; // ... and is a whole number
    int distinct = 0;     // distinct values, counted up to k_csv_distinct_cap
    double min = 0, max = 0; // numeric columns
};
constexpr int k_csv_distinct_cap = 4097;
struct CsvColumns {
    std::vector<CsvColumn> columns;
    int n_rows = 0;
};
CsvColumns read_csv_columns(const std::string &path);

} // namespace liandan
