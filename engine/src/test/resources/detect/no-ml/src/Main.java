import java.util.List;

public class Main {
}
