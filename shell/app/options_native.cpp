// Argument parsing with CLI11 (Debian's libcli11-dev, header-only, so it builds under em++ too).
#include "options.h"

#include <CLI/CLI.hpp>

AppOptions parse_options(int argc, char **argv) {
    AppOptions o;
    CLI::App app{"Liandan: build a network, train it and watch it learn."};
    app.add_option("--spec", o.spec_path, "experiment spec to open (JSON)");
    app.add_option("--url", o.url, "experiment as a URL hash (TensorFlow Playground's keys, or spec=...), with or without #")
        ->excludes("--spec");
    app.add_option("--data", o.data_paths, "data file to open: a CSV, or IDX images and labels (give both)");
    app.add_flag("--play", o.play, "start training at once");
    app.add_flag("--fresh", o.fresh, "start without the experiment kept from the last run, and keep nothing");
    app.add_flag("--keep", o.keep, "keep the experiment (in $XDG_DATA_HOME/liandan) even with --screenshot or --drive")
        ->excludes("--fresh");
    app.add_option("--screenshot", o.screenshot_path, "write a PNG of the window and exit");
    app.add_option("--screenshot-frame", o.screenshot_frame,
                   "frame to take the screenshot at (default: when training has finished)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--drive", o.drive_path,
                   "run a UI script (click LABEL, click-at LABEL FX FY, clicks N LABEL, key NAME, wait N, wait-step N, wait-idle, "
                   "measure N PATH, screenshot PATH, dump PATH, quit)")
        ->check(CLI::ExistingFile);
    app.add_option("--lang", o.lang, "the interface's language: en or zh")->check(CLI::IsMember({"en", "zh"}));
    app.add_option("--embed", o.embed, "a minimal layout, as the page's ?embed=: output, or network (and the output)")
        ->check(CLI::IsMember({"output", "network"}));
    app.add_option("--width", o.width, "window width")->check(CLI::Range(320, 8192));
    app.add_option("--height", o.height, "window height")->check(CLI::Range(240, 8192));
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &) {
        o.error = app.help();
    } catch (const CLI::ParseError &e) {
        o.error = e.what();
    }
    return o;
}
