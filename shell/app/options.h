// Command-line options of the app (options_native.cpp). The page passes only its URL hash as --url
// (options_web.cpp); the rest is for native runs.
#pragma once
#include <string>
#include <vector>

struct AppOptions {
    std::string spec_path;       // start with this spec instead of the default preset
    std::string url;             // ... or with the experiment of this URL hash (the page passes location.hash)
    std::vector<std::string> data_paths; // data files to open at start (CSV, or IDX images and labels)
    std::string screenshot_path; // write a PNG of the window, then exit
    int screenshot_frame = 0;    // ... after this many frames (0 = when training has finished)
    bool play = false;           // start training at once
    bool fresh = false;          // neither restore nor keep the experiment between runs
    bool keep = false;           // keep it even in a scripted run (--screenshot, --drive)
    std::string lang;            // the interface's language, "en" or "zh" (a link's lang= wins)
    std::string embed;           // "output" or "network": the minimal layouts for small iframes (the page's ?embed=)
    std::string drive_path;      // a UI script that clicks controls by label (tests under Xvfb)
    int width = 1280, height = 800;
    std::string error;           // set when the arguments could not be understood
};

AppOptions parse_options(int argc, char **argv);
