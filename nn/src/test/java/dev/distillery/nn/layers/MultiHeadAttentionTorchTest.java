package dev.distillery.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Checks;
import dev.distillery.nn.Init;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MultiHeadAttention with {@code kdim}/{@code vdim} (PyTorch's separate {@code q_proj_weight},
 * {@code k_proj_weight}, {@code v_proj_weight}) and {@code add_bias_kv} ({@code bias_k},
 * {@code bias_v}), loaded from torch 1.13's state dict and run against its values in float64
 * (printed by {@code docs/pytorch_layer_reference.py mha}). Softmax's exp is libm's on one side
 * and Java's on the other, so values agree to a few ulp of their magnitude (outputs up to about 10).
 */
@ExtendWith(ScalarBackendExtension.class)
class MultiHeadAttentionTorchTest {
    static final double[] CROSS_Y = {0.022140408267990574, -5.383601861017107, 5.501237482092235, 6.307491270278995, -0.8167188549404667, -1.829958594532338, 2.57742205456131, -0.36277468081459885, -0.7080379889469732, -4.675070971560766, 5.792306768881521, 6.179970600724553, -1.7563647095551096, -0.05352428178047275, 0.9202528240950087, -1.2022748052009136, 0.4591556299959918, 0.37818055624970925, -1.9461716758444725, -3.842626358273793, -4.005901929644911, -0.3234713604689445, 3.113700884469813, 1.1336673839349025};  // shape [2, 3, 4]
    static final double[] CROSS_GRAD_Q = {0.27037034040035945, 2.467214064810504, -0.5829779935786683, -0.4914808866662626, -0.4772934639448636, 1.8468859691500645, 1.613008382603219, -0.05157486911648328, -0.5019065313965001, -2.9298344033742114, 1.4796848508713436, 0.32529748303222283, 0.7107007179754332, -3.236290738224768, -3.5177602081397485, 4.088698916780073, 1.285493360119659, 0.7880996165942779, -2.0153856613341907, 0.02135686547129573, -0.9105565684632031, 5.113722963643179, 5.049187342644208, -4.116298149327636};  // shape [2, 3, 4]
    static final double[] CROSS_GRAD_K = {-0.9522245737373345, -0.8038657299287679, 1.5602471078267972, -0.45402874393765197, -0.49862305673494567, 0.46519114941494566, 0.40558599850375504, -0.11085729966977872, -0.0676861247021314, 1.2996288086198216, -1.0845280896029865, 1.4313330519693863, -0.19256675940369633, -0.3601498831668831, -0.09162051510346625, 0.09668773357932148, -0.6241130655288561, 0.8300465182204629, -0.5485540222270098, -4.981360687316839, 4.132158995171966, 0.2922992281374678, -0.8987266286018782, 0.9841894274498859, 0.23853501649792466, 3.4658673745149056, -4.591210280871865, -0.6342457919012892, -1.1918475332921636, 1.386302627027264};  // shape [2, 5, 3]
    static final double[] CROSS_GRAD_V = {-0.2588372117016352, 0.1591455808067881, -0.45869934479689134, -0.04578723735553886, 0.3721955551528844, 0.04627096052974323, -0.06650137782440796, -0.09670154145152232, 0.0566848100563344, -0.056087528297816804, -4.377955165113815, 4.221426737832356, 3.2708160482899435, -4.050158375616432, 4.549223527329739, -0.21352565393699746, 0.12334808864695809, -0.43095277862446846, -0.022387423843402074, 0.31448631874055344, 0.08041968876544212, -0.09344958946477502, -0.05563970411431653, 0.06738179726528401, -0.10648748096493313, 0.26477211464886485, -0.30632349427493405, -0.637601670005931, 0.3790059683492087, -0.19208964057459024, 0.9300469757216632, -0.7832358632215124, 0.1864425736787766, 0.59567510092846, -1.117607738014716, 0.13920600521139334, -0.14531886371585293, -0.2230363025253056, 0.1660051220422391, -0.11851974688500716, 0.28342417973271006, -0.3288751680241888, -0.6900330675279969, 0.40796138645816105, -0.20433796129873774, 0.4720066692321436, -0.3790298102804937, 0.20472750320418265, 0.27071104389260014, -0.5803254356200372};  // shape [2, 5, 5]
    static final double[] CROSS_GRAD_BIAS_K = {-0.5987740645120492, 2.3761273630270936, -0.45483622454488515, 4.000834771996557};  // shape [1, 1, 4]
    static final double[] PACKED_Y = {-8.193036571902903, -2.037061904211365, 9.176460246290313, 4.694981253364524, -0.728920308300935, -1.330730022687596, 1.3485091070063864, -1.8033517219098834, -8.154044886759674, -2.0517320606700835, 9.158587608608713, 4.676451447814266};  // shape [1, 3, 4]
    static final double[] PACKED_GRAD_Q = {-0.0013907382879555685, -0.003953780903429204, 0.005089075845396543, -0.0005240887055767353, -0.7031620819920281, 3.0923425893784304, 3.4807747503655495, -1.8789549500092522, 0.000795358770109879, 0.018627523720843964, -0.01897353703436663, -0.007286000247743961};  // shape [1, 3, 4]
    static final double[] PACKED_GRAD_K = {0.16483760723455573, -0.14234872830787082, -0.0786726557863037, 0.14288034084780843, 1.418316795544517, -2.847594045070028, -7.092644275804808, 2.8821272199358203};  // shape [1, 2, 4]
    static final double[] PACKED_GRAD_V = {-4.682365783372731, -1.1702229135709288, 4.006884357468161, -4.894083085257616, -2.7163897841905214, 10.173361677992164, -0.9803375742324325, -1.9751944553157816};  // shape [1, 2, 4]
    static final double[] PACKED_GRAD_BIAS_K = {-0.06162520149679553, -0.06760301060837462, -0.5873582139057814, 5.330516531625521};  // shape [1, 1, 4]

    private static final double TOL = 1e-14;

    /** torch's state dict for {@code m}'s configuration: its names, in its order, filled from one ramp. */
    private static Map<String, Tensor> torchStateDict(MultiHeadAttention m) {
        Map<String, Tensor> shapes = m.toPyTorchStateDict();
        int total = shapes.values().stream().mapToInt(Tensor::numel).sum();
        double[] flat = TorchRef.ramp(total, 29, 97, 48, 32.0);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        int at = 0;
        for (Map.Entry<String, Tensor> e : shapes.entrySet()) {
            int n = e.getValue().numel();
            sd.put(e.getKey(), Tensor.of(java.util.Arrays.copyOfRange(flat, at, at + n), e.getValue().shape().dims()));
            at += n;
        }
        return sd;
    }

    private static double check(String what, MultiHeadAttention m, int[] qs, int[] ks, int[] vs, double[] y, double[] gq,
                                double[] gk, double[] gv, double[] gbk) {
        Map<String, Tensor> sd = torchStateDict(m);
        m.loadPyTorchStateDict(sd);
        Map<String, Tensor> back = m.toPyTorchStateDict();
        assertEquals(List.copyOf(sd.keySet()), List.copyOf(back.keySet()));
        sd.forEach((k, t) -> assertArrayEquals(t.toDoubleArray(), back.get(k).toDoubleArray(), 0, k));
        Tensor q = TorchRef.ramp(qs).requiresGrad(true);
        Tensor k = Tensor.of(TorchRef.ramp(dev.distillery.autograd.Shape.of(ks).numel(), 7, 61, 30, 16.0), ks).requiresGrad(true);
        Tensor v = Tensor.of(TorchRef.ramp(dev.distillery.autograd.Shape.of(vs).numel(), 11, 67, 33, 16.0), vs).requiresGrad(true);
        Tensor out = m.forward(q, k, v);
        out.mul(Tensor.of(TorchRef.ramp(out.numel(), 13, 29, 14, 8.0), out.shape().dims())).sum().backward();
        double err = TorchRef.close(what + " y", y, out, qs, TOL);
        err = Math.max(err, TorchRef.close(what + " grad query", gq, q.grad(), qs, TOL));
        err = Math.max(err, TorchRef.close(what + " grad key", gk, k.grad(), ks, TOL));
        err = Math.max(err, TorchRef.close(what + " grad value", gv, v.grad(), vs, TOL));
        Tensor biasK = m.namedParameters().get("bias_k");
        return Math.max(err, TorchRef.close(what + " grad bias_k", gbk, biasK.grad(), new int[] {1, 1, 4}, TOL));
    }

    @Test
    void separateProjectionsAndBiasKvMatchTorch() {
        MultiHeadAttention m = new MultiHeadAttention(4, 2, 3, 5, true, Init.of(DType.F64, 3));
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v",
                "out_proj.weight", "out_proj.bias"), m.pyTorchNames());
        double err = check("cross", m, new int[] {2, 3, 4}, new int[] {2, 5, 3}, new int[] {2, 5, 5}, CROSS_Y, CROSS_GRAD_Q,
                CROSS_GRAD_K, CROSS_GRAD_V, CROSS_GRAD_BIAS_K);
        MultiHeadAttention p = new MultiHeadAttention(4, 2, 4, 4, true, Init.of(DType.F64, 4));
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias"),
                p.pyTorchNames());
        err = Math.max(err, check("packed", p, new int[] {1, 3, 4}, new int[] {1, 2, 4}, new int[] {1, 2, 4}, PACKED_Y,
                PACKED_GRAD_Q, PACKED_GRAD_K, PACKED_GRAD_V, PACKED_GRAD_BIAS_K));
        System.out.println("MultiheadAttention(kdim, vdim, add_bias_kv) vs torch 1.13, F64: max |torch - ours| = " + err);
    }

    @Test
    void gradientsFirstAndSecondOrder() {
        MultiHeadAttention m = new MultiHeadAttention(4, 2, 3, 2, true, Init.of(DType.F64, 5));
        Tensor q = Tensor.randn(DType.F64, 71, 0, 1, 2, 4);
        Tensor k = Tensor.randn(DType.F64, 72, 0, 1, 3, 3);
        Tensor v = Tensor.randn(DType.F64, 73, 0, 1, 3, 2);
        Checks.inputs(m.toString(), x -> m.forward(x.get(0), x.get(1), x.get(2)), q, k, v);
        Checks.parameters(m.toString(), m, () -> m.forward(q, k, v), 4);
    }

    @Test
    void mismatchedLayoutsAreRefusedByName() {
        MultiHeadAttention m = new MultiHeadAttention(4, 2, 3, 5, false, Init.of(DType.F64, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(DType.F64, 1, 2, 4)));
        assertTrue(e.getMessage().contains("forward(query, key, value)"), e.getMessage());
        Map<String, Tensor> withBias = torchStateDict(new MultiHeadAttention(4, 2, 3, 5, true, Init.of(DType.F64, 7)));
        e = assertThrows(IllegalArgumentException.class, () -> m.loadPyTorchStateDict(withBias));
        assertTrue(e.getMessage().contains("same kdim, vdim and add_bias_kv"), e.getMessage());
        Map<String, Tensor> packed = torchStateDict(new MultiHeadAttention(4, 2, Init.of(DType.F64, 8)));
        e = assertThrows(IllegalArgumentException.class, () -> m.loadPyTorchStateDict(packed));
        assertTrue(e.getMessage().contains("q_proj_weight"), e.getMessage());
        assertEquals("MultiHeadAttention(4, heads 2, kdim 3, vdim 5)", m.toString());
    }
}
