import io.trainchain.trainer.config.ConfigReader;
import io.trainchain.trainer.config.TrainConfig;
import io.trainchain.trainer.data.Dataset;
import io.trainchain.trainer.data.DatasetLoader;
import io.trainchain.trainer.data.ImageSet;
import io.trainchain.trainer.model.NetworkFactory;
import io.trainchain.trainer.runtime.OneDnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Training steps only, on pre-assembled Fashion-MNIST batches, so a profile sees the network and nothing else.
 * java -cp TRAINER_CP StepLoop.java PARAMS_JSON WARMUP_STEPS STEPS [CACHE_MODE]
 */
public class StepLoop {
    public static void main(String[] a) throws Exception {
        OneDnn.enableHelpers();
        TrainConfig cfg = ConfigReader.parse(a[0], "params");
        int warmup = Integer.parseInt(a[1]);
        int steps = Integer.parseInt(a[2]);
        int b = cfg.batchSize();
        Dataset d = DatasetLoader.load(DatasetLoader.DEFAULT_DIR, 0);
        ImageSet tr = d.train();
        float[][] t = d.scaling().table();
        List<DataSet> batches = new ArrayList<>();
        for (int s = 0; s < 32; s++) {
            float[] f = new float[b * 784];
            float[] l = new float[b * 10];
            for (int i = 0; i < b; i++) {
                int img = (s * b + i) % tr.size();
                for (int k = 0; k < 784; k++) {
                    f[i * 784 + k] = t[0][tr.pixels()[img * 784 + k] & 0xFF];
                }
                l[i * 10 + tr.label(img)] = 1;
            }
            batches.add(new DataSet(Nd4j.create(f, new long[]{b, 1, 28, 28}, 'c'),
                    Nd4j.create(l, new long[]{b, 10}, 'c')));
        }
        MultiLayerNetwork net = NetworkFactory.build(cfg, 1, 28, 28, 10);
        if (a.length > 3) { // for A/B runs: override the factory's cache mode
            net.setCacheMode(org.deeplearning4j.nn.conf.CacheMode.valueOf(a[3]));
        }
        for (int i = 0; i < warmup; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        System.out.println("MEASURE_START");
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        System.out.printf("STEP_MS %.3f (%.0f images/s at batch %d)%n", ms, b * 1000 / ms, b);
    }
}
