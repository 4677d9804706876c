// The data workbench's edits: turning a plane data set into the user's own points, adding,
// painting and erasing points, and CSV export/import of points (x, y, label).
#pragma once
#include <string>

#include "data/dataset.h"
#include "spec.h"

namespace liandan {

// Makes spec's data the points of `data` (train and test rows) if it is not points already.
// Returns false when the data has no plane points (CSV, images).
bool make_points_source(Spec &spec, const Dataset &data);
void add_point(Spec &spec, float x, float y, float label);
// Removes the points within radius of (x, y); returns how many went. Keeps at least 4 points.
int erase_points(Spec &spec, float x, float y, float radius);
// "x,y,label" with a header, one row per point of the data set (train rows, then test rows).
std::string points_csv(const Dataset &data);
// Reads such a CSV (a header, then 3 numeric columns) into spec's data as points; "" or the
// error naming origin and the line.
std::string load_points_csv(Spec &spec, const std::string &text, const std::string &origin);
// Back from a file's data or the user's points to the generated plane sets (the last one chosen):
// the plane's features, and the default network if the file's was not a stack of dense layers.
void back_to_toy_data(Spec &spec);

} // namespace liandan
