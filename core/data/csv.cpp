// CSV parsing: a small state machine for quoted fields, then typing of each column.
#include "data/csv.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "data/file_text.h"
#include "util/error.h"

namespace liandan {
namespace {

struct Row {
    int line; // 1-based line in the file, for messages
    std::vector<std::string> fields;
};

std::vector<Row> parse(const std::string &text, const std::string &path) {
    std::vector<Row> rows;
    Row row{1, {}};
    std::string field;
    bool quoted = false, any = false;
    int line = 1;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
                else quoted = false;
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) quoted = true, any = true;
        else if (c == ',') row.fields.push_back(field), field.clear(), any = true;
        else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.fields.push_back(field);
                rows.push_back(row);
            }
            field.clear();
            any = false;
            row = Row{++line, {}};
        } else field += c, any = true;
    }
    if (quoted) throw Error(path + ":" + std::to_string(row.line), "a quoted field is not closed");
    if (any || !field.empty()) {
        row.fields.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

std::string trim(const std::string &s) {
    size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

bool parse_number(const std::string &s, double &v) {
    if (s.empty()) return false;
    char *end = nullptr;
    v = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && std::isfinite(v);
}

bool is_missing(const std::string &s) { return s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "?"; }

} // namespace

std::vector<std::string> read_csv_header(const std::string &path) {
    // Up to the first line end outside quotes: a header may quote names that hold commas or newlines.
    std::string start = read_file_text(path, 1u << 16);
    if (start.find_first_of("\r\n") == std::string::npos) start = read_file_text(path, (1u << 24) + 1); // a long header, or none
    std::string text;
    bool quoted = false;
    for (char c : start) {
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == '\n' || c == '\r')) break;
        text += c;
        if (text.size() > (1u << 24)) throw Error(path, "has a first line longer than 16 MB; is it a CSV file?");
    }
    std::vector<Row> rows = parse(text, path);
    if (rows.empty()) throw Error(path, "has no header row");
    std::vector<std::string> names;
    for (auto &field : rows[0].fields) {
        std::string name = trim(field);
        if (name.empty()) throw Error(path + ":1", "column " + std::to_string(names.size() + 1) + " of the header has no name");
        if (std::find(names.begin(), names.end(), name) != names.end())
            throw Error(path + ":1", "the header names '" + name + "' twice");
        names.push_back(name);
    }
    return names;
}

CsvColumns read_csv_columns(const std::string &path) {
    const std::vector<std::string> header = read_csv_header(path);
    std::vector<Row> rows = parse(read_file_text(path), path);
    if (rows.size() < 2) throw Error(path, "needs a header row and at least one data row");
    const size_t n_cols = header.size();
    CsvColumns out;
    out.n_rows = int(rows.size() - 1);
    std::vector<std::set<std::string>> seen(n_cols);
    for (auto &name : header) out.columns.push_back(CsvColumn{name});
    for (size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].fields.size() != n_cols)
            throw Error(path + ":" + std::to_string(rows[r].line),
                        "has " + std::to_string(rows[r].fields.size()) + " fields; the header has " + std::to_string(n_cols));
        for (size_t c = 0; c < n_cols; ++c) {
            CsvColumn &col = out.columns[c];
            std::string s = trim(rows[r].fields[c]);
            if (is_missing(s)) throw Error(path + ":" + std::to_string(rows[r].line), "column '" + col.name + "' has no value");
            if (int(seen[c].size()) < k_csv_distinct_cap) seen[c].insert(s);
            double v;
            if (col.numeric && parse_number(s, v)) {
                col.integral = col.integral && v == std::floor(v);
                col.min = r == 1 ? v : std::min(col.min, v);
                col.max = r == 1 ? v : std::max(col.max, v);
            } else {
                col.numeric = col.integral = false;
            }
        }
    }
    for (size_t c = 0; c < n_cols; ++c) out.columns[c].distinct = int(seen[c].size());
    return out;
}

std::vector<float> read_csv_inputs(const std::string &path, const std::vector<InputColumn> &columns, int &n) {
    std::string text = read_file_text(path);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    std::vector<Row> rows = parse(text, path);
    if (rows.empty()) throw Error(path, "is empty; it needs a header row naming the input columns");
    std::vector<std::string> header;
    for (auto &h : rows[0].fields) header.push_back(trim(h));
    std::vector<int> at;
    size_t F = 0;
    for (const InputColumn &c : columns) {
        auto it = std::find(header.begin(), header.end(), c.name);
        if (it == header.end()) throw Error(path, "has no column '" + c.name + "' that the model takes");
        at.push_back(int(it - header.begin()));
        F += c.categories.empty() ? 1 : c.categories.size();
    }
    n = int(rows.size() - 1);
    std::vector<float> x(size_t(n) * F, 0.0f);
    for (int r = 0; r < n; ++r) {
        const Row &row = rows[size_t(r) + 1];
        const std::string where = path + ":" + std::to_string(row.line);
        if (row.fields.size() != header.size())
            throw Error(where, "has " + std::to_string(row.fields.size()) + " fields; the header has " + std::to_string(header.size()));
        size_t f = 0;
        for (size_t i = 0; i < columns.size(); ++i) {
            const std::string s = trim(row.fields[size_t(at[i])]);
            const auto &cats = columns[i].categories;
            double v;
            if (cats.empty()) {
                if (!parse_number(s, v)) throw Error(where, "column '" + columns[i].name + "' holds '" + s + "', not a number");
                x[size_t(r) * F + f++] = float(v);
            } else {
                auto k = std::lower_bound(cats.begin(), cats.end(), s);
                if (k == cats.end() || *k != s) throw Error(where, "column '" + columns[i].name + "' holds '" + s + "', a value the model never saw");
                x[size_t(r) * F + f + size_t(k - cats.begin())] = 1.0f;
                f += cats.size();
            }
        }
    }
    return x;
}

CsvData read_csv_dataset(const DataSpec &spec, bool classification) {
    const std::string &path = spec.path;
    std::string text = read_file_text(path);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3); // a UTF-8 byte-order mark (spreadsheet exports)
    std::vector<Row> rows = parse(text, path);
    if (rows.size() < 2) throw Error(path, "needs a header row and at least one data row");
    std::vector<std::string> header;
    for (auto &h : rows[0].fields) header.push_back(trim(h));
    const int n_cols = int(header.size());
    auto column = [&](const std::string &name, const std::string &key) {
        auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw Error(key, "no column '" + name + "' in " + path);
        return int(it - header.begin());
    };
    const int target = column(spec.target, "data.target");
    std::vector<int> inputs;
    if (spec.features.empty()) {
        for (int c = 0; c < n_cols; ++c)
            if (c != target) inputs.push_back(c);
    } else {
        for (size_t i = 0; i < spec.features.size(); ++i) {
            int c = column(spec.features[i], "data.features[" + std::to_string(i) + "]");
            if (c == target) throw Error("data.features[" + std::to_string(i) + "]", "'" + spec.features[i] + "' is the target column");
            inputs.push_back(c);
        }
    }
    if (inputs.empty()) throw Error(path, "has no input columns besides the target");

    size_t n = rows.size() - 1;
    if (spec.limit > 0) n = std::min(n, size_t(spec.limit));
    for (size_t r = 1; r <= n; ++r) {
        if (int(rows[r].fields.size()) != n_cols)
            throw Error(path + ":" + std::to_string(rows[r].line),
                        "has " + std::to_string(rows[r].fields.size()) + " fields; the header has " + std::to_string(n_cols));
        for (int c : inputs)
            if (is_missing(trim(rows[r].fields[c])))
                throw Error(path + ":" + std::to_string(rows[r].line), "column '" + header[c] + "' has no value");
        if (is_missing(trim(rows[r].fields[target])))
            throw Error(path + ":" + std::to_string(rows[r].line), "target column '" + header[target] + "' has no value");
    }

    // Type each input column: numeric if every value parses, else categorical (one-hot, sorted).
    CsvData out;
    out.n = int(n);
    struct Encoding {
        int col;
        std::vector<std::string> categories; // empty: numeric
    };
    std::vector<Encoding> enc;
    for (int c : inputs) {
        Encoding e{c, {}};
        double v;
        bool numeric = true;
        for (size_t r = 1; r <= n && numeric; ++r) numeric = parse_number(trim(rows[r].fields[c]), v);
        if (!numeric) {
            std::set<std::string> cats;
            for (size_t r = 1; r <= n; ++r) cats.insert(trim(rows[r].fields[c]));
            if (cats.size() > 256)
                throw Error(path, "column '" + header[c] + "' is text with " + std::to_string(cats.size()) +
                                      " distinct values; too many to one-hot encode (at most 256)");
            e.categories.assign(cats.begin(), cats.end());
            for (auto &cat : e.categories) out.feature_names.push_back(header[c] + "=" + cat);
        } else {
            out.feature_names.push_back(header[c]);
        }
        enc.push_back(e);
        out.columns.push_back({header[c], e.categories});
    }
    const size_t F = out.feature_names.size();
    out.x.assign(n * F, 0.0f);
    for (size_t r = 0; r < n; ++r) {
        size_t f = 0;
        for (auto &e : enc) {
            std::string s = trim(rows[r + 1].fields[e.col]);
            if (e.categories.empty()) {
                double v;
                parse_number(s, v);
                out.x[r * F + f++] = float(v);
            } else {
                size_t k = std::lower_bound(e.categories.begin(), e.categories.end(), s) - e.categories.begin();
                out.x[r * F + f + k] = 1.0f;
                f += e.categories.size();
            }
        }
    }

    // The target: numbers for regression; class labels (integers from 0, or text) for classification.
    out.y.resize(n);
    size_t first_text = 0; // the first row whose target is not a number (0: none)
    double v;
    for (size_t r = 1; r <= n && !first_text; ++r)
        if (!parse_number(trim(rows[r].fields[target]), v)) first_text = r;
    const bool numeric_target = first_text == 0;
    if (!classification) {
        if (!numeric_target)
            throw Error("data.target", "column '" + spec.target + "' holds text ('" + trim(rows[first_text].fields[target]) + "' on line " +
                                           std::to_string(rows[first_text].line) + " of " + path + "); regression (loss mse) needs numbers");
        for (size_t r = 0; r < n; ++r) parse_number(trim(rows[r + 1].fields[target]), v), out.y[r] = float(v);
    } else if (numeric_target) {
        int max_class = 0;
        for (size_t r = 0; r < n; ++r) {
            parse_number(trim(rows[r + 1].fields[target]), v);
            if (v < 0 || v != std::floor(v) || v > 4095)
                throw Error(path + ":" + std::to_string(rows[r + 1].line),
                            "target '" + trim(rows[r + 1].fields[target]) + "' is not a class index (an integer from 0); use loss mse for regression");
            out.y[r] = float(v);
            max_class = std::max(max_class, int(v));
        }
        for (int k = 0; k <= max_class; ++k) out.class_names.push_back(std::to_string(k));
    } else {
        std::set<std::string> names;
        for (size_t r = 1; r <= n; ++r) names.insert(trim(rows[r].fields[target]));
        out.class_names.assign(names.begin(), names.end());
        for (size_t r = 0; r < n; ++r)
            out.y[r] = float(std::lower_bound(out.class_names.begin(), out.class_names.end(), trim(rows[r + 1].fields[target])) -
                             out.class_names.begin());
    }
    return out;
}

} // namespace liandan
