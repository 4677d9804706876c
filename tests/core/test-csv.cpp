// CSV: header, numeric and one-hot text columns, text and integer class targets, and refusals
// that name the file, line and column.

#include "data/csv.h"
#include "data/dataset.h"
#include "helpers.h"

using namespace liandan;

namespace {
DataSpec csv(const std::string &path, const std::string &target) {
    DataSpec d;
    d.source = DataSource::csv;
    d.path = path;
    d.target = target;
    d.features.clear(); // all columns but the target
    return d;
}
std::string refusal(const DataSpec &d, bool classification) {
    try {
        read_csv_dataset(d, classification);
    } catch (const Error &e) {
        return e.what();
    }
    return "accepted";
}
} // namespace

TEST(csv, numbers_text_one_hot_and_text_classes) {
    std::string path = test::write_temp_file("a.csv", "a,b,colour,label\n1,2,red,yes\n3,4.5,blue,no\n\"5\",6,red,yes\r\n");
    CsvData c = read_csv_dataset(csv(path, "label"), true);
    EXPECT_EQ(c.n, 3);
    EXPECT_EQ(c.feature_names, (std::vector<std::string>{"a", "b", "colour=blue", "colour=red"}));
    EXPECT_EQ(c.class_names, (std::vector<std::string>{"no", "yes"}));
    EXPECT_EQ(c.x, (std::vector<float>{1, 2, 0, 1, 3, 4.5f, 1, 0, 5, 6, 0, 1}));
    EXPECT_EQ(c.y, (std::vector<float>{1, 0, 1}));
}

TEST(csv, regression_and_chosen_features) {
    std::string path = test::write_temp_file("b.csv", "x1,x2,price\n1,10,100.5\n2,20,200\n");
    DataSpec d = csv(path, "price");
    d.features = {"x2"};
    CsvData c = read_csv_dataset(d, false);
    EXPECT_EQ(c.x, (std::vector<float>{10, 20}));
    EXPECT_EQ(c.y, (std::vector<float>{100.5f, 200}));
}

TEST(csv, refusals_name_the_place) {
    std::string missing = test::write_temp_file("m.csv", "a,b,t\n1,2,0\n3,,1\n");
    EXPECT_EQ(refusal(csv(missing, "t"), true), missing + ":3: column 'b' has no value");
    std::string ragged = test::write_temp_file("r.csv", "a,b,t\n1,2,0\n3,4\n");
    EXPECT_EQ(refusal(csv(ragged, "t"), true), ragged + ":3: has 2 fields; the header has 3");
    EXPECT_EQ(refusal(csv(ragged, "nope"), true), "data.target: no column 'nope' in " + ragged);
    std::string text_target = test::write_temp_file("t.csv", "a,t\n1,cat\n2,dog\n");
    EXPECT_EQ(refusal(csv(text_target, "t"), false),
              "data.target: column 't' holds text ('cat' on line 2 of " + text_target + "); regression (loss mse) needs numbers");
    std::string bad_class = test::write_temp_file("c.csv", "a,t\n1,0.5\n");
    EXPECT_NE(refusal(csv(bad_class, "t"), true).find("is not a class index"), std::string::npos);
    std::string quote = test::write_temp_file("q.csv", "a,t\n\"1,0\n");
    EXPECT_EQ(refusal(csv(quote, "t"), true), quote + ":2: a quoted field is not closed");
    EXPECT_EQ(refusal(csv(liandan::test::temp_folder() + "none.csv", "t"), true), liandan::test::temp_folder() + "none.csv: cannot be opened");
}

TEST(csv, malformed_files_are_refused_naming_file_line_and_column) {
    struct Case {
        const char *name, *text, *target;
        bool classification;
        std::string message; // after "<path>" unless it starts with "data."
    };
    const Case cases[] = {
        {"empty.csv", "", "t", true, ": needs a header row and at least one data row"},
        {"blank.csv", "\n\r\n\n", "t", true, ": needs a header row and at least one data row"},
        {"header-only.csv", "a,b,t\n", "t", true, ": needs a header row and at least one data row"},
        {"ragged-long.csv", "a,b,t\n1,2,0\n3,4,1,5\n", "t", true, ":3: has 4 fields; the header has 3"},
        {"ragged-short.csv", "a,b,t\n1,2,0\n\n3,4\n", "t", true, ":4: has 2 fields; the header has 3"},
        {"unknown-target.csv", "a,b,t\n1,2,0\n", "label", true, "data.target: no column 'label' in "},
        {"text-target.csv", "a,t\n1,2.5\n2,cheap\n", "t", false,
         "data.target: column 't' holds text ('cheap' on line 3 of "},
        {"missing-target.csv", "a,t\n1,0\n2,NA\n", "t", true, ":3: target column 't' has no value"},
        {"missing-input.csv", "a,t\n1,0\n?,1\n", "t", true, ":3: column 'a' has no value"},
        {"negative-class.csv", "a,t\n1,0\n2,-1\n", "t", true, ":3: target '-1' is not a class index"},
        {"only-target.csv", "t\n1\n", "t", true, ": has no input columns besides the target"},
        {"open-quote.csv", "a,t\n1,0\n\"2,1\n3,0\n", "t", true, ":3: a quoted field is not closed"},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.name);
        std::string path = test::write_temp_file(c.name, c.text);
        std::string got = refusal(csv(path, c.target), c.classification);
        if (c.message.rfind("data.", 0) == 0) {
            EXPECT_EQ(got.substr(0, c.message.size()), c.message);
            EXPECT_NE(got.find(path), std::string::npos) << got; // names the file too
        } else {
            EXPECT_EQ(got.substr(0, path.size() + c.message.size()), path + c.message) << got;
        }
    }
}

TEST(csv, a_byte_order_mark_before_the_header_is_skipped) {
    // Spreadsheets write UTF-8 CSV with a BOM; without skipping it the first column is not found by name.
    std::string path = test::write_temp_file("bom.csv", "\xEF\xBB\xBFprice,rooms\n100,2\n150,3\n");
    CsvData c = read_csv_dataset(csv(path, "price"), false);
    EXPECT_EQ(c.feature_names, (std::vector<std::string>{"rooms"}));
    EXPECT_EQ(c.y, (std::vector<float>{100, 150}));
}

TEST(csv, dataset_split_and_standardization) {
    std::string path = test::write_temp_file("d.csv", "a,t\n1,0\n2,1\n3,0\n4,1\n10,1\n");
    DataSpec d = csv(path, "t");
    d.test_fraction = 0.2;
    d.normalize = Normalize::standard;
    Dataset ds = make_dataset(d, LossType::bce, 512);
    EXPECT_EQ(ds.train.n, 4);
    EXPECT_EQ(ds.test.n, 1);
    EXPECT_NEAR(ds.train.x[0], (1 - 2.5) / std::sqrt(1.25), 1e-6); // mean 2.5, population var 1.25 of the train rows
    EXPECT_NEAR(ds.test.x[0], (10 - 2.5) / std::sqrt(1.25), 1e-5);
    EXPECT_EQ(ds.n_classes, 2);
}
