// The workbench's points: a data source in the spec, edits, CSV export and import.
#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "data/fit_spec.h"
#include "edit/points.h"
#include "helpers.h"
#include "train/trainer.h"

using namespace liandan;

TEST(points, a_toy_set_becomes_points_and_back_to_the_same_rows) {
    Spec s = test::small_spec("circle");
    Dataset toy = make_dataset(s.data, s.loss.type, 512);
    ASSERT_TRUE(make_points_source(s, toy));
    EXPECT_EQ(s.data.source, DataSource::points);
    EXPECT_EQ(s.data.points.size(), size_t(3 * (toy.train.n + toy.test.n)));
    Dataset pts = make_dataset(s.data, s.loss.type, 512);
    EXPECT_TRUE(pts.toy);
    EXPECT_EQ(pts.train.n + pts.test.n, toy.train.n + toy.test.n);
    EXPECT_EQ(pts.n_classes, 2);
    // The spec round-trips through JSON with its points.
    Spec again = parse_spec(spec_to_json(s));
    EXPECT_EQ(again.data.points, s.data.points);
    // ... written as the shortest decimals that read back exactly: a point at 0.123 is "0.123".
    s.data.points[0] = 0.123f;
    const std::string text = spec_to_json(s).dump();
    EXPECT_NE(text.find("[0.123,"), std::string::npos) << text.substr(0, 200);
    EXPECT_EQ(parse_spec(spec_to_json(s)).data.points, s.data.points);
}

TEST(points, add_erase_and_classes) {
    Spec s = default_spec();
    s.data.source = DataSource::points;
    s.data.points = {-1, -1, 0, 1, 1, 1, -1, 1, 0, 1, -1, 1};
    add_point(s, 3, 3, 2);
    EXPECT_EQ(s.data.points.size(), 15u);
    Dataset d = make_dataset(s.data, LossType::cross_entropy, 512);
    EXPECT_EQ(d.n_classes, 3);
    EXPECT_EQ(erase_points(s, 3, 3, 0.5f), 1);
    EXPECT_EQ(erase_points(s, 0, 0, 10), 0) << "at least 4 points stay";
    s.data.points[2] = 0.5f;
    EXPECT_THROW(make_dataset(s.data, LossType::bce, 512), Error) << "a class must be a whole number";
    EXPECT_NO_THROW(make_dataset(s.data, LossType::mse, 512)) << "mse takes values";
}

TEST(points, csv_export_and_import) {
    Spec s = test::small_spec("xor");
    Dataset d = make_dataset(s.data, s.loss.type, 512);
    std::string csv = points_csv(d);
    EXPECT_EQ(csv.rfind("x,y,label\n", 0), 0u);
    Spec loaded = default_spec();
    EXPECT_EQ(load_points_csv(loaded, csv, "p.csv"), "");
    EXPECT_EQ(loaded.data.points.size(), size_t(3 * (d.train.n + d.test.n)));
    Spec bad = default_spec();
    EXPECT_EQ(load_points_csv(bad, "x,y,label\n1,2\n", "p.csv"), "p.csv:2: expected three numbers x,y,label, found '1,2'");
    EXPECT_EQ(load_points_csv(bad, "x,y,label\n9,0,1\n", "p.csv"), "p.csv:2: the point is outside the plane [-6, 6]");
    EXPECT_EQ(load_points_csv(bad, "", "p.csv"), "p.csv: is empty (expected a header row x,y,label and points)");
    EXPECT_EQ(bad.data.source, DataSource::toy) << "a refused file changes nothing";
}

TEST(points, load_after_a_csv_file_goes_back_to_the_plane) {
    const std::string table = test::write_temp_file("table.csv", "a,b,t\n1,2,0\n2,3,1\n3,4,0\n4,5,1\n5,6,0\n6,7,1\n");
    Spec s = spec_for_csv(default_spec(), table, "t");
    ASSERT_EQ(s.data.source, DataSource::csv);
    Dataset d = make_dataset(test::small_spec("xor").data, LossType::bce, 64);
    ASSERT_EQ(load_points_csv(s, points_csv(d), "liandan-points.csv"), "");
    EXPECT_EQ(s.data.features, default_spec().data.features);
    Spec checked = parse_spec(spec_to_json(s)); // what App::load does with it
    EXPECT_EQ(checked.data.source, DataSource::points);
}

TEST(points, back_to_the_generated_sets_from_a_file_or_points) {
    const std::string table = test::write_temp_file("table2.csv", "a,b,t\n1,2,0.5\n2,3,1.5\n3,4,0.25\n4,5,1\n5,6,0\n6,7,1\n");
    Spec s = spec_for_csv(default_spec(), table, "t"); // a regression table
    back_to_toy_data(s);
    Spec checked = parse_spec(spec_to_json(s));
    EXPECT_EQ(checked.data.source, DataSource::toy);
    EXPECT_EQ(checked.data.features, default_spec().data.features);
    Trainer t(checked); // builds: the output fits the set again
    Spec p = test::small_spec("xor");
    ASSERT_EQ(load_points_csv(p, "x,y,label\n1,1,1\n-1,1,0\n1,-1,0\n-1,-1,1\n", "p.csv"), "");
    back_to_toy_data(p);
    EXPECT_EQ(p.data.source, DataSource::toy);
    EXPECT_TRUE(p.data.points.empty());
}

TEST(points, spec_refusals_name_the_point) {
    try {
        parse_spec_text(R"({"data": {"source": "points", "points": [[0,0,0],[1,1,1],[2,2,0],[3,"a",1]]}})");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "data.points[3][1]: must be a number, not a string");
    }
    try {
        parse_spec_text(R"({"data": {"source": "points", "points": [[0,0,0]]}})");
        FAIL();
    } catch (const Error &e) {
        EXPECT_STREQ(e.what(), "data.points: needs at least 4 points, has 1");
    }
}
