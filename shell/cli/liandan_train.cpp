// liandan-train: trains a spec headless (docs/design.md, contract 2). Progress goes to stderr, one JSON
// object per epoch to --metrics. Exit 0 on success, 2 on bad input, 3 when the run diverged.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "data/raw_rows.h"
#include "io/pytorch_export.h"
#include "io/safetensors.h"
#include "spec.h"
#include "train/trainer.h"

namespace {

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw liandan::Error(path, "cannot be opened");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Control characters from a file or a spec (a CSV header's ESC sequence, a newline) are written
// as \xNN, so an error stays one line and cannot drive the terminal.
std::string printable(const std::string &text) {
    std::string out;
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else {
            out += char(c);
        }
    }
    return out;
}

// The network's outputs (eval mode) for the raw rows of a file, one CSV row per input row.
void write_outputs(liandan::Trainer &trainer, const std::string &rows_path, const std::string &outputs_path) {
    int n = 0;
    const std::vector<float> x = liandan::features_of_raw_file(trainer.data(), rows_path, n);
    liandan::Model &model = trainer.model();
    const int F = model.n_inputs(), O = model.n_outputs();
    std::ofstream file;
    if (!outputs_path.empty()) {
        file.open(outputs_path);
        if (!file) throw liandan::Error(outputs_path, "cannot be opened for writing");
    }
    std::ostream &out = outputs_path.empty() ? std::cout : file;
    for (int first = 0; first < n; first += model.max_batch()) {
        const int count = std::min(model.max_batch(), n - first);
        const float *y = model.forward(&x[size_t(first) * F], count, false);
        for (int r = 0; r < count; ++r) {
            char text[32];
            for (int o = 0; o < O; ++o) {
                std::snprintf(text, sizeof text, "%.9g", double(y[size_t(r) * O + o]));
                out << (o ? "," : "") << text;
            }
            out << '\n';
        }
    }
    if (!out) throw liandan::Error(outputs_path, "could not be written completely");
}

int fail(const std::string &message, int code) {
    std::fprintf(stderr, "liandan-train: error: %s\n", printable(message).c_str());
    return code;
}

} // namespace

int main(int argc, char **argv) {
    CLI::App app{"Train a Liandan experiment spec headless."};
    std::string config, init_path, save_path, metrics_path, export_path, predict_path, outputs_path;
    std::vector<std::string> sets;
    int threads = 0;
    app.add_option("--config", config, "experiment spec (JSON)")->required();
    app.add_option("--set", sets, "override a spec key: --set optimizer.lr=0.01 (repeatable)");
    app.add_option("--init", init_path, "start from these weights (safetensors)");
    app.add_option("--save", save_path, "write the trained weights (safetensors)");
    app.add_option("--metrics", metrics_path, "write one JSON object per epoch (JSON lines)");
    app.add_option("--threads", threads, "worker threads (overrides train.threads)")->check(CLI::Range(1, 256));
    app.add_option("--export-pytorch", export_path,
                   "write a Python file that builds the network in PyTorch, loads the --save file and predicts raw rows");
    app.add_option("--predict", predict_path,
                   "after training, the network's outputs for these raw rows: a CSV with a header (points: x, y; a "
                   "table: its input columns) or IDX images");
    app.add_option("--outputs", outputs_path, "where --predict writes the outputs (CSV, one row per input row)")->needs("--predict");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        if (e.get_exit_code() == 0) return app.exit(e);
        return fail(e.what(), 2);
    }

    liandan::Spec spec;
    try {
        const std::string text = read_file(config);
        nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded()) liandan::parse_spec_text(text, config); // throws, naming line and column
        for (const std::string &s : sets) {
            auto eq = s.find('=');
            if (eq == std::string::npos || eq == 0) throw liandan::Error("--set " + s, "expected key=value");
            liandan::set_by_path(j, s.substr(0, eq), s.substr(eq + 1));
        }
        if (threads > 0) liandan::set_by_path(j, "train.threads", std::to_string(threads)); // refuses a spec that is not an object
        spec = liandan::parse_spec(j);
    } catch (const liandan::Error &e) {
        return fail(e.what(), 2);
    } catch (const std::exception &e) { // a bug, but still one line and an exit code, not an abort
        return fail(std::string("internal error: ") + e.what(), 2);
    }

    const bool tty = isatty(fileno(stderr));
    try {
        liandan::Trainer trainer(spec);
        if (!init_path.empty()) liandan::load_safetensors(trainer.model(), init_path);
        std::ofstream metrics;
        if (!metrics_path.empty()) {
            metrics.open(metrics_path);
            if (!metrics) throw liandan::Error(metrics_path, "cannot be opened for writing");
        }
        const int epochs = spec.train.epochs;
        const int every = std::max(1, epochs / 20); // a short log when not on a terminal
        const liandan::Task task = trainer.data().task;
        trainer.fit([&](const liandan::EpochMetrics &m) {
            if (metrics) metrics << liandan::metrics_to_json(m, task).dump() << '\n' << std::flush;
            if (tty || m.epoch % every == 0 || m.epoch == epochs) {
                std::fprintf(stderr, "%sepoch %d/%d  step %lld  loss %.4f train %.4f test", tty ? "\r" : "", m.epoch, epochs,
                             static_cast<long long>(m.step), m.loss_train, m.loss_test);
                if (task == liandan::Task::classification)
                    std::fprintf(stderr, "  accuracy %.1f%% / %.1f%%", 100 * m.accuracy_train, 100 * m.accuracy_test);
                else
                    std::fprintf(stderr, "  RMSE %.4g / %.4g  R² %.3f / %.3f", m.rmse_train, m.rmse_test, m.r2_train, m.r2_test);
                std::fprintf(stderr, "  %.0f samples/s%s", m.samples_per_s, tty ? "   " : "\n");
            }
            return true;
        });
        if (tty) std::fprintf(stderr, "\n");
        if (!save_path.empty()) liandan::save_safetensors(trainer.model(), save_path);
        if (!export_path.empty()) {
            std::ofstream out(export_path);
            if (!(out << liandan::pytorch_module(trainer.spec(), trainer.data())))
                throw liandan::Error(export_path, "cannot be written");
        }
        if (!predict_path.empty()) write_outputs(trainer, predict_path, outputs_path);
    } catch (const liandan::Diverged &e) {
        if (tty) std::fprintf(stderr, "\n"); // end the progress line the error would otherwise join
        return fail(e.what(), 3);
    } catch (const liandan::Error &e) {
        return fail(e.what(), 2);
    } catch (const std::exception &e) {
        return fail(std::string("internal error: ") + e.what(), 2);
    }
    return 0;
}
