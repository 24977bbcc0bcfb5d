import org.nd4j.linalg.factory.Nd4j;

public class Classify {
}
