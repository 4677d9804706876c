// DataFiles: detection, IDX pairing and the spec edit (core/data/detect.h, core/data/fit_spec.h),
// then App::load. The messages say what happened in the user's terms: which file, what it holds,
// what is still missing.
#include "data_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app.h"
#include "data/catalog.h"
#include "data/csv.h"
#include "data/dataset.h"
#include "data/fit_spec.h"
#include "edit/points.h"
#include "platform.h"
#include "util/error.h"

namespace {

std::string base_name(const std::string &path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dims_text(const std::vector<int> &dims) {
    std::string s;
    for (size_t i = 0; i < dims.size(); ++i) s += (i ? " × " : "") + std::to_string(dims[i]);
    return s;
}

std::string task_text(const liandan::Spec &s) {
    if (s.loss.type == liandan::LossType::mse) return "regression";
    const int outputs = s.model.layers.back().units;
    return s.loss.type == liandan::LossType::bce ? "2 classes" : std::to_string(outputs) + " classes";
}

} // namespace

const char *status_name(DataFiles::Status s) {
    switch (s) {
    case DataFiles::Status::loaded: return "loaded";
    case DataFiles::Status::waiting: return "waiting";
    case DataFiles::Status::error: return "error";
    }
    return "?";
}

namespace {
// A CSV of plane points: columns x, y and one label column (any name).
bool is_points_header(const std::vector<std::string> &columns) {
    auto lower = [](std::string c) {
        for (char &ch : c) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        return c;
    };
    return columns.size() == 3 && lower(columns[0]) == "x" && lower(columns[1]) == "y";
}

std::string read_text(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}
} // namespace

DataFiles::Result DataFiles::finish(Status status, std::string message) {
    message_ = std::move(message);
    error_ = status == Status::error;
    return {status, message_};
}

DataFiles::Result DataFiles::open(const std::string &path, App &app) {
    try {
        if (app.waiting_link()) { // one of the files of the link the page opened with?
            // Its /uploads/ paths that name this file (by base name: natively it comes from anywhere) now point here.
            liandan::Spec spec = *app.waiting_link();
            bool ours = false;
            for (std::string *p : data_file_fields(spec))
                if (p->rfind(k_uploads_dir, 0) == 0 && base_name(*p) == base_name(path)) *p = path, ours = true;
            if (!ours) {
                app.clear_waiting_link(); // another file: the user moved on
            } else if (const auto missing = uploads_of(spec, true); !missing.empty()) {
                app.set_waiting_link(spec);
                return finish(Status::waiting, base_name(path) + ": the link also needs " + base_name(missing[0]));
            } else {
                app.clear_waiting_link();
                if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
                pending_.reset();
                return finish(Status::loaded, base_name(path) + ": the link's experiment, on its data");
            }
        }
        const liandan::DataFileInfo info = liandan::detect_data_file(path);
        if (info.kind == liandan::DataFileKind::spec) {
            const std::string err = app.load_json(liandan::read_file_bytes(path, size_t(64) << 20), base_name(path));
            if (!err.empty()) return finish(Status::error, err);
            pending_.reset();
            return finish(Status::loaded, base_name(path) + ": the experiment of this spec");
        }
        if (info.kind == liandan::DataFileKind::weights) {
            std::string bytes = liandan::read_file_bytes(path, size_t(2) << 30);
            bool experiment = false;
            try {
                experiment = liandan::is_experiment_file(liandan::SafetensorsFile(bytes, path));
            } catch (const liandan::Error &) { // malformed: the trainer refuses it as weights, saying why
            }
            if (experiment) {
                if (std::string err = app.open_experiment(std::move(bytes), base_name(path)); !err.empty()) return finish(Status::error, err);
                return finish(Status::loaded, app.message());
            }
            app.load_weights(path); // a refusal arrives from the trainer, newer than this message
            return finish(Status::loaded, base_name(path) + ": weights for the network in force");
        }
        if (info.kind == liandan::DataFileKind::csv && info.columns.size() == 3) {
            // x, y, label: points of the plane for the workbench (the playground's own export). Three
            // numeric columns under other names are points too when they lie in the plane; if not,
            // they are an ordinary table (below).
            liandan::Spec spec = app.spec();
            const bool named = is_points_header(info.columns);
            std::string err = liandan::load_points_csv(spec, read_text(path), base_name(path));
            if (named && !err.empty()) return finish(Status::error, err);
            if (err.empty()) {
                if (err = app.load(spec); !err.empty()) return finish(Status::error, err);
                pending_.reset();
                const std::string columns = named ? "x, y, label" : info.columns[0] + ", " + info.columns[1] + " as x, y; " + info.columns[2] + " as the label";
                return finish(Status::loaded, base_name(path) + ": " + std::to_string(spec.data.points.size() / 3) + " points of the plane (" + columns + ")");
            }
        }
        if (info.kind == liandan::DataFileKind::csv) {
            liandan::Spec spec = liandan::spec_for_csv(app.spec(), path);
            if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
            pending_.reset();
            return finish(Status::loaded, base_name(path) + ": CSV, target '" + spec.data.target + "' (" + task_text(spec) +
                                              "), " + std::to_string(spec.model.input[0]) + " input features");
        }
        const bool images = info.kind == liandan::DataFileKind::idx_images;
        if (!pending_ || pending_->kind == info.kind) { // the first of a pair, or a replacement for it
            pending_ = info;
            return finish(Status::waiting, base_name(path) + ": " + liandan::data_file_kind_name(info.kind) + " [" +
                                               dims_text(info.dims) + "]; now open the matching " +
                                               (images ? "labels file (IDX, one dimension)" : "images file (IDX)"));
        }
        const std::string image_path = images ? path : pending_->path, label_path = images ? pending_->path : path;
        liandan::Spec spec = liandan::spec_for_idx(app.spec(), image_path, label_path);
        if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
        pending_.reset();
        std::string shape;
        for (size_t i = 0; i < spec.model.input.size(); ++i) shape += (i ? " × " : "") + std::to_string(spec.model.input[i]);
        return finish(Status::loaded, base_name(image_path) + " + " + base_name(label_path) + ": IDX, samples of " + shape + ", " +
                                          task_text(spec));
    } catch (const liandan::Error &e) {
        return finish(Status::error, e.what());
    }
}

DataFiles::Result DataFiles::set_target(const std::string &column, App &app) {
    const liandan::Spec &current = app.spec();
    const liandan::DataSpec data = liandan::resolve_named_set(current.data);
    if (data.source != liandan::DataSource::csv) return finish(Status::error, "data.target: the data in use is not a table");
    try {
        liandan::Spec spec = liandan::spec_for_csv(current, data.path, column);
        if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
        return finish(Status::loaded, "target '" + column + "' (" + task_text(spec) + ")");
    } catch (const liandan::Error &e) {
        return finish(Status::error, e.what());
    }
}

void DataFiles::request_open() {
    if (!platform_open_file_picker()) show_path_field = !show_path_field;
}

const std::vector<std::string> &DataFiles::columns(const liandan::Spec &spec) {
    const liandan::DataSpec data = liandan::resolve_named_set(spec.data);
    if (data.source != liandan::DataSource::csv) {
        columns_.clear();
        columns_path_.clear();
        return columns_;
    }
    // Keyed by the file's presence too: the page fetches a named table after it is picked.
    std::error_code e;
    const std::string key = data.path + (std::filesystem::exists(liandan::expand_path(data.path), e) ? "" : " (missing)");
    if (key != columns_path_) {
        columns_path_ = key;
        try {
            columns_ = liandan::read_csv_header(liandan::expand_path(data.path));
        } catch (const liandan::Error &) {
            columns_.clear(); // the run reports an unreadable file itself
        }
    }
    return columns_;
}
