// NetDesign: the playground's layer stack written as spec layers and read back.
#include "edit/net_design.h"
#include "helpers.h"

using namespace liandan;

TEST(net_design, round_trip_with_every_switch) {
    for (bool bn : {false, true})
        for (double dropout : {0.0, 0.25})
            for (bool residual : {false, true}) {
                NetDesign d;
                d.hidden = {{8, Activation::relu}, {8, Activation::tanh}, {4, Activation::gelu}};
                d.batchnorm = bn, d.dropout = dropout, d.residual = residual, d.outputs = 3;
                auto layers = design_layers(d, 2);
                auto back = design_of(layers);
                ASSERT_TRUE(back.has_value()) << bn << dropout << residual;
                EXPECT_EQ(back->hidden.size(), 3u);
                EXPECT_EQ(back->hidden[1].units, 8);
                EXPECT_EQ(back->hidden[2].activation, Activation::gelu);
                EXPECT_EQ(back->batchnorm, bn);
                EXPECT_EQ(back->dropout, dropout);
                // Only the second layer keeps its input's width (8 → 8), so only it can be residual.
                EXPECT_EQ(back->residual, residual);
                EXPECT_EQ(back->outputs, 3);
                // The layers build: the shapes fit.
                Spec s = default_spec();
                s.model.layers = layers;
                s.loss.type = LossType::cross_entropy;
                s.data.toy.shape = "blobs";
                s.data.toy.classes = 3;
                EXPECT_NO_THROW(Model(s.model, Shape{2, 1, 1}, 4));
            }
}

TEST(net_design, residual_wraps_only_layers_that_keep_the_width) {
    NetDesign d;
    d.hidden = {{8, Activation::tanh}, {8, Activation::tanh}};
    d.residual = true;
    auto layers = design_layers(d, 2);
    ASSERT_EQ(layers.size(), 3u);
    EXPECT_EQ(layers[0].type, LayerType::dense); // 2 → 8 cannot add its input
    EXPECT_EQ(layers[1].type, LayerType::residual);
    EXPECT_EQ(layers[1].layers.size(), 1u);
}

TEST(net_design, other_stacks_have_no_design) {
    Spec s = default_spec();
    LayerSpec conv;
    conv.type = LayerType::conv2d;
    s.model.layers.insert(s.model.layers.begin(), conv);
    EXPECT_FALSE(design_of(s.model.layers).has_value());
    LayerSpec soft = s.model.layers.back();
    soft.activation = Activation::softmax; // the output must be logits
    EXPECT_FALSE(design_of({soft}).has_value());
    EXPECT_TRUE(design_of(default_spec().model.layers).has_value());
}

TEST(net_design, output_follows_the_data) {
    Spec s = default_spec();
    s.data.toy.shape = "spirals";
    s.data.toy.classes = 4;
    fit_output_to_data(s);
    EXPECT_EQ(s.loss.type, LossType::cross_entropy);
    EXPECT_EQ(s.model.layers.back().units, 4);
    s.data.toy.shape = "plane";
    fit_output_to_data(s);
    EXPECT_EQ(s.loss.type, LossType::mse);
    EXPECT_EQ(s.model.layers.back().units, 1);
    s.data.toy.shape = "circle";
    s.loss.type = LossType::bce;
    fit_output_to_data(s);
    EXPECT_EQ(s.loss.type, LossType::bce);
    EXPECT_EQ(s.model.layers.back().units, 1);
}
