// Data files opened in the app (docs/design.md, contract 4): dropped on the window, picked in the page,
// typed as a path natively, or given with --data. Each file is recognised by its bytes; an IDX
// file waits for its partner (images + labels); the spec that fits them goes through App::load,
// so a refusal keeps the current run. Layout and drawing are in views/data_files_view.cpp.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/detect.h"
#include "spec.h"

class App;

class DataFiles {
public:
    enum class Status { loaded, waiting, error };
    struct Result {
        Status status;
        std::string message;
    };

    // Opens a data file at `path` (native path, or the page's /uploads/<name> in the wasm file system).
    Result open(const std::string &path, App &app);
    // Makes `column` the target of the CSV in use (a classification or regression head to match).
    Result set_target(const std::string &column, App &app);
    // The Open button and the o key: the page's file picker, or natively the path field.
    void request_open();

    // The header of the CSV the spec uses; read once per file, empty when it cannot be read.
    const std::vector<std::string> &columns(const liandan::Spec &spec);
    const std::string &message() const { return message_; }
    // Counts the messages set: the page API opens files between frames, and its answer must be
    // drawn without waiting for the pointer to move (App::changes).
    uint64_t messages() const { return messages_; }
    void clear_message() { message_.clear(), error_ = false, ++messages_; }
    bool message_is_error() const { return error_; }
    bool waiting() const { return pending_.has_value(); }

    // The native path field (views/data_files_view.cpp).
    bool show_path_field = false;
    std::string path_field;

private:
    Result finish(Status status, std::string message);

    std::optional<liandan::DataFileInfo> pending_; // an IDX file waiting for its partner
    std::string message_;
    bool error_ = false;
    uint64_t messages_ = 0;
    std::string columns_path_;
    std::vector<std::string> columns_;
};

const char *status_name(DataFiles::Status s); // "loaded", "waiting", "error" (the page API's words)
