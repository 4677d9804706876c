// The layer stack editor's model (core/edit/layer_stack.h): shapes, parameters and memory per
// layer, the first layer that does not fit named as the interface names it, fitting defaults.
#include <gtest/gtest.h>

#include "data/catalog.h"
#include "edit/layer_stack.h"
#include "spec.h"

using namespace liandan;

TEST(layer_stack, lenet_on_mnist_shapes_and_parameters) {
    const Spec lenet = proposed_spec(*named_set("mnist"), named_set("mnist")->presets[0], default_spec());
    const StackSummary s = summarize_stack(lenet.model.layers, {1, 28, 28}, 32, OptimizerType::adam);
    ASSERT_TRUE(s.ok()) << s.error;
    const std::vector<Shape> shapes = {{12, 28, 28}, {12, 14, 14}, {24, 10, 10}, {24, 5, 5}, {600, 1, 1}, {120, 1, 1}, {120, 1, 1}, {84, 1, 1}, {10, 1, 1}};
    const std::vector<int64_t> params = {312, 0, 7224, 0, 0, 72120, 0, 10164, 850};
    ASSERT_EQ(s.rows.size(), shapes.size());
    for (size_t k = 0; k < shapes.size(); ++k) {
        EXPECT_EQ(s.rows[k].out, shapes[k]) << "layer " << k + 1 << ": " << s.rows[k].out.text();
        EXPECT_EQ(s.rows[k].params, params[k]) << "layer " << k + 1;
        if (k == 4) EXPECT_EQ(s.rows[k].bytes, 0) << "flatten passes its input on: nothing to hold";
        else EXPECT_GT(s.rows[k].bytes, 0) << "layer " << k + 1;
    }
    EXPECT_EQ(s.params, 90670); // LeNet-5's layout with 12 and 24 filters
    // Adam keeps two values per parameter besides the weight and its gradient: 4 floats each.
    EXPECT_GE(s.rows[5].bytes, 72120.0 * 4 * 4);
}

TEST(layer_stack, the_first_layer_that_does_not_fit_is_named_as_the_interface_names_it) {
    std::vector<LayerSpec> layers = {default_layer(LayerType::conv2d, {1, 28, 28}), default_layer(LayerType::maxpool, {8, 28, 28}),
                                     default_layer(LayerType::conv2d, {8, 14, 14}), default_layer(LayerType::dense, {1, 1, 1})};
    layers[2].kernel = 15;
    layers[2].padding = Padding::valid; // 15×15 on 14×14: nothing left
    const StackSummary s = summarize_stack(layers, {1, 28, 28}, 32, OptimizerType::sgd);
    EXPECT_EQ(s.error_layer, 2);
    EXPECT_EQ(s.rows.size(), 2u); // the layers before it still report
    EXPECT_EQ(s.error.rfind("layer 3, ", 0), 0u) << s.error;
    EXPECT_EQ(s.error.find("model.layers"), std::string::npos) << s.error;
}

TEST(layer_stack, interface_key_text_reads_as_the_interface) {
    EXPECT_EQ(interface_key_text("model.layers[0].units: 0 is below the minimum 1"), "layer 1, units: 0 is below the minimum 1");
    EXPECT_EQ(interface_key_text("model.layers[4]: gives 3 outputs"), "layer 5: gives 3 outputs");
    EXPECT_EQ(interface_key_text("model.layers[2].layers[1].filters: x"), "layer 3, block layer 2, filters: x");
    EXPECT_EQ(interface_key_text("optimizer.lr: too big"), "optimizer.lr: too big");
    // Two keys in one message, the text between them kept; a key without an index left as it is.
    EXPECT_EQ(interface_key_text("model.layers[1] and model.layers[0].layers[3]: clash"), "layer 2 and layer 1, block layer 4: clash");
    EXPECT_EQ(interface_key_text("model.layers[x]: odd"), "model.layers[x]: odd");
    EXPECT_EQ(interface_key_text("model.layers[99999999999999999999]"), "layer 1000000001");
}

TEST(layer_stack, default_layers_fit_where_they_go) {
    for (Shape in : {Shape{8, 14, 14}, Shape{32, 1, 1}}) {
        for (LayerType t : {LayerType::conv2d, LayerType::maxpool, LayerType::avgpool, LayerType::flatten, LayerType::dense,
                            LayerType::dropout, LayerType::batchnorm, LayerType::residual}) {
            if (!in.is_image() && (t == LayerType::conv2d || t == LayerType::maxpool || t == LayerType::avgpool)) continue;
            const StackSummary s = summarize_stack({default_layer(t, in)}, in, 16, OptimizerType::adam);
            EXPECT_TRUE(s.ok()) << layer_type_name(t) << " on " << in.text() << ": " << s.error;
        }
    }
    const LayerSpec block = default_layer(LayerType::residual, {8, 14, 14});
    EXPECT_EQ(summarize_stack({block}, {8, 14, 14}, 16, OptimizerType::sgd).rows[0].out, (Shape{8, 14, 14}));
    EXPECT_EQ(layer_settings_text(default_layer(LayerType::conv2d, {1, 28, 28})), "8 filters 3×3, same, relu");
    EXPECT_EQ(layer_settings_text(default_layer(LayerType::dense, {4, 1, 1})), "32, relu");
}
