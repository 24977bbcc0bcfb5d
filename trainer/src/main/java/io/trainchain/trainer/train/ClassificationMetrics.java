package io.trainchain.trainer.train;

/**
 * Accuracy, per-class precision/recall/F1 and the confusion matrix from true and predicted labels. Plain Java, so it
 * is tested without a network; a class that is never predicted (or never present) scores 0, as scikit-learn does.
 */
public record ClassificationMetrics(long[][] confusion, double accuracy, double[] precision, double[] recall,
                                    double[] f1, long[] support) {

    public static ClassificationMetrics of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + predicted.length + " predictions");
        }
        long[][] cm = new long[classes][classes];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            cm[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        double[] p = new double[classes];
        double[] r = new double[classes];
        double[] f = new double[classes];
        long[] s = new long[classes];
        for (int c = 0; c < classes; c++) {
            long tp = cm[c][c];
            long predictedC = 0;
            long actualC = 0;
            for (int k = 0; k < classes; k++) {
                predictedC += cm[k][c];
                actualC += cm[c][k];
            }
            p[c] = predictedC == 0 ? 0 : (double) tp / predictedC;
            r[c] = actualC == 0 ? 0 : (double) tp / actualC;
            f[c] = p[c] + r[c] == 0 ? 0 : 2 * p[c] * r[c] / (p[c] + r[c]);
            s[c] = actualC;
        }
        return new ClassificationMetrics(cm, truth.length == 0 ? 0 : (double) correct / truth.length, p, r, f, s);
    }

    public double macroF1() {
        double sum = 0;
        for (double v : f1) {
            sum += v;
        }
        return f1.length == 0 ? 0 : sum / f1.length;
    }
}
