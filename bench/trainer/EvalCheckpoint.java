import io.trainchain.trainer.data.Dataset;
import io.trainchain.trainer.data.DatasetLoader;
import io.trainchain.trainer.train.Trainer;

import java.nio.file.Path;

/** Prints the test accuracy of a saved model or checkpoint: java -cp TRAINER_CP EvalCheckpoint.java MODEL [DATA] */
public class EvalCheckpoint {
    public static void main(String[] args) throws Exception {
        Dataset data = DatasetLoader.load(args.length > 1 ? Path.of(args[1]) : DatasetLoader.DEFAULT_DIR, 0);
        System.out.println(Trainer.evaluate(Path.of(args[0]), data).metrics().accuracy());
    }
}
