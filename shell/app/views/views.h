// One view per file, each drawing only from the snapshot (STYLE.md 6).
#pragma once
#include "train/snapshot.h"

class App;

void draw_controls_view(const liandan::Snapshot &snap, App &app);
void draw_data_view(const liandan::Snapshot &snap);
void draw_curve_view(const liandan::Snapshot &snap);
void draw_data_files_view(App &app);
