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
#include "i18n/tr.h"
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

// The number of classes the spec's output tells, 0 for a regression: the messages have a template
// for each ("... (regression)", "... (3 classes)"), so that the interface can show them translated.
int class_count(const liandan::Spec &s) {
    if (s.loss.type == liandan::LossType::mse) return 0;
    return s.loss.type == liandan::LossType::bce ? 2 : s.model.layers.back().units;
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
    ++messages_;
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
                return finish(Status::waiting, msgf("{0}: the link also needs {1}", {base_name(path), base_name(missing[0])}));
            } else {
                app.clear_waiting_link();
                if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
                pending_.reset();
                return finish(Status::loaded, msgf("{0}: the link's experiment, on its data", {base_name(path)}));
            }
        }
        const liandan::DataFileInfo info = liandan::detect_data_file(path);
        if (info.kind == liandan::DataFileKind::spec) {
            const std::string err = app.load_json(liandan::read_file_bytes(path, size_t(64) << 20), base_name(path));
            if (!err.empty()) return finish(Status::error, err);
            pending_.reset();
            return finish(Status::loaded, msgf("{0}: the experiment of this spec", {base_name(path)}));
        }
        if (info.kind == liandan::DataFileKind::weights) {
            // Read and parsed once, here: an experiment replaces the run, weights go to the trainer.
            std::shared_ptr<const liandan::SafetensorsFile> file;
            try {
                file = std::make_shared<const liandan::SafetensorsFile>(liandan::read_file_bytes(path, size_t(2) << 30), path);
            } catch (const liandan::Error &e) {
                return finish(Status::error, e.what());
            }
            if (liandan::is_experiment_file(*file)) {
                if (std::string err = app.open_experiment(std::move(file), base_name(path)); !err.empty()) return finish(Status::error, err);
                return finish(Status::loaded, app.message());
            }
            app.load_weights(std::move(file)); // a refusal arrives from the trainer, newer than this message
            return finish(Status::loaded, msgf("{0}: weights, given to the network in force if their shapes fit it", {base_name(path)}));
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
                const std::string n = std::to_string(spec.data.points.size() / 3);
                return finish(Status::loaded, named ? msgf("{0}: {1} points of the plane (x, y, label)", {base_name(path), n})
                                                    : msgf("{0}: {1} points of the plane ({2}, {3} as x, y; {4} as the label)",
                                                           {base_name(path), n, info.columns[0], info.columns[1], info.columns[2]}));
            }
        }
        if (info.kind == liandan::DataFileKind::csv) {
            liandan::Spec spec = liandan::spec_for_csv(app.spec(), path);
            if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
            pending_.reset();
            const std::string inputs = std::to_string(spec.model.input[0]);
            const int classes = class_count(spec);
            return finish(Status::loaded, classes ? msgf("{0}: CSV, target '{1}' ({2} classes), {3} input features",
                                                         {base_name(path), spec.data.target, std::to_string(classes), inputs})
                                                  : msgf("{0}: CSV, target '{1}' (regression), {2} input features",
                                                         {base_name(path), spec.data.target, inputs}));
        }
        const bool images = info.kind == liandan::DataFileKind::idx_images;
        if (!pending_ || pending_->kind == info.kind) { // the first of a pair, or a replacement for it
            pending_ = info;
            // info.kind is idx_images or idx_labels here (liandan::data_file_kind_name: "IDX images", "IDX labels").
            return finish(Status::waiting,
                          images ? msgf("{0}: IDX images [{1}]; now open the matching labels file (IDX, one dimension)", {base_name(path), dims_text(info.dims)})
                                 : msgf("{0}: IDX labels [{1}]; now open the matching images file (IDX)", {base_name(path), dims_text(info.dims)}));
        }
        const std::string image_path = images ? path : pending_->path, label_path = images ? pending_->path : path;
        liandan::Spec spec = liandan::spec_for_idx(app.spec(), image_path, label_path);
        if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
        pending_.reset();
        std::string shape;
        for (size_t i = 0; i < spec.model.input.size(); ++i) shape += (i ? " × " : "") + std::to_string(spec.model.input[i]);
        const int classes = class_count(spec);
        return finish(Status::loaded, classes ? msgf("{0} + {1}: IDX, samples of {2}, {3} classes",
                                                     {base_name(image_path), base_name(label_path), shape, std::to_string(classes)})
                                              : msgf("{0} + {1}: IDX, samples of {2}, regression", {base_name(image_path), base_name(label_path), shape}));
    } catch (const liandan::Error &e) {
        return finish(Status::error, e.what());
    }
}

DataFiles::Result DataFiles::set_target(const std::string &column, App &app) {
    const liandan::Spec &current = app.spec();
    const liandan::DataSpec data = liandan::resolve_named_set(current.data);
    if (data.source != liandan::DataSource::csv) return finish(Status::error, msgf("data.target: the data in use is not a table", {}));
    try {
        liandan::Spec spec = liandan::spec_for_csv(current, data.path, column);
        if (std::string err = app.load(spec); !err.empty()) return finish(Status::error, err);
        const int classes = class_count(spec);
        return finish(Status::loaded, classes ? msgf("target '{0}' ({1} classes)", {column, std::to_string(classes)})
                                              : msgf("target '{0}' (regression)", {column}));
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
