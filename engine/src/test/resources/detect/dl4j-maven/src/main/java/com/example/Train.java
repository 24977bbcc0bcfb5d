package com.example;

/* An earlier version used
import org.tensorflow.Graph;
 */
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

public class Train {
    // import org.tensorflow.Session; would go here
    public static void main(String[] args) {
        System.out.println("import org.tensorflow.Tensor");
    }
}
